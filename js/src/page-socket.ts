// The standalone page's WebSocket, opened as early as the page can: boot.ts (inlined in the
// page's <head> by the server) opens it while the stylesheet and page.js are still loading, so
// the app starts and its first output travels meanwhile; page.ts then takes the socket over,
// with the messages that arrived before it ran.

/** What the page's config element carries (pywebio_nb/platform/_tornado.py: render_page). */
export interface PageConfig {
  ws: string;
  /** "poll": HTTP long polling (page-poll.ts, WSGI frameworks); otherwise a WebSocket. */
  transport?: "ws" | "poll";
  reconnect: number;
  debug: boolean;
  /** The user's token for the socket, where the server cannot take its login cookie there. */
  token?: string;
  /** A reloaded page resumes its session (notebook dashboards: the visitor's kernel). */
  resume?: boolean;
}

/** A socket opened by the boot script, and what it saw before page.js took it over. */
export interface EarlySocket {
  socket: WebSocket;
  messages: unknown[];
  closed?: { code: number; reason: string };
}

const EARLY = "__pywebio_nb_early_socket";

/** Reads the page settings the server put in `#pywebio-nb-config`. */
export function readConfig(): PageConfig {
  const el = document.getElementById("pywebio-nb-config");
  return JSON.parse(el?.textContent ?? "{}") as PageConfig;
}

/**
 * The session's WebSocket URL: the page's own query (`?app=`...), a session to resume, and the
 * user's token when the page has one (JupyterHub servers that refuse cookies on WebSockets).
 */
export function socketUrl(ws: string, sessionId: string | null, token = ""): URL {
  const url = new URL(ws, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.search = window.location.search;
  url.searchParams.delete("reload");
  if (sessionId) url.searchParams.set("session", sessionId);
  if (token) url.searchParams.set("token", token);
  return url;
}

/** The URL of the polling transport: the page's own URL and query (`?app=`...). */
export function pollUrl(ws: string): URL {
  const url = new URL(ws, window.location.href);
  url.search = window.location.search;
  url.hash = "";
  url.searchParams.delete("reload");
  return url;
}

function sessionKey(config: PageConfig): string {
  return `pywebio_nb:session:${config.ws}`;
}

/** The session a reloaded page of this tab resumes, if its config allows resuming. */
export function storedSession(config: PageConfig): string | null {
  if (!config.resume) return null;
  try {
    return window.sessionStorage.getItem(sessionKey(config));
  } catch {
    return null; // storage disabled: a reload starts afresh
  }
}

/** Remembers (or, with `null`, forgets) the session a reload of this tab resumes. */
export function storeSession(config: PageConfig, sessionId: string | null): void {
  if (!config.resume) return;
  try {
    if (sessionId) window.sessionStorage.setItem(sessionKey(config), sessionId);
    else window.sessionStorage.removeItem(sessionKey(config));
  } catch {
    // storage disabled: nothing to remember
  }
}

/** Opens the page's first socket and keeps what arrives until page.js takes it (boot.ts). */
export function openEarly(): void {
  const config = readConfig();
  if (config.transport === "poll") return; // page.js opens the polling connection
  const socket = new WebSocket(socketUrl(config.ws, storedSession(config), config.token));
  performance.mark?.("pywebio_nb:socket");
  socket.binaryType = "arraybuffer";
  const early: EarlySocket = { socket, messages: [] };
  socket.onopen = () => performance.mark?.("pywebio_nb:open");
  socket.onmessage = (event) => early.messages.push(event.data);
  socket.onclose = (event) => (early.closed = { code: event.code, reason: event.reason });
  (globalThis as Record<string, unknown>)[EARLY] = early;
}

/** The socket the boot script opened, once (later connections open their own). */
export function takeEarly(): EarlySocket | undefined {
  const store = globalThis as Record<string, unknown>;
  const early = store[EARLY] as EarlySocket | undefined;
  delete store[EARLY];
  return early;
}
