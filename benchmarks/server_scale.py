"""Standalone sessions at scale: pywebio_nb beside PyWebIO 1.8.4 and Voila, in one run.

Every server under test runs in its own process: pywebio_nb (``start_server``, a thread app and a
coroutine app), PyWebIO 1.8.4 (``start_server``, thread and coroutine apps; its own venv) and
Voila 0.5.13 (a one-button ipywidgets notebook; its own venv). For each one:

1. memory: a fresh server; lightweight WebSocket visitors open K sessions, each blocked waiting
   for the visitor (pywebio_nb: ``hold()``, PyWebIO: ``input()``, Voila: a live kernel); USS
   (``Private_Clean + Private_Dirty``) and threads of the server process tree are read from
   /proc before and after. K = 100 and 1,000 (bounded by ``--time-limit``), 10 for Voila.
2. browser: a fresh server; Chromium loads the page once (bytes of every response: as served,
   raw, and gzip -9 of each), then N navigations in fresh contexts (navigation start → first
   output in the DOM), then M clicks on one page (click → callback's text in the DOM).

Prints a side-by-side table with pywebio_nb / PyWebIO ratios and writes JSON to
``benchmarks/results/server_scale-<time>.json``. See benchmarks/README.md.

    python benchmarks/server_scale.py            # full run (~10 min)
    python benchmarks/server_scale.py --quick    # smoke run (~2 min)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _peers import peer_python
from scale import browser
from scale.clients import Crowd, open_session
from scale.procs import TARGETS, Pythons, Server, Target, sample, start

RESULTS = Path(__file__).resolve().parent / "results"
GOALS = {"tti_ms": 100.0, "page_gzip_kib": 80.0}


def _load() -> str:
    return Path("/proc/loadavg").read_text().split(" ")[0:3].__str__()


async def _memory(server: Server, ks: list[int], args: argparse.Namespace) -> dict[str, Any]:
    """Open sessions up to each K in turn; USS and threads before and at each K."""
    deflate = not args.no_deflate
    warm = [await open_session(server, deflate) for _ in range(3)]
    for ws, _ in warm:
        ws.close()
    await asyncio.sleep(1.0)
    settle = 3.0 if server.target.family == "voila" else 1.0
    before = server.sample()
    result: dict[str, Any] = {"before": vars(before), "steps": []}
    crowd = Crowd()
    deadline = time.monotonic() + args.time_limit
    try:
        for k in ks:
            started = time.monotonic()
            await crowd.grow(server, k, deadline, args.parallel, deflate)
            elapsed = time.monotonic() - started
            await asyncio.sleep(settle)
            after = server.sample()
            reached = len(crowd.sockets)
            step = {
                "k": k,
                "reached": reached,
                "seconds_to_open": elapsed,
                "after": vars(after),
                "uss_mib_per_session": (after.uss_mib - before.uss_mib) / max(1, reached),
                "rss_mib_per_session": (after.rss_mib - before.rss_mib) / max(1, reached),
                "threads_per_session": (after.threads - before.threads) / max(1, reached),
                "open_ms": crowd.open_ms(),
                "failures": crowd.failures[:5],
            }
            result["steps"].append(step)
            print(
                f"  K={k}: {reached} open in {elapsed:.1f} s; "
                f"{step['uss_mib_per_session']:.3f} MiB USS/session, "
                f"{after.threads} threads ({after.processes} processes)",
                flush=True,
            )
            if reached < k:
                break
    finally:
        await crowd.close()
    return result


def run_target(
    target: Target, args: argparse.Namespace, pythons: Pythons, out: dict[str, Any]
) -> None:
    """Memory phase, then browser phase, each on a fresh server process; fills ``out``."""
    voila = target.family == "voila"
    ks = args.voila_sessions if voila else args.sessions
    if not args.skip_memory and target.family != "static":
        print(f"{target.label}: memory with K={ks}", flush=True)
        server = start(target, pythons)
        try:
            out["memory"] = asyncio.run(_memory(server, ks, args))
        finally:
            server.stop()
    if args.skip_browser:
        return
    print(f"{target.label}: browser", flush=True)
    server = start(target, pythons)
    try:
        navigations = args.voila_navigations if voila else args.navigations
        out["browser"] = browser.measure(server.page_url, navigations, args.clicks)
        out["browser_server_after"] = vars(server.sample())
    finally:
        server.stop()
    b = out["browser"]
    click = f"click p50 {b['click_ms']['p50']:.1f} ms; " if "click_ms" in b else ""
    tti = b["tti_ms"]
    print(
        f"  TTI median {tti['median']:.0f} ms ({tti['min']:.0f}-{tti['max']:.0f},"
        f" n={len(tti['all'])}); {click}page {b['page']['gzip9_bytes'] / 1024:.0f} KiB gzip -9",
        flush=True,
    )


def run_tti_round_robin(
    chosen: list[Target], args: argparse.Namespace, pythons: Pythons
) -> dict[str, dict[str, Any]]:
    """``--tti-only``: every server at once, one navigation of each in turn (load hits all
    alike), after one warm-up navigation each; time to interactive and its critical path."""
    servers: dict[str, Server] = {}
    results: dict[str, dict[str, Any]] = {t.key: {"label": t.label} for t in chosen}
    try:
        for target in chosen:
            servers[target.key] = start(target, pythons)
        for key, runs in browser.round_robin(
            {key: server.page_url for key, server in servers.items()}, args.navigations
        ).items():
            tti = [run["output in DOM"] for run in runs]
            results[key]["browser"] = {
                "tti_ms": {
                    "median": statistics.median(tti),
                    "p90": browser.percentile(tti, 0.9),
                    "min": min(tti),
                    "max": max(tti),
                    "all": tti,
                },
                "critical_path_ms": browser.breakdown(runs),
                "navigations": runs,
            }
            print(
                f"  {results[key]['label']}: TTI median {statistics.median(tti):.0f} ms"
                f" ({min(tti):.0f}-{max(tti):.0f}, n={len(tti)})",
                flush=True,
            )
    finally:
        for server in servers.values():
            server.stop()
    return results


def _step(result: dict[str, Any], k: int) -> dict[str, Any] | None:
    steps = result.get("memory", {}).get("steps", [])
    exact = [s for s in steps if s["k"] == k]
    return exact[0] if exact else None


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    """The side-by-side table, with pywebio_nb / PyWebIO (same app kind) ratios."""
    keys = list(results)
    rows: list[tuple[str, dict[str, float | None], int]] = []

    def mem_row(k: int, field: str, label: str, digits: int) -> None:
        values: dict[str, float | None] = {}
        for key in keys:
            step = _step(results[key], k)
            if step is None and key == "voila":
                step = _step(results[key], args.voila_sessions[-1])
            values[key] = None if step is None else step[field]
        rows.append((label, values, digits))

    for k in args.sessions:
        mem_row(k, "uss_mib_per_session", f"USS MiB/session, K={k} (Voila K=10)", 3)
    big = args.sessions[-1]
    mem_row(big, "reached", f"sessions reached of K={big}", 0)
    mem_row(big, "threads_per_session", f"threads/session, K={big}", 2)
    values: dict[str, float | None] = {}
    for key in keys:
        step = _step(results[key], big) or _step(results[key], args.voila_sessions[-1])
        values[key] = None if step is None else step["after"]["threads"]
    rows.append((f"threads in total at K={big}", values, 0))
    for label, path, digits in (
        ("WS open → interactive median ms", ("memory", "ws"), 1),
        ("browser: time to interactive median ms", ("browser", "tti_ms", "median"), 0),
        ("browser: time to interactive p90 ms", ("browser", "tti_ms", "p90"), 0),
        ("browser: click → text p50 ms", ("browser", "click_ms", "p50"), 2),
        ("browser: click → text p95 ms", ("browser", "click_ms", "p95"), 2),
        ("page: requests", ("browser", "page", "requests"), 0),
        ("page: KiB raw", ("browser", "page", "raw_bytes"), 0),
        ("page: KiB as served", ("browser", "page", "served_bytes"), 0),
        ("page: KiB gzip -9 per asset", ("browser", "page", "gzip9_bytes"), 0),
    ):
        values = {}
        for key in keys:
            values[key] = _lookup(results[key], path)
        rows.append((label, values, digits))
    head = [
        "metric",
        *[results[k]["label"] for k in keys],
        "nb/PyWebIO thread",
        "nb/PyWebIO coroutine",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, vals, digits in rows:
        cells = [label, *[_fmt(vals.get(k), digits) for k in keys]]
        for nb, peer in (("nb-thread", "pywebio-thread"), ("nb-coroutine", "pywebio-coroutine")):
            a, b = vals.get(nb), vals.get(peer)
            cells.append(f"{a / b:.2f}x" if a is not None and b else "-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def critical_path(results: dict[str, dict[str, Any]]) -> str:
    """Per server: each milestone of a navigation, median (min-max) ms from navigation start."""
    lines = []
    for result in results.values():
        table = result.get("browser", {}).get("critical_path_ms")
        if not table:
            continue
        lines.append(f"{result['label']}: critical path, ms from navigation start")
        lines.append("| milestone | median | min-max | n |")
        lines.append("|---|---|---|---|")
        for name, row in table.items():
            label = name.removeprefix("pywebio_nb:")
            if label != name:
                label = f"page mark: {label}"
            lines.append(
                f"| {label} | {row['median']:.1f} | {row['min']:.1f}-{row['max']:.1f} |"
                f" {row['n']} |"
            )
        lines.append("")
    return "\n".join(lines)


def _lookup(result: dict[str, Any], path: tuple[str, ...]) -> float | None:
    if path == ("memory", "ws"):
        steps = result.get("memory", {}).get("steps", [])
        value = steps[0]["open_ms"].get("median") if steps else None
        return None if value is None else float(value)
    node: Any = result
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if path[-1].endswith("bytes"):
        return float(node) / 1024
    return float(node)


def goals(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> list[str]:
    """Issue 5's goals, checked against this run."""
    lines = []
    for kind in ("thread", "coroutine"):
        nb, peer = results.get(f"nb-{kind}"), results.get(f"pywebio-{kind}")
        if not nb:
            continue
        for k in args.sessions if peer else ():
            a, b = _step(nb, k), _step(peer, k)
            if a and b:
                ok = a["uss_mib_per_session"] <= b["uss_mib_per_session"]
                lines.append(
                    f"{'PASS' if ok else 'MISS'} {kind} USS/session K={k}: "
                    f"{a['uss_mib_per_session']:.3f} vs PyWebIO {b['uss_mib_per_session']:.3f} MiB"
                )
        a_click = _lookup(nb, ("browser", "click_ms", "p50"))
        b_click = _lookup(peer or {}, ("browser", "click_ms", "p50"))
        if a_click is not None and b_click is not None:
            ok = a_click <= b_click
            lines.append(
                f"{'PASS' if ok else 'MISS'} {kind} click p50: {a_click:.2f} vs "
                f"PyWebIO {b_click:.2f} ms"
            )
        tti = _lookup(nb, ("browser", "tti_ms", "median"))
        if tti is not None:
            ok = tti < GOALS["tti_ms"]
            lines.append(f"{'PASS' if ok else 'MISS'} {kind} TTI median {tti:.0f} ms (< 100 ms)")
    weight = _lookup(results.get("nb-thread", {}), ("browser", "page", "gzip9_bytes"))
    if weight is not None:
        ok = weight < GOALS["page_gzip_kib"]
        lines.append(f"{'PASS' if ok else 'MISS'} page {weight:.0f} KiB gzip -9 (< 80 KiB)")
    return lines


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="pywebio_nb standalone sessions beside PyWebIO 1.8.4 and Voila: memory and "
        "threads per session, time to interactive, click latency, page bytes.",
        epilog="Each server runs in its own process; loopback only. JSON goes to "
        "benchmarks/results/.",
    )
    parser.add_argument("--quick", action="store_true", help="K=20,100; Voila K=3; few samples")
    parser.add_argument(
        "--sessions", type=int, nargs="+", default=[100, 1000], help="K values (default 100 1000)"
    )
    parser.add_argument("--voila-sessions", type=int, nargs="+", default=[10], help="Voila K")
    parser.add_argument("--navigations", type=int, default=20, help="fresh-page navigations")
    parser.add_argument("--voila-navigations", type=int, default=10, help="for Voila")
    parser.add_argument("--clicks", type=int, default=50, help="clicks on one page")
    parser.add_argument(
        "--time-limit", type=float, default=180, help="seconds to open all sessions of a server"
    )
    parser.add_argument("--parallel", type=int, default=8, help="sessions opened concurrently")
    parser.add_argument("--skip-browser", action="store_true", help="memory phase only")
    parser.add_argument(
        "--tti-only",
        action="store_true",
        help="time to interactive only: all servers at once, navigations round-robin",
    )
    parser.add_argument(
        "--skip-memory", action="store_true", help="browser phase only (with --clicks 0: TTI only)"
    )
    parser.add_argument(
        "--no-deflate",
        action="store_true",
        help="visitors do not offer permessage-deflate (Chromium does; the default offers it)",
    )
    parser.add_argument(
        "--only", nargs="+", choices=[t.key for t in TARGETS], help="run only these servers"
    )
    parser.add_argument(
        "--pywebio-python", default="", help="PyWebIO 1.8.4 python (default: benchmarks/.venvs)"
    )
    parser.add_argument(
        "--compare-repo",
        type=Path,
        metavar="PATH",
        help="also run the chosen pywebio_nb servers from another (built) checkout: before/after",
    )
    parser.add_argument(
        "--voila-python", default="", help="Voila 0.5.13 python (default: benchmarks/.venvs)"
    )
    return parser


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.quick:
        args.sessions, args.voila_sessions = [20, 100], [3]
        args.navigations, args.voila_navigations, args.clicks = 5, 3, 15
        args.time_limit = 60
    args.sessions.sort()
    signal.signal(signal.SIGTERM, _interrupt)
    pythons = Pythons(
        pywebio=args.pywebio_python or peer_python("pywebio184", ["pywebio==1.8.4"]),
        voila=args.voila_python
        or peer_python("voila", ["voila==0.5.13", "ipywidgets", "ipykernel"]),
    )
    chosen = [
        t
        for t in TARGETS
        if (t.key in args.only if args.only else t.family != "static" or args.tti_only)
    ]
    if args.compare_repo:
        repo = args.compare_repo.resolve()
        chosen += [
            Target(f"{t.key}@{repo.name}", f"{t.label} @ {repo.name}", t.family, t.kind, str(repo))
            for t in chosen
            if t.family == "nb"
        ]
    meta = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "load_start": _load(),
        "cpus": os.cpu_count(),
        "argv": sys.argv,
        "visitors_offer_deflate": not args.no_deflate,
        "driver": vars(sample(os.getpid())),
    }
    print(f"load average at start: {meta['load_start']}", flush=True)
    results: dict[str, dict[str, Any]] = {}
    status = 0
    try:
        if args.tti_only:
            results = run_tti_round_robin(chosen, args, pythons)
            chosen = []
        for target in chosen:
            out: dict[str, Any] = {"label": target.label}
            results[target.key] = out
            try:
                run_target(target, args, pythons, out)
            except Exception as error:  # keep going: one broken peer must not hide the others
                print(f"{target.label}: FAILED: {type(error).__name__}: {error}", flush=True)
                out["error"] = f"{type(error).__name__}: {error}"
                status = 1
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        return 130
    meta["load_end"] = _load()
    report = table(results, args)
    checks = goals(results, args)
    print(f"\nload average at end: {meta['load_end']}\n\n{report}\n")
    print(critical_path(results))
    print("\n".join(checks))
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"server_scale-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"meta": meta, "results": results, "goals": checks}, indent=1))
    print(f"\nJSON: {path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
