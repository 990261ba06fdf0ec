import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { openEarly, socketUrl, takeEarly } from "../src/page-socket";

/** A WebSocket that records what the page does with it; the test plays the server. */
class FakeSocket {
  static created: FakeSocket[] = [];
  static readonly OPEN = 1;
  readyState = 1;
  binaryType = "blob";
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;

  constructor(readonly url: URL) {
    FakeSocket.created.push(this);
  }

  send(data: string): void {
    this.sent.push(data);
  }

  receive(data: unknown): void {
    this.onmessage?.({ data });
  }
}

function batchFrame(seq: number, commands: unknown[]): ArrayBuffer {
  const header = new TextEncoder().encode(JSON.stringify({ kind: "batch", v: 1, seq }));
  const payload = new TextEncoder().encode(JSON.stringify(commands));
  const frame = new Uint8Array(4 + header.length + payload.length);
  new DataView(frame.buffer).setUint32(0, header.length);
  frame.set(header, 4);
  frame.set(payload, 4 + header.length);
  return frame.buffer;
}

beforeEach(() => {
  FakeSocket.created = [];
  vi.stubGlobal("WebSocket", FakeSocket);
  document.body.innerHTML =
    '<script type="application/json" id="pywebio-nb-config">' +
    '{"ws": "/app/_ws", "reconnect": 0, "debug": false}</script>' +
    '<main id="pywebio-nb-page"></main><div id="pywebio-nb-status"></div>';
  window.history.replaceState(null, "", "/app?app=main&reload");
});

afterEach(() => {
  takeEarly();
  vi.unstubAllGlobals();
  vi.resetModules();
});

it("builds the socket URL from the page's query, without reload, with a session", () => {
  const url = socketUrl("/app/_ws", "abc");
  expect(url.protocol).toBe("ws:");
  expect(url.pathname).toBe("/app/_ws");
  expect(url.searchParams.get("app")).toBe("main");
  expect(url.searchParams.has("reload")).toBe(false);
  expect(url.searchParams.get("session")).toBe("abc");
  expect(url.searchParams.has("token")).toBe(false);
});

it("puts the page's token in the socket URL when it has one (JupyterHub)", () => {
  expect(socketUrl("/app/_ws", null, "t0k").searchParams.get("token")).toBe("t0k");
});

it("page.js shows, in order, what the early socket received before it ran", async () => {
  openEarly();
  expect(FakeSocket.created).toHaveLength(1);
  const socket = FakeSocket.created[0];
  expect(socket.binaryType).toBe("arraybuffer");
  const root = { id: 1, type: "scope", name: "ROOT", children: [] };
  socket.receive(JSON.stringify({ kind: "hello", session: "s1", env: { title: "Early" } }));
  socket.receive(JSON.stringify({ kind: "snapshot", v: 1, seq: 0, root }));
  socket.receive(
    batchFrame(1, [
      { op: "put", parent: 1, index: 0, node: { id: 2, type: "text", text: "early" } },
    ]),
  );
  socket.receive(JSON.stringify({ kind: "eval_js", id: 7, expression: "6 * 7" }));

  await import("../src/page");

  expect(FakeSocket.created).toHaveLength(1); // the early socket was taken over, not replaced
  expect(document.querySelector(".pywebio-text")?.textContent).toBe("early");
  expect(document.title).toBe("Early");
  // a message after the take-over goes through page.js's own handler
  socket.receive(
    batchFrame(2, [
      { op: "put", parent: 1, index: 1, node: { id: 3, type: "text", text: "later" } },
    ]),
  );
  const texts = Array.from(document.querySelectorAll(".pywebio-text"), (el) => el.textContent);
  expect(texts).toEqual(["early", "later"]);
  const answer = JSON.stringify({ kind: "js_result", id: 7, value: 42 });
  await vi.waitFor(() => expect(socket.sent).toContain(answer));
});

it("page.js opens its own socket when the boot script did not", async () => {
  await import("../src/page");
  expect(FakeSocket.created).toHaveLength(1);
  expect(FakeSocket.created[0].url.searchParams.get("app")).toBe("main");
});

function useResumingConfig(): void {
  document.getElementById("pywebio-nb-config")!.textContent =
    '{"ws": "/nb/_nb/x.ipynb", "reconnect": 30, "debug": false, "resume": true}';
}

it("a reloaded dashboard page resumes the session its tab had", async () => {
  useResumingConfig();
  window.sessionStorage.setItem("pywebio_nb:session:/nb/_nb/x.ipynb", "kept");
  openEarly();
  expect(FakeSocket.created[0].url.searchParams.get("session")).toBe("kept");
  await import("../src/page");
  const socket = FakeSocket.created[0];
  socket.receive(JSON.stringify({ kind: "hello", session: "kept", env: {} }));
  expect(window.sessionStorage.getItem("pywebio_nb:session:/nb/_nb/x.ipynb")).toBe("kept");
  window.sessionStorage.clear();
});

it("a dashboard page whose stored session is over starts a new one", async () => {
  useResumingConfig();
  window.sessionStorage.setItem("pywebio_nb:session:/nb/_nb/x.ipynb", "gone");
  await import("../src/page");
  expect(FakeSocket.created[0].url.searchParams.get("session")).toBe("gone");
  FakeSocket.created[0].onclose?.({ code: 4410, reason: "the session has ended" });
  expect(FakeSocket.created).toHaveLength(2);
  expect(FakeSocket.created[1].url.searchParams.has("session")).toBe(false);
  expect(window.sessionStorage.getItem("pywebio_nb:session:/nb/_nb/x.ipynb")).toBeNull();
  const socket = FakeSocket.created[1];
  socket.receive(JSON.stringify({ kind: "hello", session: "fresh", env: {} }));
  expect(window.sessionStorage.getItem("pywebio_nb:session:/nb/_nb/x.ipynb")).toBe("fresh");
  window.sessionStorage.clear();
});
