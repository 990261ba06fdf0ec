// Bundles the renderer for its hosts: the anywidget ESM used in notebooks (widget.js, with
// the code editor as a bundle of its own, editor.js, that the kernel sends on first use), the
// standalone page served at /webio/ (page.js and its chunks page-*.js, loaded on first use;
// page-preload.json lists the chunks page.js imports at once; boot.js, inlined in the page,
// opens its socket early), and their CSS.
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";

const watch = process.argv.includes("--watch");
const outdir = new URL("../pywebio_nb/static/", import.meta.url).pathname;
mkdirSync(outdir, { recursive: true });
/** The page's chunks sit next to page.js (flat names: see serve_asset's name rule). */
const PAGE_CHUNK = /^page-[\w]+-[A-Z0-9]+\.js$/;
for (const name of readdirSync(outdir)) if (PAGE_CHUNK.test(name)) rmSync(outdir + name);

// Files that PyWebIO programs open under STATIC_PATH (its put_image example reads
// STATIC_PATH + "/image/favicon_open_32.png"): our own icons, under the same names.
cpSync(new URL("assets/image/", import.meta.url).pathname, join(outdir, "image"), {
  recursive: true,
});

const js = {
  bundle: true,
  format: "esm",
  minify: !watch,
  target: "es2020",
  outdir,
  sourcemap: false,
  legalComments: "none",
};

const editor = { ...js, entryPoints: { editor: "js/src/forms/code.ts" } };

function widget(editorHash) {
  return {
    ...js,
    entryPoints: { widget: "js/src/widget.ts" },
    define: { __PYWEBIO_NB_EDITOR_HASH__: JSON.stringify(editorHash) },
  };
}

const page = {
  ...js,
  entryPoints: { page: "js/src/page.ts" },
  splitting: true,
  chunkNames: "page-[name]-[hash]",
  metafile: true,
};

/** Swaps highlight.js (two thirds of the static bundle) for plain code blocks. */
const plainHighlight = {
  name: "plain-highlight",
  setup(build) {
    build.onResolve({ filter: /^\.\/(rich\/)?highlight$/ }, () => ({
      path: new URL("./src/rich/plain-highlight.ts", import.meta.url).pathname,
    }));
  },
};

/** The static mode for self-contained HTML (static-page.ts), with the widget's CSS inlined. */
function staticPage(key) {
  return {
    ...js,
    format: "iife",
    entryPoints: { static: "js/src/static-page.ts" },
    plugins: [plainHighlight],
    define: {
      __PYWEBIO_NB_STATIC_KEY__: JSON.stringify(key),
      __PYWEBIO_NB_CSS__: JSON.stringify(readFileSync(`${outdir}widget.css`, "utf8")),
    },
  };
}

const others = [
  { ...js, entryPoints: { boot: "js/src/boot.ts" }, format: "iife" },
  { entryPoints: { page: "js/src/page.css" }, bundle: true, minify: !watch, outdir },
  { entryPoints: { widget: "js/src/style.css" }, bundle: true, minify: !watch, outdir },
];

if (watch) {
  for (const options of [editor, widget("dev"), page, ...others]) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log("watching js/src");
} else {
  await esbuild.build(editor);
  const hash = createHash("sha256")
    .update(readFileSync(join(outdir, "editor.js")))
    .digest("hex")
    .slice(0, 12);
  const [built] = await Promise.all([page, widget(hash), ...others].map((o) => esbuild.build(o)));
  writePreloads(built.metafile);
  writeLoader();
  await writeStatic();
  await buildLabExtension();
}

/** page-preload.json: the chunks page.js imports statically, for `<link rel=modulepreload>`. */
function writePreloads(metafile) {
  const [, output] = Object.entries(metafile.outputs).find(
    ([path]) => basename(path) === "page.js",
  );
  const chunks = output.imports
    .filter((entry) => entry.kind === "import-statement")
    .map((entry) => basename(entry.path));
  writeFileSync(join(outdir, "page-preload.json"), `${JSON.stringify(chunks)}\n`);
}

/**
 * widget-loader.js, the anywidget `_esm`, and widget.js.gz, the renderer it loads. anywidget
 * sends a model's whole state, `_esm` included, with every widget (every cell), and imports
 * `_esm` afresh for each. So `_esm` is a small loader, and the renderer travels gzipped as the
 * binary trait `_code` (a comm buffer: no JSON escaping, nothing to parse), compiled once per
 * page and shared with every later cell through globalThis (keyed by the renderer's hash, so
 * that two versions of the package never mix). Carrying the renderer as a JSON string instead
 * cost 0.5 MB of doubly escaped JSON per cell.
 */
function writeLoader() {
  const source = readFileSync(join(outdir, "widget.js"));
  const key = `__pywebio_nb_widget_${createHash("sha256").update(source).digest("hex").slice(0, 12)}`;
  writeFileSync(join(outdir, "widget.js.gz"), gzipSync(source, { level: 9 }));
  const loader = `const KEY=${JSON.stringify(key)};
async function compile(code){const gz=new Blob([code]).stream().pipeThrough(new DecompressionStream("gzip"));
const url=URL.createObjectURL(new Blob([await new Response(gz).arrayBuffer()],{type:"text/javascript"}));
try{return await import(url);}finally{URL.revokeObjectURL(url);}}
function load(model){return globalThis[KEY]??=compile(model.get("_code")).catch((error)=>{delete globalThis[KEY];throw error;});}
export default{async initialize(ctx){return(await load(ctx.model)).default.initialize(ctx);},async render(ctx){return(await load(ctx.model)).default.render(ctx);}};
`;
  writeFileSync(join(outdir, "widget-loader.js"), loader);
}

/**
 * static.js.gz and static-loader.js: the renderer's static mode for self-contained HTML (a
 * saved notebook output's `text/html`, see pywebio_nb/_persist.py). Each output carries the
 * gzipped bundle (base64) and the loader, a classic script that finds its own container, runs
 * the bundle once a page (shared through globalThis under the bundle's hash) and draws.
 */
async function writeStatic() {
  const stamp = createHash("sha256")
    .update(readFileSync(`${outdir}widget.js`))
    .digest("hex")
    .slice(0, 12);
  const key = `__pywebio_nb_static_${stamp}`;
  await esbuild.build(staticPage(key));
  writeFileSync(
    `${outdir}static.js.gz`,
    gzipSync(readFileSync(`${outdir}static.js`), { level: 9 }),
  );
  const loader = `(function(){var KEY=${JSON.stringify(key)};var me=document.currentScript;var box=me&&me.parentElement;if(!box)return;
var g=globalThis[KEY]||(globalThis[KEY]={});if(g.renderIn){g.renderIn(box);return;}(g.queue||(g.queue=[])).push(box);if(g.loading)return;
var code=box.querySelector('script[type="application/vnd.pywebio-nb.static+gzip"]');if(!code||typeof DecompressionStream!=="function")return;g.loading=1;
var bin=atob(code.textContent.trim());var bytes=new Uint8Array(bin.length);for(var i=0;i<bin.length;i++)bytes[i]=bin.charCodeAt(i);
new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function(js){var s=document.createElement("script");s.textContent=js;document.head.appendChild(s);},function(){g.loading=0;});})();
`;
  writeFileSync(`${outdir}static-loader.js`, loader);
}

/**
 * The JupyterLab / Notebook 7 extension (js/src/labextension.ts): esbuild bundles our code
 * into js/labextension/lib (Lab's own packages stay external), then @jupyterlab/builder makes
 * the prebuilt extension in pywebio_nb/labextension, shipped in the wheel as
 * share/jupyter/labextensions/pywebio-nb. The builder needs JupyterLab's core package list:
 * JUPYTERLAB_CORE_PATH, else asked of the Python that builds (PYWEBIO_NB_PYTHON or python3).
 */
async function buildLabExtension() {
  const folder = new URL("./labextension/", import.meta.url).pathname;
  await esbuild.build({
    ...js,
    outdir: undefined,
    outfile: `${folder}lib/index.js`,
    entryPoints: ["js/src/labextension.ts"],
    external: ["@lumino/*", "@jupyterlab/*"],
    define: { __PYWEBIO_NB_CSS__: JSON.stringify(readFileSync(`${outdir}widget.css`, "utf8")) },
  });
  let core = process.env.JUPYTERLAB_CORE_PATH;
  if (!core) {
    // A package build (js/npm_build.py) names its Python, which has JupyterLab: a failure there
    // is an error. A hand-run `npm run build` without JupyterLab skips the extension, saying so.
    const named = process.env.PYWEBIO_NB_PYTHON;
    const code =
      "import jupyterlab, os; print(os.path.join(os.path.dirname(jupyterlab.__file__), 'staging'))";
    try {
      core = execFileSync(named || "python3", ["-c", code], { encoding: "utf8" }).trim();
    } catch (error) {
      if (named) throw error;
      console.warn("build.mjs: no JupyterLab for python3: the JupyterLab extension is not built");
      return;
    }
  }
  const builder = new URL(
    "../node_modules/@jupyterlab/builder/lib/build-labextension.js",
    import.meta.url,
  ).pathname;
  execFileSync(process.execPath, [builder, "--core-path", core, folder], { stdio: "inherit" });
}
