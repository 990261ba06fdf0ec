// Text-like outputs (pywebio_nb/output/_text.py): text, markdown, html, code, link; plus the
// stream and error nodes that show a callback's print() text and exceptions.

import { fillWhenLoaded, highlight, markdown, purify } from "../lazy";
import type {
  CodeBody,
  ErrorBody,
  HtmlBody,
  LinkBody,
  MarkdownBody,
  StreamBody,
  TextBody,
} from "../protocol";
import { safeUrl } from "../sanitize";
import { h, register } from "./registry";

register<TextBody>("text", (spec) => {
  const el = h(spec.inline ? "span" : "p", "pywebio-text", String(spec.text ?? ""));
  return el;
});

register<MarkdownBody>("markdown", (spec) => {
  // Until the markdown module is here (standalone pages load it on first use), the source shows
  // as plain text.
  const source = String(spec.md ?? "");
  const el = h("div", "pywebio-markdown", source);
  const options = (spec.options ?? {}) as Record<string, unknown>;
  return fillWhenLoaded(markdown, el, (module) =>
    module.renderMarkdown(el, source, {
      gfm: options.gfm !== false,
      breaks: options.breaks !== false,
      sanitize: spec.sanitize !== false,
    }),
  );
});

/** Replaces inert (template-parsed) scripts with live ones, one after another. */
async function runScripts(scripts: HTMLScriptElement[]): Promise<void> {
  for (const inert of scripts) {
    if (!inert.isConnected) continue;
    const live = document.createElement("script");
    for (const attr of Array.from(inert.attributes)) live.setAttribute(attr.name, attr.value);
    live.text = inert.text;
    if (live.src) {
      live.async = false;
      const loaded = new Promise<void>((resolve) => {
        live.addEventListener("load", () => resolve());
        live.addEventListener("error", () => resolve());
      });
      inert.replaceWith(live);
      await loaded;
    } else {
      inert.replaceWith(live);
    }
  }
}

register<HtmlBody>("html", (spec) => {
  const el = h("div", "pywebio-html");
  const html = String(spec.html ?? "");
  if (spec.sanitize) {
    fillWhenLoaded(purify, el, (module) => {
      el.innerHTML = module.sanitizeHtml(html);
    });
  } else {
    // Scripts run, as put_html documents, and in document order: a figure's inline script
    // (plotly, bokeh) waits for the library script before it.
    const template = document.createElement("template");
    template.innerHTML = html;
    const scripts = Array.from(template.content.querySelectorAll("script"));
    el.append(template.content);
    if (scripts.length) setTimeout(() => void runScripts(scripts), 0);
  }
  return el;
});

register<CodeBody>("code", (spec) => {
  const pre = h("pre", "pywebio-code");
  const code = String(spec.code ?? "");
  const language = String(spec.language ?? "");
  const plain = h("code", "hljs", code);
  pre.append(plain);
  if (language) {
    fillWhenLoaded(highlight, pre, (module) => plain.replaceWith(module.highlight(code, language)));
  }
  if (typeof spec.rows === "number") pre.style.maxHeight = `calc(${spec.rows} * 1.4em + 1em)`;
  return pre;
});

register<LinkBody>("link", (spec) => {
  const a = h("a", "pywebio-link", String(spec.text ?? ""));
  if (typeof spec.app === "string") {
    a.href = `?app=${encodeURIComponent(spec.app)}`;
  } else {
    a.href = safeUrl(String(spec.url ?? "#"));
  }
  if (spec.new_window) {
    a.target = "_blank";
    a.rel = "noopener noreferrer";
  }
  return a;
});

register<StreamBody>("stream", (spec) => {
  const pre = h(
    "pre",
    `pywebio-stream pywebio-stream-${spec.name === "stderr" ? "stderr" : "stdout"}`,
  );
  pre.textContent = String(spec.text ?? "");
  return pre;
});

register<ErrorBody>("error", (spec) => {
  const box = h("div", "pywebio-error");
  box.setAttribute("role", "alert");
  box.append(h("strong", "pywebio-error-title", String(spec.title ?? "Error")));
  if (spec.traceback) box.append(h("pre", "pywebio-error-traceback", String(spec.traceback)));
  return box;
});
