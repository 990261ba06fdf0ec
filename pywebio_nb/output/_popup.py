"""Popups and toasts: shown over the page, owned by the root (cell) that raised them.

A popup or toast is a node of the running code's root, rendered ``position: fixed`` over the
page, so it disappears with its cell when the cell is re-run. One popup at a time per session:
a new popup closes the old one. Closing in the browser (close button, Escape, outside click)
and a toast timing out send a callback that removes the node from the document.
"""

from __future__ import annotations

import functools
import inspect
import re
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from .._core.context import per_session
from .._core.current import current_session, session_of
from .._core.document import Output
from .._core.nodes import PopupBody, ToastBody
from .._core.session import Session
from ._common import ContainerOutput, as_list, as_output, check_type, label_text

__all__ = ["PopupSize", "close_popup", "popup", "toast"]

F = TypeVar("F", bound=Callable[..., Any])

_popups: weakref.WeakKeyDictionary[Session, Output] = per_session(weakref.WeakKeyDictionary())

_TOAST_COLORS = {"info": "info", "error": "error", "warn": "warn", "success": "success"}
_HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


class PopupSize:
    """Values of ``popup(size=...)``."""

    LARGE = "large"
    NORMAL = "normal"
    SMALL = "small"


class _PopupOutput(ContainerOutput):
    """The popup node; also what :func:`popup` returns (a context manager and a decorator)."""

    __slots__ = ("_options",)

    _options: dict[str, Any]

    def __call__(self, func: F) -> F:
        """Use as a decorator: the function's output goes into the popup (reopened if closed)."""
        holder = [self]

        def enter() -> _PopupOutput:
            current = holder[0]
            if current.find_root() is None:
                current = popup(**current._options)
                holder[0] = current
            return current

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with enter():
                    return await func(*args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with enter():
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def _remove_later(session: Session, holder: list[weakref.ref[Output]]) -> Callable[[Any], None]:
    def remove(_value: Any) -> None:
        node = holder[0]() if holder else None
        if node is not None:
            session = session_of(node)
            session.remove(node)
            if _popups.get(session) is node:
                del _popups[session]

    return remove


def popup(
    title: str,
    content: Any = None,
    size: str = PopupSize.NORMAL,
    implicit_close: bool = True,
    closable: bool = True,
) -> Any:
    """Show a popup (a modal dialog) over the page; a new popup replaces the open one.

    Args:
        title: the dialog's title.
        content: an output, a string, or a list of them.
        size: ``'small'``, ``'normal'`` or ``'large'``.
        implicit_close: close on Escape and on a click outside the dialog.
        closable: show a close button; ``False`` also turns ``implicit_close`` off, so only
            :func:`close_popup` closes it.

    Returns:
        The popup. ``with popup("t"): put_text(...)`` writes into it (leaving the block does not
        close it); as a decorator, ``@popup("t")`` sends the function's output into it.

    Example:
        >>> popup("Hello", [put_text("content"), put_buttons(["close"],
        ...       onclick=lambda _: close_popup())])  # doctest: +SKIP
        >>> with popup("Log"):  # doctest: +SKIP
        ...     put_text("written into the popup")
    """
    title = label_text(title, "title", "popup")
    if size not in (PopupSize.LARGE, PopupSize.NORMAL, PopupSize.SMALL):
        raise ValueError(f"popup(): size must be 'large', 'normal' or 'small', got {size!r}")
    items = as_list(content, "content", "popup")
    session = current_session()
    old = _popups.get(session)
    if old is not None:
        session.remove(old)
    holder: list[weakref.ref[Output]] = []
    implicit = bool(implicit_close) and bool(closable)
    spec: PopupBody = {
        "type": "popup",
        "title": title,
        "size": size,
        "implicit_close": implicit,
        "closable": bool(closable),
        "close": session.register_callback(_remove_later(session, holder)),
        "children": [],
    }
    out = session.make(spec, output_class=_PopupOutput)
    assert isinstance(out, _PopupOutput)
    out._options = {
        "title": title,
        "size": size,
        "implicit_close": implicit_close,
        "closable": closable,
    }
    session.adopt_children(out, [as_output(session, item) for item in items])
    session.place(out, "ROOT")
    holder.append(weakref.ref(out))
    _popups[session] = out
    return out


def close_popup() -> None:
    """Close the open popup, if any.

    Example:
        >>> put_button("Done", onclick=close_popup)  # doctest: +SKIP
    """
    session = current_session()
    old = _popups.pop(session, None)
    if old is not None:
        session.remove(old)


def toast(
    content: Any,
    duration: float = 2,
    position: str = "center",
    color: str = "info",
    onclick: Callable[[], Any] | None = None,
) -> None:
    """Show a short notification over the page.

    Args:
        content: the message (shown as text).
        duration: seconds before it disappears; ``0`` keeps it until closed.
        position: ``'left'``, ``'center'`` or ``'right'`` (at the top of the window).
        color: ``'info'``, ``'error'``, ``'warn'``, ``'success'`` or a ``'#rrggbb'`` colour.
        onclick: called (without arguments) when the toast is clicked; the toast then closes.

    Example:
        >>> toast("Saved", color="success", onclick=lambda: put_text("hi"))  # doctest: +SKIP
    """
    check_type(duration, (int, float), "duration", "toast")
    if duration < 0:
        raise ValueError(f"toast(): duration must be 0 (sticky) or positive, got {duration!r}")
    if position not in ("left", "center", "right"):
        raise ValueError(f"toast(): position must be 'left', 'center' or 'right', got {position!r}")
    check_type(color, str, "color", "toast")
    if color not in _TOAST_COLORS and not _HEX_COLOR.match(color):
        raise ValueError(
            f"toast(): color must be 'info', 'error', 'warn', 'success' or '#rrggbb', got {color!r}"
        )
    if onclick is not None and not callable(onclick):
        raise TypeError(f"toast(): onclick must be callable, got {onclick!r:.80}")
    session = current_session()
    holder: list[weakref.ref[Output]] = []
    spec: ToastBody = {
        "type": "toast",
        "text": str(content),
        "duration": int(duration * 1000),
        "position": position,
        "color": color,
        "close": session.register_callback(_remove_later(session, holder)),
    }
    if onclick is not None:
        remove = _remove_later(session, holder)

        def clicked(_value: Any) -> Any:
            remove(None)
            return onclick()  # an async def onclick's coroutine is awaited by the host

        spec["cb"] = session.register_callback(clicked)
    out = session.make(spec)
    session.place(out, "ROOT")
    holder.append(weakref.ref(out))
