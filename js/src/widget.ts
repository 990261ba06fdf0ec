// The anywidget host: one DocumentModel per widget model, one View per rendered output.
//
// anywidget hands `initialize` and `render` different proxies of the same model, and may call
// `initialize` again (removing the listeners it added), so documents are keyed by the widget's
// `_key` trait and listeners are (re)registered on every `initialize`.

import type { AnyModel } from "@anywidget/types";
import { download, evalJs, runJs } from "./commands";
import { DocumentModel } from "./document";
import "./eager";
import { receiveAsset, requestEditor } from "./editor-asset";
import { editor } from "./lazy";
import "./outputs/index";
import type { JsResultEvent, WidgetMessage } from "./protocol";

interface Model {
  _key: string;
  _snapshot: string;
}

interface Entry {
  doc: DocumentModel;
  epoch: number;
  /** Whether the kernel has spoken to this document (see `markLive`). */
  live: boolean;
  /** The elements the document is rendered into. */
  hosts: Set<HTMLElement>;
}

/**
 * Marks the document's hosts once a message of the kernel arrived: a view restored from saved
 * widget state without a kernel never gets one. The JupyterLab extension (js/labextension)
 * shows the live view in place of the saved copy only once it carries this mark.
 */
function markLive(entry: Entry): void {
  entry.live = true;
  for (const el of entry.hosts) el.setAttribute("data-pywebio-live", "");
}

const documents = new Map<string, Entry>();
/** The model whose content is being rendered: an editor request goes out through it. */
let activeModel: AnyModel<Model> | undefined;
/** How long after listening a document checks that no batch went by unseen. */
const PROBE_DELAY_MS = 300;
const decoder = new TextDecoder();

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function bufferText(buffer: DataView | ArrayBuffer | undefined): string {
  if (!buffer) return "";
  return decoder.decode(buffer instanceof DataView ? buffer : new Uint8Array(buffer));
}

/** Runs `fn` (which may render) with `model` as the one requests go out through. */
function withModel(model: AnyModel<Model>, fn: () => void): void {
  const previous = activeModel;
  activeModel = model;
  try {
    fn();
  } finally {
    activeModel = previous;
  }
}

editor.loadWith(() => {
  const model = activeModel;
  return requestEditor((event) => model?.send(event));
});

function entryFor(model: AnyModel<Model>): Entry {
  const key = model.get("_key");
  let entry = documents.get(key);
  if (!entry) {
    entry = {
      doc: new DocumentModel((event, buffers) => model.send(event, undefined, buffers)),
      epoch: 0,
      live: false,
      hosts: new Set(),
    };
    documents.set(key, entry);
  }
  return entry;
}

/** Feeds the document from this model proxy's snapshot trait and custom messages. */
function listen(model: AnyModel<Model>, entry: Entry): void {
  const doc = entry.doc;
  withModel(model, () => doc.offerSnapshot(parseJson(model.get("_snapshot"))));
  setTimeout(() => doc.probe(), PROBE_DELAY_MS);
  model.on("change:_snapshot", () =>
    withModel(model, () => doc.offerSnapshot(parseJson(model.get("_snapshot")))),
  );
  model.on("msg:custom", (msg: WidgetMessage, buffers: DataView[]) => {
    if (!entry.live) markLive(entry);
    if (msg?.kind === "batch") {
      withModel(model, () => doc.receiveBatch(msg.seq, parseJson(bufferText(buffers?.[0]))));
    } else if (msg?.kind === "resync") {
      withModel(model, () => doc.offerSnapshot(parseJson(bufferText(buffers?.[0]))));
    } else if (msg?.kind === "asset") {
      receiveAsset(msg.name, buffers?.[0]);
    } else if (msg?.kind === "run_js") {
      runJs(String(msg.code ?? ""), msg.args ?? {});
    } else if (msg?.kind === "eval_js") {
      const id = msg.id;
      void evalJs(String(msg.expression ?? ""), msg.args ?? {}).then((value) => {
        const answer: JsResultEvent = { kind: "js_result", id, value };
        model.send(answer);
      });
    } else if (msg?.kind === "download") {
      const buffer = buffers?.[0];
      const bytes = buffer
        ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
        : new Uint8Array();
      download(String(msg.name ?? "download"), bytes);
    }
  });
}

export default {
  initialize({ model }: { model: AnyModel<Model> }) {
    const entry = entryFor(model);
    const epoch = ++entry.epoch;
    listen(model, entry);
    return () => {
      // Forget the document when the model goes away for good (not when re-initialized).
      setTimeout(() => {
        if (entry.epoch === epoch && entry.doc.views.size === 0) {
          documents.delete(model.get("_key"));
        }
      }, 0);
    };
  },
  render({ model, el }: { model: AnyModel<Model>; el: HTMLElement }) {
    const entry = entryFor(model);
    if (entry.epoch === 0) {
      entry.epoch = 1;
      listen(model, entry);
    }
    let view: ReturnType<DocumentModel["attach"]> | undefined;
    withModel(model, () => (view = entry.doc.attach(el)));
    entry.hosts.add(el);
    if (entry.live) el.setAttribute("data-pywebio-live", "");
    return () => {
      entry.hosts.delete(el);
      if (view) entry.doc.detach(view);
    };
  },
};
