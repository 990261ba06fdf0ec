// Generated from pywebio_nb/_core/protocol.py by js/gen_protocol.py: do not edit by hand.
// Regenerate with `npm run gen:protocol`; CI fails when this file differs from what the
// generator writes. What each message means is documented in the Python module.
// Nodes and their bodies come from pywebio_nb/_core/nodes.py (PROTOCOL_PARTS).

import type { NodeSpec } from "./protocol-nodes";
export * from "./protocol-nodes";

/** Carried by snapshots and batches; a view ignores a snapshot of another version. */
export const PROTOCOL_VERSION = 1;

/** Where `scroll_to()` puts a node in the viewport. */
export type ScrollPosition = "top" | "middle" | "bottom";

/** Insert `node` (with its subtree) as child number `index` of container `parent`. */
export interface PutCommand {
  op: "put";
  parent: number;
  index: number;
  node: NodeSpec;
}

/** Remove a node and its subtree. Unknown ids are ignored. */
export interface RemoveCommand {
  op: "remove";
  id: number;
}

/** Remove every child of a container. */
export interface ClearCommand {
  op: "clear";
  id: number;
}

/** Scroll the page or notebook so the node is at the given place in the viewport. */
export interface ScrollCommand {
  op: "scroll";
  id: number;
  position: ScrollPosition;
}

/** Set attributes of an existing node (`style`, `click`). */
export interface UpdateCommand {
  op: "update";
  id: number;
  attrs: Record<string, unknown>;
}

/** Append text to a `stream` node (`print()` output captured in a callback). */
export interface AppendTextCommand {
  op: "append";
  id: number;
  text: string;
}

/** Set a `progressbar` node's value (0..1) and, optionally, its label. */
export interface ProgressCommand {
  op: "progress";
  id: number;
  value: number;
  label?: string;
}

/**
 * A window of a `datatable` node's rows, answering a `RowsEvent`.
 *
 * Rows are lists of cell values in the node's column order; `keys` are the row ids. A view
 * ignores a window whose `version` is older than the node's.
 */
export interface RowsCommand {
  op: "rows";
  id: number;
  start: number;
  total: number;
  version: number;
  keys: unknown[];
  rows: unknown[][];
}

/** A `datatable`'s rows changed: drop cached windows and ask again. */
export interface RowsChangedCommand {
  op: "rows_changed";
  id: number;
  total: number;
  version: number;
}

/** Every command a batch may hold. */
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

/** Commands about one node that its renderer handles (the others change the tree). */
export type NodeCommand = ProgressCommand | RowsCommand | RowsChangedCommand;

/** The complete state of one root. */
export interface SnapshotMessage {
  kind: "snapshot";
  v: number;
  seq: number;
  root: NodeSpec;
}

/** Header of a batch; the commands travel as JSON in `buffers[0]`. */
export interface BatchMessage {
  kind: "batch";
  v: number;
  seq: number;
}

/** Answer to a `SyncEvent`: a `SnapshotMessage` as JSON in `buffers[0]`. */
export interface ResyncMessage {
  kind: "resync";
}

/**
 * Answer to a `SyncEvent` of a view that is not behind: its kernel is there.
 *
 * (A notebook view shows a saved output's live view only once its kernel spoke.)
 */
export interface SyncedMessage {
  kind: "synced";
  seq: number;
}

/** A click on a button or a clickable output: `value` is a button index or `None`. */
export interface CallbackEvent {
  kind: "callback";
  cb: number;
  value: unknown;
}

/** A view saw a gap in the batch sequence and asks for a snapshot. */
export interface SyncEvent {
  kind: "sync";
  seq: number;
}

/** A `datatable` view asks for `count` rows from `start` (answered by a RowsCommand). */
export interface RowsEvent {
  kind: "rows";
  id: number;
  start: number;
  count: number;
}

/** The answer of a page or a notebook view to an `EvalJsMessage` of the same id. */
export interface JsResultEvent {
  kind: "js_result";
  id: number;
  value: unknown;
}

/**
 * A notebook view asks for a part of the frontend loaded on first use (the code editor).
 *
 * The kernel answers with an `AssetMessage` of the same name; names not in its
 * allow-list are ignored.
 */
export interface AssetEvent {
  kind: "asset";
  name: "editor";
}

/** Answer to an `AssetEvent`: the file's bytes (an ES module) in `buffers[0]`. */
export interface AssetMessage {
  kind: "asset";
  name: "editor";
}

/** What happened in a form or a pin widget (see `InputEvent`). */
export type InputEventName = "submit" | "cancel" | "blur" | "change" | "action" | "chunk";

/**
 * An event of a form (`input()`...) or a pin widget; `id` is the form's or pin's node.
 *
 * * `submit`: `values` maps field names to raw values (text as typed; option and button
 *   indexes; file descriptors `{filename, size, mime_type, last_modified}`).
 * * `blur` / `change`: `name` (forms only) and the field's raw `value`.
 * * `action`: the `action` button of field `name` was clicked.
 * * `chunk`: `buffers[0]` holds bytes `offset...` of file number `file` (of `size`
 *   bytes) of field `name`. Python answers with an `update` of the field's `progress`.
 * * `cancel`: the Cancel button of a cancelable `input_group`.
 */
export interface InputEvent {
  kind: "input";
  id: number;
  event: InputEventName;
  name?: string;
  value?: unknown;
  values?: Record<string, unknown>;
  file?: number;
  offset?: number;
  size?: number;
}

/** Every message from a page or a notebook view to Python (`BrowserEvent` in TypeScript). */
export type BrowserEvent =
  | CallbackEvent
  | SyncEvent
  | JsResultEvent
  | RowsEvent
  | InputEvent
  | AssetEvent;

// Standalone pages (WebSocket): text frames carry the JSON messages below (and
// `SnapshotMessage`); batches and downloads are binary frames
// `[u32 header length, big-endian][header JSON][payload]` whose header is a
// `BatchMessage` (payload: the commands' JSON) or a `DownloadHeader` (payload: the file).
//
// Page → server: an `Event` is a JSON text frame; an event with a buffer (an `InputEvent`
// `chunk`) is a binary frame of the same layout whose header is the event and whose payload
// is its one buffer (see `tests/fixtures/protocol/frame-event-chunk.json`). A binary frame
// shorter than 4 bytes, whose header length runs past its end, or whose header is not a JSON
// object closes the connection with code `MALFORMED_FRAME_CLOSE_CODE` and a reason.

/** Close code for a malformed binary frame from the page (1007: invalid frame payload data). */
export const MALFORMED_FRAME_CLOSE_CODE = 1007;

/** First message on a connection: the session id (for reconnecting) and the page env. */
export interface HelloMessage {
  kind: "hello";
  session: string;
  env: Record<string, unknown>;
}

/** `set_env()` values. */
export interface EnvMessage {
  kind: "env";
  env: Record<string, unknown>;
}

// Page commands (`PageCommand`) go to the page showing the running code: on a standalone page
// as a JSON text frame (a download: a binary frame), in a notebook as a custom message on the
// widget comm of the running cell's root (a download's bytes in `buffers[0]`). The answer to
// `eval_js` comes back as a `JsResultEvent` on the same channel.

/** `run_js()`: code to run with `args` as local variables (pages and notebook views). */
export interface RunJsMessage {
  kind: "run_js";
  code: string;
  args: Record<string, unknown>;
}

/** `eval_js()`: the page or notebook view answers with a `JsResultEvent` of the same id. */
export interface EvalJsMessage {
  kind: "eval_js";
  id: number;
  expression: string;
  args: Record<string, unknown>;
}

/** `go_app()`: open `?app=<app>`. */
export interface GoAppMessage {
  kind: "go_app";
  app: string;
  new_window: boolean;
}

/** The app finished; the connection closes next and the page must not reconnect. */
export interface EndedMessage {
  kind: "ended";
  reason: string;
}

/** A rejected event (unknown callback id...), logged by the page. */
export interface ErrorMessage {
  kind: "error";
  message: string;
}

/**
 * `download()`: the name of a file to save.
 *
 * The file's content is the payload of the binary frame (pages) or the message's first binary
 * buffer (notebook views).
 */
export interface DownloadHeader {
  kind: "download";
  name: string;
}

export type PageCommand = RunJsMessage | EvalJsMessage | DownloadHeader | EnvMessage | GoAppMessage;

/** The JSON text frames a standalone page receives. */
export type PageMessage =
  | HelloMessage
  | SnapshotMessage
  | EnvMessage
  | RunJsMessage
  | EvalJsMessage
  | GoAppMessage
  | EndedMessage
  | ErrorMessage;

/** The headers of the binary frames a standalone page receives. */
export type FrameHeader = BatchMessage | DownloadHeader;

/** The custom messages a notebook view receives on its widget's comm. */
export type WidgetMessage =
  | BatchMessage
  | ResyncMessage
  | SyncedMessage
  | AssetMessage
  | RunJsMessage
  | EvalJsMessage
  | DownloadHeader;

/** Scope and pin names: letters, digits, `_` and `-` (PyWebIO's rule). */
export const NAME_PATTERN = "^[A-Za-z0-9_-]+$";
