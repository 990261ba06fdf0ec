// Generated from pywebio_nb/_core/nodes.py by js/gen_protocol.py: do not edit by hand.
// Regenerate with `npm run gen:protocol`; CI fails when this file differs from what the
// generator writes. What each message means is documented in the Python module.
// A part of the protocol (PROTOCOL_PARTS of pywebio_nb._core.protocol).

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
