"""The same notebooks under Voila: outputs and callbacks render, ``input()`` refuses to wait.

Voila executes every cell before its page connects to the kernel, so a form could never be
answered; pywebio_nb raises ``VoilaCannotWait`` (naming ``/webio/<nb>.ipynb`` as the way to
publish such a notebook) instead of leaving the page at "Executing 1 of 2" for good.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_dashboards import notebook

from tests.bounded import stop_process

pytestmark = pytest.mark.server

REPO = Path(__file__).resolve().parents[2]
OUTPUTS = notebook(
    ("markdown", "# Voila outputs"),
    (
        "code",
        "from pywebio_nb.output import put_buttons, put_text\n"
        "put_text('shown under voila')\n"
        "put_buttons(['Press'], onclick=lambda _v: put_text('pressed'))",
    ),
)
ASKS = notebook(
    ("code", "from pywebio_nb.input import input\nname = input('Your name?')"),
    ("code", "print('after the question')"),
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def voila(tmp_path: Path) -> Iterator[str]:
    """``voila`` serving a folder of notebooks on loopback; its URL."""
    pytest.importorskip("voila")
    (tmp_path / "outputs.ipynb").write_text(OUTPUTS)
    (tmp_path / "asks.ipynb").write_text(ASKS)
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
            str(tmp_path),
        ],
        cwd=tmp_path,
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


def render(url: str) -> str:
    with urllib.request.urlopen(url, timeout=180) as response:
        return str(response.read().decode())


def test_outputs_render_under_voila(voila: str) -> None:
    html = render(f"{voila}/voila/render/outputs.ipynb")
    assert "Voila outputs" in html
    # pywebio_nb's output is an anywidget view, rendered by Voila's widget manager.
    assert "application/vnd.jupyter.widget-view+json" in html
    assert "There was an error" not in html


def test_input_refuses_to_wait_under_voila_and_names_the_alternative(voila: str) -> None:
    html = render(f"{voila}/voila/render/asks.ipynb")
    assert "VoilaCannotWait" in html
    assert "/webio/&lt;notebook&gt;.ipynb" in html or "/webio/<notebook>.ipynb" in html
