"""Outputs that outlive the kernel: the saved copy of each notebook root, written into its output.

A notebook saves what its outputs' bundles hold. A live root's bundle is the widget view, which
shows nothing once the kernel (and the widget model) is gone. So at the end of every cell
execution, and a moment after a callback changed something, each root that changed since its
last save gets an ``update_display_data`` for its output (by display id) whose bundle carries:

* the widget view, for a frontend with a live kernel (it keeps rendering the live view);
* ``application/vnd.pywebio-nb.saved+json``: what the JupyterLab/Notebook 7 extension draws
  read-only when the live view cannot be had (no kernel, or a kernel that never ran the cell);
* ``text/html``: a self-contained static view for nbconvert's HTML export and other viewers that
  run scripts: the saved data, the renderer's static mode (gzipped, base64) and its loader,
  wrapped by ``templates/saved.html`` around a plain-text fallback;
* ``text/markdown`` and ``text/plain``: the fallback made from the document model
  (``_fallback.py``) for viewers without JavaScript.

The saved data is written once per cell and is the root's current snapshot, so its size
follows what is shown, not how many updates it took. Python wraps data here; the markup of the
rich view is the renderer's alone (``js/src/static.ts``).

Headless runs (``jupyter nbconvert --execute``, papermill) store the widget state in the
notebook, and nbconvert then prefers the widget view, which needs a CDN and a kernel. An
execution that allows no stdin, in a kernel that no widget frontend has spoken to (and that is
not Voila's), gets bundles without the widget view; if a frontend shows up later, the roots
saved that way are written again with it.
"""

from __future__ import annotations

import base64
import functools
import gzip
import html
import json
import os
import string
import threading
import uuid
import weakref
from typing import TYPE_CHECKING, Any

from ._fallback import to_markdown, to_plain

if TYPE_CHECKING:
    from ._core.document import Root
    from ._core.session import Session

__all__ = ["SAVED_MIME", "Persister", "saved_bundle", "saved_data", "saved_html"]

SAVED_MIME = "application/vnd.pywebio-nb.saved+json"
#: The script type of saved data in ``text/html`` when it is gzipped (base64).
SAVED_GZIP = "application/vnd.pywebio-nb.saved+gzip"
#: Saved data larger than this (bytes of JSON) travels gzipped: 20,000 lines take 8x less.
GZIP_ABOVE = 16_384
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
SAVED_VERSION = 1
#: Rows of each datatable kept in the saved copy (one window of the view, see datatable.ts).
ROWS_WINDOW = 100
#: Characters of plain text in ``text/plain`` (the full text is in ``text/markdown``).
PLAIN_LIMIT = 2000
#: Seconds of quiet after a callback before its changes are saved.
IDLE_SAVE_S = 1.0


def saved_data(session: Session, root: Root, model_id: str | None = None) -> dict[str, Any]:
    """The saved copy of ``root``: its snapshot and the first window of each datatable's rows.

    Example:
        >>> from pywebio_nb._hosts.fake import FakeSession
        >>> from pywebio_nb.output import put_text
        >>> with FakeSession() as session:
        ...     _ = put_text("hi")
        ...     data = saved_data(session, session.root)
        >>> data["v"], data["snapshot"]["root"]["children"][0]["text"]
        (1, 'hi')
    """
    snapshot = json.loads(session.snapshot(root))
    rows: dict[str, Any] = {}
    for node_id, (source, owner) in list(session.row_sources.items()):
        if owner is not root:
            continue
        try:
            rows[str(node_id)] = {"op": "rows", "id": node_id, **source(0, ROWS_WINDOW)}
        except Exception:
            session.log_exception(f"pywebio_nb: saving the rows of table #{node_id} failed")
    data: dict[str, Any] = {"v": SAVED_VERSION, "snapshot": snapshot, "rows": rows}
    if model_id:
        data["model_id"] = model_id
    return data


def _clip(text: str) -> str:
    if len(text) <= PLAIN_LIMIT:
        return text
    return text[:PLAIN_LIMIT] + f"\n… ({len(text) - PLAIN_LIMIT} more characters)"


def saved_html(data: dict[str, Any], fallback: str) -> str:
    """The self-contained ``text/html`` of a saved output (see ``templates/saved.html``).

    The page shows ``fallback`` (escaped) until the static renderer, carried inline, replaces
    it with the rich read-only view; nothing is fetched from the network.

    Example:
        >>> html = saved_html({"v": 1, "snapshot": {}}, "a < b")
        >>> "a &lt; b" in html and "https:" not in html
        True
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    data_type = SAVED_MIME
    if len(text) > GZIP_ABOVE:
        packed = gzip.compress(text.encode(), compresslevel=6, mtime=0)
        text, data_type = base64.b64encode(packed).decode(), SAVED_GZIP
    else:
        # Inside <script>: no "</script>", no "<!--" (JSON strings escape them the same way).
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    code, loader = _static_code()
    return _template().substitute(
        data_type=data_type,
        data_json=text,
        fallback=html.escape(fallback, quote=False),
        code=code,
        loader=loader,
    )


def saved_bundle(data: dict[str, Any], view: dict[str, Any] | None) -> dict[str, Any]:
    """The output bundle of a saved root: its live view (if any), saved data and fallbacks.

    The saved data travels once, inside ``text/html``; the ``SAVED_MIME`` entry points there.

    Example:
        >>> bundle = saved_bundle({"v": 1, "snapshot": {"root": {"type": "text", "text": "x"}}},
        ...                       None)
        >>> sorted(bundle)
        ['application/vnd.pywebio-nb.saved+json', 'text/html', 'text/markdown', 'text/plain']
        >>> bundle["text/markdown"]
        'x'
    """
    root = data.get("snapshot", {}).get("root", {})
    rows = data.get("rows") or {}
    plain = _clip(to_plain(root, rows))
    bundle: dict[str, Any] = {}
    if view is not None:
        bundle[WIDGET_VIEW_MIME] = view
    pointer = {k: v for k, v in data.items() if k not in ("snapshot", "rows")}
    bundle[SAVED_MIME] = {**pointer, "in": "text/html"}
    bundle["text/html"] = saved_html(data, plain)
    bundle["text/markdown"] = to_markdown(root, rows)
    bundle["text/plain"] = plain or "pywebio_nb output"
    return bundle


@functools.lru_cache(maxsize=1)
def _template() -> string.Template:
    """The wrapper of ``text/html``, ``templates/saved.html``, filled with escaped values.

    Not a tornado template: rendering one clears ``linecache``, which would cost IPython the
    source lines of every earlier cell in tracebacks.
    """
    path = os.path.join(os.path.dirname(__file__), "templates", "saved.html")
    with open(path, encoding="utf-8") as file:
        return string.Template(file.read().strip())


@functools.lru_cache(maxsize=1)
def _static_code() -> tuple[str, str]:
    """The static renderer (gzipped, base64) and its loader, from the built frontend."""
    from ._hosts.notebook.widget import STATIC, _asset

    code = base64.b64encode(_asset("static.js.gz").read_bytes()).decode()
    loader = (STATIC / "static-loader.js").read_text()
    return code, loader


def _in_voila() -> bool:
    """Voila runs notebooks headless, then shows their widget views live: keep them."""
    return bool(os.environ.get("VOILA_KERNEL_ID") or os.environ.get("VOILA_BASE_URL")) or (
        os.environ.get("SERVER_SOFTWARE", "").startswith("voila")
    )


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
        self.entries: weakref.WeakKeyDictionary[Root, _Entry] = weakref.WeakKeyDictionary()
        self.frontend_seen = False
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def first_bundle(self, root: Root, widget: Any) -> tuple[dict[str, Any], str]:
        """The bundle that first displays ``root`` and its display id (for later updates)."""
        entry = _Entry(widget)
        self.entries[root] = entry
        data = widget._repr_mimebundle_()
        bundle = dict(data[0] if isinstance(data, tuple) else data)
        empty = {"kind": "snapshot", "v": 1, "seq": 0, "root": {**root.scope.spec, "children": []}}
        bundle[SAVED_MIME] = {"v": SAVED_VERSION, "snapshot": empty, "model_id": widget.model_id}
        return bundle, entry.display_id

    def save_changed(self) -> None:
        """Write the saved copy of every open root that changed since it was last written."""
        self.session.flush()
        headless = self._headless()
        with self._lock:
            for root, entry in list(self.entries.items()):
                if root.closed or root.host is None:
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
        if self.frontend_seen or _in_voila():
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
