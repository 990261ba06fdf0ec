// Renderers of issue 4: layouts, containers, feedback, popups/toasts and the datatable.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DocumentModel, type View } from "../src/document";
import "../src/eager";
import "../src/outputs/index";
import type { BrowserEvent, NodeSpec } from "../src/protocol";

let sent: BrowserEvent[];
let doc: DocumentModel;
let view: View;
let el: HTMLElement;
let seq = 0;

function show(children: NodeSpec[]): void {
  seq += 10;
  doc.offerSnapshot({ kind: "snapshot", v: 1, seq, root: { id: 1, type: "scope", children } });
}

function batch(commands: unknown[]): void {
  seq += 1;
  doc.receiveBatch(seq, commands);
}

function q<T extends HTMLElement = HTMLElement>(selector: string, root: ParentNode = el): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

const text = (id: number, value: string): NodeSpec => ({ id, type: "text", text: value });

beforeEach(() => {
  sent = [];
  doc = new DocumentModel((event) => sent.push(event));
  el = document.createElement("div");
  document.body.replaceChildren(el);
  view = doc.attach(el);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("layouts", () => {
  it("a sized row is a grid with the size as its columns; put adds items", () => {
    show([
      {
        id: 2,
        type: "row",
        size: "40% 10px 1fr",
        children: [text(3, "a"), { id: 4, type: "gap" }],
      },
    ]);
    const row = q('[data-pwid="2"]');
    expect(row.classList.contains("pywebio-sized")).toBe(true);
    expect(row.style.gridTemplateColumns).toBe("40% 10px 1fr");
    batch([{ op: "put", parent: 2, index: 2, node: text(5, "b") }]);
    expect(Array.from(row.children).map((c) => c.className)).toEqual([
      "pywebio-text",
      "pywebio-gap",
      "pywebio-text",
    ]);
  });

  it("an unsized column is a flex column", () => {
    show([{ id: 2, type: "column", children: [text(3, "a")] }]);
    const column = q('[data-pwid="2"]');
    expect(column.classList.contains("pywebio-column")).toBe(true);
    expect(column.classList.contains("pywebio-sized")).toBe(false);
  });

  it("a grid places spans and empty cells", () => {
    show([
      {
        id: 2,
        type: "grid",
        columns: "repeat(2, 100px)",
        rows: "repeat(2, auto)",
        flow: "row",
        cells: [
          { node: text(3, "a") },
          { node: { type: "empty" } },
          { node: text(4, "wide"), col: 2 },
        ],
      },
    ]);
    const grid = q('[data-pwid="2"]');
    expect(grid.style.gridTemplateColumns).toBe("repeat(2, 100px)");
    const cells = grid.querySelectorAll<HTMLElement>(".pywebio-grid-cell");
    expect(cells.length).toBe(3);
    expect(cells[2].style.gridColumn).toBe("span 2");
  });
});

describe("containers", () => {
  it("collapse is a details element whose body takes puts", () => {
    show([{ id: 2, type: "collapse", title: "<b>T</b>", open: true, children: [] }]);
    const details = q<HTMLDetailsElement>("details");
    expect(details.open).toBe(true);
    expect(q("summary").textContent).toBe("<b>T</b>");
    batch([{ op: "put", parent: 2, index: 0, node: text(3, "inside") }]);
    expect(q(".pywebio-collapse-body").textContent).toBe("inside");
  });

  it("tabs are ARIA tabs switched by click and arrow keys", () => {
    show([
      {
        id: 2,
        type: "tabs",
        tabs: [
          { title: "One", content: [text(3, "first")] },
          { title: "Two", content: [text(4, "second")] },
        ],
      },
    ]);
    const tabs = el.querySelectorAll<HTMLButtonElement>('[role="tab"]');
    const panels = el.querySelectorAll<HTMLElement>('[role="tabpanel"]');
    expect(tabs[0].getAttribute("aria-selected")).toBe("true");
    expect(panels[1].hidden).toBe(true);
    tabs[0].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    expect(tabs[1].getAttribute("aria-selected")).toBe("true");
    expect(panels[0].hidden).toBe(true);
    expect(panels[1].getAttribute("aria-labelledby")).toBe(tabs[1].id);
    tabs[0].click();
    expect(panels[0].hidden).toBe(false);
  });

  it("scrollable sets its heights", () => {
    show([
      { id: 2, type: "scrollable", min_height: 50, max_height: 300, border: true, children: [] },
    ]);
    const box = q('[data-pwid="2"]');
    expect(box.style.minHeight).toBe("50px");
    expect(box.style.maxHeight).toBe("300px");
    expect(box.classList.contains("pywebio-scrollable-border")).toBe(true);
  });

  it("widget renders Mustache with escaped values and nested outputs", () => {
    show([
      {
        id: 2,
        type: "widget",
        template:
          "<b>{{title}}</b><ul>{{#items}}<li>{{& pywebio_output_parse}}</li>{{/items}}</ul>",
        data: { title: "<i>x</i>", items: ["<s>plain</s>", text(3, "node")] },
      },
    ]);
    expect(q(".pywebio-widget b").textContent).toBe("<i>x</i>");
    expect(el.querySelector(".pywebio-widget i")).toBeNull();
    const items = el.querySelectorAll("li");
    expect(items[0].textContent).toBe("<s>plain</s>");
    expect(items[0].querySelector("s")).toBeNull();
    expect(q('li [data-pwid="3"]').textContent).toBe("node");
  });
});

describe("feedback", () => {
  it("alerts carry roles; closing hides and tells the kernel", () => {
    show([
      { id: 2, type: "alert", kind: "info", children: [text(3, "i")] },
      { id: 4, type: "alert", kind: "error", close: 77, children: [text(5, "e")] },
    ]);
    expect(q('[data-pwid="2"]').getAttribute("role")).toBe("status");
    const error = q('[data-pwid="4"]');
    expect(error.getAttribute("role")).toBe("alert");
    q<HTMLButtonElement>('button[aria-label="Close"]', error).click();
    expect(error.hidden).toBe(true);
    expect(sent).toEqual([{ kind: "callback", cb: 77, value: null }]);
  });

  it("a progress command moves the bar", () => {
    show([{ id: 2, type: "progressbar", name: "p", value: 0.25 }]);
    const bar = q('[role="progressbar"]');
    expect(bar.getAttribute("aria-valuenow")).toBe("25");
    expect(bar.textContent).toBe("25.0%");
    batch([{ op: "progress", id: 2, value: 0.5, label: "half" }]);
    expect(bar.getAttribute("aria-valuenow")).toBe("50");
    expect(bar.textContent).toBe("half");
  });

  it("loading keeps its spinner out of the child list", () => {
    show([{ id: 2, type: "loading", shape: "grow", color: "primary", children: [] }]);
    batch([{ op: "put", parent: 2, index: 0, node: text(3, "busy") }]);
    expect(q(".pywebio-loading-body").textContent).toBe("busy");
    expect(q('[role="status"]').classList.contains("pywebio-spinner-grow")).toBe(true);
  });
});

describe("popups", () => {
  const popup = (implicit: boolean): NodeSpec => ({
    id: 2,
    type: "popup",
    title: "Title",
    size: "large",
    implicit_close: implicit,
    closable: true,
    close: 50,
    children: [text(3, "inside")],
  });

  it("shows a modal dialog over the page, outside the cell's element", () => {
    show([popup(true)]);
    const dialog = q('[role="dialog"]', document.body);
    expect(el.contains(dialog)).toBe(false);
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(document.getElementById(dialog.getAttribute("aria-labelledby") ?? "")?.textContent).toBe(
      "Title",
    );
    batch([{ op: "put", parent: 2, index: 1, node: text(4, "later") }]);
    expect(q(".pywebio-popup-body", document.body).textContent).toBe("insidelater");
  });

  it("Escape closes it when implicit_close, and not otherwise", () => {
    show([popup(false)]);
    const pressEscape = () =>
      q('[role="dialog"]', document.body).dispatchEvent(
        new KeyboardEvent("keydown", { key: "Escape", bubbles: true }),
      );
    pressEscape();
    expect(sent).toEqual([]);
    show([popup(true)]);
    pressEscape();
    expect(sent).toEqual([{ kind: "callback", cb: 50, value: null }]);
  });

  it("a remove command or a detached view takes the dialog away", () => {
    show([popup(true)]);
    batch([{ op: "remove", id: 2 }]);
    expect(document.body.querySelector('[role="dialog"]')).toBeNull();
    show([popup(true)]);
    doc.detach(view);
    expect(document.body.querySelector(".pywebio-overlay")).toBeNull();
  });
});

describe("toasts", () => {
  it("stack by position and report their end", () => {
    vi.useFakeTimers();
    show([
      {
        id: 2,
        type: "toast",
        text: "one",
        duration: 1000,
        position: "right",
        color: "success",
        close: 60,
      },
      {
        id: 3,
        type: "toast",
        text: "two",
        duration: 0,
        position: "right",
        color: "#123456",
        close: 61,
      },
    ]);
    const stack = q(".pywebio-toasts-right", document.body);
    expect(stack.children.length).toBe(2);
    expect(stack.children[0].getAttribute("role")).toBe("status");
    expect((stack.children[1] as HTMLElement).style.getPropertyValue("--pw-toast")).toBe("#123456");
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([{ kind: "callback", cb: 60, value: null }]);
    expect(stack.children.length).toBe(1);
    q<HTMLButtonElement>('button[aria-label="Close"]', stack).click();
    expect(sent[sent.length - 1]).toEqual({ kind: "callback", cb: 61, value: null });
  });

  it("a clickable toast sends its onclick callback", () => {
    show([
      {
        id: 2,
        type: "toast",
        text: "click",
        duration: 0,
        position: "left",
        color: "info",
        close: 60,
        cb: 62,
      },
    ]);
    q(".pywebio-toast", document.body).click();
    expect(sent).toEqual([{ kind: "callback", cb: 62, value: null }]);
  });
});

describe("datatable", () => {
  const table: NodeSpec = {
    id: 2,
    type: "datatable",
    columns: [
      { field: "n", header: "N" },
      { field: "name", header: "Name", width: 200 },
    ],
    total: 1_000_000,
    version: 0,
    height: "300px",
    multiple: false,
    actions: ["Delete", null],
    cb: 9,
  };

  it("asks for the first window only, then draws the rows it gets", async () => {
    show([table]);
    expect(sent).toEqual([{ kind: "rows", id: 2, start: 0, count: 100 }]);
    const grid = q('[role="grid"]');
    expect(grid.getAttribute("aria-rowcount")).toBe("1000001");
    batch([
      {
        op: "rows",
        id: 2,
        start: 0,
        total: 1_000_000,
        version: 0,
        keys: [0, 1],
        rows: [
          [0, "zero"],
          [1, "one"],
        ],
      },
    ]);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const cells = Array.from(el.querySelectorAll('[role="gridcell"]')).map((c) => c.textContent);
    expect(cells.slice(0, 4)).toEqual(["0", "zero", "1", "one"]);
    expect(el.querySelectorAll('[role="row"]').length).toBeLessThan(100);
  });

  it("selecting a row sends its key; actions act on the selection", async () => {
    show([table]);
    batch([
      {
        op: "rows",
        id: 2,
        start: 0,
        total: 2,
        version: 0,
        keys: ["a", "b"],
        rows: [
          [0, "x"],
          [1, "y"],
        ],
      },
    ]);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    sent = [];
    q('[aria-rowindex="3"] [role="gridcell"]').click();
    expect(sent).toEqual([{ kind: "callback", cb: 9, value: { select: ["b"] } }]);
    q<HTMLButtonElement>(".pywebio-datatable-toolbar button").click();
    expect(sent[sent.length - 1]).toEqual({
      kind: "callback",
      cb: 9,
      value: { action: 0, select: ["b"] },
    });
  });

  it("rows_changed drops cached rows and asks again; stale windows are ignored", async () => {
    show([table]);
    batch([{ op: "rows", id: 2, start: 0, total: 1, version: 0, keys: [0], rows: [[0, "old"]] }]);
    sent = [];
    batch([{ op: "rows_changed", id: 2, total: 1, version: 1 }]);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(sent).toEqual([{ kind: "rows", id: 2, start: 0, count: 100 }]);
    batch([{ op: "rows", id: 2, start: 0, total: 1, version: 0, keys: [0], rows: [[0, "stale"]] }]);
    batch([{ op: "rows", id: 2, start: 0, total: 1, version: 1, keys: [0], rows: [[0, "new"]] }]);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(el.textContent).toContain("new");
    expect(el.textContent).not.toContain("stale");
  });
});

describe("datatable height", () => {
  it("'auto' fits every row", () => {
    show([
      {
        id: 2,
        type: "datatable",
        columns: [{ field: "n", header: "N" }],
        total: 4,
        version: 0,
        height: "auto",
        multiple: false,
        actions: [],
        cb: 9,
      },
    ]);
    expect(q('[role="grid"]').style.height).toBe(`${5 * 30 + 2}px`);
  });
});
