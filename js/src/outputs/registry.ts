// Maps a node's `type` to the function that draws it. Each family of outputs registers its
// renderers in its own module (text.ts, table.ts, ...), mirroring pywebio_nb/output/.

import { applyStyle, makeClickable } from "../dom";
import type { BrowserEvent, NodeCommand, NodeSpec } from "../protocol";

/** What a renderer may use: draw nested nodes, register containers, send events. */
export interface RenderContext {
  render(spec: NodeSpec): HTMLElement;
  register(spec: NodeSpec, el: HTMLElement): void;
  registerContainer(spec: NodeSpec, el: HTMLElement): void;
  send(event: BrowserEvent, buffers?: ArrayBuffer[]): void;
  /** Handles commands addressed to this node (progress, rows...). */
  onCommand(spec: NodeSpec, handler: (command: NodeCommand) => void): void;
  /** Runs `fn` when the node leaves the view (removed, re-rendered, or the view closes). */
  onDispose(spec: NodeSpec, fn: () => void): void;
  /** A layer over the page for popups and toasts, owned by this view (removed with it). */
  overlay(): HTMLElement;
  /** Forgets the nodes rendered inside `el` (an element outside the view's own tree). */
  release(el: HTMLElement): void;
}

export type Renderer = (spec: NodeSpec, ctx: RenderContext) => HTMLElement;

/** Applies `update` attributes (other than style/click) to a node's element in place. */
export type Updater = (attrs: Record<string, unknown>) => void;

const updaters = new WeakMap<HTMLElement, Updater>();

/** Lets a renderer apply later `update` commands itself, keeping what the user entered. */
export function onUpdate(el: HTMLElement, updater: Updater): void {
  updaters.set(el, updater);
}

export function updaterOf(el: HTMLElement): Updater | undefined {
  return updaters.get(el);
}

const renderers = new Map<string, Renderer>();

/**
 * A node as the renderer of its type reads it: the generated body of that type (protocol.ts),
 * every key optional, over `NodeSpec`. Renderers still check the values they read: a node comes
 * from the kernel or the server as JSON, and may have been saved by another version.
 */
export type NodeOf<B extends { type: string }> = NodeSpec & Partial<Omit<B, "type">>;

/** Sets the renderer of nodes of `type`, typed by the body `B` that Python builds for it. */
export function register<B extends { type: string }>(
  type: B["type"],
  renderer: (spec: NodeOf<B>, ctx: RenderContext) => HTMLElement,
): void {
  renderers.set(type, renderer as Renderer);
}

/** Draws a node with the renderer of its type; unknown types show a visible notice. */
export function renderNode(spec: NodeSpec, ctx: RenderContext): HTMLElement {
  const renderer = renderers.get(spec.type);
  let el: HTMLElement;
  if (renderer) {
    try {
      el = renderer(spec, ctx);
    } catch (error) {
      console.error("pywebio_nb: rendering failed", spec, error);
      el = notice(`cannot render this ${spec.type} output: ${String(error)}`);
    }
  } else {
    el = notice(`unknown output type ${JSON.stringify(spec.type)}`);
  }
  if (typeof spec.id === "number") {
    el.setAttribute("data-pwid", String(spec.id)); // faster than dataset for many nodes
    ctx.register(spec, el);
  }
  if (typeof spec.style === "string" && spec.style) applyStyle(el, spec.style);
  if (typeof spec.click === "number") makeClickable(el, spec.click, ctx);
  return el;
}

function notice(text: string): HTMLElement {
  const el = document.createElement("div");
  el.className = "pywebio-notice";
  el.textContent = text;
  return el;
}

/** Creates an element with a class and optional text (as text, never as HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}
