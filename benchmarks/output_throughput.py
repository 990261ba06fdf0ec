"""Output throughput of pywebio_nb against print(), ipywidgets and PyWebIO 1.8.4.

Two measurements, in one real JupyterLab 4 and one run (see benchmarks/README.md):

1. End to end: a cell emits N text lines; the time from the moment the page issues the run
   command until the cell's output contains ``line N-1`` (a MutationObserver in the page). Cases:
   pywebio_nb ``put_text``, ``print()``, ``ipywidgets.HTML`` children of a ``VBox`` (the tuple
   built at once, and ``box.children += (w,)`` one by one). Every run starts from a freshly
   restarted kernel and a warm-up run of the same case with 10 lines.
2. Python cost per call: microseconds per ``put_text`` in a cell, beside ``print()``,
   ``display(HTML(...))``, ``ipywidgets.HTML(...)`` in the same kernel, and PyWebIO 1.8.4's
   ``put_text`` inside a running thread-based PyWebIO session (its own venv and server).

Usage::

    python benchmarks/output_throughput.py            # full: N = 2,000 and 20,000, 5 repeats
    python benchmarks/output_throughput.py --quick    # smoke: N = 200 and 2,000, 2 repeats

Prints a table and writes JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _lab import LabPage, LabServer, free_port, kill_processes_mentioning, wait_for_http
from _peers import peer_python

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"

# -- end-to-end cases -------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A way to emit N lines from a cell."""

    key: str
    label: str
    code: str  # formatted with n=...
    slow: bool = False  # a peer known to take seconds per 2,000 lines: fewer repeats at large N
    setup: str = ""  # run in the kernel before the imports (after every restart)


CASES = [
    Case(
        "pywebio_nb",
        "pywebio_nb put_text",
        "from pywebio_nb.output import put_text\nfor i in range({n}):\n    put_text(f'line {{i}}')",
    ),
    Case("print", "print()", "for i in range({n}):\n    print(f'line {{i}}')"),
    Case(
        "ipywidgets_tuple",
        "ipywidgets VBox(tuple of HTML)",
        "import ipywidgets\n"
        "box = ipywidgets.VBox([ipywidgets.HTML(f'line {{i}}') for i in range({n})])\n"
        "display(box)",
        slow=True,
    ),
    Case(
        "ipywidgets_append",
        "ipywidgets children += (HTML,)",
        "import ipywidgets\nbox = ipywidgets.VBox()\ndisplay(box)\n"
        "for i in range({n}):\n    box.children += (ipywidgets.HTML(f'line {{i}}'),)",
        slow=True,
    ),
]

KERNEL_SETUP = "import ipywidgets, IPython.display, pywebio_nb.output, pywebio_nb._core.session"


def compare_case(repo: Path) -> Case:
    """pywebio_nb's put_text imported from another checkout (a before/after in one run).

    Its widget brings that checkout's frontend: the kernel sends ``_esm`` from its own package.
    """
    return Case(
        "pywebio_nb_compare",
        f"pywebio_nb put_text @ {repo.name}",
        CASES[0].code,
        setup=f"import sys; sys.path.insert(0, {str(repo)!r})",
    )


def choose_cases(keys: list[str] | None, compare_repo: Path | None) -> list[Case]:
    """The cases of this run, in table order: ``--cases`` (default all), then the compared one."""
    known = {case.key: case for case in CASES}
    unknown = sorted(set(keys or ()) - set(known))
    if unknown:
        raise SystemExit(f"--cases: unknown {unknown}; choose from {sorted(known)}")
    chosen = [known[key] for key in keys] if keys else list(CASES)
    if compare_repo is not None:
        chosen.insert(1, compare_case(compare_repo))
    return chosen


@dataclass
class E2EResult:
    """All timed runs of one case at one N."""

    case: str
    n: int
    runs_ms: list[float] = field(default_factory=list)
    run_repeats: list[int] = field(default_factory=list)  # the round of each of runs_ms
    painted_ms: list[float] = field(default_factory=list)  # each run, to the frame after it
    label: str = ""
    failures: list[dict[str, Any]] = field(default_factory=list)
    incomplete: list[dict[str, Any]] = field(default_factory=list)
    lost_warm_ups: int = 0

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.runs_ms) if self.runs_ms else None


def run_e2e(
    page: LabPage,
    cases: list[Case],
    sizes: list[int],
    repeats: int,
    slow_repeats: int,
    timeout: float,
    fast_timeout: float,
) -> list[E2EResult]:
    """Time every case at every N, round-robin over the repeats so load drifts hit all alike."""
    results: list[E2EResult] = []
    for n in sizes:
        by_case = {case.key: E2EResult(case.key, n, label=case.label) for case in cases}
        results.extend(by_case.values())
        for repeat in range(repeats):
            for case in cases:
                result = by_case[case.key]
                wanted = slow_repeats if case.slow and n >= 20_000 else repeats
                if repeat >= wanted or (case.slow and result.failures):
                    continue
                result.lost_warm_ups += _fresh_kernel(page, case, timeout)
                limit = timeout if case.slow else min(timeout, fast_timeout)
                page.set_source(case.code.format(n=n))
                run = page.timed_run(f"line {n - 1}", limit)
                if run.ok:
                    page.wait_idle(timeout)
                    result.runs_ms.append(run.ms)
                    result.run_repeats.append(repeat)
                    result.painted_ms.append(run.painted_ms)
                    if run.lines != n:
                        result.incomplete.append({"ms": run.ms, "lines": run.lines})
                    status = f"{run.ms:9.0f} ms (rendered {run.painted_ms:.0f})" + (
                        "" if run.lines == n else f" ({run.lines})"
                    )
                else:
                    result.failures.append({"timeout_s": limit, "lines": run.lines})
                    status = f"TIMEOUT after {limit:.0f} s, {run.lines:,}/{n:,} lines shown"
                    _log(f"N={n:>6,} {case.label:<32} {page.describe_cell()[:300]}")
                    page.recover()
                _log(f"N={n:>6,} {case.label:<32} run {repeat + 1}: {status}")
    return results


def _fresh_kernel(page: LabPage, case: Case, timeout: float) -> int:
    """Restart the kernel, import everything, and warm the case up with 10 lines.

    Returns 1 if the warm-up's 10 lines did not show within 10 s (a result in itself: output
    lost by the frontend), else 0.
    """
    page.restart_kernel()
    if case.setup:
        page.execute(case.setup)
    page.execute(KERNEL_SETUP)
    page.set_source(case.code.format(n=10))
    shown = page.timed_run("line 9", 10).ok
    page.wait_idle(timeout)
    if not shown:
        _log(f"warm-up of {case.label} lost its output: {page.describe_cell()[:200]}")
    return 0 if shown else 1


# -- Python cost per call ---------------------------------------------------------------------


@dataclass(frozen=True)
class Callee:
    """One output call whose Python cost is timed in a cell."""

    key: str
    label: str
    call: str  # the loop body, with i
    flush: str = ""  # run after the loop, timed into the "incl. flush" figure
    calls_divisor: int = 1  # costly peers run fewer calls (they also flood the IOPub channel)


CALLEES = [
    Callee("loop", "(loop + f-string only)", "f'line {i}'"),
    Callee(
        "pywebio_nb",
        "pywebio_nb put_text",
        "put_text(f'line {i}')",
        "pywebio_nb._core.session.current_session().flush()",
    ),
    Callee("print", "print()", "print(f'line {i}')", "sys.stdout.flush()"),
    Callee("display_html", "display(HTML(...))", "display(HTML(f'line {i}'))", "", 10),
    Callee("ipywidgets_html", "ipywidgets.HTML(...) construction", "HTML(f'line {i}')", "", 10),
]

PER_CALL_CELL = """\
import sys, time
import pywebio_nb._core.session
from pywebio_nb.output import put_text
from IPython.display import HTML as _IPyHTML, display
from ipywidgets import HTML as _WidgetHTML
HTML = {html}
_n = {calls}
_start = time.perf_counter()
for i in range(_n):
    {call}
_loop = time.perf_counter() - _start
{flush}
_total = time.perf_counter() - _start
_bench_result = [_loop / _n * 1e6, _total / _n * 1e6]
"""


@dataclass
class CostResult:
    """Per-call microseconds of one callee over several runs."""

    key: str
    label: str
    calls: int
    us_per_call: list[float] = field(default_factory=list)
    us_per_call_with_flush: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.us_per_call) if self.us_per_call else None

    @property
    def median_with_flush(self) -> float | None:
        data = self.us_per_call_with_flush
        return statistics.median(data) if data else None


def _cell_for(callee: Callee, calls: int) -> str:
    html = "_WidgetHTML" if callee.key == "ipywidgets_html" else "_IPyHTML"
    return PER_CALL_CELL.format(html=html, calls=calls, call=callee.call, flush=callee.flush)


def run_per_call(page: LabPage, calls: int, runs: int, timeout: float) -> list[CostResult]:
    """Time each callee in a cell of one kernel; the first round is a short warm-up."""
    page.restart_kernel()
    page.execute(KERNEL_SETUP)
    results = [CostResult(c.key, c.label, max(1, calls // c.calls_divisor)) for c in CALLEES]
    for round_index in range(runs + 1):
        for callee, result in zip(CALLEES, results, strict=True):
            warm_up = round_index == 0
            page.set_source(_cell_for(callee, min(result.calls, 500) if warm_up else result.calls))
            page.run(timeout)
            loop_us, total_us = page.evaluate("_bench_result")
            if warm_up:
                continue
            result.us_per_call.append(loop_us)
            result.us_per_call_with_flush.append(total_us)
            _log(f"{callee.label:<36} run {round_index}: {loop_us:8.2f} µs/call")
    return results


def run_pywebio_peer(python: str, calls: int, runs: int, timeout: float) -> CostResult:
    """PyWebIO 1.8.4's put_text, timed by an app inside its own thread-based session."""
    result = CostResult("pywebio_184", "PyWebIO 1.8.4 put_text (thread)", calls)
    if not Path(python).exists():
        result.note = (
            f"skipped: {python} not found (python -m venv DIR && "
            "DIR/bin/pip install pywebio==1.8.4, then pass --pywebio-python DIR/bin/python)"
        )
        return result
    with tempfile.TemporaryDirectory(prefix="pywebio-peer-") as tmp:
        out = Path(tmp) / "result.json"
        port = free_port()
        script = Path(__file__).resolve().parent / "_pywebio_peer.py"
        with open(Path(tmp) / "server.log", "wb") as log:
            server = subprocess.Popen(
                [python, str(script), str(port), str(calls), str(runs), str(out)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=tmp,
            )
            client: threading.Thread | None = None
            try:
                wait_for_http(f"http://127.0.0.1:{port}/?test=1", 30, server)
                client = threading.Thread(target=_drain_websocket, args=(port,), daemon=True)
                client.start()
                deadline = time.monotonic() + timeout
                while not out.exists():
                    if time.monotonic() > deadline or server.poll() is not None:
                        result.note = f"failed: no result within {timeout:.0f} s"
                        return result
                    time.sleep(0.1)
                data = json.loads(out.read_text())
                result.us_per_call = data["us_per_call"]
                for value in result.us_per_call:
                    _log(f"{result.label:<36}: {value:8.2f} µs/call")
            finally:
                _stop(server)
                kill_processes_mentioning(tmp)
                if client is not None:
                    client.join(timeout=5)
    return result


def _drain_websocket(port: int) -> None:
    """Open a PyWebIO session the way a browser does and read (and drop) every message."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    async def drain() -> None:
        request = HTTPRequest(
            f"ws://127.0.0.1:{port}/?app=index",
            headers={"Origin": f"http://127.0.0.1:{port}"},
        )
        connection = await websocket_connect(request, compression_options={})
        while await connection.read_message() is not None:
            pass

    with contextlib.suppress(Exception):  # the server is stopped under us at the end
        asyncio.run(drain())


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


# -- reporting --------------------------------------------------------------------------------


def _log(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "load average: " + Path("/proc/loadavg").read_text().strip()


def _versions(page: LabPage | None, pywebio_python: str) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("jupyterlab", "jupyter_server", "ipykernel", "ipywidgets", "anywidget"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "?"
    if page is not None and page.browser is not None:
        versions["chromium"] = page.browser.version
    if Path(pywebio_python).exists():
        versions["pywebio_peer"] = subprocess.run(
            [pywebio_python, "-c", "import pywebio; print(pywebio.__version__)"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    versions["pywebio_nb_commit"] = commit.stdout.strip()
    return versions


def _times(result: E2EResult, painted: bool) -> list[float]:
    return result.painted_ms if painted else result.runs_ms


def _cell(result: E2EResult, painted: bool = False) -> str:
    if result.failures and not result.runs_ms:
        failure = result.failures[0]
        return f"FAIL: >{failure['timeout_s']:.0f} s, {failure['lines']:,} lines shown"
    times = _times(result, painted)
    if not times:
        return "-"
    attempts = len(result.runs_ms) + len(result.failures)
    text = (
        f"{statistics.median(times):,.0f} ({min(times):,.0f}-{max(times):,.0f}) ms"
        f" {len(times)}/{attempts}"
    )
    if result.failures:
        most = max(failure["lines"] for failure in result.failures)
        text += f", {len(result.failures)} FAIL (≤{most:,} lines)"
    if result.incomplete:
        text += f" {len(result.incomplete)} incomplete"
    if result.lost_warm_ups:
        text += f", {result.lost_warm_ups} warm-up lost"
    return text


def paired_ratios(ours: E2EResult, theirs: E2EResult, painted: bool = False) -> list[float]:
    """``ours / theirs`` for every round in which both cases ran (one after the other)."""
    mine, others = _times(ours, painted), _times(theirs, painted)
    if len(ours.run_repeats) != len(mine) or len(theirs.run_repeats) != len(others):
        return []  # a result saved before rounds (or render times) were recorded
    by_round = dict(zip(theirs.run_repeats, others, strict=True))
    return [
        ms / by_round[repeat]
        for repeat, ms in zip(ours.run_repeats, mine, strict=True)
        if repeat in by_round
    ]


def _ratio_cell(ours: E2EResult | None, theirs: E2EResult | None, painted: bool) -> str:
    if ours is None or theirs is None:
        return "-"
    mine, others = _times(ours, painted), _times(theirs, painted)
    if not mine or not others:
        return "-"
    text = f"{statistics.median(mine) / statistics.median(others):.2f}x"
    paired = paired_ratios(ours, theirs, painted)
    if paired:
        text += (
            f" (per round: median {statistics.median(paired):.2f},"
            f" {min(paired):.2f}-{max(paired):.2f}, n={len(paired)})"
        )
    return text


def _e2e_table(e2e: list[E2EResult], sizes: list[int], painted: bool) -> list[str]:
    width, column = 40, 56
    lines = ["case".ljust(width) + "".join(f"N={n:,}".ljust(column) for n in sizes)]
    by_key = {(r.case, r.n): r for r in e2e}
    keys = list(dict.fromkeys(r.case for r in e2e))
    labels = {r.case: r.label or r.case for r in e2e}
    for key in keys:
        row = labels[key].ljust(width)
        row += "".join(
            (_cell(by_key[(key, n)], painted) if (key, n) in by_key else "-").ljust(column)
            for n in sizes
        )
        lines.append(row)
    for key in (key for key in keys if key.startswith("pywebio_nb")):
        name = "pywebio_nb" if key == "pywebio_nb" else labels[key].removeprefix("pywebio_nb ")
        goal = "" if painted else " (goal ≤ 1.5)"
        row = f"ratio {name} / print{goal}".ljust(width)
        for n in sizes:
            cell = _ratio_cell(by_key.get((key, n)), by_key.get(("print", n)), painted)
            row += cell.ljust(column)
        lines.append(row)
    return lines


def format_report(
    e2e: list[E2EResult], costs: list[CostResult], sizes: list[int], header: list[str]
) -> str:
    """The printed tables."""
    width = 40
    lines = [*header, ""]
    if e2e:
        lines.append(
            "End to end: run command -> 'line N-1' in the cell's DOM"
            " (median (min-max) ms, ok/attempted)"
        )
        lines.extend(_e2e_table(e2e, sizes, painted=False))
        if any(r.painted_ms for r in e2e):
            lines.append("")
            lines.append(
                "... and to the end of the frame that renders it (requestAnimationFrame, then a"
                " task): includes the last layout"
            )
            lines.extend(_e2e_table(e2e, sizes, painted=True))
    lines.append("")
    lines.append("Python cost per call, in a cell (median µs/call over the runs)")
    lines.append(f"{'call':<{width}}{'calls/run':>10}{'runs':>6}{'µs/call':>10}{'incl. flush':>13}")
    for cost in costs:
        median, with_flush = cost.median, cost.median_with_flush
        lines.append(
            f"{cost.label:<{width}}{cost.calls:>10,}{len(cost.us_per_call):>6}"
            + (f"{median:>10.2f}" if median is not None else f"{'-':>10}")
            + (f"{with_flush:>13.2f}" if with_flush is not None else f"{'':>13}")
            + (f"   {cost.note}" if cost.note else "")
        )
    ours = next((c.median for c in costs if c.key == "pywebio_nb"), None)
    peer = next((c.median for c in costs if c.key == "pywebio_184"), None)
    if ours is not None:
        verdict = "met" if ours <= 10 else "NOT met"
        extra = f"; PyWebIO 1.8.4 / pywebio_nb = {peer / ours:.2f}x" if peer else ""
        lines.append(f"goal ≤ 10 µs per put_text: {verdict} ({ours:.2f} µs{extra})")
    return "\n".join(lines)


def report_from_json(payload: dict[str, Any]) -> str:
    """The tables of a result written by :func:`main`, printed again with today's formatting."""
    e2e = [
        E2EResult(**{k: v for k, v in r.items() if k != "median_ms"}) for r in payload["end_to_end"]
    ]
    costs = [
        CostResult(**{k: v for k, v in c.items() if k not in ("median", "median_with_flush")})
        for c in payload["per_call"]
    ]
    sizes = sorted({r.n for r in e2e})
    header = payload["report"].split("\n\n")[0].splitlines()
    return format_report(e2e, costs, sizes, header)


# -- main -------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog="Needs the frontend bundle: npm install --no-audit --no-fund && npm run build.",
    )
    parser.add_argument("--quick", action="store_true", help="N = 200 and 2,000, 2 repeats")
    parser.add_argument("--repeats", type=int, help="timed runs per case (default 5, quick 2)")
    parser.add_argument(
        "--slow-repeats", type=int, default=2, help="runs of the ipywidgets cases at N ≥ 20,000"
    )
    parser.add_argument(
        "--timeout", type=float, default=120, help="seconds per timed run of an ipywidgets case"
    )
    parser.add_argument(
        "--fast-timeout", type=float, default=30, help="seconds per timed run of the other cases"
    )
    parser.add_argument("--calls", type=int, help="calls per run for put_text/print (20,000)")
    parser.add_argument("--skip-e2e", action="store_true", help="only the per-call costs")
    parser.add_argument("--skip-per-call", action="store_true", help="only the end-to-end runs")
    parser.add_argument(
        "--pywebio-python",
        default=os.environ.get("PYWEBIO_PEER_PYTHON"),
        help="interpreter with pywebio==1.8.4 (default: benchmarks/.venvs/pywebio184, made on use)",
    )
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout the kernel imports")
    parser.add_argument(
        "--cases",
        nargs="+",
        metavar="KEY",
        help=f"end-to-end cases to run (default all: {' '.join(c.key for c in CASES)})",
    )
    parser.add_argument(
        "--compare-repo",
        type=Path,
        metavar="PATH",
        help="also run put_text from another checkout with its built frontend (before/after)",
    )
    parser.add_argument("--sizes", type=int, nargs="+", help="line counts (default 2000 20000)")
    parser.add_argument(
        "--from-json",
        type=Path,
        metavar="PATH",
        help="print the tables of a saved result, run nothing",
    )
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
    """Run the benchmark, print the report, write the JSON."""
    args = parse_args(argv)
    if args.from_json:
        print(report_from_json(json.loads(args.from_json.read_text())))
        return 0
    if args.pywebio_python is None:
        args.pywebio_python = peer_python("pywebio184", ["pywebio==1.8.4"])
    sizes = args.sizes or ([200, 2_000] if args.quick else [2_000, 20_000])
    compare = args.compare_repo.resolve() if args.compare_repo else None
    if compare is not None and not (compare / "pywebio_nb" / "static" / "widget.js").exists():
        print(f"{compare}/pywebio_nb/static/widget.js is missing: build that checkout first")
        return 2
    cases = choose_cases(args.cases, compare)
    repeats = args.repeats or (2 if args.quick else 5)
    calls = args.calls or (2_000 if args.quick else 20_000)
    repo = args.repo.resolve()
    if not (repo / "pywebio_nb" / "static" / "widget.js").exists():
        print(f"{repo}/pywebio_nb/static/widget.js is missing: run `npm install && npm run build`")
        return 2
    started = dt.datetime.now().astimezone()
    load_start = _uptime()
    print(f"start: {load_start}", file=sys.stderr)
    e2e: list[E2EResult] = []
    costs: list[CostResult] = []
    versions: dict[str, str] = {}
    with _sigterm_as_interrupt(), ExitStack() as stack:
        server = LabServer({"PYTHONPATH": str(repo)})
        stack.callback(server.close)
        server.wait_ready()
        page = LabPage(server)
        stack.callback(page.close)
        versions = _versions(page, args.pywebio_python)
        if not args.skip_e2e:
            e2e = run_e2e(
                page, cases, sizes, repeats, args.slow_repeats, args.timeout, args.fast_timeout
            )
        if not args.skip_per_call:
            costs = run_per_call(page, calls, repeats, args.timeout)
        page_errors = list(page.page_errors)
    if not args.skip_per_call:
        peer = run_pywebio_peer(args.pywebio_python, calls, repeats, args.timeout)
        costs.insert(2, peer)
    load_end = _uptime()
    header = [
        f"pywebio_nb output throughput — {started:%Y-%m-%d %H:%M %Z}, {os.cpu_count()} CPUs",
        "versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        f"load at start: {load_start}",
        f"load at end:   {load_end}",
    ]
    if page_errors:
        header.append(f"page errors: {len(page_errors)} (first: {page_errors[0][:120]})")
    report = format_report(e2e, costs, sizes, header)
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"output_throughput-{started:%Y%m%d-%H%M%S}.json"
    payload = {
        "started": started.isoformat(),
        "argv": sys.argv[1:] if argv is None else argv,
        "uptime_start": load_start,
        "uptime_end": load_end,
        "versions": versions,
        "page_errors": page_errors,
        "end_to_end": [{**asdict(r), "median_ms": r.median_ms} for r in e2e],
        "per_call": [
            {**asdict(c), "median": c.median, "median_with_flush": c.median_with_flush}
            for c in costs
        ],
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
