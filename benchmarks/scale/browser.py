"""Chromium measurements through Playwright: time to interactive, click latency, page bytes.

Times are taken inside the page, so Playwright's own round trips do not count:

* time to interactive: an init script watches the DOM from the start of the navigation; the time
  is ``performance.now()`` (navigation start = 0) when a text node with ``hello-output`` is
  inserted outside ``<script>``/``<style>``; "rendered" is the end of the next frame's rendering
  work (a task posted from its ``requestAnimationFrame``);
* the critical path of each navigation, from the Navigation and Resource Timing entries (HTML,
  style sheets, scripts) and the marks pywebio_nb's page sets (``pywebio_nb:script``,
  ``socket``, ``open``, ``hello``, ``snapshot``, ``batch``);
* click: ``performance.now()`` before ``button.click()`` to the mutation that inserts (or sets)
  the callback's ``clicked-N`` text.
"""

from __future__ import annotations

import gzip
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Browser, Page, Response, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
NAV_TIMEOUT_MS = 60_000
CLICK_TIMEOUT_MS = 10_000

# Records the first time a text containing `hello-output` enters the document.
WATCH = """
(() => {
  const token = "hello-output";
  const hit = (node) => {
    if (!node) return false;
    const el = node.nodeType === 1 ? node : node.parentElement;
    if (!el || el.closest("script,style,template,noscript,head")) return false;
    return (node.textContent || "").includes(token);
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (hit(record.target) || [...record.addedNodes].some(hit)) {
        window.__ttiMs = performance.now();
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => { window.__renderedMs = performance.now(); }));
        return;
      }
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
})();
"""

# The navigation's milestones (ms from navigation start), read once the output is rendered.
MILESTONES = r"""
() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const out = {
    "HTML first byte": nav.responseStart,
    "HTML loaded": nav.responseEnd,
    "DOM interactive": nav.domInteractive,
  };
  const before = window.__ttiMs;
  const last = (test) => Math.max(-1, ...performance.getEntriesByType("resource")
    .filter((r) => r.startTime < before && test(r.name))
    .map((r) => r.responseEnd));
  out["CSS loaded"] = last((name) => /\.css(\?|$)|asset=[^&]*\.css/.test(name));
  out["JS loaded"] = last((name) => /\.js(\?|$)|asset=[^&]*\.js/.test(name));
  for (const m of performance.getEntriesByType("mark")) {
    if (m.name.startsWith("pywebio_nb:") && !(m.name in out)) out[m.name] = m.startTime;
  }
  out["output in DOM"] = window.__ttiMs;
  out["output rendered"] = window.__renderedMs;
  for (const key of Object.keys(out)) if (!(out[key] >= 0)) delete out[key];
  return out;
}
"""

# Clicks the "Click" button and resolves with the ms until `token` is in the document.
CLICK = """
(token) => new Promise((resolve, reject) => {
  const button = [...document.querySelectorAll("button")]
    .find((b) => b.textContent.trim() === "Click");
  if (!button) { reject(new Error("no Click button")); return; }
  const hit = (node) => node && (node.textContent || "").includes(token);
  let start = 0;
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (hit(record.target) || [...record.addedNodes].some(hit)) {
        observer.disconnect();
        clearTimeout(timer);
        resolve(performance.now() - start);
        return;
      }
    }
  });
  const timer = setTimeout(() => { observer.disconnect(); reject(new Error("timeout")); }, 10000);
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  start = performance.now();
  button.click();
})
"""


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


@dataclass
class PageBytes:
    """What one page load downloaded (WebSocket frames excluded)."""

    requests: int = 0
    failed: list[str] = field(default_factory=list)
    raw: int = 0
    served: int = 0
    gzip9: int = 0
    largest: list[tuple[str, int, int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "requests": self.requests,
            "failed_requests": self.failed,
            "raw_bytes": self.raw,
            "served_bytes": self.served,
            "gzip9_bytes": self.gzip9,
            "largest": [{"url": u, "raw": r, "gzip9": g} for u, r, g in self.largest[:8]],
        }


def launch(playwright: Any) -> Browser:
    """Debian's Chromium, headless."""
    browser: Browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    return browser


def _wait_tti(page: Page) -> float:
    handle = page.wait_for_function("window.__ttiMs", timeout=NAV_TIMEOUT_MS, polling=50)
    return float(handle.json_value())


def _milestones(page: Page) -> dict[str, float]:
    page.wait_for_function("window.__renderedMs", timeout=NAV_TIMEOUT_MS, polling=20)
    found: dict[str, float] = page.evaluate(MILESTONES)
    return found


def _settle(responses: list[Response], quiet: float = 2.0, limit: float = 20.0) -> None:
    """Wait until no response arrived for ``quiet`` s (at most ``limit`` s)."""
    deadline = time.monotonic() + limit
    count, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        if len(responses) != count:
            count, since = len(responses), time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.1)


def page_bytes(browser: Browser, url: str) -> PageBytes:
    """Load ``url`` once in a fresh context and add up the response bodies."""
    result = PageBytes()
    context = browser.new_context()
    try:
        context.add_init_script(WATCH)
        page = context.new_page()
        responses: list[Response] = []
        page.on("response", lambda response: responses.append(response))
        page.on("requestfailed", lambda request: result.failed.append(request.url))
        page.goto(url, wait_until="commit", timeout=NAV_TIMEOUT_MS)
        _wait_tti(page)
        _settle(responses)
        page.wait_for_timeout(100)
        for response in list(responses):
            try:
                body = response.body()
                served = response.request.sizes()["responseBodySize"]
            except Exception:
                result.failed.append(response.url)
                continue
            packed = len(gzip.compress(body, 9))
            result.requests += 1
            result.raw += len(body)
            result.served += served if served >= 0 else len(body)
            result.gzip9 += packed
            result.largest.append((response.url, len(body), packed))
        result.largest.sort(key=lambda item: -item[2])
    finally:
        context.close()
    return result


def navigate(browser: Browser, url: str) -> dict[str, float]:
    """One navigation in a fresh context; its milestones (ms from navigation start)."""
    context = browser.new_context()
    try:
        context.add_init_script(WATCH)
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=NAV_TIMEOUT_MS)
        _wait_tti(page)
        return _milestones(page)
    finally:
        context.close()


def time_to_interactive(browser: Browser, url: str, count: int) -> list[dict[str, float]]:
    """``count`` navigations, each in a fresh context; the milestones of each (ms)."""
    return [navigate(browser, url) for _ in range(count)]


def round_robin(urls: dict[str, str], count: int) -> dict[str, list[dict[str, float]]]:
    """One warm-up navigation of each URL, then ``count`` rounds of one navigation each."""
    runs: dict[str, list[dict[str, float]]] = {key: [] for key in urls}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for url in urls.values():
                navigate(browser, url)
            for _ in range(count):
                for key, url in urls.items():
                    runs[key].append(navigate(browser, url))
        finally:
            browser.close()
    return runs


def breakdown(runs: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Per milestone: median, min, max and how many navigations reached it, in time order."""
    names = {name for run in runs for name in run}
    table = {}
    for name in names:
        values = [run[name] for run in runs if name in run]
        table[name] = {
            "median": statistics.median(values),
            "min": min(values),
            "max": max(values),
            "n": len(values),
        }
    return dict(sorted(table.items(), key=lambda item: item[1]["median"]))


def click_latency(browser: Browser, url: str, count: int, warmup: int = 0) -> list[float]:
    """``count`` clicks on one page; ms from the click to the callback's text.

    ``warmup`` > 0: first one unmeasured click that answered, tried up to ``warmup`` times, so
    the page's start-up (a kernel connection still being set up) is not measured.
    """
    context = browser.new_context()
    try:
        context.add_init_script(WATCH)
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=NAV_TIMEOUT_MS)
        _wait_tti(page)
        page.wait_for_selector("button:has-text('Click')", timeout=NAV_TIMEOUT_MS)
        page.wait_for_timeout(300)
        first = 1
        for attempt in range(warmup):
            try:
                page.evaluate(CLICK, "clicked-1")
                first = 2
                break
            except PlaywrightError:
                if attempt == warmup - 1:
                    raise
        times = []
        for n in range(first, first + count):
            times.append(float(page.evaluate(CLICK, f"clicked-{n}")))
            page.wait_for_timeout(20)
        return times
    finally:
        context.close()


def measure(url: str, navigations: int, clicks: int) -> dict[str, Any]:
    """Bytes of one load, then time to interactive and click latency, for one server."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            weight = page_bytes(browser, url)  # also warms the server up
            runs = time_to_interactive(browser, url, navigations)
            click = click_latency(browser, url, clicks) if clicks else []
        finally:
            browser.close()
    tti = [run["output in DOM"] for run in runs]
    result: dict[str, Any] = {
        "page": weight.as_dict(),
        "tti_ms": {
            "median": statistics.median(tti),
            "p90": percentile(tti, 0.9),
            "min": min(tti),
            "max": max(tti),
            "all": tti,
        },
        "critical_path_ms": breakdown(runs),
        "navigations": runs,
    }
    if click:
        result["click_ms"] = {
            "p50": statistics.median(click),
            "p95": percentile(click, 0.95),
            "min": min(click),
            "all": click,
        }
    return result
