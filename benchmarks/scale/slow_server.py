"""The server of ``slow_clients.py``: ``python slow_server.py PORT MIB KIND``.

Apps (``?app=``):

* ``writer`` — writes ``MIB`` MiB of text (1 KiB lines of random hex, which deflate halves at
  best) as fast as it can, then waits for the visitor; a thread app, or a coroutine app that
  yields every 64 lines (``KIND``).
* ``status`` — one text line of JSON about the server: live ``writer`` sessions (objects still in
  memory, held in a ``WeakSet``), ``pywebio_nb`` threads, asyncio tasks, RSS. ``gc`` does
  ``gc.collect()`` first; ``trim`` does ``gc.collect()`` and glibc's ``malloc_trim(0)``.

Only the benchmark uses this; it reaches into pywebio_nb's internals to count sessions.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import json
import os
import sys
import threading
import weakref
from pathlib import Path
from typing import Any

from pywebio_nb.output import put_text
from pywebio_nb.platform import start_server
from pywebio_nb.session import get_current_session, hold

LINE = 1024
#: The ``writer`` sessions still in memory (closed or not).
WRITERS: weakref.WeakSet[Any] = weakref.WeakSet()


def _lines(total_mib: int) -> Any:
    """1 KiB lines of random hex: deflate halves them, no more (as for most real output)."""
    for i in range(total_mib * 1024 * 1024 // LINE):
        yield f"{i:08d} " + os.urandom((LINE - 9) // 2).hex()


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _stats(how: str) -> dict[str, Any]:
    if how in ("gc", "trim"):
        gc.collect()
    if how == "trim":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)
    live = list(WRITERS)  # no scan of gc.get_objects(): it would stall the loop for seconds
    try:
        tasks = len(asyncio.all_tasks())
    except RuntimeError:
        tasks = -1
    return {
        "writer_sessions": len(live),
        "writer_sessions_open": sum(not s.closed for s in live),
        "threads": threading.active_count(),
        "app_threads": sum(
            t.name.startswith("pywebio_nb-") and t.name != "pywebio_nb-flusher"
            for t in threading.enumerate()
        ),
        "tasks": tasks,
        "rss_mib": _rss_mib(),
    }


def make_apps(total_mib: int, kind: str) -> dict[str, Any]:
    def thread_writer() -> None:
        WRITERS.add(get_current_session())
        for line in _lines(total_mib):
            put_text(line)
        hold()

    async def coroutine_writer() -> None:
        WRITERS.add(get_current_session())
        for i, line in enumerate(_lines(total_mib)):
            put_text(line)
            if i % 64 == 63:
                await asyncio.sleep(0)
        await hold()

    writer = thread_writer if kind == "thread" else coroutine_writer
    writer.__name__ = "writer"

    def status(how: str) -> Any:
        async def app() -> None:
            put_text("STATS " + json.dumps(_stats(how)))

        return app

    return {"writer": writer, "status": status(""), "gc": status("gc"), "trim": status("trim")}


if __name__ == "__main__":
    port, mib, kind = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    start_server(make_apps(mib, kind), port=port, host="127.0.0.1")
