// Sanitizing and safe URLs. Nothing renders user text as HTML unless the API says HTML.

import DOMPurify from "dompurify";

/** Removes scripts, event handlers and javascript: URLs from an HTML string. */
export function sanitizeHtml(html: string): string {
  return DOMPurify.sanitize(html, { ADD_ATTR: ["target"] });
}

const SAFE_URL = /^(?:https?:|mailto:|tel:|data:image\/|blob:|#|\/|\.|\?|[^:]*$)/i;

/** A URL to put in href/src, or "#" when its scheme could run script (javascript:, vbscript:). */
export function safeUrl(url: string): string {
  const trimmed = url.trim();
  return SAFE_URL.test(trimmed) ? trimmed : "#";
}
