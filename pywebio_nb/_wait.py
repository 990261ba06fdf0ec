"""Waiting for the browser: mailboxes, and whether a call is awaited or blocks.

Code that asks the browser something (``input()``, ``pin_wait_change``) opens a :class:`Mailbox`
and registers it as the *event sink* of a node (the form, the pin). Events for that node are put
into the mailbox by whatever thread handles the transport (the kernel's comm handler, a WebSocket
handler). The waiting code hands them to its handler with :meth:`Session.serve` (blocking) or
:meth:`Session.serve_async` (awaitable), so every piece of form logic (validation, ``onchange``
callbacks, file reassembly) runs in the waiting code's own thread and context, and one wait
lasts for the whole exchange.

How the wait itself is done is the host's business (:meth:`Session.block_until`): the notebook
pumps the kernel's shell on the main thread; a thread-per-visitor app waits on a condition.
"""

from __future__ import annotations

import asyncio
import contextlib
import dis
import sys
import threading
from collections import deque
from collections.abc import Callable
from types import CodeType, FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._session import Session

__all__ = ["Mailbox", "awaited_by_caller"]


class Mailbox:
    """A thread-safe queue of browser events for one waiter.

    Example:
        >>> from pywebio_nb._fake import FakeSession
        >>> box = Mailbox(FakeSession())
        >>> box.put({"event": "submit"})
        >>> box.ready(), box.take()
        (True, {'event': 'submit'})
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.condition = threading.Condition()
        self._items: deque[Any] = deque()
        self._futures: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        #: Set by :meth:`close`: the exception waiters raise instead of getting an event.
        self.closed: BaseException | None = None

    def put(self, item: Any) -> None:
        """Deliver an event; safe from any thread."""
        with self.condition:
            self._items.append(item)
            self.condition.notify_all()
            futures, self._futures = self._futures, []
        self._resolve(futures)
        self.session.wake()

    def close(self, error: BaseException) -> None:
        """Make every waiter raise ``error`` (the session ended)."""
        with self.condition:
            self.closed = error
            self.condition.notify_all()
            futures, self._futures = self._futures, []
        self._resolve(futures)
        self.session.wake()

    def ready(self) -> bool:
        """True when an event is waiting or the mailbox was closed."""
        return bool(self._items) or self.closed is not None

    def take(self) -> Any:
        """The oldest event, or ``None``; raises the close reason of a closed mailbox."""
        with self.condition:
            if self._items:
                return self._items.popleft()
            if self.closed is not None:
                raise self.closed
            return None

    def future(self) -> asyncio.Future[None]:
        """A future of the running loop, resolved as soon as the mailbox is ready."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self.condition:
            if self.ready():
                future.set_result(None)
            else:
                self._futures.append((loop, future))
        return future

    @staticmethod
    def _resolve(futures: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]]) -> None:
        for loop, future in futures:
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
                loop.call_soon_threadsafe(set_done, future)


def set_done(future: asyncio.Future[None]) -> None:
    """Resolve ``future`` unless it is done (callable from the future's loop)."""
    if not future.done():
        future.set_result(None)


# -- is the call awaited? ----------------------------------------------------------------------

_CO_ASYNC = 0x80 | 0x100 | 0x200  # CO_COROUTINE | CO_ITERABLE_COROUTINE | CO_ASYNC_GENERATOR
_awaited_at: dict[tuple[CodeType, int], bool] = {}


def _next_is_await(code: CodeType, offset: int) -> bool:
    key = (code, offset)
    found = _awaited_at.get(key)
    if found is None:
        found = False
        # f_lasti is the running CALL, or (3.11) one of its inline cache entries: the next
        # instruction after it is what the caller does with the result.
        for instruction in dis.get_instructions(code):
            if instruction.offset > offset:
                found = instruction.opname == "GET_AWAITABLE"
                break
        if len(_awaited_at) > 4096:
            _awaited_at.clear()
        _awaited_at[key] = found
    return found


def awaited_by_caller(frame: FrameType | None) -> bool | None:
    """Whether the call running in ``frame``'s code is directly awaited.

    Returns True for ``await f()``, None when the caller is async code that did not await the
    call (PyWebIO's coroutine sessions return a coroutine there), False otherwise.

    Example:
        >>> import sys
        >>> awaited_by_caller(sys._getframe())
        False
    """
    if frame is None:
        return False
    code = frame.f_code
    if _next_is_await(code, frame.f_lasti):
        return True
    if code.co_flags & _CO_ASYNC:
        return None
    return False


def caller_frame(depth: int) -> FrameType | None:
    """The frame ``depth`` levels above the caller of this function."""
    try:
        return sys._getframe(depth + 1)
    except ValueError:
        return None


def run_blocking_or_awaitable(
    sync: Callable[[], Any], make_coroutine: Callable[[], Any], frame: FrameType | None
) -> Any:
    """Run ``sync()`` now, or return ``make_coroutine()`` when the call is being awaited."""
    awaited = awaited_by_caller(frame)
    if awaited:
        return make_coroutine()
    if awaited is None and _must_not_block():
        return make_coroutine()
    return sync()


def _must_not_block() -> bool:
    """True where blocking would freeze other work (a coroutine app's event loop).

    A notebook cell also runs inside an event loop, but there the host blocks safely (the kernel
    is pumped), so the notebook session's ``blocking_allowed()`` is true.
    """
    from ._session import current_session

    try:
        session = current_session()
    except Exception:
        return False
    return not session.blocking_allowed()
