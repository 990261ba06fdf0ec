import { describe, expect, it } from "vitest";
import { splitFrame } from "../src/page";
import type { PageMessage } from "../src/protocol";
import { fixture } from "./fixtures";

describe("standalone page", () => {
  it("splits a binary frame into its JSON header and payload", () => {
    const header = new TextEncoder().encode(JSON.stringify({ kind: "download", name: "a.bin" }));
    const frame = new Uint8Array(4 + header.length + 2);
    new DataView(frame.buffer).setUint32(0, header.length);
    frame.set(header, 4);
    frame.set([7, 9], 4 + header.length);
    const [parsed, payload] = splitFrame(frame.buffer);
    expect(parsed).toEqual({ kind: "download", name: "a.bin" });
    expect(Array.from(payload)).toEqual([7, 9]);
  });

  it("page message fixtures have the kinds of PageMessage", () => {
    const kinds = ["hello", "env", "run_js", "eval_js", "go_app", "ended", "error"];
    for (const kind of kinds) {
      expect(fixture<PageMessage>(`page-${kind}.json`).kind).toBe(kind);
    }
  });
});
