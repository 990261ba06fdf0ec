"""The session object and its lifetime, as PyWebIO programs use them (issue 12 items 1, 7)."""

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
