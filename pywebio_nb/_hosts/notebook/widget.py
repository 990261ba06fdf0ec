"""The anywidget that shows one root in a notebook cell's output."""

from __future__ import annotations

import functools
import pathlib
import uuid
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

if TYPE_CHECKING:
    from ..._core.document import Root
    from ..._core.session import Session

#: The bundled frontend (``pywebio_nb/static``).
STATIC = pathlib.Path(__file__).resolve().parents[2] / "static"
#: The parts of the frontend a view may ask the kernel for, by name (never a path).
FRONTEND_ASSETS = {"editor": "editor.js"}


def _asset(name: str) -> pathlib.Path:
    path = STATIC / name
    if not path.exists():
        raise RuntimeError(
            f"pywebio_nb's frontend bundle {path} is missing: install the package with pip "
            "(which builds it) or run `npm install && npm run build` in a source checkout"
        )
    return path


def frontend_asset(name: object) -> bytes | None:
    """The bytes of a frontend part a view asked for, or ``None`` for a name not allowed.

    Only the names of :data:`FRONTEND_ASSETS` are read; anything else (a path, another file)
    is ignored without touching the disk.

    Example:
        >>> frontend_asset("../_widget.py") is None
        True
    """
    file = FRONTEND_ASSETS.get(name) if isinstance(name, str) else None
    if file is None:
        return None
    path = STATIC / file
    return _read_asset(path, path.stat().st_mtime_ns) if path.is_file() else None


@functools.lru_cache(maxsize=4)
def _read_asset(path: pathlib.Path, mtime_ns: int) -> bytes:
    """A file's bytes, kept while the file is unchanged."""
    return path.read_bytes()


class RootWidget(anywidget.AnyWidget):
    """Renders a root's scope tree; events from the browser go back to the session."""

    #: A small loader; the renderer is ``_code`` (see js/build.mjs: writeLoader).
    _esm = _asset("widget-loader.js")
    _css = _asset("widget.css")
    #: The renderer, gzipped, sent as a binary buffer with each widget and compiled once a page.
    _code = traitlets.Bytes(_asset("widget.js.gz").read_bytes()).tag(sync=True)
    #: The JSON snapshot the view starts from (see ``_protocol.SnapshotMessage``).
    _snapshot = traitlets.Unicode("").tag(sync=True)
    #: Identifies this root in the page (anywidget gives the JS different model proxies).
    _key = traitlets.Unicode("").tag(sync=True)

    def __init__(self, session: Session, root: Root) -> None:
        super().__init__(_snapshot=session.snapshot(root), _key=uuid.uuid4().hex)
        self._pywebio_session = session
        self._pywebio_root = root
        self.on_msg(self._on_browser_message)

    def _on_browser_message(self, _widget: object, content: Any, buffers: list[Any]) -> None:
        self._pywebio_session.handle_event(self._pywebio_root, content, buffers)

    def get_state(self, key: Any = None, drop_defaults: bool = False) -> dict[str, Any]:
        """Refresh the snapshot before a (re)connecting frontend reads the state."""
        root = getattr(self, "_pywebio_root", None)
        if root is not None and not root.closed:
            self._trait_values["_snapshot"] = self._pywebio_session.snapshot(root)
        state: dict[str, Any] = super().get_state(key, drop_defaults)
        return state

    def __repr__(self) -> str:
        return "<pywebio_nb output>"
