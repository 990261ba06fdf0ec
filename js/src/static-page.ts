// The renderer of a saved output inside a self-contained HTML document (the `text/html` of a
// saved notebook output, shown by nbconvert's HTML export, and a saved standalone page). It is
// the static mode of the renderer (static.ts) plus its CSS, bundled as one classic script that
// each output's small loader (build.mjs: writeStaticLoader) decompresses and runs once a page.

import { SAVED_MIME, renderSaved } from "./static";

declare const __PYWEBIO_NB_STATIC_KEY__: string;
declare const __PYWEBIO_NB_CSS__: string;

interface StaticGlobal {
  /** Containers whose loader ran before this script did. */
  queue?: HTMLElement[];
  renderIn?: (box: HTMLElement) => void;
}

function injectStyle(): void {
  const id = `${__PYWEBIO_NB_STATIC_KEY__}-style`;
  if (document.getElementById(id)) return;
  const style = document.createElement("style");
  style.id = id;
  style.textContent = __PYWEBIO_NB_CSS__;
  document.head.append(style);
}

/** Draws the saved output held by `box` (a `<script type=SAVED_MIME>` in it) in place. */
export function renderIn(box: HTMLElement): void {
  if (box.dataset.pwRendered) return;
  const data = box.querySelector(`script[type="${SAVED_MIME}"]`);
  let saved: unknown;
  try {
    saved = JSON.parse(data?.textContent ?? "");
  } catch {
    return; // the plain fallback stays
  }
  injectStyle();
  const target = document.createElement("div");
  if (!renderSaved(target, saved)) return;
  box.dataset.pwRendered = "1";
  box.querySelector(".pywebio-saved-fallback")?.remove();
  box.prepend(target);
}

const root = globalThis as unknown as Record<string, StaticGlobal | undefined>;
const state: StaticGlobal = root[__PYWEBIO_NB_STATIC_KEY__] ?? {};
root[__PYWEBIO_NB_STATIC_KEY__] = state;
state.renderIn = renderIn;
for (const box of state.queue?.splice(0) ?? []) renderIn(box);
