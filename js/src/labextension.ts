// The JupyterLab / Notebook 7 host of saved outputs: a MIME renderer extension for the saved
// copy the kernel writes into every pywebio_nb output (pywebio_nb/_persist.py).
//
// Its rank (-20) is below ipywidgets' widget view (-10), so it draws every pywebio_nb output:
// at once the saved copy, read-only (static.ts), and, hidden beside it, the live widget view
// through the notebook's own widget renderer. Once the live view shows that its kernel spoke
// (widget.ts: markLive), it replaces the saved copy. Without a kernel, or with a kernel that
// never ran the cell, or with a widget model restored from saved widget state, the live view
// never gets that mark and the saved copy stays: never "model not found", never a live-looking
// view whose buttons do nothing.

import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { Panel, type Widget } from "@lumino/widgets";
import { readSaved, renderSaved, SAVED_MIME, type SavedView } from "./static";

declare const __PYWEBIO_NB_CSS__: string;

const VIEW_MIME = "application/vnd.jupyter.widget-view+json";
const STATE_MIME = "application/vnd.jupyter.widget-state+json";
const LIVE = "data-pywebio-live";

/** What the renderer can ask of the output area it sits in (duck-typed, not imported). */
interface RendererSource {
  createRenderer(mimeType: string): IRenderMime.IRenderer;
  getFactory(mimeType: string): unknown;
  mimeTypes: readonly string[];
}

/** How often a saved output checks whether the widget manager arrived (see `watchFactory`). */
const FACTORY_CHECK_MS = 1000;

function injectStyle(): void {
  const id = "pywebio-nb-labextension-style";
  if (document.getElementById(id)) return;
  const style = document.createElement("style");
  style.id = id;
  style.textContent = __PYWEBIO_NB_CSS__;
  document.head.append(style);
}

/** The saved data of a bundle: in the saved MIME entry, or inside its `text/html`. */
export async function savedFrom(data: Readonly<Record<string, unknown>>): Promise<unknown> {
  const entry = data[SAVED_MIME] as Record<string, unknown> | undefined;
  if (entry && typeof entry === "object" && "snapshot" in entry) return entry;
  const html = data["text/html"];
  const text = Array.isArray(html) ? html.join("") : html;
  if (typeof text !== "string") return undefined;
  return readSaved(new DOMParser().parseFromString(text, "text/html"));
}

/** The widget view entry of a bundle, or one made from the saved model id. */
function viewOf(data: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const view = data[VIEW_MIME];
  if (view && typeof view === "object") return view as Record<string, unknown>;
  const entry = data[SAVED_MIME] as { model_id?: unknown } | undefined;
  const modelId = entry?.model_id;
  return typeof modelId === "string" && modelId
    ? { model_id: modelId, version_major: 2, version_minor: 1 }
    : undefined;
}

/** Whether a saved widget-state entry is a pywebio_nb root (an anywidget with our synced traits). */
function isRootState(entry: unknown): boolean {
  if (!entry || typeof entry !== "object") return false;
  const { model_module: module, state } = entry as { model_module?: unknown; state?: unknown };
  return (
    module === "anywidget" &&
    !!state &&
    typeof state === "object" &&
    "_key" in state &&
    "_snapshot" in state
  );
}

/**
 * The notebook's `widgets` metadata without pywebio_nb's models, or `undefined` when it holds
 * none. With JupyterLab's "save widget state" on, ipywidgets writes every live model into the
 * file; nbconvert then prefers the widget view (drawn by ipywidgets' HTML manager, fetched from
 * a CDN) over the self-contained `text/html` our outputs carry. Our outputs need no widget
 * state: their saved copy is in the output itself.
 */
export function withoutRoots(widgets: unknown): Record<string, unknown> | undefined {
  if (!widgets || typeof widgets !== "object") return undefined;
  const saved = (widgets as Record<string, unknown>)[STATE_MIME] as
    | { state?: Record<string, unknown> }
    | undefined;
  const state = saved?.state;
  if (!state || typeof state !== "object") return undefined;
  const kept = Object.entries(state).filter(([, entry]) => !isRootState(entry));
  if (kept.length === Object.keys(state).length) return undefined;
  return { ...widgets, [STATE_MIME]: { ...saved, state: Object.fromEntries(kept) } };
}

/** The part of a notebook model this extension uses (duck-typed, not imported). */
interface NotebookModelLike {
  metadataChanged: { connect(slot: (sender: unknown, change: { key?: unknown }) => void): unknown };
  getMetadata(key: string): unknown;
  setMetadata(key: string, value: unknown): void;
}

const watchedModels = new WeakSet<object>();

/**
 * Keeps pywebio_nb's models out of the notebook's saved widget state. ipywidgets sets the
 * `widgets` metadata synchronously while a save starts, before the file's content is taken;
 * this answers that change at once (also synchronously), so the file never holds them.
 */
function keepRootsOutOfWidgetState(model: NotebookModelLike): void {
  if (watchedModels.has(model)) return;
  watchedModels.add(model);
  model.metadataChanged.connect((_sender, change) => {
    if (change.key !== "widgets") return;
    const kept = withoutRoots(model.getMetadata("widgets"));
    if (kept) model.setMetadata("widgets", kept);
  });
}

/** The notebook model of the document a widget sits in (its `context.model`), if any. */
function notebookModelOf(widget: Widget | null): NotebookModelLike | undefined {
  for (let at = widget; at; at = at.parent) {
    const model = (at as unknown as { context?: { model?: Partial<NotebookModelLike> } }).context
      ?.model;
    if (
      model &&
      typeof model.getMetadata === "function" &&
      typeof model.setMetadata === "function" &&
      typeof model.metadataChanged?.connect === "function"
    ) {
      return model as NotebookModelLike;
    }
  }
  return undefined;
}

export class SavedOutputRenderer extends Panel implements IRenderMime.IRenderer {
  private readonly savedHost = document.createElement("div");
  private saved: SavedView | undefined;
  private live: (IRenderMime.IRenderer & Widget) | undefined;
  private liveModelId: string | undefined;
  private pending: IRenderMime.IMimeModel | undefined;
  private observer: MutationObserver | undefined;
  /** Whether the live view replaced the saved copy (then no copy is drawn any more). */
  private liveShown = false;
  /** The widget-view factory the live view was made with, and the timer watching it. */
  private factory: unknown;
  private factoryTimer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly mimeType: string) {
    super();
    this.addClass("pywebio-nb-saved-output");
    this.node.append(this.savedHost);
    injectStyle();
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this.pending = model;
    if (this.liveShown && viewOf(model.data)?.model_id === this.liveModelId) return;
    const saved = (await savedFrom(model.data)) as {
      snapshot?: { root?: { children?: unknown[] } };
    };
    if (this.liveShown) return; // the live view came while the copy was read
    if (model !== this.pending) return; // a newer update came while this one was read
    this.saved?.dispose();
    this.saved = undefined;
    // A root just displayed has nothing to show yet: no saved copy (and no note) until it has.
    if (saved?.snapshot?.root?.children?.length) {
      this.saved = renderSaved(this.savedHost, saved);
    }
    if (this.isAttached) this.mountLive();
  }

  protected onAfterAttach(): void {
    const notebook = notebookModelOf(this.parent);
    if (notebook) keepRootsOutOfWidgetState(notebook);
    this.mountLive();
  }

  /** Renders the live widget view (hidden until its kernel speaks) with the notebook's renderer. */
  private mountLive(): void {
    const model = this.pending;
    if (!model) return;
    const view = viewOf(model.data);
    const modelId = typeof view?.model_id === "string" ? view.model_id : undefined;
    if (!view || !modelId || modelId === this.liveModelId) return;
    const source = this.rendererSource();
    if (!source?.mimeTypes.includes(VIEW_MIME)) return;
    this.dropLive();
    let live: IRenderMime.IRenderer & Widget;
    try {
      live = source.createRenderer(VIEW_MIME) as IRenderMime.IRenderer & Widget;
    } catch {
      return;
    }
    this.live = live;
    this.liveModelId = modelId;
    this.watchFactory(source);
    live.hide();
    this.addWidget(live);
    this.observer = new MutationObserver(() => this.showLiveIfSpoken());
    this.observer.observe(live.node, { subtree: true, childList: true, attributeFilter: [LIVE] });
    const liveModel: IRenderMime.IMimeModel = {
      trusted: model.trusted,
      data: { [VIEW_MIME]: view as IRenderMime.IMimeModel["data"][string] },
      metadata: {},
      setData: () => undefined,
    };
    live.renderModel(liveModel).catch(() => undefined);
  }

  /**
   * ipywidgets gives the notebook its widget manager late (once the kernel session is ready)
   * by replacing the widget-view factory, and hands the manager only to the renderers it finds
   * directly in output areas: a live view made earlier, inside this one, would wait for ever.
   * So until the live view has spoken, a new factory means a new live view.
   */
  private watchFactory(source: RendererSource): void {
    this.factory = source.getFactory(VIEW_MIME);
    if (this.factoryTimer !== undefined) return;
    this.factoryTimer = setInterval(() => {
      if (this.liveShown || this.isDisposed) {
        this.stopWatching();
      } else if (source.getFactory(VIEW_MIME) !== this.factory) {
        this.dropLive();
        this.mountLive();
      }
    }, FACTORY_CHECK_MS);
  }

  private stopWatching(): void {
    if (this.factoryTimer !== undefined) clearInterval(this.factoryTimer);
    this.factoryTimer = undefined;
  }

  private showLiveIfSpoken(): void {
    const live = this.live;
    if (!live?.node.querySelector(`[${LIVE}]`)) return;
    this.observer?.disconnect();
    this.observer = undefined;
    // The copy goes: one document on screen (and one set of labels for assistive technology).
    this.saved?.dispose();
    this.saved = undefined;
    this.savedHost.hidden = true;
    this.liveShown = true;
    this.stopWatching();
    live.show();
  }

  private dropLive(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.live?.dispose();
    this.live = undefined;
    this.liveModelId = undefined;
    this.liveShown = false;
    this.savedHost.hidden = false;
  }

  /** The output area's rendermime registry: the one ipywidgets bound to this notebook. */
  private rendererSource(): RendererSource | undefined {
    for (let widget = this.parent; widget; widget = widget.parent) {
      const source = (widget as unknown as { rendermime?: RendererSource }).rendermime;
      if (source && typeof source.createRenderer === "function") return source;
    }
    return undefined;
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.stopWatching();
    this.dropLive();
    this.saved?.dispose();
    super.dispose();
  }
}

const extension: IRenderMime.IExtension = {
  id: "pywebio-nb:saved-outputs",
  rendererFactory: {
    safe: false,
    mimeTypes: [SAVED_MIME],
    createRenderer: (options) => new SavedOutputRenderer(options.mimeType),
  },
  rank: -20,
  dataType: "json",
};

export default extension;
