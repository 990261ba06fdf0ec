"""The same notebooks under Voila: outputs and callbacks render, ``input()`` refuses to wait.

Voila executes every cell before its page connects to the kernel, so a form could never be
answered; pywebio_nb raises ``VoilaCannotWait`` (naming ``/webio/<nb>.ipynb`` as the way to
publish such a notebook) instead of leaving the page at "Executing 1 of 2" for good.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_dashboards import notebook

from tests.voila_server import voila_server

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


@pytest.fixture
def voila(tmp_path: Path) -> Iterator[str]:
    """``voila`` serving a folder of notebooks on loopback; its URL."""
    pytest.importorskip("voila")
    (tmp_path / "outputs.ipynb").write_text(OUTPUTS)
    (tmp_path / "asks.ipynb").write_text(ASKS)
    with voila_server(tmp_path) as url:
        yield url


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
