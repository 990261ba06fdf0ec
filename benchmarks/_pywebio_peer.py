"""PyWebIO's own ``put_text`` cost, measured inside a running thread-based PyWebIO session.

Run with the interpreter of a venv that has ``pywebio==1.8.4`` (not pywebio_nb's)::

    benchmarks/.venvs/pywebio184/bin/python benchmarks/_pywebio_peer.py PORT CALLS RUNS RESULT.json

It serves one app with PyWebIO's Tornado ``start_server`` on 127.0.0.1:PORT. When a client
connects (``output_throughput.py`` connects a WebSocket client that reads and drops every message,
with per-message compression as a browser asks for), the app times ``RUNS`` loops of ``CALLS``
``put_text`` calls with :func:`time.perf_counter`, writes the per-call microseconds to
RESULT.json and shows ``done``. The caller stops the server.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main() -> None:
    from pywebio import start_server  # type: ignore[import-not-found]
    from pywebio.output import put_text  # type: ignore[import-not-found]

    port, calls, runs, result_path = (
        int(sys.argv[1]),
        int(sys.argv[2]),
        int(sys.argv[3]),
        Path(sys.argv[4]),
    )

    def app() -> None:
        for i in range(min(calls, 1000)):  # warm-up, not timed
            put_text(f"line {i}")
        per_call = []
        for _ in range(runs):
            start = time.perf_counter()
            for i in range(calls):
                put_text(f"line {i}")
            per_call.append((time.perf_counter() - start) / calls * 1e6)
        temporary = result_path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"us_per_call": per_call, "calls": calls}))
        os.replace(temporary, result_path)
        put_text("done")

    start_server(app, port=port, host="127.0.0.1", cdn=False, auto_open_webbrowser=False)


if __name__ == "__main__":
    main()
