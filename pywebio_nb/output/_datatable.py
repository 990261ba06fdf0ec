"""Large tables: rows stay in Python; the browser asks for the windows it shows.

A datatable's spec carries its columns and row count, never its rows. The view requests row
windows with a ``rows`` event and gets them back as a ``rows`` command in the root's ordered
batch stream (:meth:`pywebio_nb._core.session.Session.answer_rows`), so a million rows never travel
as one message. Updates bump a version: the view drops its cached windows and asks again.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .._core.context import per_session
from .._core.current import current_session
from .._core.document import Output
from .._core.nodes import DataTableBody, DataTableColumn
from .._core.session import Session
from ._common import check_position, check_type

__all__ = [
    "JSFunction",
    "datatable_insert",
    "datatable_remove",
    "datatable_update",
    "put_datatable",
]

Path = tuple[str, ...]

#: Tables by instance_id, per session.
_tables: weakref.WeakKeyDictionary[Session, dict[str, DataTable]] = per_session(
    weakref.WeakKeyDictionary()
)

_COLUMN_SCAN = 1000
_MAX_WINDOW = 1000


class JSFunction:
    """A JavaScript function given as an option of :func:`put_datatable` (PyWebIO's ag-grid).

    The last argument is the body, the others are parameter names:
    ``JSFunction("params", "return params.value.toFixed(2)")``. PyWebIO hands these to
    ag-grid in ``column_args`` and ``grid_args``; pywebio_nb's table is its own and applies
    only ``header``/``headerName`` and ``width`` from ``column_args``, so options made of a
    JSFunction are accepted and not run.

    Example:
        >>> f = JSFunction("a", "b", "return a + b")
        >>> f.params, f.body
        (('a', 'b'), 'return a + b')
    """

    def __init__(self, *params_and_body: str) -> None:
        if not params_and_body:
            raise ValueError("JSFunction(): give the function body (after any parameter names)")
        for index, part in enumerate(params_and_body):
            if not isinstance(part, str):
                raise TypeError(
                    f"JSFunction(): params_and_body[{index}] must be a str, got {part!r:.80}"
                )
        self.params: tuple[str, ...] = params_and_body[:-1]
        self.body: str = params_and_body[-1]

    def __repr__(self) -> str:
        return f"JSFunction({', '.join(map(repr, (*self.params, self.body)))})"


def _path(field: Any, argument: str) -> Path:
    if isinstance(field, str):
        return (field,)
    if isinstance(field, tuple) and field and all(isinstance(part, str) for part in field):
        return field
    raise TypeError(f"{argument} must be a field name or a tuple path of names, got {field!r:.80}")


def _flat_paths(record: Mapping[str, Any], prefix: Path = ()) -> list[Path]:
    paths: list[Path] = []
    for key, value in record.items():
        path = (*prefix, str(key))
        if isinstance(value, Mapping) and value:
            paths.extend(_flat_paths(value, path))
        else:
            paths.append(path)
    return paths


def _order_paths(order: Any, prefix: Path = ()) -> list[Path]:
    if isinstance(order, Mapping):
        paths: list[Path] = []
        for key, value in order.items():
            path = (*prefix, str(key))
            paths.extend(_order_paths(value, path) if value else [path])
        return paths
    if isinstance(order, (list, tuple)):
        return [(*prefix, *_path(item, "column_order[...]")) for item in order]
    raise TypeError(f"column_order must be a list or a nested dict, got {order!r:.80}")


def _get(record: Any, path: Path) -> Any:
    for part in path:
        if not isinstance(record, Mapping):
            return None
        record = record.get(part)
    return record


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


class DataTable:
    """The Python side of one datatable: its records, row ids and selection."""

    def __init__(
        self,
        session: Session,
        records: list[Any],
        columns: list[Path],
        id_field: Path | None,
    ) -> None:
        self.session = session
        self.records = records
        self.columns = columns
        self.id_field = id_field
        self.version = 0
        self._positions: dict[Any, int] | None = None
        self.node: weakref.ref[Output] | None = None
        self.reset_keys()

    def reset_keys(self) -> None:
        """Give every record its id again (after the records were replaced)."""
        self._next_key = len(self.records)
        self._positions = None
        # Without id_field the ids are the first positions: no list is kept (it would cost
        # ~40 bytes a row) until an insert or a removal makes ids and positions differ.
        self._keys: list[Any] | None = None
        if self.id_field is not None:
            self._keys = [self._key_of(record) for record in self.records]

    @property
    def keys(self) -> list[Any]:
        """The row ids, in row order (made into a real list on first need)."""
        if self._keys is None:
            self._keys = list(range(len(self.records)))
        return self._keys

    def _key_of(self, record: Any) -> Any:
        if self.id_field is not None:
            return _json_value(_get(record, self.id_field))
        key = self._next_key
        self._next_key += 1
        return key

    def position(self, row_id: Any, function: str) -> int:
        """The index of the row with id ``row_id``."""
        if self._keys is None:  # ids are positions
            if type(row_id) is int and 0 <= row_id < len(self.records):
                return row_id
            raise KeyError(f"{function}(): no row with row_id={row_id!r}")
        if self._positions is None:
            self._positions = {key: index for index, key in enumerate(self.keys)}
        index = self._positions.get(row_id)
        if index is None:
            raise KeyError(f"{function}(): no row with row_id={row_id!r}")
        return index

    def window(self, start: int, count: int) -> dict[str, Any]:
        """Rows ``start .. start+count`` as lists of cell values, with their ids."""
        start = max(0, start)
        count = max(0, min(count, _MAX_WINDOW))
        chunk = self.records[start : start + count]
        return {
            "start": start,
            "total": len(self.records),
            "version": self.version,
            "keys": (
                list(range(start, start + len(chunk)))
                if self._keys is None
                else self._keys[start : start + count]
            ),
            "rows": [
                [_json_value(_get(record, path)) for path in self.columns] for record in chunk
            ],
        }

    def changed(self, reindex: bool = True) -> None:
        """Tell the views to drop their cached rows and ask again.

        ``reindex=False`` keeps the id index (rows changed in place, ids unchanged).
        """
        if reindex:
            self._positions = None
        self.version += 1
        node = self.node() if self.node is not None else None
        if node is None:
            return
        total = len(self.records)
        node.spec["total"] = total
        node.spec["version"] = self.version
        self.session.command(
            node, {"op": "rows_changed", "id": node.id, "total": total, "version": self.version}
        )


def put_datatable(
    records: Sequence[Mapping[str, Any]],
    actions: Sequence[tuple[str, Callable[[Any], Any]] | None] | None = None,
    onselect: Callable[[Any], Any] | None = None,
    multiple_select: bool = False,
    id_field: str | tuple[str, ...] | None = None,
    height: str | int = 600,
    theme: str = "balham",
    cell_content_bar: bool = True,
    instance_id: str = "",
    column_order: Sequence[Any] | Mapping[str, Any] | None = None,
    column_args: Mapping[Any, Mapping[str, Any]] | None = None,
    grid_args: Mapping[str, Any] | None = None,
    enterprise_key: str = "",
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a large table that scrolls through its rows; rows stay in Python.

    Args:
        records: a list of dicts (nested dicts become ``a.b`` columns).
        actions: toolbar buttons ``(label, callback)`` acting on the selected rows (``None`` is
            a separator); ``callback(row_id)`` or ``callback([row_ids])`` with multiple_select.
        onselect: ``onselect(row_id)`` (or a list of ids) when the selection changes.
        multiple_select: allow selecting several rows.
        id_field: the field (or tuple path) holding each row's id; the row index by default.
        height: pixels, a CSS height, or ``'auto'``.
        theme: accepted for PyWebIO compatibility; the table follows the notebook theme.
        cell_content_bar: accepted for PyWebIO compatibility.
        instance_id: a name for :func:`datatable_update`, :func:`datatable_insert` and
            :func:`datatable_remove`.
        column_order: the columns to show, in order: a list of fields/tuple paths, or a nested
            dict. Needed when ``records`` is empty.
        column_args: per column (field or tuple path): ``{"header": str, "width": int}``
            (``headerName`` is accepted too).
        grid_args: accepted for PyWebIO compatibility (ag-grid options); ignored.
        enterprise_key: accepted for PyWebIO compatibility; ignored.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> rows = [{"id": i, "name": f"item {i}", "size": {"w": i, "h": 2 * i}}
        ...         for i in range(1_000_000)]
        >>> put_datatable(rows, id_field="id", instance_id="items",
        ...               onselect=lambda row_id: toast(f"row {row_id}"))  # doctest: +SKIP
    """
    check_position(position, "put_datatable")
    check_type(instance_id, str, "instance_id", "put_datatable")
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Sequence):
        raise TypeError(f"put_datatable(): records must be a list of dicts, got {records!r:.80}")
    for index, record in enumerate(records[:_COLUMN_SCAN]):
        if not isinstance(record, Mapping):
            raise TypeError(f"put_datatable(): records[{index}] must be a dict, got {record!r:.80}")
    id_path = _path(id_field, "put_datatable(): id_field") if id_field is not None else None
    if column_order is not None:
        columns = _order_paths(column_order)
    elif records:
        columns = list(
            dict.fromkeys(path for record in records[:_COLUMN_SCAN] for path in _flat_paths(record))
        )
    else:
        raise ValueError("put_datatable(): column_order is needed when records is empty")
    args: dict[Path, Mapping[str, Any]] = {}
    for field, options in (column_args or {}).items():
        if not isinstance(options, Mapping):
            raise TypeError(f"put_datatable(): column_args[{field!r}] must be a dict")
        args[_path(field, "put_datatable(): column_args key")] = options
    if isinstance(height, int) and not isinstance(height, bool):
        css_height = f"{height}px"
    elif isinstance(height, str):
        css_height = "600px" if height == "auto" and len(records) > 1000 else height
    else:
        raise TypeError(f"put_datatable(): height must be pixels or a CSS height, got {height!r}")
    parsed_actions: list[str | None] = []
    callbacks: list[Callable[[Any], Any] | None] = []
    for index, action in enumerate(actions or ()):
        if action is None:
            parsed_actions.append(None)
            callbacks.append(None)
            continue
        if not (isinstance(action, (tuple, list)) and len(action) == 2 and callable(action[1])):
            raise TypeError(
                f"put_datatable(): actions[{index}] must be (label, callback) or None, "
                f"got {action!r:.80}"
            )
        parsed_actions.append(str(action[0]))
        callbacks.append(action[1])
    if onselect is not None and not callable(onselect):
        raise TypeError(f"put_datatable(): onselect must be callable, got {onselect!r:.80}")

    session = current_session()
    session.resolve_scope(scope)
    table = DataTable(session, list(records), columns, id_path)
    multiple = bool(multiple_select)

    def selection_value(keys: Any) -> Any:
        if not isinstance(keys, list):
            keys = []
        return keys if multiple else (keys[0] if keys else None)

    def on_event(value: Any) -> None:
        if not isinstance(value, dict):
            return
        selected = selection_value(value.get("select"))
        action = value.get("action")
        if isinstance(action, int) and 0 <= action < len(callbacks):
            callback = callbacks[action]
            if callback is not None:
                callback(selected)
        elif onselect is not None:
            onselect(selected)

    column_specs = []
    for path in columns:
        options = args.get(path, {})
        column: DataTableColumn = {
            "field": ".".join(path),
            "header": str(options.get("header", options.get("headerName", ".".join(path)))),
        }
        width = options.get("width")
        if isinstance(width, int) and not isinstance(width, bool):
            column["width"] = width
        column_specs.append(column)
    spec: DataTableBody = {
        "type": "datatable",
        "columns": column_specs,
        "total": len(table.records),
        "version": 0,
        "height": css_height,
        "multiple": multiple,
        "actions": parsed_actions,
        "cb": session.register_callback(on_event),
    }
    out = session.make(spec)
    table.node = weakref.ref(out)
    session.register_rows(out, table.window)
    session.place(out, scope, position)
    _tables.setdefault(session, {})[instance_id] = table
    return out


def _table(instance_id: str, function: str) -> DataTable:
    check_type(instance_id, str, "instance_id", function)
    table = _tables.get(current_session(), {}).get(instance_id)
    if table is None:
        raise ValueError(f"{function}(): no datatable with instance_id={instance_id!r}")
    return table


def datatable_update(
    instance_id: str, data: Any, row_id: Any = None, field: str | tuple[str, ...] | None = None
) -> None:
    """Replace a datatable's rows, one row, or one cell.

    Args:
        instance_id: the table's ``instance_id``.
        data: all records (a list), one record (with ``row_id``), or a value (with ``field``).
        row_id: the id of the row to change.
        field: the field (or tuple path) of the cell to change; needs ``row_id``.

    Example:
        >>> datatable_update("items", {"id": 3, "name": "renamed"}, row_id=3)  # doctest: +SKIP
        >>> datatable_update("items", 42, row_id=3, field=("size", "w"))  # doctest: +SKIP
    """
    table = _table(instance_id, "datatable_update")
    if field is not None and row_id is None:
        raise ValueError("datatable_update(): field needs row_id")
    if row_id is None:
        if isinstance(data, (str, bytes, Mapping)) or not isinstance(data, Sequence):
            raise TypeError(f"datatable_update(): data must be a list of records, got {data!r:.80}")
        table.records = list(data)
        table.reset_keys()
        table.changed()
        return
    index = table.position(row_id, "datatable_update")
    if field is None:
        if not isinstance(data, Mapping):
            raise TypeError(f"datatable_update(): data must be a dict (a row), got {data!r:.80}")
        table.records[index] = data
        new_key = table._key_of(data) if table.id_field is not None else row_id
    else:
        path = _path(field, "datatable_update(): field")
        record = table.records[index] = _copy_path(table.records[index], path[:-1])
        target = record
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = data
        new_key = _json_value(data) if path == table.id_field else row_id
    if new_key != row_id:  # the row's id changed: index it again
        table.keys[index] = new_key
        table.changed()
    else:
        table.changed(reindex=False)


def _copy_path(record: Mapping[str, Any], path: Path) -> dict[str, Any]:
    """A copy of ``record`` with dicts along ``path`` copied too (the caller's data is kept)."""
    copied = dict(record)
    target = copied
    for part in path:
        inner = target.get(part)
        target[part] = dict(inner) if isinstance(inner, Mapping) else {}
        target = target[part]
    return copied


def datatable_insert(instance_id: str, records: Any, row_id: Any = None) -> None:
    """Insert rows before the row ``row_id``, or at the end.

    Example:
        >>> datatable_insert("items", [{"id": -1, "name": "first"}], row_id=0)  # doctest: +SKIP
    """
    table = _table(instance_id, "datatable_insert")
    new = [records] if isinstance(records, Mapping) else list(records)
    for index, record in enumerate(new):
        if not isinstance(record, Mapping):
            raise TypeError(
                f"datatable_insert(): records[{index}] must be a dict, got {record!r:.80}"
            )
    at = len(table.records) if row_id is None else table.position(row_id, "datatable_insert")
    keys = table.keys  # ids stop being positions: list them before the rows move
    table.records[at:at] = new
    keys[at:at] = [table._key_of(record) for record in new]
    table.changed()


def datatable_remove(instance_id: str, row_ids: Any) -> None:
    """Remove rows by id (one id or a list).

    Example:
        >>> datatable_remove("items", [3, 4])  # doctest: +SKIP
    """
    table = _table(instance_id, "datatable_remove")
    ids = row_ids if isinstance(row_ids, list) else [row_ids]
    doomed = {table.position(row_id, "datatable_remove") for row_id in ids}
    keys = table.keys  # ids stop being positions: list them before the rows move
    if len(doomed) <= 1000:  # a few rows: delete in place (memmove) rather than copy every row
        for index in sorted(doomed, reverse=True):
            del table.records[index]
            del keys[index]
    else:
        table.records = [r for i, r in enumerate(table.records) if i not in doomed]
        table._keys = [k for i, k in enumerate(table.keys) if i not in doomed]
    table.changed()
