import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../src/protocol";
import { isCommand, isNode, isSnapshot } from "../src/protocol-guards";
import type { AssetEvent, AssetMessage, Command } from "../src/protocol";
import { fixture, fixtures } from "./fixtures";

const OPS = [
  "put",
  "remove",
  "clear",
  "scroll",
  "update",
  "append",
  "progress",
  "rows",
  "rows_changed",
];

describe("protocol fixtures", () => {
  it("are all loaded", () => {
    expect(Object.keys(fixtures).sort()).toEqual(
      [
        "asset.json",
        "batch-commands.json",
        "batch.json",
        "command-append.json",
        "command-clear.json",
        "command-progress.json",
        "command-put.json",
        "command-remove.json",
        "command-rows.json",
        "command-rows_changed.json",
        "command-scroll.json",
        "command-update.json",
        "event-callback.json",
        "event-sync.json",
        "event-js_result.json",
        "event-rows.json",
        "event-input.json",
        "event-asset.json",
        "frame-event-chunk.json",
        "page-download.json",
        "page-ended.json",
        "page-env.json",
        "page-error.json",
        "page-eval_js.json",
        "page-go_app.json",
        "page-hello.json",
        "page-run_js.json",
        "resync.json",
        "snapshot.json",
        "synced.json",
      ].sort(),
    );
  });

  it("snapshot passes isSnapshot and its nodes pass isNode", () => {
    const snapshot = fixture("snapshot.json");
    expect(isSnapshot(snapshot)).toBe(true);
    const root = (snapshot as { root: { children: unknown[] } }).root;
    expect(isNode(root)).toBe(true);
    for (const child of root.children) expect(isNode(child)).toBe(true);
    expect((snapshot as { v: number }).v).toBe(PROTOCOL_VERSION);
  });

  it.each(OPS)("command-%s.json is a command with that op", (op) => {
    const command = fixture(`command-${op}.json`);
    expect(isCommand(command)).toBe(true);
    expect((command as Command).op).toBe(op);
  });

  it("the batch commands are all commands and cover every op", () => {
    const commands = fixture<unknown[]>("batch-commands.json");
    expect(commands.every(isCommand)).toBe(true);
    expect(new Set(commands.map((c) => (c as Command).op))).toEqual(new Set(OPS));
  });

  it("the batch header and resync carry their kind", () => {
    expect(fixture("batch.json")).toMatchObject({ kind: "batch", v: PROTOCOL_VERSION });
    expect(fixture("resync.json")).toEqual({ kind: "resync" });
  });

  it("events have the shapes the renderer sends", () => {
    const callback = fixture<Record<string, unknown>>("event-callback.json");
    expect(callback.kind).toBe("callback");
    expect(typeof callback.cb).toBe("number");
    const sync = fixture<Record<string, unknown>>("event-sync.json");
    expect(sync.kind).toBe("sync");
    expect(typeof sync.seq).toBe("number");
    const rows = fixture<Record<string, unknown>>("event-rows.json");
    expect(rows.kind).toBe("rows");
    for (const key of ["id", "start", "count"]) expect(typeof rows[key]).toBe("number");
    const input = fixture<Record<string, unknown>>("event-input.json");
    expect(input.kind).toBe("input");
    expect(typeof input.id).toBe("number");
    expect(input.event).toBe("submit");
    const asset: AssetEvent = fixture<AssetEvent>("event-asset.json");
    expect(asset).toEqual({ kind: "asset", name: "editor" });
  });

  it("the kernel's asset answer names the asset asked for", () => {
    const answer: AssetMessage = fixture<AssetMessage>("asset.json");
    expect(answer).toEqual(fixture("event-asset.json"));
  });
});

describe("protocol guards reject wrong shapes", () => {
  it.each([
    null,
    42,
    "put",
    {},
    { op: "explode", id: 1 },
    { op: "remove" },
    { op: "remove", id: "1" },
    { op: "put", parent: 1, index: 0 },
    { op: "put", parent: "1", index: 0, node: { id: 2, type: "text" } },
    { op: "put", parent: 1, index: 0, node: { type: "text" } },
  ])("isCommand(%j) is false", (value) => {
    expect(isCommand(value)).toBe(false);
  });

  it.each([null, {}, { id: 1 }, { type: "text" }, { type: 3, id: 1 }])(
    "isNode(%j) is false",
    (value) => {
      expect(isNode(value)).toBe(false);
    },
  );

  it("an empty slot is a node without an id", () => {
    expect(isNode({ type: "empty" })).toBe(true);
  });

  it.each([
    null,
    { kind: "batch", v: 1, seq: 1, root: { id: 1, type: "scope" } },
    { kind: "snapshot", v: 1, root: { id: 1, type: "scope" } },
    { kind: "snapshot", v: 1, seq: 1, root: { id: 1 } },
  ])("isSnapshot(%j) is false", (value) => {
    expect(isSnapshot(value)).toBe(false);
  });
});
