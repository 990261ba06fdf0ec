"""The notebook host: one session per kernel, one root per cell execution.

* The first output of a cell execution displays the cell's root view; later outputs of that cell go
  into it. ``'ROOT'`` means the running cell's root.
* Named scopes are kernel-wide; re-running a cell discards its old root and the scopes inside it.
* Callbacks run in the kernel; their output, ``print()`` text and exceptions land in the root of the
  cell whose element was clicked.
* A thread started in a cell writes into that cell's root.
"""

from __future__ import annotations

import inspect
import signal
import sys
import threading
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TextIO

from ..._core.context import stack_var as _stack_var
from ..._core.document import Output, Root
from ..._core.encoding import encode
from ..._core.nodes import ErrorBody
from ..._core.protocol import (
    PROTOCOL_VERSION,
    AppendTextCommand,
    AssetEvent,
    AssetMessage,
    BatchMessage,
    PageCommand,
    ResyncMessage,
    SyncedMessage,
    SyncEvent,
)
from ..._core.session import Session
from ..._core.tracebacks import user_traceback
from ..._core.waiting import Mailbox
from . import threads
from .persist import Persister

if TYPE_CHECKING:
    from ..._core.host import Host
    from ._pump import CommPeek

__all__ = ["NotebookSession"]

#: While a callback runs: the root of the cell whose element was clicked.
_callback_root: ContextVar[Root | None] = ContextVar("pywebio_nb_callback_root", default=None)


def _cell_id_of(parent: dict[str, Any] | None) -> str | None:
    """The notebook cell id a frontend put in an execute_request's metadata."""
    metadata = (parent or {}).get("metadata") or {}
    cell_id = metadata.get("cellId")
    return cell_id if isinstance(cell_id, str) and cell_id else None


class _CellRecord:
    """One cell execution: its cell id, its parent message and its root (created on demand)."""

    __slots__ = ("cell_id", "parent", "root")

    def __init__(self, cell_id: str | None, parent: dict[str, Any] | None) -> None:
        self.cell_id = cell_id
        self.parent = parent
        self.root: Root | None = None


class _CapturedStream:
    """Stands in for ``sys.stdout``/``sys.stderr`` while callbacks run.

    Text written by a thread that is running a callback goes into that callback's root; text from
    every other thread passes through to the stream that was there before.
    """

    def __init__(self, original: TextIO, name: str, session: NotebookSession) -> None:
        self.original = original
        self.name = name
        self.session = session
        self.targets: dict[int, Root] = {}

    def write(self, text: str) -> int:
        root = self.targets.get(threading.get_ident())
        if root is None:
            return self.original.write(text)
        if text:
            self.session.write_stream(root, self.name, text)
        return len(text)

    def flush(self) -> None:
        self.original.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.original, name)


class NotebookSession(Session):
    """The kernel-wide session behind ``put_*`` calls in notebook cells."""

    kind = "notebook"

    def __init__(self, kernel: Any) -> None:
        super().__init__()
        self.kernel = kernel
        self.main_thread_id = threading.main_thread().ident
        parent = self._parent_header()
        self._cell = _CellRecord(_cell_id_of(parent), parent)
        self._roots_by_cell: dict[str, Root] = {}
        self._streams: dict[str, _CapturedStream] = {}
        self._capturing = 0
        self._capture_lock = threading.Lock()
        #: the stream node that the last captured write of each callback thread went to
        self._open_streams: dict[tuple[int, str], Output] = {}
        #: comm ids of every root widget: the comms a waiting cell keeps handling
        self.comm_ids: set[str] = set()
        #: ``eval_js`` questions not answered yet, by id: (the root asked, the command).
        self._questions: dict[int, tuple[Root, PageCommand]] = {}
        #: writes each root's saved copy into its output once per cell (see persist.py)
        self.persist = Persister(self, self._send_iopub, lambda: self._cell.parent)
        shell = getattr(kernel, "shell", None)
        if shell is not None:
            shell.events.register("pre_run_cell", self._pre_run_cell)
            shell.events.register("post_run_cell", self._post_run_cell)
        # Explicit and undoable (close()): threads started in a cell write into that cell.
        threads.install(self.thread_origin)

    # -- cells --------------------------------------------------------------------------------

    def _parent_header(self) -> dict[str, Any] | None:
        """The request of the running cell, from whichever thread asks.

        ``get_parent()`` only sees the calling thread's context on ipykernel 7.0-7.3, so a
        thread that is the first to use pywebio_nb falls back to what the kernel keeps for
        new threads (7.x) or the shell's global copy (6.x, 7.4).
        """
        kernel = self.kernel
        candidates: tuple[Callable[[], Any], ...] = (
            lambda: kernel.get_parent(),
            lambda: kernel._new_threads_parent_header,
            lambda: kernel.shell.parent_header,
        )
        for candidate in candidates:
            try:
                parent = candidate()
            except Exception:
                continue
            if isinstance(parent, dict) and parent:
                return parent
        return None

    def _pre_run_cell(self, info: Any = None) -> None:
        parent = self._parent_header()
        cell_id = getattr(info, "cell_id", None) or _cell_id_of(parent)
        if cell_id:
            old = self._roots_by_cell.pop(cell_id, None)
            if old is not None:
                self.discard_root(old)
                self.persist.forget(old)
                widget = old.host
                if widget is not None:
                    self.comm_ids.discard(widget.comm.comm_id)
                    widget.close()
        self._cell = _CellRecord(cell_id, parent)

    def _post_run_cell(self, result: Any = None) -> None:
        self.persist.save_changed()

    def _send_iopub(self, msg_type: str, content: dict[str, Any], parent: Any) -> None:
        kernel = self.kernel
        kernel.session.send(
            kernel.iopub_socket, msg_type, content, parent=parent, ident=b"display_data"
        )

    def cell_root(self, record: _CellRecord | None = None) -> Root:
        """The root of a cell execution (the running one by default), displayed on first use."""
        record = record or self._cell
        root = record.root
        if root is None:
            root = self.new_root(key=record.cell_id)
            record.root = root
            if record.cell_id:
                self._roots_by_cell[record.cell_id] = root
            self._display(root, record)
        return root

    def task_root(self) -> Root:
        """``'ROOT'`` for the running code: a callback's cell, a thread's cell, or this cell."""
        root = _callback_root.get()
        if root is not None:
            return root
        if threading.get_ident() != self.main_thread_id:
            record = threads.origin_of(threading.current_thread())
            if isinstance(record, Root):
                return record
            if isinstance(record, _CellRecord):
                return self.cell_root(record)
        return self.cell_root()

    def _display(self, root: Root, record: _CellRecord) -> None:
        from .widget import RootWidget

        on_main = threading.get_ident() == self.main_thread_id
        if not on_main:
            # Creating the widget publishes its comm_open: on ipykernel 7.0-7.3 a thread
            # without the shell parent ContextVar cannot publish at all.
            _adopt_shell_parent(self.kernel, record.parent, only_if_missing=True)
        widget = RootWidget(self, root)
        root.host = widget
        self.comm_ids.add(widget.comm.comm_id)
        bundle, display_id = self.persist.first_bundle(root, widget)
        if on_main:
            from IPython.display import display

            display(bundle, raw=True, display_id=display_id)  # type: ignore[no-untyped-call]
            return
        # From another thread the kernel does not know which cell we belong to: say it.
        kernel = self.kernel
        content: dict[str, Any] = {
            "data": bundle,
            "metadata": {},
            "transient": {"display_id": display_id},
        }
        kernel.session.send(
            kernel.iopub_socket,
            "display_data",
            content,
            parent=record.parent,
            ident=b"display_data",
        )

    # -- transport ----------------------------------------------------------------------------

    def deliver(self, root: Root, seq: int, payload: bytes) -> None:
        """Send a batch as a custom message on the root's widget comm."""
        header: BatchMessage = {"kind": "batch", "v": PROTOCOL_VERSION, "seq": seq}
        self._send(root, header, [payload])

    def send_snapshot(self, root: Root, snapshot: str) -> None:
        """Send a ``resync`` (the snapshot in a buffer) to the views of ``root``."""
        resync: ResyncMessage = {"kind": "resync"}
        self._send(root, resync, [snapshot.encode()])

    def resync(self, root: Root, event: SyncEvent) -> None:
        """Answer a view's ``sync``, and ask its unanswered questions again.

        A view may have missed what came before its model listened (anywidget may deliver a
        model's first messages before ``initialize`` ran); its probe or gap ``sync`` comes
        after, so an ``eval_js`` still waiting for this root is sent once more.
        """
        super().resync(root, event)
        seen = event.get("seq")
        if type(seen) is int and seen >= root.seq:
            # Up to date: say so, the view then knows its kernel is there (see persist.py).
            synced: SyncedMessage = {"kind": "synced", "seq": root.seq}
            self._send(root, synced, [])
        with self.lock:
            questions = [q for r, q in self._questions.values() if r is root]
        for question in questions:
            self._send(root, question, [])

    def send_asset(self, root: Root, event: AssetEvent) -> None:
        """Send a part of the frontend loaded on first use (the code editor); see widget.py."""
        from .widget import frontend_asset

        name = event.get("name")
        data = frontend_asset(name)
        if data is not None and root.host is not None:
            answer: AssetMessage = {"kind": "asset", "name": "editor"}
            root.host.send(answer, buffers=[data])

    def send_page(self, command: PageCommand, payload: bytes | None = None) -> None:
        """Send a page command on the widget comm of the running cell's root.

        An ``eval_js`` question is kept until answered (see :meth:`resync`).
        """
        if command["kind"] not in ("run_js", "eval_js", "download"):
            self.unsupported(command["kind"])  # go_app: the notebook owns the page
        encode(command)  # NaN and infinities fail here, as in every host
        self.flush()
        root = self.task_root()
        if command["kind"] == "eval_js":
            with self.lock:
                self._questions[command["id"]] = (root, command)
        self._send(root, command, [payload] if payload is not None else [])

    def _send(self, root: Root, content: Mapping[str, Any], buffers: list[bytes]) -> None:
        """Send a custom message on the widget comm of ``root``, from any thread."""
        widget = root.host
        if widget is None:
            return
        try:
            widget.send(content, buffers=buffers)
        except LookupError:
            # ipykernel 7.0-7.3 keep the shell parent in a ContextVar with no fallback, so a
            # thread of ours (the flusher, a user's thread) cannot publish until it has one.
            if not _adopt_shell_parent(self.kernel, self._cell.parent):
                raise
            widget.send(content, buffers=buffers)

    def forget_answer(self, kind: str, wait_id: int) -> None:
        """Stop accepting answers for a finished question (and stop asking it again)."""
        super().forget_answer(kind, wait_id)
        if kind == "js_result":
            with self.lock:
                self._questions.pop(wait_id, None)

    def handle_event(self, root: Root, event: Any, buffers: list[Any]) -> None:
        """Note that a frontend is there (see persist.py), then dispatch as every host does."""
        if isinstance(event, dict) and event.get("kind") != "asset":
            self.persist.heard_from_frontend()
        super().handle_event(root, event, buffers)

    # -- waiting for the browser (see _wait.py) -------------------------------------------------

    def block_until(
        self, ready: Callable[[], bool], mailbox: Mailbox, timeout: float | None
    ) -> bool:
        """Wait for events: pump the kernel's shell on the main thread, else a condition.

        ``ready`` runs inside one pump wait, so the pump listens for the whole exchange: a
        message that arrived between two events would otherwise be handed back to the kernel,
        which runs it only after the cell.
        """
        __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
        if threading.get_ident() != self.main_thread_id:
            check_waitable_thread()
            return super().block_until(ready, mailbox, timeout)
        if self.kind == "notebook":
            from .voila import refuse_wait_under_voila

            refuse_wait_under_voila()
        self.persist.save_changed()  # a waiting form is saved as shown (see persist.py)
        from ._pump import PumpUnavailable, wait_until

        try:
            return wait_until(ready, accept=self.accepts_comm, timeout=timeout)
        except PumpUnavailable as error:
            raise PumpUnavailable(
                f"{error} pywebio_nb cannot wait for input in this kernel "
                f"(ipykernel {_ipykernel_version()}); use a supported ipykernel (6.29 to 7.4)."
            ) from None

    async def block_until_async(
        self, ready: Callable[[], bool], mailbox: Mailbox, timeout: float | None
    ) -> bool:
        """Await events: on the kernel's main thread, the same shell pump as a blocking wait.

        An awaiting cell that let the event loop run would not answer a reconnecting page's
        ``kernel_info_request`` (the kernel serves it only after the cell), could not be
        interrupted (SIGINT lands in the loop, not in the cell) and, below ipykernel 7.4, would
        not get its comm messages at all. Pumping the shell from inside the coroutine behaves
        exactly like ``input()`` on every supported kernel; the price is that other asyncio
        tasks of the kernel pause while a form waits.
        """
        __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
        if threading.get_ident() != self.main_thread_id:
            return await super().block_until_async(ready, mailbox, timeout)
        # While an async cell runs, SIGINT is not turned into KeyboardInterrupt in the cell:
        # restore Python's default handler for the wait, so the interrupt button works.
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            return self.block_until(ready, mailbox, timeout)
        finally:
            signal.signal(signal.SIGINT, previous)

    def accepts_comm(self, peek: CommPeek) -> bool:
        """Whether a comm message may be handled while a cell waits: only our roots' comms."""
        return peek.get("comm_id") in self.comm_ids

    def wake(self) -> None:
        """Make a waiting shell pump look at its mailbox now."""
        from ._pump import wake

        wake()

    # -- callbacks ----------------------------------------------------------------------------

    def run_callback(self, root: Root, callback: Callable[[Any], Any], value: Any) -> None:
        """Run a callback with ``'ROOT'`` = ``root``, its prints and errors shown there.

        An ``async def`` callback's coroutine runs in a thread of its own with its own event
        loop (see :meth:`await_callback`), so the kernel goes on serving the comm messages
        it may wait for (``await input()``, ``await eval_js()``).
        """
        token_root = _callback_root.set(root)
        token_stack = _stack_var.set(())
        ident = threading.get_ident()
        self._start_capture(ident, root)
        try:
            result = callback(value)
            if inspect.isawaitable(result):
                self.await_callback(root, result)
        except Exception as error:
            self.show_error(root, error)
        finally:
            self._stop_capture(ident)
            _stack_var.reset(token_stack)
            _callback_root.reset(token_root)
            self.flush()
            self.persist.save_soon()  # its changes are saved once the kernel is quiet

    def await_callback(self, root: Root, awaitable: Awaitable[Any]) -> None:
        """Run a callback's coroutine to completion in a thread with its own event loop.

        Called with ``'ROOT'`` = ``root`` (the context is copied into the thread); the
        thread's prints and errors go to ``root`` too.
        """
        self.await_in_thread(root, awaitable)

    def _run_awaitable(self, root: Root, awaitable: Awaitable[Any]) -> None:
        ident = threading.get_ident()
        self._start_capture(ident, root)
        try:
            super()._run_awaitable(root, awaitable)  # errors: callback_failed, in the cell
        finally:
            self._stop_capture(ident)

    def callback_failed(self, root: Root, error: Exception) -> None:
        """Show a callback's error in the cell whose element was clicked."""
        self.show_error(root, error)

    def thread_origin(self) -> object | None:
        """Where a thread started now writes: a callback's root, the cell, or its starter's."""
        root = _callback_root.get()
        if root is not None:
            return root
        if threading.get_ident() == self.main_thread_id:
            return self._cell
        return threads.origin_of(threading.current_thread())

    def close(self) -> None:
        """The kernel shuts down: wake waiters, undo the thread hook."""
        self.is_closed = True
        self.cancel_waits()
        threads.uninstall()

    def show_error(self, root: Root, error: BaseException) -> None:
        """Put an error box with the traceback (without pywebio_nb's own frames) into ``root``."""
        spec: ErrorBody = {
            "type": "error",
            "title": f"{type(error).__name__}: {error}",
            "traceback": user_traceback(error),
        }
        out = self.make(spec)
        with self.lock:
            self._insert(out, root.scope, -1)

    def write_stream(self, root: Root, name: str, text: str) -> None:
        """Show text printed by a callback, appended to its last stream output when adjacent."""
        key = (threading.get_ident(), name)
        with self.lock:
            last = self._open_streams.get(key)
            scope = self.resolve_scope(None)
            children = scope.children or []
            if last is not None and children and children[-1] is last:
                last.spec["text"] += text
                append: AppendTextCommand = {"op": "append", "id": last.spec["id"], "text": text}
                self._queue(root, append)
                return
            out = self.make({"type": "stream", "name": name, "text": text})
            self._insert(out, scope, -1)
            self._open_streams[key] = out

    def _start_capture(self, ident: int, root: Root) -> None:
        with self._capture_lock:
            if self._capturing == 0:
                for name in ("stdout", "stderr"):
                    stream = _CapturedStream(getattr(sys, name), name, self)
                    self._streams[name] = stream
                    setattr(sys, name, stream)
            self._capturing += 1
            for stream in self._streams.values():
                stream.targets[ident] = root

    def _stop_capture(self, ident: int) -> None:
        with self._capture_lock:
            for stream in self._streams.values():
                stream.targets.pop(ident, None)
            for name in ("stdout", "stderr"):
                self._open_streams.pop((ident, name), None)
            self._capturing -= 1
            if self._capturing == 0:
                for name, stream in self._streams.items():
                    if getattr(sys, name) is stream:
                        setattr(sys, name, stream.original)
                self._streams.clear()


def check_waitable_thread() -> None:
    """Refuse to wait for input on a kernel thread that would have to deliver the answer itself.

    A callback that runs on a subshell thread (JupyterLab sends widget messages to a subshell
    on ipykernel 7.0-7.3) would receive the form's answer on that same, blocked, thread.
    """
    if _callback_root.get() is not None:
        raise RuntimeError(
            "input() cannot wait inside a callback that runs on a kernel subshell thread "
            f"({threading.current_thread().name!r}): the answer would arrive on this same "
            "blocked thread. Start a thread for the question, or ask in a cell."
        )


def _adopt_shell_parent(
    kernel: Any, parent: dict[str, Any] | None, only_if_missing: bool = False
) -> bool:
    """Give the current thread's context the kernel's shell parent (see ``deliver``)."""
    variable = getattr(kernel, "_shell_parent", None)
    if not isinstance(variable, ContextVar):
        return False
    if only_if_missing and variable.get(_MISSING) is not _MISSING:
        return True
    variable.set(parent or {})
    return True


_MISSING: Any = object()


def _ipykernel_version() -> str:
    module = sys.modules.get("ipykernel")
    return str(getattr(module, "__version__", "unknown"))


if TYPE_CHECKING:  # NotebookSession satisfies the host interface (checked by mypy)
    _notebook_session_is_a_host: type[Host] = NotebookSession
