"""Standalone app sessions: one visitor's page, served over a WebSocket.

An :class:`AppSession` owns one root (the page) and talks to the browser through a
:class:`Connection`. Two kinds run the app, as in PyWebIO:

``ThreadSession`` and ``CoroutineSession`` (in ``kinds.py``): a plain function runs in its
own thread, an ``async def`` app as a task on the server's event loop.

Answers from the browser to a page command (``eval_js``) go through an :class:`AnswerBox`:
``session.expect_answer(kind)`` returns ``(id, box)``; the page answers with an event
``{"kind": kind, "id": id, ...}`` which the session puts into that box. ``box.get()`` blocks
(thread apps), ``await box.get_async()`` waits (coroutine apps). Form and pin events
(``{"kind": "input"}``) go to the event sinks of the Session base (``dispatch_input``), and a
closing page cancels those waits too (``cancel_waits``), once forms are merged.

Wire framing (see ``framing.py`` and ``pywebio_nb._core.protocol``): control messages are JSON
text frames; batches and downloads are binary frames, and so are the page's events that carry
bytes (upload chunks: the header is the event, the payload its one buffer).
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import json
import logging
import secrets
import threading
from collections.abc import Callable
from typing import Any

from ..._core.context import session_var as _session_var
from ..._core.document import Root
from ..._core.protocol import PROTOCOL_VERSION
from ..._core.session import Session
from ..._core.tracebacks import user_traceback
from ...exceptions import SessionClosedException, SessionException
from .framing import Connection, ProtocolError, frame, split_frame

__all__ = ["AnswerBox", "AppSession", "LocalData"]

log = logging.getLogger("pywebio_nb")
_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str).encode


class LocalData:
    """Per-session attributes (``pywebio_nb.session.local``); missing names read as ``None``."""

    def __init__(self) -> None:
        object.__setattr__(self, "_dict", {})

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._dict.get(name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._dict[name] = value

    def __delattr__(self, name: str) -> None:
        self._dict.pop(name, None)


class AnswerBox:
    """Events from the browser for one waiting call, in arrival order."""

    def __init__(self) -> None:
        self._events: collections.deque[dict[str, Any]] = collections.deque()
        self._ready = threading.Condition(threading.Lock())
        self._future: asyncio.Future[None] | None = None
        self.closed = False

    def put(self, event: dict[str, Any]) -> None:
        """Add an event (called on the event loop)."""
        with self._ready:
            self._events.append(event)
            self._ready.notify_all()
        self._wake()

    def close(self) -> None:
        """The session ended: waiting callers raise ``SessionClosedException``."""
        with self._ready:
            self.closed = True
            self._ready.notify_all()
        self._wake()

    def _wake(self) -> None:
        future = self._future
        if future is not None and not future.done():
            loop = future.get_loop()
            if _on_loop(loop):
                future.set_result(None)
            else:
                loop.call_soon_threadsafe(_resolve, future)

    def get(self, timeout: float | None = None) -> dict[str, Any]:
        """Block until an event arrives.

        Raises:
            SessionClosedException: the page closed.
            TimeoutError: nothing arrived within ``timeout`` seconds.
        """
        with self._ready:
            if not self._ready.wait_for(lambda: self._events or self.closed, timeout):
                raise TimeoutError("no answer from the browser")
            if self._events:
                return self._events.popleft()
        raise SessionClosedException("the page was closed")

    async def get_async(self) -> dict[str, Any]:
        """Wait on the running event loop until an event arrives."""
        while True:
            with self._ready:
                if self._events:
                    return self._events.popleft()
                if self.closed:
                    raise SessionClosedException("the page was closed")
                self._future = asyncio.get_running_loop().create_future()
            try:
                await self._future
            finally:
                self._future = None


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class AppSession(Session):
    """One visitor's page: one root, a connection, and the session API's state."""

    kind = "app"
    #: ``True`` for sessions whose blocking calls must be awaited.
    is_coroutine = False

    def __init__(
        self,
        app: Callable[[], Any],
        *,
        loop: asyncio.AbstractEventLoop,
        info: Any = None,
        debug: bool = False,
        on_end: Callable[[AppSession], None] | None = None,
    ) -> None:
        super().__init__()
        self.id = secrets.token_urlsafe(18)
        self.app = app
        self.loop = loop
        self.info = info
        self.debug = debug
        self.local = LocalData()
        self.root = self.new_root(key=self.id)
        self._on_end = on_end
        self._connection: Connection | None = None
        self._deferred: list[Callable[[], Any]] = []
        self._answer_boxes: dict[tuple[str, int], AnswerBox] = {}
        self._answer_ids = itertools.count(1)
        self._closed_event = threading.Event()
        self.main_done = False
        self.env: dict[str, Any] = {}
        #: A new page waits for hello and its snapshot until the app's first flush (open_page).
        self._greeting = False

    # -- Session hooks ------------------------------------------------------------------------

    def task_root(self) -> Root:
        """The page's only root."""
        return self.root

    def deliver(self, root: Root, seq: int, payload: bytes) -> None:
        """Send a batch as one binary frame."""
        connection = self._connection
        if connection is not None:
            connection.send(frame({"kind": "batch", "v": PROTOCOL_VERSION, "seq": seq}, payload))

    def _mark_dirty(self, root: Root) -> None:
        if self.closed and self._is_own_task():
            raise SessionClosedException("the page was closed")
        super()._mark_dirty(root)

    def _is_own_task(self) -> bool:
        return _session_var.get() is self

    # -- connection ---------------------------------------------------------------------------

    def attach(self, connection: Connection) -> None:
        """Start sending to ``connection``: first the snapshot, then new batches."""
        with self._send_lock:
            self._connection = connection
            self._greeting = False
            self._greet(connection)

    def open_page(self, connection: Connection) -> None:
        """Attach the first page of a new session and start its app.

        hello and the snapshot wait for the app's first flush (its first output, at most the
        flusher's wait after the start, or a blocking call), and the snapshot then carries that
        output: the page gets its first screen in one go instead of an empty snapshot and a
        batch a moment later.
        """
        with self._send_lock:
            self._connection = connection
            self._greeting = True
        self.start()
        with self.lock:
            self._mark_dirty(self.root)  # greet even if the app shows nothing for a while

    def _greet(self, connection: Connection) -> None:
        """Send hello and the snapshot (what is queued is folded in); under ``_send_lock``."""
        with self.lock:
            self._take_batches()
            snapshot = _encode(
                {
                    "kind": "snapshot",
                    "v": PROTOCOL_VERSION,
                    "seq": self.root.seq,
                    "root": self.root.scope.spec,
                }
            )
        connection.send(_encode({"kind": "hello", "session": self.id, "env": self.env}))
        connection.send(snapshot)

    def flush(self) -> None:
        """Send what is queued; a new page's first flush greets it instead (see open_page)."""
        if self._greeting:
            with self._send_lock:
                connection = self._connection
                if self._greeting and connection is not None:
                    self._greeting = False
                    self._greet(connection)
                    return
        super().flush()

    def detach(self) -> None:
        """Forget the connection (it dropped); output is kept for a reconnect's snapshot."""
        with self._send_lock:
            self._connection = None

    @property
    def connected(self) -> bool:
        """Whether a browser is attached."""
        return self._connection is not None

    def send_control(self, message: dict[str, Any], payload: bytes | None = None) -> None:
        """Send a page command (``run_js``, ``download``...) after the output queued before it."""
        if self.closed:
            if self._is_own_task():
                raise SessionClosedException("the page was closed")
            return
        self.flush()
        with self._send_lock:
            connection = self._connection
            if connection is not None:
                connection.send(_encode(message) if payload is None else frame(message, payload))

    # -- events from the browser --------------------------------------------------------------

    def receive(self, message: str | bytes) -> None:
        """Handle one frame from the browser (called on the event loop).

        A text frame is a JSON event; a binary frame is an event with one buffer (see
        :func:`split_frame`).

        Raises:
            ProtocolError: the frame is not a JSON event object, or is a malformed binary frame.
        """
        buffers: list[memoryview] = []
        if isinstance(message, bytes):
            event, payload = split_frame(message)
            buffers.append(payload)
        else:
            try:
                event = json.loads(message)
            except (ValueError, RecursionError):  # also: nested too deep, too long a number
                raise ProtocolError("a message from the page is not JSON") from None
        if not isinstance(event, dict) or not isinstance(event.get("kind"), str):
            raise ProtocolError("a message from the page is not an event object")
        kind = event["kind"]
        if kind == "callback":
            callback_id = event.get("cb")
            entry = self.callbacks.get(callback_id) if type(callback_id) is int else None
            if entry is None:
                self._complain(f"unknown callback id {callback_id!r}")
                return
            self.schedule_callback(entry[0], event.get("value"))
        elif kind == "input":
            # Forms and pins (Session.dispatch_input, from the forms branch) when present.
            dispatch = getattr(self, "dispatch_input", None)
            if dispatch is None:
                self._complain("this server does not handle forms")
            else:
                dispatch(event, buffers)
        elif kind == "rows":
            self.answer_rows(self.root, event)  # a datatable's row window
        elif kind == "sync":
            snapshot = self.snapshot(self.root)
            connection = self._connection
            if connection is not None:
                connection.send(snapshot)
        else:
            wait_id = event.get("id")
            box = self._answer_boxes.get((kind, wait_id)) if type(wait_id) is int else None
            if box is None:
                self._complain(f"unexpected {kind!r} event (id {wait_id!r})")
                return
            box.put(event)

    def _complain(self, text: str) -> None:
        # A page may send bad events as fast as it likes: past the session's log limit,
        # neither a log line nor a reply.
        if not self.log_limit.warning("pywebio_nb session %s: %s", self.id[:6], text):
            return
        connection = self._connection
        if connection is not None:
            connection.send(_encode({"kind": "error", "message": text}))

    def expect_answer(self, kind: str) -> tuple[int, AnswerBox]:
        """Register a mailbox for browser events ``{"kind": kind, "id": <the id>}``."""
        box = AnswerBox()
        if self.closed:
            box.close()
        wait_id = next(self._answer_ids)
        self._answer_boxes[(kind, wait_id)] = box
        return wait_id, box

    def forget_answer(self, kind: str, wait_id: int) -> None:
        """Stop accepting events for a finished wait."""
        self._answer_boxes.pop((kind, wait_id), None)

    # -- running ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the app (after :meth:`attach`)."""
        raise NotImplementedError

    def schedule_callback(self, callback: Callable[[Any], Any], value: Any) -> None:
        """Run a callback the browser asked for."""
        raise NotImplementedError

    def report_error(self, error: BaseException) -> None:
        """Show an app error to the visitor (traceback only in debug mode) and log it."""
        self.log_limit.error("error in a pywebio_nb app", exc_info=error)
        if self.closed:
            return
        spec: dict[str, Any] = {"type": "error", "title": f"{type(error).__name__}: {error}"}
        if self.debug:
            spec["traceback"] = user_traceback(error)
        else:
            spec["title"] = "An internal error occurred in the application"
        try:
            out = self.make(spec)
            with self.lock:
                self._insert(out, self.root.scope, -1)
            self.flush()
        except SessionException:
            pass

    def keep_alive(self) -> bool:
        """Whether the page stays open after ``main()`` returned (it registered callbacks)."""
        return bool(self.callbacks)

    def finish_main(self) -> None:
        """``main()`` returned: end the session unless something still needs the page."""
        self.main_done = True
        try:
            self.flush()
        except SessionException:
            return
        if not self.keep_alive():
            self.end("the app finished")

    def end(self, reason: str) -> None:
        """The app is done: tell the page and close the connection, then clean up."""
        with self._send_lock:
            connection = self._connection
            self._connection = None
            if connection is not None and self._greeting:
                self._greeting = False
                self._greet(connection)
        if connection is not None:
            connection.send(_encode({"kind": "ended", "reason": reason}))
            connection.close(1000, reason)
        self.close()

    def close(self) -> None:
        """The page went away: wake waiters, stop tasks, run ``defer_call`` functions once."""
        with self.lock:
            if self.closed:
                return
            self.closed = True
            boxes = list(self._answer_boxes.values())
            self._answer_boxes.clear()
        self._connection = None
        self._closed_event.set()
        for box in boxes:
            box.close()
        cancel_waits = getattr(self, "cancel_waits", None)  # the forms branch's waits
        if cancel_waits is not None:
            cancel_waits()
        self.stop_tasks()
        self._release()
        self.log_limit.flush_left_out()
        if self._on_end is not None:
            self._on_end(self)

    def _release(self) -> None:
        """Let go of what only the page needed: the document, queues, callbacks, sinks.

        A closed session may stay referenced for a while (its thread finishing, a deferred
        call, a reference cycle until the next collection); its document, which may be most
        of the memory a session ever used, goes now.
        """
        with self.lock:
            scope = self.root.scope
            for child in scope.children or ():
                child.parent = None
            if scope.children is not None:
                scope.children.clear()
            scope.spec["children"].clear()
            self.root.pending = []
            self._dirty.clear()
            self.scopes.clear()
            self.callbacks.clear()
            self.row_sources.clear()
            self.event_sinks.clear()
        self.drop_state()

    def stop_tasks(self) -> None:
        """Stop the session's threads or tasks and run the deferred functions."""
        raise NotImplementedError

    def run_deferred(self) -> None:
        """Run the ``defer_call`` functions in registration order; errors are logged."""
        deferred, self._deferred = self._deferred, []
        for func in deferred:
            try:
                func()
            except Exception:
                self.log_limit.exception("a defer_call function failed")

    def defer(self, func: Callable[[], Any]) -> None:
        """Run ``func`` when the session closes."""
        self._deferred.append(func)

    def wait_closed(self, timeout: float | None = None) -> bool:
        """Block until the page closes (thread apps)."""
        return self._closed_event.wait(timeout)


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
