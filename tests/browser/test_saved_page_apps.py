"""Pages of /webio/ apps and dashboards saved by their visitor as one HTML file, opened offline.

Each app offers a "Save page" button whose callback hands ``page_html()`` to ``download()``
(issue 11, "static export of a page"): in a thread app, a coroutine app, a notebook dashboard
in kernel mode and one in session mode. The saved file opens with the network refused and
shows what the visitor saw, read-only.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import artifacts_dir
from playwright.sync_api import Page, Route, expect
from test_webio_pages import WebIOServer, webio_server

pytestmark = pytest.mark.browser
__all__ = ["webio_server"]  # the server fixture, used by the tests below

OUTPUTS = """
put_markdown("# Quarterly report")
put_table([["Region", "Sales"], ["North", 120], ["South", 95]])
put_processbar("done", init=0.75)
"""


def _notebook(mode: str) -> str:
    cells = [
        nbformat.v4.new_code_cell(
            "from pywebio_nb.output import *\nfrom pywebio_nb.session import download, page_html"
        ),
        nbformat.v4.new_code_cell(OUTPUTS.strip()),
        nbformat.v4.new_code_cell(
            "put_buttons(['Save page'], onclick=lambda _: download("
            "'report.html', page_html(title='Quarterly report').encode()))"
        ),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["pywebio_nb"] = {"dashboard_mode": mode}
    return nbformat.writes(notebook)


@pytest.fixture(scope="module")
def webio_apps() -> dict[str, str]:
    body = "".join(f"    {line}\n" for line in OUTPUTS.strip().splitlines())
    save = (
        "    put_buttons(['Save page'], onclick=lambda _: download("
        "'report.html', page_html(title='Quarterly report').encode()))\n"
    )
    head = "from pywebio_nb.output import *\nfrom pywebio_nb.session import download, page_html\n"
    return {
        "thread_report.py": f"{head}\ndef main():\n{body}{save}",
        "async_report.py": f"{head}\nasync def main():\n{body}{save}",
        "kernel_report.ipynb": _notebook("kernel"),
        "session_report.ipynb": _notebook("session"),
    }


@pytest.mark.parametrize(
    "app", ["thread_report", "async_report", "kernel_report.ipynb", "session_report.ipynb"]
)
def test_a_visitor_saves_the_page_and_opens_it_offline(
    page: Page,
    webio_server: WebIOServer,
    app: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    page.goto(webio_server.app_url(app))
    expect(page.get_by_role("heading", name="Quarterly report")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Save page").click()
    download = info.value
    assert download.suggested_filename == "report.html"
    saved = tmp_path / download.suggested_filename  # as the visitor's browser names it
    download.save_as(saved)
    tried: list[str] = []

    def refuse(route: Route) -> None:
        tried.append(route.request.url)
        route.abort()

    viewer = page.context.new_page()
    viewer.route("http*://**/*", refuse)
    viewer.goto(saved.as_uri())
    expect(viewer).to_have_title("Quarterly report")
    expect(viewer.get_by_role("heading", name="Quarterly report")).to_be_visible()
    expect(viewer.get_by_role("cell", name="North")).to_be_visible()
    expect(viewer.get_by_role("button", name="Save page")).to_be_disabled()
    expect(viewer.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "75")
    expect(viewer.get_by_role("note")).to_contain_text("not connected to its app")
    target = artifacts_dir(request.config) / "saved-outputs" / f"page-of-{app}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    viewer.screenshot(path=str(target), full_page=True)
    viewer.close()
    assert tried == []
