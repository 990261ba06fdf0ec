"""The wire of the web-framework hosts: transports, with no app-host internals.

Request and reply shapes the frameworks fill in, the polling body format, the two outgoing
queues (a polling page's :class:`PollChannel`, a WebSocket's :class:`QueueConnection`) and the
WSGI hosts' loop thread.

The format and the requests are described in ``_adapter.py``, which uses all of this.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = [
    "POLL_HEADER",
    "MalformedBody",
    "PollChannel",
    "QueueConnection",
    "Reply",
    "Request",
    "SocketIO",
    "decode_records",
    "encode_records",
    "free_port",
    "missing_framework",
    "shared_loop",
]

log = logging.getLogger("pywebio_nb")

#: The header every polling request but ``close`` carries.
POLL_HEADER = "X-PyWebIO-NB"
TEXT, BINARY, CLOSE = 0, 1, 2
_RECORD = struct.Struct(">BI")


def free_port() -> int:
    """A TCP port free on this machine now (``port=0`` of servers that cannot pick one).

    Example:
        >>> 0 < free_port() < 65536
        True
    """
    with socket.socket() as sock:
        sock.bind(("", 0))
        return int(sock.getsockname()[1])


def missing_framework(framework: str, extra: str, error: ImportError) -> ImportError:
    """The ImportError a framework module raises when its framework is not installed.

    Example:
        >>> str(missing_framework("Flask", "flask", ImportError("flask")))[:42]
        'pywebio_nb.platform.flask needs Flask: pip'
    """
    return ImportError(
        f"pywebio_nb.platform.{extra} needs {framework}: "
        f'pip install "pywebio_nb[{extra}]" ({error})'
    )


class MalformedBody(ValueError):
    """A polling body from a page that is not a sequence of records."""


def encode_records(messages: Sequence[str | bytes | tuple[int, str]]) -> bytes:
    """Records of a polling body: text, binary frames, or a close ``(code, reason)``.

    Example:
        >>> decode_records(encode_records(['{"kind":"x"}', b"abc"]))
        ['{"kind":"x"}', b'abc']
    """
    parts: list[bytes] = []
    for message in messages:
        if isinstance(message, tuple):
            kind, data = CLOSE, json.dumps({"code": message[0], "reason": message[1]}).encode()
        elif isinstance(message, str):
            kind, data = TEXT, message.encode()
        else:
            kind, data = BINARY, message
        parts.append(_RECORD.pack(kind, len(data)))
        parts.append(data)
    return b"".join(parts)


def decode_records(body: bytes) -> list[str | bytes]:
    """The page's events in a polling body (text and binary records only).

    Raises:
        MalformedBody: a record is cut short, of an unknown kind, or not UTF-8.

    Example:
        >>> decode_records(b"")
        []
    """
    messages: list[str | bytes] = []
    offset = 0
    while offset < len(body):
        if len(body) - offset < _RECORD.size:
            raise MalformedBody("a polling record is cut short")
        kind, length = _RECORD.unpack_from(body, offset)
        offset += _RECORD.size
        data = body[offset : offset + length]
        if len(data) != length or kind not in (TEXT, BINARY):
            raise MalformedBody("a polling record is cut short or of an unknown kind")
        offset += length
        if kind == TEXT:
            try:
                messages.append(data.decode())
            except UnicodeDecodeError:
                raise MalformedBody("a text record is not UTF-8") from None
        else:
            messages.append(bytes(data))
    return messages


@dataclass
class Request:
    """What the adapter needs of one HTTP request, whatever the framework.

    Attributes:
        method: ``GET``, ``POST``, ``OPTIONS``...
        path: the URL path the browser asked for (decoded), mount prefixes included.
        query: the query arguments (the first value of each).
        headers: a case-insensitive lookup of request headers (``""`` when absent).
        remote_ip: the client's address.
        native: the framework's own request (``pywebio_nb.session.info.request``).
        read_body: reads at most ``limit + 1`` bytes of the body (POSTs only).
        can_hold: the server has other threads for other requests meanwhile (WSGI's
            ``wsgi.multithread``): a poll may wait for the session's next message.
    """

    method: str
    path: str
    query: Mapping[str, str]
    headers: Callable[[str], str]
    remote_ip: str = ""
    native: Any = None
    read_body: Callable[[int], bytes] = field(default=lambda _limit: b"")
    can_hold: bool = True


@dataclass
class Reply:
    """An HTTP answer for the framework to send."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class SocketIO(Protocol):
    """One accepted WebSocket, as the framework offers it (all on its event loop)."""

    async def send(self, message: str | bytes) -> None:
        """Send a text (``str``) or binary (``bytes``) frame."""

    async def close(self, code: int, reason: str) -> None:
        """Close the socket."""

    async def receive(self) -> str | bytes | None:
        """The next frame; ``None`` once the socket closed."""


class PollChannel:
    """A polling page's connection: the session's messages, kept until the page has them.

    The ``Connection`` of ``_hosts/app/framing.py``: ``send`` and ``close`` from any thread.
    """

    def __init__(self, max_pending: int) -> None:
        self.id = ""
        #: The adapter's app session for this page.
        self.session: Any = None
        self.on_cut_off: Callable[[], None] | None = None
        self.max_pending = max_pending
        #: Events taken from the page (the next ``send`` starts at this index).
        self.received = 0
        self.refused = False
        self._ready = threading.Condition(threading.Lock())
        self._messages: collections.deque[str | bytes | tuple[int, str]] = collections.deque()
        self._first = 0  # the index of _messages[0]
        self._pending = 0
        self._closed = False
        self._waiting = 0
        self._seen = time.monotonic()

    @classmethod
    def ended(cls, first: int) -> PollChannel:
        """The answer to a page whose session is gone (its next message is ``first``)."""
        channel = cls(0)
        channel._first = first
        channel.close(4410, "the session has ended")
        return channel

    def send(self, message: str | bytes) -> None:
        """Queue a message for the page's next poll."""
        cut_off = False
        with self._ready:
            if self._closed:
                return
            self._pending += len(message)
            if self._pending > self.max_pending:
                self._messages.append((1013, "the page does not keep up with the app's output"))
                self._closed = cut_off = True
            else:
                self._messages.append(message)
            self._ready.notify_all()
        if cut_off and self.on_cut_off is not None:
            threading.Thread(target=self.on_cut_off, daemon=True).start()

    def close(self, code: int, reason: str) -> None:
        """The session ended: the page learns it after the messages before."""
        with self._ready:
            if self._closed:
                return
            self._closed = True
            self._messages.append((code, reason))
            self._ready.notify_all()

    def touch(self) -> None:
        """The page sent a request."""
        with self._ready:
            self._seen = time.monotonic()

    def idle_since(self, now: float) -> float:
        """Seconds since the page last sent anything (0 while a poll waits)."""
        with self._ready:
            return 0.0 if self._waiting else now - self._seen

    def take(self, ack: int, wait: float) -> tuple[int, list[str | bytes | tuple[int, str]]]:
        """Forget the first ``ack`` messages; wait up to ``wait`` s for more, return them."""
        with self._ready:
            while self._first < ack and self._messages:
                dropped = self._messages.popleft()
                self._first += 1
                if not isinstance(dropped, tuple):
                    self._pending -= len(dropped)
            self._waiting += 1
            try:
                self._ready.wait_for(lambda: bool(self._messages), wait)
            finally:
                self._waiting -= 1
                self._seen = time.monotonic()
            return self._first, list(self._messages)

    def drained(self, count: int) -> bool:
        """Whether the close is among the first ``count`` messages (the channel may go)."""
        with self._ready:
            return self._closed and count >= self._first + len(self._messages)


class QueueConnection:
    """A WebSocket session's outgoing side: ``send`` from any thread, written on the loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, max_pending: int) -> None:
        self.loop = loop
        self.max_pending = max_pending
        self.on_cut_off: Callable[[], None] | None = None
        #: A close was queued (by the session or the adapter): nothing more goes out.
        self.closing = False
        #: The socket failed under a write: nothing more goes out (a reconnect may follow).
        self.broken = False
        self._lock = threading.Lock()
        self._queue: collections.deque[str | bytes | tuple[int, str]] = collections.deque()
        self._pending = 0
        self._wakeup = asyncio.Event()

    def send(self, message: str | bytes) -> None:
        """Queue a frame."""
        cut_off = False
        with self._lock:
            if self.closing or self.broken:
                return
            self._pending += len(message)
            if self._pending > self.max_pending:
                self.closing = cut_off = True
                self._queue.append((1013, "the page does not keep up with the app's output"))
            else:
                self._queue.append(message)
        self._wake()
        if cut_off and self.on_cut_off is not None:
            self.loop.call_soon_threadsafe(self.on_cut_off)

    def close(self, code: int, reason: str) -> None:
        """Close the socket after what was queued."""
        with self._lock:
            if self.closing:
                return
            self.closing = True
            self._queue.append((code, reason))
        self._wake()

    def _wake(self) -> None:
        if _running_loop() is self.loop:
            self._wakeup.set()
        else:
            with contextlib.suppress(RuntimeError):  # the loop is gone
                self.loop.call_soon_threadsafe(self._wakeup.set)

    async def pump(self, io: SocketIO) -> None:
        """Write what is queued, in order, until the close (on the loop)."""
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while True:
                with self._lock:
                    if not self._queue:
                        break
                    item = self._queue.popleft()
                    if not isinstance(item, tuple):
                        self._pending -= len(item)
                try:
                    if isinstance(item, tuple):
                        await io.close(*item)
                        return
                    await io.send(item)
                except Exception:  # the socket is gone: so is everything after
                    with self._lock:
                        self.broken = True
                        self._queue.clear()
                    return


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


_loop_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None


def shared_loop() -> asyncio.AbstractEventLoop:
    """The event loop of WSGI hosts' sessions: a daemon thread of its own, started once.

    Thread apps use it for their bookkeeping; coroutine apps run on it (so under Flask and
    Django they need no ``run_event_loop()`` thread of the user's).

    Example:
        >>> shared_loop() is shared_loop()
        True
    """
    global _loop
    with _loop_lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(
                target=loop.run_forever, name="pywebio_nb-wsgi-loop", daemon=True
            ).start()
            _loop = loop
        return _loop
