"""Buttons: a group of buttons with one callback, or one button."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from .._core.current import current_session
from .._core.document import Output
from .._core.nodes import ButtonItem, ButtonsBody
from ._common import check_position, label_text

__all__ = ["put_button", "put_buttons"]

_COLORS = ("primary", "secondary", "success", "danger", "warning", "info", "light", "dark")


def _parse_button(item: Any, index: int) -> tuple[ButtonItem, Any]:
    """A button spec for the browser, and the Python value it stands for."""
    if isinstance(item, Mapping):
        if "label" not in item:
            raise ValueError(f"put_buttons(): buttons[{index}] needs a 'label' key, got {item!r}")
        label, value = item["label"], item.get("value", item["label"])
        spec: ButtonItem = {"label": str(label)}
        if item.get("color"):
            color = item["color"]
            if color not in _COLORS:
                raise ValueError(
                    f"put_buttons(): buttons[{index}] color={color!r} is not one of {_COLORS}"
                )
            spec["color"] = color
        if item.get("disabled"):
            spec["disabled"] = True
        return spec, value
    if isinstance(item, (tuple, list)):
        if len(item) != 2:
            raise ValueError(
                f"put_buttons(): buttons[{index}] must be (label, value), got {item!r}"
            )
        return {"label": str(item[0])}, item[1]
    return {"label": str(item)}, item


def put_buttons(
    buttons: Sequence[Any],
    onclick: Callable[[Any], Any] | Sequence[Callable[[], Any]],
    small: bool | None = None,
    link_style: bool = False,
    outline: bool = False,
    group: bool = False,
    scope: str | int | None = None,
    position: int = -1,
    **callback_options: Any,
) -> Output:
    """Output a group of buttons.

    Args:
        buttons: each a label, a ``(label, value)`` pair, or a dict with ``label``, ``value``,
            ``color`` (``primary``, ``secondary``, ``success``, ``danger``, ``warning``, ``info``,
            ``light``, ``dark``) and ``disabled``. Values can be any Python object: the browser
            only ever sees the button's index.
        onclick: ``f(value)`` called with the clicked button's value, or a list of functions
            without arguments, one per button.
        small: smaller buttons.
        link_style: look like links.
        outline: outlined buttons.
        group: join the buttons into one group.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.
        **callback_options: ``serial_mode`` / ``mutex_mode`` (accepted for PyWebIO compatibility).

    Example:
        >>> put_buttons(["A", ("B", {"b": 1})], onclick=put_text)  # doctest: +SKIP
    """
    if isinstance(buttons, (str, bytes)) or not isinstance(buttons, Sequence):
        raise TypeError(f"put_buttons(): buttons must be a list, got {type(buttons).__name__}")
    check_position(position, "put_buttons")
    parsed = [_parse_button(item, index) for index, item in enumerate(buttons)]
    values = [value for _, value in parsed]
    if callable(onclick):
        single = onclick

        def dispatch(index: Any) -> Any:
            return single(values[_checked_index(index, len(values))])
    elif isinstance(onclick, Sequence) and not isinstance(onclick, (str, bytes)):
        handlers = list(onclick)
        if len(handlers) != len(values) or not all(callable(h) for h in handlers):
            raise ValueError(
                f"put_buttons(): onclick must be one function or a list of {len(values)} "
                f"functions (one per button), got {onclick!r:.80}"
            )

        def dispatch(index: Any) -> Any:
            return handlers[_checked_index(index, len(handlers))]()
    else:
        raise TypeError(f"put_buttons(): onclick must be callable or a list, got {onclick!r:.80}")
    session = current_session()
    spec: ButtonsBody = {
        "type": "buttons",
        "buttons": [button for button, _ in parsed],
        "cb": session.register_callback(dispatch),
    }
    key: Literal["small", "link", "outline", "group"]
    for key, flag in (
        ("small", small),
        ("link", link_style),
        ("outline", outline),
        ("group", group),
    ):
        if flag:
            spec[key] = True
    return session.put(spec, scope, position)


def _checked_index(index: Any, count: int) -> int:
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < count:
        raise ValueError(f"button index {index!r} from the browser is out of range")
    return index


def put_button(
    label: str,
    onclick: Callable[[], Any],
    color: str | None = None,
    small: bool | None = None,
    link_style: bool = False,
    outline: bool = False,
    disabled: bool = False,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output one button.

    Args:
        label: the button text.
        onclick: a function without arguments, called on each click.
        color: one of the button colors of :func:`put_buttons`.
        small: a smaller button.
        link_style: look like a link.
        outline: an outlined button.
        disabled: greyed out, not clickable.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> put_button("Go", onclick=lambda: put_text("went"))  # doctest: +SKIP
    """
    label = label_text(label, "label", "put_button")
    if not callable(onclick):
        raise TypeError(f"put_button(): onclick must be callable, got {onclick!r:.80}")
    button: dict[str, Any] = {"label": label, "value": 0, "disabled": disabled}
    if color is not None:
        if color not in _COLORS:
            raise ValueError(f"put_button(): color={color!r} is not one of {_COLORS}")
        button["color"] = color
    return put_buttons(
        [button],
        onclick=[onclick],
        small=small,
        link_style=link_style,
        outline=outline,
        scope=scope,
        position=position,
    )
