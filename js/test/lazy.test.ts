// @vitest-environment jsdom
// Renderers whose module arrives later (standalone pages load markdown, highlighting, DOMPurify,
// Mustache and the code editor on first use): a placeholder at once, filled in place later.
// This file does not import eager.ts, so the modules load as on the standalone page.

import { beforeEach, describe, expect, it, vi } from "vitest";
import { DocumentModel } from "../src/document";
import type * as Editor from "../src/forms/code";
import { editor, highlight, markdown, purify, template } from "../src/lazy";
import "../src/outputs/index";
import type { BrowserEvent, NodeSpec } from "../src/protocol";

let sent: BrowserEvent[];
let doc: DocumentModel;
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

const PYTHON = { language: "python", theme: "light" };

/** Lets resolved imports and the renderers' `then` callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  sent = [];
  seq = 0;
  el = document.createElement("div");
  document.body.replaceChildren(el);
  doc = new DocumentModel((event) => sent.push(event));
  doc.attach(el);
});

describe("outputs whose module loads on first use", () => {
  it("markdown shows its source as text, then the rendered HTML", async () => {
    expect(markdown.now).toBeUndefined();
    show([{ id: 2, type: "markdown", md: "# Title <img src=x onerror=alert(1)>" }]);
    const box = el.querySelector<HTMLElement>(".pywebio-markdown")!;
    expect(box.getAttribute("aria-busy")).toBe("true");
    expect(box.textContent).toBe("# Title <img src=x onerror=alert(1)>");
    expect(box.querySelector("img")).toBeNull();
    await markdown.load();
    await settle();
    expect(box.hasAttribute("aria-busy")).toBe(false);
    expect(box.querySelector("h1")?.textContent).toContain("Title");
    expect(box.querySelector("img")?.getAttribute("onerror")).toBeNull();
    // Once here, the module renders synchronously.
    show([{ id: 3, type: "markdown", md: "*em*" }]);
    expect(el.querySelector(".pywebio-markdown em")?.textContent).toBe("em");
  });

  it("code is plain text, then highlighted; sanitized html fills in later", async () => {
    show([
      { id: 2, type: "code", code: "def f(): pass", language: "python" },
      { id: 3, type: "html", html: "<b>bold</b><script>alert(1)</script>", sanitize: true },
    ]);
    expect(el.querySelector(".pywebio-code code")?.textContent).toBe("def f(): pass");
    const html = el.querySelector<HTMLElement>(".pywebio-html")!;
    expect(html.childNodes.length).toBe(0);
    await Promise.all([highlight.load(), purify.load()]);
    await settle();
    expect(el.querySelector(".pywebio-code code.language-python span")).not.toBeNull();
    expect(html.innerHTML).toBe("<b>bold</b>");
  });

  it("a widget removed before Mustache arrived stays empty and registers nothing", async () => {
    const nested: NodeSpec = { id: 4, type: "text", text: "inner" };
    const tpl = "<i>{{#c}}{{& pywebio_output_parse}}{{/c}}</i>";
    show([
      { id: 2, type: "widget", template: tpl, data: { c: nested } },
      { id: 3, type: "widget", template: tpl, data: { c: { id: 5, type: "text", text: "kept" } } },
    ]);
    const removed = el.querySelector<HTMLElement>('[data-pwid="2"]')!;
    batch([{ op: "remove", id: 2 }]);
    const error = vi.spyOn(console, "error");
    await template.load();
    await settle();
    expect(error).not.toHaveBeenCalled();
    error.mockRestore();
    expect(removed.childNodes.length).toBe(0);
    const view = [...doc.views][0];
    expect(view.elements.has(4)).toBe(false);
    expect(el.querySelector('[data-pwid="5"]')?.textContent).toBe("kept");
  });

  // (before the next test, which makes the editor module stay loaded)
  it("a code field whose editor never loads still works as a textarea", async () => {
    editor.loadWith(() => Promise.reject(new Error("offline")));
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    show([{ id: 2, type: "pin", input: "textarea", name: "src", value: "", code: PYTHON }]);
    await settle();
    error.mockRestore();
    const area = el.querySelector<HTMLTextAreaElement>("textarea.pywebio-code-fallback")!;
    batch([{ op: "update", id: 2, attrs: { value: "set by Python" } }]);
    expect(area.value).toBe("set by Python");
  });
  it("a code field is a textarea until the editor arrives, then keeps what was typed", async () => {
    let deliver: (module: typeof Editor) => void = () => undefined;
    editor.loadWith(() => new Promise((resolve) => (deliver = resolve)));
    show([{ id: 2, type: "pin", input: "textarea", name: "src", value: "x = 1", code: PYTHON }]);
    const area = el.querySelector<HTMLTextAreaElement>("textarea.pywebio-code-fallback")!;
    expect(area.value).toBe("x = 1");
    area.value = "x = 2";
    area.dispatchEvent(new Event("input"));
    expect(sent[sent.length - 1]).toEqual({
      kind: "input",
      id: 2,
      event: "change",
      value: "x = 2",
    });
    let changed: ((text: string) => void) | undefined;
    deliver({
      createCodeEditor: (options) => {
        const box = document.createElement("div");
        box.className = "fake-editor";
        box.textContent = options.value;
        changed = options.onChange;
        return {
          el: box,
          content: box,
          getValue: () => box.textContent ?? "",
          setValue: (text) => (box.textContent = text),
          setReadonly: () => undefined,
          focus: () => undefined,
        };
      },
    } as typeof Editor);
    await settle();
    expect(el.querySelector("textarea")).toBeNull();
    expect(el.querySelector(".fake-editor")?.textContent).toBe("x = 2");
    changed?.("x = 3");
    expect(sent[sent.length - 1]).toEqual({
      kind: "input",
      id: 2,
      event: "change",
      value: "x = 3",
    });
  });
});

describe("the notebook's editor request", () => {
  it("goes to the kernel once per page while an answer may still come", async () => {
    const { requestEditor, receiveAsset } = await import("../src/editor-asset");
    const events: unknown[] = [];
    const first = requestEditor((event) => events.push(event));
    const second = requestEditor((event) => events.push(event));
    expect(first).toBe(second);
    expect(events).toEqual([{ kind: "asset", name: "editor" }]);
    // Only an answer named "editor" is taken, and only the first one.
    receiveAsset("../widget", new ArrayBuffer(1));
    receiveAsset("editor", undefined);
    const key = Object.keys(globalThis).find((name) => name.startsWith("__pywebio_nb_editor_"))!;
    expect((globalThis as unknown as Record<string, { received: boolean }>)[key].received).toBe(
      false,
    );
  });
});
