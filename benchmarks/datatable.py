"""put_datatable at scale: pywebio_nb in JupyterLab beside PyWebIO 1.8.4 on its own server.

For a table of N records (built before the clock starts, in the kernel / the PyWebIO server)::

    {"id": i, "name": f"row {i}", "value": i * 0.5, "flag": i % 2 == 0}

it measures, per side, the time until the first rows are visible (``row 0`` in the grid's DOM),
the bytes that reached the browser over the websocket and the largest single frame, and the
memory growth (USS) of the process that holds the records. pywebio_nb: the run command of a cell
``put_datatable(records)`` in a hermetic JupyterLab (``_lab.py``), then the grid scrolled to the
middle and the end (rows are requested on demand). PyWebIO 1.8.4: ``start_server(cdn=False)`` in
its own venv, a fresh server per run, navigation → ``row 0`` in an ag-grid cell.
Goal (issue 4): first rows in under a second at any size, memory bounded by what is visible.

``--in-memory`` measures pywebio_nb alone in an in-memory session (no kernel, no browser):
``put_datatable`` time, the bytes of its command, row-window answers, update/insert/remove.

    python benchmarks/datatable.py                 # N = 100,000 and 1,000,000, 3 repeats
    python benchmarks/datatable.py --quick         # N = 10,000 and 100,000, 1 repeat
    python benchmarks/datatable.py --in-memory --rows 1000000
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _lab import CHROMIUM, CHROMIUM_ARGS, LabPage, LabServer, free_port, wait_for_http
from _lab import kill_processes_mentioning as kill_mentioning
from _peers import peer_python

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
RECORDS = (
    '[{{"id": i, "name": f"row {{i}}", "value": i * 0.5, "flag": i % 2 == 0}} for i in range({n})]'
)
MiB = 1024 * 1024


def uss(pid: int) -> int:
    """Unique set size of a process in bytes (``Private_*`` of ``/proc/<pid>/smaps_rollup``)."""
    total = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1]) * 1024
    return total


@dataclass
class Run:
    """One timed run of one side at one N."""

    ok: bool
    first_rows_ms: float
    bytes: int
    largest_frame: int
    frames: int
    build_s: float
    uss_before: int
    uss_after: int
    reached: str = ""
    largest_is_esm: bool = False
    scroll: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Result:
    """Every run of one side at one N."""

    side: str
    n: int
    runs: list[Run] = field(default_factory=list)

    def ok_runs(self) -> list[Run]:
        """The runs that showed their first rows."""
        return [r for r in self.runs if r.ok]

    def median_ms(self) -> float | None:
        """Median time to the first rows over the runs that got there."""
        ok = self.ok_runs()
        return statistics.median(r.first_rows_ms for r in ok) if ok else None


class FrameCounter:
    """Sums the payloads of websocket frames received by a page (after decompression)."""

    def __init__(self, url_part: str) -> None:
        self.url_part = url_part
        self.reset()

    def reset(self) -> None:
        """Start counting from zero."""
        self.bytes = 0
        self.largest = 0
        self.frames = 0
        self.largest_is_esm = False

    def attach(self, websocket: Any) -> None:
        """``page.on("websocket", counter.attach)``."""
        if self.url_part in websocket.url:
            websocket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        size = len(payload.encode() if isinstance(payload, str) else payload)
        self.bytes += size
        if size > self.largest:
            self.largest = size
            # anywidget sends the widget's JavaScript (``_esm``) in the state of each new widget.
            data = payload.encode() if isinstance(payload, str) else payload
            self.largest_is_esm = b'"_esm"' in data
        self.frames += 1


# -- pywebio_nb in JupyterLab -----------------------------------------------------------------

_GRID = "window.jupyterapp.shell.currentWidget.content.activeCell.outputArea.node"

# Issue the run command; resolve when a grid cell of the output shows exactly "row 0".
_FIRST_ROWS_JS = f"""async (timeoutMs) => {{
    const area = {_GRID};
    const shown = () => Array.prototype.some.call(
        area.querySelectorAll("[role=gridcell]"), (cell) => cell.textContent.trim() === "row 0");
    return await new Promise((resolve) => {{
        let done = false;
        const t0 = performance.now();
        const finish = (ok) => {{
            if (done) return;
            done = true;
            observer.disconnect();
            clearTimeout(timer);
            resolve({{ ok, ms: performance.now() - t0 }});
        }};
        const observer = new MutationObserver(() => {{ if (shown()) finish(true); }});
        observer.observe(area, {{ childList: true, subtree: true, characterData: true }});
        const timer = setTimeout(() => finish(false), timeoutMs);
        window.jupyterapp.commands.execute("notebook:run-cell");
    }});
}}"""


def first_rows(page: LabPage, timeout: float) -> tuple[bool, float]:
    """Run the cell; whether and when (ms after the run command) ``row 0`` showed in its grid."""
    result = page.page.evaluate(_FIRST_ROWS_JS, timeout * 1000)
    return bool(result["ok"]), float(result["ms"])


# Scroll the grid, then poll each frame until a row whose number passes the target is shown.
_SCROLL_JS = f"""async ([where, target, timeoutMs]) => {{
    const grid = {_GRID}.querySelector(".pywebio-datatable-grid");
    if (!grid) return {{ ok: false, ms: 0, reached: -1 }};
    const shown = () => {{
        let most = -1;
        for (const cell of grid.querySelectorAll("[role=gridcell]")) {{
            const match = /^row (\\d+)$/.exec(cell.textContent.trim());
            if (match) most = Math.max(most, Number(match[1]));
        }}
        return most;
    }};
    const t0 = performance.now();
    grid.scrollTop = where === "end" ? grid.scrollHeight
        : (grid.scrollHeight - grid.clientHeight) / 2;
    return await new Promise((resolve) => {{
        const tick = () => {{
            const most = shown();
            const ms = performance.now() - t0;
            if (most >= target) resolve({{ ok: true, ms, reached: most }});
            else if (ms > timeoutMs) resolve({{ ok: false, ms, reached: most }});
            else requestAnimationFrame(tick);
        }};
        requestAnimationFrame(tick);
    }});
}}"""


def nb_run(page: LabPage, counter: FrameCounter, n: int, timeout: float) -> Run:
    """A fresh kernel, a warm-up, the records; then the timed cell and the two scrolls."""
    page.restart_kernel()
    page.execute("import gc, os, time\nfrom pywebio_nb.output import put_datatable")
    page.execute(f"_warm = {RECORDS.format(n=10)}")
    page.set_source("put_datatable(_warm)")
    if not first_rows(page, 30)[0]:
        _log(f"the warm-up table did not show 'row 0': {page.describe_cell()[:200]}")
    page.wait_idle(30)
    page.execute(
        f"_t0 = time.perf_counter()\nrecords = {RECORDS.format(n=n)}\n"
        "_build_s = time.perf_counter() - _t0\ngc.collect()",
        timeout=timeout,
    )
    pid, build_s = page.evaluate("[os.getpid(), _build_s]")
    page.set_source("put_datatable(records)")
    before = uss(pid)
    counter.reset()
    ok, ms = first_rows(page, timeout)
    if not ok:
        reached = f"no 'row 0' within {timeout:.0f} s; {page.describe_cell()[:200]}"
        run = Run(False, ms, counter.bytes, counter.largest, counter.frames, build_s,
                  before, uss(pid), reached)  # fmt: skip
        page.recover()
        return run
    page.wait_idle(timeout)
    esm = counter.largest_is_esm
    run = Run(True, ms, counter.bytes, counter.largest, counter.frames, build_s,
              before, uss(pid), largest_is_esm=esm)  # fmt: skip
    for where, target in (("middle", int(n * 0.45)), ("end", n - 1)):
        counter.reset()
        result = page.page.evaluate(_SCROLL_JS, [where, target, min(timeout, 30) * 1000])
        time.sleep(0.5)  # let the kernel finish answering before reading its memory
        run.scroll[where] = {
            "ok": bool(result["ok"]),
            "ms": float(result["ms"]),
            "reached_row": int(result["reached"]),
            "bytes": counter.bytes,
            "uss": uss(pid),
        }
    return run


def run_notebook(sizes: list[int], repeats: int, timeout: float, repo: Path) -> list[Result]:
    """Every N, ``repeats`` times, in one JupyterLab; each run in a freshly restarted kernel."""
    results = [Result("pywebio_nb", n) for n in sizes]
    with ExitStack() as stack:
        server = LabServer({"PYTHONPATH": str(repo)})
        stack.callback(server.close)
        server.wait_ready()
        counter = FrameCounter("/api/kernels/")
        page = LabPage(server, on_page=lambda p: p.on("websocket", counter.attach))
        stack.callback(page.close)
        for result in results:
            for repeat in range(repeats):
                run = nb_run(page, counter, result.n, timeout)
                result.runs.append(run)
                _log(f"pywebio_nb N={result.n:,} run {repeat + 1}: {_describe(run)}")
    return results


# -- PyWebIO 1.8.4 on its own server ----------------------------------------------------------

# Installed before the page's own scripts: the time (0 = navigation start) when an ag-grid cell
# shows "row 0".
_FIRST_ROW_INIT = """(() => {
    const look = () => {
        if (window.__firstRowMs !== undefined) return;
        for (const cell of document.querySelectorAll(".ag-cell")) {
            if (cell.textContent.trim() === "row 0") {
                window.__firstRowMs = performance.now();
                observer.disconnect();
                return;
            }
        }
    };
    const observer = new MutationObserver(look);
    observer.observe(document, { childList: true, subtree: true, characterData: true });
})();"""


def pywebio_run(browser: Any, python: str, n: int, timeout: float) -> Run:
    """A fresh PyWebIO server with the records built; one page; time to ``row 0``."""
    from playwright.sync_api import Error as PlaywrightError

    tmp = tempfile.mkdtemp(prefix="pywebio-datatable-")
    ready = Path(tmp) / "ready.json"
    port = free_port()
    script = Path(__file__).resolve().parent / "_pywebio_datatable_peer.py"
    with open(Path(tmp) / "server.log", "wb") as log:
        server = subprocess.Popen(
            [python, str(script), str(port), str(n), str(ready)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=tmp,
        )
    context = None
    try:
        try:
            wait_for_http(f"http://127.0.0.1:{port}/?test=1", timeout, server)
        except (TimeoutError, RuntimeError) as error:
            log_text = (Path(tmp) / "server.log").read_text(errors="replace")[-300:]
            return Run(False, 0, 0, 0, 0, 0, 0, 0, f"server did not start: {error}; {log_text}")
        info = json.loads(ready.read_text())
        time.sleep(0.5)
        before = uss(server.pid)
        counter = FrameCounter(f"127.0.0.1:{port}")
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.add_init_script(_FIRST_ROW_INIT)
        page.on("websocket", counter.attach)
        page.goto(f"http://127.0.0.1:{port}/", wait_until="commit", timeout=timeout * 1000)
        try:
            page.wait_for_function(
                "() => window.__firstRowMs !== undefined", timeout=timeout * 1000, polling=50
            )
        except PlaywrightError:
            reached = _pywebio_stage(page, counter, timeout)
            return Run(False, timeout * 1000, counter.bytes, counter.largest, counter.frames,
                       info["build_s"], before, uss(server.pid), reached)  # fmt: skip
        ms = float(page.evaluate("window.__firstRowMs"))
        time.sleep(0.5)
        return Run(True, ms, counter.bytes, counter.largest, counter.frames, info["build_s"],
                   before, uss(server.pid))  # fmt: skip
    finally:
        if context is not None:
            with contextlib.suppress(Exception):
                context.close()
        _stop(server)
        kill_mentioning(tmp)
        shutil.rmtree(tmp, ignore_errors=True)


def _pywebio_stage(page: Any, counter: FrameCounter, timeout: float) -> str:
    try:
        grid = bool(page.evaluate("() => !!document.querySelector('.ag-root')"))
    except Exception as error:  # a page busy parsing a huge message may not answer
        grid = False
        _log(f"PyWebIO page did not answer: {error}")
    return (
        f"no 'row 0' within {timeout:.0f} s; {counter.frames} frames, {counter.bytes:,} bytes "
        f"received; ag-grid {'created' if grid else 'not created'}"
    )


def run_pywebio(sizes: list[int], repeats: int, timeout: float, python: str) -> list[Result]:
    """Every N, ``repeats`` times, each on a fresh server, in one headless Chromium."""
    from playwright.sync_api import sync_playwright

    results = [Result("PyWebIO 1.8.4", n) for n in sizes]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            for result in results:
                for repeat in range(repeats):
                    run = pywebio_run(browser, python, result.n, timeout)
                    result.runs.append(run)
                    _log(f"PyWebIO N={result.n:,} run {repeat + 1}: {_describe(run)}")
                    if not run.ok:
                        break  # one failure at this N is the result; do not wait again
        finally:
            browser.close()
    return results


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


# -- in-memory session ------------------------------------------------------------------------


def run_in_memory(rows: int, requests: int) -> None:
    """pywebio_nb alone in a FakeSession: put time and bytes, row windows, edits."""
    from pywebio_nb._hosts.fake import FakeSession
    from pywebio_nb.output import (
        datatable_insert,
        datatable_remove,
        datatable_update,
        put_datatable,
    )

    records = [
        {"id": i, "name": f"item {i}", "price": i * 0.5, "size": {"w": i % 7, "h": i % 11}}
        for i in range(rows)
    ]
    with FakeSession() as session:
        start = time.perf_counter()
        put_datatable(records, id_field="id", instance_id="bench")
        session.flush()
        put_time = time.perf_counter() - start
        put_bytes = sum(len(json.dumps(batch)) for _, batch in session.batches)
        (node,) = [n for n in session.mirror.tree["children"] if n["type"] == "datatable"]
        durations = []
        answer_bytes = 0
        rng = random.Random(4)
        for _ in range(requests):
            first = rng.randrange(0, max(1, rows - 100))
            before = len(session.batches)
            t0 = time.perf_counter()
            session.answer_rows(
                session.root, {"kind": "rows", "id": node["id"], "start": first, "count": 100}
            )
            durations.append(time.perf_counter() - t0)
            answer_bytes = len(json.dumps(session.batches[before:]))
        edits: list[tuple[str, Callable[[], object]]] = [
            (
                "update one cell",
                lambda: datatable_update("bench", 1, row_id=5, field=("size", "w")),
            ),
            (
                "insert at top",
                lambda: datatable_insert("bench", [{"id": -1, "name": "x"}], row_id=0),
            ),
            ("remove 10 rows", lambda: datatable_remove("bench", list(range(100, 110)))),
        ]
        timings = {}
        for label, action in edits:
            t0 = time.perf_counter()
            action()
            session.flush()
            timings[label] = time.perf_counter() - t0
    t0 = time.perf_counter()
    all_rows = len(json.dumps(records))
    dump_time = time.perf_counter() - t0
    durations.sort()
    print(f"rows: {rows:,}")
    print(f"put_datatable: {_ms(put_time)}, put command {put_bytes:,} bytes")
    print(
        f"row window (100 rows): median {_ms(statistics.median(durations))}, "
        f"p99 {_ms(durations[int(len(durations) * 0.99) - 1])}, {answer_bytes:,} bytes"
    )
    for label, seconds in timings.items():
        print(f"{label}: {_ms(seconds)}")
    print(f"all rows as one JSON message: {all_rows:,} bytes ({_ms(dump_time)} to encode)")


# -- reporting --------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _log(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def _describe(run: Run) -> str:
    text = (
        f"{'first rows' if run.ok else 'FAIL'} {run.first_rows_ms:,.0f} ms, "
        f"{run.bytes:,} B in {run.frames} frames (largest {run.largest_frame:,}), "
        f"USS {(run.uss_after - run.uss_before) / MiB:+.1f} MiB, build {run.build_s:.2f} s"
    )
    for where, scroll in run.scroll.items():
        text += (
            f"; {where}: {'ok' if scroll['ok'] else 'FAIL'} {scroll['ms']:.0f} ms "
            f"(row {scroll['reached_row']:,}), {scroll['bytes']:,} B, "
            f"USS {(scroll['uss'] - run.uss_before) / MiB:+.1f} MiB"
        )
    if run.reached:
        text += f" ({run.reached})"
    return text


def _loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def format_report(results: list[Result], header: list[str]) -> str:
    """The printed table: one row per side and N."""
    lines = [*header, ""]
    columns = ["N", "side", "first rows", "ok", "bytes sent", "largest frame", "mem growth",
               "mid: ms / bytes / mem", "end: ms / bytes / mem", "build"]  # fmt: skip
    widths = [11, 15, 12, 5, 14, 15, 12, 26, 26, 8]
    lines.append("".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for result in sorted(results, key=lambda r: (r.n, r.side != "pywebio_nb")):
        runs, ok = result.runs, result.ok_runs()
        last = ok[-1] if ok else (runs[-1] if runs else None)
        median = result.median_ms()
        cells = [f"{result.n:,}", result.side]
        cells.append(f"{median:,.0f} ms" if median is not None else "FAIL")
        cells.append(f"{len(ok)}/{len(runs)}")
        if last is None:
            lines.append("".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)))
            continue
        js = " (js)" if last.largest_is_esm else ""
        cells += [f"{last.bytes / MiB:,.2f} MiB", f"{last.largest_frame / MiB:,.2f} MiB{js}",
                  f"{(last.uss_after - last.uss_before) / MiB:+,.1f} MiB"]  # fmt: skip
        for where in ("middle", "end"):
            scroll = last.scroll.get(where)
            cells.append(
                "-"
                if scroll is None
                else f"{scroll['ms']:,.0f}{'' if scroll['ok'] else ' FAIL'} / "
                f"{scroll['bytes'] / 1024:,.0f} KiB / "
                f"{(scroll['uss'] - last.uss_before) / MiB:+,.1f}"
            )
        cells.append(f"{last.build_s:.2f} s")
        lines.append("".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
        if last.reached:
            lines.append(f"{'':11}{'':15}reached: {last.reached}")
    lines += [
        "",
        "first rows: median ms from the run command (pywebio_nb) / navigation (PyWebIO) to 'row 0'"
        " in the grid's DOM; bytes: websocket payloads received by the page (after",
        "decompression) until then; mem growth: USS of the kernel / server after minus before "
        "(records already built); mid/end: pywebio_nb grid scrolled (ms to rows, bytes, USS",
        "growth since before the table, MiB). Bytes/memory columns are from the last run.",
        "(js): that frame is the widget's JavaScript, which anywidget sends with each new widget.",
    ]
    ours = [r.median_ms() for r in results if r.side == "pywebio_nb"]
    if ours:
        met = all(m is not None and m < 1000 for m in ours)
        lines.append(
            f"goal: first rows < 1 s at every N for pywebio_nb: {'met' if met else 'NOT met'}"
        )
    return "\n".join(lines)


# -- main -------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        epilog="Needs the frontend bundle: npm install --no-audit --no-fund && npm run build.",
    )
    parser.add_argument("--quick", action="store_true", help="N = 10,000 and 100,000, 1 repeat")
    parser.add_argument("--sizes", type=int, nargs="+", help="N values (default 100k and 1M)")
    parser.add_argument("--repeats", type=int, help="runs per side and N (default 3, quick 1)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per wait (120)")
    parser.add_argument("--skip-notebook", action="store_true", help="only PyWebIO 1.8.4")
    parser.add_argument("--skip-pywebio", action="store_true", help="only pywebio_nb")
    parser.add_argument(
        "--pywebio-python",
        default=os.environ.get("PYWEBIO_PEER_PYTHON"),
        help="interpreter with pywebio==1.8.4 (default: benchmarks/.venvs/pywebio184, made on use)",
    )
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout the kernel imports")
    parser.add_argument("--in-memory", action="store_true", help="pywebio_nb in a FakeSession only")
    parser.add_argument("--rows", type=int, default=1_000_000, help="--in-memory: rows")
    parser.add_argument("--requests", type=int, default=500, help="--in-memory: row windows")
    return parser.parse_args(argv)


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    def handler(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write the JSON."""
    args = parse_args(argv)
    if args.in_memory:
        sys.path.insert(0, str(args.repo.resolve()))  # this checkout's pywebio_nb, not the venv's
        run_in_memory(args.rows, args.requests)
        return 0
    sizes = args.sizes or ([10_000, 100_000] if args.quick else [100_000, 1_000_000])
    repeats = args.repeats or (1 if args.quick else 3)
    repo = args.repo.resolve()
    if not args.skip_notebook and not (repo / "pywebio_nb" / "static" / "widget.js").exists():
        print(f"{repo}/pywebio_nb/static/widget.js is missing: run `npm install && npm run build`")
        return 2
    if not args.skip_pywebio and args.pywebio_python is None:
        args.pywebio_python = peer_python("pywebio184", ["pywebio==1.8.4"])
    started = dt.datetime.now().astimezone()
    load_start = _loadavg()
    _log(f"load at start: {load_start}")
    results: list[Result] = []
    with _sigterm_as_interrupt():
        if not args.skip_notebook:
            results += run_notebook(sizes, repeats, args.timeout, repo)
        if not args.skip_pywebio:
            results += run_pywebio(sizes, repeats, args.timeout, args.pywebio_python)
    load_end = _loadavg()
    commit = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    header = [
        f"put_datatable at scale — {started:%Y-%m-%d %H:%M %Z}, {os.cpu_count()} CPUs, "
        f"pywebio_nb {commit}, {repeats} repeat(s)",
        f"load at start: {load_start}",
        f"load at end:   {load_end}",
    ]
    report = format_report(results, header)
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"datatable-{started:%Y%m%d-%H%M%S}.json"
    payload = {
        "started": started.isoformat(),
        "argv": sys.argv[1:] if argv is None else argv,
        "load_start": load_start,
        "load_end": load_end,
        "results": [{**asdict(r), "median_ms": r.median_ms()} for r in results],
        "report": report,
    }
    path.write_text(json.dumps(payload, indent=1))
    print(f"\nJSON: {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted; everything was shut down", file=sys.stderr)
        sys.exit(130)
