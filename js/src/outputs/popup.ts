// Popups and toasts (pywebio_nb/output/_popup.py). Their nodes live in the root of the cell that
// raised them; what the node renders in place is an invisible anchor, and the dialog or toast
// itself goes to the view's overlay layer over the page, removed with the node or the view.

import type { NodeSpec, PopupBody, ToastBody } from "../protocol";
import { h, register, type RenderContext } from "./registry";

let dialogCounter = 0;

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function anchor(spec: NodeSpec): HTMLElement {
  const el = h("span", `pywebio-anchor pywebio-anchor-${spec.type}`);
  el.hidden = true;
  return el;
}

register<PopupBody>("popup", (spec, ctx) => {
  const backdrop = h("div", "pywebio-popup-backdrop");
  const size = ["small", "normal", "large"].includes(String(spec.size))
    ? String(spec.size)
    : "normal";
  const dialog = h("div", `pywebio-popup pywebio-popup-${size}`);
  const titleId = `pywebio-popup-title-${++dialogCounter}`;
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-modal", "true");
  dialog.setAttribute("aria-labelledby", titleId);
  dialog.tabIndex = -1;
  const header = h("div", "pywebio-popup-header");
  const title = h("h2", "pywebio-popup-title", String(spec.title ?? ""));
  title.id = titleId;
  header.append(title);
  const body = h("div", "pywebio-popup-body");
  for (const child of (spec.children ?? []) as NodeSpec[]) body.append(ctx.render(child));
  ctx.registerContainer(spec, body);

  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    backdrop.hidden = true;
    ctx.send({ kind: "callback", cb: spec.close as number, value: null });
  };
  if (spec.closable !== false) {
    const button = h("button", "pywebio-close", "×");
    button.type = "button";
    button.setAttribute("aria-label", "Close");
    button.addEventListener("click", close);
    header.append(button);
  }
  dialog.append(header, body);
  backdrop.append(dialog);

  backdrop.addEventListener("mousedown", (event) => {
    if (event.target === backdrop && spec.implicit_close) close();
  });
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      event.preventDefault();
      if (spec.implicit_close) close();
    } else if (event.key === "Tab") {
      // Keep focus inside the dialog while it is open.
      const focusable = Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
        (el) => !el.closest("[hidden]"),
      );
      if (focusable.length === 0) {
        event.preventDefault();
        return;
      }
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  ctx.overlay().append(backdrop);
  requestAnimationFrame(() => {
    if (!backdrop.isConnected) return;
    const target = body.querySelector<HTMLElement>(FOCUSABLE) ?? dialog;
    target.focus();
  });
  ctx.onDispose(spec, () => {
    const hadFocus = backdrop.contains(document.activeElement);
    ctx.release(body);
    backdrop.remove();
    if (hadFocus && previous?.isConnected) previous.focus();
  });
  return anchor(spec);
});

const NAMED_COLORS = new Set(["info", "error", "warn", "success"]);

function toastStack(ctx: RenderContext, position: string): HTMLElement {
  const overlay = ctx.overlay();
  const className = `pywebio-toasts pywebio-toasts-${position}`;
  let stack = Array.from(overlay.children).find((child) =>
    child.classList.contains(`pywebio-toasts-${position}`),
  ) as HTMLElement | undefined;
  if (!stack) {
    stack = h("div", className);
    overlay.append(stack);
  }
  return stack;
}

register<ToastBody>("toast", (spec, ctx) => {
  const position = ["left", "center", "right"].includes(String(spec.position))
    ? String(spec.position)
    : "center";
  const color = String(spec.color ?? "info");
  const el = h("div", "pywebio-toast");
  if (NAMED_COLORS.has(color)) el.classList.add(`pywebio-toast-${color}`);
  else if (/^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(color)) el.style.setProperty("--pw-toast", color);
  el.setAttribute("role", color === "error" ? "alert" : "status");
  el.append(h("span", "pywebio-toast-text", String(spec.text ?? "")));

  let closed = false;
  let timer: number | undefined;
  const close = (): void => {
    if (closed) return;
    closed = true;
    window.clearTimeout(timer);
    el.remove();
    ctx.send({ kind: "callback", cb: spec.close as number, value: null });
  };
  if (typeof spec.cb === "number") {
    el.classList.add("pywebio-clickable");
    el.tabIndex = 0;
    const fire = (): void => {
      if (closed) return;
      closed = true;
      window.clearTimeout(timer);
      el.remove();
      ctx.send({ kind: "callback", cb: spec.cb as number, value: null });
    };
    el.addEventListener("click", fire);
    el.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        fire();
      }
    });
  }
  const duration = Number(spec.duration ?? 2000);
  if (duration > 0) {
    timer = window.setTimeout(close, duration);
  } else {
    const button = h("button", "pywebio-close", "×");
    button.type = "button";
    button.setAttribute("aria-label", "Close");
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      close();
    });
    el.append(button);
  }
  toastStack(ctx, position).append(el);
  ctx.onDispose(spec, () => {
    window.clearTimeout(timer);
    el.remove();
  });
  return anchor(spec);
});
