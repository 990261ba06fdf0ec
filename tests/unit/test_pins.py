"""Pin widgets with a scripted browser: mirrored values, updates, waits and callbacks."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.pin import (
    get_pin_values,
    pin,
    pin_on_change,
    pin_update,
    pin_wait_change,
    put_actions,
    put_checkbox,
    put_file_upload,
    put_input,
    put_radio,
    put_select,
    put_slider,
    put_textarea,
)


@pytest.fixture
def fake() -> Iterator[FakeSession]:
    with FakeSession() as session:
        yield session


def pin_node(s: FakeSession, name: str) -> dict[str, Any]:
    return [node for node in s.nodes("pin") if node["name"] == name][-1]


def change(s: FakeSession, name: str, value: Any) -> None:
    s.send_input(pin_node(s, name)["id"], event="change", value=value)


def test_pins_read_initial_values_without_a_round_trip(fake: FakeSession) -> None:
    put_input("a", value="x")
    put_input("n", type="number", value=3)
    put_textarea("t", value="hello")
    put_select("s", [("one", {"o": 1}), ("two", 2)], value=2)
    put_checkbox("c", ["p", "q"], value=["q"])
    put_radio("r", ["p", "q"])
    put_slider("sl", value=4)
    put_actions("go", buttons=["A", "B"])
    put_file_upload("f")
    assert (pin.a, pin.n, pin["t"], pin.s, pin.c, pin.r, pin.sl, pin.go, pin.f) == (
        "x",
        3,
        "hello",
        2,
        ["q"],
        None,
        4,
        None,
        None,
    )
    assert pin.missing is None
    assert get_pin_values(["a", "sl", "missing"]) == {"a": "x", "sl": 4}


def test_browser_changes_are_converted_and_mirrored(fake: FakeSession) -> None:
    marker = object()
    put_select("s", [("a", 1), ("b", marker)])
    put_input("n", type="number")
    put_actions("go", buttons=[("Start", "start")])
    change(fake, "s", 1)
    change(fake, "n", "42")
    change(fake, "go", 0)
    assert pin.s is marker and pin.n == 42 and pin.go == "start"


def test_bad_pin_values_are_rejected_and_the_old_value_kept(fake: FakeSession) -> None:
    put_select("s", ["a", "b"], value="a")
    put_input("n", type="number", value=1)
    change(fake, "s", 9)
    change(fake, "n", "many")
    fake.send_input(pin_node(fake, "n")["id"], event="bogus")
    assert pin.s == "a" and pin.n == 1
    assert "not one of the choices" in pin_node(fake, "s")["invalid"]
    change(fake, "n", "2")
    assert pin.n == 2 and pin_node(fake, "n")["invalid"] is None


def test_setting_a_pin_updates_the_widget(fake: FakeSession) -> None:
    put_input("a")
    put_select("s", ["x", "y"])
    pin.a = "typed"
    pin["s"] = "y"
    assert pin.a == "typed" and pin.s == "y"
    assert pin_node(fake, "a")["value"] == "typed"
    assert pin_node(fake, "s")["options"] == [{"label": "x"}, {"label": "y", "selected": True}]


def test_pin_update_changes_options_and_label(fake: FakeSession) -> None:
    put_select("s", ["x"])
    pin_update("s", options=["p", "q"], value="q", label="New")
    node = pin_node(fake, "s")
    assert node["label"] == "New" and node["options"][1] == {"label": "q", "selected": True}
    assert pin.s == "q"
    with pytest.raises(ValueError, match="'multiple' cannot be updated"):
        pin_update("s", multiple=True)


def test_a_second_widget_with_the_same_name_takes_over(fake: FakeSession) -> None:
    put_input("a", value="old")
    first = pin_node(fake, "a")
    put_input("a", value="new")
    assert pin.a == "new"
    assert [node.get("expired") for node in fake.nodes("pin")] == [True, None]
    fake.send_input(first["id"], event="change", value="from the old widget")
    assert pin.a == "new"


def test_pin_wait_change_returns_the_change_or_none_after_timeout(fake: FakeSession) -> None:
    put_input("a")
    put_input("b")
    fake.answer(lambda s: (change(s, "a", "ignored"), change(s, "b", "yes")))
    assert pin_wait_change("b") == {"name": "b", "value": "yes"}
    assert pin_wait_change(["a", "b"], timeout=0.01) is None


def test_pin_wait_change_is_awaitable(fake: FakeSession) -> None:
    put_slider("v")
    fake.answer(lambda s: change(s, "v", 9))

    async def main() -> Any:
        return await pin_wait_change("v")

    assert asyncio.run(main()) == {"name": "v", "value": 9}


def test_pin_on_change_clear_and_init_run(fake: FakeSession) -> None:
    put_input("a", value="start")
    seen: list[Any] = []
    pin_on_change("a", lambda v: seen.append(("first", v)), init_run=True)
    change(fake, "a", "one")
    pin_on_change("a", lambda v: seen.append(("second", v)), clear=True)
    change(fake, "a", "two")
    assert seen == [("first", "start"), ("first", "one"), ("second", "two")]


def test_file_pin_reassembles_chunks_and_checks_limits(fake: FakeSession) -> None:
    put_file_upload("f", max_size="1K")
    node_id = pin_node(fake, "f")["id"]
    fake.send_input(node_id, [b"abc"], event="chunk", file=0, offset=0, size=3)
    fake.send_input(
        node_id, event="change", value=[{"filename": "a.txt", "size": 3, "mime_type": "text/plain"}]
    )
    assert pin.f["content"] == b"abc" and pin.f["filename"] == "a.txt"
    fake.send_input(node_id, [b"x" * 2000], event="chunk", file=0, offset=0, size=2000)
    assert "limit is 1K" in pin_node(fake, "f")["invalid"]
    assert pin.f["content"] == b"abc"


def test_pin_names_are_checked() -> None:
    with FakeSession():
        with pytest.raises(ValueError, match="name='bad name'"):
            put_input("bad name")
        with pytest.raises(ValueError, match="only submit-type"):
            put_actions("x", buttons=[("Stop", 0, "cancel")])


def test_await_pin_and_get_pin_values_in_a_coroutine(fake: FakeSession) -> None:
    # PyWebIO's coroutine apps must write `await pin.name`; plain reads keep working too.
    put_input("who", value="Ada")
    put_slider("level", value=3)

    async def main() -> Any:
        plain = pin.who
        return plain, await pin.who, await pin["level"], await get_pin_values(["who", "x"])

    assert asyncio.run(main()) == ("Ada", "Ada", 3, {"who": "Ada"})


def test_pin_on_change_keeps_the_session_listening(fake: FakeSession) -> None:
    # PyWebIO counts pin callbacks as registered callbacks: an app's page stays open for them.
    put_select("fruit", ["apple", "pear"])
    before = len(fake.callbacks)
    pin_on_change("fruit", lambda v: None)
    pin_on_change("fruit", lambda v: None)
    assert len(fake.callbacks) == before + 1
