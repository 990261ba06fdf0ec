"""notebooks/tour-input.ipynb in JupyterLab, answered by a person (Playwright)."""

from __future__ import annotations

import json
from pathlib import Path

from jupyter_harness import NotebookCell, NotebookFactory
from playwright.sync_api import expect

TOUR = Path(__file__).resolve().parents[2] / "notebooks" / "tour-input.ipynb"


def test_tour_input_runs_all_when_answered(
    jupyterlab_notebook: NotebookFactory, tmp_path: Path
) -> None:
    cells = json.loads(TOUR.read_text())["cells"]
    lab = jupyterlab_notebook(
        [NotebookCell("".join(cell["source"]), cell["cell_type"]) for cell in cells]
    )
    index = {
        key: next(i for i, cell in enumerate(cells) if key in "".join(cell["source"]))
        for key in ("How old", "Limits", "Pick a number", "await input", "Where?", "file_upload")
    }
    lab._evaluate(
        "window.jupyterapp.commands.execute('notebook:run-all-cells', {widgetId: panel.id});"
    )
    age = lab.output(index["How old"])
    field = age.get_by_label("How old are you?")
    # Submitting an empty answer: the browser asks for one, and the cell keeps waiting (the
    # next line, age + 1, would fail on None).
    age.get_by_role("button", name="Submit").click()
    assert field.evaluate("el => el.validity.valueMissing")
    expect(field).to_be_editable()
    expect(age).not_to_contain_text("Error")
    field.fill("41")
    age.get_by_role("button", name="Submit").click()
    expect(age).to_contain_text("Next year you will be 42.")

    limits = lab.output(index["Limits"])
    limits.get_by_label("Low").fill("50")
    limits.get_by_label("High").fill("20")
    limits.get_by_role("button", name="Submit").click()
    expect(limits).to_contain_text("must not be below low")
    limits.get_by_label("High").fill("60")
    limits.get_by_role("button", name="Submit").click()
    expect(limits).to_contain_text("'high': 60")

    half = lab.output(index["Pick a number"])
    half.get_by_label("one half").check()
    half.get_by_role("button", name="Submit").click()
    expect(half).to_contain_text("Fraction(1, 1)")

    colour = lab.output(index["await input"])
    colour.get_by_role("button", name="Submit").click()
    expect(colour).to_contain_text("#1976d2")

    where = lab.output(index["Where?"])
    where.get_by_label("Country").select_option(label="Italy")
    expect(where.get_by_label("City").locator("option")).to_have_text(["Rome", "Milan"])
    where.get_by_role("button", name="Submit").click()
    expect(where).to_contain_text("'city': 'Rome'")

    upload = lab.output(index["file_upload"])
    note = tmp_path / "note.txt"
    note.write_text("hello")
    upload.get_by_label("A small text file", exact=True).set_input_files(str(note))
    upload.get_by_role("button", name="Submit").click()
    expect(upload).to_contain_text("('note.txt', 5)")

    lab.wait_for_idle()
    last = lab.output(len(cells) - 1)
    expect(last).to_contain_text("None")
