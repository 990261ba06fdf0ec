// Buttons (pywebio_nb/output/_buttons.py): the browser only knows each button's index.

import type { ButtonItem, ButtonsBody } from "../protocol";
import { h, register } from "./registry";

register<ButtonsBody>("buttons", (spec, ctx) => {
  const group = h("div", "pywebio-buttons");
  if (spec.group) {
    group.classList.add("pywebio-button-group");
    group.setAttribute("role", "group");
  }
  const buttons = Array.isArray(spec.buttons) ? (spec.buttons as ButtonItem[]) : [];
  buttons.forEach((button, index) => {
    const el = h("button", "pywebio-button", String(button.label ?? ""));
    el.type = "button";
    // Python only sends known colours; a malformed one must not break the whole group.
    const color = /^[a-z]+$/.test(String(button.color)) ? button.color : "primary";
    el.classList.add(`pywebio-button-${color}`);
    if (spec.small) el.classList.add("pywebio-button-small");
    if (spec.link) el.classList.add("pywebio-button-link");
    if (spec.outline) el.classList.add("pywebio-button-outline");
    el.disabled = Boolean(button.disabled);
    el.addEventListener("click", (event) => {
      event.stopPropagation();
      ctx.send({ kind: "callback", cb: spec.cb as number, value: index });
    });
    group.append(el);
  });
  return group;
});
