// The browser half of the document model: a mirror of the Python scope tree, and the views
// (DOM trees) that show it. Host-independent: the anywidget adapter and the standalone page
// both feed it snapshots and batches and give it a `send` function.

import { PROTOCOL_VERSION } from "./protocol";
import type {
  BrowserEvent,
  Command,
  NodeCommand,
  NodeSpec,
  PutCommand,
  SnapshotMessage,
} from "./protocol";
import { isCommand, isSnapshot } from "./protocol-guards";
import { type RenderContext, renderNode, updaterOf } from "./outputs/registry";
import { applyStyle, keepKeys, makeClickable } from "./dom";

export type Send = (event: BrowserEvent, buffers?: ArrayBuffer[]) => void;

/** Calls `fn` for a node and every node nested in it (children, table cells, ...). */
export function forEachNode(value: unknown, fn: (node: NodeSpec) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) forEachNode(item, fn);
  } else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record.type === "string" && typeof record.id === "number") fn(record as NodeSpec);
    for (const key in record) {
      const item = record[key];
      if (typeof item === "object" && item !== null) forEachNode(item, fn);
    }
  }
}

/** The tree of one root, kept current by snapshots and batches, shown by any number of views. */
export class DocumentModel {
  root: NodeSpec = { id: 0, type: "scope", children: [] };
  seq = -1;
  readonly views = new Set<View>();
  private readonly nodes = new Map<number, NodeSpec>();
  private readonly parents = new Map<number, NodeSpec>();
  /** Batches that arrived ahead of a missing one, by sequence number. */
  private readonly early = new Map<number, Command[]>();
  private syncRequested = false;
  /** Whether any batch arrived (see `probe`). */
  private batchSeen = false;

  constructor(readonly send: Send) {}

  /** Replaces the state when the snapshot is newer than what is shown. */
  offerSnapshot(snapshot: unknown): void {
    if (!isSnapshot(snapshot) || snapshot.v !== PROTOCOL_VERSION) {
      if (snapshot !== null && snapshot !== undefined) {
        console.error("pywebio_nb: ignoring a snapshot of an unknown shape or version", snapshot);
      }
      return;
    }
    if (snapshot.seq <= this.seq) return;
    this.load(snapshot);
  }

  private load(snapshot: SnapshotMessage): void {
    this.root = snapshot.root;
    this.seq = snapshot.seq;
    this.syncRequested = false;
    this.nodes.clear();
    this.parents.clear();
    this.index(this.root, undefined);
    for (const seq of [...this.early.keys()]) if (seq <= this.seq) this.early.delete(seq);
    for (const view of this.views) view.renderAll();
    this.drainEarly();
  }

  /**
   * Asks the kernel whether batches went by before this document listened (anywidget may
   * deliver a model's first messages before `initialize` ran); it answers only if we are behind.
   */
  probe(): void {
    // Only when no batch at all came in: batches still in flight are not a loss (asking then
    // would resend, and redraw, the whole document), and a later batch reveals any gap.
    if (!this.batchSeen && !this.syncRequested) this.send({ kind: "sync", seq: this.seq });
  }

  /** Applies a batch in sequence order; asks for a snapshot when one went missing. */
  receiveBatch(seq: number, commands: unknown): void {
    this.batchSeen = true;
    if (!Array.isArray(commands)) {
      console.error("pywebio_nb: a batch must be a list of commands");
      return;
    }
    if (seq <= this.seq) return;
    if (seq > this.seq + 1) {
      this.early.set(seq, commands as Command[]);
      if (!this.syncRequested) {
        this.syncRequested = true;
        this.send({ kind: "sync", seq: this.seq });
      }
      return;
    }
    this.applyAll(commands);
    this.seq = seq;
    this.drainEarly();
  }

  private drainEarly(): void {
    for (let next = this.early.get(this.seq + 1); next; next = this.early.get(this.seq + 1)) {
      this.early.delete(this.seq + 1);
      this.applyAll(next);
      this.seq += 1;
    }
  }

  private applyAll(commands: unknown[]): void {
    for (const view of this.views) view.beginBatch();
    try {
      for (const command of commands) {
        if (!isCommand(command)) {
          console.error("pywebio_nb: ignoring a malformed command", command);
          continue;
        }
        try {
          this.apply(command);
        } catch (error) {
          console.error("pywebio_nb: a command failed", command, error);
        }
      }
    } finally {
      for (const view of this.views) view.endBatch();
    }
  }

  private apply(command: Command): void {
    switch (command.op) {
      case "put": {
        const parent = this.nodes.get(command.parent);
        if (!parent || !Array.isArray(parent.children)) return;
        const index = Math.max(0, Math.min(command.index, parent.children.length));
        const atEnd = index === parent.children.length;
        parent.children.splice(index, 0, command.node);
        this.index(command.node, parent);
        for (const view of this.views) view.put(command, atEnd);
        return;
      }
      case "remove": {
        const node = this.nodes.get(command.id);
        const parent = this.parents.get(command.id);
        if (!node || !parent) return;
        const siblings = Array.isArray(parent.children) ? parent.children : [];
        const at = siblings.indexOf(node);
        if (at >= 0) siblings.splice(at, 1);
        this.unindex(node);
        if (at < 0) {
          for (const key of Object.keys(node)) delete node[key];
          node.type = "empty";
        }
        break;
      }
      case "clear": {
        const node = this.nodes.get(command.id);
        if (!node || !Array.isArray(node.children)) return;
        for (const child of node.children) this.unindex(child);
        node.children = [];
        break;
      }
      case "update": {
        const node = this.nodes.get(command.id);
        if (!node) return;
        const attrs = command.attrs ?? {};
        for (const key of Object.keys(attrs)) {
          if (key !== "id" && key !== "type") node[key] = attrs[key];
        }
        break;
      }
      case "append": {
        const node = this.nodes.get(command.id);
        if (!node || typeof command.text !== "string") return;
        node.text = String(node.text ?? "") + command.text;
        break;
      }
      case "progress": {
        const node = this.nodes.get(command.id);
        if (!node) return;
        node.value = command.value;
        if (typeof command.label === "string") node.label = command.label;
        break;
      }
      case "rows_changed": {
        const node = this.nodes.get(command.id);
        if (!node) return;
        node.total = command.total;
        node.version = command.version;
        break;
      }
      case "rows":
      case "scroll":
        break;
    }
    for (const view of this.views) view.apply(command);
  }

  /** Records `node` and every node nested in it, each with its nearest enclosing node. */
  private index(node: NodeSpec, parent: NodeSpec | undefined): void {
    const visit = (value: unknown, owner: NodeSpec | undefined): void => {
      if (Array.isArray(value)) {
        for (const item of value) visit(item, owner);
        return;
      }
      if (typeof value !== "object" || value === null) return;
      const record = value as Record<string, unknown>;
      let inner = owner;
      if (typeof record.type === "string" && typeof record.id === "number") {
        this.nodes.set(record.id, record as NodeSpec);
        if (owner) this.parents.set(record.id, owner);
        inner = record as NodeSpec;
      }
      for (const key in record) {
        const item = record[key];
        if (typeof item === "object" && item !== null) visit(item, inner);
      }
    };
    visit(node, parent);
  }

  private unindex(node: NodeSpec): void {
    forEachNode(node, (found) => {
      this.nodes.delete(found.id);
      this.parents.delete(found.id);
    });
  }

  /** Shows the document in `el`; returns the view (detach it when the element goes away). */
  attach(el: HTMLElement): View {
    const view = new View(this, el);
    this.views.add(view);
    view.renderAll();
    return view;
  }

  detach(view: View): void {
    this.views.delete(view);
    view.dispose();
    view.el.replaceChildren();
  }
}

/** One DOM rendering of a document. */
export class View implements RenderContext {
  readonly elements = new Map<number, HTMLElement>();
  readonly containers = new Map<number, HTMLElement>();
  private readonly handlers = new Map<number, (command: NodeCommand) => void>();
  private readonly disposers = new Map<number, () => void>();
  private overlayEl: HTMLElement | undefined;
  private readonly host: HTMLElement;
  /** Within a batch: elements put at the end of `pendingParent`, not yet in the page. */
  private batching = false;
  private pendingParent: HTMLElement | undefined;
  private pending: DocumentFragment | undefined;

  constructor(
    readonly doc: DocumentModel,
    readonly el: HTMLElement,
  ) {
    this.host = document.createElement("div");
    this.host.className = "pywebio-root";
    keepKeys(this.host);
    el.replaceChildren(this.host);
  }

  send(event: BrowserEvent, buffers?: ArrayBuffer[]): void {
    this.doc.send(event, buffers);
  }

  render(spec: NodeSpec): HTMLElement {
    return renderNode(spec, this);
  }

  register(spec: NodeSpec, el: HTMLElement): void {
    this.elements.set(spec.id, el);
  }

  registerContainer(spec: NodeSpec, el: HTMLElement): void {
    this.containers.set(spec.id, el);
  }

  onCommand(spec: NodeSpec, handler: (command: NodeCommand) => void): void {
    this.handlers.set(spec.id, handler);
  }

  onDispose(spec: NodeSpec, fn: () => void): void {
    this.disposers.set(spec.id, fn);
  }

  overlay(): HTMLElement {
    if (!this.overlayEl) {
      this.overlayEl = document.createElement("div");
      this.overlayEl.className = "pywebio-root pywebio-overlay";
      keepKeys(this.overlayEl);
      document.body.append(this.overlayEl);
    }
    return this.overlayEl;
  }

  release(el: HTMLElement): void {
    this.forget(el);
  }

  /** Runs every disposer and removes the overlay: the view is going away or re-rendering. */
  dispose(): void {
    const disposers = [...this.disposers.values()];
    this.disposers.clear();
    for (const fn of disposers) fn();
    this.handlers.clear();
    this.overlayEl?.remove();
    this.overlayEl = undefined;
  }

  renderAll(): void {
    this.flushPending();
    this.dispose();
    this.elements.clear();
    this.containers.clear();
    const rootEl = this.render(this.doc.root);
    this.host.replaceChildren(rootEl);
  }

  /**
   * Draws a put node. `atEnd` (known from the mirror) avoids `children[index]`: a live
   * collection re-walks from its start after every insertion, which made long outputs
   * quadratic (20,000 lines: ~1 s of lookups). Within a batch, consecutive nodes put at the
   * end of one container are collected in a fragment and enter the page together: one
   * insertion (and one mutation record) instead of one per node.
   */
  put(command: PutCommand, atEnd: boolean): void {
    const container = this.containers.get(command.parent);
    if (!container) return;
    const el = this.render(command.node);
    if (!atEnd) {
      this.flushPending();
      container.insertBefore(el, container.children[command.index] ?? null);
    } else if (!this.batching || !container.isConnected) {
      container.append(el); // outside the page (in the fragment, or not shown yet): cheap
    } else {
      let pending = this.pending;
      if (this.pendingParent !== container || !pending) {
        this.flushPending();
        this.pendingParent = container;
        pending = this.pending = document.createDocumentFragment();
      }
      pending.append(el);
    }
  }

  /** Starts collecting end-of-container puts (see `put`). */
  beginBatch(): void {
    this.batching = true;
  }

  /** Puts what was collected into the page. */
  endBatch(): void {
    this.flushPending();
    this.batching = false;
  }

  private flushPending(): void {
    const parent = this.pendingParent;
    const pending = this.pending;
    this.pendingParent = this.pending = undefined;
    if (parent && pending) parent.append(pending);
  }

  apply(command: Command): void {
    this.flushPending(); // commands other than end-puts see the page as it is
    switch (command.op) {
      case "put":
        this.put(command, false);
        break;
      case "remove": {
        const el = this.elements.get(command.id);
        if (!el) return;
        this.forget(el);
        el.remove();
        break;
      }
      case "clear": {
        const container = this.containers.get(command.id);
        if (!container) return;
        for (const child of Array.from(container.children)) this.forget(child as HTMLElement);
        container.replaceChildren();
        break;
      }
      case "update": {
        const el = this.elements.get(command.id);
        if (!el) return;
        const attrs = command.attrs ?? {};
        if (typeof attrs.style === "string") applyStyle(el, attrs.style);
        if (typeof attrs.click === "number") makeClickable(el, attrs.click, this);
        updaterOf(el)?.(attrs);
        break;
      }
      case "append": {
        const el = this.elements.get(command.id);
        if (el) el.append(document.createTextNode(command.text));
        break;
      }
      case "scroll": {
        const el = this.elements.get(command.id);
        const block = { top: "start", middle: "center", bottom: "end" } as const;
        el?.scrollIntoView({ block: block[command.position] ?? "start", behavior: "smooth" });
        break;
      }
      case "progress":
      case "rows":
      case "rows_changed":
        this.handlers.get(command.id)?.(command);
        break;
    }
  }

  /** Drops the map entries of a removed element's subtree. */
  private forget(el: HTMLElement): void {
    const ids: number[] = [];
    const collect = (node: Element): void => {
      const id = (node as HTMLElement).dataset?.pwid;
      if (id !== undefined) ids.push(Number(id));
      for (const child of Array.from(node.children)) collect(child);
    };
    collect(el);
    for (const id of ids) {
      this.elements.delete(id);
      this.containers.delete(id);
      this.handlers.delete(id);
      const dispose = this.disposers.get(id);
      this.disposers.delete(id);
      dispose?.();
    }
  }
}
