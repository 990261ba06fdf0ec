// Layouts (pywebio_nb/output/_layout.py): rows, columns and grids. A row or column without a
// `size` shares space equally (flex), with `gap` children as fixed 10px spaces; with a `size`
// it is a CSS grid using the size as its track list.

import type { GapBody, GridBody, GridCell, LinearBody, NodeSpec } from "../protocol";
import { h, type NodeOf, register, type RenderContext } from "./registry";

function linear(kind: "row" | "column", spec: NodeOf<LinearBody>, ctx: RenderContext): HTMLElement {
  const el = h("div", `pywebio-${kind}`);
  if (typeof spec.size === "string") {
    el.classList.add("pywebio-sized");
    if (kind === "row") el.style.gridTemplateColumns = spec.size;
    else el.style.gridTemplateRows = spec.size;
  }
  for (const child of (spec.children ?? []) as NodeSpec[]) el.append(ctx.render(child));
  ctx.registerContainer(spec, el);
  return el;
}

register<LinearBody>("row", (spec, ctx) => linear("row", spec, ctx));
register<LinearBody>("column", (spec, ctx) => linear("column", spec, ctx));
register<GapBody>("gap", () => {
  const el = h("div", "pywebio-gap");
  el.setAttribute("aria-hidden", "true");
  return el;
});

register<GridBody>("grid", (spec, ctx) => {
  const el = h("div", "pywebio-grid");
  el.style.gridTemplateColumns = String(spec.columns ?? "");
  el.style.gridTemplateRows = String(spec.rows ?? "");
  el.style.gridAutoFlow = spec.flow === "column" ? "column" : "row";
  for (const cell of (Array.isArray(spec.cells) ? spec.cells : []) as GridCell[]) {
    const box = h("div", "pywebio-grid-cell");
    if (typeof cell.row === "number") box.style.gridRow = `span ${cell.row}`;
    if (typeof cell.col === "number") box.style.gridColumn = `span ${cell.col}`;
    box.append(ctx.render(cell.node as NodeSpec)); // an empty cell: a node without id
    el.append(box);
  }
  return el;
});
