"""The outgoing side of one page's WebSocket, and the bytes slow pages make the server hold.

A session sends through a :class:`SocketConnection`: ``send`` may be called from any thread and
the write happens on the IOLoop, in call order, a slice at a time (tornado compresses frames on
the loop: a backlog of megabytes must not freeze the other pages). Bytes handed over and not
yet written to the socket are *pending*: first in the connection's queue, then in tornado's
stream buffer (compressed, so the count is an upper bound). Tornado also keeps a task and two
futures per message until it is written, measured at ~1.9 KiB, so every message counts
:data:`MESSAGE_COST` bytes more: 10,000 small replies to a page that never reads hold ~20 MiB,
not the ~0.5 MiB of their text.

A page that does not read makes pending bytes grow, so they are bounded twice: per connection
(``max_pending_size``) and across all the connections of the process (:data:`PENDING` against
``max_pending_total``). A send over a bound cuts off the connection that holds the most: it is
closed with code 1013 and a reason, its session ends, and its socket is dropped if the page has
not completed the close a second later (a page that does not read never will).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import logging
import socket
import threading
import weakref
from asyncio import Future
from collections.abc import Callable
from typing import Any

import tornado.websocket
from tornado.ioloop import IOLoop
from tornado.iostream import StreamClosedError

__all__ = [
    "MESSAGE_COST",
    "PENDING",
    "PendingBytes",
    "SocketConnection",
    "accept_frames",
    "limited_protocol",
    "too_big_reason",
]

log = logging.getLogger("pywebio_nb")
#: What tornado holds per message besides its bytes, until written (a task, futures, a frame).
MESSAGE_COST = 2048
#: Seconds a cut-off page has to complete the close before its socket is dropped.
CUT_OFF_GRACE = 1.0
SLOW_PAGE = "the page does not keep up with the app's output"
#: Bytes of frames written (and compressed) per turn of the loop before other work runs.
WRITE_SLICE = 512 * 1024
#: Read buffer room beyond the largest accepted payload (frame header, one read chunk).
FRAME_SLACK = 1024 * 1024
#: Seconds the rest of an over-size frame is read and thrown away after the 1009 close.
DRAIN_SECONDS = 5.0


def accept_frames(handler: tornado.websocket.WebSocketHandler, max_payload: int) -> None:
    """Let the connection's read buffer hold a frame of ``max_payload`` bytes.

    Tornado reads a whole frame into the stream's buffer, which the HTTP server created with
    its own ``max_buffer_size`` (tornado's default 100 MiB; jupyter_server's
    ``c.ServerApp.max_buffer_size``, 512 MiB). A larger frame would drop the connection without
    a close code, so this connection's buffer grows to the app's limit (``max_payload_size``);
    frames over that limit get close code 1009 from tornado before they are read.
    """
    stream = getattr(getattr(handler, "ws_connection", None), "stream", None)
    needed = max_payload + FRAME_SLACK
    if stream is not None and getattr(stream, "max_buffer_size", needed) < needed:
        stream.max_buffer_size = needed


def too_big_reason(limit: int) -> str:
    """The close reason of an over-size frame (fits the 123 bytes of a close frame).

    Example:
        >>> too_big_reason(200 * 1024 * 1024)
        'message too big: the limit is 200 MiB (max_payload_size)'
    """
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if limit >= size:
            return f"message too big: the limit is {limit / size:.4g} {unit} (max_payload_size)"
    return f"message too big: the limit is {limit} bytes (max_payload_size)"


class _LimitedFrames(tornado.websocket.WebSocketProtocol13):
    """Tornado's protocol, closing on an over-size frame without dropping the connection.

    Tornado answers a frame over ``max_message_size`` with a 1009 close frame and then closes
    the socket at once, while the page is still sending the frame: the unread bytes make the
    kernel reset the connection, and the page sees 1006 and no reason (Chromium does, always,
    for incompressible data). Here the socket's sending side is shut after the close frame and
    the rest of what the page sends is read and thrown away (nothing is kept) until it closes,
    for at most :data:`DRAIN_SECONDS`, so the page gets the 1009 and the reason.
    """

    _too_big = False
    _draining = False

    def close(self, code: int | None = None, reason: str | None = None) -> None:
        if code == 1009 and not self.server_terminated:
            self._too_big = True
            reason = too_big_reason(self.params.max_message_size)
        super().close(code, reason)

    def _abort(self) -> None:
        if self._draining:
            return
        if self._too_big and self.stream is not None and not self.stream.closed():
            self._draining = True
            self.client_terminated = self.server_terminated = True  # ends the frame loop
            IOLoop.current().add_callback(self._drain)
            return
        super()._abort()

    async def _drain(self) -> None:
        stream = self.stream
        loop = asyncio.get_running_loop()
        deadline = loop.time() + DRAIN_SECONDS
        try:
            await stream.write(b"")  # the close frame has left
            with contextlib.suppress(OSError):
                stream.socket.shutdown(socket.SHUT_WR)
            while (remaining := deadline - loop.time()) > 0:
                await asyncio.wait_for(stream.read_bytes(64 * 1024, partial=True), remaining)
        except (StreamClosedError, OSError, asyncio.TimeoutError):
            pass
        finally:
            stream.close()


def limited_protocol(handler: tornado.websocket.WebSocketHandler, protocol: Any) -> Any:
    """The protocol tornado chose for ``handler``, with the graceful over-size close.

    Only for tornado's own ``WebSocketProtocol13`` as this module knows it; anything else is
    returned as it is (tornado's plain behaviour).
    """
    if type(protocol) is not tornado.websocket.WebSocketProtocol13 or not all(
        hasattr(protocol, name) for name in ("params", "_abort", "stream", "server_terminated")
    ):
        return protocol
    return _LimitedFrames(handler, False, protocol.params)


class PendingBytes:
    """Bytes pending on the WebSockets of this process, across every server in it.

    Example:
        >>> PENDING.total >= 0
        True
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        #: Pending bytes of the connections that are not being cut off.
        self.total = 0
        self.connections: weakref.WeakSet[SocketConnection] = weakref.WeakSet()


PENDING = PendingBytes()


class SocketConnection:
    """The session's view of one WebSocket; every write goes through the IOLoop, in order.

    Args:
        handler: the tornado ``WebSocketHandler``.
        loop: its IOLoop.
        max_pending: the most bytes this connection may hold unsent.
        max_pending_total: the most bytes all connections of the process may hold unsent.
        on_cut_off: called on the loop when the connection is cut off for not reading.
    """

    def __init__(
        self,
        handler: tornado.websocket.WebSocketHandler,
        loop: IOLoop,
        *,
        max_pending: int = 64 * 1024 * 1024,
        max_pending_total: int = 256 * 1024 * 1024,
        on_cut_off: Callable[[], None] | None = None,
    ) -> None:
        self.handler = handler
        self.loop = loop
        self.max_pending = max_pending
        self.max_pending_total = max_pending_total
        self.on_cut_off = on_cut_off
        self.pending = 0
        #: No more writes: the socket closed, is closing, or was cut off.
        self.closed = False
        self._counted = True
        self._unsent_at_cut_off = 0
        #: Frames (and a close, as ``(code, reason)``) waiting for the loop, with their cost.
        self._queue: collections.deque[tuple[Any, int]] = collections.deque()
        self._pumping = False
        with PENDING.lock:
            PENDING.connections.add(self)

    # -- any thread ---------------------------------------------------------------------------

    def send(self, message: str | bytes) -> None:
        """Queue a text (``str``) or binary (``bytes``) frame; dropped once closed."""
        size = len(message) + MESSAGE_COST
        victim: SocketConnection | None = None
        with PENDING.lock:
            if self.closed:
                return
            if self.pending + size > self.max_pending:
                victim = self
            elif PENDING.total + size > self.max_pending_total:
                victim = max(
                    (c for c in PENDING.connections if c._counted and not c.closed),
                    key=lambda c: c.pending,
                    default=self,
                )
            if victim is not None:
                victim._stop_counting()
            start = False
            if victim is not self:
                self.pending += size
                PENDING.total += size
                self._queue.append((message, size))
                start, self._pumping = not self._pumping, True
        if victim is not None:
            victim.loop.add_callback(victim._cut_off)
        if start:
            self.loop.add_callback(self._pump)

    def close(self, code: int, reason: str) -> None:
        """Close the WebSocket (after what was queued before)."""
        with PENDING.lock:
            self._queue.append(((code, reason), 0))
            start, self._pumping = not self._pumping, True
        if start:
            self.loop.add_callback(self._pump)

    def mark_closed(self) -> None:
        """The socket closed: drop later writes (tornado fails the pending ones, releasing them)."""
        with PENDING.lock:
            self.closed = True

    # -- on the loop --------------------------------------------------------------------------

    def _stop_counting(self) -> None:
        # Under PENDING.lock: its bytes leave the process total now (they are freed within
        # CUT_OFF_GRACE), so cutting off one page never makes the others look over budget.
        self.closed = True
        self._unsent_at_cut_off = self.pending
        if self._counted:
            self._counted = False
            PENDING.total -= self.pending

    def _release(self, size: int) -> None:
        with PENDING.lock:
            self.pending -= size
            if self._counted:
                PENDING.total -= size

    def _pump(self) -> None:
        # Write what is queued, in order, but at most WRITE_SLICE bytes per turn of the loop:
        # tornado compresses each frame here, and megabytes at once would hold up every other
        # page on the loop.
        written = 0
        while written < WRITE_SLICE:
            with PENDING.lock:
                if not self._queue:
                    self._pumping = False
                    return
                item, size = self._queue.popleft()
            if isinstance(item, tuple):
                self._close(*item)
            else:
                self._write(item, size)
                written += size
        self.loop.add_callback(self._pump)

    def _write(self, message: str | bytes, size: int) -> None:
        if self.closed:
            self._release(size)
            return
        try:
            future = self.handler.write_message(message, binary=isinstance(message, bytes))
        except tornado.websocket.WebSocketClosedError:
            self.mark_closed()
            self._release(size)
            return
        future.add_done_callback(functools.partial(self._written, size))

    def _written(self, size: int, future: Future[Any]) -> None:
        if not future.cancelled():
            future.exception()  # a write cut short by a closing socket is no error to report
        self._release(size)

    def _close(self, code: int, reason: str) -> None:
        with PENDING.lock:
            if self.closed:
                return
            self.closed = True
        self.handler.close(code, reason)

    def _cut_off(self) -> None:
        log.warning(
            "pywebio_nb: cutting off a page from %s: %s (%d KiB unsent)",
            getattr(self.handler.request, "remote_ip", "?"),
            SLOW_PAGE,
            self._unsent_at_cut_off // 1024,
        )
        # The stream, taken before close() (which forgets the handler's ws_connection).
        stream = getattr(getattr(self.handler, "ws_connection", None), "stream", None)
        self.handler.close(1013, SLOW_PAGE)
        if stream is not None:
            self.loop.call_later(CUT_OFF_GRACE, _drop, stream)
        if self.on_cut_off is not None:
            self.on_cut_off()


def _drop(stream: Any) -> None:
    """Close a socket whose page did not complete the close in time.

    Tornado then runs the handler's ``on_close`` and fails the writes still waiting, which
    releases them.
    """
    if not stream.closed():
        stream.close()
