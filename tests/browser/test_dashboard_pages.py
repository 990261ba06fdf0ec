"""The demo notebook ``notebooks/dashboard.ipynb`` as a published page, seen and used in Chromium.

A real jupyter-server (``test_webio_pages.webio_server``) serves the notebook at
``/webio/dashboard.ipynb``: a kernel per visitor runs it; the visitor sees Markdown, a table, a
matplotlib figure and a pandas table, answers the question and clicks a button — never the code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import artifacts_dir
from jupyter_harness import NotebookCell, NotebookFactory
from playwright.sync_api import Page, expect
from test_webio_pages import WebIOServer, webio_server

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
__all__ = ["webio_server"]  # the server fixture, used by the tests below


@pytest.fixture(scope="module")
def webio_apps() -> dict[str, str]:
    return {"dashboard.ipynb": (REPO / "notebooks" / "dashboard.ipynb").read_text()}


@pytest.fixture(scope="module")
def webio_server_args() -> list[str]:
    return ["--WebIO.reconnect_timeout=120"]


def test_the_index_lists_the_dashboard_by_its_title(page: Page, webio_server: WebIOServer) -> None:
    page.goto(webio_server.app_url(""))
    page.get_by_role("link", name="Sales dashboard", exact=True).click()
    expect(page.get_by_role("heading", name="Sales dashboard")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_visitor_sees_the_outputs_answers_and_clicks(
    page: Page, webio_server: WebIOServer, scheme: str, request: pytest.FixtureRequest
) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(webio_server.app_url("dashboard.ipynb"))
    expect(page.get_by_role("heading", name="Sales dashboard")).to_be_visible()
    expect(page.get_by_role("heading", name="Units sold per month")).to_be_visible()
    expect(page.get_by_role("cell", name="160", exact=True).first).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Figure"))).to_be_visible()  # matplotlib
    expect(page.get_by_role("rowheader", name="mean", exact=True)).to_be_visible()  # pandas
    expect(page.get_by_text("import matplotlib")).to_have_count(0)  # code is never shown
    name = page.get_by_label("Your name?")
    expect(name).to_be_visible()
    name.fill("Ada")
    name.press("Enter")
    expect(page.get_by_text("here is this month's target")).to_be_visible()
    page.get_by_role("button", name="Refresh").click()
    expect(page.get_by_text("Refreshed 1 time(s) for Ada")).to_be_visible()
    target = artifacts_dir(request.config) / f"dashboard-{scheme}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)


def test_a_reloaded_page_gets_its_kernel_and_page_back(
    page: Page, webio_server: WebIOServer
) -> None:
    page.goto(webio_server.app_url("dashboard.ipynb"))
    name = page.get_by_label("Your name?")
    name.fill("Grace")
    name.press("Enter")
    page.get_by_role("button", name="Refresh").click()
    expect(page.get_by_text("Refreshed 1 time(s) for Grace")).to_be_visible()
    page.reload()
    expect(page.get_by_text("Refreshed 1 time(s) for Grace")).to_be_visible()
    page.get_by_role("button", name="Refresh").click()
    expect(page.get_by_text("Refreshed 2 time(s) for Grace")).to_be_visible()


def test_the_same_notebook_runs_unchanged_in_jupyterlab(
    jupyterlab_notebook: NotebookFactory, request: pytest.FixtureRequest
) -> None:
    cells = json.loads((REPO / "notebooks" / "dashboard.ipynb").read_text())["cells"]
    lab = jupyterlab_notebook(
        [NotebookCell("".join(cell["source"]), cell["cell_type"]) for cell in cells]
    )

    def index(text: str) -> int:
        return next(i for i, cell in enumerate(cells) if text in "".join(cell["source"]))

    ask, figure, described = index("input("), index("plt.show()"), index("describe()")
    last = len(cells) - 1
    lab._evaluate(
        "window.jupyterapp.commands.execute('notebook:run-all-cells', {widgetId: panel.id});"
    )
    question = lab.output(ask)
    name = question.get_by_label("Your name?")
    name.fill("Ada")
    name.press("Enter")
    expect(question.get_by_text("here is this month's target")).to_be_visible()
    lab.wait_for_idle()
    expect(lab.page.get_by_role("heading", name="Units sold per month")).to_be_visible()
    expect(lab.output(figure).get_by_role("img")).to_be_visible()  # matplotlib
    expect(lab.output(described).get_by_role("rowheader", name="mean")).to_be_visible()  # pandas
    lab.output(last).get_by_role("button", name="Refresh").click()
    expect(lab.output(last).get_by_text("Refreshed 1 time(s) for Ada")).to_be_visible()
    lab.screenshot("dashboard-in-jupyterlab")
