"""PyWebIO 1.8.4's ``put_datatable`` on its own server, for ``datatable.py``.

Run with the interpreter of a venv that has ``pywebio==1.8.4`` (not pywebio_nb's)::

    benchmarks/.venvs/pywebio184/bin/python benchmarks/_pywebio_datatable_peer.py PORT N READY

The records (the same as the notebook side's) are built before the server starts, and the time
it took is written to the file READY, which tells the caller that the server is about to listen.
Every session shows ``put_datatable(records)`` and then holds. The caller stops the server.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main() -> None:
    from pywebio import start_server  # type: ignore[import-not-found]
    from pywebio.output import put_datatable  # type: ignore[import-not-found]
    from pywebio.session import hold  # type: ignore[import-not-found]

    port, n, ready = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    start = time.perf_counter()
    records = [
        {"id": i, "name": f"row {i}", "value": i * 0.5, "flag": i % 2 == 0} for i in range(n)
    ]
    build_s = time.perf_counter() - start
    temporary = ready.with_suffix(".tmp")
    temporary.write_text(json.dumps({"build_s": build_s, "pid": os.getpid()}))
    os.replace(temporary, ready)

    def app() -> None:
        put_datatable(records)
        hold()

    start_server(app, port=port, host="127.0.0.1", cdn=False, auto_open_webbrowser=False)


if __name__ == "__main__":
    main()
