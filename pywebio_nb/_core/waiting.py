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
import time
import weakref
from collections import deque
from collections.abc import Callable
from types import CodeType, FrameType
from typing import Any

from ..exceptions import SessionClosedException
from .context import find_session

__all__ = ["Mailbox", "WaitingMixin", "awaited_by_caller"]


class Mailbox:
    """A thread-safe queue of browser events for one waiter: the one answer mailbox.

    Forms and pins (``input`` events routed to a node's sink), answers to page questions
    (``eval_js``: :meth:`~pywebio_nb._core.session.Session.expect_answer`) and plain waits
    until the session ends (``hold``) all wait on a mailbox, in every host. A session closes
    its mailboxes when it ends: waiters then raise ``SessionClosedException``.

    Waiting is the session's business (:meth:`WaitingMixin.serve`: the notebook pumps the
    kernel's shell, a thread app waits on :attr:`condition`, a coroutine on :meth:`future`).

    Example:
        >>> from pywebio_nb._hosts.fake import FakeSession
        >>> box = Mailbox(FakeSession())
        >>> box.put({"event": "submit"})
        >>> box.ready(), box.take()
        (True, {'event': 'submit'})
    """

    def __init__(self, session: WaitingMixin | None = None) -> None:
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
        if self.session is not None:
            self.session.wake()

    def close(self, error: BaseException | None = None) -> None:
        """Make every waiter raise ``error`` (default ``SessionClosedException``)."""
        if error is None:
            error = SessionClosedException("the page was closed")
        with self.condition:
            self.closed = error
            self.condition.notify_all()
            futures, self._futures = self._futures, []
        self._resolve(futures)
        if self.session is not None:
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
            if _on_loop(loop):
                set_done(future)
                continue
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
                loop.call_soon_threadsafe(set_done, future)


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


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
    __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
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
    try:
        session = find_session()
    except Exception:
        return False
    return not session.blocking_allowed()


class WaitingMixin:
    """The waiting half of :class:`~pywebio_nb._core.session.Session`: event sinks and waits.

    Hosts override :meth:`block_until` / :meth:`block_until_async` (how to wait) and
    :meth:`wake` (what to do when an event arrives); everything else is host independent.
    """

    event_sinks: dict[int, Callable[[dict[str, Any], list[Any]], None]]
    _mailboxes: weakref.WeakSet[Mailbox]

    def flush(self) -> None:
        """Send queued output (provided by the session)."""
        raise NotImplementedError

    def log_exception(self, message: str) -> None:
        """Record an internal error (provided by the session)."""
        raise NotImplementedError

    def new_mailbox(self) -> Mailbox:
        """A mailbox to receive events in; closed with the session."""
        mailbox = Mailbox(self)
        self._mailboxes.add(mailbox)
        return mailbox

    def add_event_sink(
        self, node_id: int, sink: Callable[[dict[str, Any], list[Any]], None]
    ) -> None:
        """Route ``{"kind": "input", "id": node_id}`` events to ``sink(content, buffers)``.

        The sink runs on whatever thread handles the transport, so it must be thread-safe
        (``Mailbox.put`` is).
        """
        self.event_sinks[node_id] = sink

    def remove_event_sink(self, node_id: int) -> None:
        """Stop routing events for a node (events for it are then ignored)."""
        self.event_sinks.pop(node_id, None)

    def dispatch_input(self, content: dict[str, Any], buffers: list[Any]) -> None:
        """Hand an ``input`` event from a view to the sink of its node (hosts call this)."""
        node_id = content.get("id")
        sink = self.event_sinks.get(node_id) if isinstance(node_id, int) else None
        if sink is None:
            return  # a stale page: the form was answered or the cell re-run
        try:
            sink(content, buffers)
        except Exception:
            self.log_exception("handling an input event failed")

    def serve(
        self,
        mailbox: Mailbox,
        handler: Callable[[Any], bool],
        timeout: float | None = None,
    ) -> bool:
        """Block, calling ``handler(event)`` for each event of ``mailbox``, until it returns True.

        One wait lasts for the whole exchange (a form's blur, change, chunk and submit events),
        so the host never stops listening between two events. Handlers run on the waiting
        thread, in its context; queued output is sent first and after each event.

        Returns:
            True when ``handler`` returned True, False when ``timeout`` seconds passed first.

        Raises:
            SessionClosedException: the session ended while waiting.
            KeyboardInterrupt: the notebook kernel was interrupted.
            Exception: whatever ``handler`` raised.

        Example:
            >>> box = session.new_mailbox()  # doctest: +SKIP
            >>> session.add_event_sink(node.id, lambda c, buffers: box.put(c))  # doctest: +SKIP
            >>> session.serve(box, lambda event: event.get("event") == "submit")  # doctest: +SKIP
            True
        """
        __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
        self.flush()
        return self.block_until(self._pump_mailbox(mailbox, handler), mailbox, timeout)

    async def serve_async(
        self,
        mailbox: Mailbox,
        handler: Callable[[Any], bool],
        timeout: float | None = None,
    ) -> bool:
        """The awaitable form of :meth:`serve`."""
        __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
        self.flush()
        return await self.block_until_async(self._pump_mailbox(mailbox, handler), mailbox, timeout)

    def wait_for_event(self, mailbox: Mailbox, timeout: float | None = None) -> Any:
        """Block until one event arrives in ``mailbox`` and return it (``None`` on timeout)."""
        __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
        found: list[Any] = []
        self.serve(mailbox, _keep_first(found), timeout)
        return found[0] if found else None

    async def wait_for_event_async(self, mailbox: Mailbox, timeout: float | None = None) -> Any:
        """The awaitable form of :meth:`wait_for_event`."""
        __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
        found: list[Any] = []
        await self.serve_async(mailbox, _keep_first(found), timeout)
        return found[0] if found else None

    def _pump_mailbox(self, mailbox: Mailbox, handler: Callable[[Any], bool]) -> Callable[[], bool]:
        """A predicate that hands every waiting event to ``handler``; True once it is done."""

        def ready() -> bool:
            while True:
                event = mailbox.take()
                if event is None:
                    return False
                if handler(event):
                    return True
                self.flush()

        return ready

    def blocking_allowed(self) -> bool:
        """Whether a non-awaited ``input()`` may block the calling thread (not on an app loop)."""
        return True

    def block_until(
        self, ready: Callable[[], bool], mailbox: Mailbox, timeout: float | None
    ) -> bool:
        """Host hook: call ``ready()`` whenever ``mailbox`` gets an event, until it is True.

        Returns False when ``timeout`` passes first. This default waits on the mailbox's
        condition (a thread per visitor); the notebook pumps the kernel's shell instead.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while not ready():
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            with mailbox.condition:
                mailbox.condition.wait_for(mailbox.ready, remaining)
        return True

    async def block_until_async(
        self, ready: Callable[[], bool], mailbox: Mailbox, timeout: float | None
    ) -> bool:
        """Host hook: the awaitable form of :meth:`block_until`.

        Awaits in the caller's own task (no ``asyncio.wait_for``), so exceptions raised here
        reach the caller's code directly.
        """
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not ready():
            if deadline is not None and loop.time() >= deadline:
                return False
            future = mailbox.future()
            timer = None if deadline is None else loop.call_at(deadline, set_done, future)
            try:
                await future
            finally:
                if timer is not None:
                    timer.cancel()
        return True

    def wake(self) -> None:
        """Host hook: a mailbox got an event (the notebook wakes its shell pump)."""

    def cancel_waits(self, error: BaseException | None = None) -> None:
        """Make every pending wait raise (default ``SessionClosedException``): the session ended."""
        if error is None:
            error = SessionClosedException("the session ended while waiting for input")
        for mailbox in list(self._mailboxes):
            mailbox.close(error)


def _keep_first(found: list[Any]) -> Callable[[Any], bool]:
    def keep(event: Any) -> bool:
        found.append(event)
        return True

    return keep
