"""Output scopes: named containers that later output can be put into, cleared or removed."""

from __future__ import annotations

import functools
import inspect
import secrets
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, TypeVar, cast

from .._core.context import pop_scope, push_scope
from .._core.context import stack_var as _stack_var
from .._core.current import current_session
from .._core.document import Output
from .._core.protocol import ScrollCommand, ScrollPosition
from .._core.session import Session
from ._common import check_position, check_type

__all__ = [
    "clear",
    "clear_scope",
    "get_scope",
    "put_scope",
    "remove",
    "scroll_to",
    "set_scope",
    "use_scope",
]

F = TypeVar("F", bound=Callable[..., Any])


def _create_scope(
    session: Session,
    name: str,
    content: Sequence[Any],
    container: str | int | None,
    position: int,
    argument: str = "scope",
) -> Output:
    if name in session.scopes and session.scopes[name].find_root() is not None:
        raise ValueError(f"scope name={name!r} already exists; use_scope({name!r}) writes into it")
    session.resolve_scope(container, argument)  # fail before any content is put
    items = [item if isinstance(item, Output) else _text(item) for item in content]
    scope = session.make({"type": "scope", "name": name, "children": []})
    session.adopt_children(scope, items)
    session.place(scope, container, position)
    session.scopes[name] = scope
    return scope


def _text(item: Any) -> Output:
    from ._text import put_text

    return put_text(item)


def put_scope(
    name: str,
    content: Output | Sequence[Any] = (),
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a named scope, optionally with initial content.

    Args:
        name: the scope name (letters, digits, ``_`` and ``-``); it must not exist yet.
        content: an output or a list of outputs (strings are shown as text).
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> put_table([["status", put_scope("status", [put_text("idle")])]])  # doctest: +SKIP
        >>> with use_scope("status", clear=True):  # doctest: +SKIP
        ...     put_text("busy")
    """
    session = current_session()
    session.check_name(name, "name")
    check_position(position, "put_scope")
    if isinstance(content, (str, bytes)) or not isinstance(content, (Output, Sequence)):
        raise TypeError(
            f"put_scope(): content must be an output or a list, got {type(content).__name__} "
            f"{content!r:.80}"
        )
    items = [content] if isinstance(content, Output) else list(content)
    return _create_scope(session, name, items, scope, position)


def set_scope(
    name: str,
    container_scope: str | int | None = None,
    position: int = -1,
    if_exist: str | None = None,
) -> None:
    """Create a scope in ``container_scope`` (the current one by default).

    Args:
        name: the scope name.
        container_scope: where to create it.
        position: see :func:`put_text`.
        if_exist: what to do when it exists: ``None`` nothing, ``'clear'`` (or ``'blank'``)
            empty it, ``'remove'`` remove it and create it anew.

    Example:
        >>> set_scope("results", if_exist="clear")  # doctest: +SKIP
    """
    session = current_session()
    session.check_name(name, "name")
    check_position(position, "set_scope")
    if if_exist not in (None, "clear", "blank", "remove"):
        raise ValueError(
            f"set_scope(): if_exist must be None, 'clear', 'blank' or 'remove', got {if_exist!r}"
        )
    existing = session.scopes.get(name)
    if existing is not None and existing.find_root() is not None:
        if if_exist in ("clear", "blank"):
            session.clear(existing)
            return
        if if_exist is None:
            return
        session.remove(existing)
    _create_scope(session, name, (), container_scope, position, "container_scope")


def get_scope(stack_idx: int = -1) -> str | None:
    """The name of a scope in the current scope stack.

    Args:
        stack_idx: ``0`` is ``'ROOT'``, ``-1`` the innermost scope entered with ``use_scope``.

    Returns:
        The name, or ``None`` when the index is out of range.

    Example:
        >>> with use_scope("outer"):  # doctest: +SKIP
        ...     get_scope()  # 'outer'
    """
    check_type(stack_idx, int, "stack_idx", "get_scope")
    names = ("ROOT", *_stack_var.get())
    try:
        return names[stack_idx]
    except IndexError:
        return None


def clear(scope: str | int | None = None) -> None:
    """Remove everything inside a scope (the current one by default).

    Example:
        >>> clear("results")  # doctest: +SKIP
    """
    session = current_session()
    session.clear(session.resolve_scope(scope))


clear_scope = clear


def remove(scope: str | int | None = None) -> None:
    """Remove a scope and its content (the current one by default; not ``'ROOT'``).

    Example:
        >>> remove("results")  # doctest: +SKIP
    """
    session = current_session()
    node = session.resolve_scope(scope)
    if node.root is not None:
        raise ValueError("remove(): the ROOT scope cannot be removed; use clear() to empty it")
    session.remove(node)


def scroll_to(scope: str | int | None = None, position: str = "top") -> None:
    """Scroll the page so the scope is at the top, middle or bottom of the window.

    Example:
        >>> scroll_to("results", position="middle")  # doctest: +SKIP
    """
    if position not in ("top", "middle", "bottom"):
        raise ValueError(
            f"scroll_to(): position must be 'top', 'middle' or 'bottom', got {position!r}"
        )
    session = current_session()
    node = session.resolve_scope(scope)
    command: ScrollCommand = {
        "op": "scroll",
        "id": node.id,
        "position": cast(ScrollPosition, position),  # checked above
    }
    session.command(node, command)
    session.flush()


class use_scope:
    """Enter a scope: output inside goes there. A context manager and a decorator.

    The scope is created in the current scope if it does not exist. Named scopes are shared by
    the whole notebook: a later cell can write into a scope an earlier cell shows.

    Args:
        name: the scope name; a new unique name when omitted (``with`` returns it).
        clear: empty the scope first.
        **kwargs: ``create_scope`` (default True), ``container_scope``, ``position``.

    Example:
        >>> with use_scope("log"):  # doctest: +SKIP
        ...     put_text("written into the 'log' scope")
        >>> @use_scope("clock", clear=True)  # doctest: +SKIP
        ... def show_time():
        ...     put_text(time.ctime())
    """

    def __init__(self, name: str | None = None, clear: bool = False, **kwargs: Any) -> None:
        if name is None:
            name = "scope-" + secrets.token_hex(5)
        self.name = name
        self.clear = clear
        self.create_scope = kwargs.pop("create_scope", True)
        self.container_scope = kwargs.pop("container_scope", None)
        self.position = kwargs.pop("position", -1)
        check_position(self.position, "use_scope")
        if kwargs:
            raise TypeError(f"use_scope(): unexpected arguments {sorted(kwargs)}")
        self._tokens: list[Any] = []

    def __enter__(self) -> str:
        session = current_session()
        name = self.name
        if name != "ROOT":
            session.check_name(name, "name")
            existing = session.scopes.get(name)
            if existing is None or existing.find_root() is None:
                if not self.create_scope:
                    raise ValueError(f"use_scope(): scope name={name!r} does not exist")
                _create_scope(
                    session, name, (), self.container_scope, self.position, "container_scope"
                )
            elif self.clear:
                session.clear(existing)
        elif self.clear:
            session.clear(session.task_root().scope)
        self._tokens.append(push_scope(name))
        return name

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        pop_scope(self._tokens.pop())

    def __call__(self, func: F) -> F:
        name, clear_first = self.name, self.clear
        options = {
            "create_scope": self.create_scope,
            "container_scope": self.container_scope,
            "position": self.position,
        }
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with use_scope(name, clear_first, **options):
                    return await func(*args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with use_scope(name, clear_first, **options):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]
