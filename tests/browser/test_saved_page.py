"""A page saved as one self-contained HTML file (``pywebio_nb.session.page_html``), offline."""

from __future__ import annotations

import pytest
from conftest import artifacts_dir
from jupyter_harness import NotebookFactory
from playwright.sync_api import Page, Route, expect


def test_a_saved_page_opens_offline_read_only(
    jupyterlab_notebook: NotebookFactory, page: Page, request: pytest.FixtureRequest
) -> None:
    lab = jupyterlab_notebook(
        [
            "from pywebio_nb.output import *\nfrom pywebio_nb.session import page_html\n"
            "put_markdown('# Quarterly report')\n"
            "put_table([['Region', 'Sales'], ['North', 120], ['South', 95]])\n"
            "put_buttons(['Refresh'], onclick=lambda _: None)\n"
            "put_processbar('done', init=0.75)\n"
            "with open('report.html', 'w', encoding='utf-8') as f:\n"
            "    f.write(page_html(title='Quarterly report'))"
        ]
    )
    lab.run_all()
    saved = lab.server.root_dir / "report.html"
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
    expect(viewer.get_by_role("button", name="Refresh")).to_be_disabled()
    expect(viewer.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "75")
    expect(viewer.get_by_role("note")).to_contain_text("not connected to its app")
    target = artifacts_dir(request.config) / "saved-outputs" / "page-html.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    viewer.screenshot(path=str(target), full_page=True)
    viewer.close()
    assert tried == []
