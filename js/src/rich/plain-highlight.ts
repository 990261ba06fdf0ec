// Code without highlighting: stands in for highlight.ts where size matters more than colour
// (the static bundle every saved output carries; see build.mjs: staticPage).

/** A <code> element with `code` as plain text (`language` is kept as a class only). */
export function highlight(code: string, language: string): HTMLElement {
  const codeEl = document.createElement("code");
  codeEl.className = "hljs";
  if (language) codeEl.classList.add(`language-${language}`);
  codeEl.textContent = code;
  return codeEl;
}
