import { beforeEach, describe, expect, it, vi } from "vitest";
import { DocumentModel, type View } from "../src/document";
import "../src/eager";
import "../src/outputs/index";
import type { BrowserEvent, NodeSpec, SnapshotMessage } from "../src/protocol";
import { fixture } from "./fixtures";

let sent: BrowserEvent[];
let doc: DocumentModel;
let view: View;
let el: HTMLElement;

function snapshot(seq: number, children: NodeSpec[]): SnapshotMessage {
  return { kind: "snapshot", v: 1, seq, root: { id: 1, type: "scope", name: "ROOT", children } };
}

function q(selector: string): HTMLElement {
  const found = el.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

function texts(): string[] {
  return Array.from(el.querySelectorAll(".pywebio-text")).map((node) => node.textContent ?? "");
}

beforeEach(() => {
  sent = [];
  doc = new DocumentModel((event) => sent.push(event));
  el = document.createElement("div");
  document.body.replaceChildren(el);
  view = doc.attach(el);
  vi.spyOn(console, "error").mockImplementation(() => undefined);
});

describe("snapshot", () => {
  it("renders the fixture snapshot", () => {
    doc.offerSnapshot(fixture("snapshot.json"));
    expect(doc.seq).toBe(3);
    const hello = q('[data-pwid="2"]');
    expect(hello.tagName).toBe("P");
    expect(hello.textContent).toBe("Hello <b>world</b>");
    expect(hello.querySelector("b")).toBeNull();
    expect(hello.getAttribute("style")).toContain("color: red");
    expect(q('[data-scope="results"]').classList.contains("pywebio-scope")).toBe(true);
    const headers = Array.from(el.querySelectorAll("th")).map((th) => th.textContent);
    expect(headers).toEqual(["Name", "Score"]);
    expect((el.querySelector("th") as HTMLTableCellElement).colSpan).toBe(2);
    const cells = Array.from(el.querySelectorAll("td")).map((td) => td.textContent);
    expect(cells).toEqual(["Ada", "36", "Bob", "n/a", "", "x"]);
    expect(q('[data-pwid="4"]').classList.contains("pywebio-clickable")).toBe(true);
    expect(el.querySelector("td .pywebio-empty")).not.toBeNull();
    expect(q("pre.pywebio-stream").textContent).toBe("printed\n");
  });

  it("ignores an older snapshot and one of another version", () => {
    doc.offerSnapshot(snapshot(5, [{ id: 2, type: "text", text: "new" }]));
    doc.offerSnapshot(snapshot(4, [{ id: 2, type: "text", text: "old" }]));
    doc.offerSnapshot({ ...snapshot(9, [{ id: 2, type: "text", text: "v2" }]), v: 2 });
    expect(texts()).toEqual(["new"]);
    expect(doc.seq).toBe(5);
  });

  it("a view attached later shows the same document", () => {
    doc.offerSnapshot(snapshot(1, [{ id: 2, type: "text", text: "shared" }]));
    const other = document.createElement("div");
    doc.attach(other);
    doc.receiveBatch(2, [
      { op: "put", parent: 1, index: 1, node: { id: 3, type: "text", text: "both" } },
    ]);
    expect(Array.from(other.querySelectorAll(".pywebio-text")).map((n) => n.textContent)).toEqual([
      "shared",
      "both",
    ]);
    expect(texts()).toEqual(["shared", "both"]);
  });

  it("a detached view stops updating", () => {
    doc.offerSnapshot(snapshot(1, []));
    doc.detach(view);
    doc.receiveBatch(2, [
      { op: "put", parent: 1, index: 0, node: { id: 2, type: "text", text: "x" } },
    ]);
    expect(el.children.length).toBe(0);
  });
});

describe("commands", () => {
  beforeEach(() => {
    doc.offerSnapshot(
      snapshot(1, [
        { id: 2, type: "text", text: "a" },
        { id: 3, type: "scope", name: "box", children: [{ id: 4, type: "text", text: "in box" }] },
        { id: 5, type: "stream", name: "stdout", text: "out:" },
      ]),
    );
  });

  it("put inserts at the index, in the root and in scopes", () => {
    doc.receiveBatch(2, [
      { op: "put", parent: 1, index: 0, node: { id: 6, type: "text", text: "first" } },
      { op: "put", parent: 3, index: 1, node: { id: 7, type: "text", text: "box end" } },
      { op: "put", parent: 3, index: 0, node: { id: 8, type: "text", text: "box start" } },
    ]);
    expect(texts()).toEqual(["first", "a", "box start", "in box", "box end"]);
    expect(q('[data-scope="box"]').children.length).toBe(3);
  });

  it("put of a scope with children registers it as a container", () => {
    doc.receiveBatch(2, [fixture("command-put.json")]);
    // (markdown's HTML is checked in xss.test.ts under jsdom: DOMPurify does not support happy-dom)
    expect(q('[data-pwid="12"] [data-pwid="11"]').textContent).toContain("Title");
    const putInto = {
      op: "put",
      parent: 12,
      index: 1,
      node: { id: 20, type: "text", text: "later" },
    };
    doc.receiveBatch(3, [putInto]);
    expect(q('[data-pwid="12"]').lastElementChild?.textContent).toBe("later");
  });

  it("remove takes a node and its subtree away", () => {
    doc.receiveBatch(2, [{ op: "remove", id: 3 }]);
    expect(texts()).toEqual(["a"]);
    expect(el.querySelector('[data-scope="box"]')).toBeNull();
    // later commands about removed nodes are ignored
    doc.receiveBatch(3, [
      { op: "put", parent: 3, index: 0, node: { id: 9, type: "text", text: "x" } },
    ]);
    expect(texts()).toEqual(["a"]);
  });

  it("clear empties a scope and keeps it usable", () => {
    doc.receiveBatch(2, [
      { op: "clear", id: 3 },
      { op: "put", parent: 3, index: 0, node: { id: 9, type: "text", text: "fresh" } },
    ]);
    expect(texts()).toEqual(["a", "fresh"]);
  });

  it("update restyles and makes clickable", () => {
    doc.receiveBatch(2, [
      { op: "update", id: 2, attrs: { style: "color: red" } },
      { op: "update", id: 2, attrs: { style: "color: blue", click: 42 } },
    ]);
    const a = q('[data-pwid="2"]');
    expect(a.getAttribute("style")).toBe("color: blue");
    a.click();
    expect(sent).toEqual([{ kind: "callback", cb: 42, value: null }]);
  });

  it("append adds text to a stream", () => {
    doc.receiveBatch(
      2,
      [fixture("command-append.json")].map((c) => ({ ...(c as object), id: 5 })),
    );
    expect(q('[data-pwid="5"]').textContent).toBe("out:line\n");
  });

  it("scroll scrolls the node into view", () => {
    const scrolled: unknown[] = [];
    const box = q('[data-pwid="3"]');
    box.scrollIntoView = (options?: boolean | ScrollIntoViewOptions) => {
      scrolled.push(options);
    };
    doc.receiveBatch(2, [{ op: "scroll", id: 3, position: "middle" }]);
    expect(scrolled).toEqual([{ block: "center", behavior: "smooth" }]);
  });

  it("a batch mixing end puts with other commands keeps their order", () => {
    const text = (id: number, value: string) => ({ id, type: "text", text: value });
    doc.receiveBatch(2, [
      { op: "put", parent: 1, index: 3, node: text(10, "e1") },
      { op: "put", parent: 1, index: 4, node: text(11, "e2") },
      { op: "put", parent: 3, index: 1, node: text(12, "box end") },
      { op: "put", parent: 1, index: 0, node: text(13, "top") },
      { op: "put", parent: 1, index: 6, node: { id: 14, type: "scope", name: "s", children: [] } },
      { op: "put", parent: 14, index: 0, node: text(15, "in s") },
      { op: "put", parent: 1, index: 7, node: text(16, "e3") },
      { op: "update", id: 16, attrs: { style: "color: red" } },
      { op: "remove", id: 11 },
      { op: "put", parent: 1, index: 6, node: text(17, "e4") },
    ]);
    expect(texts()).toEqual(["top", "a", "in box", "box end", "e1", "in s", "e4", "e3"]);
    expect(q('[data-pwid="16"]').getAttribute("style")).toContain("color: red");
    expect(q('[data-pwid="14"]').textContent).toBe("in s");
    expect(console.error).not.toHaveBeenCalled();
  });

  it("applies the fixture batch without errors", () => {
    doc.offerSnapshot(fixture("snapshot.json"));
    doc.receiveBatch(4, fixture("batch-commands.json"));
    expect(doc.seq).toBe(4);
    expect(el.querySelector('[data-scope="results"]')?.children.length).toBe(0);
    expect(q('[data-pwid="8"]').textContent).toBe("printed\nmore\n");
    expect(q('[data-pwid="2"]').getAttribute("style")).toContain("font-weight: bold");
    expect(console.error).not.toHaveBeenCalled();
  });
});

describe("buttons", () => {
  it("send the callback id and the button index, never a value", () => {
    doc.offerSnapshot(fixture("snapshot.json"));
    const buttons = Array.from(el.querySelectorAll<HTMLButtonElement>("button.pywebio-button"));
    expect(buttons.map((b) => b.textContent)).toEqual(["Go", "Stop"]);
    expect(buttons[0].classList.contains("pywebio-button-success")).toBe(true);
    expect(buttons[0].classList.contains("pywebio-button-small")).toBe(true);
    expect(buttons[1].disabled).toBe(true);
    buttons[0].click();
    expect(sent).toEqual([{ kind: "callback", cb: 6, value: 0 }]);
  });

  it("each button reports its own index", () => {
    doc.offerSnapshot(
      snapshot(1, [
        {
          id: 2,
          type: "buttons",
          cb: 7,
          buttons: [{ label: "A" }, { label: "B" }, { label: "C" }],
        },
      ]),
    );
    const buttons = el.querySelectorAll<HTMLButtonElement>("button");
    buttons[2].click();
    buttons[1].click();
    expect(sent).toEqual([
      { kind: "callback", cb: 7, value: 2 },
      { kind: "callback", cb: 7, value: 1 },
    ]);
  });
});

describe("batch ordering", () => {
  it("a gap requests a sync once; batches after the snapshot are applied", () => {
    doc.offerSnapshot(snapshot(1, [{ id: 2, type: "text", text: "a" }]));
    doc.receiveBatch(3, [
      { op: "put", parent: 1, index: 9, node: { id: 4, type: "text", text: "c" } },
    ]);
    doc.receiveBatch(4, [
      { op: "put", parent: 1, index: 9, node: { id: 5, type: "text", text: "d" } },
    ]);
    expect(sent).toEqual([{ kind: "sync", seq: 1 }]);
    expect(texts()).toEqual(["a"]);
    // the snapshot includes batch 2; batches 3 and 4 follow it
    doc.offerSnapshot(
      snapshot(2, [
        { id: 2, type: "text", text: "a" },
        { id: 3, type: "text", text: "b" },
      ]),
    );
    expect(texts()).toEqual(["a", "b", "c", "d"]);
    expect(doc.seq).toBe(4);
  });

  it("early batches already in the snapshot are dropped", () => {
    doc.offerSnapshot(snapshot(1, []));
    doc.receiveBatch(3, [
      { op: "put", parent: 1, index: 0, node: { id: 4, type: "text", text: "c" } },
    ]);
    doc.offerSnapshot(snapshot(3, [{ id: 4, type: "text", text: "c" }]));
    expect(texts()).toEqual(["c"]);
    doc.receiveBatch(4, [
      { op: "put", parent: 1, index: 1, node: { id: 5, type: "text", text: "d" } },
    ]);
    expect(texts()).toEqual(["c", "d"]);
  });

  it("an old or repeated batch is ignored", () => {
    doc.offerSnapshot(snapshot(2, [{ id: 2, type: "text", text: "a" }]));
    doc.receiveBatch(2, [{ op: "remove", id: 2 }]);
    doc.receiveBatch(1, [{ op: "remove", id: 2 }]);
    expect(texts()).toEqual(["a"]);
    expect(sent).toEqual([]);
  });

  it("a batch arriving before any snapshot waits for it", () => {
    doc.receiveBatch(1, [
      { op: "put", parent: 1, index: 0, node: { id: 2, type: "text", text: "x" } },
    ]);
    expect(sent).toEqual([{ kind: "sync", seq: -1 }]);
    doc.offerSnapshot(snapshot(0, []));
    expect(texts()).toEqual(["x"]);
  });
});

describe("malformed input", () => {
  beforeEach(() => {
    doc.offerSnapshot(snapshot(1, [{ id: 2, type: "text", text: "a" }]));
  });

  it("bad commands are skipped, good ones in the same batch applied", () => {
    const commands: unknown[] = [
      null,
      7,
      "put",
      { op: "explode", id: 2 },
      { op: "put", parent: 1, index: 0 },
      { op: "put", parent: 99, index: 0, node: { id: 3, type: "text", text: "orphan" } },
      { op: "put", parent: 2, index: 0, node: { id: 3, type: "text", text: "into a leaf" } },
      { op: "remove", id: 999 },
      { op: "clear", id: 2 },
      { op: "update", id: 999, attrs: { style: "x" } },
      { op: "update", id: 2 },
      { op: "append", id: 999, text: "x" },
      { op: "scroll", id: 999, position: "top" },
      { op: "put", parent: 1, index: 1, node: { id: 4, type: "no-such-type" } },
      { op: "put", parent: 1, index: 2, node: { id: 5, type: "text", text: "good" } },
    ];
    expect(() => doc.receiveBatch(2, commands)).not.toThrow();
    expect(texts()).toEqual(["a", "good"]);
    expect(q('[data-pwid="4"]').textContent).toContain("unknown output type");
    expect(doc.seq).toBe(2);
  });

  it("a batch that is not a list and a broken snapshot are ignored", () => {
    expect(() => doc.receiveBatch(2, { op: "remove", id: 2 })).not.toThrow();
    expect(() => doc.offerSnapshot({ kind: "snapshot", seq: 9 })).not.toThrow();
    expect(() => doc.offerSnapshot(undefined)).not.toThrow();
    expect(texts()).toEqual(["a"]);
  });

  it("a renderer that throws shows a notice instead", () => {
    const rows = {
      length: 1,
      forEach: () => {
        throw new Error("boom");
      },
    };
    const bad = { op: "put", parent: 1, index: 1, node: { id: 3, type: "text", text: "ok" } };
    doc.receiveBatch(2, [
      { op: "put", parent: 1, index: 1, node: { id: 6, type: "table", rows, span: {} } },
      bad,
    ]);
    expect(texts()).toEqual(["a", "ok"]);
  });
});

describe("probe after loading", () => {
  it("asks for a snapshot only when no batch arrived at all", () => {
    doc.offerSnapshot(snapshot(0, []));
    doc.probe();
    expect(sent).toEqual([{ kind: "sync", seq: 0 }]);
  });

  it("stays quiet once batches flow (in-flight batches are not a loss)", () => {
    doc.offerSnapshot(snapshot(0, []));
    doc.receiveBatch(1, [
      { op: "put", parent: 1, index: 0, node: { id: 2, type: "text", text: "a" } },
    ]);
    doc.probe();
    expect(sent).toEqual([]);
    expect(texts()).toEqual(["a"]);
  });
});
