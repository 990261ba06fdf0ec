"""The document model: output nodes, scopes and roots.

Every ``put_*`` call creates an :class:`Output` whose ``spec`` is the JSON node the renderer draws.
Containers keep their children's specs inside their own spec, so one ``json.dumps`` of a spec is
the whole subtree. A :class:`Root` is one place where a tree is shown — a notebook cell's output or
a standalone page — and owns the queue of encoded commands that have not been sent yet.

Nothing here sends anything: :mod:`pywebio_nb._core.session` decides when queued commands leave.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from types import TracebackType

    from .nodes import NodeSpec

__all__ = ["Output", "Owner", "Root", "resolve_index"]


class Owner(Protocol):
    """What an output asks of its session (:class:`~pywebio_nb._core.session.Session`).

    The session imports this module, so the document names the session by what it uses.
    """

    def update_node(self, out: Output, attrs: dict[str, Any]) -> None:
        """Change attributes of a node."""
        ...

    def register_callback(self, callback: Callable[[Any], Any]) -> int:
        """Register a click callback and return its id."""
        ...


#: A node as the document keeps it: a ``NodeSpec`` whose keys later ``update`` commands change.
Spec = dict[str, Any]


def resolve_index(position: int, length: int) -> int:
    """Turn PyWebIO's ``position`` into a list index.

    ``position >= 0`` inserts before the child at that index; a negative one inserts after the
    child at that index counted from the end (``-1`` appends).

    Example:
        >>> resolve_index(-1, 3), resolve_index(0, 3), resolve_index(-2, 3), resolve_index(9, 3)
        (3, 0, 2, 3)
    """
    if position >= 0:
        return position if position < length else length
    index = length + position + 1
    return index if index > 0 else 0


class Output:
    """What every ``put_*`` function returns: a node of the document.

    The node is already on its way to the browser when the call returns. Passing it into another
    output (``put_row([out])``, a table cell, a popup) moves it there.

    Example:
        >>> from pywebio_nb.output import put_text
        >>> put_text("hello").style("color: red")  # doctest: +SKIP
    """

    __slots__ = ("__weakref__", "_queued", "children", "parent", "root", "session", "spec")

    #: The generated scope name of a container entered with ``with`` (set by container
    #: subclasses in ``output/_common.py``); removing the node unregisters the name.
    scope_alias: str | None = None

    def __init__(self, session: Owner, spec: Spec) -> None:
        self.session = session
        self.spec = spec
        #: The container this node is in (a scope, or an output embedding it).
        self.parent: Output | None = None
        #: Only set on a root's top scope: the root it belongs to.
        self.root: Root | None = None
        #: Child outputs, in order, for containers whose spec has a ``children`` list.
        self.children: list[Output] | None = None
        #: ``(queue, index)`` of this node's unsent ``put`` command, if any.
        self._queued: tuple[list[str | None], int] | None = None

    @property
    def node(self) -> NodeSpec:
        """This output's node (its ``spec``), typed for embedding in another node's body."""
        return cast("NodeSpec", self.spec)

    @property
    def id(self) -> int:
        """The node id, unique in its session."""
        node_id: int = self.spec["id"]
        return node_id

    def find_root(self) -> Root | None:
        """The root showing this node, or ``None`` if it is not placed anywhere."""
        node: Output | None = self
        while node is not None:
            if node.root is not None:
                return node.root
            node = node.parent
        return None

    def style(self, css_style: str) -> Output:
        """Add CSS declarations to this output's element.

        Args:
            css_style: CSS declarations, e.g. ``"color: red; margin: 0"``.

        Returns:
            The output itself, so calls chain.

        Example:
            >>> put_text("warning").style("color: red")  # doctest: +SKIP
        """
        if not isinstance(css_style, str):
            raise TypeError(
                "style(): css_style must be a str, got "
                f"{type(css_style).__name__} {css_style!r:.80}"
            )
        old = self.spec.get("style")
        self.session.update_node(self, {"style": f"{old};{css_style}" if old else css_style})
        return self

    def onclick(self, callback: Callable[[], Any]) -> Output:
        """Make this output clickable; ``callback()`` runs on each click.

        Args:
            callback: a function taking no arguments (or a coroutine function).

        Returns:
            The output itself.

        Example:
            >>> put_text("click me").onclick(lambda: toast("clicked"))  # doctest: +SKIP
        """
        if not callable(callback):
            raise TypeError(f"onclick(): callback must be callable, got {callback!r}")
        callback_id = self.session.register_callback(lambda _value: callback())
        self.session.update_node(self, {"click": callback_id})
        return self

    def show(self) -> Output:
        """Accepted for PyWebIO compatibility; outputs are shown as soon as they are put.

        Example:
            >>> put_text("hi").show()  # doctest: +SKIP
        """
        return self

    send = show

    def _ipython_display_(self) -> None:
        """Show nothing as a cell's last value: the output is already in the cell's view."""

    def __enter__(self) -> str:
        raise RuntimeError(
            f"a {self.spec.get('type')!r} output cannot be used as a context manager; "
            "use put_scope() or use_scope() to group outputs"
        )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def __repr__(self) -> str:
        return f"<pywebio_nb Output {self.spec.get('type')} #{self.spec.get('id')}>"


class Root:
    """One place a document is shown: a notebook cell's output, or a standalone page.

    Attributes:
        scope: the top scope (named ``ROOT`` from the user's point of view).
        pending: encoded commands not yet sent; ``None`` entries were cancelled.
        seq: number of the last batch sent (or folded into a snapshot).
        host: whatever the transport attached (the notebook widget, a WebSocket...).
    """

    __slots__ = ("__weakref__", "closed", "host", "key", "pending", "scope", "seq")

    def __init__(self, scope: Output, key: object = None) -> None:
        self.scope = scope
        scope.root = self
        self.pending: list[str | None] = []
        self.seq = 0
        self.host: Any = None
        self.key = key
        self.closed = False

    def __repr__(self) -> str:
        return f"<pywebio_nb Root #{self.scope.id} seq={self.seq}>"
