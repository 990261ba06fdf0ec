"""One form item: the spec the browser draws, and how its answer becomes a checked Python value.

A :class:`Field` is what ``input(..., name='x')`` returns for use in ``input_group``, and what a
pin widget is built from. Everything the browser sends is converted and checked here: a NUMBER
must be an integer, an option must be one of the options (the browser sends its index), a slider
value must be in range, a textarea must respect ``maxlength``. Host independent.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, Literal, cast

from .._core.nodes import FieldBody
from ._options import FieldError, parse_buttons, parse_options, select_first

__all__ = ["TEXT_KINDS", "Field", "FieldError"]

#: Input kinds whose raw value is the text the user typed.
TEXT_KINDS = frozenset(
    {"text", "password", "url", "date", "time", "color", "datetime-local", "textarea", "email"}
)
#: Keys ``input_update`` / ``pin_update`` must not change (PyWebIO's list).
FIXED_KEYS = frozenset(
    {
        "action",
        "buttons",
        "code",
        "inline",
        "max_size",
        "max_total_size",
        "multiple",
        "name",
        "onchange",
        "type",
        "validate",
    }
)
_FORMATS = {
    "date": (re.compile(r"^\d{4,}-\d{2}-\d{2}$"), "a date (YYYY-MM-DD)"),
    "time": (re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"), "a time (HH:MM)"),
    "color": (re.compile(r"^#[0-9a-fA-F]{6}$"), "a colour (#rrggbb)"),
    "datetime-local": (
        re.compile(r"^\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"),
        "a date and time (YYYY-MM-DDTHH:MM)",
    ),
}
_INTEGER = re.compile(r"^[+-]?\d+$")
REQUIRED_MESSAGE = "Please fill out this field."


class Field:
    """One item of a form (or one pin widget).

    Attributes:
        kind: the input kind (``text``, ``number``, ``select``, ``file``...).
        name: the key of this item in ``input_group``'s result (``None`` for a standalone call).
        spec: the browser spec (``type: "field"``); placed forms add an ``id``.
        values: the Python values of the options or buttons, by index.
        validate: ``validate(value) -> None | error message``.
        onchange: ``onchange(value)`` called on every change in the browser.
        action: the callback of an input's ``action`` button, ``callback(set_value)``.

    Example:
        >>> from pywebio_nb.input import input, NUMBER
        >>> field = input("Age", type=NUMBER, name="age")
        >>> field.convert("36")
        36
    """

    def __init__(
        self,
        kind: str,
        function: str,
        spec: dict[str, Any],
        *,
        name: str | None = None,
        validate: Callable[[Any], Any] | None = None,
        onchange: Callable[[Any], Any] | None = None,
        values: Sequence[Any] = (),
        action: Callable[[Callable[..., None]], Any] | None = None,
        html_attrs: dict[str, Any] | None = None,
    ) -> None:
        if name is not None and not isinstance(name, str):
            raise TypeError(f"{function}(): name must be a str, got {name!r:.80}")
        for argument, value in (("validate", validate), ("onchange", onchange)):
            if value is not None and not callable(value):
                raise TypeError(f"{function}(): {argument} must be callable, got {value!r:.80}")
        self.kind = kind
        self.function = function
        self.name = name
        self.validate = validate
        self.onchange = onchange
        self.values = list(values)
        self.action = action
        self.spec: dict[str, Any] = {"type": "field", "input": kind}
        self.spec.update({key: value for key, value in spec.items() if value is not None})
        if name is not None:
            self.spec["name"] = name
        if validate is not None:
            self.spec["onblur"] = True
        if onchange is not None:
            self.spec["onchange"] = True
        if html_attrs:
            self.spec["attrs"] = {
                str(key).replace("_", "-"): str(value)
                for key, value in html_attrs.items()
                if value is not None and not str(key).lower().startswith("on")
            }

    def body(self, node_type: Literal["field", "pin"]) -> FieldBody:
        """A copy of :attr:`spec` as the body of a form's field or of a pin widget.

        Its keys are the input function's arguments, checked there (``None`` values left out).

        Example:
            >>> from pywebio_nb.input import input
            >>> input("Name", name="name").body("pin")["type"]
            'pin'
        """
        body = cast("FieldBody", dict(self.spec))
        body["type"] = node_type
        return body

    def __repr__(self) -> str:
        return f"<pywebio_nb input field {self.kind} name={self.name!r}>"

    # -- browser value -> Python value --------------------------------------------------------

    def convert(self, raw: Any) -> Any:
        """Turn the raw value the browser sent into the Python value, checking it.

        Raises:
            FieldError: the value is not acceptable; the message is shown at the field.
        """
        kind = self.kind
        value: Any
        if kind in TEXT_KINDS:
            value = self._text(raw)
        elif kind == "number":
            value = self._number(raw)
        elif kind == "float":
            value = self._float(raw)
        elif kind in ("select", "radio"):
            value = self._choice(raw)
        elif kind == "checkbox":
            value = self._choices(raw)
        elif kind == "slider":
            value = self._slider(raw)
        elif kind == "actions":
            value = self.values[self._index(raw, self.spec.get("buttons", []))]
        else:
            raise FieldError(f"cannot read a value of a {kind} field")
        if self.spec.get("required") and value in (None, "", []):
            raise FieldError(REQUIRED_MESSAGE)
        return value

    def _text(self, raw: Any) -> str:
        if not isinstance(raw, str):
            raise FieldError(f"expected text, got {type(raw).__name__}")
        fmt = _FORMATS.get(self.kind)
        if fmt is not None and raw and not fmt[0].match(raw):
            raise FieldError(f"Please enter {fmt[1]}.")
        maxlength, minlength = self.spec.get("maxlength"), self.spec.get("minlength")
        if isinstance(maxlength, int) and len(raw) > maxlength:
            raise FieldError(f"Please use at most {maxlength} characters (now {len(raw)}).")
        if isinstance(minlength, int) and raw and len(raw) < minlength:
            raise FieldError(f"Please use at least {minlength} characters (now {len(raw)}).")
        return raw

    def _number(self, raw: Any) -> int | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool):
            raise FieldError("Please enter an integer.")
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, int):
            if not _printable(raw):  # the app could not even print it
                raise FieldError(_TOO_LONG.format(_max_digits()))
            return raw
        if isinstance(raw, str) and _INTEGER.match(raw.strip()):
            try:
                return int(raw.strip())
            except ValueError:  # more digits than int() reads (sys.set_int_max_str_digits)
                raise FieldError(_TOO_LONG.format(_max_digits())) from None
        raise FieldError("Please enter an integer.")

    def _float(self, raw: Any) -> float | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
            raise FieldError("Please enter a number.")
        try:
            value = float(raw)
        except ValueError:
            raise FieldError("Please enter a number.") from None
        except OverflowError:  # an integer beyond the largest float
            raise FieldError("Please enter a finite number.") from None
        if not math.isfinite(value):
            raise FieldError("Please enter a finite number.")
        return value

    def _index(self, raw: Any, items: list[dict[str, Any]]) -> int:
        if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw < len(items):
            raise FieldError(f"{_shown(raw)} is not one of the choices.")
        if items[raw].get("disabled"):
            raise FieldError(f"{items[raw].get('label')!r} cannot be chosen.")
        return raw

    def _choice(self, raw: Any) -> Any:
        if self.spec.get("multiple"):
            return self._choices(raw)
        if raw is None:
            return None
        return self.values[self._index(raw, self.spec.get("options", []))]

    def _choices(self, raw: Any) -> list[Any]:
        if not isinstance(raw, list):
            raise FieldError(f"expected a list of choices, got {type(raw).__name__}")
        options = self.spec.get("options", [])
        indexes = [self._index(item, options) for item in raw]
        if len(set(indexes)) != len(indexes):
            raise FieldError("a choice was sent twice.")
        return [self.values[index] for index in sorted(indexes)]

    def _slider(self, raw: Any) -> int | float:
        if isinstance(raw, str):
            try:
                raw = float(raw)
            except ValueError:
                raise FieldError("Please choose a number.") from None
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise FieldError("Please choose a number.")
        if isinstance(raw, float) and not math.isfinite(raw):
            raise FieldError("Please choose a number.")
        low, high = self.spec["min"], self.spec["max"]
        if not low <= raw <= high:
            raise FieldError(f"Please choose a value between {low} and {high}.")
        if self.spec.get("float"):
            try:
                return float(raw)
            except OverflowError:  # only in a range wider than floats reach
                raise FieldError("Please choose a smaller number.") from None
        if isinstance(raw, float):
            if not raw.is_integer():
                raise FieldError("Please choose a whole number.")
            return int(raw)
        return raw

    # -- Python value -> browser spec ---------------------------------------------------------

    def browser_attrs(self, changes: dict[str, Any], function: str) -> dict[str, Any]:
        """The browser attributes for ``input_update`` / ``pin_update`` keyword arguments.

        Raises:
            ValueError: a key cannot be updated.
        """
        attrs: dict[str, Any] = {}
        for key, value in changes.items():
            if key in FIXED_KEYS:
                raise ValueError(f"{function}(): {key!r} cannot be updated")
            if key == "options":
                if self.kind not in ("select", "checkbox", "radio"):
                    raise ValueError(f"{function}(): a {self.kind} field has no options")
                multiple = self.kind == "checkbox" or bool(self.spec.get("multiple"))
                specs, values = parse_options(value, function, changes.get("value"), multiple)
                if self.kind == "select" and not multiple:
                    select_first(specs)
                self.values = values
                attrs["options"] = specs
            elif key == "value":
                if "options" in changes:
                    continue
                attrs.update(self.value_attrs(value, function))
            elif key == "buttons":
                specs, values = parse_buttons(value, function)
                self.values = values
                attrs["buttons"] = specs
            elif key in ("min_value", "max_value"):
                attrs[key[:3]] = value
            else:
                attrs[key] = value
        return attrs

    def value_attrs(self, value: Any, function: str) -> dict[str, Any]:
        """The browser attributes that show ``value`` (option flags for choice fields)."""
        if self.kind in ("select", "checkbox", "radio"):
            multiple = self.kind == "checkbox" or bool(self.spec.get("multiple"))
            options = [dict(option) for option in self.spec.get("options", [])]
            wanted = list(value) if multiple and isinstance(value, (list, tuple)) else [value]
            for option, option_value in zip(options, self.values, strict=False):
                option.pop("selected", None)
                if any(option_value == item for item in wanted):
                    option["selected"] = True
            if self.kind == "select" and not multiple:
                select_first(options)
            return {"options": options}
        if self.kind in ("actions", "file"):
            raise ValueError(f"{function}(): a {self.kind} field has no value to set")
        if self.kind == "slider":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{function}(): a slider value must be a number, got {value!r:.80}")
            return {"value": value}
        return {"value": None if value is None else _text_value(value)}

    def current_value(self) -> Any:
        """The value the spec shows now, as Python (what a fresh form would submit)."""
        kind = self.kind
        if kind in ("select", "checkbox", "radio"):
            chosen = [
                self.values[index]
                for index, option in enumerate(self.spec.get("options", []))
                if option.get("selected")
            ]
            if kind == "checkbox" or self.spec.get("multiple"):
                return chosen
            return chosen[0] if chosen else None
        if kind == "slider":
            return self.spec.get("value", self.spec.get("min", 0))
        if kind in ("actions", "file"):
            return None
        value = self.spec.get("value")
        if kind in ("number", "float"):
            try:
                return self.convert("" if value is None else str(value))
            except FieldError:
                return None
        return "" if value is None else value


def _text_value(value: Any) -> str:
    return str(value)


_TOO_LONG = "Please enter an integer of at most {} digits."


def _max_digits() -> int:
    """The most digits ``int()`` reads from text in this interpreter (0: no limit)."""
    return int(getattr(sys, "get_int_max_str_digits", lambda: 0)())


def _printable(number: int) -> bool:
    """Whether ``str(number)`` works (Python refuses integers past its digit limit)."""
    try:
        str(number)
    except ValueError:
        return False
    return True


def _shown(raw: Any) -> str:
    """A browser value as an error message quotes it: short, and never failing to print.

    Example:
        >>> _shown("abc"), _shown(10**5000), _shown("x" * 100)[-3:]
        ("'abc'", 'That', 'xxx')
    """
    try:
        return repr(raw)[:40]
    except (ValueError, RecursionError):  # a huge integer, a too deeply nested list
        return "That"
