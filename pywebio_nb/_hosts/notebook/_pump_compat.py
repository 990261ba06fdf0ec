"""Where the running ipykernel keeps the main shell's message stream.

Everything in this module reads private ipykernel and pyzmq internals. It only *finds*
them; the mechanism that uses them is in :mod:`pywebio_nb._hosts.notebook._pump`. Detection is by
feature, never by version number, and anything unexpected raises
:class:`PumpUnavailable` naming what was missing.

Layouts recognised:

* ``shell-channel-thread`` (ipykernel 7.0 - 7.4): a "Shell channel" thread owns the
  shell ROUTER socket and forwards main-shell messages over an inproc PAIR socket,
  read on the main thread by
  ``kernel.shell_channel_thread.manager._shell_channel_to_main.to_stream``. Replies go
  out through ``manager.get_subshell_to_shell_channel_socket(None)``, a plain socket.
* ``direct`` (ipykernel 6.x, or 7.x started without the shell channel thread): the
  main thread reads ``kernel.shell_stream`` itself. The kernel queues its replies on
  that ZMQStream, which only the (blocked) IOLoop would send, so replies to messages
  the pump handles go straight to the stream's socket instead. (Flushing the stream
  from inside its own receive callback is no way out: pyzmq then marks it flushed and
  the enclosing flush spins on a message it no longer reads.)
"""

from __future__ import annotations

import inspect
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Shell message types the pump must be able to dispatch itself.
REQUIRED_HANDLERS = (
    "comm_open",
    "comm_msg",
    "comm_close",
    "kernel_info_request",
    "comm_info_request",
)


class PumpUnavailable(RuntimeError):
    """The running kernel's internals were not recognised, so a cell cannot block.

    The message says what was not found. Waiting anyway would hang the cell silently,
    which is why :func:`pywebio_nb._hosts.notebook._pump.wait_until` raises this instead.
    """


@dataclass(frozen=True)
class ShellInternals:
    """The pieces of a running kernel that the shell pump needs.

    Attributes:
        kernel: The ``ipykernel`` kernel instance.
        session: Its ``jupyter_client.Session`` (signs and parses messages).
        stream: The ZMQStream on which the main shell receives its messages.
        reply_target: What shell handlers get as their ``stream`` argument; a socket
            (sends at once), never a stream whose queue waits for the IOLoop.
        native_async_comms: True when the kernel dispatches comm messages by itself
            while an async cell awaits (ipykernel 7.4's concurrent comm dispatch).
        main_thread: The thread that runs cells and reads ``stream``.
        layout: Name of the recognised layout, for messages.
    """

    kernel: Any
    session: Any
    stream: Any
    reply_target: Any
    native_async_comms: bool
    main_thread: threading.Thread
    layout: str


def ipykernel_version() -> str:
    """Return the version of the imported ipykernel, or ``"not imported"``."""
    module = sys.modules.get("ipykernel")
    if module is None:
        return "not imported"
    return str(getattr(module, "__version__", "unknown"))


def running_kernel() -> Any | None:
    """Return the running ipykernel instance, or None when not inside a kernel.

    Never imports ipykernel: outside a kernel process it is usually not imported, and
    importing it would be a side effect.
    """
    kernelbase = sys.modules.get("ipykernel.kernelbase")
    kernel_class = getattr(kernelbase, "Kernel", None)
    if kernel_class is None:
        return None
    try:
        if not kernel_class.initialized():
            return None
        return kernel_class.instance()
    except Exception:
        return None


def _unavailable(what: str) -> PumpUnavailable:
    return PumpUnavailable(
        f"pywebio_nb cannot block this cell for input: {what} "
        f"(ipykernel {ipykernel_version()}). The blocking wait supports ipykernel 6.29 "
        "to 7.4. Use the async form (`await ...`) in this kernel, or install a "
        "supported ipykernel (for example `pip install 'ipykernel>=6.29,<7.5'`)."
    )


def _is_zmq_stream(obj: Any) -> bool:
    try:
        from zmq.eventloop.zmqstream import ZMQStream
    except ImportError:  # pragma: no cover - pyzmq always ships it
        return False
    return (
        isinstance(obj, ZMQStream)
        and hasattr(obj, "_recv_callback")
        and hasattr(obj, "_recv_copy")
        and getattr(obj, "socket", None) is not None
    )


def _dispatch_accepts_concurrent(kernel: Any) -> bool:
    dispatch = getattr(kernel, "dispatch_shell", None)
    if dispatch is None:
        return False
    try:
        return "concurrent" in inspect.signature(dispatch).parameters
    except (TypeError, ValueError):
        return False


def _check_kernel(kernel: Any) -> None:
    session = getattr(kernel, "session", None)
    for name in ("feed_identities", "deserialize", "unpack"):
        if not callable(getattr(session, name, None)):
            raise _unavailable(f"kernel.session has no {name}()")
    for name in ("set_parent", "get_parent"):
        if not callable(getattr(kernel, name, None)):
            raise _unavailable(f"kernel has no {name}()")
    idents = getattr(kernel, "_parent_ident", None)
    if not isinstance(idents, Mapping):
        raise _unavailable("kernel._parent_ident is not a mapping")
    handlers = getattr(kernel, "shell_handlers", None)
    if not isinstance(handlers, Mapping):
        raise _unavailable("kernel.shell_handlers is not a mapping")
    missing = [name for name in REQUIRED_HANDLERS if not callable(handlers.get(name))]
    if missing:
        raise _unavailable(f"kernel.shell_handlers lacks {', '.join(missing)}")


def locate_shell() -> ShellInternals:
    """Find the running kernel's main-shell stream and its reply target.

    Returns:
        The internals the pump needs.

    Raises:
        PumpUnavailable: Not inside an ipykernel, or its layout was not recognised.
    """
    kernel = running_kernel()
    if kernel is None:
        raise _unavailable("no running IPython kernel was found")
    _check_kernel(kernel)
    channel_thread = getattr(kernel, "shell_channel_thread", None)
    if channel_thread is not None:
        manager = getattr(channel_thread, "manager", None)
        pair = getattr(manager, "_shell_channel_to_main", None)
        stream = getattr(pair, "to_stream", None)
        if not _is_zmq_stream(stream):
            raise _unavailable(
                "kernel.shell_channel_thread.manager._shell_channel_to_main.to_stream "
                "is not a ZMQStream"
            )
        reply_socket_for = getattr(manager, "get_subshell_to_shell_channel_socket", None)
        if not callable(reply_socket_for):
            raise _unavailable("the subshell manager has no get_subshell_to_shell_channel_socket()")
        parent_thread = getattr(channel_thread, "parent_thread", None)
        if not isinstance(parent_thread, threading.Thread):
            parent_thread = threading.main_thread()
        return ShellInternals(
            kernel=kernel,
            session=kernel.session,
            stream=stream,
            reply_target=reply_socket_for(None),
            native_async_comms=_dispatch_accepts_concurrent(kernel),
            main_thread=parent_thread,
            layout="shell-channel-thread",
        )
    stream = getattr(kernel, "shell_stream", None)
    if stream is None or not _is_zmq_stream(stream):
        raise _unavailable("kernel.shell_stream is not a ZMQStream")
    return ShellInternals(
        kernel=kernel,
        session=kernel.session,
        stream=stream,
        reply_target=stream.socket,
        native_async_comms=_dispatch_accepts_concurrent(kernel),
        main_thread=threading.main_thread(),
        layout="direct",
    )
