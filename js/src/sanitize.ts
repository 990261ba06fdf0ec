// Safe URLs. Nothing renders user text as HTML unless the API says HTML (sanitized HTML is in
// rich/purify.ts, loaded on first use).

const SAFE_URL = /^(?:https?:|mailto:|tel:|data:image\/|blob:|#|\/|\.|\?|[^:]*$)/i;

/** A URL to put in href/src, or "#" when its scheme could run script (javascript:, vbscript:). */
export function safeUrl(url: string): string {
  const trimmed = url.trim();
  return SAFE_URL.test(trimmed) ? trimmed : "#";
}
