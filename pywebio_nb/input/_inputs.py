"""The input functions, with PyWebIO's signatures.

``input``, ``textarea``, ``select``, ``checkbox``, ``radio``, ``slider``, ``actions`` and
``file_upload``.

Called alone, each shows a one-field form in the running cell (or page) and returns the answer:
``age = input("Age?", type=NUMBER)`` blocks until the form is submitted, and
``age = await input(...)`` awaits it. Called with ``name=`` it returns a :class:`Field` for
``input_group``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._code import code_options
from ._field import Field
from ._options import parse_buttons, parse_options, parse_size, select_first

__all__ = [
    "CHECKBOX",
    "COLOR",
    "DATE",
    "DATETIME",
    "DATETIME_LOCAL",
    "FLOAT",
    "NUMBER",
    "PASSWORD",
    "RADIO",
    "SELECT",
    "TEXT",
    "TEXTAREA",
    "TIME",
    "URL",
    "actions",
    "checkbox",
    "file_upload",
    "input",
    "radio",
    "select",
    "slider",
    "textarea",
]

TEXT = "text"
NUMBER = "number"
FLOAT = "float"
PASSWORD = "password"
URL = "url"
DATE = "date"
TIME = "time"
COLOR = "color"
DATETIME_LOCAL = "datetime-local"
DATETIME = DATETIME_LOCAL
CHECKBOX = "checkbox"
RADIO = "radio"
SELECT = "select"
TEXTAREA = "textarea"

_INPUT_TYPES = (TEXT, NUMBER, FLOAT, PASSWORD, URL, DATE, TIME, COLOR, DATETIME_LOCAL)


def ask(field: Field, caller: Any) -> Any:
    """Show a one-field form for ``field`` and return its answer (or an awaitable of it).

    ``caller`` is the frame of the user's call, which tells whether the call is awaited.
    """
    __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
    from ._form import FormRun

    run = FormRun([field], single=True)
    return run.start(caller)


def _label(label: Any, function: str) -> str:
    if not isinstance(label, str):
        raise TypeError(
            f"{function}(): label must be a str, got {type(label).__name__} {label!r:.80}"
        )
    return label


def _common(
    label: str,
    placeholder: Any = None,
    required: Any = None,
    readonly: Any = None,
    help_text: Any = None,
) -> dict[str, Any]:
    return {
        "label": label,
        "placeholder": None if placeholder is None else str(placeholder),
        "required": True if required else None,
        "readonly": True if readonly else None,
        "help_text": None if help_text is None else str(help_text),
    }


def _finish(field: Field, name: str | None, frame: Any) -> Any:
    __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
    if name is not None:
        return field
    field.name = field.spec["name"] = "data"
    return ask(field, frame)


def input(
    label: str = "",
    type: str = TEXT,
    *,
    validate: Callable[[Any], str | None] | None = None,
    name: str | None = None,
    value: Any = None,
    action: tuple[str, Callable[[Callable[..., None]], Any]] | None = None,
    onchange: Callable[[Any], Any] | None = None,
    placeholder: str | None = None,
    required: bool | None = None,
    readonly: bool | None = None,
    datalist: Sequence[str] | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """Ask for one line of input.

    Args:
        label: the question, shown as the field's label.
        type: ``TEXT``, ``NUMBER`` (returns an int), ``FLOAT`` (a float), ``PASSWORD``, ``URL``,
            ``DATE`` (``'YYYY-MM-DD'``), ``TIME``, ``COLOR`` (``'#rrggbb'``) or
            ``DATETIME_LOCAL`` (``'YYYY-MM-DDTHH:MM'``).
        validate: ``validate(value)`` returns ``None`` when the value is fine, or an error
            message shown at the field. Runs when the field loses focus and on submit.
        name: give a name to use the field in :func:`input_group`; then nothing is shown.
        value: the initial value.
        action: ``(label, callback)``: a button next to the field. ``callback(set_value)``
            runs on click; ``set_value(v)`` puts ``v`` in the field, ``set_value(v, label)``
            shows ``label`` (read-only) and makes the call return ``v`` itself.
        onchange: ``onchange(value)`` called on every change; use :func:`input_update` in it.
        placeholder: a hint shown in the empty field.
        required: the field must not be empty.
        readonly: the field cannot be edited.
        datalist: suggestions offered while typing (``TEXT`` only).
        help_text: a note under the field.
        **other_html_attrs: extra attributes of the ``<input>`` element (``maxlength=5``...).

    Returns:
        The answer, converted to the type's Python type; awaitable with ``await input(...)``.

    Example:
        >>> age = input("How old are you?", type=NUMBER)  # doctest: +SKIP
        >>> name = await input("Your name?")  # doctest: +SKIP
    """
    function = "input"
    label = _label(label, function)
    if type not in _INPUT_TYPES:
        raise ValueError(f"input(): type={type!r} is not one of {_INPUT_TYPES}")
    spec = _common(label, placeholder, required, readonly, help_text)
    if value is not None:
        spec["value"] = str(value)
    if datalist is not None:
        if type != TEXT:
            raise ValueError(f"input(): datalist works with type=TEXT only, got type={type!r}")
        if isinstance(datalist, (str, bytes)) or not isinstance(datalist, Sequence):
            raise TypeError(f"input(): datalist must be a list of str, got {datalist!r:.80}")
        spec["datalist"] = [str(item) for item in datalist]
    callback = None
    if action is not None:
        if not isinstance(action, (tuple, list)) or len(action) != 2 or not callable(action[1]):
            raise TypeError(f"input(): action must be (label, callback), got {action!r:.80}")
        spec["action"] = {"label": str(action[0])}
        callback = action[1]
    field = Field(
        type,
        function,
        spec,
        name=name,
        validate=validate,
        onchange=onchange,
        action=callback,
        html_attrs=other_html_attrs,
    )
    return _finish(field, name, sys._getframe(1))


def textarea(
    label: str = "",
    *,
    rows: int = 6,
    code: bool | Mapping[str, Any] | None = None,
    maxlength: int | None = None,
    minlength: int | None = None,
    validate: Callable[[Any], str | None] | None = None,
    name: str | None = None,
    value: str | None = None,
    onchange: Callable[[Any], Any] | None = None,
    placeholder: str | None = None,
    required: bool | None = None,
    readonly: bool | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """Ask for multi-line text, or code in an editor.

    Args:
        label: the question.
        rows: visible lines.
        code: ``True`` or ``{'mode': 'python', 'theme': 'darcula'}`` for a code editor
            (CodeMirror 6). ``mode`` (or ``language``) takes every CodeMirror 5 mode name,
            alias or MIME type PyWebIO accepts; python, javascript, typescript, json, sql,
            markdown, html, css, xml, yaml, shell, c, cpp, java, go, rust, r, ruby and more are
            highlighted, any other is edited as plain text. Themes: ``'light'`` (default;
            follows the notebook's theme) or a dark one (``'dark'``, ``'darcula'``...).
        maxlength: at most this many characters (checked in Python too).
        minlength: at least this many characters.
        validate: see :func:`input`.
        name: see :func:`input`.
        value: the initial text.
        onchange: see :func:`input`.
        placeholder: see :func:`input`.
        required: see :func:`input`.
        readonly: see :func:`input`.
        help_text: see :func:`input`.
        **other_html_attrs: extra attributes of the ``<textarea>``.

    Returns:
        The text.

    Example:
        >>> source = textarea("Code", code={"language": "python"})  # doctest: +SKIP
    """
    function = "textarea"
    label = _label(label, function)
    for argument, number in (("rows", rows), ("maxlength", maxlength), ("minlength", minlength)):
        if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
            raise TypeError(f"textarea(): {argument} must be an int, got {number!r:.80}")
    spec = _common(label, placeholder, required, readonly, help_text)
    spec.update(
        rows=rows,
        maxlength=maxlength,
        minlength=minlength,
        value=None if value is None else str(value),
    )
    if code:
        spec["code"] = code_options(code)
    field = Field(
        "textarea",
        function,
        spec,
        name=name,
        validate=validate,
        onchange=onchange,
        html_attrs=other_html_attrs,
    )
    return _finish(field, name, sys._getframe(1))


def select(
    label: str = "",
    options: Sequence[Any] | None = None,
    *,
    multiple: bool | None = None,
    validate: Callable[[Any], str | None] | None = None,
    name: str | None = None,
    value: Any = None,
    onchange: Callable[[Any], Any] | None = None,
    native: bool = True,
    required: bool | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """Ask to choose from a drop-down list.

    Args:
        label: the question.
        options: each a dict ``{label, value, selected?, disabled?}``, a tuple
            ``(label, value[, selected[, disabled]])``, or a bare value. Values can be any
            Python object: the browser only sees labels.
        multiple: allow choosing several (returns a list).
        validate: see :func:`input`.
        name: see :func:`input`.
        value: the value (a list with ``multiple``) selected at first.
        onchange: see :func:`input`.
        native: accepted for PyWebIO compatibility (the browser's own list is always used).
        required: something must be chosen.
        help_text: see :func:`input`.
        **other_html_attrs: extra attributes of the ``<select>``.

    Returns:
        The chosen option's value, or a list of values with ``multiple=True``.

    Example:
        >>> color = select("Colour", [("Red", (255, 0, 0)), ("Blue", "b")])  # doctest: +SKIP
    """
    function = "select"
    label = _label(label, function)
    specs, values = parse_options(options, function, value, bool(multiple))
    if not multiple:
        select_first(specs)  # a single <select> always shows (and submits) an option
    spec = _common(label, None, required, None, help_text)
    spec.update(options=specs, multiple=True if multiple else None)
    field = Field(
        "select",
        function,
        spec,
        name=name,
        validate=validate,
        onchange=onchange,
        values=values,
        html_attrs=other_html_attrs,
    )
    return _finish(field, name, sys._getframe(1))


def checkbox(
    label: str = "",
    options: Sequence[Any] | None = None,
    *,
    inline: bool | None = None,
    validate: Callable[[Any], str | None] | None = None,
    name: str | None = None,
    value: Sequence[Any] | None = None,
    onchange: Callable[[Any], Any] | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """Ask to tick any number of options.

    Args:
        label: the question.
        options: as for :func:`select`.
        inline: options side by side.
        validate: see :func:`input`.
        name: see :func:`input`.
        value: the values ticked at first.
        onchange: see :func:`input`.
        help_text: see :func:`input`.
        **other_html_attrs: extra attributes of each ``<input type=checkbox>``.

    Returns:
        The list of ticked values.

    Example:
        >>> agreed = checkbox("Terms", options=["I agree"])  # doctest: +SKIP
    """
    function = "checkbox"
    label = _label(label, function)
    specs, values = parse_options(options, function, value, True)
    spec = _common(label, None, None, None, help_text)
    spec.update(options=specs, inline=True if inline else None)
    field = Field(
        "checkbox",
        function,
        spec,
        name=name,
        validate=validate,
        onchange=onchange,
        values=values,
        html_attrs=other_html_attrs,
    )
    return _finish(field, name, sys._getframe(1))


def radio(
    label: str = "",
    options: Sequence[Any] | None = None,
    *,
    inline: bool | None = None,
    validate: Callable[[Any], str | None] | None = None,
    name: str | None = None,
    value: Any = None,
    onchange: Callable[[Any], Any] | None = None,
    required: bool | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """Ask to choose one option from radio buttons.

    Args:
        label: the question.
        options: as for :func:`select`.
        inline: options side by side.
        validate: see :func:`input`.
        name: see :func:`input`.
        value: the value chosen at first.
        onchange: see :func:`input`.
        required: an option must be chosen.
        help_text: see :func:`input`.
        **other_html_attrs: extra attributes of each ``<input type=radio>``.

    Returns:
        The chosen value, or ``None`` if none was chosen.

    Example:
        >>> size = radio("Size", options=["S", "M", "L"], value="M")  # doctest: +SKIP
    """
    function = "radio"
    label = _label(label, function)
    specs, values = parse_options(options, function, value, False)
    spec = _common(label, None, required, None, help_text)
    spec.update(options=specs, inline=True if inline else None)
    field = Field(
        "radio",
        function,
        spec,
        name=name,
        validate=validate,
        onchange=onchange,
        values=values,
        html_attrs=other_html_attrs,
    )
    return _finish(field, name, sys._getframe(1))


def slider(
    label: str = "",
    *,
    name: str | None = None,
    value: int | float = 0,
    min_value: int | float = 0,
    max_value: int | float = 100,
    step: int | float = 1,
    validate: Callable[[Any], str | None] | None = None,
    onchange: Callable[[Any], Any] | None = None,
    required: bool | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """Ask for a number with a slider.

    Args:
        label: the question.
        name: see :func:`input`.
        value: the initial value.
        min_value: the smallest value.
        max_value: the largest value.
        step: the step; if any of ``value``, ``min_value``, ``max_value`` is a float the
            slider returns floats and moves in any step.
        validate: see :func:`input`.
        onchange: see :func:`input`.
        required: accepted for PyWebIO compatibility.
        help_text: see :func:`input`.
        **other_html_attrs: extra attributes of the ``<input type=range>``.

    Returns:
        An int, or a float for a float slider.

    Example:
        >>> volume = slider("Volume", value=5, max_value=10)  # doctest: +SKIP
    """
    function = "slider"
    label = _label(label, function)
    for argument, number in (
        ("value", value),
        ("min_value", min_value),
        ("max_value", max_value),
        ("step", step),
    ):
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise TypeError(f"slider(): {argument} must be a number, got {number!r:.80}")
    if min_value > max_value:
        raise ValueError(f"slider(): min_value={min_value} is above max_value={max_value}")
    is_float = any(isinstance(number, float) for number in (value, min_value, max_value))
    spec = _common(label, None, required, None, help_text)
    spec.update(
        value=value,
        min=min_value,
        max=max_value,
        step="any" if is_float and step == 1 else step,
        float=True if is_float else None,
    )
    field = Field(
        "slider",
        function,
        spec,
        name=name,
        validate=validate,
        onchange=onchange,
        html_attrs=other_html_attrs,
    )
    return _finish(field, name, sys._getframe(1))


def actions(
    label: str = "",
    buttons: Sequence[Any] | None = None,
    name: str | None = None,
    help_text: str | None = None,
) -> Any:
    """Ask by offering a row of buttons.

    Args:
        label: the question.
        buttons: each a dict ``{label, value, type?, disabled?, color?}``, a tuple
            ``(label, value[, type[, disabled]])`` or a bare value. ``type`` is ``'submit'``
            (the default: the click answers with the value), ``'reset'`` (resets the form) or
            ``'cancel'`` (cancels: the call, or the surrounding group, returns ``None``).
        name: see :func:`input`. As the last item of an :func:`input_group` with a submit
            button, it replaces the form's Submit and Reset buttons.
        help_text: see :func:`input`.

    Returns:
        The clicked button's value (``None`` for a cancel button).

    Example:
        >>> choice = actions("Continue?", ["Yes", "No"])  # doctest: +SKIP
    """
    function = "actions"
    label = _label(label, function)
    specs, values = parse_buttons(buttons if buttons is not None else [], function)
    spec = _common(label, None, None, None, help_text)
    spec["buttons"] = specs
    field = Field("actions", function, spec, name=name, values=values)
    return _finish(field, name, sys._getframe(1))


def file_upload(
    label: str = "",
    accept: str | Sequence[str] | None = None,
    name: str | None = None,
    placeholder: str = "Choose file",
    multiple: bool = False,
    max_size: int | str = 0,
    max_total_size: int | str = 0,
    required: bool | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """Ask for one or more files. Large files travel in chunks, with progress shown.

    Args:
        label: the question.
        accept: file extensions or MIME types, e.g. ``".png"``, ``["image/*", ".pdf"]``.
        name: see :func:`input`.
        placeholder: the text of the file chooser.
        multiple: allow several files (returns a list).
        max_size: largest size of one file: bytes, or a string like ``'40K'``, ``'3M'``,
            ``'1G'``; ``0`` means no limit. Checked in the browser and again in Python.
        max_total_size: largest total size of all files, same units.
        required: a file must be chosen.
        help_text: see :func:`input`.
        **other_html_attrs: extra attributes of the ``<input type=file>``.

    Returns:
        ``{'filename', 'content' (bytes), 'mime_type', 'last_modified', 'size'}``, or ``None``
        when no file was chosen; with ``multiple=True`` a list of those.

    Example:
        >>> picture = file_upload("A picture", accept="image/*", max_size="3M")  # doctest: +SKIP
    """
    function = "file_upload"
    label = _label(label, function)
    if accept is not None and not isinstance(accept, str):
        if not isinstance(accept, Sequence) or not all(isinstance(item, str) for item in accept):
            raise TypeError(f"file_upload(): accept must be a str or a list of str, got {accept!r}")
        accept = ",".join(accept)
    spec = _common(label, placeholder, required, None, help_text)
    spec.update(
        accept=accept,
        multiple=True if multiple else None,
        max_size=parse_size(max_size, "max_size", function) or None,
        max_total_size=parse_size(max_total_size, "max_total_size", function) or None,
    )
    field = Field("file", function, spec, name=name, html_attrs=other_html_attrs)
    return _finish(field, name, sys._getframe(1))
