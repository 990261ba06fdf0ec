"""The session object and its lifetime, as PyWebIO programs use them (issue 12 items 1, 6, 7)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import test_app_sessions

from pywebio_nb.output import put_text
from pywebio_nb.session import get_current_session, register_thread

pytestmark = pytest.mark.server

#: The plain tornado handler fixture of ``test_app_sessions``.
serve = test_app_sessions.serve


async def test_a_registered_thread_keeps_the_session_open_after_main_returns(
    serve: Any,
) -> None:
    go = threading.Event()

    def main() -> None:
        def work() -> None:
            go.wait(30)
            put_text("from the thread, after main returned")

        thread = threading.Thread(target=work)
        register_thread(thread)
        thread.start()
        put_text("main returns")

    page = await serve(main).open()
    await page.wait_text("main returns")
    go.set()
    await page.wait_text("from the thread, after main returned")
    assert await page.closed() == 1000  # and the session ends once the thread is done


async def test_a_registered_thread_started_after_main_returns_still_counts(serve: Any) -> None:
    # PyWebIO's register_thread keeps the session for the thread, started or not yet.
    go = threading.Event()
    holder: list[threading.Thread] = []

    def main() -> None:
        thread = threading.Thread(target=lambda: put_text("late thread ran"))
        register_thread(thread)
        holder.append(thread)
        put_text("registered")
        go.set()

    page = await serve(main).open()
    await page.wait_text("registered")
    go.wait(5)
    holder[0].start()
    await page.wait_text("late thread ran")


@pytest.mark.parametrize("kind", ["thread", "coroutine"])
async def test_closed_is_a_method_of_the_session_as_in_pywebio(serve: Any, kind: str) -> None:
    def main() -> None:
        put_text(f"closed() says {get_current_session().closed()}")

    async def amain() -> None:
        put_text(f"closed() says {get_current_session().closed()}")

    page = await serve(main if kind == "thread" else amain).open()
    await page.wait_text("closed() says False")


async def test_pin_on_change_of_every_pin_kind_in_a_coroutine_app(serve: Any) -> None:
    # Item 6's class of bug, in a coroutine app: every pin kind's async onchange runs in the
    # session, and may await pins.
    from pywebio_nb.pin import (
        pin,
        pin_on_change,
        put_checkbox,
        put_input,
        put_radio,
        put_select,
        put_slider,
        put_textarea,
    )

    async def amain() -> None:
        put_select("fruit", options=["apple", "pear"])
        put_checkbox("extras", options=["nuts", "cream"])
        put_radio("size", options=["small", "large"])
        put_slider("amount", value=3, max_value=10)
        put_input("note")
        put_textarea("letter")

        def report(name: str) -> Any:
            async def changed(value: Any) -> None:
                put_text(f"{name} -> {value}; pin says {await pin[name]}")

            return changed

        for name in ("fruit", "extras", "size", "amount", "note", "letter"):
            pin_on_change(name, report(name))
        put_text("pins ready")

    page = await serve(amain).open()
    await page.wait_text("pins ready")
    pins = {node["name"]: node["id"] for node in page.nodes() if node.get("type") == "pin"}
    changes = {
        "fruit": (1, "pear"),
        "extras": ([1], "['cream']"),
        "size": (1, "large"),
        "amount": (4, "4"),
        "note": ("hi", "hi"),
        "letter": ("dear", "dear"),
    }
    for name, (raw, shown) in changes.items():
        page.send({"kind": "input", "id": pins[name], "event": "change", "value": raw})
        await page.wait_text(f"{name} -> {shown}; pin says {shown}")
