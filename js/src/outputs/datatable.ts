// Large tables (pywebio_nb/output/_datatable.py): an ARIA grid that shows only the rows in view.
// Rows stay in Python; the view asks for windows of PAGE rows with a `rows` event and caches the
// `rows` commands that answer. A `rows_changed` command drops the cache and asks again.

import type { DataTableBody } from "../protocol";
import { h, register } from "./registry";

const ROW_HEIGHT = 30;
const PAGE = 100;
const OVERSCAN = 10;

interface Column {
  field: string;
  header: string;
  width?: number;
}

interface Row {
  key: unknown;
  cells: unknown[];
}

register<DataTableBody>("datatable", (spec, ctx) => {
  const columns = (Array.isArray(spec.columns) ? spec.columns : []) as Column[];
  const actions = (Array.isArray(spec.actions) ? spec.actions : []) as (string | null)[];
  const multiple = Boolean(spec.multiple);
  let total = Number(spec.total ?? 0);
  let version = Number(spec.version ?? 0);
  const cache = new Map<number, Row>();
  const requested = new Set<number>();
  const selected = new Map<string, unknown>();
  let active = 0;

  const el = h("div", "pywebio-datatable");
  const template = columns
    .map((c) => (typeof c.width === "number" ? `${c.width}px` : "minmax(8em, 1fr)"))
    .join(" ");

  const toolbar = h("div", "pywebio-datatable-toolbar");
  toolbar.setAttribute("role", "toolbar");
  const actionButtons: HTMLButtonElement[] = [];
  actions.forEach((label, index) => {
    if (label === null) {
      toolbar.append(h("span", "pywebio-datatable-separator"));
      return;
    }
    const button = h("button", "pywebio-button pywebio-button-small pywebio-button-outline", label);
    button.type = "button";
    button.disabled = true;
    button.addEventListener("click", () =>
      ctx.send({
        kind: "callback",
        cb: spec.cb as number,
        value: { action: index, select: [...selected.values()] },
      }),
    );
    actionButtons.push(button);
    toolbar.append(button);
  });
  if (actions.length) el.append(toolbar);

  const grid = h("div", "pywebio-datatable-grid");
  grid.setAttribute("role", "grid");
  grid.setAttribute("aria-colcount", String(columns.length));
  grid.setAttribute("aria-multiselectable", String(multiple));
  grid.tabIndex = 0;
  // 'auto' (at most 1000 rows, see put_datatable) fits every row; otherwise a fixed height.
  const autoHeight = spec.height === "auto";
  if (!autoHeight) grid.style.height = String(spec.height ?? "600px");
  const head = h("div", "pywebio-datatable-row pywebio-datatable-head");
  head.setAttribute("role", "row");
  head.setAttribute("aria-rowindex", "1");
  head.style.gridTemplateColumns = template;
  columns.forEach((column, index) => {
    const cell = h("div", "pywebio-datatable-cell", column.header);
    cell.setAttribute("role", "columnheader");
    cell.setAttribute("aria-colindex", String(index + 1));
    head.append(cell);
  });
  const spacer = h("div", "pywebio-datatable-spacer");
  const body = h("div", "pywebio-datatable-body");
  body.setAttribute("role", "rowgroup");
  spacer.append(body);
  grid.append(head, spacer);
  el.append(grid);
  const status = h("div", "pywebio-datatable-status");
  status.setAttribute("aria-live", "polite");
  el.append(status);

  const keyOf = (key: unknown): string => JSON.stringify(key);

  const selectionChanged = (): void => {
    for (const button of actionButtons) button.disabled = selected.size === 0;
    status.textContent = selected.size ? `${selected.size} selected` : "";
    ctx.send({
      kind: "callback",
      cb: spec.cb as number,
      value: { select: [...selected.values()] },
    });
  };

  const toggle = (index: number): void => {
    const row = cache.get(index);
    if (!row) return;
    const id = keyOf(row.key);
    if (selected.has(id)) {
      selected.delete(id);
    } else {
      if (!multiple) selected.clear();
      selected.set(id, row.key);
    }
    selectionChanged();
    draw();
  };

  const request = (first: number, last: number): void => {
    for (let page = Math.floor(first / PAGE); page * PAGE <= last; page++) {
      if (page * PAGE >= total || requested.has(page)) continue;
      requested.add(page);
      ctx.send({ kind: "rows", id: spec.id, start: page * PAGE, count: PAGE });
    }
  };

  let frame = 0;
  const draw = (): void => {
    frame = 0;
    grid.setAttribute("aria-rowcount", String(total + 1));
    spacer.style.height = `${total * ROW_HEIGHT}px`;
    if (autoHeight) grid.style.height = `${(total + 1) * ROW_HEIGHT + 2}px`;
    const height = grid.clientHeight || 600;
    const top = Math.max(0, grid.scrollTop - head.offsetHeight);
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(total - 1, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    request(first, last);
    body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    const rows: HTMLElement[] = [];
    for (let index = first; index <= last; index++) {
      const data = cache.get(index);
      const tr = h("div", "pywebio-datatable-row");
      tr.setAttribute("role", "row");
      tr.setAttribute("aria-rowindex", String(index + 2));
      tr.style.gridTemplateColumns = template;
      tr.style.height = `${ROW_HEIGHT}px`;
      tr.dataset.index = String(index);
      if (index === active) tr.classList.add("pywebio-datatable-active");
      const isSelected = data !== undefined && selected.has(keyOf(data.key));
      tr.setAttribute("aria-selected", String(isSelected));
      columns.forEach((_column, c) => {
        const value = data?.cells[c];
        const text =
          data === undefined ? "…" : value === null || value === undefined ? "" : String(value);
        const td = h("div", "pywebio-datatable-cell", text);
        td.setAttribute("role", "gridcell");
        td.setAttribute("aria-colindex", String(c + 1));
        td.title = text;
        tr.append(td);
      });
      rows.push(tr);
    }
    body.replaceChildren(...rows);
  };
  const schedule = (): void => {
    if (!frame) frame = requestAnimationFrame(draw);
  };

  grid.addEventListener("scroll", schedule, { passive: true });
  body.addEventListener("click", (event) => {
    const row = (event.target as HTMLElement).closest<HTMLElement>("[data-index]");
    if (!row) return;
    active = Number(row.dataset.index);
    toggle(active);
  });
  grid.addEventListener("keydown", (event) => {
    const steps: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: 10,
      PageUp: -10,
      Home: -Infinity,
      End: Infinity,
    };
    if (event.key in steps) {
      event.preventDefault();
      active = Math.max(0, Math.min(total - 1, active + steps[event.key]));
      const top = active * ROW_HEIGHT;
      const view = grid.clientHeight - head.offsetHeight;
      if (top < grid.scrollTop) grid.scrollTop = top;
      else if (top + ROW_HEIGHT > grid.scrollTop + view) grid.scrollTop = top + ROW_HEIGHT - view;
      schedule();
    } else if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      toggle(active);
    }
  });

  ctx.onCommand(spec, (command) => {
    if (command.op === "rows") {
      if (command.version < version) return;
      total = command.total;
      for (const [offset, cells] of command.rows.entries()) {
        cache.set(command.start + offset, {
          key: command.keys[offset],
          cells: Array.isArray(cells) ? cells : [],
        });
      }
      schedule();
    } else if (command.op === "rows_changed") {
      total = command.total;
      version = command.version;
      cache.clear();
      requested.clear();
      active = Math.min(active, Math.max(0, total - 1));
      schedule();
    }
  });
  const resize = new ResizeObserver(schedule);
  resize.observe(grid);
  ctx.onDispose(spec, () => {
    resize.disconnect();
    if (frame) cancelAnimationFrame(frame);
  });
  draw();
  return el;
});
