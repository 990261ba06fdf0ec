"""``input_group``: several named fields in one form, answered together."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

from ._field import Field

__all__ = ["input_group"]


def input_group(
    label: str = "",
    inputs: Sequence[Field] | None = None,
    validate: Callable[[dict[str, Any]], tuple[str, str] | None] | None = None,
    cancelable: bool = False,
) -> Any:
    """Ask several questions in one form.

    Args:
        label: the form's title.
        inputs: fields made by the input functions, each with a distinct ``name``
            (``input("Name", name="name")``...). If the last one is :func:`actions` with a
            submit button, its buttons replace the form's Submit and Reset buttons.
        validate: ``validate(data)`` gets the whole answer as a dict and returns ``None``, or
            ``(name, error message)`` to show the error at that field and keep waiting.
        cancelable: add a Cancel button; cancelling returns ``None``.

    Returns:
        ``{name: value}`` for every field, or ``None`` when cancelled. Awaitable.

    Raises:
        ValueError: a field has no name, or two fields share a name.

    Example:
        >>> info = input_group("About you", [  # doctest: +SKIP
        ...     input("Name", name="name"),
        ...     input("Age", name="age", type=NUMBER),
        ... ])
        >>> info["age"]  # doctest: +SKIP
        36
    """
    if not isinstance(label, str):
        raise TypeError(f"input_group(): label must be a str, got {label!r:.80}")
    if inputs is None or isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise TypeError(f"input_group(): inputs must be a list of fields, got {inputs!r:.80}")
    if validate is not None and not callable(validate):
        raise TypeError(f"input_group(): validate must be callable, got {validate!r:.80}")
    seen: set[str] = set()
    for index, field in enumerate(inputs):
        if not isinstance(field, Field):
            raise TypeError(
                f"input_group(): inputs[{index}] must be a field made with name=..., e.g. "
                f"input('Age', name='age'); got {field!r:.80}"
            )
        if field.name is None:
            raise ValueError(f"input_group(): inputs[{index}] ({field.function}) needs a name")
        if field.name in seen:
            raise ValueError(f"input_group(): two inputs are named {field.name!r}")
        seen.add(field.name)
    from ._form import FormRun

    run = FormRun(list(inputs), label=label, validate=validate, cancelable=bool(cancelable))
    return run.start(sys._getframe(1))
