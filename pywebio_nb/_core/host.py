"""The host interface: what a place that shows pywebio_nb output provides to the core.

A *host* is where a session's output is shown and its events come from: a notebook kernel
(``pywebio_nb._hosts.notebook``), a standalone page (``pywebio_nb._hosts.app``), an in-memory
page for tests (``pywebio_nb._hosts.fake``). Each host is a subclass of
:class:`~pywebio_nb._core.session.Session` that satisfies :class:`Host`; the session API
(``pywebio_nb.session``) calls these methods and never asks which host it talks to.

:class:`HostDefaults` gives every optional part a default. What makes no sense in a host
(``go_app`` in a notebook, ``run_async`` outside coroutine apps) raises from one place,
:meth:`HostDefaults.unsupported`, with a message naming the function and the host.
"""

from __future__ import annotations

import asyncio
import atexit
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

from .info import SessionInfo
from .protocol import PageCommand

if TYPE_CHECKING:
    from .document import Root
    from .waiting import Mailbox

__all__ = ["Host", "HostDefaults", "LocalData"]


class LocalData:
    """Per-session attributes (``pywebio_nb.session.local``); missing names read as ``None``.

    Example:
        >>> data = LocalData()
        >>> data.count = 1
        >>> data.count, data.missing
        (1, None)
    """

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


class Host(Protocol):
    """What the core and the session API need from a host.

    Sending: :meth:`deliver` (one batch of commands for a root's views), :meth:`send_snapshot`
    (a root's whole state, for a view that fell behind) and :meth:`send_page` (a page command:
    ``run_js``, ``eval_js``, ``download``, ``env``, ``go_app``). Waiting: :meth:`block_until`
    and :meth:`block_until_async` wait until a mailbox's events satisfy a predicate (answers to
    page commands, forms, pins all arrive in mailboxes); :meth:`wake` is called when one gets
    an event. The visitor: :attr:`local`, :meth:`visitor_info`. Lifetime: :meth:`defer`,
    :meth:`hold`, :meth:`close`. Callbacks: :meth:`schedule_callback` runs one for an event,
    :meth:`await_callback` runs the coroutine an ``async def`` callback returned.
    """

    #: Shown in messages: "notebook", "app", "script", "test session".
    kind: str
    #: Per-session attributes (``pywebio_nb.session.local``).
    local: LocalData

    def task_root(self) -> Root:
        """The root that ``'ROOT'`` means for the running code."""
        ...

    def deliver(self, root: Root, seq: int, payload: bytes) -> None:
        """Send one batch (``payload``: the commands' JSON) to the views of ``root``."""
        ...

    def send_snapshot(self, root: Root, snapshot: str) -> None:
        """Send a root's snapshot (JSON) to a view that asked for it."""
        ...

    def send_page(self, command: PageCommand, payload: bytes | None = None) -> None:
        """Send a page command to the page showing the running code, after queued output."""
        ...

    def block_until(
        self, ready: Callable[[], bool], mailbox: Mailbox, timeout: float | None
    ) -> bool:
        """Call ``ready()`` whenever ``mailbox`` gets an event, until it is True."""
        ...

    async def block_until_async(
        self, ready: Callable[[], bool], mailbox: Mailbox, timeout: float | None
    ) -> bool:
        """The awaitable form of :meth:`block_until`."""
        ...

    def wake(self) -> None:
        """A mailbox got an event."""
        ...

    def blocking_allowed(self) -> bool:
        """Whether a call that is not awaited may block the calling thread."""
        ...

    def set_env(self, env: dict[str, Any]) -> None:
        """Apply ``set_env()`` values to the page."""
        ...

    def visitor_info(self) -> SessionInfo:
        """Facts about the visitor (``pywebio_nb.session.info``)."""
        ...

    def defer(self, func: Callable[[], Any]) -> None:
        """Run ``func()`` when the session ends."""
        ...

    def hold(self) -> Any:
        """Keep the session open until it ends (a coroutine where the caller must await)."""
        ...

    def adopt_thread(self, thread: threading.Thread) -> None:
        """Let ``thread`` (not started yet) write into this session."""
        ...

    def create_task(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a coroutine inside this session (``run_async``)."""
        ...

    def schedule_callback(self, root: Root, callback: Callable[[Any], Any], value: Any) -> None:
        """Run the callback of an event from a view of ``root``."""
        ...

    def await_callback(self, root: Root, awaitable: Awaitable[Any]) -> None:
        """Run to completion the awaitable an ``async def`` callback returned."""
        ...

    def complain(self, text: str) -> None:
        """Report an event the dispatcher refused (an unknown callback id...)."""
        ...

    def close(self) -> None:
        """The session ended: wake waiters, run deferred functions, let go of the document."""
        ...


class HostDefaults:
    """Defaults of the optional parts of :class:`Host`, and the one "unsupported" error."""

    kind = "session"

    def unsupported(self, function: str, hint: str = "") -> NoReturn:
        """Raise the error of a session function that makes no sense in this host.

        Example:
            >>> HostDefaults().unsupported("go_app")  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            NotImplementedError: go_app() does not work in this session; it works in apps ...
        """
        raise NotImplementedError(
            f"{function}() does not work in this {self.kind}; "
            + (hint or "it works in apps served at /webio/ or by start_server()")
        )

    def send_page(self, command: PageCommand, payload: bytes | None = None) -> None:
        """No page to send to: ``run_js`` and friends are unsupported."""
        self.unsupported(command["kind"])

    env: dict[str, Any]

    def set_env(self, env: dict[str, Any]) -> None:
        """Keep the values; nothing shows them (the notebook owns the page)."""
        self.env.update(env)

    def visitor_info(self) -> SessionInfo:
        """A notebook kernel's facts (no visitor page)."""
        return SessionInfo(backend="jupyter-kernel", protocol="comm")

    def defer(self, func: Callable[[], Any]) -> None:
        """Run ``func()`` when the process exits (a notebook: when the kernel shuts down)."""
        atexit.register(func)

    def hold(self) -> Any:
        """Return at once: the process (the kernel) keeps callbacks alive."""
        return None

    def adopt_thread(self, thread: threading.Thread) -> None:
        """Nothing to do: every thread already writes into this session."""

    def create_task(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Unsupported outside coroutine apps."""
        coro.close()
        self.unsupported("run_async", "it works in coroutine (async def) apps only")

    def complain(self, text: str) -> None:
        """Ignore a refused event (a stale view: its cell was re-run)."""
