"""Form interactions in JupyterLab: buttons, action, onchange + input_update, cancel, editor."""

from __future__ import annotations

from jupyter_harness import LabNotebook, NotebookFactory
from playwright.sync_api import expect

IMPORTS = "from pywebio_nb.input import *\nfrom pywebio_nb.output import *"


def start_all(lab: LabNotebook) -> None:
    lab._evaluate(
        "window.jupyterapp.commands.execute('notebook:run-all-cells', {widgetId: panel.id});"
    )


def test_actions_buttons_answer_with_their_values(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            'choice = actions("Continue?", [("Yes", {"go": True}), '
            '{"label": "Later", "value": 0, "disabled": True}, ("No", None, "cancel")])\n'
            "print('choice', choice)",
            'print("second", actions("Again?", ["A", ("Stop", 1, "cancel")]))',
        ]
    )
    start_all(lab)
    out = lab.output(1)
    expect(out.get_by_role("button", name="Later")).to_be_disabled()
    expect(out.get_by_role("button", name="Submit")).to_have_count(0)  # its own buttons only
    out.get_by_role("button", name="Yes").click()
    expect(out).to_contain_text("choice {'go': True}")
    lab.output(2).get_by_role("button", name="Stop").click()
    expect(lab.output(2)).to_contain_text("second None")


ACTION = """\
import datetime
def pick(set_value):
    set_value(datetime.date(2020, 1, 2), "the second of January")
when = input("When?", action=("Pick a date", pick))
print("when", repr(when))
"""


def test_input_action_sets_a_python_value_behind_a_label(
    jupyterlab_notebook: NotebookFactory,
) -> None:
    lab = jupyterlab_notebook([IMPORTS, ACTION])
    start_all(lab)
    out = lab.output(1)
    out.get_by_role("button", name="Pick a date").click()
    field = out.get_by_label("When?")
    expect(field).to_have_value("the second of January")
    expect(field).to_have_attribute("readonly", "")
    out.get_by_role("button", name="Submit").click()
    expect(out).to_contain_text("when datetime.date(2020, 1, 2)")


CASCADE = """\
CITIES = {"France": ["Paris", "Lyon"], "Italy": ["Rome", "Milan"]}
def country_changed(country):
    input_update("city", options=CITIES[country], help_text=f"cities of {country}")
where = input_group("Where?", [
    select("Country", list(CITIES), name="country", onchange=country_changed),
    select("City", CITIES["France"], name="city"),
    input("Tag", name="tag", datalist=["alpha", "beta"]),
], cancelable=True)
print("where", where)
"""


def test_onchange_updates_another_field_and_cancel_returns_none(
    jupyterlab_notebook: NotebookFactory,
) -> None:
    lab = jupyterlab_notebook([IMPORTS, CASCADE, CASCADE])
    start_all(lab)
    out = lab.output(1)
    out.get_by_label("Country").select_option(label="Italy")
    expect(out.get_by_label("City").locator("option")).to_have_text(["Rome", "Milan"])
    expect(out).to_contain_text("cities of Italy")
    out.get_by_label("City").select_option(label="Milan")
    expect(out.locator("datalist option")).to_have_count(2)
    out.get_by_role("button", name="Submit").click()
    expect(out).to_contain_text("where {'country': 'Italy', 'city': 'Milan', 'tag': ''}")
    lab.output(2).get_by_role("button", name="Cancel").click()
    expect(lab.output(2)).to_contain_text("where None")


def test_code_editor_in_dark_theme_returns_its_text(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            'src = textarea("Source", code={"mode": "python", "theme": "darcula"}, '
            'value="def f():\\n    return 1")\nprint(repr(src))',
        ]
    )
    start_all(lab)
    out = lab.output(1)
    editor = out.get_by_label("Source")
    expect(editor).to_be_visible()
    expect(out.locator(".cm-editor .cm-line")).to_have_count(2)
    editor.click()
    lab.page.keyboard.press("Control+End")
    lab.page.keyboard.type(" + 1")
    out.get_by_role("button", name="Submit").click()
    expect(out).to_contain_text("'def f():\\n    return 1 + 1'")
