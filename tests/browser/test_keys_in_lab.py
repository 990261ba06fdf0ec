"""Fields in a cell output keep their keys in JupyterLab (issue 12 item 11).

JupyterLab's keyboard shortcuts listen on the document; a notebook in command mode takes the
arrow keys (and letters) of any focused element that is not a text field. A person focuses
each field by its label and presses keys; the field, not JupyterLab, must get them.
"""

from __future__ import annotations

from jupyter_harness import NotebookFactory
from playwright.sync_api import expect

PINS = """\
from pywebio_nb.pin import *
put_slider("level", label="Level", value=3, max_value=10)
put_select("fruit", ["apple", "pear", "plum"], label="Fruit")
put_radio("size", ["small", "medium", "large"], label="Size", value="small")
put_input("note", label="Note")
put_textarea("source", label="Source", code={"mode": "python"})
"""


def test_pin_fields_in_a_cell_output_keep_their_keys(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook([PINS])
    lab.run_all()
    out = lab.output(0)
    cells_before = lab.panel.locator(".jp-Cell").count()

    slider = out.get_by_label("Level")
    slider.focus()
    slider.press("ArrowRight")
    slider.press("ArrowRight")
    expect(slider).to_have_value("5")
    lab.wait_for_kernel_value("pin.level", "5")

    fruit = out.get_by_label("Fruit")
    fruit.focus()
    fruit.press("ArrowDown")
    lab.wait_for_kernel_value("pin.fruit", "'pear'")

    small = out.get_by_label("small")
    small.focus()
    small.press("ArrowDown")
    lab.wait_for_kernel_value("pin.size", "'medium'")

    note = out.get_by_label("Note")
    note.focus()
    note.press_sequentially("abc")
    note.press("ArrowLeft")
    note.press("x")
    expect(note).to_have_value("abxc")

    source = out.get_by_role("textbox", name="Source")
    source.focus()
    source.press_sequentially("ab")
    source.press("ArrowLeft")
    source.press("x")
    lab.wait_for_kernel_value("pin.source", "'axb'")

    # None of it reached JupyterLab: no cell was added, cut or moved.
    expect(lab.panel.locator(".jp-Cell")).to_have_count(cells_before)


FORM = """\
from pywebio_nb.input import *
print("got", slider("Amount", value=3, max_value=10))
"""


def test_a_form_slider_in_a_cell_output_keeps_its_arrow_keys(
    jupyterlab_notebook: NotebookFactory,
) -> None:
    lab = jupyterlab_notebook([FORM])
    lab._evaluate(
        "window.jupyterapp.commands.execute('notebook:run-all-cells', {widgetId: panel.id});"
    )
    out = lab.output(0)
    amount = out.get_by_label("Amount")
    amount.focus()
    amount.press("ArrowRight")
    expect(amount).to_have_value("4")
    out.get_by_role("button", name="Submit").click()
    expect(out).to_contain_text("got 4")
