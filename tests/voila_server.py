"""Voila 0.5 serving a folder of notebooks on loopback, for the server and browser tiers.

Example:
    >>> with voila_server(folder) as url:  # doctest: +SKIP
    ...     urllib.request.urlopen(f"{url}/voila/render/outputs.ipynb")
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tests.bounded import stop_process


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def voila_server(folder: Path) -> Iterator[str]:
    """``python -m voila`` on the notebooks in ``folder``, on 127.0.0.1; yields its URL.

    Its kernels run this interpreter, so they import the pywebio_nb installed here.
    Stopped (killed if it must be) when the block ends.
    """
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--show_tracebacks=True",
            str(folder),
        ],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _attempt in range(600):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    raise AssertionError("voila ended before listening") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)
