"""Helpers shared by the output families: argument checks and constants."""

from __future__ import annotations

from contextvars import Token
from types import TracebackType
from typing import Any

from .._core.context import pop_scope, push_scope
from .._core.current import current_session, session_of
from .._core.document import Output
from .._core.nodes import ContainerBody
from .._core.session import Session

__all__ = [
    "ContainerOutput",
    "OutputPosition",
    "Position",
    "as_list",
    "as_output",
    "check_type",
    "put_container",
    "session_and_children",
]


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


def label_text(value: Any, argument: str, function: str) -> str:
    """A label or title as text: a string, or a number shown as PyWebIO shows it (its ``str``).

    Example:
        >>> label_text(3, "label", "put_button"), label_text("Go", "label", "put_button")
        ('3', 'Go')
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    check_type(value, str, argument, function)
    return str(value)


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


def as_output(session: Session, item: Any) -> Output:
    """``item`` itself if it is an output, else an unplaced text output showing ``str(item)``."""
    if isinstance(item, Output):
        return item
    return session.make({"type": "text", "text": str(item)})


def as_list(content: Any, argument: str, function: str) -> list[Any]:
    """PyWebIO's ``content`` argument (one item or a list of items) as a list."""
    if content is None:
        return []
    if isinstance(content, (list, tuple)):
        return list(content)
    if isinstance(content, (Output, str, int, float)):
        return [content]
    raise TypeError(
        f"{function}(): {argument} must be an output, a string or a list of them, "
        f"got {type(content).__name__} {content!r:.80}"
    )


class ContainerOutput(Output):
    """An output whose children can grow later: usable as ``with put_collapse('t'): ...``.

    Entering registers a generated scope name for the node and pushes it on the scope stack, so
    output inside the ``with`` block goes into the container; the name stays valid afterwards
    (``put_text('x', scope=name)``).
    """

    __slots__ = ("_tokens", "scope_alias")

    def __init__(self, session: Session, spec: dict[str, Any]) -> None:
        super().__init__(session, spec)
        self.scope_alias: str | None = None
        self._tokens: list[Token[tuple[str, ...]]] = []

    @property
    def scope_name(self) -> str:
        """The scope name that writes into this container (created on first use)."""
        if self.scope_alias is None:
            session = session_of(self)
            self.scope_alias = session.new_scope_name()
            session.scopes[self.scope_alias] = self
        return self.scope_alias

    def __enter__(self) -> str:
        name = self.scope_name
        self._tokens.append(push_scope(name))
        return name

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        pop_scope(self._tokens.pop())


def put_container(
    spec: ContainerBody,
    content: list[Any],
    scope: str | int | None,
    position: int,
    output_class: type[Output] = ContainerOutput,
    session: Session | None = None,
) -> Output:
    """Make a container whose ``children`` are ``content`` (texts wrapped) and place it.

    Nothing is placed when an argument is wrong, so a failing call leaves no half-rendered node.
    """
    session = session or current_session()
    session.resolve_scope(scope)  # fail before anything moves
    items = [as_output(session, item) for item in content]
    spec["children"] = []
    out = session.make(spec, output_class=output_class)
    session.adopt_children(out, items)
    return session.place(out, scope, position)
