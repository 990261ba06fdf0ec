// Small DOM helpers shared by the renderers and the views.

import type { BrowserEvent } from "./protocol";

/** Applies the user's CSS (from `.style()`) on top of the renderer's own inline styles. */
export function applyStyle(el: HTMLElement, style: string): void {
  const base = el.dataset.pwBaseStyle ?? el.getAttribute("style") ?? "";
  el.dataset.pwBaseStyle = base;
  el.setAttribute("style", base ? `${base};${style}` : style);
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
