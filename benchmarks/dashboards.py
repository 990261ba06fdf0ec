"""Notebook dashboards: pywebio_nb (cold kernel, warm pool) beside Voila 0.5, in one run.

One notebook without ``input()`` (Markdown, a table, a button), served by:

* pywebio_nb cold: ``jupyter server`` with the extension, ``c.WebIO.dashboard_pool_size = 0``
  (every visitor waits for a new kernel);
* pywebio_nb warm: the same with ``dashboard_pool_size = 2`` (a visitor takes a kernel that
  already ran the notebook; the benchmark waits between navigations for the pool to refill);
* Voila 0.5 (``python -m voila``, this environment's; the same notebook, its pywebio_nb
  outputs rendered as anywidget views).

For each: Chromium (``scale/browser.py``) measures navigation → first output in the DOM
(median of N fresh contexts), click → the callback's text, and the bytes the page downloads
(gzip -9 of each response); USS of the server's process tree (its kernels included) is read
before and after opening 1 and 20 visitors (pywebio_nb: WebSocket visitors that got their
page; Voila: page GETs, each of which leaves a kernel). Then pywebio_nb alone on a notebook
that asks ``input()``: navigation → form visible, submit → answer visible.

* pywebio_nb session mode: ``c.WebIO.dashboard_mode = "session"`` (the cells run as an app
  session in the server process, a thread per visitor): the same figures, and USS per
  visitor at 1,000 concurrent visitors too (WebSocket visitors, as above).

    python benchmarks/dashboards.py                  # ~5 min
    python benchmarks/dashboards.py --quick          # ~2 min
    python benchmarks/dashboards.py --session-only   # the session-mode row alone, ~1 min
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tornado.websocket
from playwright.sync_api import sync_playwright
from scale import browser
from scale.procs import free_port, sample

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
GOALS = {"warm first output ms": 300.0, "page gzip KiB": 80.0, "session MiB/visitor": 1.0}


def _notebook(*cells: tuple[str, str]) -> str:
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
            "cells": [
                {
                    "cell_type": kind,
                    "id": f"c{n}",
                    "metadata": {},
                    "source": source,
                    **({"outputs": [], "execution_count": None} if kind == "code" else {}),
                }
                for n, (kind, source) in enumerate(cells)
            ],
        }
    )


BENCH = _notebook(
    ("markdown", "# Bench dashboard"),
    (
        "code",
        "from pywebio_nb.output import put_buttons, put_markdown, put_table, put_text\n"
        "put_markdown('hello-output: units per month')\n"
        "put_table([['Month', 'Units'], ['Jan', 120], ['Feb', 135], ['Mar', 160]])\n"
        "clicks = 0\n\n"
        "def clicked(_value):\n"
        "    global clicks\n"
        "    clicks += 1\n"
        "    put_text(f'clicked-{clicks}')\n\n"
        "put_buttons(['Click'], onclick=clicked)",
    ),
)
ASK = _notebook(
    ("code", "from pywebio_nb.input import input\nfrom pywebio_nb.output import put_text"),
    ("code", "name = input('Your name?')\nput_text(f'hello {name}')"),
)


@contextmanager
def server(command: list[str], port: int, ready_path: str, workdir: Path) -> Iterator[int]:
    """Start a server process on ``port``; yield its pid once ``ready_path`` answers."""
    log = (workdir / f"server-{port}.log").open("wb")
    process = subprocess.Popen(
        command, cwd=workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=5)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((workdir / f"server-{port}.log").read_text()) from None
                time.sleep(0.2)
        yield process.pid
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
        log.close()


def jupyter_command(port: int, root: Path, pool: int, mode: str = "kernel") -> list[str]:
    return [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        "--allow-root",
        f"--ServerApp.root_dir={root}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
        "--ServerApp.jpserver_extensions=pywebio_nb=True",
        "--WebIO.allow_anonymous=True",
        f"--WebIO.dashboard_pool_size={pool}",
        "--WebIO.max_dashboard_kernels=0",
        f"--WebIO.dashboard_mode={mode}",
    ]


def voila_command(port: int, root: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "voila",
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        str(root),
    ]


async def _ws_visitor(url: str) -> Any:
    ws = await tornado.websocket.websocket_connect(url)
    while True:
        message = await asyncio.wait_for(ws.read_message(), 120)
        if message is None:
            raise RuntimeError("closed")
        if isinstance(message, str) and '"kind":"snapshot"' in message:
            return ws


def memory_per_visitor(pid: int, visit: Any, count: int) -> float:
    """USS (MiB) the server's process tree grows by per visitor, with ``count`` visitors.

    ``visit(count, measure)`` opens the visitors, calls ``measure()`` while they are there and
    lets them go.
    """
    time.sleep(2)
    before = sample(pid).uss_mib
    after: list[float] = []

    def measure() -> None:
        time.sleep(3)
        after.append(sample(pid).uss_mib)

    visit(count, measure)
    return (after[0] - before) / count


def nb_visitors(port: int) -> Any:
    url = f"ws://127.0.0.1:{port}/webio/_nb/bench.ipynb"

    def visit(count: int, measure: Any) -> None:
        async def crowd() -> None:
            sockets = await asyncio.gather(*(_ws_visitor(url) for _ in range(count)))
            await asyncio.to_thread(measure)
            for ws in sockets:
                ws.close()

        asyncio.run(crowd())

    return visit


def voila_visitors(port: int) -> Any:
    url = f"http://127.0.0.1:{port}/voila/render/bench.ipynb"

    def visit(count: int, measure: Any) -> None:
        for _ in range(count):  # each GET leaves a kernel behind (Voila culls none by default)
            urllib.request.urlopen(url, timeout=180).read()
        measure()

    return visit


def browse(url: str, navigations: int, clicks: int, pause: float = 0.0) -> dict[str, Any]:
    """First output (median ms over fresh contexts), click latency, page bytes."""
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        try:
            weight = browser.page_bytes(chromium, url)
            runs = []
            for _ in range(navigations):
                if pause:
                    time.sleep(pause)  # the pool refills (warm runs)
                runs.append(browser.navigate(chromium, url)["output in DOM"])
            click = browser.click_latency(chromium, url, clicks, warmup=3) if clicks else []
        finally:
            chromium.close()
    return {
        "first_output_ms": statistics.median(runs),
        "first_output_all": runs,
        "click_ms": statistics.median(click) if click else None,
        "page_gzip_kib": weight.gzip9 / 1024,
        "requests": weight.requests,
    }


def ask_form(url: str, count: int) -> dict[str, float]:
    """pywebio_nb on the input() notebook: navigation → form, submit → answer (medians, ms)."""
    to_form, to_answer = [], []
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        try:
            for n in range(count):
                context = chromium.new_context()
                page = context.new_page()
                start = time.perf_counter()
                page.goto(url, wait_until="commit")
                field = page.get_by_label("Your name?")
                field.wait_for(timeout=120_000)
                to_form.append((time.perf_counter() - start) * 1000)
                field.fill(f"visitor{n}")
                start = time.perf_counter()
                field.press("Enter")
                page.get_by_text(f"hello visitor{n}").wait_for(timeout=60_000)
                to_answer.append((time.perf_counter() - start) * 1000)
                context.close()
        finally:
            chromium.close()
    return {"form_ms": statistics.median(to_form), "answer_ms": statistics.median(to_answer)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer navigations and visitors")
    parser.add_argument("--session-only", action="store_true", help="the session-mode row only")
    args = parser.parse_args()
    navigations, clicks, crowd = (3, 5, 5) if args.quick else (7, 15, 20)
    results: dict[str, Any] = {"load": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "bench.ipynb").write_text(BENCH)
        (root / "ask.ipynb").write_text(ASK)
        port = free_port()
        command = jupyter_command(port, root, 0, mode="session")
        with server(command, port, "/api/status", root) as pid:
            url = f"http://127.0.0.1:{port}/webio/bench.ipynb"
            row = browse(url, navigations, clicks)
            row["uss_mib_per_visitor_1"] = memory_per_visitor(pid, nb_visitors(port), 1)
            row["uss_mib_per_visitor_n"] = memory_per_visitor(pid, nb_visitors(port), crowd)
            row["uss_mib_per_visitor_1000"] = memory_per_visitor(pid, nb_visitors(port), 1000)
            row["ask"] = ask_form(f"http://127.0.0.1:{port}/webio/ask.ipynb", 3)
            results["pywebio_nb session mode"] = row
            print("session mode", json.dumps(row, default=str), flush=True)
        for name, pool in (
            () if args.session_only else (("pywebio_nb cold", 0), ("pywebio_nb warm pool", 2))
        ):
            port = free_port()
            with server(jupyter_command(port, root, pool), port, "/api/status", root) as pid:
                url = f"http://127.0.0.1:{port}/webio/bench.ipynb"
                row = browse(url, navigations, clicks, pause=4.0 if pool else 0.0)
                if pool == 0:
                    row["uss_mib_per_visitor_1"] = memory_per_visitor(pid, nb_visitors(port), 1)
                    row["uss_mib_per_visitor_n"] = memory_per_visitor(pid, nb_visitors(port), crowd)
                    row["ask"] = ask_form(f"http://127.0.0.1:{port}/webio/ask.ipynb", 3)
                results[name] = row
                print(name, json.dumps(row, default=str), flush=True)
        if not args.session_only:
            port = free_port()
            with server(voila_command(port, root), port, "/", root) as pid:
                url = f"http://127.0.0.1:{port}/voila/render/bench.ipynb"
                row = browse(url, navigations, clicks)
                row["uss_mib_per_visitor_1"] = memory_per_visitor(pid, voila_visitors(port), 1)
                row["uss_mib_per_visitor_n"] = memory_per_visitor(pid, voila_visitors(port), crowd)
                results["Voila 0.5"] = row
                print("Voila", json.dumps(row, default=str), flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"dashboards-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}.json"
    out.write_text(json.dumps(results, indent=1, default=str))
    print(
        f"\n| server | first output ms | click ms | page gzip KiB | USS MiB/visitor (1, {crowd}) |"
    )
    print("| --- | --- | --- | --- | --- |")
    rows = ("pywebio_nb cold", "pywebio_nb warm pool", "pywebio_nb session mode", "Voila 0.5")
    for name in (row for row in rows if row in results):
        row = results[name]
        memory = (
            f"{row['uss_mib_per_visitor_1']:.2f}, {row['uss_mib_per_visitor_n']:.2f}"
            if "uss_mib_per_visitor_1" in row
            else "(as cold)"
        )
        click = f"{row['click_ms']:.0f}" if row["click_ms"] is not None else "-"
        print(
            f"| {name} | {row['first_output_ms']:.0f} | {click} | {row['page_gzip_kib']:.1f} "
            f"| {memory} |"
        )
    session = results["pywebio_nb session mode"]
    print(f"session mode, 1,000 visitors: {session['uss_mib_per_visitor_1000']:.3f} MiB/visitor")
    for name in ("pywebio_nb cold", "pywebio_nb session mode"):
        if name in results:
            ask = results[name]["ask"]
            print(
                f"input() notebook ({name}): form {ask['form_ms']:.0f} ms, "
                f"answer {ask['answer_ms']:.0f} ms"
            )
    print(f"goals: {GOALS}; load {results['load']}; JSON: {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
