// Modules a renderer may need but a host may load late: the standalone page imports them on
// first use (esbuild splits them into chunks), the notebook widget provides most of them at
// once (eager.ts) and fetches the code editor from the kernel. Renderers stay synchronous:
// they draw a placeholder and fill it when the module arrives (see `fillWhenLoaded`).

import type * as Editor from "./forms/code";
import type * as Highlight from "./rich/highlight";
import type * as Markdown from "./rich/markdown";
import type * as Purify from "./rich/purify";
import type * as Template from "./rich/template";

/** A module that is either here already or loaded by a host-chosen loader. */
export class LazyModule<T> {
  private value: T | undefined;
  private loader: (() => Promise<T>) | undefined;

  constructor(
    readonly name: string,
    loader?: () => Promise<T>,
  ) {
    this.loader = loader;
  }

  /** Makes the module available at once (a host that bundles it). */
  provide(value: T): void {
    this.value = value;
  }

  /** Sets how the module is loaded (a dynamic import, a fetch from the kernel...). */
  loadWith(loader: () => Promise<T>): void {
    this.loader = loader;
  }

  /** The module when it is already here. */
  get now(): T | undefined {
    return this.value;
  }

  /** The module, loading it if needed (the loader deduplicates concurrent loads). */
  load(): Promise<T> {
    if (this.value !== undefined) return Promise.resolve(this.value);
    if (!this.loader) return Promise.reject(new Error(`pywebio_nb: no loader for ${this.name}`));
    return this.loader().then((value) => {
      this.value ??= value;
      return this.value;
    });
  }
}

export const markdown = new LazyModule<typeof Markdown>(
  "markdown",
  () => import("./rich/markdown"),
);
export const highlight = new LazyModule<typeof Highlight>(
  "highlight",
  () => import("./rich/highlight"),
);
export const purify = new LazyModule<typeof Purify>("purify", () => import("./rich/purify"));
export const template = new LazyModule<typeof Template>(
  "template",
  () => import("./rich/template"),
);
/** CodeMirror: no default loader, so that no bundle includes it by accident (see the hosts). */
export const editor = new LazyModule<typeof Editor>("editor");

/**
 * Fills `el` with `fill(module)`: at once when the module is here, else when it arrives.
 * Meanwhile `el` is marked busy. `alive()` says whether the element is still shown; a node
 * removed before its module arrived is left alone.
 */
export function fillWhenLoaded<T>(
  module: LazyModule<T>,
  el: HTMLElement,
  fill: (value: T) => void,
  alive: () => boolean = () => true,
): HTMLElement {
  const ready = module.now;
  if (ready !== undefined) {
    fill(ready);
    return el;
  }
  el.setAttribute("aria-busy", "true");
  module.load().then(
    (value) => {
      el.removeAttribute("aria-busy");
      if (!alive()) return;
      try {
        fill(value);
      } catch (error) {
        console.error(`pywebio_nb: rendering with ${module.name} failed`, error);
      }
    },
    (error: unknown) => {
      el.removeAttribute("aria-busy");
      console.error(`pywebio_nb: cannot load ${module.name}`, error);
    },
  );
  return el;
}
