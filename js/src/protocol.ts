// Generated from pywebio_nb/_core/protocol.py by js/gen_protocol.py: do not edit by hand.
// Regenerate with `npm run gen:protocol`; CI fails when this file differs from what the
// generator writes. What each message means is documented in the Python module.
// Nodes and their bodies come from pywebio_nb/_core/nodes.py (PROTOCOL_PARTS).

/** One rendered node. `type` selects the renderer; other keys are type-specific. */
export interface NodeSpec {
  id: number;
  type: string;
  style?: string;
  click?: number;
  children?: NodeSpec[];
  [key: string]: unknown;
}

// Node bodies: what each `put_*` builds, one TypedDict per `type` the renderer knows (its
// renderer in `js/src/outputs/` or `js/src/forms/` reads these keys). `Session.make` adds
// the `id` that turns a body into a `NodeSpec`; `update` commands may add keys later
// (`invalid`, `error`...). Containers carry their children's nodes in `children`, set
// when the container is made (`put_container`) and filled by `Session.adopt_children`.

/** Keys every node may have: a CSS `style` and the callback of a `click`. */
export interface NodeBase {
  style?: string;
  click?: number;
}

/** `put_text`: plain text, in a paragraph or (`inline`) a span. */
export interface TextBody extends NodeBase {
  type: "text";
  text: string;
  inline?: boolean;
}

/** `put_markdown`: Markdown source; `options` holds marked's `gfm` / `breaks`. */
export interface MarkdownBody extends NodeBase {
  type: "markdown";
  md: string;
  sanitize: boolean;
  options?: Record<string, unknown>;
}

/** `put_html`: HTML of the program's author (sanitized when `sanitize`). */
export interface HtmlBody extends NodeBase {
  type: "html";
  html: string;
  sanitize: boolean;
}

/** `put_code`: highlighted source; `rows` limits the visible lines. */
export interface CodeBody extends NodeBase {
  type: "code";
  code: string;
  language: string;
  rows?: number;
}

/** `put_link`: to a `url`, or to another `app` of the same server. */
export interface LinkBody extends NodeBase {
  type: "link";
  text: string;
  new_window: boolean;
  url?: string;
  app?: string;
}

/** Text a callback printed (`name`: `stdout` or `stderr`), appended to later. */
export interface StreamBody extends NodeBase {
  type: "stream";
  name: string;
  text: string;
}

/** An error shown to the visitor: a title and, when allowed, the traceback. */
export interface ErrorBody extends NodeBase {
  type: "error";
  title: string;
  traceback?: string;
}

/** One button of a `buttons` node (Python keeps its value). */
export interface ButtonItem {
  label: string;
  color?: string;
  disabled?: boolean;
}

/** `put_buttons`: a click sends the button's index to callback `cb`. */
export interface ButtonsBody extends NodeBase {
  type: "buttons";
  buttons: ButtonItem[];
  cb: number;
  small?: boolean;
  link?: boolean;
  outline?: boolean;
  group?: boolean;
}

/** `put_table`: rows of cells (text or nodes); `span` maps `"row,col"` to sizes. */
export interface TableBody extends NodeBase {
  type: "table";
  rows: unknown[][];
  span?: Record<string, number[]>;
}

/** `put_image`: a URL (a `data:` URL for bytes) and CSS sizes. */
export interface ImageBody extends NodeBase {
  type: "image";
  src: string;
  title?: string;
  width?: string;
  height?: string;
}

/** `put_file`: a link that saves `data` (base64) as `name`. */
export interface FileBody extends NodeBase {
  type: "file";
  name: string;
  label: string;
  mime: string;
  data: string;
}

/** A named scope (`put_scope`, `use_scope`; the root is `ROOT`). */
export interface ScopeBody extends NodeBase {
  type: "scope";
  name: string;
  children?: NodeSpec[];
}

/** `output()`: a placeholder whose content changes later. */
export interface OutputBody extends NodeBase {
  type: "output";
  children?: NodeSpec[];
}

/** Nothing: a removed node's place, or an empty grid cell. */
export interface EmptyBody extends NodeBase {
  type: "empty";
}

/** A `None` in `put_row` / `put_column`: an empty track. */
export interface GapBody extends NodeBase {
  type: "gap";
}

/** `put_row` / `put_column`; `size` is a CSS grid track list. */
export interface LinearBody extends NodeBase {
  type: "row" | "column";
  children?: NodeSpec[];
  size?: string;
}

/** One cell of a `grid` node, spanning `row` rows and `col` columns. */
export interface GridCell {
  node: NodeSpec | EmptyBody;
  row?: number;
  col?: number;
}

/** `put_grid`: CSS grid tracks, the `flow` direction and the cells in order. */
export interface GridBody extends NodeBase {
  type: "grid";
  columns: string;
  rows: string;
  flow: string;
  cells: GridCell[];
}

/** `put_collapse`: a titled section, `open` or not. */
export interface CollapseBody extends NodeBase {
  type: "collapse";
  title: string;
  open: boolean;
  children?: NodeSpec[];
}

/** `put_scrollable`: a fixed `height` or a `min_height`/`max_height` pair (px). */
export interface ScrollableBody extends NodeBase {
  type: "scrollable";
  keep_bottom: boolean;
  border: boolean;
  children?: NodeSpec[];
  height?: number;
  min_height?: number;
  max_height?: number;
}

/** One tab of a `tabs` node. */
export interface TabPanel {
  title: string;
  content: NodeSpec[];
}

/** `put_tabs`. */
export interface TabsBody extends NodeBase {
  type: "tabs";
  tabs: TabPanel[];
}

/** `put_widget`: a Mustache template and its data (which may hold nodes). */
export interface WidgetBody extends NodeBase {
  type: "widget";
  template: string;
  data: unknown;
}

/** `put_info` / `put_success`...: `kind` is the color; `close` a callback. */
export interface AlertBody extends NodeBase {
  type: "alert";
  kind: string;
  children?: NodeSpec[];
  close?: number;
}

/** `put_loading`: a spinner of a `shape` and `color`, around its children. */
export interface LoadingBody extends NodeBase {
  type: "loading";
  shape: string;
  color: string;
  children?: NodeSpec[];
}

/** `put_progressbar`: `value` from 0 to 1 (changed by `progress` commands). */
export interface ProgressBarBody extends NodeBase {
  type: "progressbar";
  name: string;
  value: number;
  auto_close: boolean;
  label?: string;
}

/** `popup()`: a dialog; `close` is the callback its close button or Escape call. */
export interface PopupBody extends NodeBase {
  type: "popup";
  title: string;
  size: string;
  implicit_close: boolean;
  closable: boolean;
  close: number;
  children?: NodeSpec[];
}

/** `toast()`: shown `duration` ms (0: until closed); a click calls `cb`. */
export interface ToastBody extends NodeBase {
  type: "toast";
  text: string;
  duration: number;
  position: string;
  color: string;
  close: number;
  cb?: number;
}

/** One column of a `datatable` node: the row `field` it shows. */
export interface DataTableColumn {
  field: string;
  header: string;
  width?: number;
}

/** `put_datatable`: columns and row count; rows travel in `rows` commands. */
export interface DataTableBody extends NodeBase {
  type: "datatable";
  columns: DataTableColumn[];
  total: number;
  version: number;
  height: string;
  multiple: boolean;
  actions: (string | null)[];
  cb: number;
}

/** One option of a `select`, `checkbox` or `radio` field (Python keeps its value). */
export interface FieldOption {
  label: string;
  selected?: boolean;
  disabled?: boolean;
}

/** What a form button does: submit the form, reset it, or cancel an `input_group`. */
export type ButtonType = "submit" | "reset" | "cancel";

/** One button of an `actions` field (Python keeps its value). */
export interface FormButton {
  label: string;
  type: ButtonType;
  disabled?: boolean;
  color?: string;
}

/** The editor of a `textarea` field with `code`. */
export interface CodeOptions {
  language: string;
  theme: string;
}

/** The button beside an `input` field whose click calls its `action` callback. */
export interface FieldAction {
  label: string;
}

/**
 * One field of a `form` node (`type: "field"`), or a pin widget (`type: "pin"`).
 *
 * `input` is the kind (text, number, float, password, url, date, time, color,
 * datetime-local, textarea, select, checkbox, radio, slider, actions, file). Options and
 * buttons carry labels only; Python keeps their values. Updated later with `invalid`
 * (an error message or null), `progress` (bytes received), `value`, `options`...
 */
export interface FieldBody extends NodeBase {
  type: "field" | "pin";
  input: string;
  name?: string;
  label?: string;
  value?: unknown;
  placeholder?: string;
  required?: boolean;
  readonly?: boolean;
  help_text?: string;
  datalist?: string[];
  action?: FieldAction;
  options?: FieldOption[];
  multiple?: boolean;
  inline?: boolean;
  rows?: number;
  code?: CodeOptions;
  maxlength?: number;
  minlength?: number;
  buttons?: FormButton[];
  accept?: string;
  max_size?: number;
  max_total_size?: number;
  min?: number;
  max?: number;
  step?: number | string;
  onblur?: boolean;
  onchange?: boolean;
  invalid?: string | null;
  attrs?: Record<string, string>;
  progress?: number | null;
}

/** A placed field (its `id` is the node's). */
export interface FieldNode extends FieldBody {
  id: number;
}

/**
 * A waiting form: its fields, and whether its last `actions` field replaces the buttons.
 *
 * Updated with `error` (a form-level message), `disabled` and `status`
 * (`"interrupted"` or `"closed"`); removed once its answer is accepted.
 */
export interface FormBody extends NodeBase {
  type: "form";
  fields: FieldNode[];
  label?: string;
  cancelable?: boolean;
  own_buttons?: boolean;
}

/** What `Session.make` turns into a node: every body above. */
export type NodeBody =
  | TextBody
  | MarkdownBody
  | HtmlBody
  | CodeBody
  | LinkBody
  | StreamBody
  | ErrorBody
  | ButtonsBody
  | TableBody
  | ImageBody
  | FileBody
  | ScopeBody
  | OutputBody
  | EmptyBody
  | GapBody
  | LinearBody
  | GridBody
  | CollapseBody
  | ScrollableBody
  | TabsBody
  | WidgetBody
  | AlertBody
  | LoadingBody
  | ProgressBarBody
  | PopupBody
  | ToastBody
  | DataTableBody
  | FieldBody
  | FormBody;

/** The bodies of containers (their `children` are filled by `Session.adopt_children`). */
export type ContainerBody =
  | ScopeBody
  | OutputBody
  | LinearBody
  | CollapseBody
  | ScrollableBody
  | AlertBody
  | LoadingBody
  | PopupBody;

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
