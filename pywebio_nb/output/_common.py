"""Helpers shared by the output families: argument checks and constants."""

from __future__ import annotations

from typing import Any

from .._document import Output
from .._session import Session, current_session

__all__ = ["OutputPosition", "Position", "check_type", "session_and_children"]


class Position:
    """Where ``scroll_to`` puts a scope in the viewport."""

    TOP = "top"
    MIDDLE = "middle"
    BOTTOM = "bottom"


class OutputPosition:
    """Named values of the ``position`` argument."""

    TOP = 0
    BOTTOM = -1


def check_type(value: Any, types: type | tuple[type, ...], argument: str, function: str) -> None:
    """Raise a ``TypeError`` naming the argument and the value when ``value`` has a wrong type."""
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in _as_tuple(types)):
        expected = " or ".join(t.__name__ for t in _as_tuple(types))
        raise TypeError(
            f"{function}(): {argument} must be {expected}, got {type(value).__name__} {value!r:.80}"
        )


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def check_position(position: Any, function: str) -> None:
    """Check the ``position`` argument every put_* accepts."""
    check_type(position, int, "position", function)


def session_and_children(items: list[Any]) -> tuple[Session, list[Output]]:
    """The current session and the outputs among ``items`` (detached, ready to embed)."""
    session = current_session()
    children = [item for item in items if isinstance(item, Output)]
    if children:
        session.detach_all(children)
    return session, children
