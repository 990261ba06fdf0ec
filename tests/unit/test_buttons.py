"""Buttons: the browser sees labels and indices, Python keeps the values."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import put_button, put_buttons, put_text

from .helpers import root_children


class Secret:
    """A value that must never be serialised."""

    def __repr__(self) -> str:
        return "Secret(do-not-send)"

    def __str__(self) -> str:
        return "do-not-send"


def click(session: FakeSession, node: dict[str, Any], index: Any) -> Any:
    """Do what the kernel does when the browser reports a click on button ``index``."""
    callback, _root = session.callbacks[node["cb"]]
    return callback(index)


def test_button_values_stay_in_python_and_the_browser_sees_indices(
    session: FakeSession,
) -> None:
    secret = Secret()
    received: list[Any] = []
    put_buttons(
        [("Open", secret), {"label": "Dict", "value": {"k": [1, 2]}}, "Plain"],
        onclick=received.append,
    )
    (node,) = root_children(session)
    assert node["buttons"] == [{"label": "Open"}, {"label": "Dict"}, {"label": "Plain"}]
    sent = json.dumps(session.batches)
    assert "do-not-send" not in sent and '"k"' not in sent
    for index in range(3):
        click(session, node, index)
    assert received == [secret, {"k": [1, 2]}, "Plain"]
    assert received[0] is secret


def test_a_list_of_callbacks_one_per_button(session: FakeSession) -> None:
    calls: list[str] = []
    put_buttons(["A", "B"], onclick=[lambda: calls.append("a"), lambda: calls.append("b")])
    (node,) = root_children(session)
    click(session, node, 1)
    click(session, node, 0)
    assert calls == ["b", "a"]


@pytest.mark.parametrize("bad_index", [2, -1, "0", None, True, 0.0])
def test_a_bad_index_from_the_browser_raises(session: FakeSession, bad_index: Any) -> None:
    calls: list[Any] = []
    put_buttons(["A", "B"], onclick=calls.append)
    put_buttons(["A", "B"], onclick=[lambda: calls.append(1), lambda: calls.append(2)])
    single, listed = root_children(session)
    for node in (single, listed):
        with pytest.raises(ValueError, match="out of range"):
            click(session, node, bad_index)
    assert calls == []


def test_button_options_reach_the_spec(session: FakeSession) -> None:
    put_buttons(
        [
            {"label": "Go", "value": 1, "color": "success"},
            {"label": "Stop", "value": 2, "color": "danger", "disabled": True},
        ],
        onclick=lambda _: None,
        small=True,
        link_style=True,
        outline=True,
        group=True,
        serial_mode=True,
    )
    (node,) = root_children(session)
    assert node["buttons"] == [
        {"label": "Go", "color": "success"},
        {"label": "Stop", "color": "danger", "disabled": True},
    ]
    assert node["small"] is node["link"] is node["outline"] is node["group"] is True


def test_default_options_are_left_out(session: FakeSession) -> None:
    put_buttons(["A"], onclick=lambda _: None)
    (node,) = root_children(session)
    assert set(node) == {"id", "type", "buttons", "cb"}


def test_dict_button_value_defaults_to_its_label(session: FakeSession) -> None:
    received: list[Any] = []
    put_buttons([{"label": "Only label"}], onclick=received.append)
    click(session, root_children(session)[0], 0)
    assert received == ["Only label"]


def test_put_button_calls_its_callback_without_arguments(session: FakeSession) -> None:
    calls: list[str] = []
    put_button("Go", onclick=lambda: calls.append("go"), color="warning", disabled=True)
    (node,) = root_children(session)
    assert node["buttons"] == [{"label": "Go", "color": "warning", "disabled": True}]
    click(session, node, 0)
    assert calls == ["go"]


def test_a_callback_can_put_output(session: FakeSession) -> None:
    put_buttons(["A"], onclick=lambda value: put_text(f"clicked {value}"))
    click(session, root_children(session)[0], 0)
    assert session.mirror.texts() == []
    session.flush()
    assert session.mirror.texts() == ["clicked A"]


def test_buttons_take_style_and_scope_arguments(session: FakeSession) -> None:
    put_text("first")
    put_buttons(["A"], onclick=lambda _: None, position=0).style("margin: 0")
    buttons, text = root_children(session)
    assert buttons["type"] == "buttons" and buttons["style"] == "margin: 0"
    assert text["text"] == "first"
