// HTML sanitizing (DOMPurify), loaded with the outputs that need it (markdown, put_html).

import DOMPurify from "dompurify";

/** Removes scripts, event handlers and javascript: URLs from an HTML string. */
export function sanitizeHtml(html: string): string {
  return DOMPurify.sanitize(html, { ADD_ATTR: ["target"] });
}
