// @vitest-environment jsdom
// (jsdom: happy-dom reports a fragment's insertion as one mutation record per node)
import { beforeEach, expect, it, vi } from "vitest";
import { DocumentModel } from "../src/document";
import "../src/outputs/index";

let doc: DocumentModel;
let el: HTMLElement;

beforeEach(() => {
  doc = new DocumentModel(() => undefined);
  el = document.createElement("div");
  document.body.replaceChildren(el);
  doc.attach(el);
  doc.offerSnapshot({
    kind: "snapshot",
    v: 1,
    seq: 1,
    root: { id: 1, type: "scope", name: "ROOT", children: [{ id: 2, type: "text", text: "a" }] },
  });
  vi.spyOn(console, "error").mockImplementation(() => undefined);
});

function childListRecords(target: Node, act: () => void): MutationRecord[] {
  const observer = new MutationObserver(() => undefined);
  observer.observe(target, { childList: true, subtree: true });
  act();
  const records = observer.takeRecords();
  observer.disconnect();
  return records;
}

it("a batch's puts at the end of a scope enter the page in one insertion", () => {
  const root = el.querySelector('[data-pwid="1"]')!;
  const puts = Array.from({ length: 50 }, (_, i) => ({
    op: "put",
    parent: 1,
    index: 1 + i,
    node: { id: 100 + i, type: "text", text: `line ${i}` },
  }));
  const records = childListRecords(root, () => doc.receiveBatch(2, puts));
  expect(records.length).toBe(1);
  expect(records[0].addedNodes.length).toBe(50);
  expect(root.lastElementChild?.textContent).toBe("line 49");
});

it("a scope put in a batch is filled before it enters the page", () => {
  const root = el.querySelector('[data-pwid="1"]')!;
  const records = childListRecords(root, () =>
    doc.receiveBatch(2, [
      { op: "put", parent: 1, index: 1, node: { id: 3, type: "scope", name: "s", children: [] } },
      { op: "put", parent: 3, index: 0, node: { id: 4, type: "text", text: "in s" } },
      { op: "put", parent: 1, index: 2, node: { id: 5, type: "text", text: "after" } },
    ]),
  );
  expect(records.length).toBe(1);
  expect(el.querySelector('[data-pwid="3"]')?.textContent).toBe("in s");
  expect(root.lastElementChild?.textContent).toBe("after");
  expect(console.error).not.toHaveBeenCalled();
});
