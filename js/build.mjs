// Bundles the renderer for its hosts: the anywidget ESM used in notebooks (widget.js, with
// the code editor as a bundle of its own, editor.js, that the kernel sends on first use), the
// standalone page served at /webio/ (page.js and its chunks page-*.js, loaded on first use),
// and their CSS.
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";

const watch = process.argv.includes("--watch");
const outdir = new URL("../pywebio_nb/static/", import.meta.url).pathname;
mkdirSync(outdir, { recursive: true });
/** The page's chunks sit next to page.js (flat names: see serve_asset's name rule). */
const PAGE_CHUNK = /^page-[\w]+-[A-Z0-9]+\.js$/;
for (const name of readdirSync(outdir)) if (PAGE_CHUNK.test(name)) rmSync(outdir + name);

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

const others = [
  {
    ...js,
    entryPoints: { page: "js/src/page.ts" },
    splitting: true,
    chunkNames: "page-[name]-[hash]",
  },
  { entryPoints: { page: "js/src/page.css" }, bundle: true, minify: !watch, outdir },
  { entryPoints: { widget: "js/src/style.css" }, bundle: true, minify: !watch, outdir },
];

if (watch) {
  for (const options of [editor, widget("dev"), ...others]) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log("watching js/src");
} else {
  await esbuild.build(editor);
  const hash = createHash("sha256").update(readFileSync(outdir + "editor.js")).digest("hex").slice(0, 12);
  await Promise.all([widget(hash), ...others].map((options) => esbuild.build(options)));
  writeLoader();
}

/**
 * widget-loader.js, the anywidget `_esm`: anywidget imports a model's `_esm` afresh for every
 * widget (every cell), so the loader carries the renderer as a string and compiles it once per
 * page, sharing that module with every later cell (a string parses far faster than code).
 */
function writeLoader() {
  const source = readFileSync(outdir + "widget.js", "utf8");
  const key = "__pywebio_nb_widget_" + createHash("sha256").update(source).digest("hex").slice(0, 12);
  const loader = `const KEY=${JSON.stringify(key)};const SOURCE=${JSON.stringify(source)};
function load(){return globalThis[KEY]??=import(URL.createObjectURL(new Blob([SOURCE],{type:"text/javascript"})));}
export default{async initialize(ctx){return(await load()).default.initialize(ctx);},async render(ctx){return(await load()).default.render(ctx);}};
`;
  writeFileSync(outdir + "widget-loader.js", loader);
}
