// The anywidget host: one DocumentModel per widget model, one View per rendered output.

import type { AnyModel } from "@anywidget/types";
import { download, runJs } from "./commands";
import { DocumentModel } from "./document";
import "./outputs/index";
import type { KernelMessage } from "./protocol";

/** What the kernel sends on a root's comm (run_js/download come from the session API). */
type WidgetMessage =
  | KernelMessage
  | { kind: "run_js"; code?: string; args?: Record<string, unknown> }
  | { kind: "download"; name?: string };

interface Model {
  _snapshot: string;
}

const documents = new WeakMap<object, DocumentModel>();
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

function documentFor(model: AnyModel<Model>): DocumentModel {
  let doc = documents.get(model);
  if (!doc) {
    const created = new DocumentModel((event) => model.send(event));
    documents.set(model, created);
    created.offerSnapshot(parseJson(model.get("_snapshot")));
    model.on("change:_snapshot", () => created.offerSnapshot(parseJson(model.get("_snapshot"))));
    model.on("msg:custom", (msg: WidgetMessage, buffers: DataView[]) => {
      if (msg?.kind === "batch") {
        created.receiveBatch(msg.seq, parseJson(bufferText(buffers?.[0])));
      } else if (msg?.kind === "resync") {
        created.offerSnapshot(parseJson(bufferText(buffers?.[0])));
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
    doc = created;
  }
  return doc;
}

export default {
  initialize({ model }: { model: AnyModel<Model> }) {
    documentFor(model);
  },
  render({ model, el }: { model: AnyModel<Model>; el: HTMLElement }) {
    const doc = documentFor(model);
    const view = doc.attach(el);
    return () => doc.detach(view);
  },
};
