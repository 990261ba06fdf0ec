"""Standalone app sessions: one visitor's page, served over a WebSocket.

An :class:`AppSession` owns one root (the page) and talks to the browser through a
:class:`Connection`. Two kinds run the app, as in PyWebIO:

``ThreadSession`` and ``CoroutineSession`` (in ``kinds.py``): a plain function runs in its
own thread, an ``async def`` app as a task on the server's event loop.

Events from the page go to the core's one dispatcher (``Session.handle_event``): answers to
page questions (``eval_js``) land in the mailbox the question opened, forms and pins in their
nodes' sinks; a closing page cancels every wait (``cancel_waits``).

Wire framing (see ``framing.py`` and ``pywebio_nb._core.protocol``): control messages are JSON
text frames; batches and downloads are binary frames, and so are the page's events that carry
bytes (upload chunks: the header is the event, the payload its one buffer).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from ..._core.context import session_var as _session_var
from ..._core.document import Root
from ..._core.encoding import encode
from ..._core.info import SessionInfo
from ..._core.nodes import ErrorBody
from ..._core.protocol import (
    PROTOCOL_VERSION,
    BatchMessage,
    EndedMessage,
    EnvMessage,
    ErrorMessage,
    HelloMessage,
    PageCommand,
)
from ..._core.session import Session
from ..._core.tracebacks import user_traceback
from ...exceptions import SessionClosedException, SessionException
from .framing import Connection, ProtocolError, frame, split_frame

__all__ = ["AppSession"]

log = logging.getLogger("pywebio_nb")


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
        self.root = self.new_root(key=self.id)
        self._on_end = on_end
        self._connection: Connection | None = None
        self._deferred: list[Callable[[], Any]] = []
        self._closed_event = threading.Event()
        self.main_done = False
        self.env: dict[str, Any] = {}
        #: A new page waits for hello and its snapshot until the app's first flush (open_page).
        self._greeting = False
        #: When the page last sent an event (``time.monotonic()``): idle timeouts read it.
        self.last_event = time.monotonic()

    # -- Session hooks ------------------------------------------------------------------------

    def task_root(self) -> Root:
        """The page's only root."""
        return self.root

    def deliver(self, root: Root, seq: int, payload: bytes) -> None:
        """Send a batch as one binary frame."""
        connection = self._connection
        if connection is not None:
            header: BatchMessage = {"kind": "batch", "v": PROTOCOL_VERSION, "seq": seq}
            connection.send(frame(header, payload))

    def _mark_dirty(self, root: Root) -> None:
        if self.is_closed and self._is_own_task():
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
            snapshot = self.snapshot_now(self.root)
        hello: HelloMessage = {"kind": "hello", "session": self.id, "env": self.env}
        connection.send(encode(hello))
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

    def send_page(self, command: PageCommand, payload: bytes | None = None) -> None:
        """Send a page command (``run_js``, ``download``...) after the output queued before it.

        A text frame, or a binary frame when it carries ``payload`` (a download).
        """
        message = encode(command) if payload is None else frame(command, payload)
        if self.is_closed:
            if self._is_own_task():
                raise SessionClosedException("the page was closed")
            return
        self.flush()
        with self._send_lock:
            connection = self._connection
            if connection is not None:
                connection.send(message)

    def send_snapshot(self, root: Root, snapshot: str) -> None:
        """Send a snapshot to the page (a ``sync`` answer)."""
        connection = self._connection
        if connection is not None:
            connection.send(snapshot)

    def set_env(self, env: dict[str, Any]) -> None:
        """Keep ``set_env()`` values (a reconnecting page's hello has them) and send them."""
        self.env.update(env)
        message: EnvMessage = {"kind": "env", "env": env}
        self.send_page(message)

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
        self.last_event = time.monotonic()
        self.handle_event(self.root, event, buffers)

    def complain(self, text: str) -> None:
        """Log a refused event and tell the page (past the session's log limit: neither)."""
        # A page may send bad events as fast as it likes: past the session's log limit,
        # neither a log line nor a reply.
        if not self.log_limit.warning("pywebio_nb session %s: %s", self.id[:6], text):
            return
        connection = self._connection
        if connection is not None:
            error: ErrorMessage = {"kind": "error", "message": text}
            connection.send(encode(error))

    # -- running ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the app (after :meth:`attach`)."""
        raise NotImplementedError

    def callback_failed(self, root: Root, error: Exception) -> None:
        """Show a callback's error to the visitor (see :meth:`report_error`)."""
        if not isinstance(error, SessionException):
            self.report_error(error)

    def visitor_info(self) -> SessionInfo:
        """What the server learnt about the visitor when the page connected."""
        return self.info if isinstance(self.info, SessionInfo) else super().visitor_info()

    def report_error(self, error: BaseException) -> None:
        """Show an app error to the visitor (traceback only in debug mode) and log it."""
        self.log_limit.error("error in a pywebio_nb app", exc_info=error)
        if self.is_closed:
            return
        spec: ErrorBody = {"type": "error", "title": f"{type(error).__name__}: {error}"}
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
            ended: EndedMessage = {"kind": "ended", "reason": reason}
            connection.send(encode(ended))
            connection.close(1000, reason)
        self.close()

    def close(self) -> None:
        """The page went away: wake waiters, stop tasks, run ``defer_call`` functions once."""
        with self.lock:
            if self.is_closed:
                return
            self.is_closed = True
            self._answers.clear()
        self._connection = None
        self._closed_event.set()
        self.cancel_waits(SessionClosedException("the page was closed"))
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

    def hold(self) -> Any:
        """Block until the page closes (a coroutine app returns a coroutine that waits)."""
        self.flush()
        self.wait_closed()
        return None


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
