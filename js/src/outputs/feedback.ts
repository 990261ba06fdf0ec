// Feedback (pywebio_nb/output/_feedback.py): alert boxes, loading spinners, progress bars.

import type { AlertBody, LoadingBody, NodeSpec, ProgressBarBody } from "../protocol";
import { h, register } from "./registry";

register<AlertBody>("alert", (spec, ctx) => {
  const kind = ["info", "success", "warning", "error"].includes(String(spec.kind))
    ? String(spec.kind)
    : "info";
  const box = h("div", `pywebio-alert pywebio-alert-${kind}`);
  box.setAttribute("role", kind === "warning" || kind === "error" ? "alert" : "status");
  const body = h("div", "pywebio-alert-body");
  for (const child of (spec.children ?? []) as NodeSpec[]) body.append(ctx.render(child));
  ctx.registerContainer(spec, body);
  box.append(body);
  if (typeof spec.close === "number") {
    const close = h("button", "pywebio-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", (event) => {
      event.stopPropagation();
      box.hidden = true;
      ctx.send({ kind: "callback", cb: spec.close as number, value: null });
    });
    box.append(close);
  }
  return box;
});

register<LoadingBody>("loading", (spec, ctx) => {
  const el = h("div", "pywebio-loading");
  const spinner = h(
    "span",
    `pywebio-spinner pywebio-spinner-${spec.shape === "grow" ? "grow" : "border"}`,
  );
  spinner.classList.add(`pywebio-spinner-${String(spec.color ?? "dark")}`);
  spinner.setAttribute("role", "status");
  spinner.setAttribute("aria-label", "Loading");
  const body = h("div", "pywebio-loading-body");
  for (const child of (spec.children ?? []) as NodeSpec[]) body.append(ctx.render(child));
  ctx.registerContainer(spec, body);
  el.append(spinner, body);
  return el;
});

register<ProgressBarBody>("progressbar", (spec, ctx) => {
  const el = h("div", "pywebio-progress");
  el.setAttribute("role", "progressbar");
  el.setAttribute("aria-valuemin", "0");
  el.setAttribute("aria-valuemax", "100");
  if (typeof spec.name === "string") el.dataset.name = spec.name;
  const bar = h("div", "pywebio-progress-bar");
  el.append(bar);
  const show = (value: number, label: unknown): void => {
    const percent = Math.round(Math.max(0, Math.min(1, value)) * 1000) / 10;
    bar.style.width = `${percent}%`;
    el.setAttribute("aria-valuenow", String(percent));
    // PyWebIO's default label: the percentage with one decimal ("25.0%").
    const text =
      typeof label === "string" ? label : `${(Math.max(0, Math.min(1, value)) * 100).toFixed(1)}%`;
    bar.textContent = text;
    el.setAttribute("aria-valuetext", text);
  };
  show(Number(spec.value ?? 0), spec.label);
  ctx.onCommand(spec, (command) => {
    if (command.op === "progress") show(command.value, command.label ?? spec.label);
  });
  return el;
});
