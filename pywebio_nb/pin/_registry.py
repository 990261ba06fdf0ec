"""The pins of one session: current widget per name, mirrored values, waiters and callbacks.

Every change in the browser is sent at once and converted and checked here (the same
:class:`~pywebio_nb.input.Field` rules as forms), so Python always holds each pin's value: reading
a pin costs no round trip. Names are session-wide (kernel-wide in a notebook); a second widget
with the same name takes over and the old one shows that it expired.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

from .._core.context import per_session
from .._core.document import Output, Root
from .._core.session import Session
from .._core.waiting import Mailbox
from ..input._field import Field
from ..input._files import Uploads
from ..input._options import FieldError

__all__ = ["PinRegistry", "PinWidget", "registry"]

_registries: weakref.WeakKeyDictionary[Session, PinRegistry] = per_session(
    weakref.WeakKeyDictionary()
)
_registries_lock = threading.Lock()


def registry(session: Session) -> PinRegistry:
    """The pin registry of a session, created on first use."""
    with _registries_lock:
        found = _registries.get(session)
        if found is None:
            found = _registries[session] = PinRegistry(session)
        return found


class PinWidget:
    """One shown pin widget."""

    def __init__(self, field: Field, out: Output) -> None:
        self.field = field
        self.out = out
        self.uploads = Uploads() if field.kind == "file" else None

    @property
    def root(self) -> Root | None:
        """The root showing the widget."""
        return self.out.find_root()


class PinRegistry:
    """Pins by name for one session; safe to use from the transport's threads."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.lock = threading.RLock()
        self.widgets: dict[str, PinWidget] = {}
        self.values: dict[str, Any] = {}
        self.callbacks: dict[str, list[Callable[[Any], Any]]] = {}
        self.waiters: list[tuple[frozenset[str], Mailbox]] = []
        #: The callback id that keeps an app's page open while pin callbacks exist.
        self.keep_open: int | None = None

    def show(self, field: Field, scope: str | int | None, position: int) -> Output:
        """Put a pin widget for ``field`` (whose ``name`` is the pin name) into a scope."""
        name = field.name
        assert name is not None
        out = self.session.put(field.body("pin"), scope, position)
        field.spec = out.spec
        widget = PinWidget(field, out)
        with self.lock:
            old = self.widgets.get(name)
            self.widgets[name] = widget
            self.values[name] = field.current_value()
        if old is not None:
            self.session.remove_event_sink(old.out.id)
            self.session.update_node(old.out, {"expired": True})
        self.session.add_event_sink(
            out.id, lambda content, buffers: self._event(widget, content, buffers)
        )
        return out

    def live(self, name: str) -> PinWidget | None:
        """The current widget of a pin, if it is still shown."""
        widget = self.widgets.get(name)
        if widget is None or widget.root is None or widget.root.closed:
            return None
        return widget

    # -- browser events -----------------------------------------------------------------------

    def _event(self, widget: PinWidget, content: dict[str, Any], buffers: list[Any]) -> None:
        field, name = widget.field, widget.field.name or ""
        event = content.get("event")
        try:
            if event == "chunk" and widget.uploads is not None:
                received = widget.uploads.add_chunk(field, content, buffers)
                if received >= 0:
                    self.session.update_node(widget.out, {"progress": received})
                self.session.flush()
                return
            if event != "change":
                raise FieldError("The browser sent a malformed message.")
            raw = content.get("value")
            if widget.uploads is not None:
                value = widget.uploads.result(field, raw)
                widget.uploads.discard()
            else:
                value = field.convert(raw)
        except FieldError as error:
            self.session.log_limit.warning(
                "pywebio_nb: rejected a value for pin %r: %s", name, error
            )
            self.session.update_node(widget.out, {"invalid": str(error), "progress": None})
            self.session.flush()
            return
        with self.lock:
            if self.widgets.get(name) is not widget:
                return  # an expired widget
            self.values[name] = value
            if isinstance(raw, str) and field.kind not in ("file", "actions"):
                widget.out.spec["value"] = raw  # a reloaded page shows what was entered
            elif field.kind in ("select", "checkbox", "radio"):
                widget.out.spec.update(field.value_attrs(value, "pin"))
            elif field.kind == "slider":
                widget.out.spec["value"] = value
            waiters = [mailbox for names, mailbox in self.waiters if not names or name in names]
            callbacks = list(self.callbacks.get(name, ()))
        if widget.out.spec.get("invalid"):
            self.session.update_node(widget.out, {"invalid": None})
        for mailbox in waiters:
            mailbox.put({"name": name, "value": value})
        root = widget.root
        for callback in callbacks:
            if root is not None:
                # As a click's callback: the host runs it in the session (an app's worker
                # thread or event loop), not on the thread that received the event.
                self.session.schedule_callback(root, callback, value)

    # -- Python side --------------------------------------------------------------------------

    def set_value(self, name: str, value: Any, function: str) -> None:
        """Show ``value`` in a pin widget (``pin.name = value``)."""
        self.update(name, {"value": value}, function)

    def update(self, name: str, changes: dict[str, Any], function: str) -> None:
        """Change attributes of a pin widget (``pin_update``)."""
        widget = self.live(name)
        if widget is None:
            raise ValueError(f"{function}(): no pin widget named {name!r} is shown")
        attrs = widget.field.browser_attrs(changes, function)
        self.session.update_node(widget.out, attrs)
        if "value" in changes or "options" in changes:
            with self.lock:
                self.values[name] = widget.field.current_value()

    def add_waiter(self, names: frozenset[str], mailbox: Mailbox) -> None:
        """Deliver changes of ``names`` (all pins when empty) to ``mailbox``."""
        with self.lock:
            self.waiters.append((names, mailbox))

    def remove_waiter(self, mailbox: Mailbox) -> None:
        """Stop delivering changes to ``mailbox``."""
        with self.lock:
            self.waiters = [entry for entry in self.waiters if entry[1] is not mailbox]
