// The anywidget host: one DocumentModel per widget model, one View per rendered output.
//
// anywidget hands `initialize` and `render` different proxies of the same model, and may call
// `initialize` again (removing the listeners it added), so documents are keyed by the widget's
// `_key` trait and listeners are (re)registered on every `initialize`.

import type { AnyModel } from "@anywidget/types";
import { download, runJs } from "./commands";
import { DocumentModel } from "./document";
import "./eager";
import { receiveAsset, requestEditor } from "./editor-asset";
import { editor } from "./lazy";
import "./outputs/index";
import type { KernelMessage } from "./protocol";

/** What the kernel sends on a root's comm (run_js/download come from the session API). */
type WidgetMessage =
  | KernelMessage
  | { kind: "run_js"; code?: string; args?: Record<string, unknown> }
  | { kind: "download"; name?: string };

interface Model {
  _key: string;
  _snapshot: string;
}

interface Entry {
  doc: DocumentModel;
  epoch: number;
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
    };
    documents.set(key, entry);
  }
  return entry;
}

/** Feeds the document from this model proxy's snapshot trait and custom messages. */
function listen(model: AnyModel<Model>, doc: DocumentModel): void {
  withModel(model, () => doc.offerSnapshot(parseJson(model.get("_snapshot"))));
  setTimeout(() => doc.probe(), PROBE_DELAY_MS);
  model.on("change:_snapshot", () =>
    withModel(model, () => doc.offerSnapshot(parseJson(model.get("_snapshot")))),
  );
  model.on("msg:custom", (msg: WidgetMessage, buffers: DataView[]) => {
    if (msg?.kind === "batch") {
      withModel(model, () => doc.receiveBatch(msg.seq, parseJson(bufferText(buffers?.[0]))));
    } else if (msg?.kind === "resync") {
      withModel(model, () => doc.offerSnapshot(parseJson(bufferText(buffers?.[0]))));
    } else if (msg?.kind === "asset") {
      receiveAsset(msg.name, buffers?.[0]);
    } else if (msg?.kind === "run_js") {
      runJs(String(msg.code ?? ""), msg.args ?? {});
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
    listen(model, entry.doc);
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
      listen(model, entry.doc);
    }
    let view: ReturnType<DocumentModel["attach"]> | undefined;
    withModel(model, () => (view = entry.doc.attach(el)));
    return () => view && entry.doc.detach(view);
  },
};
