// The standalone host: one DocumentModel per page, fed over a WebSocket (or, under WSGI
// frameworks, HTTP long polling: page-poll.ts) by an app session
// (pywebio_nb/_app_session.py). Text frames are JSON messages; binary frames are
// [u32 header length][header JSON][payload] (batches and downloads; upload chunks going up).
// The first socket is opened by the boot script in the page's <head> (page-socket.ts), before
// this module loads.

import { DocumentModel } from "./document";
import { download, evalJs, runJs } from "./commands";
import { editor } from "./lazy";
import "./outputs/index";
import { PollSocket } from "./page-poll";
import {
  type PageConfig,
  pollUrl,
  readConfig,
  socketUrl,
  storedSession,
  storeSession,
  takeEarly,
} from "./page-socket";
import { MALFORMED_FRAME_CLOSE_CODE } from "./protocol";
import type { BrowserEvent, PageMessage } from "./protocol";

/**
 * Marks the page's way to its first output on the Performance timeline (read by
 * benchmarks/server_scale.py): script, socket, open, hello, snapshot, batch (the first).
 */
function mark(name: string): void {
  performance.mark?.(`pywebio_nb:${name}`);
}

mark("script");

// CodeMirror is a chunk of its own, imported by the first code field.
editor.loadWith(() => import("./forms/code"));

/** Close codes after which the page must not reconnect. */
const FINAL_CODES = new Set([1000, 1003, MALFORMED_FRAME_CLOSE_CODE, 1009, 4404, 4410, 4503]);
const decoder = new TextDecoder();
const encoder = new TextEncoder();
/** Page settings from set_env(), readable by other parts of the page (input forms). */
export const env: Record<string, unknown> = {};

function status(text: string): void {
  const el = document.getElementById("pywebio-nb-status");
  if (el) el.textContent = text;
}

function applyEnv(values: Record<string, unknown>, page: HTMLElement): void {
  Object.assign(env, values);
  if (typeof values.title === "string") document.title = values.title;
  if (typeof values.output_max_width === "string") {
    page.style.setProperty("--pw-page-max-width", values.output_max_width);
  }
}

/** Splits a binary frame into its JSON header and its payload. */
export function splitFrame(data: ArrayBuffer): [Record<string, unknown>, Uint8Array] {
  const view = new DataView(data);
  const length = view.getUint32(0);
  const header = JSON.parse(decoder.decode(new Uint8Array(data, 4, length)));
  return [header, new Uint8Array(data, 4 + length)];
}

/** One binary frame: the JSON header (an event), then the payload (its buffer). */
export function joinFrame(header: object, payload: ArrayBuffer): ArrayBuffer {
  const head = encoder.encode(JSON.stringify(header));
  const frame = new ArrayBuffer(4 + head.length + payload.byteLength);
  const bytes = new Uint8Array(frame);
  new DataView(frame).setUint32(0, head.length);
  bytes.set(head, 4);
  bytes.set(new Uint8Array(payload), 4 + head.length);
  return frame;
}

class PageConnection {
  private socket: WebSocket | PollSocket | null = null;
  private sessionId: string | null = null;
  private lostAt = 0;
  private ended = false;
  private batches = 0;
  /** This connection tries the session a reload of this tab left (dashboards). */
  private resuming = false;
  private triedStored = false;
  readonly doc: DocumentModel;

  constructor(
    private readonly config: PageConfig,
    private readonly page: HTMLElement,
  ) {
    this.doc = new DocumentModel((event, buffers) => this.send(event, buffers));
    this.doc.attach(page);
  }

  /** Sends an event: a text frame, or a binary frame when it carries a buffer (upload chunks). */
  send(event: BrowserEvent, buffers?: ArrayBuffer[]): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return; // PollSocket.OPEN is the same 1
    if (buffers && buffers.length > 1) throw new Error("a page event carries at most one buffer");
    this.socket.send(buffers?.length ? joinFrame(event, buffers[0]) : JSON.stringify(event));
  }

  connect(): void {
    if (this.config.transport === "poll") {
      const poll = new PollSocket(pollUrl(this.config.ws));
      mark("socket");
      this.socket = poll;
      poll.onopen = () => mark("open");
      poll.onmessage = (event) => this.receive(event.data);
      poll.onclose = (event) => this.closed(event.code, event.reason);
      return;
    }
    const early = this.sessionId ? undefined : takeEarly();
    const stored = this.sessionId ? null : storedSession(this.config);
    this.resuming = stored !== null && !this.triedStored;
    this.triedStored = true;
    const resume = this.sessionId ?? (this.resuming ? stored : null);
    const socket =
      early?.socket ?? new WebSocket(socketUrl(this.config.ws, resume, this.config.token));
    if (!early) mark("socket");
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    socket.onopen = () => mark("open");
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => this.closed(event.code, event.reason);
    if (early) {
      // What came before this module ran, in order (no event runs while this loop does).
      for (const data of early.messages) this.receive(data);
      if (early.closed) this.closed(early.closed.code, early.closed.reason);
    }
  }

  private receive(data: unknown): void {
    if (data instanceof ArrayBuffer) {
      const [header, payload] = splitFrame(data);
      if (header.kind === "batch") {
        let commands: unknown;
        try {
          commands = JSON.parse(decoder.decode(payload));
        } catch {
          commands = undefined;
        }
        this.doc.receiveBatch(Number(header.seq), commands);
        if (this.batches++ === 0) mark("batch");
        if (env.auto_scroll_bottom) window.scrollTo(0, document.body.scrollHeight);
      } else if (header.kind === "download") {
        download(String(header.name ?? "download"), payload);
      }
      return;
    }
    let message: PageMessage;
    try {
      message = JSON.parse(String(data)) as PageMessage;
    } catch {
      console.error("pywebio_nb: a message from the server is not JSON");
      return;
    }
    this.handle(message);
  }

  private handle(message: PageMessage): void {
    switch (message.kind) {
      case "hello":
        mark("hello");
        this.sessionId = message.session;
        this.resuming = false;
        storeSession(this.config, message.session);
        this.lostAt = 0;
        status("");
        applyEnv(message.env ?? {}, this.page);
        break;
      case "snapshot":
        this.doc.offerSnapshot(message);
        mark("snapshot");
        this.page.setAttribute("aria-busy", "false");
        document.body.dataset.session = "open";
        break;
      case "env":
        applyEnv(message.env, this.page);
        break;
      case "run_js":
        runJs(message.code, message.args ?? {});
        break;
      case "eval_js":
        void evalJs(message.expression, message.args ?? {}).then((value) =>
          this.send({ kind: "js_result", id: message.id, value }),
        );
        break;
      case "go_app": {
        const url = new URL(window.location.href);
        url.search = "";
        url.searchParams.set("app", message.app);
        if (message.new_window) window.open(url, "_blank", "noopener");
        else window.location.href = url.toString();
        break;
      }
      case "ended":
        this.ended = true;
        storeSession(this.config, null);
        document.body.dataset.session = "ended";
        break;
      case "error":
        console.error("pywebio_nb:", message.message);
        break;
    }
  }

  private closed(code: number, reason: string): void {
    this.socket = null;
    if (this.resuming && code === 4410) {
      // The session this tab had is over: start a new one.
      this.resuming = false;
      storeSession(this.config, null);
      this.connect();
      return;
    }
    if (this.ended || code === 1000) {
      document.body.dataset.session = "ended";
      return;
    }
    const now = Date.now();
    if (!this.lostAt) this.lostAt = now;
    const limit = this.config.reconnect * 1000;
    if (this.sessionId && limit > 0 && !FINAL_CODES.has(code) && now - this.lostAt < limit) {
      status("Connection lost; reconnecting…");
      setTimeout(() => this.connect(), 1000);
      return;
    }
    document.body.dataset.session = "closed";
    status(
      code === 4404
        ? "No such app."
        : code === 4503
          ? "The server is busy: every place for a visitor is taken. Try again in a moment."
          : `Disconnected from the server${reason ? ` (${reason})` : ""}. Reload the page to start again.`,
    );
  }
}

const pageElement = document.getElementById("pywebio-nb-page");
if (pageElement) new PageConnection(readConfig(), pageElement).connect();
