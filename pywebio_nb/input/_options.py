"""Options and buttons: parse PyWebIO's option forms, keep the Python values on this side.

The browser only ever sees labels and flags; what it sends back is an index. So any Python
object can be an option value, and a value the browser makes up cannot be returned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "BUTTON_COLORS",
    "FieldError",
    "parse_buttons",
    "parse_options",
    "parse_size",
    "select_first",
]

BUTTON_COLORS = ("primary", "secondary", "success", "danger", "warning", "info", "light", "dark")
BUTTON_TYPES = ("submit", "reset", "cancel")


class FieldError(ValueError):
    """A value from the browser was rejected; ``str(error)`` is shown at the field."""


def parse_options(
    options: Any, function: str, value: Any = None, multiple: bool = False
) -> tuple[list[dict[str, Any]], list[Any]]:
    """Browser option specs (``label``, ``selected``, ``disabled``) and the Python values.

    Args:
        options: each a dict ``{label, value, selected?, disabled?}``, a tuple or list
            ``(label, value[, selected[, disabled]])``, or a bare value (its ``str`` is the label).
        function: the calling function's name, for error messages.
        value: the initially selected value (a list of values when ``multiple``); overrides the
            options' own ``selected`` flags when given.
        multiple: several options may be selected.

    Example:
        >>> parse_options(["a", ("B", 2, True)], "select")
        ([{'label': 'a'}, {'label': 'B', 'selected': True}], ['a', 2])
    """
    if options is None:
        options = []
    if isinstance(options, (str, bytes, Mapping)) or not isinstance(options, Sequence):
        raise TypeError(f"{function}(): options must be a list, got {type(options).__name__}")
    specs: list[dict[str, Any]] = []
    values: list[Any] = []
    for index, item in enumerate(options):
        selected = disabled = False
        if isinstance(item, Mapping):
            if "label" not in item or "value" not in item:
                raise ValueError(
                    f"{function}(): options[{index}] needs 'label' and 'value' keys, got {item!r}"
                )
            label, option_value = item["label"], item["value"]
            selected, disabled = bool(item.get("selected")), bool(item.get("disabled"))
        elif isinstance(item, (tuple, list)):
            if not 2 <= len(item) <= 4:
                raise ValueError(
                    f"{function}(): options[{index}] must be (label, value[, selected[, "
                    f"disabled]]), got {item!r}"
                )
            label, option_value = item[0], item[1]
            selected = bool(item[2]) if len(item) > 2 else False
            disabled = bool(item[3]) if len(item) > 3 else False
        else:
            label, option_value = item, item
        spec: dict[str, Any] = {"label": str(label)}
        if selected:
            spec["selected"] = True
        if disabled:
            spec["disabled"] = True
        specs.append(spec)
        values.append(option_value)
    if value is not None:
        wanted = list(value) if multiple and isinstance(value, (list, tuple)) else [value]
        for spec, option_value in zip(specs, values, strict=False):
            spec.pop("selected", None)
            if any(option_value == item for item in wanted):
                spec["selected"] = True
    if not multiple and sum(1 for spec in specs if spec.get("selected")) > 1:
        raise ValueError(f"{function}(): only one option can be selected, got {options!r:.80}")
    return specs, values


def select_first(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mark the first enabled option selected when none is: what a single ``<select>`` shows.

    Example:
        >>> select_first([{"label": "a", "disabled": True}, {"label": "b"}])
        [{'label': 'a', 'disabled': True}, {'label': 'b', 'selected': True}]
    """
    if not any(spec.get("selected") for spec in specs):
        for spec in specs:
            if not spec.get("disabled"):
                spec["selected"] = True
                break
    return specs


def parse_buttons(buttons: Any, function: str) -> tuple[list[dict[str, Any]], list[Any]]:
    """Browser button specs (``label``, ``type``, ``disabled``, ``color``) and their values.

    Example:
        >>> parse_buttons(["OK", ("Stop", 0, "cancel")], "actions")
        ([{'label': 'OK', 'type': 'submit'}, {'label': 'Stop', 'type': 'cancel'}], ['OK', 0])
    """
    if isinstance(buttons, (str, bytes, Mapping)) or not isinstance(buttons, Sequence):
        raise TypeError(f"{function}(): buttons must be a list, got {type(buttons).__name__}")
    specs: list[dict[str, Any]] = []
    values: list[Any] = []
    for index, item in enumerate(buttons):
        kind, disabled, color = "submit", False, None
        if isinstance(item, Mapping):
            if "label" not in item:
                raise ValueError(
                    f"{function}(): buttons[{index}] needs a 'label' key, got {item!r}"
                )
            label, value = item["label"], item.get("value", item["label"])
            kind = item.get("type", "submit")
            disabled, color = bool(item.get("disabled")), item.get("color")
        elif isinstance(item, (tuple, list)):
            if not 2 <= len(item) <= 4:
                raise ValueError(
                    f"{function}(): buttons[{index}] must be (label, value[, type[, disabled]]), "
                    f"got {item!r}"
                )
            label, value = item[0], item[1]
            kind = item[2] if len(item) > 2 else "submit"
            disabled = bool(item[3]) if len(item) > 3 else False
        else:
            label, value = item, item
        if kind not in BUTTON_TYPES:
            raise ValueError(f"{function}(): buttons[{index}] type={kind!r} is not {BUTTON_TYPES}")
        if color is not None and color not in BUTTON_COLORS:
            raise ValueError(
                f"{function}(): buttons[{index}] color={color!r} is not one of {BUTTON_COLORS}"
            )
        spec: dict[str, Any] = {"label": str(label), "type": kind}
        if disabled:
            spec["disabled"] = True
        if color:
            spec["color"] = color
        specs.append(spec)
        values.append(value)
    return specs, values


_UNITS = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def parse_size(size: Any, argument: str, function: str) -> int:
    """A file size in bytes from an int or a string such as ``'40K'``, ``'3M'``, ``'1G'``.

    Units are powers of 1024; ``0`` means no limit.

    Example:
        >>> parse_size("40K", "max_size", "file_upload"), parse_size(0, "max_size", "f")
        (40960, 0)
    """
    if isinstance(size, int) and not isinstance(size, bool):
        number = size
    elif isinstance(size, float) and size.is_integer():
        number = int(size)
    elif isinstance(size, str):
        text = size.strip().upper()
        unit = text[-1:] if text[-1:] in ("K", "M", "G", "B") else ""
        digits = text[: len(text) - len(unit)].strip()
        try:
            number = int(float(digits) * _UNITS[unit])
        except ValueError:
            raise ValueError(
                f"{function}(): {argument}={size!r} is not a size like 1024, '40K', '3M' or '1G'"
            ) from None
    else:
        raise TypeError(
            f"{function}(): {argument} must be an int or a str like '3M', got {size!r:.80}"
        )
    if number < 0:
        raise ValueError(f"{function}(): {argument}={size!r} must not be negative")
    return number
