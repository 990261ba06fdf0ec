// The notebook's way to the code editor: widget.js does not include CodeMirror; the first code
// field asks the kernel for static/editor.js (`{"kind": "asset", "name": "editor"}`), which
// answers with the file as a binary buffer, imported here through a Blob URL. Every widget.js
// instance of the page (anywidget compiles one per cell) shares one load through globalThis,
// keyed by the editor's build hash so that two versions of the package never mix.

import type * as Editor from "./forms/code";
import type { AssetEvent } from "./protocol";

declare const __PYWEBIO_NB_EDITOR_HASH__: string | undefined;

type EditorModule = typeof Editor;

interface EditorLoad {
  promise: Promise<EditorModule>;
  deliver(bytes: Uint8Array): void;
  requestedAt: number;
  received: boolean;
}

/** A request that got no answer (its cell re-ran, the comm closed) is sent again after this. */
const RESEND_MS = 5000;
const BUILD = typeof __PYWEBIO_NB_EDITOR_HASH__ === "string" ? __PYWEBIO_NB_EDITOR_HASH__ : "dev";
const KEY = `__pywebio_nb_editor_${BUILD}`;

async function importBytes(bytes: Uint8Array): Promise<EditorModule> {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "text/javascript" }));
  try {
    return (await import(/* @vite-ignore */ url)) as EditorModule;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function shared(): EditorLoad {
  const store = globalThis as unknown as Record<string, EditorLoad | undefined>;
  let load = store[KEY];
  if (!load) {
    let deliver: (bytes: Uint8Array) => void = () => undefined;
    const bytes = new Promise<Uint8Array>((resolve) => (deliver = resolve));
    load = { promise: bytes.then(importBytes), deliver, requestedAt: 0, received: false };
    store[KEY] = load;
  }
  return load;
}

/** The editor module; asks the kernel through `send` unless a request is already under way. */
export function requestEditor(send: (event: AssetEvent) => void): Promise<EditorModule> {
  const load = shared();
  const now = Date.now();
  if (!load.received && now - load.requestedAt > RESEND_MS) {
    load.requestedAt = now;
    send({ kind: "asset", name: "editor" });
  }
  return load.promise;
}

/** Takes the kernel's answer to an asset request (a second answer is ignored). */
export function receiveAsset(name: unknown, buffer: DataView | ArrayBuffer | undefined): void {
  if (name !== "editor" || !buffer) return;
  const load = shared();
  if (load.received) return;
  load.received = true;
  const bytes =
    buffer instanceof DataView
      ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
      : new Uint8Array(buffer);
  load.deliver(bytes);
}
