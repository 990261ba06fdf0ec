"""Pin widgets: input controls placed among the outputs, read any time through ``pin``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._core.current import current_session
from .._core.document import Output
from ..input import _inputs
from ..input._field import Field
from ..output._common import check_position
from ._registry import registry

__all__ = [
    "put_actions",
    "put_checkbox",
    "put_file_upload",
    "put_input",
    "put_radio",
    "put_select",
    "put_slider",
    "put_textarea",
]


def _show(field: Any, function: str, scope: str | int | None, position: int) -> Output:
    assert isinstance(field, Field)
    check_position(position, function)
    session = current_session()
    session.check_name(field.name, "name")
    field.function = function
    return registry(session).show(field, scope, position)


def put_input(
    name: str,
    type: str = "text",
    *,
    label: str = "",
    value: Any = None,
    placeholder: str | None = None,
    readonly: bool | None = None,
    datalist: Sequence[str] | None = None,
    help_text: str | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a one-line input whose value is read with ``pin[name]``.

    Args:
        name: the pin name (letters, digits, ``_``, ``-``); a second widget with the same name
            replaces this one as the source of ``pin[name]``.
        type: as for :func:`pywebio_nb.input.input` (``NUMBER`` pins read as int...).
        label: the label.
        value: the initial value.
        placeholder: a hint shown in the empty field.
        readonly: not editable.
        datalist: suggestions (TEXT only).
        help_text: a note under the field.
        scope: the scope to put it in (default: the current scope).
        position: where in the scope (see ``put_text``).

    Example:
        >>> put_input("who", label="Name")  # doctest: +SKIP
        >>> pin.who  # doctest: +SKIP
        ''
    """
    field = _inputs.input(
        label,
        type,
        name=name,
        value=value,
        placeholder=placeholder,
        readonly=readonly,
        datalist=datalist,
        help_text=help_text,
    )
    return _show(field, "put_input", scope, position)


def put_textarea(
    name: str,
    *,
    label: str = "",
    rows: int = 6,
    code: bool | Mapping[str, Any] | None = None,
    maxlength: int | None = None,
    minlength: int | None = None,
    value: str | None = None,
    placeholder: str | None = None,
    readonly: bool | None = None,
    help_text: str | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a multi-line input (or code editor) read with ``pin[name]``.

    Args:
        name: the pin name.
        label: the label.
        rows: visible lines.
        code: a code editor, as for :func:`pywebio_nb.input.textarea`.
        maxlength: at most this many characters.
        minlength: at least this many characters.
        value: the initial text.
        placeholder: a hint.
        readonly: not editable.
        help_text: a note.
        scope: see :func:`put_input`.
        position: see :func:`put_input`.

    Example:
        >>> put_textarea("notes", rows=3)  # doctest: +SKIP
    """
    field = _inputs.textarea(
        label,
        name=name,
        rows=rows,
        code=code,
        maxlength=maxlength,
        minlength=minlength,
        value=value,
        placeholder=placeholder,
        readonly=readonly,
        help_text=help_text,
    )
    return _show(field, "put_textarea", scope, position)


def put_select(
    name: str,
    options: Sequence[Any] | None = None,
    *,
    label: str = "",
    multiple: bool | None = None,
    value: Any = None,
    native: bool | None = None,
    help_text: str | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a drop-down list read with ``pin[name]``.

    Args:
        name: the pin name.
        options: as for :func:`pywebio_nb.input.select`; values can be any Python object.
        label: the label.
        multiple: allow several (the pin reads as a list).
        value: the value selected at first.
        native: accepted for PyWebIO compatibility.
        help_text: a note.
        scope: see :func:`put_input`.
        position: see :func:`put_input`.

    Example:
        >>> put_select("fruit", ["apple", "pear"])  # doctest: +SKIP
    """
    field = _inputs.select(
        label, options, name=name, multiple=multiple, value=value, help_text=help_text
    )
    return _show(field, "put_select", scope, position)


def put_checkbox(
    name: str,
    options: Sequence[Any] | None = None,
    *,
    label: str = "",
    inline: bool | None = None,
    value: Sequence[Any] | None = None,
    help_text: str | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output checkboxes read with ``pin[name]`` (a list of the ticked values).

    Args:
        name: the pin name.
        options: as for :func:`pywebio_nb.input.select`.
        label: the label.
        inline: side by side.
        value: the values ticked at first.
        help_text: a note.
        scope: see :func:`put_input`.
        position: see :func:`put_input`.

    Example:
        >>> put_checkbox("toppings", ["cheese", "ham"])  # doctest: +SKIP
    """
    field = _inputs.checkbox(
        label, options, name=name, inline=inline, value=value, help_text=help_text
    )
    return _show(field, "put_checkbox", scope, position)


def put_radio(
    name: str,
    options: Sequence[Any] | None = None,
    *,
    label: str = "",
    inline: bool | None = None,
    value: Any = None,
    help_text: str | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output radio buttons read with ``pin[name]``.

    Args:
        name: the pin name.
        options: as for :func:`pywebio_nb.input.select`.
        label: the label.
        inline: side by side.
        value: the value chosen at first.
        help_text: a note.
        scope: see :func:`put_input`.
        position: see :func:`put_input`.

    Example:
        >>> put_radio("size", ["S", "M", "L"], value="M")  # doctest: +SKIP
    """
    field = _inputs.radio(
        label, options, name=name, inline=inline, value=value, help_text=help_text
    )
    return _show(field, "put_radio", scope, position)


def put_slider(
    name: str,
    *,
    label: str = "",
    value: int | float = 0,
    min_value: int | float = 0,
    max_value: int | float = 100,
    step: int | float = 1,
    required: bool | None = None,
    help_text: str | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a slider read with ``pin[name]`` (int, or float for a float slider).

    Args:
        name: the pin name.
        label: the label.
        value: the initial value.
        min_value: the smallest value.
        max_value: the largest value.
        step: the step.
        required: accepted for PyWebIO compatibility.
        help_text: a note.
        scope: see :func:`put_input`.
        position: see :func:`put_input`.

    Example:
        >>> put_slider("level", value=3, max_value=10)  # doctest: +SKIP
    """
    field = _inputs.slider(
        label,
        name=name,
        value=value,
        min_value=min_value,
        max_value=max_value,
        step=step,
        required=required,
        help_text=help_text,
    )
    return _show(field, "put_slider", scope, position)


def put_actions(
    name: str,
    *,
    label: str = "",
    buttons: Sequence[Any] | None = None,
    help_text: str | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output buttons; a click sets ``pin[name]`` to the button's value (``None`` before).

    Args:
        name: the pin name.
        label: the label.
        buttons: as for :func:`pywebio_nb.input.actions`, submit-type buttons only.
        help_text: a note.
        scope: see :func:`put_input`.
        position: see :func:`put_input`.

    Example:
        >>> put_actions("go", buttons=["Start", "Stop"])  # doctest: +SKIP
    """
    field = _inputs.actions(label, buttons, name=name, help_text=help_text)
    if any(button["type"] != "submit" for button in field.spec.get("buttons", [])):
        raise ValueError("put_actions(): only submit-type buttons are allowed in a pin")
    return _show(field, "put_actions", scope, position)


def put_file_upload(
    name: str,
    *,
    label: str = "",
    accept: str | Sequence[str] | None = None,
    placeholder: str = "Choose file",
    multiple: bool = False,
    max_size: int | str = 0,
    max_total_size: int | str = 0,
    help_text: str | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a file chooser; chosen files are uploaded at once and read with ``pin[name]``.

    Args:
        name: the pin name.
        label: the label.
        accept: as for :func:`pywebio_nb.input.file_upload`.
        placeholder: the chooser's text.
        multiple: several files (the pin reads as a list).
        max_size: limit per file (``'3M'``...), checked in Python too.
        max_total_size: limit for all files.
        help_text: a note.
        scope: see :func:`put_input`.
        position: see :func:`put_input`.

    Example:
        >>> put_file_upload("data", accept=".csv")  # doctest: +SKIP
    """
    field = _inputs.file_upload(
        label,
        accept,
        name=name,
        placeholder=placeholder,
        multiple=multiple,
        max_size=max_size,
        max_total_size=max_total_size,
        help_text=help_text,
    )
    return _show(field, "put_file_upload", scope, position)
