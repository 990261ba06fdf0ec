// The wire protocol, mirrored from pywebio_nb/_protocol.py. The JSON fixtures under
// tests/fixtures/protocol are checked against both sides.

export const PROTOCOL_VERSION = 1;

export type ScrollPosition = "top" | "middle" | "bottom";

/** One rendered node; `type` selects the renderer, other keys are type-specific. */
export interface NodeSpec {
  id: number;
  type: string;
  style?: string;
  click?: number;
  children?: NodeSpec[];
  [key: string]: unknown;
}

export interface PutCommand {
  op: "put";
  parent: number;
  index: number;
  node: NodeSpec;
}
export interface RemoveCommand {
  op: "remove";
  id: number;
}
export interface ClearCommand {
  op: "clear";
  id: number;
}
export interface ScrollCommand {
  op: "scroll";
  id: number;
  position: ScrollPosition;
}
export interface UpdateCommand {
  op: "update";
  id: number;
  attrs: Record<string, unknown>;
}
export interface AppendTextCommand {
  op: "append";
  id: number;
  text: string;
}

/** Set a progressbar's value (0..1) and optionally its label. */
export interface ProgressCommand {
  op: "progress";
  id: number;
  value: number;
  label?: string;
}
/** A window of a datatable's rows, answering a RowsEvent. */
export interface RowsCommand {
  op: "rows";
  id: number;
  start: number;
  total: number;
  version: number;
  keys: unknown[];
  rows: unknown[][];
}
/** A datatable's rows changed: drop cached windows and ask again. */
export interface RowsChangedCommand {
  op: "rows_changed";
  id: number;
  total: number;
  version: number;
}

export type Command =
  | PutCommand
  | RemoveCommand
  | ClearCommand
  | ScrollCommand
  | UpdateCommand
  | AppendTextCommand
  | ProgressCommand
  | RowsCommand
  | RowsChangedCommand;

/** Commands about one node that its renderer handles (registered with `onCommand`). */
export type NodeCommand = ProgressCommand | RowsCommand | RowsChangedCommand;

export interface SnapshotMessage {
  kind: "snapshot";
  v: number;
  seq: number;
  root: NodeSpec;
}

/** Header of a batch; the commands travel as JSON in the first binary buffer. */
export interface BatchMessage {
  kind: "batch";
  v: number;
  seq: number;
}

/** A snapshot sent on request; the snapshot JSON is in the first binary buffer. */
export interface ResyncMessage {
  kind: "resync";
}

/** The answer to an AssetEvent (notebooks): the file's bytes are in the first binary buffer. */
export interface AssetMessage {
  kind: "asset";
  name: "editor";
}

export type KernelMessage = BatchMessage | ResyncMessage | AssetMessage;

export interface CallbackEvent {
  kind: "callback";
  cb: number;
  value: unknown;
}
export interface SyncEvent {
  kind: "sync";
  seq: number;
}
/** A datatable view asks for `count` rows from `start`. */
export interface RowsEvent {
  kind: "rows";
  id: number;
  start: number;
  count: number;
}
/** An event of a form or a pin widget (see pywebio_nb/input/_form.py and pin/_registry.py). */
export interface InputEvent {
  kind: "input";
  /** The node id of the form or the pin widget. */
  id: number;
  event: "submit" | "cancel" | "blur" | "change" | "action" | "chunk";
  name?: string;
  value?: unknown;
  values?: Record<string, unknown>;
  /** chunk: which file of the field, where the chunk starts, and the file's size. */
  file?: number;
  offset?: number;
  size?: number;
}
/** A notebook view asks the kernel for a part of the frontend loaded on first use. */
export interface AssetEvent {
  kind: "asset";
  name: "editor";
}
export type BrowserEvent = CallbackEvent | SyncEvent | RowsEvent | InputEvent | AssetEvent;

const OPS = new Set([
  "put",
  "remove",
  "clear",
  "scroll",
  "update",
  "append",
  "progress",
  "rows",
  "rows_changed",
]);

/** Checks the shape of a decoded command; the renderer never trusts a message blindly. */
export function isCommand(value: unknown): value is Command {
  if (typeof value !== "object" || value === null) return false;
  const c = value as Record<string, unknown>;
  if (typeof c.op !== "string" || !OPS.has(c.op)) return false;
  if (c.op === "put") {
    return typeof c.parent === "number" && typeof c.index === "number" && isNode(c.node);
  }
  return typeof c.id === "number";
}

export function isNode(value: unknown): value is NodeSpec {
  if (typeof value !== "object" || value === null) return false;
  const n = value as Record<string, unknown>;
  return typeof n.type === "string" && (n.type === "empty" || typeof n.id === "number");
}

export function isSnapshot(value: unknown): value is SnapshotMessage {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  return s.kind === "snapshot" && typeof s.seq === "number" && isNode(s.root);
}

// Standalone page (WebSocket) messages, mirrored from pywebio_nb/_protocol.py. Text frames
// carry these JSON messages; batches and downloads are binary frames
// [u32 header length][header JSON][payload] whose header is a BatchMessage or DownloadHeader.
//
// Page → server: a BrowserEvent is a JSON text frame; an event with a buffer (an InputEvent
// "chunk") is a binary frame of the same layout whose header is the event and whose payload is
// its one buffer (tests/fixtures/protocol/frame-event-chunk.json). A malformed binary frame
// closes the connection with MALFORMED_FRAME_CLOSE_CODE.

/** Close code for a malformed binary frame from the page (1007: invalid frame payload data). */
export const MALFORMED_FRAME_CLOSE_CODE = 1007;

export interface HelloMessage {
  kind: "hello";
  session: string;
  env?: Record<string, unknown>;
}
export interface EnvMessage {
  kind: "env";
  env: Record<string, unknown>;
}
export interface RunJsMessage {
  kind: "run_js";
  code: string;
  args?: Record<string, unknown>;
}
export interface EvalJsMessage {
  kind: "eval_js";
  id: number;
  expression: string;
  args?: Record<string, unknown>;
}
export interface GoAppMessage {
  kind: "go_app";
  app: string;
  new_window: boolean;
}
export interface EndedMessage {
  kind: "ended";
  reason: string;
}
export interface ErrorMessage {
  kind: "error";
  message: string;
}
export interface DownloadHeader {
  kind: "download";
  name: string;
}
export type PageMessage =
  | HelloMessage
  | SnapshotMessage
  | EnvMessage
  | RunJsMessage
  | EvalJsMessage
  | GoAppMessage
  | EndedMessage
  | ErrorMessage;

/** The page's answer to an eval_js message. */
export interface JsResultEvent {
  kind: "js_result";
  id: number;
  value: unknown;
}
