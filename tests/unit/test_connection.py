"""Unsent bytes per connection and per process: what a slow page can make the server hold."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest
from tornado.ioloop import IOLoop

from pywebio_nb.platform._connection import (
    MESSAGE_COST,
    PENDING,
    WRITE_SLICE,
    SocketConnection,
)
from pywebio_nb.platform._tornado import parse_size

MIB = 1024 * 1024


class StuckHandler:
    """A WebSocket whose writes complete only when told (a page that stopped reading)."""

    def __init__(self) -> None:
        self.closed_with: tuple[int, str] | None = None
        self.writes: list[asyncio.Future[None]] = []
        self.messages: list[Any] = []
        self.request = None

    def write_message(self, message: Any, binary: bool = False) -> asyncio.Future[None]:
        self.messages.append(message)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.writes.append(future)
        return future

    def close(self, code: int, reason: str) -> None:
        self.closed_with = (code, reason)


def connect(handler: StuckHandler, cut: list[StuckHandler], **limits: int) -> SocketConnection:
    return SocketConnection(
        handler,  # type: ignore[arg-type]
        IOLoop.current(),
        on_cut_off=lambda: cut.append(handler),
        **limits,
    )


async def settle() -> None:
    for _ in range(3):
        await asyncio.sleep(0)


def test_a_page_that_does_not_read_is_cut_off_at_its_limit() -> None:
    async def scenario() -> None:
        handler, cut = StuckHandler(), []  # type: ignore[var-annotated]
        connection = connect(handler, cut, max_pending=4 * MIB)
        for _ in range(6):
            connection.send(b"x" * MIB)
        await settle()
        assert handler.closed_with is not None and handler.closed_with[0] == 1013
        assert "does not keep up" in handler.closed_with[1]
        assert cut == [handler]
        assert handler.writes == []  # once cut off, what was queued is dropped, not written
        assert connection.pending == 0
        connection.send(b"later")
        await settle()
        assert handler.writes == []

    asyncio.run(scenario())


def test_every_message_counts_what_tornado_holds_for_it() -> None:
    async def scenario() -> None:
        handler, cut = StuckHandler(), []  # type: ignore[var-annotated]
        connection = connect(handler, cut, max_pending=100 * MESSAGE_COST)
        for _ in range(150):
            connection.send("{}")  # tiny, as replies to bad events are
        await settle()
        assert cut == [handler]
        assert len(handler.writes) < 100

    asyncio.run(scenario())


def test_written_messages_are_released_and_failed_writes_are_retrieved() -> None:
    async def scenario() -> None:
        handler, cut = StuckHandler(), []  # type: ignore[var-annotated]
        before = PENDING.total
        connection = connect(handler, cut)
        connection.send(b"a" * 1000)
        connection.send(b"b" * 1000)
        await settle()
        assert connection.pending == 2 * (1000 + MESSAGE_COST)
        assert PENDING.total == before + connection.pending
        handler.writes[0].set_result(None)
        handler.writes[1].set_exception(ConnectionError("closed"))
        await settle()
        assert connection.pending == 0 and PENDING.total == before
        assert handler.writes[1]._log_traceback is False  # retrieved: nothing logged

    asyncio.run(scenario())


def test_over_the_process_budget_the_slowest_page_is_cut_off() -> None:
    async def scenario() -> None:
        cut: list[StuckHandler] = []
        slow, fast = StuckHandler(), StuckHandler()
        budget = PENDING.total + 6 * MIB
        slow_connection = connect(slow, cut, max_pending=64 * MIB, max_pending_total=budget)
        fast_connection = connect(fast, cut, max_pending=64 * MIB, max_pending_total=budget)
        for _ in range(5):
            slow_connection.send(b"s" * MIB)
        await settle()
        fast_connection.send(b"f" * MIB)
        fast_connection.send(b"f" * MIB)  # over the budget: the slow page goes, not this one
        await settle()
        assert cut == [slow]
        assert fast.closed_with is None and len(fast.writes) == 2
        for future in slow.writes:
            future.set_exception(ConnectionError("closed"))
        await settle()
        assert slow_connection.pending == 0

    asyncio.run(scenario())
    gc.collect()


def test_a_backlog_is_written_a_slice_per_turn_of_the_loop_in_order() -> None:
    """Tornado compresses on the loop: megabytes at once would hold up every other page."""

    async def scenario() -> None:
        handler, cut = StuckHandler(), []  # type: ignore[var-annotated]
        connection = connect(handler, cut)
        chunks = [bytes([n]) * (WRITE_SLICE // 2) for n in range(12)]
        for chunk in chunks:
            connection.send(chunk)
        connection.close(1000, "done")
        other_turns = 0
        while handler.closed_with is None:
            await asyncio.sleep(0)  # another task's turn
            other_turns += 1
            assert len(handler.writes) <= 2 * other_turns + 1
        assert other_turns >= 5
        assert handler.closed_with == (1000, "done")
        assert [m[0] for m in handler.messages] == list(range(12))

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("value", "argument", "message"),
    [
        (-1, "max_pending_size", "max_pending_size=-1 must be >= 0"),
        ("lots", "max_pending_total", "max_pending_total='lots' is not a size"),
        (True, "max_payload_size", "max_payload_size=True is not a size"),
    ],
)
def test_sizes_name_the_argument(value: Any, argument: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_size(value, argument)
