"""``async def`` callbacks (buttons, pins, toasts) are awaited, whatever the host."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import put_buttons, put_text, toast
from pywebio_nb.pin import pin_on_change, put_input

pytestmark = pytest.mark.unit


@pytest.fixture
def fake() -> Iterator[FakeSession]:
    with FakeSession() as session:
        yield session


def click(session: FakeSession, callback_id: int, value: Any = None) -> None:
    session.handle_event(session.root, {"kind": "callback", "cb": callback_id, "value": value}, [])


def test_an_async_button_callback_runs_to_its_end(fake: FakeSession) -> None:
    async def clicked(value: str) -> None:
        await asyncio.sleep(0)
        put_text(f"clicked {value}")

    put_buttons(["A", "B"], onclick=[lambda: None, lambda: clicked("B")])
    (buttons,) = fake.nodes("buttons")
    click(fake, buttons["cb"], 1)
    fake.flush()
    assert fake.mirror.texts() == ["clicked B"]


def test_an_async_toast_onclick_runs_to_its_end(fake: FakeSession) -> None:
    async def clicked() -> None:
        await asyncio.sleep(0)
        put_text("toast clicked")

    toast("Saved", duration=0, onclick=clicked)
    (node,) = fake.nodes("toast")
    click(fake, node["cb"])
    fake.flush()
    assert fake.mirror.texts() == ["toast clicked"]


def test_an_async_pin_on_change_runs_for_changes_and_init_run(fake: FakeSession) -> None:
    seen: list[Any] = []

    async def changed(value: Any) -> None:
        await asyncio.sleep(0)
        seen.append(value)

    put_input("a", value="start")
    pin_on_change("a", changed, init_run=True)
    (node,) = [n for n in fake.nodes("pin") if n["name"] == "a"]
    fake.send_input(node["id"], event="change", value="one")
    assert seen == ["start", "one"]


def test_an_async_callback_error_is_reported_like_a_plain_one(fake: FakeSession) -> None:
    failures: list[str] = []
    fake.log_exception = failures.append  # type: ignore[method-assign]

    async def broken() -> None:
        await asyncio.sleep(0)
        raise ValueError("async boom")

    put_buttons(["go"], onclick=[broken])
    (buttons,) = fake.nodes("buttons")
    click(fake, buttons["cb"], 0)
    assert failures == ["a callback raised"]


def test_a_callback_awaited_on_a_running_loop_finishes_in_its_own_thread() -> None:
    done = asyncio.Event()
    session = FakeSession()

    async def scenario() -> list[str]:
        loop = asyncio.get_running_loop()
        finished: list[str] = []

        async def clicked() -> None:
            await asyncio.sleep(0)
            finished.append("done")
            loop.call_soon_threadsafe(done.set)

        session.await_callback(session.root, clicked())
        await asyncio.wait_for(done.wait(), 10)
        return finished

    assert asyncio.run(scenario()) == ["done"]
