"""nbconvert's HTML export of pywebio_nb outputs, opened in Chromium with the network off.

``jupyter nbconvert --to html --execute`` runs the tour notebooks in a headless kernel (no
browser: what is exported comes from the kernel), then the page is opened from a file with
every network request refused. The outputs are drawn by the renderer's static mode, read-only.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import artifacts_dir
from playwright.sync_api import Page, Route, expect

ROOT = Path(__file__).resolve().parents[2]
KERNEL_GONE = "the kernel that ran this cell is gone"


def nbconvert(*args: str, cwd: Path, timeout: float = 300) -> None:
    subprocess.run(
        [sys.executable, "-m", "nbconvert", *args],
        cwd=cwd,
        check=True,
        timeout=timeout,
        capture_output=True,
        start_new_session=True,
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tour notebooks executed and exported to HTML by nbconvert."""
    folder = tmp_path_factory.mktemp("export")
    for name in ("tour-output", "tour-layout"):
        shutil.copy(ROOT / "notebooks" / f"{name}.ipynb", folder)
        nbconvert(
            "--to",
            "html",
            "--execute",
            "--ExecutePreprocessor.timeout=240",
            f"{name}.ipynb",
            cwd=folder,
        )
    return folder


@pytest.fixture
def offline(page: Page) -> Iterator[list[str]]:
    """``page`` with the network off; yields the URLs it tried to fetch."""
    tried: list[str] = []

    def refuse(route: Route) -> None:
        tried.append(route.request.url)
        route.abort()

    page.context.set_offline(True)
    page.route("http*://**/*", refuse)
    yield tried


def shoot(page: Page, request: pytest.FixtureRequest, name: str) -> None:
    target = artifacts_dir(request.config) / "saved-outputs" / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)


def test_tour_output_exported_with_execute_shows_offline(
    exported: Path, page: Page, offline: list[str], request: pytest.FixtureRequest
) -> None:
    page.goto((exported / "tour-output.html").as_uri())
    out = page.locator(".pywebio-saved")  # the outputs, not the code cells
    expect(out.first).to_be_visible()
    expect(out.get_by_text("Hello, notebook")).to_be_visible()
    expect(out.get_by_text("<b>not bold</b> — shown literally")).to_be_visible()
    expect(out.get_by_role("heading", name="Markdown")).to_be_visible()
    expect(out.get_by_role("cell", name="Ada").first).to_be_visible()
    expect(out.get_by_role("img", name="a PIL image")).to_be_visible()
    details = page.get_by_role("button", name="details")
    expect(details).to_be_disabled()
    expect(out.get_by_role("button", name="Raise an error")).to_be_disabled()
    expect(out.get_by_text("first entry")).to_be_visible()
    expect(out.get_by_text("written from a later cell")).to_be_visible()
    expect(out.get_by_text("hello from a thread")).to_be_visible()
    expect(out.get_by_role("note").filter(has_text=KERNEL_GONE).first).to_be_visible()
    # Nothing of pywebio_nb is fetched: the fallbacks are gone, the static view drew itself.
    expect(page.locator(".pywebio-saved-fallback")).to_have_count(0)
    assert not [url for url in offline if "pywebio" in url or "anywidget" in url], offline
    shoot(page, request, "nbconvert-tour-output")


def test_tour_layout_exported_with_execute_shows_offline(
    exported: Path, page: Page, offline: list[str], request: pytest.FixtureRequest
) -> None:
    page.goto((exported / "tour-layout.html").as_uri())
    out = page.locator(".pywebio-saved")
    expect(out.get_by_text("Hello from a tab")).to_be_visible()
    collapse = out.locator("details", has_text="Click to expand")
    expect(collapse).not_to_have_attribute("open", "")
    expect(out.get_by_text("log line 39")).to_be_attached()
    expect(out.get_by_text("written inside the box")).to_be_visible()
    expect(out.get_by_role("progressbar").first).to_have_attribute("aria-valuenow", "100")
    grid = out.get_by_role("grid")
    expect(grid.get_by_role("gridcell", name="inserted on top")).to_be_visible()
    expect(grid.get_by_role("gridcell", name="item 5", exact=True)).to_be_visible()
    expect(out.get_by_role("button", name="Delete")).to_be_disabled()
    expect(out.get_by_role("img", name="a crisp matplotlib figure")).to_be_visible()
    # Tabs still switch: reading is not an action.
    out.get_by_role("tab", name="More").click()
    expect(out.get_by_text("several")).to_be_visible()
    shoot(page, request, "nbconvert-tour-layout")
