"""Which session the running code belongs to: a leaf module that imports nothing of ours.

* :data:`session_var` — the session of the running task (an app's thread or coroutine, a
  ``FakeSession`` in a ``with`` block). Hosts set it; nothing here knows what a host is.
* The *default session* serves code that runs outside any such task (a notebook cell, a script's
  top level). Hosts register a finder for it with :func:`register_default_finder`; the first
  finder that returns a session wins, once, for the life of the process.
* :data:`stack_var` — the scope names ``use_scope`` entered in the running task.
* :func:`per_session` — module-level stores of per-session state, emptied when a session ends.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any, Protocol, TypeVar

__all__ = [
    "SessionLike",
    "find_session",
    "install_default_session",
    "per_session",
    "pop_scope",
    "push_scope",
    "register_default_finder",
    "session_var",
    "stack_var",
]


class SessionLike(Protocol):
    """What this leaf module knows of a session; the full type is ``_core.session.Session``.

    Hosts register :class:`~pywebio_nb._core.session.Session` instances only:
    :func:`pywebio_nb._core.current.current_session` gives them back with their full type.
    """

    def blocking_allowed(self) -> bool:
        """Whether the running code may block while it waits for the page."""
        ...


#: The session of the running task, set by the host that runs it (app threads and tasks).
session_var: ContextVar[SessionLike | None] = ContextVar("pywebio_nb_session", default=None)
#: Scope names pushed by ``use_scope`` in the running task, innermost last ('ROOT' is implicit).
stack_var: ContextVar[tuple[str, ...]] = ContextVar("pywebio_nb_scope_stack", default=())

_lock = threading.Lock()
_default: SessionLike | None = None
_finders: list[Callable[[], SessionLike | None]] = []
_no_session: Callable[[], Exception] | None = None


def register_default_finder(
    finder: Callable[[], SessionLike | None], no_session: Callable[[], Exception] | None = None
) -> None:
    """Let a host provide the session of code that runs outside any app task.

    ``finder()`` returns a session, or ``None`` when its host does not apply here (no kernel
    runs, script mode is off). Finders are asked in registration order, at most until one
    answers. ``no_session()`` makes the error raised when none applies.

    Example:
        >>> register_default_finder(lambda: None)  # doctest: +SKIP
    """
    global _no_session
    _finders.append(finder)
    if no_session is not None:
        _no_session = no_session


def default_session() -> SessionLike | None:
    """The session a registered finder found for this process, if any was asked for yet."""
    return _default


def install_default_session(session: SessionLike) -> None:
    """Make ``session`` the process's default session, in place of what a finder found.

    For a host that takes a kernel over (a notebook run as a dashboard), before any output.

    Example:
        >>> install_default_session(dashboard_session)  # doctest: +SKIP
    """
    global _default
    with _lock:
        _default = session


def find_session() -> SessionLike:
    """The session of the running code: the app session, or the process's default session.

    Typed as :class:`SessionLike` here; :func:`pywebio_nb._core.current.current_session` is
    the same lookup with the session's full type.

    Raises:
        SessionNotFoundException: outside any app, kernel or script (see the host finders).

    Example:
        >>> from pywebio_nb._hosts.fake import FakeSession
        >>> with FakeSession() as session:
        ...     find_session() is session
        True
    """
    session = session_var.get()
    if session is not None:
        return session
    found = _default
    if found is not None:
        return found
    return _find_default()


def _find_default() -> SessionLike:
    global _default
    with _lock:
        if _default is None:
            for finder in _finders:
                found = finder()
                if found is not None:
                    _default = found
                    break
            else:
                raise (_no_session or _plain_error)()
        return _default


def _plain_error() -> Exception:
    return LookupError("no pywebio_nb session")


def push_scope(name: str) -> Token[tuple[str, ...]]:
    """Enter scope ``name`` in the running task; give the token to :func:`pop_scope`."""
    return stack_var.set((*stack_var.get(), name))


def pop_scope(token: Token[tuple[str, ...]]) -> None:
    """Leave the scope entered with ``token``."""
    try:
        stack_var.reset(token)
    except ValueError:  # left in another context than entered (e.g. across a generator)
        stack_var.set(stack_var.get()[:-1])


#: Every module-level store of per-session state (see :func:`per_session`).
stores: list[weakref.WeakKeyDictionary[Any, Any]] = []
S = TypeVar("S", bound="weakref.WeakKeyDictionary[Any, Any]")


def per_session(store: S) -> S:
    """Register a module's store of per-session state (open popup, progress bars, pins...).

    Its values refer back to their session (outputs, registries), so weak keys alone would
    keep an ended session alive for good: ``Session.drop_state`` removes the session from
    every registered store when it ends.

    Example:
        >>> import weakref
        >>> _bars = per_session(weakref.WeakKeyDictionary())
    """
    stores.append(store)
    return store
