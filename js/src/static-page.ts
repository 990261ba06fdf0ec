// The renderer of a saved output inside a self-contained HTML document (the `text/html` of a
// saved notebook output, shown by nbconvert's HTML export, and a saved standalone page). It is
// the static mode of the renderer (static.ts) plus its CSS, bundled as one classic script that
// each output's small loader (build.mjs: writeStaticLoader) decompresses and runs once a page.

import { readSaved, renderSaved } from "./static";

declare const __PYWEBIO_NB_STATIC_KEY__: string;
declare const __PYWEBIO_NB_CSS__: string;

interface StaticGlobal {
  /** Containers whose loader ran before this script did. */
  queue?: HTMLElement[];
  renderIn?: (box: HTMLElement) => Promise<void>;
}

function injectStyle(): void {
  const id = `${__PYWEBIO_NB_STATIC_KEY__}-style`;
  if (document.getElementById(id)) return;
  const style = document.createElement("style");
  style.id = id;
  style.textContent = __PYWEBIO_NB_CSS__;
  document.head.append(style);
}

/** Draws the saved output held by `box` (its saved-data `<script>`) in place of its fallback. */
export async function renderIn(box: HTMLElement): Promise<void> {
  if (box.dataset.pwRendered) return;
  box.dataset.pwRendered = "1";
  const saved = await readSaved(box);
  injectStyle();
  const target = document.createElement("div");
  if (!renderSaved(target, saved)) {
    delete box.dataset.pwRendered;
    return; // the plain fallback stays
  }
  box.querySelector(".pywebio-saved-fallback")?.remove();
  box.prepend(target);
}

const root = globalThis as unknown as Record<string, StaticGlobal | undefined>;
const state: StaticGlobal = root[__PYWEBIO_NB_STATIC_KEY__] ?? {};
root[__PYWEBIO_NB_STATIC_KEY__] = state;
state.renderIn = renderIn;
for (const box of state.queue?.splice(0) ?? []) void renderIn(box);
