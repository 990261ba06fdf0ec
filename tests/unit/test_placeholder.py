from __future__ import annotations

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import output, put_markdown, put_row, put_table, put_text, style

pytestmark = pytest.mark.unit


def test_output_placeholder_in_a_table_reset_append_insert(session: FakeSession) -> None:
    hobby = output("Coding")
    put_table([["Name", "Ada"], ["Hobby", hobby]])
    session.flush()
    assert session.mirror.texts() == ["Coding"]
    hobby.reset(put_text("Movie"))
    hobby.append("Music", put_text("Drama"))
    hobby.insert(0, put_markdown("**Coding**"))
    hobby.insert(-2, "after Music")
    session.flush()
    assert session.mirror.texts() == ["Movie", "Music", "after Music", "Drama"]
    cell = session.mirror.tree["children"][0]["rows"][1][1]
    assert [c["type"] for c in cell["children"]] == ["markdown", "text", "text", "text", "text"]


def test_placeholder_changed_before_it_is_shown(session: FakeSession) -> None:
    box = output()
    box.append("a")
    box.insert(0, "first")
    put_row([box])
    session.flush()
    assert session.mirror.texts() == ["first", "a"]


def test_placeholder_show_puts_it_in_the_current_scope(session: FakeSession) -> None:
    box = output("x").show()
    box.append("y")
    session.flush()
    assert session.mirror.texts() == ["x", "y"]


def test_placeholder_as_context_manager(session: FakeSession) -> None:
    box = output().show()
    with box:
        put_text("inside")
    session.flush()
    assert session.mirror.tree["children"][0]["children"][0]["text"] == "inside"


def test_style_function_styles_one_or_many(session: FakeSession) -> None:
    style(put_text("one"), "color: red")
    put_row(style([put_text("a"), put_text("b")], "font-weight: bold"))
    session.flush()
    one, row = session.mirror.tree["children"]
    assert one["style"] == "color: red"
    assert [c["style"] for c in row["children"]] == ["font-weight: bold"] * 2
    with pytest.raises(TypeError, match=r"outputs\[0\]"):
        style(["nope"], "color: red")  # type: ignore[list-item]
