"""Saved outputs in notebooks: each root's saved copy written into its output (issue 11).

A notebook saves what its outputs' bundles hold. A live root's bundle is the widget view, which
shows nothing once the kernel (and the widget model) is gone. So at the end of every cell
execution, when a wait starts, and a moment after a callback changed something, each root that
changed since its last save gets an ``update_display_data`` for its output (by the display id of
its first display) with the bundle of ``pywebio_nb._core.saved.saved_bundle``: the widget view
(a frontend with a live kernel keeps rendering it), the saved-data MIME type (drawn by the
JupyterLab/Notebook 7 extension when the live view cannot be had), a self-contained
``text/html`` (nbconvert) and the Markdown/plain fallback. Written once per cell, the copy's
size follows what is shown, not how many updates it took.

Headless runs (``jupyter nbconvert --execute``, papermill) store the widget state in the
notebook, and nbconvert then prefers the widget view, which needs a CDN and a kernel. An
execution that allows no stdin, in a kernel that no widget frontend has spoken to, gets
bundles without the widget view; if a frontend shows up later, the roots saved that way are
written again with it.

Under Voila nothing is saved: its page shows the live widget views of a kernel that lives as
long as the page, and a saved copy in the bundle would be drawn instead of the live view by the
JupyterLab extension, which Voila loads too (the extension needs a notebook output area to mount
the live view in; Voila's output areas are its own).
"""

from __future__ import annotations

import threading
import uuid
from typing import TYPE_CHECKING, Any

from ..._core.saved import SAVED_MIME, SAVED_VERSION, WIDGET_VIEW_MIME, saved_bundle, saved_data
from .voila import under_voila

if TYPE_CHECKING:
    from ..._core.document import Root
    from ..._core.session import Session

__all__ = ["Persister"]

#: Seconds of quiet after a callback before its changes are saved.
IDLE_SAVE_S = 1.0


class _Entry:
    __slots__ = ("display_id", "saved_seq", "viewless", "widget")

    def __init__(self, widget: Any) -> None:
        self.display_id = f"pywebio-nb-{uuid.uuid4().hex}"
        self.widget = widget
        self.saved_seq = -1
        self.viewless = False


class Persister:
    """Writes the saved copy of each shown root into its notebook output (see the module doc).

    ``send(msg_type, content, parent)`` publishes on the kernel's IOPub; ``parent()`` is the
    execute request of the running (or last) cell.
    """

    def __init__(self, session: Session, send: Any, parent: Any) -> None:
        self.session = session
        self.send = send
        self.parent = parent
        #: The shown roots; an entry's widget holds its root, so entries are dropped explicitly
        #: (:meth:`forget` when the cell runs again, ``save_changed`` once a root is closed).
        self.entries: dict[Root, _Entry] = {}
        self.frontend_seen = False
        #: Whether saved copies are written at all (not under Voila, see the module doc).
        self.enabled = not under_voila()
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def first_bundle(self, root: Root, widget: Any) -> tuple[dict[str, Any], str]:
        """The bundle that first displays ``root`` and its display id (for later updates)."""
        entry = _Entry(widget)
        self.entries[root] = entry
        data = widget._repr_mimebundle_()
        bundle = dict(data[0] if isinstance(data, tuple) else data)
        if not self.enabled:
            return bundle, entry.display_id
        empty = {"kind": "snapshot", "v": 1, "seq": 0, "root": {**root.scope.spec, "children": []}}
        bundle[SAVED_MIME] = {"v": SAVED_VERSION, "snapshot": empty, "model_id": widget.model_id}
        return bundle, entry.display_id

    def forget(self, root: Root) -> None:
        """Drop ``root`` (its cell runs again): its entry holds the widget, which holds the root."""
        with self._lock:
            self.entries.pop(root, None)

    def save_changed(self) -> None:
        """Write the saved copy of every open root that changed since it was last written."""
        self.session.flush()
        if not self.enabled:
            return
        headless = self._headless()
        with self._lock:
            for root, entry in list(self.entries.items()):
                if root.closed or root.host is None:
                    del self.entries[root]
                    continue
                if root.seq == entry.saved_seq and not (entry.viewless and not headless):
                    continue
                self._write(root, entry, headless)

    def _write(self, root: Root, entry: _Entry, headless: bool) -> None:
        widget = entry.widget
        data = saved_data(self.session, root, widget.model_id)
        view = None
        if not headless:
            shown = widget._repr_mimebundle_()
            shown = shown[0] if isinstance(shown, tuple) else shown
            view = shown.get(WIDGET_VIEW_MIME)
        content = {
            "data": saved_bundle(data, view),
            "metadata": {},
            "transient": {"display_id": entry.display_id},
        }
        try:
            self.send("update_display_data", content, self.parent())
        except Exception:
            self.session.log_exception("pywebio_nb: writing a saved output failed")
            return
        entry.saved_seq = root.seq
        entry.viewless = view is None

    def _headless(self) -> bool:
        if self.frontend_seen:
            return False
        content = (self.parent() or {}).get("content") or {}
        return content.get("allow_stdin") is False

    def heard_from_frontend(self) -> None:
        """A view spoke: a frontend is there; roots saved without their view get it back."""
        if not self.frontend_seen:
            self.frontend_seen = True
            if any(entry.viewless for entry in list(self.entries.values())):
                self.save_soon()

    def save_soon(self) -> None:
        """Save changed roots once the kernel has been quiet for a moment (after callbacks)."""
        if not self.enabled:
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            timer = threading.Timer(IDLE_SAVE_S, self._save_quietly)
            timer.daemon = True
            timer.name = "pywebio_nb-save"
            self._timer = timer
        timer.start()

    def _save_quietly(self) -> None:
        try:
            self.save_changed()
        except Exception:
            self.session.log_exception("pywebio_nb: saving outputs failed")
