"""Memory comes back: a closed session lets go of its document and leaves nothing running, and
a page that does not read is cut off before the server holds more than its limits.

(RSS is measured by ``benchmarks/slow_clients.py``; here, what must be gone is gone.)
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
import weakref
from typing import Any

import pytest
from raw_socket import raw_websocket
from test_app_sessions import app_threads, eventually, serve  # noqa: F401 (a fixture)

from pywebio_nb.input import input as ask
from pywebio_nb.output import put_buttons, put_datatable, put_text
from pywebio_nb.platform._connection import PENDING, SocketConnection
from pywebio_nb.session import eval_js

pytestmark = pytest.mark.server


def thread_app() -> None:
    for i in range(2000):
        put_text(f"line {i}")
    put_buttons(["go"], onclick=lambda _v: put_text("clicked"))
    put_datatable([{"n": n} for n in range(1000)])
    ask("Name?")


async def coroutine_app() -> None:
    for i in range(2000):
        put_text(f"line {i}")
    put_buttons(["go"], onclick=lambda _v: put_text("clicked"))
    put_datatable([{"n": n} for n in range(1000)])
    await ask("Name?")


async def gone_after_gc(ref: weakref.ref[Any], timeout: float = 10) -> None:
    def collected() -> bool:
        gc.collect()
        return ref() is None

    await eventually(collected, timeout)


def never_retrieved(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "never retrieved" in r.getMessage()]


@pytest.mark.parametrize("app", [thread_app, coroutine_app])
async def test_a_closed_session_is_freed_and_leaves_no_thread_or_task(
    serve: Any,  # noqa: F811
    app: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    earlier_threads = set(app_threads())
    earlier_tasks = len(asyncio.all_tasks())
    served = serve(app)
    page = await served.open()
    await page.until(lambda _m: any(n.get("type") == "form" for n in page.nodes()))
    session = weakref.ref(next(iter(served.webio.sessions.values())))
    page.ws.close()
    await eventually(lambda: not served.webio.sessions)
    await gone_after_gc(session)
    await eventually(lambda: set(app_threads()) <= earlier_threads)
    await eventually(lambda: len(asyncio.all_tasks()) <= earlier_tasks)
    assert not never_retrieved(caplog)


async def test_a_closed_session_lets_go_of_its_document_while_still_referenced(
    serve: Any,  # noqa: F811
) -> None:
    served = serve(thread_app)
    page = await served.open()
    await page.until(lambda _m: any(n.get("type") == "form" for n in page.nodes()))
    session = next(iter(served.webio.sessions.values()))
    assert len(session.root.scope.spec["children"]) > 2000
    page.ws.close()
    await eventually(lambda: session.is_closed)
    assert session.root.scope.spec["children"] == []
    assert session.root.scope.children == []
    assert not (session.callbacks or session.row_sources or session.event_sinks)
    assert not (session.scopes or session.root.pending)
    assert not session.connected


async def test_a_page_that_never_reads_is_cut_off_and_its_session_freed(
    serve: Any,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    chunk = "x" * (256 * 1024)
    wrote: list[int] = []

    def writer() -> None:
        for i in range(400):  # 100 MiB if nobody stopped it
            put_text(f"{i} {chunk}")
            wrote.append(i)
            time.sleep(0.005)  # one message each: many writes wait in tornado when cut off

    earlier_threads = set(app_threads())
    total_before = PENDING.total
    served = serve(writer, max_pending_size="16M")  # more than the kernel buffers take
    reader, socket = await raw_websocket(served.port, "/", receive_buffer=4096)
    await eventually(lambda: bool(served.webio.sessions))
    session = weakref.ref(next(iter(served.webio.sessions.values())))
    connection = session()._connection  # type: ignore[union-attr]
    assert isinstance(connection, SocketConnection)
    await eventually(lambda: not served.webio.sessions, timeout=30)
    assert len(wrote) < 400, "the app was stopped when its page was cut off"
    await gone_after_gc(session)
    await eventually(lambda: set(app_threads()) <= earlier_threads)
    await eventually(lambda: PENDING.total <= total_before)
    # The page never completes the close: its socket is dropped, tornado's buffer let go.
    await eventually(lambda: connection.pending == 0, timeout=10)
    gc.collect()
    socket.close()
    cut = [r for r in caplog.records if "cutting off" in r.getMessage()]
    assert len(cut) == 1 and cut[0].levelno == logging.WARNING
    assert not [r for r in caplog.records if r.exc_info]
    assert not never_retrieved(caplog)
    del reader


async def test_a_session_waiting_for_its_page_to_come_back_is_not_held_by_its_timer(
    serve: Any,  # noqa: F811
) -> None:
    def app() -> None:
        put_text(f"js says {eval_js('1 + 1')}")

    served = serve(app, reconnect_timeout=60)
    first = await served.open()
    hello = await first.until(lambda m: m.get("kind") == "hello")
    request = await first.until(lambda m: m.get("kind") == "eval_js")
    session = weakref.ref(served.webio.sessions[hello["session"]])
    first.ws.close()
    await eventually(lambda: not session().connected)  # type: ignore[union-attr]
    second = await served.open(f"?session={hello['session']}")
    await second.until(lambda m: m.get("kind") == "snapshot")
    second.send({"kind": "js_result", "id": request["id"], "value": 2})
    await second.wait_text("js says 2")
    await second.until(lambda m: m.get("kind") == "ended")
    await gone_after_gc(session)  # long before the 60 s timer would have let it go
