"""The anywidget that shows one root in a notebook cell's output."""

from __future__ import annotations

import pathlib
import uuid
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

if TYPE_CHECKING:
    from ._document import Root
    from ._notebook import NotebookSession

STATIC = pathlib.Path(__file__).parent / "static"


def _asset(name: str) -> pathlib.Path:
    path = STATIC / name
    if not path.exists():
        raise RuntimeError(
            f"pywebio_nb's frontend bundle {path} is missing: install the package with pip "
            "(which builds it) or run `npm install && npm run build` in a source checkout"
        )
    return path


class RootWidget(anywidget.AnyWidget):
    """Renders a root's scope tree; events from the browser go back to the session."""

    _esm = _asset("widget.js")
    _css = _asset("widget.css")
    #: The JSON snapshot the view starts from (see ``_protocol.SnapshotMessage``).
    _snapshot = traitlets.Unicode("").tag(sync=True)
    #: Identifies this root in the page (anywidget gives the JS different model proxies).
    _key = traitlets.Unicode("").tag(sync=True)

    def __init__(self, session: NotebookSession, root: Root) -> None:
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
