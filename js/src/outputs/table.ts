// Tables (pywebio_nb/output/_table.py): the first row is the header; cells are text or nodes.

import type { NodeSpec, TableBody } from "../protocol";
import { h, register, type RenderContext } from "./registry";

function cell(tag: "td" | "th", value: unknown, ctx: RenderContext): HTMLTableCellElement {
  const el = h(tag);
  if (typeof value === "object" && value !== null) {
    el.append(ctx.render(value as NodeSpec));
  } else {
    el.textContent = value === undefined || value === null ? "" : String(value);
  }
  return el;
}

register<TableBody>("table", (spec, ctx) => {
  const table = h("table", "pywebio-table");
  const rows = Array.isArray(spec.rows) ? (spec.rows as unknown[][]) : [];
  const spans = (spec.span ?? {}) as Record<string, [number, number]>;
  rows.forEach((row, r) => {
    const tr = h("tr");
    (Array.isArray(row) ? row : []).forEach((value, c) => {
      const td = cell(r === 0 ? "th" : "td", value, ctx);
      const sp = spans[`${r},${c}`];
      if (Array.isArray(sp)) {
        if (sp[0] > 1) td.rowSpan = sp[0];
        if (sp[1] > 1) td.colSpan = sp[1];
      }
      tr.append(td);
    });
    if (r === 0) {
      const thead = h("thead");
      thead.append(tr);
      table.append(thead);
    } else {
      let tbody = table.tBodies[0];
      if (!tbody) {
        tbody = h("tbody");
        table.append(tbody);
      }
      tbody.append(tr);
    }
  });
  const wrap = h("div", "pywebio-table-wrap");
  wrap.append(table);
  return wrap;
});
