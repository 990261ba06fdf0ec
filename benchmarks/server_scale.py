"""Standalone sessions at scale: memory per session, time to interactive, page weight.

Runs a pywebio_nb tornado server in this process and N scripted pages (WebSocket clients) against
it, for a thread app and a coroutine app that each show a text and a button (so the session stays
open). Prints, per kind: process RSS and Python heap (tracemalloc) growth per open session, and the
median / p90 time from opening the WebSocket to receiving the button (what a visitor can click).
Also prints the gzipped size of the page bundle.

    python benchmarks/server_scale.py --sessions 200

PyWebIO's reference numbers (its docs): 0.17-0.20 MB per session. Goals: <= that, < 100 ms to
interactive, core page < 80 KB gzipped.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import gzip
import json
import statistics
import struct
import time
import tracemalloc
from pathlib import Path

import tornado.web
import tornado.websocket

from pywebio_nb.output import put_buttons, put_text
from pywebio_nb.platform._tornado import STATIC, webio_handler


def thread_app() -> None:
    put_text("hello " * 10)
    put_buttons(["Click"], onclick=lambda _v: put_text("clicked"))


async def coroutine_app() -> None:
    put_text("hello " * 10)
    put_buttons(["Click"], onclick=lambda _v: put_text("clicked"))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def has_button(message: str | bytes) -> bool:
    if isinstance(message, bytes):
        (length,) = struct.unpack(">I", message[:4])
        return b'"buttons"' in message[4 + length :]
    return '"buttons"' in message and json.loads(message).get("kind") == "snapshot"


async def open_session(
    port: int, app: str
) -> tuple[tornado.websocket.WebSocketClientConnection, float]:
    started = time.perf_counter()
    ws = await tornado.websocket.websocket_connect(f"ws://127.0.0.1:{port}/?app={app}")
    while True:
        message = await asyncio.wait_for(ws.read_message(), 10)
        if message is None:
            raise RuntimeError("the session closed early")
        if has_button(message):
            return ws, time.perf_counter() - started


async def measure(port: int, app: str, count: int) -> None:
    warm = [await open_session(port, app) for _ in range(5)]
    for ws, _ in warm:
        ws.close()
    await asyncio.sleep(0.2)
    gc.collect()
    rss_before, heap_before = rss_mb(), tracemalloc.get_traced_memory()[0]
    sockets, latencies = [], []
    for _ in range(count):
        ws, latency = await open_session(port, app)
        sockets.append(ws)
        latencies.append(latency * 1000)
    await asyncio.sleep(0.2)
    gc.collect()
    rss = (rss_mb() - rss_before) / count
    heap = (tracemalloc.get_traced_memory()[0] - heap_before) / count / 1024 / 1024
    latencies.sort()
    p90 = latencies[int(len(latencies) * 0.9) - 1]
    print(
        f"{app:>9}: {count} open sessions; per session {rss:.3f} MB RSS "
        f"(includes the client side), {heap:.3f} MB Python heap; "
        f"time to interactive median {statistics.median(latencies):.1f} ms, p90 {p90:.1f} ms"
    )
    for ws in sockets:
        ws.close()
    await asyncio.sleep(0.5)


async def main(count: int) -> None:
    handler = webio_handler({"thread": thread_app, "coroutine": coroutine_app})
    server = tornado.web.Application([(r"/", handler)]).listen(0, "127.0.0.1")
    port = next(iter(server._sockets.values())).getsockname()[1]
    tracemalloc.start()
    for app in ("thread", "coroutine"):
        await measure(port, app, count)
    tracemalloc.stop()
    server.stop()
    for name in ("page.js", "page.css"):
        data = (STATIC / name).read_bytes()
        packed = len(gzip.compress(data, 9)) / 1024
        print(f"{name}: {len(data) / 1024:.0f} KB, {packed:.0f} KB gzipped")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    asyncio.run(main(parser.parse_args().sessions))
