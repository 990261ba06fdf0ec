"""The Jupyter server extension: apps at ``<base_url>/webio/<app>``, behind the server's login.

Routes (all joined with ``base_url``): ``webio/_static/<file>`` (the page's assets),
``webio/_ws/<path>`` (the WebSocket of one session) and ``webio/<path>`` (the page, or an index
of a folder's apps). Every handler requires the Jupyter login (the WebSocket too, with the
server's Origin check), unless ``c.WebIO.allow_anonymous = True`` opens ``/webio/`` — and only
``/webio/`` — to visitors who are not logged in.

Settings (``jupyter_server_config.py``)::

    c.WebIO.allow_anonymous = False      # publish /webio/ without login (off by default)
    c.WebIO.root_dir = ""                # folder of .py apps (default: the server's root)
    c.WebIO.apps = None                  # a function, list or dict, or "module:attribute"
    c.WebIO.debug = False                # tracebacks of app errors shown to visitors
    c.WebIO.reconnect_timeout = 0.0      # seconds a dropped page may resume its session
    c.WebIO.max_payload_size = "200M"    # largest message accepted from a page (else 1009)
    c.WebIO.max_pending_size = "64M"     # unread output one page may leave (else cut off)
    c.WebIO.max_pending_total = "256M"   # unread output all pages together may leave
    c.WebIO.dashboard_pool_size = 0      # kernels per notebook run ahead for the next visitor
    c.WebIO.max_dashboard_kernels = 50   # live notebook kernels at most (0: no cap)
    c.WebIO.dashboard_idle_timeout = 0.0 # seconds without a page event before a visitor ends
    c.WebIO.dashboard_mode = "kernel"    # or "session": cells run in the server, a thread each

Notebooks under the root are served as dashboards at ``webio/<path>.ipynb`` (a kernel per
visitor, see ``_dashboards``), with their WebSocket at ``webio/_nb/<path>.ipynb``.

Apps are also registered by entry point, group ``pywebio_nb.apps``: the object is a function,
a list or a dict, served with ``?app=<name>``.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any
from urllib.parse import quote

from jupyter_server.auth.decorator import allow_unauthenticated, ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from jupyter_server.utils import url_path_join
from tornado import web, websocket
from traitlets import Any as AnyTrait
from traitlets import Bool, Enum, Float, Int, Unicode
from traitlets.config import Configurable

from ._apps import AppRegistry, PathApps, normalize_applications
from ._tornado import SocketLogic, WebIOServer, render_page, serve_asset

__all__ = ["WebIO"]


class WebIO(Configurable):
    """Settings of the ``/webio/`` apps (``c.WebIO.*`` in the Jupyter server config)."""

    allow_anonymous = Bool(
        False, help="Serve /webio/ to visitors who are not logged in (published dashboards)."
    ).tag(config=True)
    root_dir = Unicode("", help="Folder of .py apps; default: the server's root_dir.").tag(
        config=True
    )
    apps = AnyTrait(
        None, help="Registered apps: a function, list or dict, or 'module:attribute'."
    ).tag(config=True)
    debug = Bool(False, help="Show tracebacks of app errors to visitors.").tag(config=True)
    reconnect_timeout = Float(0.0, help="Seconds a dropped page may resume its session.").tag(
        config=True
    )
    max_payload_size = Unicode(
        "200M",
        help="Largest message accepted from a page; a larger one closes the connection with "
        "code 1009. /webio/ sockets get a read buffer this large whatever "
        "c.ServerApp.max_buffer_size says (it stays as it is for everything else).",
    ).tag(config=True)
    max_pending_size = Unicode(
        "64M", help="Most output one page may leave unread before it is cut off (code 1013)."
    ).tag(config=True)
    max_pending_total = Unicode(
        "256M",
        help="Most output all /webio/ pages may leave unread together; over it, the page with "
        "the most unread output is cut off.",
    ).tag(config=True)
    dashboard_pool_size = Int(
        0,
        help="Kernels per notebook dashboard started ahead, which run the notebook up to its "
        "first wait for a visitor (input()) or to its end: the next visitor gets a ready page.",
    ).tag(config=True)
    max_dashboard_kernels = Int(
        50,
        help="Most live notebook dashboard kernels (pooled ones included); a visitor over it "
        "gets a 'busy, try again' page. 0: no cap.",
    ).tag(config=True)
    dashboard_idle_timeout = Float(
        0.0,
        help="Seconds without an event from its page after which a dashboard visitor is ended "
        "(kernel mode: its kernel stops; session mode: its session). 0: never.",
    ).tag(config=True)
    dashboard_mode = Enum(
        ["kernel", "session"],
        "kernel",
        help="How notebook dashboards run: 'kernel' (a kernel per visitor: full IPython, "
        "isolation) or 'session' (the cells run as an app session in the server process, a "
        "thread per visitor: light, for trusted notebooks only). A notebook's metadata "
        "pywebio_nb.dashboard_mode overrides it.",
    ).tag(config=True)
    kernel_nodelay = Bool(
        True,
        help="Send kernel websocket frames at once (TCP_NODELAY): takes the ~40 ms Nagle/"
        "delayed-ACK wait off every widget interaction in the notebook (see "
        "pywebio_nb.jupyter_nodelay).",
    ).tag(config=True)


def registered_apps(setting: Any) -> dict[str, Any]:
    """Apps from the ``apps`` setting and the ``pywebio_nb.apps`` entry points."""
    apps: dict[str, Any] = {}
    for point in entry_points(group="pywebio_nb.apps"):
        value = point.load()
        found = normalize_applications(value)
        apps.update({point.name: value} if callable(value) else found)
    if isinstance(setting, str) and setting:
        module, _, attribute = setting.partition(":")
        setting = getattr(importlib.import_module(module), attribute or "main")
    if setting is not None:
        found = normalize_applications(setting)
        if callable(setting):
            found = {getattr(setting, "__name__", "index"): setting}
        apps.update(found)
    return apps


class _WebIOHandler(JupyterHandler):
    webio: WebIOServer

    def initialize(self, webio: WebIOServer) -> None:
        self.webio = webio

    def _page(self, path: str) -> None:
        if not path and not self.request.path.endswith("/"):
            query = self.request.query
            self.redirect(self.request.path + "/" + ("?" + query if query else ""))
            return
        base = url_path_join(self.base_url, "webio")
        render_page(
            self,
            self.webio,
            path,
            # url_path_join keeps the trailing "/" of a folder's path: "_ws/apps/".
            url_path_join(base, "_ws", quote(path)),
            lambda name: url_path_join(base, "_static", name),
            # ?reload imports a file anew: for logged-in users (and anyone in debug mode),
            # never for anonymous visitors of a published /webio/.
            may_reload=self.webio.debug or self.current_user is not None,
            socket_token=self._socket_token(),
        )

    def _socket_token(self) -> str:
        """The token a JupyterHub single-user server gives its pages for their WebSockets.

        A hub may refuse the login cookie on WebSockets (``allow_websocket_cookie_auth``,
        ``JUPYTERHUB_ALLOW_WEBSOCKET_COOKIE_AUTH=0``); the pages of its servers, JupyterLab's
        too, then open theirs with the user's own token, which the hub's identity provider
        puts in the page config (``page_config_hook``). Empty outside a hub and for visitors
        who are not logged in.
        """
        hook = self.settings.get("page_config_hook")
        if hook is None or self.current_user is None:
            return ""
        return str(hook(self, {}).get("token") or "")


class PageHandler(_WebIOHandler):
    """The app page (login required)."""

    @web.authenticated
    def get(self, path: str = "") -> None:
        self._page(path or "")


class PublicPageHandler(_WebIOHandler):
    """The app page when anonymous visitors are allowed."""

    @allow_unauthenticated
    def get(self, path: str = "") -> None:
        self._page(path or "")


class AssetHandler(_WebIOHandler):
    """The page's JS and CSS (login required)."""

    @web.authenticated
    def get(self, name: str) -> None:
        serve_asset(self, name)

    def check_xsrf_cookie(self) -> None:
        """Let a logged-in page load its scripts: no XSRF token is asked of an asset GET.

        A browser fetches module scripts (``page.js``, its chunks, ``modulepreload``) in CORS
        mode, and JupyterHub's single-user servers accept the login cookie on a CORS GET only
        with an XSRF token, which a ``<script type="module">`` cannot send: behind the hub,
        the page's own scripts were refused (302 to the hub's OAuth, round and round). An
        asset is the package's own file, the same for everyone, and a GET changes nothing,
        so there is nothing to forge; the login is still required.
        """
        if self.request.method not in ("GET", "HEAD"):
            super().check_xsrf_cookie()


class PublicAssetHandler(_WebIOHandler):
    """The page's JS and CSS when anonymous visitors are allowed."""

    @allow_unauthenticated
    def get(self, name: str) -> None:
        serve_asset(self, name)


class SocketHandler(SocketLogic, WebSocketMixin, websocket.WebSocketHandler, JupyterHandler):
    """One visitor's session (login required; Origin checked by ``WebSocketMixin``)."""

    def initialize(self, webio: WebIOServer) -> None:
        self.webio = webio

    @ws_authenticated
    async def get(self, *args: Any, **kwargs: Any) -> None:
        await super().get(*args, **kwargs)

    async def open(self, path: str = "", *args: Any, **kwargs: Any) -> None:
        super().open(path, *args, **kwargs)
        user = self.current_user
        self.log_user = getattr(user, "username", None) if user else None
        await self.open_session(path or "")


class PublicSocketHandler(SocketHandler):
    """The session WebSocket when anonymous visitors are allowed (Origin still checked)."""

    @allow_unauthenticated
    async def get(self, *args: Any, **kwargs: Any) -> None:
        await websocket.WebSocketHandler.get(self, *args, **kwargs)


def _load_jupyter_server_extension(serverapp: Any) -> None:
    settings = WebIO(parent=serverapp)
    if settings.kernel_nodelay:
        from ..jupyter_nodelay import enable_websocket_nodelay

        # A change to jupyter_server itself (its kernel websocket handler): said once, with
        # the setting that turns it off.
        if enable_websocket_nodelay():
            serverapp.log.info(
                "pywebio_nb: kernel websockets send each frame at once (TCP_NODELAY on "
                "jupyter_server's KernelWebsocketHandler); set c.WebIO.kernel_nodelay = False "
                "to turn this off"
            )
    registry = None
    apps = registered_apps(settings.apps)
    if apps:
        registry = AppRegistry(apps)
    server = WebIOServer(
        PathApps(settings.root_dir or serverapp.root_dir, registry),
        debug=settings.debug,
        reconnect_timeout=settings.reconnect_timeout,
        max_payload_size=settings.max_payload_size,
        max_pending_size=settings.max_pending_size,
        max_pending_total=settings.max_pending_total,
        backend="jupyter",
    )
    public = settings.allow_anonymous
    base = url_path_join(serverapp.web_app.settings["base_url"], "webio")
    options = {"webio": server}
    from ._dashboards._jupyter import dashboard_routes

    dashboards = dashboard_routes(
        serverapp, settings, server, settings.root_dir or serverapp.root_dir, public
    )
    serverapp.web_app.add_handlers(
        ".*$",
        [
            *dashboards,
            (
                url_path_join(base, r"_static/([^/]+)"),
                PublicAssetHandler if public else AssetHandler,
                options,
            ),
            (
                url_path_join(base, r"_ws/?(.*)"),
                PublicSocketHandler if public else SocketHandler,
                options,
            ),
            (base + r"/?(.*)", PublicPageHandler if public else PageHandler, options),
        ],
    )
    serverapp.log.info(
        "pywebio_nb: apps under %s served at %s/%s",
        server.apps.root if isinstance(server.apps, PathApps) else "-",
        base,
        " (anonymous visitors allowed)" if public else "",
    )
