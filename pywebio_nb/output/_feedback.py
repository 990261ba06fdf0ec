"""Feedback: alert boxes, loading spinners and progress bars."""

from __future__ import annotations

import weakref
from types import TracebackType
from typing import Any

from .._core.context import per_session
from .._core.current import current_session, session_of
from .._core.document import Output
from .._core.nodes import AlertBody, LoadingBody, ProgressBarBody
from .._core.protocol import ProgressCommand
from .._core.session import Session
from ._common import ContainerOutput, check_position, check_type, put_container

__all__ = [
    "put_error",
    "put_info",
    "put_loading",
    "put_processbar",
    "put_progressbar",
    "put_success",
    "put_warning",
    "set_processbar",
    "set_progressbar",
]

_LOADING_COLORS = ("primary", "secondary", "success", "danger", "warning", "info", "light", "dark")

#: Progress bars by name, per session (names are session-wide, like PyWebIO's DOM ids).
_bars: weakref.WeakKeyDictionary[Session, dict[str, Output]] = per_session(
    weakref.WeakKeyDictionary()
)


def _alert(
    kind: str, contents: tuple[Any, ...], closable: bool, scope: str | int | None, position: int
) -> Output:
    function = f"put_{kind}"
    check_position(position, function)
    session = current_session()
    spec: AlertBody = {"type": "alert", "kind": kind}
    holder: list[weakref.ref[Output]] = []
    if closable:

        def close(_value: Any) -> None:
            node = holder[0]() if holder else None
            if node is not None:
                session_of(node).remove(node)

        spec["close"] = session.register_callback(close)
    out = put_container(spec, list(contents), scope, position, session=session)
    holder.append(weakref.ref(out))
    return out


def put_info(
    *contents: Any, closable: bool = False, scope: str | int | None = None, position: int = -1
) -> Output:
    """Output an information box.

    Args:
        *contents: outputs or strings (shown as text).
        closable: show a close button.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Returns:
        The box; ``with put_info(): put_text(...)`` writes into it.

    Example:
        >>> put_info("Saved.", put_link("open", url="/files"), closable=True)  # doctest: +SKIP
    """
    return _alert("info", contents, closable, scope, position)


def put_success(
    *contents: Any, closable: bool = False, scope: str | int | None = None, position: int = -1
) -> Output:
    """Output a success box; arguments as :func:`put_info`.

    Example:
        >>> put_success("All tests passed")  # doctest: +SKIP
    """
    return _alert("success", contents, closable, scope, position)


def put_warning(
    *contents: Any, closable: bool = False, scope: str | int | None = None, position: int = -1
) -> Output:
    """Output a warning box; arguments as :func:`put_info`.

    Example:
        >>> put_warning("Disk almost full", closable=True)  # doctest: +SKIP
    """
    return _alert("warning", contents, closable, scope, position)


def put_error(
    *contents: Any, closable: bool = False, scope: str | int | None = None, position: int = -1
) -> Output:
    """Output an error box; arguments as :func:`put_info`.

    Example:
        >>> put_error("Could not connect")  # doctest: +SKIP
    """
    return _alert("error", contents, closable, scope, position)


class _LoadingOutput(ContainerOutput):
    """A spinner that, used as a context manager, removes itself and its content on exit."""

    __slots__ = ()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        super().__exit__(exc_type, exc, tb)
        session_of(self).remove(self)


def put_loading(
    shape: str = "border",
    color: str = "dark",
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a loading spinner.

    Args:
        shape: ``'border'`` (a spinning ring) or ``'grow'`` (a pulsing dot).
        color: ``primary``, ``secondary``, ``success``, ``danger``, ``warning``, ``info``,
            ``light`` or ``dark``.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Returns:
        The spinner. As a context manager, output inside goes next to it, and the spinner and
        that output are removed when the block ends.

    Example:
        >>> with put_loading():  # doctest: +SKIP
        ...     put_text("crunching...")
        ...     time.sleep(3)
    """
    check_position(position, "put_loading")
    if shape not in ("border", "grow"):
        raise ValueError(f"put_loading(): shape must be 'border' or 'grow', got {shape!r}")
    if color not in _LOADING_COLORS:
        raise ValueError(f"put_loading(): color must be one of {_LOADING_COLORS}, got {color!r}")
    spec: LoadingBody = {"type": "loading", "shape": shape, "color": color}
    return put_container(spec, [], scope, position, output_class=_LoadingOutput)


def _check_fraction(value: Any, argument: str, function: str) -> float:
    check_type(value, (int, float), argument, function)
    if not 0 <= value <= 1:
        raise ValueError(f"{function}(): {argument} must be between 0 and 1, got {value!r}")
    return float(value)


def put_progressbar(
    name: str,
    init: float = 0,
    label: str | None = None,
    auto_close: bool = False,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a progress bar, updated by name with :func:`set_progressbar`.

    Args:
        name: the bar's name (letters, digits, ``_`` and ``-``).
        init: the initial value, from 0 to 1.
        label: text on the bar (the percentage, ``"25.0%"``, by default).
        auto_close: remove the bar when it reaches 1.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> put_progressbar("download", label="Downloading")  # doctest: +SKIP
        >>> for i in range(1, 11):  # doctest: +SKIP
        ...     set_progressbar("download", i / 10)
    """
    session = current_session()
    session.check_name(name, "name")
    check_position(position, "put_progressbar")
    value = _check_fraction(init, "init", "put_progressbar")
    spec: ProgressBarBody = {
        "type": "progressbar",
        "name": name,
        "value": value,
        "auto_close": bool(auto_close),
    }
    if label is not None:
        check_type(label, str, "label", "put_progressbar")
        spec["label"] = label
    out = session.put(spec, scope, position)
    _bars.setdefault(session, {})[name] = out
    return out


def set_progressbar(name: str, value: float, label: str | None = None) -> None:
    """Set the value (and optionally the label) of a progress bar.

    Args:
        name: the name given to :func:`put_progressbar`.
        value: from 0 to 1.
        label: new text on the bar; without it, the percentage (``"50.0%"``).

    Example:
        >>> set_progressbar("download", 0.5, label="Half way")  # doctest: +SKIP
    """
    session = current_session()
    session.check_name(name, "name")
    fraction = _check_fraction(value, "value", "set_progressbar")
    if label is not None:
        check_type(label, str, "label", "set_progressbar")
    bar = _bars.get(session, {}).get(name)
    if bar is None or bar.find_root() is None:
        raise ValueError(f"set_progressbar(): no progress bar named name={name!r} is shown")
    if bar.spec.get("auto_close") and fraction >= 1:
        session.remove(bar)
        del _bars[session][name]
        return
    if label is None:
        # As PyWebIO: without a label the bar shows its percentage, not the label it was put with.
        label = f"{fraction * 100:.1f}%"
    command: ProgressCommand = {"op": "progress", "id": bar.id, "value": fraction, "label": label}
    bar.spec["value"] = fraction
    bar.spec["label"] = label
    session.command(bar, command)


put_processbar = put_progressbar
set_processbar = set_progressbar
