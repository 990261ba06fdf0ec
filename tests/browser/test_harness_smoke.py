"""The browser harness itself, proven with plain ipywidgets in a real JupyterLab."""

from __future__ import annotations

import sys

import pytest
from chromium_host import ChromiumHost
from jupyter_harness import NotebookFactory
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.bounded import TeardownOverrun, watchdog

BUTTON_CELL = """\
import ipywidgets as widgets
button = widgets.Button(description="Say hello")
log = widgets.Output()

def on_click(_):
    with log:
        print("hello from the callback")

button.on_click(on_click)
widgets.VBox([button, log])
"""


def test_button_callback_output_lands_in_its_cell(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(["x = 1", BUTTON_CELL])
    lab.run_all()

    lab.output(1).get_by_role("button", name="Say hello").click()

    expect(lab.output(1)).to_contain_text("hello from the callback")
    expect(lab.output(0)).not_to_contain_text("hello from the callback")


def test_kernel_is_the_python_running_pytest(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(["value = 6 * 7"])
    lab.run_all()

    assert lab.kernel_exec("value") == "42"
    assert lab.kernel_exec("import sys; sys.executable") == repr(sys.executable)
    expect(lab.output(0)).to_have_text("")


def test_each_cell_output_stays_in_its_own_cell(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(["print('first cell says hi')", "print('second cell says hi')"])
    lab.run_all()

    expect(lab.output(0)).to_have_text("first cell says hi")
    expect(lab.output(1)).to_have_text("second cell says hi")

    lab.run_cell(0)
    expect(lab.output(0)).to_have_text("first cell says hi")
    expect(lab.output(1)).to_have_text("second cell says hi")


def test_theme_switch_changes_body_dataset(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(["1 + 1"])
    light = "document.body.dataset.jpThemeLight"
    assert lab.page.evaluate(light) == "true"

    lab.set_theme("dark")
    assert lab.page.evaluate(light) == "false"
    lab.screenshot("theme-dark")

    lab.set_theme("light")
    assert lab.page.evaluate(light) == "true"


def test_a_hung_page_call_is_cut_short_and_the_next_test_gets_a_new_browser(
    chromium_host: ChromiumHost,
) -> None:
    """Playwright's sync calls have no timeout of their own; the watchdog kills the browser."""
    context = chromium_host.browser.new_context()
    page = context.new_page()
    page.set_content("<p>waiting forever</p>")
    launches = chromium_host.launches
    with (
        pytest.warns(TeardownOverrun, match="a promise that never settles"),
        watchdog(chromium_host.kill, "a promise that never settles", seconds=2) as watch,
        pytest.raises(PlaywrightError),
    ):
        page.evaluate("() => new Promise(() => {})")
    assert watch.fired
    chromium_host.close_context(context)  # a dead browser's context closes without a fuss

    fresh = chromium_host.browser.new_context()
    try:
        assert chromium_host.launches == launches + 1
        again = fresh.new_page()
        again.set_content("<p>a new browser</p>")
        expect(again.get_by_text("a new browser")).to_be_visible()
    finally:
        chromium_host.close_context(fresh)
