"""A pywebio_nb notebook under Voila 0.5, in Chromium: outputs show live and callbacks answer.

Voila loads the JupyterLab extensions of the environment, pywebio_nb's saved-output renderer
included; the kernel writes no saved copy under Voila, so the page shows the live widget view
(a saved copy would be drawn inert, with its buttons disabled).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page, expect

from tests.voila_server import voila_server

pytestmark = pytest.mark.browser

CELLS = [
    "from pywebio_nb.output import put_buttons, put_table, put_text",
    "put_text('shown under voila')\n"
    "put_table([['Fruit', 'Qty'], ['apple', 3]])\n"
    "put_buttons(['Press'], onclick=lambda _v: put_text('pressed'))",
]


@pytest.fixture(scope="module")
def voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("voila")
    cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    (folder / "outputs.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook(cells=cells)))
    with voila_server(Path(folder)) as url:
        yield url


def test_a_button_answers_under_voila(page: Page, voila: str) -> None:
    page.goto(f"{voila}/voila/render/outputs.ipynb")
    expect(page.get_by_text("shown under voila")).to_be_visible(timeout=120_000)
    expect(page.get_by_role("cell", name="apple")).to_be_visible()
    press = page.get_by_role("button", name="Press")
    expect(press).to_be_enabled()
    press.click()
    expect(page.get_by_text("pressed", exact=True)).to_be_visible()
    expect(page.get_by_text("the kernel that ran this cell is gone")).to_have_count(0)
