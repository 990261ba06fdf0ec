// The renderer's static (read-only) mode: a saved output drawn by the same renderers as a live
// one, after its kernel is gone (a reopened notebook, an nbconvert export, a saved page).
//
// What the kernel saved (pywebio_nb/_core/saved.py) is a snapshot of the root plus, for each
// datatable, the first window of its rows (rows stay in Python while live), with each answered
// form (gone live, as in PyWebIO) back where it stood as an `answered` node: its answers. The view gets a
// `send` that answers `rows` events from those windows and drops everything else, and the drawn
// tree is made inert: controls disabled, clickable outputs no longer focusable, a visible note
// saying why. Reading stays possible: collapses open and close, tabs switch, tables scroll.

import { DocumentModel, type View } from "./document";
import "./eager";
import "./outputs/index";
import { h, register } from "./outputs/registry";
import type { BrowserEvent, NodeSpec, RowsCommand, SnapshotMessage } from "./protocol";
import { isSnapshot } from "./protocol-guards";

/** The MIME type of a saved output in a notebook's output bundle. */
export const SAVED_MIME = "application/vnd.pywebio-nb.saved+json";
/** The script type of saved data inside `text/html` when gzipped (base64): larger documents. */
export const SAVED_GZIP = "application/vnd.pywebio-nb.saved+gzip";

async function gunzipBase64(text: string): Promise<string> {
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text();
}

/**
 * The saved data held by a container of `text/html` (see pywebio_nb/templates/saved.html):
 * a `<script>` of JSON, or of gzipped JSON in base64. Undefined when there is none or it is bad.
 */
export async function readSaved(root: ParentNode): Promise<unknown> {
  try {
    const plain = root.querySelector(`script[type="${SAVED_MIME}"]`);
    if (plain) return JSON.parse(plain.textContent ?? "");
    const packed = root.querySelector(`script[type="${SAVED_GZIP}"]`);
    if (packed) return JSON.parse(await gunzipBase64(packed.textContent ?? ""));
  } catch {
    // a damaged copy: the plain fallback stays
  }
  return undefined;
}

/** What the saved copy of a root carries (see pywebio_nb/_persist.py: saved_data). */
export interface SavedOutput {
  v: 1;
  snapshot: SnapshotMessage;
  /** The first window of each datatable's rows, by node id. */
  rows?: Record<string, RowsCommand>;
  /** The live widget's model id, for a host that can show the live view instead. */
  model_id?: string;
  /** The note shown under the copy (default: KERNEL_GONE). */
  note?: string;
}

export const KERNEL_GONE =
  "Saved output: the kernel that ran this cell is gone, so its buttons and forms do nothing. " +
  "Run the cell again to use them.";

/** Whether `value` looks like a saved output this renderer can draw. */
export function isSavedOutput(value: unknown): value is SavedOutput {
  if (typeof value !== "object" || value === null) return false;
  const saved = value as Partial<SavedOutput>;
  return saved.v === 1 && isSnapshot(saved.snapshot);
}

/** An answered form in a saved copy: its label and each field's question and answer. */
register("answered", (spec) => {
  const box = h("div", "pywebio-answered");
  box.setAttribute("role", "group");
  const label = typeof spec.label === "string" && spec.label ? spec.label : "Answered form";
  box.setAttribute("aria-label", label);
  if (spec.label) box.append(h("div", "pywebio-answered-label", label));
  const list = h("dl", "pywebio-answered-fields");
  for (const field of Array.isArray(spec.fields) ? spec.fields : []) {
    const { label: question, value } = (field ?? {}) as { label?: unknown; value?: unknown };
    list.append(
      h("dt", undefined, String(question ?? "")),
      h("dd", undefined, String(value ?? "")),
    );
  }
  box.append(list);
  return box;
});

/** Outputs drawn over the page (see popup.ts): transient, so a saved copy leaves them out. */
const OVERLAYS = new Set(["toast", "popup"]);

function withoutOverlays(value: unknown): void {
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) {
      const item = value[i] as { type?: unknown } | null;
      if (item && typeof item === "object" && OVERLAYS.has(String(item.type))) value.splice(i, 1);
      else withoutOverlays(item);
    }
  } else if (typeof value === "object" && value !== null) {
    for (const item of Object.values(value)) withoutOverlays(item);
  }
}

/**
 * A saved datatable holds only its first window of rows: it shows those (no empty rows below)
 * and a line after it says how many more there were.
 */
function trimDatatables(value: unknown, rows: Record<string, RowsCommand>): void {
  if (!Array.isArray(value)) {
    if (typeof value === "object" && value !== null) {
      for (const item of Object.values(value)) trimDatatables(item, rows);
    }
    return;
  }
  for (let i = value.length - 1; i >= 0; i--) {
    const node = value[i] as NodeSpec | null;
    trimDatatables(node, rows);
    if (node?.type !== "datatable" || typeof node.total !== "number") continue;
    const window = rows[String(node.id)];
    const kept = window?.rows.length ?? 0;
    if (node.total <= kept) continue;
    const more = node.total - kept;
    node.total = kept;
    if (window) window.total = kept;
    const text = `${more.toLocaleString("en")} more rows were not saved with this copy.`;
    value.splice(i + 1, 0, { id: -node.id, type: "text", text });
  }
}

/** Elements that stay usable in a saved output: they only change what is on screen. */
const READING_ONLY = "summary, [role=tab]";
const CONTROLS = "button, input, select, textarea, fieldset";

/** Disables every control under `el` and unhooks clickable outputs; idempotent. */
export function makeInert(el: HTMLElement): void {
  for (const control of Array.from(el.querySelectorAll<HTMLElement>(CONTROLS))) {
    if (control.matches(READING_ONLY)) continue;
    (control as HTMLButtonElement).disabled = true;
    if (control instanceof HTMLButtonElement) control.title = KERNEL_GONE;
  }
  for (const clickable of Array.from(el.querySelectorAll<HTMLElement>(".pywebio-clickable"))) {
    if (clickable.matches(READING_ONLY)) continue;
    clickable.onclick = null;
    clickable.onkeydown = null;
    clickable.removeAttribute("tabindex");
    clickable.setAttribute("aria-disabled", "true");
    clickable.title = KERNEL_GONE;
  }
}

/** Stops a click or key on something inert from reaching any handler. */
function guard(event: Event): void {
  const target = event.target as Element | null;
  if (!target?.closest) return;
  if (target.closest(READING_ONLY)) return;
  if (
    target.closest(
      `${CONTROLS}, .pywebio-clickable, [role=button], [role=gridcell], a[data-pw-app]`,
    )
  ) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}

/** A shown saved output; `dispose` removes it. */
export interface SavedView {
  readonly view: View;
  dispose(): void;
}

/**
 * Draws `saved` into `el`, read-only, with a note that the kernel is gone.
 *
 * Returns undefined (and draws nothing) when `saved` is not a saved output of this version.
 */
export function renderSaved(el: HTMLElement, saved: unknown): SavedView | undefined {
  if (!isSavedOutput(saved)) return undefined;
  const rows = saved.rows ?? {};
  let view: View | undefined;
  const send = (event: BrowserEvent): void => {
    if (event.kind !== "rows") return;
    const window = rows[String(event.id)];
    if (!window || event.start !== window.start) return;
    // Answer as the kernel would have (a later task: the renderer asks while drawing).
    queueMicrotask(() => {
      if (!view) return;
      view.apply(window);
      makeInert(view.el);
    });
  };
  const doc = new DocumentModel(send);
  withoutOverlays(saved.snapshot.root);
  trimDatatables(saved.snapshot.root, rows);
  doc.offerSnapshot(saved.snapshot);
  const frame = document.createElement("div");
  frame.className = "pywebio-saved";
  const body = document.createElement("div");
  const note = document.createElement("div");
  note.className = "pywebio-saved-note";
  note.setAttribute("role", "note");
  note.textContent = typeof saved.note === "string" && saved.note ? saved.note : KERNEL_GONE;
  frame.append(body, note);
  el.replaceChildren(frame);
  view = doc.attach(body);
  makeInert(body);
  for (const type of ["click", "keydown", "submit", "change", "input"]) {
    frame.addEventListener(type, guard, true);
  }
  const shown = view;
  return {
    view: shown,
    dispose() {
      doc.detach(shown);
      el.replaceChildren();
    },
  };
}
