// Small DOM helpers shared by the renderers and the views.

import type { BrowserEvent } from "./protocol";

/** Applies the user's CSS (from `.style()`) on top of the renderer's own inline styles. */
export function applyStyle(el: HTMLElement, style: string): void {
  const base = el.dataset.pwBaseStyle ?? el.getAttribute("style") ?? "";
  el.dataset.pwBaseStyle = base;
  el.setAttribute("style", base ? `${base};${style}` : style);
}

/**
 * Keeps the keys pressed in the outputs' fields (sliders, selects, radios, text fields, the code
 * editor, buttons) for them. A host page may have keyboard shortcuts listening on the document:
 * JupyterLab's take the arrow keys and letters from any focused element that is not a text field
 * while a notebook is in command mode, so a slider in a cell output could not be moved. Keys
 * with Ctrl or Cmd (the host's save, its command palette...) and Escape (leave the field) still
 * reach the host.
 */
export function keepKeys(root: HTMLElement): void {
  root.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.key === "Escape") return;
    if (event.target instanceof Element && event.target !== root) event.stopPropagation();
  });
}

/** Elements whose native role says more than "button" does. */
const KEEPS_ROLE = new Set(["IMG", "A", "BUTTON", "INPUT", "SELECT", "TEXTAREA"]);

/** Makes any output clickable (`.onclick()`), by mouse and by keyboard. */
export function makeClickable(
  el: HTMLElement,
  callbackId: number,
  ctx: { send(event: BrowserEvent): void },
): void {
  el.classList.add("pywebio-clickable");
  el.tabIndex = 0;
  // An element with a role of its own (an image named by its alt text, a link) keeps it, so
  // it is still found as what it shows; other outputs (text, a box) become buttons.
  if (!el.getAttribute("role") && !KEEPS_ROLE.has(el.tagName)) el.setAttribute("role", "button");
  const fire = (): void => ctx.send({ kind: "callback", cb: callbackId, value: null });
  el.onclick = (event) => {
    event.stopPropagation();
    fire();
  };
  el.onkeydown = (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      fire();
    }
  };
}
