// Bundles the renderer for its hosts: the anywidget ESM used in notebooks, the standalone
// page served at /webio/ (page.js, page.css), and their CSS.
import * as esbuild from "esbuild";
import { mkdirSync } from "node:fs";

const watch = process.argv.includes("--watch");
const outdir = new URL("../pywebio_nb/static/", import.meta.url).pathname;
mkdirSync(outdir, { recursive: true });

const builds = [
  {
    entryPoints: { widget: "js/src/widget.ts" },
    bundle: true,
    format: "esm",
    minify: !watch,
    target: "es2020",
    outdir,
    sourcemap: false,
    legalComments: "none",
  },
  {
    entryPoints: { page: "js/src/page.ts" },
    bundle: true,
    format: "esm",
    minify: !watch,
    target: "es2020",
    outdir,
    sourcemap: false,
    legalComments: "none",
  },
  {
    entryPoints: { page: "js/src/page.css" },
    bundle: true,
    minify: !watch,
    outdir,
  },
  {
    entryPoints: { widget: "js/src/style.css" },
    bundle: true,
    minify: !watch,
    outdir,
  },
];

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log("watching js/src");
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
