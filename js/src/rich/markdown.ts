// Markdown to HTML (marked), sanitized (DOMPurify) and with highlighted code blocks.

import { marked } from "marked";
import { highlight } from "./highlight";
import { sanitizeHtml } from "./purify";

export interface MarkdownOptions {
  gfm: boolean;
  breaks: boolean;
  sanitize: boolean;
}

/** Replaces the content of `el` with the rendered markdown `md`. */
export function renderMarkdown(el: HTMLElement, md: string, options: MarkdownOptions): void {
  const html = marked.parse(md, {
    async: false,
    gfm: options.gfm,
    breaks: options.breaks,
  }) as string;
  el.innerHTML = options.sanitize ? sanitizeHtml(html) : html;
  for (const block of Array.from(el.querySelectorAll("pre > code"))) {
    const language = /language-([\w+-]+)/.exec(block.className)?.[1] ?? "";
    block.replaceWith(highlight(block.textContent ?? "", language));
  }
  for (const link of Array.from(el.querySelectorAll("a[href]"))) {
    link.setAttribute("target", "_blank");
    link.setAttribute("rel", "noopener noreferrer");
  }
}
