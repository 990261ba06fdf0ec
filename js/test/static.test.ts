// The renderer's static mode (src/static.ts) and the self-contained page script (static-page.ts).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NodeSpec } from "../src/protocol";
import {
  isSavedOutput,
  KERNEL_GONE,
  readSaved,
  renderSaved,
  SAVED_GZIP,
  SAVED_MIME,
} from "../src/static";

let el: HTMLElement;

function saved(children: NodeSpec[], rows: Record<string, unknown> = {}): unknown {
  return {
    v: 1,
    snapshot: { kind: "snapshot", v: 1, seq: 3, root: { id: 1, type: "scope", children } },
    rows,
  };
}

const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

beforeEach(() => {
  el = document.createElement("div");
  document.body.replaceChildren(el);
});

afterEach(() => document.body.replaceChildren());

describe("renderSaved", () => {
  it("draws the saved tree with the same renderers, and says the kernel is gone", () => {
    const shown = renderSaved(
      el,
      saved([
        { id: 2, type: "text", text: "hello" },
        { id: 3, type: "table", rows: [[{ text: "a" }, { text: "b" }]] },
        { id: 4, type: "progressbar", name: "p", value: 0.5 },
      ]),
    );
    expect(shown).toBeDefined();
    expect(el.textContent).toContain("hello");
    expect(el.querySelector("table")).not.toBeNull();
    expect(el.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow")).toBeTruthy();
    expect(el.querySelector('[role="note"]')?.textContent).toBe(KERNEL_GONE);
  });

  it("shows the note the saved copy carries", () => {
    const data = saved([{ id: 2, type: "text", text: "x" }]) as Record<string, unknown>;
    renderSaved(el, { ...data, note: "Saved page." });
    expect(el.querySelector('[role="note"]')?.textContent).toBe("Saved page.");
  });

  it("leaves buttons visibly inert: disabled, titled with the hint, clicks go nowhere", () => {
    renderSaved(el, saved([{ id: 2, type: "buttons", cb: 7, buttons: [{ label: "Go" }] }]));
    const button = el.querySelector("button");
    expect(button?.textContent).toBe("Go");
    expect(button?.disabled).toBe(true);
    expect(button?.title).toBe(KERNEL_GONE);
  });

  it("unhooks clickable outputs", () => {
    renderSaved(el, saved([{ id: 2, type: "text", text: "click me", click: 4 }]));
    const clickable = el.querySelector<HTMLElement>(".pywebio-clickable");
    expect(clickable?.getAttribute("aria-disabled")).toBe("true");
    expect(clickable?.hasAttribute("tabindex")).toBe(false);
    expect(clickable?.onclick).toBeNull();
  });

  it("keeps collapses as they were and lets them open (reading is not an action)", () => {
    renderSaved(
      el,
      saved([
        {
          id: 2,
          type: "collapse",
          title: "Shut",
          open: false,
          children: [{ id: 3, type: "text", text: "inside" }],
        },
        { id: 4, type: "collapse", title: "Open", open: true, children: [] },
      ]),
    );
    const [shut, open] = Array.from(el.querySelectorAll("details"));
    expect(shut.open).toBe(false);
    expect(open.open).toBe(true);
    expect(shut.textContent).toContain("inside");
  });

  it("shows a datatable's saved rows and nothing asks a kernel", async () => {
    const table: NodeSpec = {
      id: 2,
      type: "datatable",
      columns: [{ field: "n", header: "N" }],
      total: 3,
      version: 0,
      height: "auto",
      multiple: false,
      actions: [],
      cb: 9,
    };
    const window = {
      op: "rows",
      id: 2,
      start: 0,
      total: 3,
      version: 0,
      keys: [0, 1, 2],
      rows: [["r0"], ["r1"], ["r2"]],
    };
    renderSaved(el, saved([table], { "2": window }));
    await Promise.resolve();
    await frame();
    const cells = Array.from(el.querySelectorAll('[role="gridcell"]')).map((c) => c.textContent);
    expect(cells).toEqual(["r0", "r1", "r2"]);
  });

  it("leaves out toasts and popups, which would cover the page", () => {
    renderSaved(
      el,
      saved([
        { id: 2, type: "toast", text: "hi", duration: 0 },
        { id: 3, type: "text", text: "kept" },
      ]),
    );
    expect(el.textContent).toContain("kept");
    expect(document.querySelector(".pywebio-overlay")).toBeNull();
  });

  it("shows an answered form as its answers", () => {
    renderSaved(
      el,
      saved([
        {
          id: -5,
          type: "answered",
          label: "",
          fields: [
            { label: "Your name", value: "Ada" },
            { label: "Password", value: "••••••" },
          ],
        },
      ]),
    );
    const group = el.querySelector('[role="group"]');
    expect(group?.getAttribute("aria-label")).toBe("Answered form");
    expect(Array.from(el.querySelectorAll("dt, dd")).map((e) => e.textContent)).toEqual([
      "Your name",
      "Ada",
      "Password",
      "••••••",
    ]);
  });

  it("shows only a datatable's saved rows and says how many more there were", async () => {
    const table: NodeSpec = {
      id: 2,
      type: "datatable",
      columns: [{ field: "n", header: "N" }],
      total: 1002,
      version: 0,
      height: "auto",
      multiple: false,
      actions: [],
      cb: 9,
    };
    const window = {
      op: "rows",
      id: 2,
      start: 0,
      total: 1002,
      version: 0,
      keys: [0, 1],
      rows: [["a"], ["b"]],
    };
    renderSaved(el, saved([table], { "2": window }));
    await Promise.resolve();
    await frame();
    expect(el.querySelector('[role="grid"]')?.getAttribute("aria-rowcount")).toBe("3");
    expect(el.textContent).toContain("1,000 more rows were not saved with this copy.");
  });

  it("refuses what is not a saved output of this version", () => {
    expect(isSavedOutput({ v: 2, snapshot: {} })).toBe(false);
    expect(renderSaved(el, { v: 1, snapshot: "x" })).toBeUndefined();
    expect(el.childElementCount).toBe(0);
  });
});

describe("readSaved", () => {
  it("reads saved data as JSON, or gzipped in base64", async () => {
    const { gzipSync } = await import("node:zlib");
    const data = saved([{ id: 2, type: "text", text: "packed" }]);
    const box = document.createElement("div");
    const script = document.createElement("script");
    script.type = SAVED_GZIP;
    script.textContent = gzipSync(JSON.stringify(data)).toString("base64");
    box.append(script);
    expect(await readSaved(box)).toEqual(data);
    script.textContent = "not base64 gzip";
    expect(await readSaved(box)).toBeUndefined();
  });
});

describe("static-page", () => {
  it("draws every saved output of the page in place of its plain fallback", async () => {
    (globalThis as Record<string, unknown>).__PYWEBIO_NB_STATIC_KEY__ = "__pw_test";
    (globalThis as Record<string, unknown>).__PYWEBIO_NB_CSS__ = ".pywebio-root{}";
    const box = document.createElement("div");
    const fallback = document.createElement("pre");
    fallback.className = "pywebio-saved-fallback";
    fallback.textContent = "hello (plain)";
    const data = document.createElement("script");
    data.type = SAVED_MIME;
    data.textContent = JSON.stringify(saved([{ id: 2, type: "text", text: "hello" }]));
    box.append(fallback, data);
    document.body.append(box);
    (globalThis as Record<string, unknown>).__pw_test = { queue: [box] };
    await import("../src/static-page");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(box.querySelector(".pywebio-saved-fallback")).toBeNull();
    expect(box.textContent).toContain("hello");
    expect(document.getElementById("__pw_test-style")).not.toBeNull();
  });
});
