// HTTP long polling for pages served by WSGI frameworks (Flask, Django), which have no
// WebSocket: a WebSocket-shaped PollSocket that page.ts uses in place of a socket when the
// page's settings say `transport: "poll"`. The wire format is described in
// pywebio_nb/platform/_adapter.py: every request is a POST to the page's own URL with
// `pywebio_nb=open|poll|send|close` and the header X-PyWebIO-NB; bodies are records
// [u8 kind][u32 length][bytes] (0 text, 1 binary frame, 2 close {code, reason}), and an answer
// starts with [u32 index of its first message].

export const POLL_HEADER = "X-PyWebIO-NB";
const TEXT = 0;
const BINARY = 1;
const CLOSE = 2;
/** Consecutive failed requests after which the page gives the session up. */
const MAX_FAILURES = 10;
/** A poll answered empty sooner than this (a server that cannot hold polls) waits the rest. */
const POLL_INTERVAL_MS = 500;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A message of a polling answer: text, a binary frame, or the close of the session. */
export type PollRecord = string | ArrayBuffer | { code: number; reason: string };

/** The body of a `send`: the page's events as records. */
export function encodeRecords(messages: (string | ArrayBuffer)[]): ArrayBuffer {
  const parts = messages.map((m) =>
    typeof m === "string" ? encoder.encode(m) : new Uint8Array(m),
  );
  const buffer = new ArrayBuffer(parts.reduce((total, part) => total + 5 + part.length, 0));
  const body = new Uint8Array(buffer);
  const view = new DataView(buffer);
  let offset = 0;
  parts.forEach((part, index) => {
    view.setUint8(offset, typeof messages[index] === "string" ? TEXT : BINARY);
    view.setUint32(offset + 1, part.length);
    body.set(part, offset + 5);
    offset += 5 + part.length;
  });
  return buffer;
}

/** An answer's index of its first message, and its messages. */
export function decodeAnswer(body: ArrayBuffer): [number, PollRecord[]] {
  const view = new DataView(body);
  const first = view.getUint32(0);
  const records: PollRecord[] = [];
  let offset = 4;
  while (offset + 5 <= body.byteLength) {
    const kind = view.getUint8(offset);
    const length = view.getUint32(offset + 1);
    const data = body.slice(offset + 5, offset + 5 + length);
    offset += 5 + length;
    if (kind === TEXT) records.push(decoder.decode(data));
    else if (kind === BINARY) records.push(data);
    else if (kind === CLOSE) records.push(JSON.parse(decoder.decode(data)));
  }
  return [first, records];
}

/** A session connection over HTTP long polling, shaped like the WebSocket page.ts uses. */
export class PollSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  readyState = PollSocket.CONNECTING;
  binaryType = "arraybuffer";
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string | ArrayBuffer }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  private sessionId = "";
  /** Messages received so far (the `ack` of the next poll). */
  private received = 0;
  /** Events not yet taken by the server, and the index of the first of them. */
  private outbox: (string | ArrayBuffer)[] = [];
  private sent = 0;
  private sending = false;
  private failures = 0;

  constructor(private readonly url: URL) {
    window.addEventListener("pagehide", () => this.leave());
    void this.run();
  }

  /** Queues an event; events go out in order, several per request when they pile up. */
  send(data: string | ArrayBuffer): void {
    if (this.readyState !== PollSocket.OPEN) return;
    this.outbox.push(data);
    void this.flush();
  }

  close(): void {
    this.leave();
    this.finish(1000, "");
  }

  private request(
    op: string,
    params: Record<string, string>,
    body?: ArrayBuffer,
  ): Promise<Response> {
    const url = new URL(this.url);
    url.searchParams.set("pywebio_nb", op);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return fetch(url, {
      method: "POST",
      headers: { [POLL_HEADER]: "1", "Content-Type": "application/octet-stream" },
      body: body ?? new ArrayBuffer(0),
      credentials: "same-origin",
    });
  }

  private async run(): Promise<void> {
    let op = "open";
    while (this.readyState !== PollSocket.CLOSED) {
      const params: Record<string, string> =
        op === "open" ? {} : { session: this.sessionId, ack: String(this.received) };
      const started = Date.now();
      try {
        const answer = await this.request(op, params);
        if (this.refused(answer)) return;
        if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
        this.failures = 0;
        const fresh = this.take(await answer.arrayBuffer());
        op = "poll";
        const early = POLL_INTERVAL_MS - (Date.now() - started);
        if (!fresh && early > 0) await new Promise((resolve) => setTimeout(resolve, early));
      } catch (error) {
        if (++this.failures >= MAX_FAILURES) {
          this.finish(1006, String(error));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** Hands the answer's new messages on; returns how many there were. */
  private take(body: ArrayBuffer): number {
    const [first, records] = decodeAnswer(body);
    const before = this.received;
    records.forEach((record, index) => {
      if (first + index < this.received || this.readyState === PollSocket.CLOSED) return;
      this.received = first + index + 1;
      if (typeof record === "string" || record instanceof ArrayBuffer) {
        if (typeof record === "string") this.greeted(record);
        this.onmessage?.({ data: record });
      } else {
        this.finish(record.code, record.reason);
      }
    });
    return this.received - before;
  }

  /** The session's id comes in its hello; the connection is open from then on. */
  private greeted(text: string): void {
    if (this.sessionId) return;
    let message: { kind?: string; session?: string };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.kind !== "hello" || !message.session) return;
    this.sessionId = message.session;
    this.readyState = PollSocket.OPEN;
    this.onopen?.();
  }

  private async flush(): Promise<void> {
    if (this.sending || !this.outbox.length || this.readyState !== PollSocket.OPEN) return;
    this.sending = true;
    const batch = this.outbox.slice();
    try {
      const answer = await this.request(
        "send",
        { session: this.sessionId, seq: String(this.sent) },
        encodeRecords(batch),
      );
      if (this.refused(answer)) return;
      if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
      this.outbox.splice(0, batch.length);
      this.sent += batch.length;
      this.failures = 0;
    } catch (error) {
      if (++this.failures >= MAX_FAILURES) this.finish(1006, String(error));
      else await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      this.sending = false;
    }
    void this.flush();
  }

  /** A refusal (4xx) ends the session: too large a message (1009), an origin not allowed. */
  private refused(answer: Response): boolean {
    if (answer.status < 400 || answer.status >= 500) return false;
    this.finish(answer.status === 413 ? 1009 : 1008, `HTTP ${answer.status}`);
    return true;
  }

  private leave(): void {
    if (!this.sessionId || this.readyState === PollSocket.CLOSED) return;
    const url = new URL(this.url);
    url.searchParams.set("pywebio_nb", "close");
    url.searchParams.set("session", this.sessionId);
    navigator.sendBeacon?.(url);
  }

  private finish(code: number, reason: string): void {
    if (this.readyState === PollSocket.CLOSED) return;
    this.readyState = PollSocket.CLOSED;
    this.onclose?.({ code, reason });
  }
}
