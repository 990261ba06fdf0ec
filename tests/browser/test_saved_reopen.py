"""Saved pywebio_nb outputs reopened without their kernel, in JupyterLab and Notebook 7.

Run, save, shut the kernel down, reload: every output shows its last state, read-only, with a
note that the kernel is gone (the JupyterLab extension draws the saved copy the kernel wrote,
with the renderer's static mode). Run again: the live view replaces the saved one. The same
with JupyterLab's "save widget state" setting on, and the saved file opened in Notebook 7.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import artifacts_dir
from jupyter_harness import LabNotebook, NotebookFactory
from playwright.sync_api import Locator, Page, expect

KERNEL_GONE = "the kernel that ran this cell is gone"
CELLS = [
    "from pywebio_nb.output import *\n"
    "put_text('saved hello')\n"
    "put_table([['Fruit', 'Qty'], ['apple', 3]])\n"
    "put_buttons(['Add'], onclick=lambda _: put_text('added live'))\n"
    "with put_collapse('Closed box', open=False):\n"
    "    put_text('inside the box')\n"
    "put_processbar('bar', init=0.5)\n"
    "put_datatable([{'n': i, 'name': f'row {i}'} for i in range(500)], instance_id='rows')",
    "from pywebio_nb.input import input\nwho = input('Who are you')\nput_text('hi ' + who)",
    "name = input('Your name')",
]
SAVE_STATE = "@jupyter-widgets/jupyterlab-manager:plugin"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def shoot(page: Page, request: pytest.FixtureRequest, name: str) -> None:
    target = artifacts_dir(request.config) / "saved-outputs" / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)


def start(lab: LabNotebook, index: int) -> None:
    """Run a cell without waiting for it (it will wait for a form)."""
    lab._evaluate(
        f"panel.content.activeCellIndex = {index};"
        "void window.jupyterapp.commands.execute('notebook:run-cell', {widgetId: panel.id});"
    )


def run_and_save(lab: LabNotebook) -> None:
    """Run the outputs cell, answer a form, start a waiting one, save, shut the kernel down."""
    lab.run_cell(0)
    expect(lab.output(0).get_by_role("button", name="Add")).to_be_enabled()
    start(lab, 1)
    field = lab.output(1).get_by_label("Who are you")
    field.fill("Ada")
    lab.output(1).get_by_role("button", name="Submit").click()
    expect(lab.output(1).get_by_text("hi Ada")).to_be_visible()
    lab.wait_for_idle()
    start(lab, 2)
    expect(lab.output(2).get_by_label("Your name")).to_be_editable()
    lab._evaluate("await panel.context.save();")
    lab._evaluate("await panel.sessionContext.shutdown();")


def assert_saved(outputs: Locator, answered: Locator, form: Locator) -> None:
    """What a reader of the saved notebook sees: content, inert controls, the note."""
    expect(outputs.get_by_text("saved hello")).to_be_visible()
    expect(outputs.get_by_role("cell", name="apple")).to_be_visible()
    expect(outputs.get_by_role("button", name="Add")).to_be_disabled()
    expect(outputs.locator("details", has_text="Closed box")).not_to_have_attribute("open", "")
    expect(outputs.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "50")
    expect(outputs.get_by_role("gridcell", name="row 3", exact=True)).to_be_visible()
    expect(outputs.get_by_role("note").filter(has_text=KERNEL_GONE).first).to_be_visible()
    expect(outputs.get_by_text("model not found")).to_have_count(0)
    group = answered.get_by_role("group", name="Answered form")
    expect(group).to_contain_text("Who are you")
    expect(group).to_contain_text("Ada")
    expect(answered.get_by_text("hi Ada")).to_be_visible()
    expect(form.get_by_label("Your name")).to_be_disabled()
    expect(form.get_by_role("button", name="Submit")).to_be_disabled()


def reload(lab: LabNotebook) -> None:
    lab.page.reload()
    lab._wait_until_ready()


@pytest.mark.parametrize("save_state", [False, True], ids=["state-off", "state-on"])
def test_reopened_without_its_kernel_in_jupyterlab(
    jupyterlab_notebook: NotebookFactory,
    page: Page,
    request: pytest.FixtureRequest,
    save_state: bool,
) -> None:
    lab = jupyterlab_notebook(CELLS)
    lab.server.api(
        "PUT", f"lab/api/settings/{SAVE_STATE}", {"raw": json.dumps({"saveState": save_state})}
    )
    reload(lab)
    run_and_save(lab)
    path = lab.server.root_dir / lab.path
    saved = json.loads(path.read_text())
    assert ("widgets" in saved["metadata"]) is save_state
    if save_state:
        # JupyterLab saved the widget state, without pywebio_nb's models: nbconvert would
        # otherwise draw them with ipywidgets' HTML manager, fetched from a CDN.
        state = saved["metadata"]["widgets"][WIDGET_STATE]["state"]
        assert not [m for m in state.values() if "_snapshot" in m["state"]], list(state)
    # nbconvert without --execute: the notebook as JupyterLab saved it, offline.
    subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "html", path.name],
        cwd=path.parent,
        check=True,
        timeout=120,
        capture_output=True,
    )
    export = page.context.new_page()
    export.route("http*://**/*", lambda route: route.abort())
    export.goto(path.with_suffix(".html").as_uri())
    exported = export.locator(".pywebio-saved")
    assert_saved(exported.first, exported.nth(1), exported.nth(2))
    shoot(export, request, f"nbconvert-of-lab-saved-{'state-on' if save_state else 'state-off'}")
    export.close()
    reload(lab)  # a new kernel starts, one that never ran these cells
    assert_saved(lab.output(0), lab.output(1), lab.output(2))
    shoot(page, request, f"lab-reopened-{'state-on' if save_state else 'state-off'}")
    # Run again: the live view replaces the saved copy.
    lab.run_cell(0)
    add = lab.output(0).get_by_role("button", name="Add")
    expect(add).to_be_enabled()
    add.focus()
    page.keyboard.press("Enter")
    expect(lab.output(0).get_by_text("added live")).to_be_visible()
    expect(lab.output(0).get_by_role("note")).to_have_count(0)


# Notebook 7 served by the JupyterLab test server reports these on its own (not pywebio_nb's).
@pytest.mark.allow_page_error(r"reading 'schema'")
@pytest.mark.allow_page_error(r"Command 'filebrowser:open-path' not registered")
def test_the_saved_notebook_reopens_in_notebook_7(
    jupyterlab_notebook: NotebookFactory, page: Page, request: pytest.FixtureRequest
) -> None:
    lab = jupyterlab_notebook(CELLS)
    run_and_save(lab)
    server = lab.server
    page.goto(f"{server.url}notebooks/{lab.path}?token={server.token}")
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    expect(cells.first).to_be_visible()
    assert_saved(cells.nth(0).locator(".jp-Cell-outputArea"), cells.nth(1), cells.nth(2))
    shoot(page, request, "notebook7-reopened")
