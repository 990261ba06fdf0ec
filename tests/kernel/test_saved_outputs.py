"""Saved outputs (issue 11) in a real kernel: one saved copy per cell, by display id."""

from __future__ import annotations

from typing import Any

from .frontend import Cell, Frontend

SAVED = "application/vnd.pywebio-nb.saved+json"
VIEW = "application/vnd.jupyter.widget-view+json"


def _by_parent(nb: Frontend, kind: str, msg_id: str | None = None) -> list[dict[str, Any]]:
    return [
        m
        for m in nb.log
        if m["msg_type"] == kind and (msg_id is None or m["parent_header"].get("msg_id") == msg_id)
    ]


def _saves(nb: Frontend, display_id: str) -> list[dict[str, Any]]:
    return [
        m["content"]["data"]
        for m in _by_parent(nb, "update_display_data")
        if m["content"]["transient"].get("display_id") == display_id
    ]


def _display_id(nb: Frontend, cell: Cell) -> str:
    (shown,) = _by_parent(nb, "display_data", cell.msg_id)
    assert SAVED in shown["content"]["data"] and VIEW in shown["content"]["data"]
    return str(shown["content"]["transient"]["display_id"])


def test_a_cell_writes_one_saved_copy_however_many_updates(nb: Frontend) -> None:
    cell = nb.execute(
        "for i in range(300):\n    put_text(f'line {i}')\n"
        "put_processbar('p')\n"
        "for i in range(1000):\n    set_processbar('p', i / 1000)\n"
    )
    assert not cell.errors, cell.errors
    display_id = _display_id(nb, cell)
    (saved,) = _saves(nb, display_id)
    assert "line 0" in saved["text/markdown"] and "line 299" in saved["text/markdown"]
    assert "[progress 99.9%]" in saved["text/markdown"]
    assert saved[SAVED]["in"] == "text/html"
    # This scripted frontend allows no stdin and no view of it ever spoke: a headless run, so
    # the saved bundle leaves the widget view out (nbconvert would prefer it and show nothing).
    assert VIEW not in saved


def test_an_unchanged_root_is_not_written_again(nb: Frontend) -> None:
    first = nb.execute("put_text('kept')")
    display_id = _display_id(nb, first)
    nb.execute("x = 1")
    assert len(_saves(nb, display_id)) == 1


def test_a_callback_change_is_saved_when_the_kernel_is_quiet_with_the_view(nb: Frontend) -> None:
    cell = nb.execute("put_buttons(['Add'], onclick=lambda _: put_text('added'))")
    display_id = _display_id(nb, cell)
    root = cell.roots[0]
    (buttons,) = nb.buttons(root)
    nb.click(root, buttons["cb"], 0, settle=0.1)
    saved = nb.wait_for(
        lambda: [s for s in _saves(nb, display_id) if "added" in s["text/markdown"]],
        what="the saved copy after the click",
    )[-1]
    # A view spoke, so a frontend is there: the live view stays in the bundle.
    assert saved[VIEW]["model_id"] == root


def test_a_waiting_form_is_saved_then_its_answers(nb: Frontend) -> None:
    nb.execute("from pywebio_nb.input import input")
    cell = nb.execute('name = input("Your name")\nput_text("hello " + name)', wait=False)
    nb.form(cell)
    display_id = nb.wait_for(lambda: _display_id(nb, cell), what="the root's display")
    waiting = nb.wait_for(lambda: _saves(nb, display_id), what="the saved waiting form")[-1]
    assert "[form: Your name]" in waiting["text/markdown"]
    nb.submit(cell, {"data": "Ada"})
    nb.wait_idle(cell)
    answered = _saves(nb, display_id)[-1]
    assert "**Your name:** Ada" in answered["text/markdown"]
    assert "hello Ada" in answered["text/markdown"]
