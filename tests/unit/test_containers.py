from __future__ import annotations

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import (
    clear,
    put_collapse,
    put_markdown,
    put_scrollable,
    put_table,
    put_tabs,
    put_text,
    put_widget,
    remove,
)

pytestmark = pytest.mark.unit


def test_collapse_with_content_and_open_flag(session: FakeSession) -> None:
    put_collapse("Title", ["plain", put_text("node")], open=True)
    session.flush()
    (node,) = session.mirror.tree["children"]
    assert (node["type"], node["title"], node["open"]) == ("collapse", "Title", True)
    assert session.mirror.texts() == ["plain", "node"]


def test_collapse_as_context_manager_then_clear_and_remove_by_name(session: FakeSession) -> None:
    with put_collapse("Log") as name:
        put_text("one")
        put_text("two")
    session.flush()
    assert session.mirror.texts() == ["one", "two"]
    clear(name)
    put_text("three", scope=name)
    session.flush()
    assert session.mirror.texts() == ["three"]
    remove(name)
    session.flush()
    assert session.mirror.tree["children"] == []


def test_nested_context_managers_route_output(session: FakeSession) -> None:
    with put_collapse("outer"):
        put_text("a")
        with put_scrollable(height=100):
            put_text("b")
        put_text("c")
    put_text("d")
    session.flush()
    collapse, d = session.mirror.tree["children"]
    assert [c["type"] for c in collapse["children"]] == ["text", "scrollable", "text"]
    assert collapse["children"][1]["children"][0]["text"] == "b"
    assert d["text"] == "d"


def test_scrollable_height_forms(session: FakeSession) -> None:
    put_scrollable("x", height=200, keep_bottom=True, border=False)
    put_scrollable("y", height=(50, 300))
    put_scrollable("z", height=None)
    session.flush()
    a, b, c = session.mirror.tree["children"]
    assert (a["height"], a["keep_bottom"], a["border"]) == (200, True, False)
    assert (b["min_height"], b["max_height"]) == (50, 300)
    assert "height" not in c and "max_height" not in c


@pytest.mark.parametrize("height", [0, -5, (1, 2, 3), ("a", 3), "400px"])
def test_scrollable_bad_height_names_the_argument(session: FakeSession, height: object) -> None:
    with pytest.raises((TypeError, ValueError), match="height"):
        put_scrollable("x", height=height)  # type: ignore[arg-type]


def test_tabs_hold_strings_outputs_and_lists(session: FakeSession) -> None:
    put_tabs(
        [
            {"title": "Text", "content": "hello"},
            {"title": "Many", "content": [put_text("a"), put_markdown("**b**")]},
            {"title": "Table", "content": put_table([["x", "y"]])},
        ]
    )
    session.flush()
    (tabs,) = session.mirror.tree["children"]
    assert [t["title"] for t in tabs["tabs"]] == ["Text", "Many", "Table"]
    assert [len(t["content"]) for t in tabs["tabs"]] == [1, 2, 1]
    assert session.mirror.texts() == ["hello", "a"]


def test_a_tab_without_title_raises_and_renders_nothing(session: FakeSession) -> None:
    kept = put_text("kept")
    with pytest.raises(ValueError, match=r"tabs\[1\] has no 'title'"):
        put_tabs([{"title": "A", "content": kept}, {"content": "no title"}])
    session.flush()
    assert session.mirror.tree["children"] == [{"type": "text", "text": "kept", "id": kept.id}]


def test_tabs_are_not_a_context_manager(session: FakeSession) -> None:
    tabs = put_tabs([{"title": "A", "content": "x"}])
    with pytest.raises(RuntimeError, match="context manager"), tabs:
        pass


def test_widget_sends_template_and_nested_outputs(session: FakeSession) -> None:
    template = "<b>{{title}}</b>{{#contents}}{{& pywebio_output_parse}}{{/contents}}"
    put_widget(template, {"title": "<i>t</i>", "contents": ["text", put_text("node")]})
    session.flush()
    (widget,) = session.mirror.tree["children"]
    assert widget["template"] == template
    assert widget["data"]["title"] == "<i>t</i>"  # escaped by Mustache in the browser
    assert widget["data"]["contents"][0] == "text"
    assert widget["data"]["contents"][1]["type"] == "text"
    assert session.mirror.texts() == ["node"]


def test_widget_rejects_non_json_data(session: FakeSession) -> None:
    with pytest.raises(TypeError, match=r"data\['x'\]"):
        put_widget("{{x}}", {"x": object()})


def test_removing_a_container_forgets_its_scope_name(session: FakeSession) -> None:
    with put_collapse("gone") as name:
        put_text("x")
    assert name in session.scopes
    remove(name)
    assert name not in session.scopes
    with pytest.raises(ValueError, match="no scope with this name"):
        put_text("late", scope=name)
