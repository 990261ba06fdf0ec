"""Events from the views: the one dispatcher, answers to page questions, and callbacks.

Every host hands what a view sent to :meth:`EventsMixin.handle_event` (the notebook widget's
custom messages, a standalone page's WebSocket frames once unframed), so one set of rules
decides what an event may do, whatever the transport:

* ``callback`` — ``cb`` must be the int id of a callback registered in this session;
* ``input`` — goes to the event sink of node ``id`` (forms and pins), if one is registered;
* ``rows`` — a datatable view asks for a window of rows;
* ``sync`` — a view that fell behind (or probes after loading) gets a snapshot;
* ``asset`` — a part of the frontend loaded on demand (hosts that have such parts);
* any other kind with an int ``id`` — the answer to a question this session asked the page
  (``eval_js``: ``js_result``), put into the mailbox :meth:`EventsMixin.expect_answer` opened.

Anything else is refused through the host's ``complain`` (a standalone page logs it, bounded,
and tells the page; a notebook ignores stale events of re-run cells).

Callbacks may be ``async def``: the coroutine they return is run to completion by the host
(:meth:`EventsMixin.await_callback`): a task of a coroutine app, a thread with its own event
loop elsewhere.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import itertools
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

from .protocol import AssetEvent, CallbackEvent, RowsEvent, SyncEvent

if TYPE_CHECKING:
    from .document import Root
    from .waiting import Mailbox

__all__ = ["EventsMixin"]


class EventsMixin:
    """The event half of :class:`~pywebio_nb._core.session.Session`."""

    callbacks: dict[int, tuple[Callable[[Any], Any], Root | None]]
    _answers: dict[tuple[str, int], Mailbox]
    _answer_ids: itertools.count[int]

    if TYPE_CHECKING:  # provided by the session and its host

        def flush(self) -> None:
            raise NotImplementedError

        def snapshot(self, root: Root) -> str:
            raise NotImplementedError

        def new_mailbox(self) -> Mailbox:
            raise NotImplementedError

        def log_exception(self, message: str) -> None:
            raise NotImplementedError

        def complain(self, text: str) -> None:
            raise NotImplementedError

        def dispatch_input(self, content: dict[str, Any], buffers: list[Any]) -> None:
            raise NotImplementedError

        def answer_rows(self, root: Root, event: RowsEvent) -> None:
            raise NotImplementedError

    # -- the dispatcher -----------------------------------------------------------------------

    def handle_event(self, root: Root, event: Any, buffers: list[Any]) -> None:
        """Act on one event from a view of ``root`` (hosts call this on their transport thread).

        Example:
            >>> from pywebio_nb._hosts.fake import FakeSession
            >>> session = FakeSession()
            >>> session.handle_event(session.root, {"kind": "callback", "cb": 99}, [])
        """
        if not isinstance(event, dict) or not isinstance(event.get("kind"), str):
            self.complain("a message from the page is not an event object")
            return
        kind = event["kind"]
        # The event is only known to be an object with a kind: each reader checks its fields.
        if kind == "callback":
            self._on_callback(root, cast(CallbackEvent, event))
        elif kind == "input":
            self.dispatch_input(event, buffers)  # an InputEvent, read by the node's sink
        elif kind == "rows":
            self.answer_rows(root, cast(RowsEvent, event))
        elif kind == "sync":
            self.resync(root, cast(SyncEvent, event))
        elif kind == "asset":
            self.send_asset(root, cast(AssetEvent, event))
        else:
            wait_id = event.get("id")
            box = self._answers.get((kind, wait_id)) if type(wait_id) is int else None
            if box is None:
                self.complain(f"unexpected {kind!r} event (id {wait_id!r})")
                return
            box.put(event)

    def _on_callback(self, root: Root, event: CallbackEvent) -> None:
        callback_id = event.get("cb")
        entry = self.callbacks.get(callback_id) if type(callback_id) is int else None
        if entry is None:
            self.complain(f"unknown callback id {callback_id!r}")  # or a re-run cell's
            return
        self.schedule_callback(root, entry[0], event.get("value"))

    def resync(self, root: Root, event: SyncEvent) -> None:
        """Answer a view's ``sync``: a snapshot, only when the view is behind."""
        seen = event.get("seq")
        self.flush()
        if type(seen) is not int or seen < root.seq:
            self.send_snapshot(root, self.snapshot(root))

    def send_snapshot(self, root: Root, snapshot: str) -> None:
        """Host hook: send ``snapshot`` (JSON) to the views of ``root``."""

    def send_asset(self, root: Root, event: AssetEvent) -> None:
        """Host hook: a view asks for a part of the frontend loaded on demand."""
        self.complain(f"unexpected 'asset' event (name {event.get('name')!r})")

    # -- questions to the page ------------------------------------------------------------------

    def expect_answer(self, kind: str) -> tuple[int, Mailbox]:
        """Open a mailbox for the page's answer ``{"kind": kind, "id": <the id>, ...}``.

        The mailbox closes with the session; call :meth:`forget_answer` once answered.

        Example:
            >>> from pywebio_nb._hosts.fake import FakeSession
            >>> session = FakeSession()
            >>> wait_id, box = session.expect_answer("js_result")
            >>> session.handle_event(session.root, {"kind": "js_result", "id": wait_id}, [])
            >>> box.take()["id"] == wait_id
            True
        """
        box = self.new_mailbox()
        wait_id = next(self._answer_ids)
        self._answers[(kind, wait_id)] = box
        return wait_id, box

    def forget_answer(self, kind: str, wait_id: int) -> None:
        """Stop accepting answers for a finished question."""
        self._answers.pop((kind, wait_id), None)

    # -- callbacks ------------------------------------------------------------------------------

    def schedule_callback(self, root: Root, callback: Callable[[Any], Any], value: Any) -> None:
        """Host hook: run the callback of an event (by default at once, on this thread)."""
        self.run_callback(root, callback, value)

    def run_callback(self, root: Root, callback: Callable[[Any], Any], value: Any) -> None:
        """Run ``callback(value)`` for an event from a view of ``root``; await what it returns.

        Errors go to :meth:`callback_failed`; queued output is sent afterwards.
        """
        try:
            result = callback(value)
            if inspect.isawaitable(result):
                self.await_callback(root, result)
        except Exception as error:
            self.callback_failed(root, error)
        finally:
            self.flush()

    def await_callback(self, root: Root, awaitable: Awaitable[Any]) -> None:
        """Host hook: run an ``async def`` callback's coroutine to completion.

        By default: at once on this thread when no event loop runs here, else in a thread of
        its own with its own event loop (in the running context).
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(_awaited(awaitable))
            return
        self.await_in_thread(root, awaitable)

    def await_in_thread(self, root: Root, awaitable: Awaitable[Any]) -> None:
        """Run a callback's coroutine in a thread with its own event loop (in this context)."""
        context = contextvars.copy_context()
        threading.Thread(
            target=context.run,
            args=(self._run_awaitable, root, awaitable),
            name="pywebio_nb-async-callback",
            daemon=True,
        ).start()

    def _run_awaitable(self, root: Root, awaitable: Awaitable[Any]) -> None:
        try:
            asyncio.run(_awaited(awaitable))
        except Exception as error:
            self.callback_failed(root, error)
        finally:
            self.flush()

    def callback_failed(self, root: Root, error: Exception) -> None:
        """Host hook: a callback raised (the notebook shows it in the cell, an app logs it)."""
        self.log_exception("a callback raised")


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    return await awaitable
