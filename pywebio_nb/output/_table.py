"""Tables, with cells that can hold other outputs and span rows or columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._core.document import Output
from .._core.nodes import TableBody
from ._common import check_position, check_type, session_and_children

__all__ = ["put_table", "span"]


class span:
    """A table or grid cell that spans several rows and/or columns.

    Example:
        >>> put_table([[span("merged", col=2)], ["a", "b"]])  # doctest: +SKIP
    """

    __slots__ = ("col", "content", "row")

    def __init__(self, content: Any, row: int = 1, col: int = 1) -> None:
        check_type(row, int, "row", "span")
        check_type(col, int, "col", "span")
        if row < 1 or col < 1:
            raise ValueError(f"span(): row and col must be at least 1, got row={row}, col={col}")
        self.content = content
        self.row = row
        self.col = col


def _cell(value: Any) -> Any:
    if isinstance(value, Output):
        return value.spec
    return "" if value is None else str(value)


def put_table(
    tdata: Sequence[Any],
    header: Sequence[Any] | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a table.

    Args:
        tdata: rows: lists of cells, or dicts (then ``header`` picks and orders the keys). A cell
            is any object shown with ``str()``, a ``put_*`` output, or a :class:`span`.
        header: the header row. For dict rows, a list of keys or of ``(label, key)`` pairs.
            Without it, the first row of a list table is the header, and dict rows use their
            keys, capitalised.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> put_table([["Name", "Score"], ["Ada", 36], ["Bob", put_text("n/a")]])  # doctest: +SKIP
        >>> put_table([{"a": 1, "b": 2}], header=[("A", "a"), ("B", "b")])  # doctest: +SKIP
    """
    if isinstance(tdata, (str, bytes)) or not isinstance(tdata, Sequence):
        raise TypeError(f"put_table(): tdata must be a list of rows, got {type(tdata).__name__}")
    check_position(position, "put_table")
    if header is not None and (
        isinstance(header, (str, bytes)) or not isinstance(header, Sequence)
    ):
        raise TypeError(
            f"put_table(): header must be a list, got {type(header).__name__} {header!r:.80}"
        )
    rows: list[list[Any]] = []
    if tdata and all(isinstance(row, Mapping) for row in tdata):
        if header is None:
            keys = list(dict.fromkeys(key for row in tdata for key in row))
            labels: list[Any] = [str(key).capitalize() for key in keys]
        else:
            pairs = [
                tuple(item) if isinstance(item, (tuple, list)) else (item, item) for item in header
            ]
            if any(len(pair) != 2 for pair in pairs):
                raise ValueError("put_table(): header items must be keys or (label, key) pairs")
            labels = [label for label, _ in pairs]
            keys = [key for _, key in pairs]
        rows.append(labels)
        rows.extend([row.get(key, "") for key in keys] for row in tdata)
    else:
        for index, row in enumerate(tdata):
            if isinstance(row, (Mapping, str, bytes)) or not isinstance(row, Sequence):
                raise TypeError(
                    f"put_table(): tdata[{index}] must be a list of cells (or every row a dict), "
                    f"got {type(row).__name__}"
                )
        if header is not None:
            rows.append([label[0] if isinstance(label, tuple) else label for label in header])
        rows.extend(list(row) for row in tdata)

    spans: dict[str, list[int]] = {}
    flat: list[Any] = []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if isinstance(cell, span):
                if cell.row > 1 or cell.col > 1:
                    spans[f"{r},{c}"] = [cell.row, cell.col]
                row[c] = cell = cell.content
            flat.append(cell)
    session, children = session_and_children(flat)
    spec: TableBody = {"type": "table", "rows": [[_cell(v) for v in row] for row in rows]}
    if spans:
        spec["span"] = spans
    out = session.make(spec, children)
    return session.place(out, scope, position)
