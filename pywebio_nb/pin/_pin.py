"""Reading and watching pins.

``pin``, ``get_pin_values``, ``pin_wait_change``, ``pin_update`` and ``pin_on_change``.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

from .._core.current import current_session
from .._core.waiting import awaited_by_caller, run_blocking_or_awaitable
from ._registry import registry

__all__ = ["Pin_", "get_pin_values", "pin", "pin_on_change", "pin_update", "pin_wait_change"]


class Pin_:
    """The values of the pin widgets: ``pin.name`` or ``pin['name']``.

    Values are mirrored in Python as the user changes them, so reading costs no round trip.
    A name without a widget reads as ``None`` (or raises after :meth:`use_strict`).
    Assigning shows a new value in the widget. In a coroutine app, ``await pin.name`` works
    too, as PyWebIO asks there.

    Example:
        >>> put_input("who")  # doctest: +SKIP
        >>> pin.who = "Ada"  # doctest: +SKIP
        >>> pin["who"]  # doctest: +SKIP
        'Ada'
    """

    _strict = False

    def use_strict(self) -> None:
        """Make reading a pin without a widget raise ``AssertionError`` instead of giving None.

        Example:
            >>> pin.use_strict()  # doctest: +SKIP
        """
        type(self)._strict = True

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _answer(self._read(name), sys._getframe(1))

    def __getitem__(self, name: str) -> Any:
        return _answer(self._read(name), sys._getframe(1))

    def _read(self, name: str) -> Any:
        session = current_session()
        session.check_name(name, "name")
        pins = registry(session)
        with pins.lock:
            if name in pins.values and pins.live(name) is not None:
                return pins.values[name]
        if self._strict:
            raise AssertionError(f"no pin widget named {name!r} is shown")
        return None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __setitem__(self, name: str, value: Any) -> None:
        session = current_session()
        session.check_name(name, "name")
        registry(session).set_value(name, value, "pin")


pin = Pin_()


async def _ready(value: Any) -> Any:
    return value


def _answer(value: Any, caller: FrameType | None) -> Any:
    """``value``, or an awaitable of it where the caller awaits (``await pin.name``)."""
    return _ready(value) if awaited_by_caller(caller) else value


def get_pin_values(names: Iterable[str]) -> Any:
    """The values of several pins at once; names without a widget are left out.

    Awaitable too (``await get_pin_values([...])``), as in PyWebIO's coroutine apps.

    Args:
        names: pin names.

    Example:
        >>> get_pin_values(["a", "b"])  # doctest: +SKIP
        {'a': 'x', 'b': 3}
    """
    if isinstance(names, str):
        raise TypeError(f"get_pin_values(): names must be a list of names, got {names!r}")
    session = current_session()
    pins = registry(session)
    with pins.lock:
        values = {
            name: pins.values[name]
            for name in names
            if name in pins.values and pins.live(name) is not None
        }
    return _answer(values, sys._getframe(1))


def pin_wait_change(*names: Any, timeout: float | None = None) -> Any:
    """Wait until the user changes one of the pins; awaitable with ``await``.

    Args:
        *names: pin names, or one list of names.
        timeout: seconds to wait at most.

    Returns:
        ``{'name': name, 'value': value}`` of the changed pin, or ``None`` after ``timeout``.
        Changes made from Python (``pin.x = v``, ``pin_update``) do not count.

    Example:
        >>> while True:  # doctest: +SKIP
        ...     change = pin_wait_change("a", "b")
        ...     put_text(change["name"], "is now", change["value"])
    """
    if len(names) == 1 and isinstance(names[0], (list, tuple, set)):
        names = tuple(names[0])
    if not names:
        raise ValueError("pin_wait_change(): name at least one pin")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))):
        raise TypeError(f"pin_wait_change(): timeout must be a number, got {timeout!r:.80}")
    session = current_session()
    for name in names:
        session.check_name(name, "names")
    pins = registry(session)
    wanted = frozenset(names)

    def sync() -> Any:
        __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
        mailbox = session.new_mailbox()
        pins.add_waiter(wanted, mailbox)
        try:
            return session.wait_for_event(mailbox, timeout)
        finally:
            pins.remove_waiter(mailbox)

    async def asynchronous() -> Any:
        __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
        mailbox = session.new_mailbox()
        pins.add_waiter(wanted, mailbox)
        try:
            return await session.wait_for_event_async(mailbox, timeout)
        finally:
            pins.remove_waiter(mailbox)

    return run_blocking_or_awaitable(sync, asynchronous, sys._getframe(1))


def pin_update(name: str, **spec: Any) -> None:
    """Change a pin widget's attributes (``label``, ``value``, ``options``, ``help_text``...).

    Args:
        name: the pin name.
        **spec: new values; ``action``, ``buttons``, ``code``, ``inline``, ``max_size``,
            ``max_total_size``, ``multiple``, ``name``, ``onchange``, ``type`` and
            ``validate`` cannot change.

    Example:
        >>> pin_update("fruit", options=["plum", "fig"], value="fig")  # doctest: +SKIP
    """
    session = current_session()
    session.check_name(name, "name")
    registry(session).update(name, spec, "pin_update")


def _listening(_value: Any) -> None:
    """The callback that stands for a session's pin callbacks (see :func:`pin_on_change`)."""


def pin_on_change(
    name: str,
    onchange: Callable[[Any], Any] | None = None,
    clear: bool = False,
    init_run: bool = False,
    **callback_options: Any,
) -> None:
    """Call ``onchange(value)`` whenever the user changes a pin.

    Callbacks belong to the name, so they keep working when a new widget takes the name over.
    Their output goes to the cell (or page) showing the widget.

    Args:
        name: the pin name.
        onchange: the callback; several can be registered.
        clear: remove the callbacks registered before (then add ``onchange``, if given).
        init_run: also call ``onchange`` once now, with the current value.
        **callback_options: accepted for PyWebIO compatibility.

    Example:
        >>> pin_on_change("level", lambda value: put_text("level", value))  # doctest: +SKIP
    """
    if onchange is not None and not callable(onchange):
        raise TypeError(f"pin_on_change(): onchange must be callable, got {onchange!r:.80}")
    session = current_session()
    session.check_name(name, "name")
    pins = registry(session)
    with pins.lock:
        callbacks = pins.callbacks.setdefault(name, [])
        if clear:
            callbacks.clear()
        if onchange is not None:
            callbacks.append(onchange)
            if pins.keep_open is None:
                # As PyWebIO's registered callbacks do, this keeps an app's page open after
                # main() returns. The id is never shown: a page sending it runs a no-op.
                pins.keep_open = session.register_callback(_listening)
        value = pins.values.get(name)
    if init_run and onchange is not None:
        result = onchange(value)
        if inspect.isawaitable(result):  # an async def onchange: its host awaits it
            session.await_callback(session.task_root(), result)
