import { describe, expect, it } from "vitest";
import { joinFrame, splitFrame } from "../src/page";
import type { InputEvent, PageMessage } from "../src/protocol";
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

  it("writes and reads an upload chunk as the binary frame of the fixture", () => {
    const example = fixture<{ header: InputEvent; payload_hex: string; frame_hex: string }>(
      "frame-event-chunk.json",
    );
    const fromHex = (hex: string): Uint8Array =>
      new Uint8Array((hex.match(/../g) ?? []).map((byte) => parseInt(byte, 16)));
    const payload = fromHex(example.payload_hex);
    const frame = joinFrame(example.header, payload.slice().buffer);
    expect(Array.from(new Uint8Array(frame))).toEqual(Array.from(fromHex(example.frame_hex)));
    const [header, read] = splitFrame(frame);
    expect(header).toEqual(example.header);
    expect(Array.from(read)).toEqual(Array.from(payload));
  });

  it("page message fixtures have the kinds of PageMessage", () => {
    const kinds = ["hello", "env", "run_js", "eval_js", "go_app", "ended", "error"];
    for (const kind of kinds) {
      expect(fixture<PageMessage>(`page-${kind}.json`).kind).toBe(kind);
    }
  });
});
