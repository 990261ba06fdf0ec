"""Block a notebook cell until one of our comm messages arrives: the "shell pump".

A cell that blocks (``while not answered: sleep()``) also blocks the kernel's main
IOLoop, so the widget message that would answer it is never read: a silent hang. While
a wait lasts, the pump becomes the main shell's message reader instead. It swaps the
receive callback of the ZMQStream that feeds the main shell for a collector, and reads
that stream itself in a ``zmq.select`` loop on the main thread. The collector:

* dispatches at once ``comm_open`` / ``comm_msg`` / ``comm_close`` for comms the caller
  accepts, anything on the ``jupyter.widget.control`` comm (so a reloaded page can
  restore widget state), and ``kernel_info_request`` / ``comm_info_request`` (so a
  reconnecting frontend sees a live kernel);
* defers everything else (``execute_request`` above all) and, when the wait ends, hands
  it back to the kernel's own callback in arrival order, so queued cells run after the
  blocked one, in order.

Handled messages publish no busy/idle status (as ipykernel 7.4 does for its concurrent
comm dispatch), and the cell's parent header is restored after each of them, so output
printed after the wait still lands in the cell.

Where the stream lives differs between ipykernel 6 and 7; :mod:`._pump_compat` finds it
by feature detection and raises :class:`PumpUnavailable` when it cannot.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypedDict

import zmq

from ._pump_compat import PumpUnavailable, ShellInternals, locate_shell

__all__ = [
    "WIDGET_CONTROL_TARGET",
    "CommPeek",
    "PumpUnavailable",
    "wait_until",
    "wake",
]

#: Comm target of the ipywidgets control comm (``request_states`` on page reload).
WIDGET_CONTROL_TARGET = "jupyter.widget.control"

_COMM_TYPES = frozenset({"comm_open", "comm_msg", "comm_close"})
_INFO_TYPES = frozenset({"kernel_info_request", "comm_info_request"})

# Upper bound of one select; wake() and incoming messages end it sooner.
_POLL_SECONDS = 0.05

_log = logging.getLogger(__name__)


class CommPeek(TypedDict):
    """What ``accept`` is told about an incoming comm message before it is handled.

    Attributes:
        msg_type: ``"comm_open"``, ``"comm_msg"`` or ``"comm_close"``.
        comm_id: The comm's id (``content.comm_id``).
        target_name: ``content.target_name`` of a ``comm_open``; for the other types,
            the target of the kernel-side comm with that id, or None if unknown.
        header: The message header (msg_id, session, subshell_id, ...).
    """

    msg_type: str
    comm_id: str
    target_name: str | None
    header: dict[str, Any]


AcceptComm = Callable[[CommPeek], bool]

_state_lock = threading.Lock()
_active_pump: _ShellPump | None = None
_wake_pair: tuple[socket.socket, socket.socket] | None = None
_replayed: set[asyncio.Future[Any]] = set()


def wake() -> None:
    """Make a running :func:`wait_until` re-check its ``done`` predicate now.

    Thread-safe and cheap; does nothing harmful when no wait is running. Call it after
    changing the state ``done`` looks at from another thread (a comm handler running on
    a subshell thread, a timer), otherwise the wait notices only at its next poll.

    Example:
        >>> import threading
        >>> from pywebio_nb._hosts.notebook._pump import wake
        >>> answered = threading.Event()
        >>> def on_answer(msg):  # may run on any thread
        ...     answered.set()
        ...     wake()
    """
    _, writer = _wake_sockets()
    with contextlib.suppress(OSError):  # buffer full: a wake-up is already pending
        writer.send(b"\0")


def wait_until(
    done: Callable[[], bool],
    *,
    accept: AcceptComm,
    timeout: float | None = None,
) -> bool:
    """Block the current cell until ``done()`` is true, serving our comms meanwhile.

    While waiting, comm messages whose :class:`CommPeek` passes ``accept`` (and those
    of the ``jupyter.widget.control`` comm, plus ``kernel_info_request`` and
    ``comm_info_request``) are handled at once on this thread. Every other shell
    message, including queued ``execute_request``s, is deferred and handed back to the
    kernel in arrival order when the wait ends, so queued cells run afterwards.

    Args:
        done: Predicate checked before waiting, after every handled message and after
            every :func:`wake`. Must be cheap.
        accept: Decides, from a peek at an incoming comm message, whether to handle it
            now. Must be cheap and must not raise; it runs on the main thread.
        timeout: Seconds to wait at most; None waits until ``done()`` or an interrupt.

    Returns:
        True when ``done()`` became true, False when the timeout passed first.

    Raises:
        RuntimeError: Called off the kernel's main thread, or while another wait is
            running (a handler that itself waits, for example).
        PumpUnavailable: The kernel's internals were not recognised.
        KeyboardInterrupt: The kernel was interrupted; the pump has restored the kernel
            before this propagates, and deferred messages are handed back.

    Example:
        In a notebook cell, with ``widget`` an ipywidget shown by the cell:

        >>> import threading  # doctest: +SKIP
        >>> from pywebio_nb._hosts.notebook._pump import wait_until, wake  # doctest: +SKIP
        >>> answered = threading.Event()  # doctest: +SKIP
        >>> widget.on_msg(lambda w, content, buffers: (answered.set(), wake()))  # doctest: +SKIP
        >>> wait_until(  # doctest: +SKIP
        ...     answered.is_set, accept=lambda peek: peek["comm_id"] == widget.comm.comm_id
        ... )
        True
    """
    shell = _enter_checks("wait_until")
    if done():
        return True
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        return _serve_until(shell, done, accept, deadline)
    except KeyboardInterrupt:
        pass
    # The interrupt lands wherever the wait happens to be, most often deep inside the socket
    # poll, whose frames mean nothing to the person who pressed the button. The pump has
    # restored the kernel by now: raise the interrupt afresh from here, so the traceback a
    # notebook shows is short and ends at the waiting call.
    raise KeyboardInterrupt


def _serve_until(
    shell: ShellInternals, done: Callable[[], bool], accept: AcceptComm, deadline: float | None
) -> bool:
    with _ActiveWait(_ShellPump(shell, accept)) as pump:
        reader, _ = _wake_sockets()
        _drain(reader)
        pump.install()
        try:
            while not done():
                if deadline is None:
                    slice_seconds = _POLL_SECONDS
                else:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    slice_seconds = min(_POLL_SECONDS, remaining)
                pump.read_once(slice_seconds, reader)
            return True
        finally:
            pump.uninstall()


def _enter_checks(api: str) -> ShellInternals:
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError(
            f"{api}() must run on the kernel's main thread (the thread that runs notebook "
            f"cells); it was called on thread {threading.current_thread().name!r}."
        )
    shell = locate_shell()
    if threading.current_thread() is not shell.main_thread:
        raise RuntimeError(f"{api}() must run on the thread that reads the main shell.")
    if _active_pump is not None:
        raise RuntimeError(
            f"{api}() was called while another wait is running (from a widget callback "
            "during input(), for example). Nested waits are not supported: answer the "
            "first question before asking another."
        )
    return shell


class _ActiveWait:
    """Registers a pump as the one running wait, refusing a second one."""

    def __init__(self, pump: _ShellPump) -> None:
        self._pump = pump

    def __enter__(self) -> _ShellPump:
        global _active_pump
        with _state_lock:
            if _active_pump is not None:
                raise RuntimeError("A pywebio_nb wait is already running; nesting is refused.")
            _active_pump = self._pump
        return self._pump

    def __exit__(self, *exc_info: object) -> None:
        global _active_pump
        with _state_lock:
            _active_pump = None


def _wake_sockets() -> tuple[socket.socket, socket.socket]:
    global _wake_pair
    with _state_lock:
        if _wake_pair is None:
            reader, writer = socket.socketpair()
            reader.setblocking(False)
            writer.setblocking(False)
            _wake_pair = (reader, writer)
        return _wake_pair


def _drain(reader: socket.socket) -> None:
    with contextlib.suppress(OSError):  # BlockingIOError: nothing left
        while reader.recv(4096):
            pass


def _run_to_completion(awaitable: Any) -> None:
    """Drive a handler's coroutine synchronously: the IOLoop cannot run it now."""
    if not inspect.iscoroutine(awaitable):
        if inspect.isawaitable(awaitable):
            awaitable = _await(awaitable)
        else:
            return
    coroutine: Coroutine[Any, Any, Any] = awaitable
    try:
        coroutine.send(None)
    except StopIteration:
        return
    coroutine.close()
    raise RuntimeError("a shell handler suspended; it cannot complete while the cell waits")


async def _await(awaitable: Any) -> Any:
    return await awaitable


class _ShellPump:
    """Reads the main shell's stream in place of the kernel while a cell waits."""

    def __init__(self, shell: ShellInternals, accept: AcceptComm) -> None:
        self._shell = shell
        self._accept = accept
        self._deferred: list[list[Any]] = []
        self._defer_only = False
        self._saved_callback: Callable[[list[Any]], Any] | None = None
        self._saved_copy = False
        self._cell_parent: Any = None
        self._cell_ident: Any = None

    def install(self) -> None:
        """Take over the stream's receive callback."""
        stream = self._shell.stream
        callback = stream._recv_callback
        if callback is None:
            raise PumpUnavailable(
                "pywebio_nb cannot block this cell for input: the main shell stream has "
                "no receive callback, so the kernel's reader was not recognised."
            )
        self._saved_callback = callback
        self._saved_copy = bool(stream._recv_copy)
        # Taken here, in the waiting cell's context: when an async cell's await drives the
        # pump, handlers run in the event loop's context, whose parent header is not the cell's.
        kernel = self._shell.kernel
        self._cell_parent = kernel.get_parent("shell")
        self._cell_ident = kernel._parent_ident["shell"]
        stream.on_recv(self._collect, copy=self._saved_copy)

    def read_once(self, seconds: float, wake_reader: socket.socket) -> None:
        """Wait up to ``seconds`` for a message or a wake-up, then read what is there."""
        stream = self._shell.stream
        zmq.select([stream.socket, wake_reader.fileno()], [], [], seconds)
        _drain(wake_reader)
        stream.flush(zmq.POLLIN)

    def uninstall(self) -> None:
        """Give the stream back and replay deferred messages, oldest first."""
        stream = self._shell.stream
        self._defer_only = True
        try:
            if not stream.closed():
                stream.flush(zmq.POLLIN)  # late arrivals keep their place in line
        finally:
            if self._saved_callback is not None and not stream.closed():
                stream.on_recv(self._saved_callback, copy=self._saved_copy)
                self._replay()

    def _replay(self) -> None:
        callback = self._saved_callback
        assert callback is not None
        deferred, self._deferred = self._deferred, []
        loop = getattr(self._shell.stream.io_loop, "asyncio_loop", None)
        for frames in deferred:
            try:
                result = callback(frames)
                if inspect.isawaitable(result):
                    task = asyncio.ensure_future(result, loop=loop)
                    _replayed.add(task)  # keep a reference until it is done
                    task.add_done_callback(_replayed.discard)
            except Exception:
                _log.exception("pywebio_nb: could not hand a deferred shell message back")

    def _collect(self, frames: list[Any]) -> None:
        if self._defer_only or not self._should_handle(frames):
            self._deferred.append(frames)
            return
        self._handle(frames)

    def _should_handle(self, frames: list[Any]) -> bool:
        session = self._shell.session
        try:
            _, rest = session.feed_identities(frames, copy=self._saved_copy)
            # content=False records no signature digest, so the kernel can still
            # deserialize a deferred message later without "Duplicate Signature".
            peeked = session.deserialize(rest, content=False, copy=self._saved_copy)
            header = peeked["header"]
            msg_type = header.get("msg_type")
            if msg_type in _INFO_TYPES:
                return True
            if msg_type not in _COMM_TYPES:
                return False
            content = session.unpack(peeked["content"])
        except Exception:
            return False  # let the kernel itself report a malformed message, later
        comm_id = content.get("comm_id")
        if not isinstance(comm_id, str):
            return False
        target = content.get("target_name") if msg_type == "comm_open" else self._target_of(comm_id)
        if target == WIDGET_CONTROL_TARGET:
            return True
        peek = CommPeek(msg_type=msg_type, comm_id=comm_id, target_name=target, header=header)
        try:
            return bool(self._accept(peek))
        except Exception:
            _log.exception("pywebio_nb: accept() raised; deferring the message")
            return False

    def _target_of(self, comm_id: str) -> str | None:
        manager = getattr(self._shell.kernel, "comm_manager", None)
        comms = getattr(manager, "comms", None)
        comm = comms.get(comm_id) if isinstance(comms, dict) else None
        target = getattr(comm, "target_name", None)
        return target if isinstance(target, str) else None

    def _handle(self, frames: list[Any]) -> None:
        shell = self._shell
        kernel = shell.kernel
        session = shell.session
        try:
            idents, rest = session.feed_identities(frames, copy=self._saved_copy)
            msg = session.deserialize(rest, content=True, copy=self._saved_copy)
        except Exception:
            _log.exception("pywebio_nb: invalid shell message while waiting")
            return
        handler = kernel.shell_handlers.get(msg["header"]["msg_type"])
        # Info requests get busy/idle as usual (frontends such as jupyter_client's
        # wait_for_ready expect it, and status tracking ignores their parent type);
        # comm messages get none, like ipykernel 7.4's concurrent comm dispatch.
        publish_status = msg["header"]["msg_type"] in _INFO_TYPES
        _flush_std_streams()  # cell text printed so far stays parented to the cell
        kernel.set_parent(idents, msg, "shell")
        try:
            if publish_status:
                _publish_status(kernel, "busy", msg)
            _run_to_completion(handler(shell.reply_target, idents, msg))
        except Exception:
            _log.exception("pywebio_nb: error in a shell handler while waiting")
        finally:
            _flush_std_streams()
            if publish_status:
                _publish_status(kernel, "idle", msg)
            kernel.set_parent(self._cell_ident, self._cell_parent, "shell")


def _publish_status(kernel: Any, state: str, parent: dict[str, Any]) -> None:
    publish = getattr(kernel, "_publish_status", None)
    if callable(publish):
        publish(state, "shell", parent)


def _flush_std_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.flush()
