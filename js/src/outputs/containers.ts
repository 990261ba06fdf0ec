// Containers (pywebio_nb/output/_containers.py): collapse, tabs, scrollable, widget.

import { fillWhenLoaded, template } from "../lazy";
import type {
  CollapseBody,
  NodeSpec,
  OutputBody,
  ScrollableBody,
  TabPanel,
  TabsBody,
  WidgetBody,
} from "../protocol";
import { h, register, type RenderContext } from "./registry";

function fill(el: HTMLElement, spec: NodeSpec, ctx: RenderContext): HTMLElement {
  for (const child of (spec.children ?? []) as NodeSpec[]) el.append(ctx.render(child));
  ctx.registerContainer(spec, el);
  return el;
}

register<CollapseBody>("collapse", (spec, ctx) => {
  const details = h("details", "pywebio-collapse");
  details.open = Boolean(spec.open);
  details.append(h("summary", "pywebio-collapse-title", String(spec.title ?? "")));
  details.append(fill(h("div", "pywebio-collapse-body"), spec, ctx));
  return details;
});

let tabsCounter = 0;

register<TabsBody>("tabs", (spec, ctx) => {
  const el = h("div", "pywebio-tabs");
  const list = h("div", "pywebio-tablist");
  list.setAttribute("role", "tablist");
  el.append(list);
  const prefix = `pywebio-tabs-${++tabsCounter}`;
  const tabs = (Array.isArray(spec.tabs) ? spec.tabs : []) as TabPanel[];
  const buttons: HTMLButtonElement[] = [];
  const panels: HTMLElement[] = [];
  const select = (index: number, focus: boolean): void => {
    buttons.forEach((button, i) => {
      const on = i === index;
      button.setAttribute("aria-selected", String(on));
      button.tabIndex = on ? 0 : -1;
      panels[i].hidden = !on;
    });
    if (focus) buttons[index]?.focus();
  };
  tabs.forEach((tab, index) => {
    const button = h("button", "pywebio-tab", String(tab.title ?? ""));
    button.type = "button";
    button.id = `${prefix}-tab-${index}`;
    button.setAttribute("role", "tab");
    button.setAttribute("aria-controls", `${prefix}-panel-${index}`);
    button.addEventListener("click", () => select(index, false));
    button.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (step !== undefined) {
        event.preventDefault();
        select((index + step + tabs.length) % tabs.length, true);
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        select(event.key === "Home" ? 0 : tabs.length - 1, true);
      }
    });
    const panel = h("div", "pywebio-tabpanel");
    panel.id = `${prefix}-panel-${index}`;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", button.id);
    panel.tabIndex = 0;
    for (const child of Array.isArray(tab.content) ? tab.content : [])
      panel.append(ctx.render(child));
    buttons.push(button);
    panels.push(panel);
    list.append(button);
    el.append(panel);
  });
  select(0, false);
  return el;
});

register<ScrollableBody>("scrollable", (spec, ctx) => {
  const el = h("div", "pywebio-scrollable");
  if (spec.border) el.classList.add("pywebio-scrollable-border");
  if (typeof spec.height === "number") el.style.height = `${spec.height}px`;
  if (typeof spec.min_height === "number") el.style.minHeight = `${spec.min_height}px`;
  if (typeof spec.max_height === "number") el.style.maxHeight = `${spec.max_height}px`;
  el.tabIndex = 0;
  fill(el, spec, ctx);
  if (spec.keep_bottom) {
    // Follow new content, except while the pointer is over the area (the reader is reading).
    let hovered = false;
    el.addEventListener("pointerenter", () => (hovered = true));
    el.addEventListener("pointerleave", () => (hovered = false));
    const follow = (): void => {
      if (!hovered) el.scrollTop = el.scrollHeight;
    };
    const observer = new MutationObserver(follow);
    observer.observe(el, { childList: true, subtree: true, characterData: true });
    requestAnimationFrame(follow);
    ctx.onDispose(spec, () => observer.disconnect());
  }
  return el;
});

function isNodeSpec(value: unknown): value is NodeSpec {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.type === "string" && (typeof record.id === "number" || record.type === "empty")
  );
}

function escapeText(text: string): string {
  const el = document.createElement("span");
  el.textContent = text;
  return el.innerHTML;
}

register<WidgetBody>("widget", (spec, ctx) => {
  const el = h("div", "pywebio-widget");
  // Until Mustache is here (standalone pages load it on first use) the widget is empty; nested
  // outputs are then drawn from the document's current state. A widget removed meanwhile
  // stays empty, so that its nested nodes are not registered in a view that forgot it.
  let shown = true;
  if (typeof spec.id === "number") ctx.onDispose(spec, () => (shown = false));
  return fillWhenLoaded(
    template,
    el,
    (module) => fillWidget(el, spec, ctx, module.renderTemplate),
    () => shown,
  );
});

function fillWidget(
  el: HTMLElement,
  spec: NodeSpec,
  ctx: RenderContext,
  render: (template: string, view: Record<string, unknown>) => string,
): void {
  const slots: NodeSpec[] = [];
  // Nested put_* outputs become numbered slots, filled with rendered nodes after Mustache ran.
  const view = {
    ...((spec.data ?? {}) as Record<string, unknown>),
    pywebio_output_parse(this: unknown): string {
      if (isNodeSpec(this)) {
        slots.push(this);
        return `<span data-pw-slot="${slots.length - 1}"></span>`;
      }
      return typeof this === "object" && this !== null && !(this instanceof String)
        ? ""
        : escapeText(String(this));
    },
  };
  const html = render(String(spec.template ?? ""), view);
  // The template is the program author's HTML, like put_html: its scripts run.
  el.append(document.createRange().createContextualFragment(html));
  for (const slot of Array.from(el.querySelectorAll<HTMLElement>("[data-pw-slot]"))) {
    const node = slots[Number(slot.dataset.pwSlot)];
    if (node) slot.replaceWith(ctx.render(node));
  }
}

// output() placeholders (pywebio_nb/output/_placeholder.py): a plain container.
register<OutputBody>("output", (spec, ctx) => fill(h("div", "pywebio-output"), spec, ctx));
