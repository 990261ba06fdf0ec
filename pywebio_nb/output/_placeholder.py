"""Placeholders (``output()``) and the deprecated ``style()`` function."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._core.current import current_session, session_of
from .._core.document import Output, resolve_index
from ._common import ContainerOutput, as_output, check_type

__all__ = ["OutputHandler", "output", "style"]


class OutputHandler(ContainerOutput):
    """A placeholder whose content can be replaced, appended to or inserted into later.

    Embed it anywhere a ``put_*`` output goes (a table cell, a row, a popup...), or show it in
    the current scope with :meth:`show`.
    """

    __slots__ = ()

    def reset(self, *contents: Any) -> None:
        """Replace the content.

        Example:
            >>> hobby.reset(put_text("Movie"))  # doctest: +SKIP
        """
        session_of(self).clear(self)
        self.append(*contents)

    def append(self, *contents: Any) -> None:
        """Add content at the end.

        Example:
            >>> hobby.append("Music", put_text("Drama"))  # doctest: +SKIP
        """
        self.insert(-1, *contents)

    def insert(self, idx: int, *contents: Any) -> None:
        """Insert content at ``idx``, with the ``position`` semantics of ``put_*``.

        ``idx >= 0`` inserts before the child at that index; a negative ``idx`` inserts after
        the child at that index from the end (``-1`` appends).

        Example:
            >>> hobby.insert(0, put_markdown("**Coding**"))  # doctest: +SKIP
        """
        check_type(idx, int, "idx", "insert")
        session = session_of(self)
        items = [as_output(session, item) for item in contents]
        session.detach_all(items)
        assert self.children is not None
        with session.lock:
            index = resolve_index(idx, len(self.children))
            shown = self.find_root() is not None
            for offset, item in enumerate(items):
                if shown:
                    session._insert(item, self, index + offset)
                else:  # not shown yet: its spec is read when it is embedded or shown
                    self.children.insert(index + offset, item)
                    self.spec["children"].insert(index + offset, item.spec)
                    item.parent = self

    def show(self) -> OutputHandler:
        """Put the placeholder in the current scope if it is not shown yet.

        Example:
            >>> output("loading...").show()  # doctest: +SKIP
        """
        if self.parent is None:
            session_of(self).place(self)
        return self

    send = show


def output(*contents: Any) -> OutputHandler:
    """A placeholder for content that changes later (deprecated in PyWebIO, kept working).

    Args:
        *contents: the initial content: outputs or strings (shown as text).

    Returns:
        The placeholder. It is not shown by itself: pass it into another output
        (``put_table([["Hobby", hobby]])``) or ``put_row([hobby])``, or call
        ``hobby.show()`` to put it in the current scope.

    Example:
        >>> hobby = output("Coding")  # doctest: +SKIP
        >>> put_table([["Name", "Ada"], ["Hobby", hobby]])  # doctest: +SKIP
        >>> hobby.append("Music")  # doctest: +SKIP
    """
    session = current_session()
    items = [as_output(session, item) for item in contents]
    out = session.make({"type": "output", "children": []}, output_class=OutputHandler)
    session.adopt_children(out, items)
    assert isinstance(out, OutputHandler)
    return out


def style(outputs: Output | Sequence[Output], css_style: str) -> Any:
    """Add CSS declarations to one output or a list of outputs (deprecated: use ``.style()``).

    Args:
        outputs: an output or a list of outputs.
        css_style: CSS declarations, e.g. ``"color: red"``.

    Returns:
        What was given, styled.

    Example:
        >>> put_row(style([put_text("A"), put_text("B")], "color: red"))  # doctest: +SKIP
    """
    check_type(css_style, str, "css_style", "style")
    if isinstance(outputs, Output):
        return outputs.style(css_style)
    if isinstance(outputs, (str, bytes)) or not isinstance(outputs, Sequence):
        raise TypeError(
            f"style(): outputs must be an output or a list of outputs, got {outputs!r:.80}"
        )
    for index, item in enumerate(outputs):
        if not isinstance(item, Output):
            raise TypeError(f"style(): outputs[{index}] must be a put_*() output, got {item!r:.80}")
    for item in outputs:
        item.style(css_style)
    return list(outputs)
