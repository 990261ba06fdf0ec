"""The page and the WebSocket of a notebook dashboard, for the extension and for ``serve``.

A GET sends the same standalone page as a ``.py`` app (``templates/page.html``), or the busy
page at the kernel cap (``templates/busy.html``, status 503); it runs nothing. The WebSocket
gives the visitor a kernel (:mod:`._kernels`) and carries pywebio_nb events only: a frame that
is not one — a Jupyter message such as an ``execute_request`` or a ``comm_open``, a comm
message, unknown kinds — closes the connection (1003) and never reaches the kernel.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import tornado.web
import tornado.websocket

from ..._hosts.app.framing import ProtocolError, split_frame
from ..._hosts.app.notebook import Cell, compile_cells, session_factory
from ..._hosts.app.session import AppSession
from .._apps import AppTarget
from .._connection import accept_frames
from .._page import effective_settings
from .._tornado import PACKAGE, SocketLogic, WebIOServer, send_page
from ._kernels import DashboardKernels, VisitorKernel
from ._notebooks import Notebook, NotebookFiles

__all__ = [
    "DASHBOARD_EVENTS",
    "DashboardSocketLogic",
    "Dashboards",
    "check_event",
    "send_dashboard",
]

log = logging.getLogger("pywebio_nb")
#: The events a dashboard page may send (``js/src/protocol.ts: BrowserEvent``).
DASHBOARD_EVENTS = frozenset({"callback", "input", "rows", "sync", "js_result"})
#: The close code of a page turned away at the kernel cap.
BUSY_CLOSE_CODE = 4503
_loader = tornado.template.Loader(str(PACKAGE / "templates"))


#: The ways a notebook dashboard runs (``c.WebIO.dashboard_mode``).
DASHBOARD_MODES = ("kernel", "session")


@dataclass
class Dashboards:
    """One mount's dashboards: the notebook files, their kernels, the mount's page options.

    ``mode`` is the mount's ``dashboard_mode``; a notebook's metadata overrides it.
    """

    files: NotebookFiles
    kernels: DashboardKernels
    webio: WebIOServer
    mode: str = "kernel"
    _compiled: dict[str, tuple[tuple[int, int], tuple[Cell, ...]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.mode not in DASHBOARD_MODES:
            raise ValueError(f"dashboard_mode={self.mode!r} must be 'kernel' or 'session'")

    def mode_of(self, notebook: Notebook) -> str:
        """How ``notebook`` runs: its metadata's mode, else the mount's."""
        return notebook.mode or self.mode

    def cells_of(self, notebook: Notebook) -> tuple[Cell, ...]:
        """The notebook's cells prepared for session mode (once per file version)."""
        found = self._compiled.get(notebook.path)
        if found is not None and found[0] == notebook.version:
            return found[1]
        cells = compile_cells(notebook.cells, notebook.path)
        self._compiled[notebook.path] = (notebook.version, cells)
        return cells


def check_event(message: str | bytes) -> tuple[dict[str, Any], bytes | None]:
    """The event a page frame carries, and its payload; anything else is refused.

    Raises:
        ProtocolError: the frame is not a pywebio_nb page event.

    Example:
        >>> check_event('{"kind": "callback", "cb": 3}')
        ({'kind': 'callback', 'cb': 3}, None)
        >>> check_event('{"header": {"msg_type": "execute_request"}}')  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pywebio_nb...ProtocolError: a dashboard page sent something other than an event
    """
    payload: bytes | None = None
    if isinstance(message, bytes):
        event, view = split_frame(message)
        payload = bytes(view)
    else:
        try:
            event = json.loads(message)
        except (ValueError, RecursionError):
            raise ProtocolError("a message from the page is not JSON") from None
    if not isinstance(event, dict) or event.get("kind") not in DASHBOARD_EVENTS:
        raise ProtocolError("a dashboard page sent something other than an event")
    return event, payload


def send_dashboard(
    handler: tornado.web.RequestHandler,
    dashboards: Dashboards,
    path: str,
    ws_url: str,
    asset_url: Any,
    socket_token: str = "",
) -> None:
    """Answer a GET of a notebook's page (runs nothing): the page, the busy page, or 404.

    A ``socket_token`` goes into the socket's URL (JupyterHub servers that refuse cookies there).
    """
    notebook = dashboards.files.locate(path)
    if notebook is None:
        raise tornado.web.HTTPError(404)
    session_mode = dashboards.mode_of(notebook) == "session"
    if not session_mode and dashboards.kernels.busy(notebook):
        handler.set_status(503)
        handler.set_header("Retry-After", "30")
        handler.set_header("Cache-Control", "no-store")
        handler.finish(_loader.load("busy.html").generate(title=notebook.title))
        return
    webio = dashboards.webio
    settings = effective_settings(None, [{"title": notebook.title}])
    client = {
        "ws": ws_url,
        "reconnect": webio.reconnect_timeout,
        "debug": webio.debug,
        # A reloaded page gets its kernel back (within reconnect_timeout); a session-mode
        # page its session, as a .py app's page does.
        "resume": True,
    }
    if socket_token:
        client["token"] = socket_token
    send_page(handler, settings, client, asset_url)


def end_when_idle(session: AppSession, idle_timeout: float) -> None:
    """Session mode: end a visitor's session after ``idle_timeout`` s without a page event.

    The same rule as a kernel-mode visitor's kernel (``c.WebIO.dashboard_idle_timeout``): the
    page is told why ("idle for too long") and closed, the session's thread or task stops.
    Looks again, on the running event loop, when the time left since the last event is up.

    Example:
        >>> end_when_idle(session, 600)  # doctest: +SKIP
    """
    if session.is_closed:
        return
    left = session.last_event + idle_timeout - time.monotonic()
    if left <= 0:
        session.end("idle for too long")
        return
    asyncio.get_running_loop().call_later(left, end_when_idle, session, idle_timeout)


class DashboardSocketLogic(SocketLogic):
    """Mixin for a ``WebSocketHandler``: one visitor's kernel per connection.

    The handler sets ``self.dashboards`` and ``self.webio`` and awaits :meth:`open_dashboard`
    from ``open()``.
    """

    dashboards: Dashboards
    kernel: VisitorKernel | None = None

    async def open_dashboard(self, path: str) -> None:
        """Give the page its kernel: the one it resumes, a pooled one, or a new one."""
        handler: Any = self
        resume = handler.get_argument("session", None)
        if resume and resume in self.webio.sessions:
            await self.open_session(path)  # a session-mode page coming back
            return
        handler.set_nodelay(True)
        self.connection = self.webio.connection(handler, self._cut_off)
        kernels = self.dashboards.kernels
        notebook: Notebook | None = None
        if not resume:
            notebook = self.dashboards.files.locate(path)
            if notebook is not None and self.dashboards.mode_of(notebook) == "session":
                self._open_notebook_session(notebook)
                return
        if resume:
            kernel = kernels.resume(resume, self.log_user)
            if kernel is None:
                handler.close(4410, "the session has ended")
                return
        else:
            if notebook is None:
                handler.close(4404, "no such app")
                return
            kernel = kernels.take(notebook)
            if kernel is None:
                handler.close(BUSY_CLOSE_CODE, "the server is busy; try again in a moment")
                return
        self.kernel = kernel
        info = self.visitor_info()
        visitor = {
            "user_agent": self.request.headers.get("User-Agent", ""),
            "user_language": info.user_language,
            "server_host": info.server_host,
            "origin": info.origin,
            "user_ip": info.user_ip,
            "user": self.log_user,
        }
        attached = await kernel.attach(self.connection, visitor, self.log_user)
        if not attached and kernel.failure is None:
            handler.close(1011, "the dashboard's kernel is gone")

    def _open_notebook_session(self, notebook: Notebook) -> None:
        """Session mode: the notebook's cells run as an app session in this process."""
        handler: Any = self
        accept_frames(handler, self.webio.max_payload_size)
        assert self.connection is not None
        target = AppTarget(lambda: None, notebook.path)
        factory = session_factory(self.dashboards.cells_of(notebook))
        session = self.webio.new_session(target, self.visitor_info(), factory)
        self.session = session
        session.open_page(self.connection)
        idle_timeout = self.dashboards.kernels.idle_timeout
        if idle_timeout > 0:
            end_when_idle(session, idle_timeout)

    def on_message(self, message: str | bytes) -> None:
        if self.session is not None:
            super().on_message(message)
            return
        kernel = self.kernel
        if kernel is None or self.refused:
            return
        try:
            event, payload = check_event(message)
        except ProtocolError as error:
            self.refused = True
            log.warning("pywebio_nb: closing a dashboard connection: %s", error)
            self._close_connection(error.code, str(error))
            return
        kernel.event(event, payload)

    def _cut_off(self) -> None:
        if self.session is not None:
            super()._cut_off()
            return
        kernel, self.kernel = self.kernel, None
        if kernel is not None and self.connection is not None:
            self.dashboards.kernels.page_gone(kernel, self.connection)
            self.dashboards.kernels.shutdown(kernel)

    def on_close(self) -> None:
        if self.session is not None:
            super().on_close()
            return
        kernel, self.kernel = self.kernel, None
        if self.connection is not None:
            self.connection.mark_closed()
        if kernel is not None and self.connection is not None:
            self.dashboards.kernels.page_gone(kernel, self.connection)


def dashboard_handler(dashboards: Dashboards) -> type[tornado.websocket.WebSocketHandler]:
    """One handler class for a plain tornado app: the page on GET, the kernel over WebSocket."""
    webio = dashboards.webio

    class DashboardHandler(DashboardSocketLogic, tornado.websocket.WebSocketHandler):
        def initialize(self) -> None:
            self.webio = webio
            self.dashboards = dashboards

        async def get(self, *args: Any, **kwargs: Any) -> None:
            path = args[0] if args and isinstance(args[0], str) else ""
            if self.request.headers.get("Upgrade", "").lower() != "websocket":
                base = self.request.path
                send_dashboard(
                    self, dashboards, path, base, lambda name: f"/?pywebio_nb_asset={name}"
                )
                return
            await super().get(*args, **kwargs)

        def check_origin(self, origin: str) -> bool:
            return webio.origin_allowed(origin, self.request.headers.get("Host", ""))

        async def open(self, *args: Any, **kwargs: Any) -> None:
            await self.open_dashboard(args[0] if args and isinstance(args[0], str) else "")

    return DashboardHandler
