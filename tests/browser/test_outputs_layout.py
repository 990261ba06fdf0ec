"""Layouts, containers, feedback, popups, toasts and the datatable in a real JupyterLab.

Every test screenshots its cell in the light and the dark theme (kept as test artifacts).
"""

from __future__ import annotations

import re

from jupyter_harness import LabNotebook, NotebookFactory
from playwright.sync_api import expect

IMPORTS = "from pywebio_nb.output import *"


def _both_themes(lab: LabNotebook, name: str) -> None:
    lab.screenshot(f"{name}-light")
    lab.set_theme("dark")
    lab.screenshot(f"{name}-dark")
    lab.set_theme("light")


def test_row_column_and_grid_lay_out_side_by_side(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            'put_row([put_code("left"), None, put_column([put_text("top"), put_text("bottom")])],'
            ' size="40% 10px 1fr")\n'
            'put_grid([[put_text("g1"), put_text("g2")], [span(put_text("wide"), col=2)]],'
            ' cell_width="120px")',
        ]
    )
    lab.run_all()
    out = lab.output(1)
    left = out.locator(".pywebio-row > pre").bounding_box()
    top = out.get_by_text("top", exact=True).bounding_box()
    bottom = out.get_by_text("bottom", exact=True).bounding_box()
    assert left and top and bottom
    assert top["x"] > left["x"] + left["width"]  # side by side
    assert bottom["y"] > top["y"]  # stacked in the column
    row_width = out.locator(".pywebio-row").bounding_box()["width"]  # type: ignore[index]
    assert abs(left["width"] - 0.4 * row_width) < 3
    g1 = out.get_by_text("g1").bounding_box()
    g2 = out.get_by_text("g2").bounding_box()
    wide = out.locator(".pywebio-grid-cell", has_text="wide").bounding_box()
    assert g1 and g2 and wide
    assert abs(g2["x"] - g1["x"] - 120) < 2 and abs(wide["width"] - 240) < 2
    _both_themes(lab, "layout")


def test_containers_collapse_tabs_scrollable_widget(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            'with put_collapse("More"):\n'
            '    put_text("hidden text")\n'
            'put_tabs([{"title": "One", "content": "first panel"},'
            ' {"title": "Two", "content": [put_text("second panel")]}])\n'
            "with put_scrollable(height=80, keep_bottom=True):\n"
            "    for i in range(30):\n"
            '        put_text(f"line {i}")\n'
            'put_widget("<b>{{title}}</b>{{#items}}{{& pywebio_output_parse}}{{/items}}",'
            ' {"title": "<i>not html</i>", "items": ["plain", put_markdown("**bold md**")]})',
        ]
    )
    lab.run_all()
    out = lab.output(1)
    expect(out.get_by_text("hidden text")).to_be_hidden()
    out.get_by_text("More").click()
    expect(out.get_by_text("hidden text")).to_be_visible()

    expect(out.get_by_role("tabpanel")).to_have_text("first panel")
    out.get_by_role("tab", name="One").focus()
    lab.page.keyboard.press("ArrowRight")
    expect(out.get_by_role("tab", name="Two")).to_have_attribute("aria-selected", "true")
    expect(out.get_by_role("tabpanel")).to_have_text("second panel")

    scroller = out.locator(".pywebio-scrollable")
    lab.page.mouse.move(0, 0)
    lab.page.wait_for_function(
        "el => el.scrollTop > 0 && el.scrollTop + el.clientHeight >= el.scrollHeight - 2",
        arg=scroller.element_handle(),
    )

    expect(out.locator(".pywebio-widget b")).to_have_text("<i>not html</i>")
    expect(out.locator(".pywebio-widget strong")).to_have_text("bold md")
    _both_themes(lab, "containers")


def test_keep_bottom_pauses_while_the_pointer_is_over(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            "log = put_scrollable(height=80, keep_bottom=True)\n"
            'with log as name: put_text("start")',
            'for i in range(20): put_text(f"more {i}", scope=name)',
        ]
    )
    lab.run_cell(0)
    lab.run_cell(1)
    scroller = lab.output(1).locator(".pywebio-scrollable")
    scroller.hover()
    lab.run_cell(2)
    expect(lab.output(1).get_by_text("more 19")).to_be_attached()
    assert scroller.evaluate("el => el.scrollTop") == 0


def test_feedback_alerts_loading_and_progress(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            'put_info("info box")\nput_success("done")\nput_warning("careful", closable=True)\n'
            'put_error("broken")\nput_loading(color="primary")\n'
            'put_progressbar("job", 0.25, label="working")',
            'set_progressbar("job", 0.75)',
        ]
    )
    lab.run_cell(0)
    lab.run_cell(1)
    out = lab.output(1)
    expect(out.get_by_role("alert").filter(has_text="broken")).to_be_visible()
    expect(out.get_by_role("status").filter(has_text="info box")).to_be_visible()
    bar = out.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "25")
    _both_themes(lab, "feedback")
    lab.run_cell(2)
    expect(bar).to_have_attribute("aria-valuenow", "75")
    out.get_by_role("button", name="Close").click()
    expect(out.get_by_text("careful")).to_have_count(0)


def test_loading_context_manager_removes_itself(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            'import time\nwith put_loading():\n    put_text("busy")\n    time.sleep(0.2)\n'
            'put_text("done")',
        ]
    )
    lab.run_all()
    expect(lab.output(1).get_by_text("done")).to_be_visible()
    expect(lab.output(1).get_by_text("busy")).to_have_count(0)
    expect(lab.output(1).locator(".pywebio-spinner")).to_have_count(0)


def test_popup_dialog_focus_escape_and_outside_click(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            'popup("Hello popup", [put_text("inside"),'
            ' put_buttons(["OK"], onclick=lambda _: close_popup())])',
            'popup("Locked", "no escape", closable=False)',
            "close_popup()",
            'popup("Second", "click outside")',
        ]
    )
    lab.run_cell(0)
    lab.run_cell(1)
    dialog = lab.page.get_by_role("dialog", name="Hello popup")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="OK")).to_be_focused()
    _both_themes(lab, "popup")
    lab.page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    lab.run_cell(2)
    locked = lab.page.get_by_role("dialog", name="Locked")
    expect(locked).to_be_visible()
    expect(locked.get_by_role("button", name="Close")).to_have_count(0)
    lab.page.keyboard.press("Escape")
    lab.page.mouse.click(5, 5)
    expect(locked).to_be_visible()
    lab.run_cell(3)
    expect(locked).to_have_count(0)

    lab.run_cell(4)
    second = lab.page.get_by_role("dialog", name="Second")
    expect(second).to_be_visible()
    lab.page.mouse.click(5, 5)
    expect(second).to_have_count(0)


def test_a_new_popup_replaces_the_old_and_a_button_closes_it(
    jupyterlab_notebook: NotebookFactory,
) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            'popup("First", "one")\n'
            'popup("Second", put_buttons(["Done"], onclick=lambda _: close_popup()))',
        ]
    )
    lab.run_all()
    expect(lab.page.get_by_role("dialog")).to_have_count(1)
    dialog = lab.page.get_by_role("dialog", name="Second")
    dialog.get_by_role("button", name="Done").click()
    expect(lab.page.get_by_role("dialog")).to_have_count(0)


def test_popup_vanishes_when_its_cell_is_rerun(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            "runs = globals().get('runs', 0) + 1\n"
            "if runs == 1:\n"
            "    popup('Mine', 'x', closable=False)\n"
            "put_text(f'run {runs}')",
        ]
    )
    lab.run_all()
    expect(lab.page.get_by_role("dialog", name="Mine")).to_be_visible()
    lab.run_cell(1)
    expect(lab.output(1).get_by_text("run 2")).to_be_visible()
    expect(lab.page.get_by_role("dialog", name="Mine")).to_have_count(0)


def test_toast_shows_status_and_click_runs_callback(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            'toast("Saved!", duration=0, color="success",'
            ' onclick=lambda: put_text("toast clicked"))\n'
            'toast("Oops", duration=3, color="error", position="right")',
        ]
    )
    lab.run_all()
    saved = lab.page.get_by_role("status").filter(has_text="Saved!")
    expect(saved).to_be_visible()
    expect(lab.page.get_by_role("alert").filter(has_text="Oops")).to_be_visible()
    _both_themes(lab, "toast")
    expect(lab.page.get_by_role("alert").filter(has_text="Oops")).to_have_count(0, timeout=15_000)
    saved.get_by_text("Saved!").click()
    expect(lab.output(1).get_by_text("toast clicked")).to_be_visible()
    expect(saved).to_have_count(0)


def test_output_placeholder_updates_in_place(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            'hobby = output("Coding")\nput_table([["Hobby", hobby]])',
            'hobby.append("Music")\nhobby.insert(0, put_markdown("**First**"))',
        ]
    )
    lab.run_all()
    cell = lab.output(1).locator("th").nth(1)  # the first row of a list table is its header
    expect(cell).to_contain_text(re.compile(r"First\s*Coding\s*Music"))


def test_datatable_streams_a_million_rows(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            "rows = [{'id': i, 'name': f'item {i}', 'size': {'w': i}} for i in range(1_000_000)]\n"
            "put_datatable(rows, id_field='id', instance_id='big', height=300,\n"
            "              onselect=lambda row_id: put_text(f'selected {row_id}'))",
            "datatable_update('big', {'id': 0, 'name': 'renamed zero'}, row_id=0)",
        ]
    )
    lab.run_cell(0)
    lab.run_cell(1, timeout_ms=120_000)
    out = lab.output(1)
    grid = out.get_by_role("grid")
    expect(grid).to_have_attribute("aria-rowcount", "1000001")
    expect(out.get_by_role("gridcell", name="item 3", exact=True)).to_be_visible()
    rendered = out.get_by_role("row").count()
    assert rendered < 100  # only the rows in view (and a little more) are in the DOM
    _both_themes(lab, "datatable")
    grid.evaluate("el => { el.scrollTop = 500000 * 30; }")
    expect(out.get_by_role("gridcell", name="item 500000", exact=True)).to_be_visible()
    out.get_by_role("gridcell", name="item 500001", exact=True).click()
    expect(out.get_by_text("selected 500001")).to_be_visible()
    grid.evaluate("el => { el.scrollTop = 0; }")
    lab.run_cell(2)
    expect(out.get_by_role("gridcell", name="renamed zero")).to_be_visible()


FIGURE_HTML = (
    # Shaped like a plotly/bokeh figure's HTML: a library script, then an inline script using it.
    '<div id="fig"></div>'
    '<script src="data:text/javascript,window.figureLib={draw:function(id){'
    "document.getElementById(id).textContent='figure drawn'}}\"></script>"
    "<script>window.figureLib.draw('fig')</script>"
)


def test_matplotlib_figure_and_html_scripts(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            "import matplotlib\nmatplotlib.use('Agg')\nfrom matplotlib.figure import Figure\n"
            "fig = Figure(figsize=(4, 3)); fig.add_subplot().plot([1, 3, 2])\n"
            "put_image(fig, title='plot')\n"
            f"put_html({FIGURE_HTML!r})",
        ]
    )
    lab.run_all()
    image = lab.output(1).get_by_role("img", name="plot")
    expect(image).to_be_visible()
    natural, shown = image.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
    assert abs(natural / 2 - shown) < 2
    expect(lab.output(1).get_by_text("figure drawn")).to_be_visible()


def test_bad_input_raises_and_renders_nothing(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [IMPORTS, 'put_text("kept")\nput_row([put_text("x"), "not an output"])']
    )
    lab.run_all()
    out = lab.output(1)
    expect(out).to_contain_text("content[1] must be a put_*() output")
    expect(out.locator(".pywebio-row")).to_have_count(0)


def test_datatable_keyboard_multi_select_and_actions(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            "rows = [{'id': f'r{i}', 'v': i} for i in range(50)]\n"
            "put_datatable(rows, id_field='id', instance_id='kb', height=250,\n"
            "              multiple_select=True,\n"
            "              actions=[('Remove', lambda ids: datatable_remove('kb', ids))],\n"
            "              onselect=lambda ids: put_text(f'selection {ids}'))",
        ]
    )
    lab.run_all()
    out = lab.output(1)
    grid = out.get_by_role("grid")
    expect(out.get_by_role("gridcell", name="r0", exact=True)).to_be_visible()
    remove = out.get_by_role("button", name="Remove")
    expect(remove).to_be_disabled()
    grid.focus()
    lab.page.keyboard.press("ArrowDown")
    lab.page.keyboard.press("Space")
    lab.page.keyboard.press("ArrowDown")
    lab.page.keyboard.press("Enter")
    expect(out.get_by_text("selection ['r1', 'r2']")).to_be_visible()
    expect(out.locator('[role="row"][aria-selected="true"]')).to_have_count(2)
    remove.click()
    expect(grid).to_have_attribute("aria-rowcount", "49")
    expect(out.get_by_role("gridcell", name="r1", exact=True)).to_have_count(0)


def test_tour_notebook_in_light_and_dark(jupyterlab_notebook: NotebookFactory) -> None:
    import json
    from pathlib import Path

    tour = Path(__file__).parents[2] / "notebooks" / "tour-layout.ipynb"
    cells = [
        "".join(cell["source"])
        for cell in json.loads(tour.read_text())["cells"]
        if cell["cell_type"] == "code"
    ]
    lab = jupyterlab_notebook(cells)
    lab.run_all(timeout_ms=120_000)
    expect(lab.page.locator(".pywebio-row").first).to_be_visible()
    expect(lab.page.get_by_role("grid")).to_be_visible()
    lab.page.get_by_role("grid").scroll_into_view_if_needed()
    _both_themes(lab, "tour-layout")
