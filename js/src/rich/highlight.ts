// Syntax highlighting with a small set of common languages (the full set is ~5x larger).

import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import css from "highlight.js/lib/languages/css";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import python from "highlight.js/lib/languages/python";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";

const languages = { bash, css, javascript, json, markdown, python, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language);

/** A <code> element with `code` highlighted as `language` (plain text when unknown). */
export function highlight(code: string, language: string): HTMLElement {
  const codeEl = document.createElement("code");
  codeEl.className = "hljs";
  if (language && hljs.getLanguage(language)) {
    // highlight.js escapes the source; its output contains only its own <span> markup.
    codeEl.innerHTML = hljs.highlight(code, { language, ignoreIllegals: true }).value;
    codeEl.classList.add(`language-${language}`);
  } else {
    codeEl.textContent = code;
  }
  return codeEl;
}
