"""The session API: ``run_js``, ``eval_js``, ``download``, ``set_env``, ``defer_call``...

Each function works on the session of the running code, whatever its host (a standalone app's
visitor, thread or coroutine app, or the notebook kernel), through the host interface
(:class:`pywebio_nb._core.host.Host`). What a host cannot do it refuses in one place
(``HostDefaults.unsupported``); differences are in each docstring.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Any, TypeVar

from .._core.current import current_session
from .._core.host import LocalData
from .._core.info import SessionInfo
from .._core.protocol import DownloadHeader, EvalJsMessage, GoAppMessage, RunJsMessage
from .._core.session import Session
from .._core.waiting import caller_frame, run_blocking_or_awaitable
from ..exceptions import SessionNotFoundException

__all__ = [
    "TaskHandler",
    "data",
    "defer_call",
    "download",
    "eval_js",
    "get_current_session",
    "get_info",
    "go_app",
    "hold",
    "info",
    "local",
    "register_thread",
    "run_async",
    "run_asyncio_coroutine",
    "run_js",
    "set_env",
]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

#: set_env keys and the checks of their values (PyWebIO's keys).
_ENV_KEYS: dict[str, Callable[[Any], bool]] = {
    "title": lambda v: isinstance(v, str),
    "output_animation": lambda v: isinstance(v, bool),
    "auto_scroll_bottom": lambda v: isinstance(v, bool),
    "http_pull_interval": lambda v: isinstance(v, int) and v > 0,
    "input_panel_fixed": lambda v: isinstance(v, bool),
    "input_panel_min_height": lambda v: isinstance(v, int) and v >= 75,
    "input_panel_init_height": lambda v: isinstance(v, int) and v >= 175,
    "input_auto_focus": lambda v: isinstance(v, bool),
    "output_max_width": lambda v: isinstance(v, str) and 0 < len(v) < 40,
}


def get_current_session() -> Session:
    """The session of the running code.

    Raises:
        SessionNotFoundException: outside an app and outside a notebook kernel, or in a thread
            of a standalone app that was not passed to :func:`register_thread`.

    Example:
        >>> session = get_current_session()  # doctest: +SKIP
    """
    return current_session()


def set_env(**env: Any) -> None:
    """Configure the page: ``title``, ``output_max_width``, ``auto_scroll_bottom``, ...

    Keys (PyWebIO's): ``title`` (str), ``output_animation`` (bool), ``auto_scroll_bottom``
    (bool), ``http_pull_interval`` (int ms; accepted and ignored: pages use a WebSocket),
    ``input_panel_fixed`` (bool), ``input_panel_min_height`` (int ≥ 75),
    ``input_panel_init_height`` (int ≥ 175), ``input_auto_focus`` (bool), ``output_max_width``
    (CSS length such as ``"1080px"`` or ``"80%"``). In a notebook the values are kept but have no
    visible effect (the notebook owns the page).

    Raises:
        ValueError: an unknown key or a value of the wrong kind (the error names both).

    Example:
        >>> set_env(title="Dashboard", output_max_width="100%")  # doctest: +SKIP
    """
    for key, value in env.items():
        check = _ENV_KEYS.get(key)
        if check is None:
            raise ValueError(f"set_env(): unknown key {key!r}; known keys: {sorted(_ENV_KEYS)}")
        if not check(value):
            raise ValueError(f"set_env(): {key}={value!r} is not a valid value")
    current_session().set_env(env)


def run_js(code_: str, **args: Any) -> None:
    """Run JavaScript in the visitor's page (fire and forget).

    Args:
        code_: JavaScript statements.
        **args: JSON values made available to the code as local variables.

    In a notebook the code runs in the page of the cell's output.

    Example:
        >>> run_js("console.log(msg)", msg="hello")  # doctest: +SKIP
    """
    if not isinstance(code_, str):
        raise TypeError(f"run_js(): code_ must be a str, got {type(code_).__name__}")
    command: RunJsMessage = {"kind": "run_js", "code": code_, "args": args}
    current_session().send_page(command)


def eval_js(expression_: str, **args: Any) -> Any:
    """Evaluate a JavaScript expression in the page and return its JSON value.

    A promise is awaited; a rejected promise or an error returns ``None``. ``await
    eval_js(...)`` waits without blocking (in a coroutine app an un-awaited call returns an
    awaitable, as in PyWebIO). In a notebook the expression runs in the page showing the
    running cell's output.

    Args:
        expression_: a JavaScript expression.
        **args: JSON values available to the expression as local variables.

    Raises:
        SessionClosedException: the page closed before answering.

    Example:
        >>> width = eval_js("window.innerWidth")  # doctest: +SKIP
        >>> width = await eval_js("window.innerWidth")  # doctest: +SKIP
    """
    __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
    if not isinstance(expression_, str):
        raise TypeError(f"eval_js(): expression_ must be a str, got {type(expression_).__name__}")
    session = current_session()
    wait_id, box = session.expect_answer("js_result")
    command: EvalJsMessage = {
        "kind": "eval_js",
        "id": wait_id,
        "expression": expression_,
        "args": args,
    }

    def ask() -> Any:
        __tracebackhide__ = True
        try:
            session.send_page(command)
            return session.wait_for_event(box)["value"]
        finally:
            session.forget_answer("js_result", wait_id)

    async def ask_async() -> Any:
        __tracebackhide__ = True
        try:
            session.send_page(command)
            return (await session.wait_for_event_async(box))["value"]
        finally:
            session.forget_answer("js_result", wait_id)

    if not session.blocking_allowed():  # a coroutine app's loop: always an awaitable
        return ask_async()
    return run_blocking_or_awaitable(ask, ask_async, caller_frame(1))


def download(name: str, content: bytes) -> None:
    """Make the visitor's browser save a file.

    Args:
        name: the file name offered to the visitor.
        content: the file's bytes.

    Example:
        >>> download("hello.txt", b"hello")  # doctest: +SKIP
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"download(): name must be a non-empty str, got {name!r}")
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise TypeError(f"download(): content must be bytes, got {type(content).__name__}")
    header: DownloadHeader = {"kind": "download", "name": name}
    current_session().send_page(header, bytes(content))


def hold() -> Any:
    """Keep the app's session open until the visitor closes the page.

    Only needed in script mode or when ``main()`` must not return; a session with callbacks
    stays open by itself. In a coroutine app, ``await hold()``. In a notebook it returns at once
    (the kernel keeps callbacks alive).

    Example:
        >>> hold()  # doctest: +SKIP
    """
    return current_session().hold()


def defer_call(func: F) -> F:
    """Run ``func()`` when the session closes (the visitor left); usable as a decorator.

    Functions run in registration order; session calls (``put_*``) inside them fail because
    the page is gone. In a notebook, they run when the kernel shuts down.

    Example:
        >>> @defer_call  # doctest: +SKIP
        ... def cleanup():
        ...     print("visitor left")
    """
    if not callable(func):
        raise TypeError(f"defer_call(): func must be callable, got {func!r}")
    current_session().defer(func)
    return func


def register_thread(thread: threading.Thread) -> None:
    """Let a thread you create (not started yet) call ``put_*`` in this session.

    Thread apps only; in a notebook every thread started in a cell already writes there.

    Example:
        >>> t = threading.Thread(target=worker)  # doctest: +SKIP
        >>> register_thread(t); t.start()  # doctest: +SKIP
    """
    if not isinstance(thread, threading.Thread):
        raise TypeError(f"register_thread(): thread must be a Thread, got {thread!r}")
    current_session().adopt_thread(thread)


def go_app(name: str, new_window: bool = True) -> None:
    """Open another app of the same server (``?app=name``).

    Args:
        name: the app's name.
        new_window: open it in a new tab instead of replacing this page.

    Example:
        >>> go_app("report", new_window=False)  # doctest: +SKIP
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"go_app(): name must be a non-empty str, got {name!r}")
    command: GoAppMessage = {"kind": "go_app", "app": name, "new_window": new_window}
    current_session().send_page(command)


class TaskHandler:
    """Controls a coroutine started with :func:`run_async`.

    Example:
        >>> handler = run_async(clock())  # doctest: +SKIP
        >>> handler.close()  # doctest: +SKIP
    """

    def __init__(self, task: asyncio.Task[Any]) -> None:
        self.task = task

    def close(self) -> None:
        """Stop the coroutine."""
        self.task.get_loop().call_soon_threadsafe(self.task.cancel)

    def closed(self) -> bool:
        """Whether the coroutine has finished or was stopped."""
        return self.task.done()


def run_async(coro_obj: Coroutine[Any, Any, Any]) -> TaskHandler:
    """Run a coroutine alongside the app, in the same session (coroutine apps only).

    Example:
        >>> handler = run_async(clock())  # doctest: +SKIP
    """
    if not asyncio.iscoroutine(coro_obj):
        raise TypeError(f"run_async(): coro_obj must be a coroutine object, got {coro_obj!r}")
    return TaskHandler(current_session().create_task(coro_obj))


async def run_asyncio_coroutine(coro_obj: Awaitable[T]) -> T:
    """Await an asyncio coroutine from a coroutine app.

    Coroutine apps already run on the server's asyncio loop, so this simply awaits it; it is
    kept for PyWebIO programs that use it.

    Example:
        >>> await run_asyncio_coroutine(asyncio.sleep(1))  # doctest: +SKIP
    """
    return await coro_obj


class _LocalProxy:
    """``local``: attributes stored per session (per kernel in a notebook).

    As PyWebIO's: a missing attribute reads as ``None``, a missing key raises ``KeyError``;
    ``in``, ``len``, iteration and ``local._dict`` work.
    """

    def _data(self) -> LocalData:
        return current_session().local

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # introspection (doctest, pickle, inspect) needs no session
            raise AttributeError(name)
        return getattr(self._data(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._data(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._data(), name)

    def __getitem__(self, name: str) -> Any:
        return self._data()._dict[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self._data()._dict[name] = value

    def __delitem__(self, name: str) -> None:
        del self._data()._dict[name]

    def __contains__(self, name: object) -> bool:
        return name in self._data()._dict

    def __len__(self) -> int:
        return len(self._data()._dict)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._data()._dict))

    def __repr__(self) -> str:
        try:
            return f"<pywebio_nb session local {self._data()._dict!r}>"
        except SessionNotFoundException:
            return "<pywebio_nb session local (no session)>"


class _InfoProxy:
    """``info``: the running session's :class:`SessionInfo`, read-only (attributes or keys)."""

    def _info(self) -> SessionInfo:
        return current_session().visitor_info()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # introspection (doctest, pickle, inspect) needs no session
            raise AttributeError(name)
        return getattr(self._info(), name)

    def __getitem__(self, name: str) -> Any:
        info = self._info()
        if name not in info:
            raise KeyError(name)
        return info[name]

    def __setattr__(self, name: str, value: Any) -> None:
        # One proxy serves every session: an attribute set on it would show in all of them.
        raise AttributeError(f"session info is read-only (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"session info is read-only (cannot delete {name!r})")

    def __contains__(self, name: object) -> bool:
        return name in self._info()

    def __iter__(self) -> Iterator[str]:
        return iter(self._info())

    def __len__(self) -> int:
        return len(self._info())

    def __repr__(self) -> str:
        try:
            return repr(self._info())
        except SessionNotFoundException:
            return "<pywebio_nb session info (no session)>"


#: Session-local attributes: ``local.name = value``; unknown names read as ``None``.
local: Any = _LocalProxy()
#: Facts about the visitor: ``info.user_agent``, ``info.user_ip``, ``info.user_language``...
info: Any = _InfoProxy()


def data() -> Any:
    """Deprecated alias of :data:`local`.

    Example:
        >>> data().counter = 1  # doctest: +SKIP
    """
    return local


def get_info() -> Any:
    """Deprecated alias of :data:`info`.

    Example:
        >>> get_info().user_ip  # doctest: +SKIP
    """
    return info
