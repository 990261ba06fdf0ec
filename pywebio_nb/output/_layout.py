"""Layouts: rows, columns and grids of other outputs, sized with CSS grid track lists."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from .._core.current import current_session
from .._core.document import Output
from .._core.nodes import GridBody, GridCell, LinearBody
from ._common import check_position, check_type, put_container, session_and_children
from ._table import span

__all__ = ["check_track_list", "put_column", "put_grid", "put_row"]

_LENGTH = re.compile(
    r"^(?:0|[+]?(?:\d+\.?\d*|\.\d+)(?:px|%|fr|em|rem|ex|ch|vw|vh|vmin|vmax|pt|pc|cm|mm|in|q))$",
    re.IGNORECASE,
)
_KEYWORDS = frozenset({"auto", "min-content", "max-content"})
_FUNCTION = re.compile(r"^([a-z-]+)\((.*)\)$", re.IGNORECASE | re.DOTALL)


def _split(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside parentheses; unbalanced parentheses raise ValueError."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise ValueError("unbalanced ')'")
        if depth == 0 and (char.isspace() if separator == " " else char == separator):
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth:
        raise ValueError("unbalanced '('")
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _check_track(track: str) -> None:
    lowered = track.lower()
    if lowered in _KEYWORDS or _LENGTH.match(track):
        return
    match = _FUNCTION.match(track)
    if not match:
        raise ValueError(f"{track!r} is not a CSS track size")
    name, inner = match.group(1).lower(), match.group(2)
    args = _split(inner, ",")
    if name == "minmax" and len(args) == 2:
        for arg in args:
            _check_track(arg)
    elif name == "fit-content" and len(args) == 1 and _LENGTH.match(args[0]):
        return
    elif name == "repeat" and len(args) == 2:
        count = args[0].lower()
        if not (count.isdigit() and int(count) > 0) and count not in ("auto-fill", "auto-fit"):
            raise ValueError(f"{track!r}: repeat() needs a positive count, auto-fill or auto-fit")
        for item in _split(args[1], " "):
            _check_track(item)
    elif name == "calc" and inner.strip() and re.fullmatch(r"[\w\s.%+*/()-]+", inner):
        return
    else:
        raise ValueError(f"{track!r} is not a CSS track size")


def check_track_list(value: Any, argument: str, function: str) -> str:
    """Validate a CSS grid track list (``"40% 10px 1fr"``, ``"minmax(100px, 1fr) auto"``).

    Raises:
        TypeError, ValueError: naming the argument and the value.

    Example:
        >>> check_track_list("40% 10px minmax(0, 1fr)", "size", "put_row")
        '40% 10px minmax(0, 1fr)'
    """
    check_type(value, str, argument, function)
    try:
        tracks = _split(value, " ")
        if not tracks:
            raise ValueError("it is empty")
        for track in tracks:
            _check_track(track)
    except ValueError as error:
        raise ValueError(
            f"{function}(): {argument}={value!r} is not a CSS grid track list ({error}); "
            "use lengths such as '40% 10px 1fr', 'auto' or 'minmax(100px, 1fr)'"
        ) from None
    return " ".join(tracks)


def _layout(
    kind: Literal["row", "column"],
    content: Any,
    size: str | None,
    scope: str | int | None,
    position: int,
) -> Output:
    function = f"put_{kind}"
    check_position(position, function)
    if content is None:
        content = []
    if isinstance(content, Output):
        content = [content]
    if isinstance(content, (str, bytes)) or not isinstance(content, Sequence):
        raise TypeError(
            f"{function}(): content must be a list of outputs (or None for a gap), "
            f"got {type(content).__name__} {content!r:.80}"
        )
    for index, item in enumerate(content):
        if item is not None and not isinstance(item, Output):
            raise TypeError(
                f"{function}(): content[{index}] must be a put_*() output or None (a gap), "
                f"got {type(item).__name__} {item!r:.80}"
            )
    spec: LinearBody = {"type": kind}
    if size is not None:
        spec["size"] = check_track_list(size, "size", function)
    session = current_session()
    items = [session.make({"type": "gap"}) if item is None else item for item in content]
    return put_container(spec, items, scope, position, session=session)


def put_row(
    content: Any = (),
    size: str | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Arrange outputs side by side.

    Args:
        content: outputs; ``None`` leaves a 10px gap.
        size: the widths as a CSS grid track list, one per item (gaps included), e.g.
            ``"40% 10px 60%"``, ``"1fr auto"``, ``"minmax(100px, 1fr) 2fr"``. By default the
            outputs share the width equally.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Returns:
        The row; ``with put_row(): put_text(...)`` adds items to it.

    Example:
        >>> put_row([put_code("A"), None, put_code("B")], size="1fr 10px 2fr")  # doctest: +SKIP
    """
    return _layout("row", content, size, scope, position)


def put_column(
    content: Any = (),
    size: str | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Arrange outputs one under another; like :func:`put_row`, with heights.

    Args:
        content: outputs; ``None`` leaves a 10px gap.
        size: the heights as a CSS grid track list, one per item.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> put_column([put_text("top"), None, put_text("bottom")])  # doctest: +SKIP
    """
    return _layout("column", content, size, scope, position)


def put_grid(
    content: Sequence[Sequence[Any]],
    cell_width: str = "auto",
    cell_height: str = "auto",
    cell_widths: str | None = None,
    cell_heights: str | None = None,
    direction: str = "row",
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Arrange outputs in a grid.

    Args:
        content: a list of rows (or of columns when ``direction='column'``), each a list of
            outputs, ``None`` (an empty cell) or :class:`span` (a cell over several rows/columns).
        cell_width: the width of every column (a CSS track size).
        cell_height: the height of every row.
        cell_widths: the widths of all columns as one track list; overrides ``cell_width``.
        cell_heights: the heights of all rows; overrides ``cell_height``.
        direction: ``'row'`` (content lists rows) or ``'column'`` (content lists columns).
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> put_grid([
        ...     [put_text("a"), put_text("b")],
        ...     [span(put_text("wide"), col=2)],
        ... ], cell_width="100px")  # doctest: +SKIP
    """
    check_position(position, "put_grid")
    if direction not in ("row", "column"):
        raise ValueError(f"put_grid(): direction must be 'row' or 'column', got {direction!r}")
    if isinstance(content, (str, bytes)) or not isinstance(content, Sequence):
        raise TypeError(f"put_grid(): content must be a list of lists, got {content!r:.80}")
    lines: list[list[Any]] = []
    for index, line in enumerate(content):
        if isinstance(line, (str, bytes)) or not isinstance(line, Sequence):
            raise TypeError(
                f"put_grid(): content[{index}] must be a list of cells, got {line!r:.80}"
            )
        for col, item in enumerate(line):
            inner = item.content if isinstance(item, span) else item
            if inner is not None and not isinstance(inner, Output):
                raise TypeError(
                    f"put_grid(): content[{index}][{col}] must be a put_*() output, None or "
                    f"span(), got {type(inner).__name__} {inner!r:.80}"
                )
        lines.append(list(line))
    # Rows of the grid are the content's lines, or its items when the content lists columns.
    across = max(max((len(line) for line in lines), default=0), 1)
    count_columns, count_rows = (across, len(lines)) if direction == "row" else (len(lines), across)
    columns = (
        check_track_list(cell_widths, "cell_widths", "put_grid")
        if cell_widths is not None
        else f"repeat({max(count_columns, 1)}, "
        f"{check_track_list(cell_width, 'cell_width', 'put_grid')})"
    )
    rows = (
        check_track_list(cell_heights, "cell_heights", "put_grid")
        if cell_heights is not None
        else f"repeat({max(count_rows, 1)}, "
        f"{check_track_list(cell_height, 'cell_height', 'put_grid')})"
    )
    outputs = [
        item.content if isinstance(item, span) else item
        for line in lines
        for item in line
        if (item.content if isinstance(item, span) else item) is not None
    ]
    current_session().resolve_scope(scope)  # fail before anything moves
    session, children = session_and_children(outputs)
    cells: list[GridCell] = []
    for line in lines:
        for item in line:
            inner = item.content if isinstance(item, span) else item
            cell: GridCell = {"node": inner.node if inner is not None else {"type": "empty"}}
            if isinstance(item, span):
                if item.row > 1:
                    cell["row"] = item.row
                if item.col > 1:
                    cell["col"] = item.col
            cells.append(cell)
    spec: GridBody = {
        "type": "grid",
        "columns": columns,
        "rows": rows,
        "flow": direction,
        "cells": cells,
    }
    out = session.make(spec, children)
    return session.place(out, scope, position)
