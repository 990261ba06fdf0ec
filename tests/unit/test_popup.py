from __future__ import annotations

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import close_popup, popup, put_text, toast, use_scope

pytestmark = pytest.mark.unit


def test_popup_is_a_root_node_even_inside_a_scope(session: FakeSession) -> None:
    with use_scope("inner"):
        popup("Title", ["text", put_text("node")], size="large", implicit_close=False)
    session.flush()
    scope, dialog = session.mirror.tree["children"]
    assert scope["type"] == "scope"
    assert (dialog["type"], dialog["title"], dialog["size"]) == ("popup", "Title", "large")
    assert (dialog["implicit_close"], dialog["closable"]) == (False, True)
    assert [c["text"] for c in dialog["children"]] == ["text", "node"]


def test_one_popup_at_a_time_and_close_popup(session: FakeSession) -> None:
    popup("first")
    popup("second")
    session.flush()
    assert [n["title"] for n in session.mirror.tree["children"]] == ["second"]
    close_popup()
    session.flush()
    assert session.mirror.tree["children"] == []
    close_popup()  # nothing open: no error


def test_not_closable_forces_no_implicit_close(session: FakeSession) -> None:
    popup("locked", closable=False)
    session.flush()
    (dialog,) = session.mirror.tree["children"]
    assert (dialog["closable"], dialog["implicit_close"]) == (False, False)


def test_popup_context_manager_writes_into_it_and_does_not_close(session: FakeSession) -> None:
    with popup("Log"):
        put_text("in popup")
    put_text("in root")
    session.flush()
    dialog, text = session.mirror.tree["children"]
    assert dialog["children"][0]["text"] == "in popup"
    assert text["text"] == "in root"


def test_popup_decorator_sends_output_into_it_and_reopens(session: FakeSession) -> None:
    @popup("Decorated")
    def show() -> None:
        put_text("body")

    show()
    session.flush()
    (dialog,) = session.mirror.tree["children"]
    assert dialog["children"][0]["text"] == "body"
    close_popup()
    show()
    session.flush()
    (dialog,) = session.mirror.tree["children"]
    assert (dialog["title"], dialog["children"][0]["text"]) == ("Decorated", "body")


def test_closing_in_the_browser_removes_the_popup(session: FakeSession) -> None:
    popup("Bye")
    session.flush()
    (dialog,) = session.mirror.tree["children"]
    session.callbacks[dialog["close"]][0](None)
    session.flush()
    assert session.mirror.tree["children"] == []


def test_popup_bad_size(session: FakeSession) -> None:
    with pytest.raises(ValueError, match="size"):
        popup("t", size="huge")


def test_toast_spec_and_click_callback(session: FakeSession) -> None:
    clicked: list[bool] = []
    toast(
        "Saved", duration=0, position="right", color="#00ff00", onclick=lambda: clicked.append(True)
    )
    session.flush()
    (node,) = session.mirror.tree["children"]
    assert (node["text"], node["duration"], node["position"], node["color"]) == (
        "Saved",
        0,
        "right",
        "#00ff00",
    )
    session.callbacks[node["cb"]][0](None)
    session.flush()
    assert clicked == [True]
    assert session.mirror.tree["children"] == []


def test_toast_expiry_removes_the_node(session: FakeSession) -> None:
    toast("hi", duration=1.5)
    session.flush()
    (node,) = session.mirror.tree["children"]
    assert node["duration"] == 1500 and "cb" not in node
    session.callbacks[node["close"]][0](None)
    session.flush()
    assert session.mirror.tree["children"] == []


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"color": "purple"}, "color"),
        ({"position": "top"}, "position"),
        ({"duration": -1}, "duration"),
        ({"onclick": 3}, "onclick"),
    ],
)
def test_toast_bad_arguments(session: FakeSession, kwargs: dict, argument: str) -> None:
    with pytest.raises((TypeError, ValueError), match=argument):
        toast("x", **kwargs)
