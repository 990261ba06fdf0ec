"""The saved copy of a root: what outlives its session (issue 11).

The copy is the root's snapshot plus the first window of each datatable's rows (rows stay in
Python while live), wrapped for the places that keep it: ``text/html`` that draws it with the
renderer's static mode (``js/src/static-page.ts``, carried inline, gzipped, with its loader;
``templates/saved.html`` around a plain-text fallback), a ``text/markdown``/``text/plain``
fallback made from the document model (``fallback.py``), and the output bundle a notebook
host writes (``_hosts/notebook/persist.py``). Python wraps data here; the markup of the rich
view is the renderer's alone.
"""

from __future__ import annotations

import base64
import functools
import gzip
import html
import json
import pathlib
import string
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from .document import Output
from .fallback import to_markdown, to_plain

if TYPE_CHECKING:
    from .document import Root

__all__ = [
    "SAVED_MIME",
    "forget_answered",
    "note_answered",
    "saved_bundle",
    "saved_data",
    "saved_html",
]


class SavedSource(Protocol):
    """What a saved copy reads of a session (:class:`~pywebio_nb._core.session.Session`)."""

    row_sources: dict[int, tuple[Callable[[int, int], dict[str, Any]], Root]]

    def snapshot(self, root: Root) -> str:
        """The root's tree as JSON."""
        ...

    def log_exception(self, message: str) -> None:
        """Log the exception being handled."""
        ...


PACKAGE = pathlib.Path(__file__).resolve().parents[1]

#: Forms answered in each container (a scope, or an output holding outputs), kept for saved
#: copies only (live, an answered form goes, as in PyWebIO): where each stood (the id of the
#: output before it) and an ``answered`` node (labels and shown values; never a password).
#: Keyed by the container itself, so the records go with it (a discarded cell's root, an ended
#: session); clearing a scope forgets its records (:func:`forget_answered`).
_answered: weakref.WeakKeyDictionary[Output, list[tuple[int | None, dict[str, Any]]]] = (
    weakref.WeakKeyDictionary()
)
#: Guards ``_answered`` (shared by every session of the process).
_answered_lock = threading.Lock()
#: Answered forms kept per container: the latest ones (a loop that asks for ever stays bounded).
ANSWERED_PER_CONTAINER = 100
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


def saved_data(session: SavedSource, root: Root, model_id: str | None = None) -> dict[str, Any]:
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
    _with_answered(session, snapshot["root"])
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


def note_answered(
    session: object, form: Output, label: str | None, answers: list[tuple[str, str]]
) -> None:
    """Remember, for saved copies, that ``form`` (about to be removed) was answered so.

    Example:
        >>> from pywebio_nb._hosts.fake import FakeSession
        >>> from pywebio_nb.output import put_text
        >>> with FakeSession() as session:
        ...     form = put_text("stands in for a form")
        ...     note_answered(session, form, None, [("Name", "Ada")])
        ...     session.remove(form)
        ...     saved_data(session, session.root)["snapshot"]["root"]["children"][0]["fields"]
        [{'label': 'Name', 'value': 'Ada'}]
    """
    parent = form.parent
    if parent is None or parent.children is None:
        return
    at = next((i for i, child in enumerate(parent.children) if child is form), -1)
    before = parent.children[at - 1].id if at > 0 else None
    node = {
        "type": "answered",
        "id": -form.id,
        "label": label or "",
        "fields": [{"label": name, "value": value} for name, value in answers],
    }
    with _answered_lock:
        records = _answered.setdefault(parent, [])
        records.append((before, node))
        del records[:-ANSWERED_PER_CONTAINER]


def forget_answered(container: Output) -> None:
    """Forget the answered forms that stood in ``container`` (it was cleared).

    Example:
        >>> from pywebio_nb._hosts.fake import FakeSession
        >>> from pywebio_nb.output import clear, put_text, use_scope
        >>> with FakeSession() as session, use_scope("q"):
        ...     form = put_text("stands in for a form")
        ...     note_answered(session, form, None, [("Name", "Ada")])
        ...     session.remove(form)
        ...     clear("q")  # calls forget_answered
        ...     root = saved_data(session, session.root)["snapshot"]["root"]
        >>> root["children"][0]["children"]
        []
    """
    with _answered_lock:
        _answered.pop(container, None)


def _with_answered(session: object, tree: dict[str, Any]) -> None:
    """Put the answered forms of ``session`` back where they stood in a snapshot's tree."""
    with _answered_lock:
        by_container = {
            container.id: list(records)
            for container, records in list(_answered.items())
            if container.session is session and records
        }
    if not by_container:
        return
    nodes: dict[int, dict[str, Any]] = {}

    def index(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("id"), int):
                nodes[value["id"]] = value
            for item in value.values():
                index(item)
        elif isinstance(value, list):
            for item in value:
                index(item)

    index(tree)
    for parent_id, records in by_container.items():
        parent = nodes.get(parent_id)
        children = parent.get("children") if parent else None
        if not isinstance(children, list):
            continue
        placed: set[int] = set()
        for before, node in records:
            ids = [child.get("id") if isinstance(child, dict) else None for child in children]
            at = 0 if before is None else (ids.index(before) + 1 if before in ids else len(ids))
            # Forms answered one after another at the same place: in the order they were.
            while at < len(ids) and ids[at] in placed:
                at += 1
            children.insert(at, dict(node))
            placed.add(node["id"])


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
    path = PACKAGE / "templates" / "saved.html"
    return string.Template(path.read_text(encoding="utf-8").strip())


@functools.lru_cache(maxsize=1)
def _static_code() -> tuple[str, str]:
    """The static renderer (gzipped, base64) and its loader, from the built frontend."""
    static = PACKAGE / "static"
    if not (static / "static.js.gz").exists():
        raise RuntimeError(
            f"pywebio_nb's frontend bundle {static} is incomplete: install the package with pip "
            "(which builds it) or run `npm install && npm run build` in a source checkout"
        )
    code = base64.b64encode((static / "static.js.gz").read_bytes()).decode()
    return code, (static / "static-loader.js").read_text()
