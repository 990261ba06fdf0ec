"""input() forms and pin widgets in a real JupyterLab: what a person sees and clicks."""

from __future__ import annotations

import re
from pathlib import Path

from jupyter_harness import _FIND_PANEL_JS, LabNotebook, NotebookFactory
from playwright.sync_api import expect

IMPORTS = (
    "from pywebio_nb.input import *\nfrom pywebio_nb.output import *\nfrom pywebio_nb.pin import *"
)


def start_all(lab: LabNotebook) -> None:
    """Run All without waiting: a cell that asks does not finish until answered."""
    lab._evaluate(
        "window.jupyterapp.commands.execute('notebook:run-all-cells', {widgetId: panel.id});"
    )


def reopen_while_busy(lab: LabNotebook) -> None:
    """After a reload: wait for the notebook and its kernel connection (the kernel is busy)."""
    lab.page.wait_for_function(
        "(path) => {"
        + _FIND_PANEL_JS
        + "const panel = findPanel(path);"
        + "const kernel = panel && panel.sessionContext.session"
        + "  && panel.sessionContext.session.kernel;"
        + "return !!kernel && panel.context.isReady && kernel.connectionStatus === 'connected';"
        + "}",
        arg=lab.path,
        timeout=60_000,
    )
    lab._wait_for_splash_to_go()
    lab.panel_id = str(
        lab._evaluate("window.jupyterapp.shell.activateById(panel.id); return panel.id;")
    )


def test_number_input_blocks_the_cell_and_returns_an_int(
    jupyterlab_notebook: NotebookFactory,
) -> None:
    lab = jupyterlab_notebook(
        [IMPORTS, 'age = input("How old are you?", type=NUMBER)', 'print("next year:", age + 1)']
    )
    start_all(lab)
    field = lab.output(1).get_by_label("How old are you?")
    expect(field).to_be_visible()
    expect(lab.output(2)).to_have_text("")  # the next cell waits, in order
    field.fill("41")
    lab.output(1).get_by_role("button", name="Submit").click()
    expect(lab.output(2)).to_contain_text("next year: 42")
    expect(lab.output(1).locator("form")).to_have_count(0)  # the form goes away


def test_validation_error_is_shown_at_the_field(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            "def even(v):\n    return None if v % 2 == 0 else 'odd!'\n"
            'n = input("Even number", type=NUMBER, validate=even)',
            "print('got', n)",
        ]
    )
    start_all(lab)
    field = lab.output(1).get_by_label("Even number")
    field.fill("3")
    field.blur()
    expect(lab.output(1).get_by_role("alert").filter(has_text="odd!")).to_be_visible()
    field.fill("4")
    lab.output(1).get_by_role("button", name="Submit").click()
    expect(lab.output(2)).to_contain_text("got 4")


GROUP = """\
data = input_group("Everything", [
    input("Text", name="text"),
    input("Float", name="float", type=FLOAT),
    input("Password", name="password", type=PASSWORD),
    input("Url", name="url", type=URL),
    input("Date", name="date", type=DATE),
    input("Time", name="time", type=TIME),
    input("Color", name="color", type=COLOR),
    input("When", name="when", type=DATETIME_LOCAL),
    textarea("Notes", name="notes", rows=2),
    textarea("Code", name="code", code={"language": "python"}),
    select("Pick", [("A", {"a": 1}), ("B", (2, 3))], name="pick"),
    select("Many", ["x", "y", "z"], multiple=True, name="many"),
    checkbox("Ticks", ["t1", "t2"], name="ticks"),
    radio("One", ["r1", "r2"], name="one"),
    slider("Level", name="level", max_value=10),
    file_upload("Upload", name="upload"),
])
print(sorted(data.items()))
"""


def test_every_input_type_in_one_group(
    jupyterlab_notebook: NotebookFactory, tmp_path: Path
) -> None:
    lab = jupyterlab_notebook([IMPORTS, GROUP])
    start_all(lab)
    out = lab.output(1)
    out.get_by_label("Text").fill("hello")
    out.get_by_label("Float").fill("2.5")
    out.get_by_label("Password").fill("pw")
    out.get_by_label("Url").fill("https://example.org")
    out.get_by_label("Date").fill("2024-02-29")
    out.get_by_label("Time").fill("13:05")
    out.get_by_label("Color").fill("#00ff7f")
    out.get_by_label("When").fill("2024-02-29T13:05")
    out.get_by_label("Notes").fill("line1\nline2")
    out.get_by_label("Code").click()
    lab.page.keyboard.type("x = 1")
    out.get_by_label("Pick").select_option(label="B")
    out.get_by_label("Many").select_option(label=["x", "z"])
    out.get_by_label("t2").check()
    out.get_by_label("r1").check()
    out.get_by_label("Level").fill("7")
    upload = tmp_path / "hello.txt"
    upload.write_bytes(b"hi there")
    out.get_by_label("Upload", exact=True).set_input_files(str(upload))
    out.get_by_role("button", name="Submit").click()
    lab.wait_for_idle()
    text = out.inner_text()
    for expected in (
        "('text', 'hello')",
        "('float', 2.5)",
        "('date', '2024-02-29')",
        "('color', '#00ff7f')",
        "('when', '2024-02-29T13:05')",
        "('notes', 'line1\\nline2')",
        "('code', 'x = 1')",
        "('pick', (2, 3))",
        "('many', ['x', 'z'])",
        "('ticks', ['t2'])",
        "('one', 'r1')",
        "('level', 7)",
        "'content': b'hi there'",
    ):
        assert expected in text, (expected, text)


def test_pins_are_read_and_set_from_python(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            'put_input("who", label="Who")\n'
            'put_select("fruit", ["apple", "pear"], label="Fruit")\n'
            'put_slider("size", label="Size", value=2)\n'
            'put_checkbox("opts", ["o1", "o2"], label="Opts")\n'
            'put_radio("r", ["ra", "rb"], label="R")\n'
            'put_textarea("notes", label="Notes")\n'
            'put_actions("go", label="Go", buttons=["Start", "Stop"])\n'
            'put_file_upload("f", label="F")',
        ]
    )
    lab.run_all()
    out = lab.output(1)
    out.get_by_label("Who").fill("Ada")
    out.get_by_label("Fruit").select_option(label="pear")
    out.get_by_label("o2").check()
    out.get_by_label("rb").check()
    out.get_by_label("Notes").fill("n")
    out.get_by_role("button", name="Stop").click()
    lab.wait_for_kernel_value(
        "pin.who, pin.fruit, pin.size, pin.opts, pin.r, pin.notes, pin.go",
        "('Ada', 'pear', 2, ['o2'], 'rb', 'n', 'Stop')",
    )
    lab.kernel_exec("pin.who = 'Grace'")
    expect(out.get_by_label("Who")).to_have_value("Grace")


def test_interrupt_raises_and_disables_the_form(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook([IMPORTS, 'input("Waiting")', 'print("after")'])
    start_all(lab)
    expect(lab.output(1).get_by_label("Waiting")).to_be_visible()
    lab._evaluate("await panel.sessionContext.session.kernel.interrupt();")
    expect(lab.output(1)).to_contain_text("KeyboardInterrupt")
    expect(lab.output(1).get_by_label("Waiting")).to_be_disabled()
    expect(
        lab.output(1).get_by_role("status").filter(has_text=re.compile("Interrupted"))
    ).to_be_visible()


def test_reloaded_page_shows_the_live_form(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook([IMPORTS, 'answer = input("Still there?")\nprint("got", answer)'])
    start_all(lab)
    expect(lab.output(1).get_by_label("Still there?")).to_be_visible()
    lab._evaluate("await panel.context.save();")  # the output (a widget view) is in the file
    lab.page.reload()
    reopen_while_busy(lab)
    field = lab.output(1).get_by_label("Still there?")
    expect(field).to_be_visible(timeout=30_000)
    field.fill("yes")
    lab.output(1).get_by_role("button", name="Submit").click()
    # The answer resumed the cell: its form went away and the kernel ran on (the cell's own
    # prints belong to the page that ran it, so this page shows none of them).
    expect(lab.output(1).locator("form")).to_have_count(0, timeout=30_000)
    assert lab.kernel_exec("answer") == "'yes'"


def test_a_200_mb_file_passes_in_chunks_with_progress(
    jupyterlab_notebook: NotebookFactory, tmp_path: Path
) -> None:
    size = 200 * 1024 * 1024
    big = tmp_path / "big.bin"
    with big.open("wb") as handle:
        block = bytes(range(256)) * 4096  # 1 MiB
        for _ in range(size // len(block)):
            handle.write(block)
    lab = jupyterlab_notebook(
        [
            IMPORTS,
            'f = file_upload("Big file", max_size="300M")\n'
            'print("received", f["size"], len(f["content"]), f["content"][:3])',
        ]
    )
    start_all(lab)
    out = lab.output(1)
    out.get_by_label("Big file", exact=True).set_input_files(str(big))
    out.get_by_role("button", name="Submit").click()
    expect(out.get_by_role("progressbar")).to_be_visible()
    expect(out).to_contain_text(f"received {size} {size} b'\\x00\\x01\\x02'", timeout=120_000)
