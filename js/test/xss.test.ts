// @vitest-environment jsdom
// jsdom, not happy-dom: DOMPurify does not support happy-dom (its parser and DOM differ enough
// that sanitizing there proves nothing), while jsdom is what DOMPurify itself is tested with.

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DocumentModel } from "../src/document";
import "../src/eager";
import "../src/outputs/index";
import type { NodeSpec } from "../src/protocol";

const PAYLOADS = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "<svg onload=alert(1)>",
  '"><iframe srcdoc="<script>alert(1)</script>">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href=" JaVaScRiPt:alert(1)">x</a>',
  "<body onload=alert(1)>",
  '<div onmouseover="alert(1)">hover</div>',
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "<details open ontoggle=alert(1)>",
  "<input autofocus onfocus=alert(1)>",
  "'\"><img src=x onerror=alert(1)//",
];

const URLS = [
  "javascript:alert(1)",
  " javascript:alert(1)",
  "JAVASCRIPT:alert(1)",
  "vbscript:msgbox(1)",
  "\tjavascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
];

let el: HTMLElement;
let doc: DocumentModel;
/** What window.alert was called with: every payload calls it if its script ever runs. */
let alerts: unknown[] = [];

// Scripts run in jsdom's own global, which is not vitest's `window`: replace alert there,
// with a stub that reports each call as a DOM event (the document is shared).
document.addEventListener("pywebio-test-alert", (event) => {
  alerts.push((event as CustomEvent).detail);
});
const alertStub = document.createElement("script");
alertStub.text =
  "window.alert = (message) => document.dispatchEvent(" +
  "new CustomEvent('pywebio-test-alert', { detail: message }));";
document.head.append(alertStub);

beforeEach(() => {
  alerts = [];
  doc = new DocumentModel(() => undefined);
  el = document.createElement("div");
  document.body.replaceChildren(el);
  doc.attach(el);
});

afterEach(async () => {
  // put_html(sanitize=False) runs scripts on the next task: let what a payload scheduled run.
  await new Promise((resolve) => setTimeout(resolve, 0));
  vi.restoreAllMocks();
  expect(alerts, "a payload ran script").toEqual([]);
});

function show(children: NodeSpec[]): void {
  doc.offerSnapshot({ kind: "snapshot", v: 1, seq: 1, root: { id: 1, type: "scope", children } });
}

/** Everything that would run script: handler attributes, script elements, javascript: URLs. */
function dangers(root: Element): string[] {
  const found: string[] = [];
  for (const node of Array.from(root.querySelectorAll("*"))) {
    const tag = node.tagName.toLowerCase();
    if (tag === "script") found.push("script element");
    if (tag === "iframe" && node.hasAttribute("srcdoc")) found.push("iframe srcdoc");
    for (const attr of Array.from(node.attributes)) {
      if (attr.name.toLowerCase().startsWith("on")) found.push(`${tag}[${attr.name}]`);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers drop them from URLs too
      const value = attr.value.replace(/[\s\u0000-\u001f]/g, "").toLowerCase();
      if (["href", "src", "action", "formaction", "xlink:href"].includes(attr.name.toLowerCase())) {
        if (value.startsWith("javascript:") || value.startsWith("vbscript:")) {
          found.push(`${tag}[${attr.name}=${attr.value}]`);
        }
        // an <img> cannot run a data:text/html document; a link or form could
        if (value.startsWith("data:text/html") && attr.name.toLowerCase() !== "src") {
          found.push(`${tag}[${attr.name}] data:text/html`);
        }
      }
    }
  }
  return found;
}

describe.each(PAYLOADS)("payload %s", (payload) => {
  it("is plain text in put_text", () => {
    show([
      { id: 2, type: "text", text: payload },
      { id: 3, type: "text", text: payload, inline: true },
    ]);
    expect(dangers(el)).toEqual([]);
    expect(el.querySelector('[data-pwid="2"]')?.textContent).toBe(payload);
    expect(el.querySelector('[data-pwid="2"]')?.children.length).toBe(0);
  });

  it("is plain text in table cells and headers", () => {
    show([{ id: 2, type: "table", rows: [[payload], [payload]] }]);
    expect(dangers(el)).toEqual([]);
    expect(el.querySelector("th")?.textContent).toBe(payload);
    expect(el.querySelector("td")?.textContent).toBe(payload);
    expect(el.querySelector("td")?.children.length).toBe(0);
  });

  it("is plain text in button labels", () => {
    show([{ id: 2, type: "buttons", cb: 3, buttons: [{ label: payload, color: payload }] }]);
    expect(dangers(el)).toEqual([]);
    expect(el.querySelector("button")?.textContent).toBe(payload);
  });

  it("is plain text in link text, code and put_file labels", () => {
    show([
      { id: 2, type: "link", text: payload, url: "https://example.org" },
      { id: 3, type: "code", code: payload, language: "xml" },
      { id: 4, type: "code", code: payload, language: "" },
      { id: 5, type: "file", name: payload, label: payload, mime: "text/plain", data: "" },
      { id: 6, type: "image", src: "https://example.org/a.png", title: payload },
    ]);
    expect(dangers(el)).toEqual([]);
    expect(el.querySelector("a.pywebio-link")?.textContent).toBe(payload);
  });

  it("is sanitized in markdown by default", () => {
    show([
      { id: 2, type: "markdown", md: payload, sanitize: true },
      { id: 3, type: "markdown", md: `# Title\n\n${payload}\n\n[x](javascript:alert(1))` },
    ]);
    expect(dangers(el)).toEqual([]);
  });

  it("is sanitized by put_html(sanitize=True)", () => {
    show([{ id: 2, type: "html", html: payload, sanitize: true }]);
    expect(dangers(el)).toEqual([]);
  });
});

describe.each(URLS)("url %s", (url) => {
  it("never becomes a link or image target", () => {
    show([
      { id: 2, type: "link", text: "x", url, new_window: true },
      { id: 3, type: "image", src: url },
      { id: 4, type: "markdown", md: `[x](${url}) ![y](${url})`, sanitize: true },
    ]);
    expect(dangers(el)).toEqual([]);
    expect(el.querySelector("a.pywebio-link")?.getAttribute("href")).toBe("#");
  });
});

describe("safe content still renders", () => {
  it("markdown keeps its structure after sanitizing", () => {
    show([{ id: 2, type: "markdown", md: "# Title\n\n*em* [link](https://example.org)" }]);
    expect(el.querySelector("h1")?.textContent).toBe("Title");
    expect(el.querySelector("em")?.textContent).toBe("em");
    const link = el.querySelector(".pywebio-markdown a");
    expect(link?.getAttribute("href")).toBe("https://example.org");
    expect(link?.getAttribute("target")).toBe("_blank");
  });

  it("safe links and data images are kept", () => {
    show([
      { id: 2, type: "link", text: "x", url: "https://example.org/?a=1" },
      { id: 3, type: "image", src: "data:image/png;base64,iVBORw0KGgo=" },
    ]);
    expect(el.querySelector("a")?.getAttribute("href")).toBe("https://example.org/?a=1");
    expect(el.querySelector("img")?.getAttribute("src")).toBe("data:image/png;base64,iVBORw0KGgo=");
  });

  it("the checker itself finds dangers, and sees script run (so the tests above can fail)", async () => {
    // jsdom cannot parse the stylesheet one payload smuggles in, and says so on the console.
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    show([{ id: 2, type: "html", html: PAYLOADS.join(""), sanitize: false }]);
    expect(dangers(el).length).toBeGreaterThan(3);
    await vi.waitFor(() => expect(alerts).toContain(1));
    alerts = [];
  });
});
