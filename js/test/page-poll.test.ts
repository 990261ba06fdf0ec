import { afterEach, expect, it, vi } from "vitest";
import { decodeAnswer, encodeRecords, POLL_HEADER, PollSocket } from "../src/page-poll";

const encoder = new TextEncoder();

/** An answer as the server writes it: [u32 first] then [u8 kind][u32 length][bytes] records. */
function answer(first: number, records: [number, string | Uint8Array][]): ArrayBuffer {
  const parts = records.map(([kind, data]) => [
    kind,
    typeof data === "string" ? encoder.encode(data) : data,
  ]) as [number, Uint8Array][];
  const size = parts.reduce((total, [, data]) => total + 5 + data.length, 4);
  const buffer = new ArrayBuffer(size);
  const view = new DataView(buffer);
  view.setUint32(0, first);
  let offset = 4;
  for (const [kind, data] of parts) {
    view.setUint8(offset, kind);
    view.setUint32(offset + 1, data.length);
    new Uint8Array(buffer).set(data, offset + 5);
    offset += 5 + data.length;
  }
  return buffer;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

it("encodes the page's events as text and binary records", () => {
  const body = encodeRecords(['{"kind":"sync"}', new Uint8Array([7, 8]).buffer]);
  const view = new DataView(body);
  expect(view.getUint8(0)).toBe(0);
  expect(view.getUint32(1)).toBe(15);
  expect(view.getUint8(20)).toBe(1);
  expect([...new Uint8Array(body, 25)]).toEqual([7, 8]);
});

it("decodes an answer's first index, messages and close", () => {
  const [first, records] = decodeAnswer(
    answer(3, [
      [0, '{"kind":"ended"}'],
      [1, new Uint8Array([1, 2])],
      [2, '{"code":1000,"reason":"done"}'],
    ]),
  );
  expect(first).toBe(3);
  expect(records[0]).toBe('{"kind":"ended"}');
  expect([...new Uint8Array(records[1] as ArrayBuffer)]).toEqual([1, 2]);
  expect(records[2]).toEqual({ code: 1000, reason: "done" });
});

it("opens, polls with its acks, sends in order and closes", async () => {
  const requests: { op: string; params: URLSearchParams; headers: Record<string, string> }[] = [];
  const answers: ArrayBuffer[] = [
    answer(0, [
      [0, '{"kind":"hello","session":"S1","env":{}}'],
      [0, '{"kind":"snapshot"}'],
    ]),
    answer(2, [[2, '{"code":1000,"reason":"the app finished"}']]),
  ];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: URL, init: RequestInit) => {
      const params = new URL(url).searchParams;
      requests.push({
        op: params.get("pywebio_nb") ?? "",
        params,
        headers: init.headers as Record<string, string>,
      });
      if (params.get("pywebio_nb") === "send") return new Response(null, { status: 204 });
      const body = answers.shift();
      // The last poll waits "forever": the test ends before it answers.
      return body ? new Response(body) : new Promise<Response>(() => undefined);
    }),
  );
  const received: unknown[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    const socket = new PollSocket(new URL("http://host/tool?app=desk"));
    socket.onmessage = (event) => {
      received.push(event.data);
      if (received.length === 1) socket.send('{"kind":"sync"}');
    };
    socket.onclose = resolve;
  });
  expect(await closed).toEqual({ code: 1000, reason: "the app finished" });
  expect(received).toHaveLength(2);
  const [open, ...rest] = requests;
  expect(open.op).toBe("open");
  expect(open.params.get("app")).toBe("desk");
  expect(open.headers[POLL_HEADER]).toBe("1");
  const poll = rest.find((request) => request.op === "poll");
  expect(poll?.params.get("session")).toBe("S1");
  expect(poll?.params.get("ack")).toBe("2");
  const send = rest.find((request) => request.op === "send");
  expect(send?.params.get("seq")).toBe("0");
});
