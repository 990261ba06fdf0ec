"""Interaction latency in a real JupyterLab 4 with Chromium (issue 3, item 8).

Timed inside the page: ``performance.now()`` right before the page dispatches the action, and again
in a MutationObserver on the cell's output when the expected text appears.

* pywebio_nb ``input()``: a cell loops ``v = input(f"q{i}"); put_text(f"answer-{i}")``; each sample
  is a click on the form's Submit button → ``answer-i`` visible.
* pywebio_nb click: ``put_buttons`` whose callback does ``put_text(f"clicked-{n}")``.
* ipywidgets click: ``Button`` + ``Output`` whose callback does ``with out: print(f"wclick-{n}")``,
  in the same cell as the pywebio_nb buttons; the two kinds of click alternate.
* Probes that localise the floor: a ``kernel_info`` request from the page (page → server
  websocket → ZMQ → kernel and back, no widget code), and ``--kernel-only``: the same submit
  driven by ``jupyter_client`` over ZMQ alone (no server, no browser).

Usage::

    python benchmarks/interaction_latency.py            # 50 samples of each, after 10 warm-ups
    python benchmarks/interaction_latency.py --quick    # 15 samples, 3 warm-ups
    python benchmarks/interaction_latency.py --kernel-only

Prints a table and writes JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import statistics
import sys
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _lab import LabPage, LabServer, timed_until_text

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
GAP_S = 0.020  # pause between two actions

_AREA = "window.jupyterapp.shell.currentWidget.content.activeCell.outputArea.node"

# Click the last enabled element matching the selector; resolve when the needle shows.
_TIMED_CLICK_JS = timed_until_text(
    "selector, ",
    f"""const area = {_AREA};
    const candidates = Array.from(area.querySelectorAll(selector)).filter((b) => !b.disabled);
    if (candidates.length === 0) return {{ ok: false, ms: 0, error: "no " + selector }};
    const target = candidates[candidates.length - 1];""",
    "target.click();",
)

_KERNEL_INFO_JS = """async ([n, gapMs]) => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const samples = [];
    for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await Promise.race([kernel.requestKernelInfo(),
            new Promise((_, reject) => setTimeout(() => reject(new Error("no reply")), 10000))]);
        samples.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, gapMs));
    }
    return samples;
}"""

SUBMIT = "form.pywebio-form button[type=submit]"
PYWEBIO_BUTTON = "button.pywebio-button:not([type=submit])"
IPYW_BUTTON = "button.widget-button"

INPUT_CELL = """\
from pywebio_nb.input import input
from pywebio_nb.output import put_text
for i in range({n}):
    v = input(f"q{{i}}")
    put_text(f"answer-{{i}}")
"""

CLICK_CELL = """\
import ipywidgets
from pywebio_nb.output import put_buttons, put_text
_count = {{"p": 0, "w": 0}}
def _on_pywebio(_value):
    _count["p"] += 1
    put_text(f"clicked-{{_count['p']}}")
put_buttons(["pywebio_nb"], onclick=_on_pywebio)
_button = ipywidgets.Button(description="ipywidgets")
_out = ipywidgets.Output()
def _on_ipyw(_b):
    _count["w"] += 1
    with _out:
        print(f"wclick-{{_count['w']}}")
_button.on_click(_on_ipyw)
display(_button, _out)
"""


@dataclass
class Stats:
    """Percentiles of one series of samples, in milliseconds."""

    case: str
    n: int
    failed: int
    p50: float
    p95: float
    min: float
    samples: list[float]


def stats(case: str, samples: list[float], failed: int = 0) -> Stats:
    """Median, 95th percentile (nearest rank) and minimum of ``samples``."""
    ordered = sorted(samples)
    if not ordered:
        return Stats(case, 0, failed, float("nan"), float("nan"), float("nan"), [])
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Stats(case, len(ordered), failed, statistics.median(ordered), p95, ordered[0], samples)


def _click(page: LabPage, selector: str, needle: str, timeout: float = 10) -> float | None:
    result: dict[str, Any] = page.page.evaluate(_TIMED_CLICK_JS, [selector, needle, timeout * 1000])
    if result.get("error"):
        raise RuntimeError(f"{result['error']}; {page.describe_cell()}")
    return float(result["ms"]) if result["ok"] else None


def _wait_enabled(page: LabPage, selector: str, timeout: float = 10) -> None:
    page.page.wait_for_function(
        f"""() => Array.from({_AREA}.querySelectorAll({json.dumps(selector)}))
            .some((b) => !b.disabled)""",
        timeout=timeout * 1000,
        polling=5,
    )


def measure_input(page: LabPage, warmup: int, rounds: int) -> Stats:
    """Submit ``warmup + rounds`` forms of an ``input()`` loop; time submit → ``answer-i``."""
    total = warmup + rounds
    page.set_source(INPUT_CELL.format(n=total))
    # Not awaited: the command's promise settles only when the cell ends.
    page.page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-cell'); }")
    samples: list[float] = []
    failed = 0
    for i in range(total):
        _wait_enabled(page, SUBMIT)
        time.sleep(GAP_S)
        ms = _click(page, SUBMIT, f"answer-{i}")
        if ms is None:
            failed += 1
        elif i >= warmup:
            samples.append(ms)
    page.wait_idle(30)
    return stats("pywebio_nb input()", samples, failed)


def measure_clicks(page: LabPage, warmup: int, rounds: int) -> tuple[Stats, Stats]:
    """Alternate pywebio_nb and ipywidgets button clicks in one cell."""
    page.set_source(CLICK_CELL.format())
    page.run(60)
    _wait_enabled(page, PYWEBIO_BUTTON)
    _wait_enabled(page, IPYW_BUTTON)
    ours: list[float] = []
    theirs: list[float] = []
    failed = {"p": 0, "w": 0}
    for i in range(1, warmup + rounds + 1):
        for key, selector, needle, into in (
            ("p", PYWEBIO_BUTTON, f"clicked-{i}", ours),
            ("w", IPYW_BUTTON, f"wclick-{i}", theirs),
        ):
            time.sleep(GAP_S)
            ms = _click(page, selector, needle)
            if ms is None:
                failed[key] += 1
            elif i > warmup:
                into.append(ms)
    return (
        stats("pywebio_nb click", ours, failed["p"]),
        stats("ipywidgets click", theirs, failed["w"]),
    )


def delayed_acks() -> int:
    """Linux's count of delayed TCP ACKs in this network namespace (-1 if unknown)."""
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
    except OSError:
        return -1
    for keys, values in zip(lines[::2], lines[1::2], strict=False):
        if keys.startswith("TcpExt:"):
            table = dict(zip(keys.split(), values.split(), strict=False))
            return int(table.get("DelayedACKs", -1))
    return -1


def measure_kernel_info(page: LabPage, rounds: int) -> tuple[Stats, int]:
    """``kernel_info`` round trips from the page: the websocket + server + ZMQ legs alone.

    Also returns how many delayed ACKs the host counted meanwhile (about one per round trip
    means the round trip waits for the delayed-ACK timer, 40 ms on Linux).
    """
    before = delayed_acks()
    samples: list[float] = page.page.evaluate(_KERNEL_INFO_JS, [rounds, GAP_S * 1000])
    acks = delayed_acks() - before
    return stats("page kernel_info round trip", samples[min(5, len(samples) // 4) :]), acks


def measure_kernel_only(warmup: int, rounds: int) -> Stats:
    """Submit → next form over jupyter_client alone (no server, no browser)."""
    from tests.kernel.frontend import Frontend

    fe = Frontend(python=sys.executable)
    try:
        fe.execute("from pywebio_nb.input import *")
        cell = fe.execute(f"for i in range({warmup + rounds + 1}):\n    input(str(i))", wait=False)
        comm_id, form = fe.form(cell)
        samples: list[float] = []
        for i in range(warmup + rounds):
            start = time.perf_counter()
            fe.send_input(comm_id, form["id"], event="submit", values={"data": "x"})
            previous = form["id"]
            comm_id, form = fe.wait_for(
                lambda previous=previous: next(
                    (
                        (c, f)
                        for c in cell.roots
                        for f in fe.nodes(c, "form")
                        if f["id"] != previous
                    ),
                    None,
                ),
                10,
                "the next form",
            )
            if i >= warmup:
                samples.append((time.perf_counter() - start) * 1000)
            time.sleep(GAP_S)
        fe.send_input(comm_id, form["id"], event="submit", values={"data": "x"})
        fe.wait_idle(cell, 10)
    finally:
        fe.close()
    return stats("kernel-only input() (jupyter_client)", samples)


def _say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("jupyterlab", "jupyter_server", "ipykernel", "ipywidgets", "pyzmq", "tornado"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "-"
    return out


def print_table(rows: list[Stats], load: tuple[float, float]) -> None:
    """The results as a plain table."""
    print(f"\n{'case':<40} {'p50 ms':>8} {'p95 ms':>8} {'min ms':>8} {'n':>4} {'fail':>4}")
    for row in rows:
        print(
            f"{row.case:<40} {row.p50:8.1f} {row.p95:8.1f} {row.min:8.1f}"
            f" {row.n:4d} {row.failed:4d}"
        )
    print(f"load average (1 min): start {load[0]:.2f}, end {load[1]:.2f}")


def main(argv: list[str] | None = None) -> int:
    """Run the measurements, print a table and write JSON to benchmarks/results/."""
    # A SIGTERM (e.g. from ``timeout``) unwinds the ExitStack: the server and browser shut down.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="15 samples, 3 warm-ups")
    parser.add_argument("--rounds", type=int, default=None, help="samples per case (default 50)")
    parser.add_argument(
        "--kernel-only", action="store_true", help="only the jupyter_client submit (no browser)"
    )
    parser.add_argument(
        "--server-config",
        type=Path,
        default=None,
        help="a jupyter_server_config.py to test a hypothesis with (copied into the config dir)",
    )
    parser.add_argument("--label", default="", help="a tag stored in the JSON file name")
    args = parser.parse_args(argv)
    rounds = args.rounds or (15 if args.quick else 50)
    warmup = 3 if args.quick else 10
    load_start = os.getloadavg()[0]
    rows: list[Stats] = []
    probes: dict[str, int] = {}
    extra = args.server_config.read_text() if args.server_config else ""
    if args.kernel_only:
        rows.append(measure_kernel_only(warmup, rounds))
    else:
        with ExitStack() as stack:
            server = LabServer({"PYTHONPATH": str(REPO)}, extra_config=extra)
            stack.callback(server.close)
            server.wait_ready()
            page = LabPage(server, "latency.ipynb")
            stack.callback(page.close)
            _say("lab open; kernel_info probe")
            info, acks = measure_kernel_info(page, rounds + 5)
            rows.append(info)
            probes["delayed_acks_during_kernel_info"] = acks
            probes["kernel_info_round_trips"] = rounds + 5
            before = delayed_acks()
            _say("clicks")
            rows.extend(measure_clicks(page, warmup, rounds))
            probes["delayed_acks_during_clicks"] = delayed_acks() - before
            probes["clicks"] = 2 * (warmup + rounds)
            _say("input()")
            rows.append(measure_input(page, warmup, rounds))
            if page.page_errors:
                print("page errors:", *page.page_errors[:5], sep="\n  ")
    load_end = os.getloadavg()[0]
    print_table(rows, (load_start, load_end))
    if probes:
        print("probes:", ", ".join(f"{k}={v}" for k, v in probes.items()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    tag = f"-{args.label}" if args.label else ""
    path = RESULTS / f"interaction_latency-{stamp}{tag}.json"
    path.write_text(
        json.dumps(
            {
                "benchmark": "interaction_latency",
                "when": stamp,
                "quick": args.quick,
                "kernel_only": args.kernel_only,
                "server_config": extra,
                "rounds": rounds,
                "warmup": warmup,
                "gap_ms": GAP_S * 1000,
                "load_average": {"start": load_start, "end": load_end},
                "versions": _versions(),
                "results": [asdict(row) for row in rows],
                "probes": probes,
            },
            indent=1,
        )
    )
    print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
