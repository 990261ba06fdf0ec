"""Tornado handlers shared by the Jupyter server extension and ``start_server``.

* :class:`WebIOServer` — the state of one mount: where apps come from, the live sessions, options.
* :func:`render_page` / :func:`serve_asset` — the HTML page (``templates/page.html``) and the
  bundled assets from ``pywebio_nb/static``.
* :class:`SocketLogic` — a mixin for a ``WebSocketHandler`` that runs one app session per
  connection, with reconnect, message size limits and back-pressure on slow clients.
* :func:`webio_handler` — one handler class for a plain tornado application: a GET serves the
  page, a WebSocket upgrade on the same URL runs the session (PyWebIO's ``webio_handler``).
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import functools
import gzip
import json
import logging
import mimetypes
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import tornado.httpserver
import tornado.web
import tornado.websocket
from tornado.escape import json_encode
from tornado.ioloop import IOLoop
from tornado.template import Loader

from .._core.info import SessionInfo, parse_user_agent
from .._hosts.app.framing import ProtocolError
from .._hosts.app.kinds import CoroutineSession, ThreadSession
from .._hosts.app.session import AppSession
from ._apps import AppFile, AppRegistry, AppTarget, PathApps, is_coroutine_app, off_loop
from ._connection import FRAME_SLACK, SocketConnection, accept_frames, limited_protocol
from ._page import page_config

__all__ = [
    "SocketLogic",
    "WebIOServer",
    "http_server",
    "parse_size",
    "render_page",
    "send_page",
    "serve_asset",
    "webio_handler",
]

log = logging.getLogger("pywebio_nb")
PACKAGE = Path(__file__).resolve().parent.parent
STATIC = PACKAGE / "static"
_loader = Loader(str(PACKAGE / "templates"))
_ASSET = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.(js|css)$")
#: The chunks that page.js imports on first use (js/build.mjs), next to it in ``static/``.
_PAGE_CHUNK = re.compile(r"^page-\w+-[A-Z0-9]+\.js$")


def parse_size(size: int | str, argument: str = "max_payload_size") -> int:
    """Bytes from ``200M``-style sizes (PyWebIO's ``max_payload_size``).

    Example:
        >>> parse_size("200M"), parse_size("1k"), parse_size(512)
        (209715200, 1024, 512)
    """
    if isinstance(size, int) and not isinstance(size, bool):
        if size < 0:
            raise ValueError(f"{argument}={size!r} must be >= 0")
        return size
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?\s*", str(size))
    if not match or isinstance(size, bool):
        raise ValueError(f"{argument}={size!r} is not a size such as 200M, 1G or 4096")
    factor = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    return int(float(match.group(1)) * factor)


class WebIOServer:
    """Where a mount's apps come from, its live sessions, and its options."""

    def __init__(
        self,
        apps: PathApps | AppRegistry,
        *,
        debug: bool = False,
        reconnect_timeout: float = 0,
        max_payload_size: int | str = "200M",
        allowed_origins: Sequence[str] | None = None,
        check_origin: Callable[[str], bool] | None = None,
        backend: str = "tornado",
        max_pending_size: int | str = "64M",
        max_pending_total: int | str = "256M",
    ) -> None:
        if reconnect_timeout < 0:
            raise ValueError(f"reconnect_timeout={reconnect_timeout!r} must be >= 0")
        self.apps = apps
        self.debug = debug
        self.reconnect_timeout = reconnect_timeout
        self.max_payload_size = parse_size(max_payload_size, "max_payload_size")
        #: Unsent bytes one page may make the server hold (see ``_connection.py``).
        self.max_pending_size = parse_size(max_pending_size, "max_pending_size")
        #: Unsent bytes all pages together may make this process hold.
        self.max_pending_total = parse_size(max_pending_total, "max_pending_total")
        self.allowed_origins = list(allowed_origins or [])
        self.check_origin_func = check_origin
        self.backend = backend
        self.sessions: dict[str, AppSession] = {}
        #: Sessions whose page dropped, waiting ``reconnect_timeout`` for it: their timers.
        self._expiry: dict[str, asyncio.TimerHandle] = {}
        #: File apps being imported, by file.
        self._imports: dict[Path, asyncio.Future[AppTarget | None]] = {}

    def locate(self, path: str, app: str | None) -> AppTarget | AppFile | str | None:
        """The app for a URL, without running anything (see :meth:`PathApps.locate`)."""
        if isinstance(self.apps, PathApps):
            return self.apps.locate(path, app)
        return self.apps.resolve(app)

    def page_settings(self, found: AppTarget | AppFile) -> dict[str, Any]:
        """The page settings (title, theme...) of an app, without running anything."""
        if isinstance(found, AppFile) and isinstance(self.apps, PathApps):
            return self.apps.page_settings(found)
        assert isinstance(found, AppTarget)
        return page_config(found.func)

    def forget(self, found: AppTarget | AppFile) -> None:
        """``?reload``: the next session of a file app imports the file again."""
        if isinstance(found, AppFile) and isinstance(self.apps, PathApps):
            self.apps.forget(found)

    async def load(self, found: AppTarget | AppFile) -> AppTarget | None:
        """The app's function; a file app not imported yet is imported in a thread of its own.

        Importing runs the file's top level, which may take long: the event loop, and every
        other visitor's session on it, keeps running meanwhile.
        """
        if isinstance(found, AppTarget):
            return found
        assert isinstance(self.apps, PathApps)
        module = self.apps.loaded(found)
        if module is not None:
            main = getattr(module, "main", None)
            return AppTarget(main, found.name) if callable(main) else None
        # One import per file at a time: visitors arriving meanwhile wait for the same one
        # (a file whose import hangs holds one thread, not one per visitor).
        importing = self._imports.get(found.file)
        if importing is None:
            importing = asyncio.ensure_future(off_loop(self.apps.load, found))
            self._imports[found.file] = importing
            importing.add_done_callback(lambda _done: self._imports.pop(found.file, None))
        return await asyncio.shield(importing)

    def origin_allowed(self, origin: str, host: str) -> bool:
        """Same host, or listed in ``allowed_origins`` (patterns), or ``check_origin(origin)``."""
        parsed = urlparse(origin)
        if parsed.netloc == host:
            return True
        for pattern in self.allowed_origins:
            target = origin if "://" in pattern else parsed.netloc
            if fnmatch.fnmatch(target, pattern):
                return True
        return bool(self.check_origin_func and self.check_origin_func(origin))

    def new_session(
        self,
        target: AppTarget,
        info: SessionInfo,
        factory: Callable[..., AppSession] | None = None,
    ) -> AppSession:
        """Create the session that will run ``target`` for one visitor.

        ``factory`` makes it instead of the app's kind (a session-mode notebook's session).
        """
        cls: Callable[..., AppSession]
        if factory is not None:
            cls = factory
        else:
            cls = CoroutineSession if is_coroutine_app(target.func) else ThreadSession
        session = cls(
            target.func,
            loop=asyncio.get_running_loop(),
            info=info,
            debug=self.debug,
            on_end=self._forget,
        )
        self.sessions[session.id] = session
        return session

    def connection(
        self, handler: tornado.websocket.WebSocketHandler, on_cut_off: Callable[[], None]
    ) -> SocketConnection:
        """The outgoing side of a new WebSocket, with this server's limits."""
        return SocketConnection(
            handler,
            IOLoop.current(),
            max_pending=self.max_pending_size,
            max_pending_total=self.max_pending_total,
            on_cut_off=on_cut_off,
        )

    def close_later(self, session: AppSession) -> None:
        """The page dropped: end the session unless a page resumes it within the timeout.

        The timer holds the session's id, not the session (called on the loop).
        """
        self._cancel_expiry(session.id)
        self._expiry[session.id] = session.loop.call_later(
            self.reconnect_timeout, self._expire, session.id
        )

    def _expire(self, session_id: str) -> None:
        self._expiry.pop(session_id, None)
        session = self.sessions.get(session_id)
        if session is not None and not session.connected:
            session.close()

    def _cancel_expiry(self, session_id: str) -> None:
        handle = self._expiry.pop(session_id, None)
        if handle is not None:
            handle.cancel()

    def _forget(self, session: AppSession) -> None:
        # Any thread: the session ended (its app finished, its page left, it was cut off).
        self.sessions.pop(session.id, None)
        handle = self._expiry.pop(session.id, None)
        if handle is not None:
            with contextlib.suppress(RuntimeError):  # the loop is gone: so is the timer
                session.loop.call_soon_threadsafe(handle.cancel)


def http_server(
    application: tornado.web.Application, max_payload_size: int
) -> tornado.httpserver.HTTPServer:
    """The HTTP server of ``start_server``/``path_deploy``/script mode.

    Its read buffer holds a message of ``max_payload_size`` (tornado's default, 100 MiB,
    would drop a larger WebSocket frame without a close code).
    """
    return tornado.httpserver.HTTPServer(
        application,
        max_body_size=max_payload_size,
        max_buffer_size=max(100 * 1024 * 1024, max_payload_size + FRAME_SLACK),
    )


def serve_asset(handler: tornado.web.RequestHandler, name: str) -> None:
    """Send one file of the bundled frontend (``page.js``, ``page.css``...)."""
    file = STATIC / name
    if not _ASSET.match(name) or not file.is_file():
        raise tornado.web.HTTPError(404)
    handler.set_header("Content-Type", mimetypes.guess_type(name)[0] or "text/plain")
    handler.set_header("Cache-Control", "no-cache")  # revalidated by ETag: a 304 when unchanged
    handler.set_header("Vary", "Accept-Encoding")
    raw, packed = _asset_bytes(name, file.stat().st_mtime_ns)
    if "gzip" in handler.request.headers.get("Accept-Encoding", ""):
        handler.set_header("Content-Encoding", "gzip")
        handler.finish(packed)
    else:
        handler.finish(raw)


@functools.lru_cache(maxsize=16)
def _asset_bytes(name: str, mtime_ns: int) -> tuple[bytes, bytes]:
    """An asset's bytes, plain and gzipped (kept while the file is unchanged)."""
    raw = (STATIC / name).read_bytes()
    return raw, gzip.compress(raw, 9)


def _boot_parts() -> tuple[str, list[str]]:
    """The boot script the page inlines, and the chunks page.js imports at once (js/build.mjs).

    Missing files (a development build) give an empty script and no preloads: the page then
    opens its socket from page.js and finds its chunks by itself.
    """
    files = [STATIC / "boot.js", STATIC / "page-preload.json"]
    stamps = tuple(file.stat().st_mtime_ns if file.is_file() else 0 for file in files)
    return _read_boot_parts(stamps)


@functools.lru_cache(maxsize=2)
def _read_boot_parts(stamps: tuple[int, ...]) -> tuple[str, list[str]]:
    boot = (STATIC / "boot.js").read_text() if stamps[0] else ""
    chunks = json.loads((STATIC / "page-preload.json").read_text()) if stamps[1] else []
    return boot, [name for name in chunks if _PAGE_CHUNK.match(name)]


def import_map(asset_url: Callable[[str], str]) -> dict[str, dict[str, str]] | None:
    """An import map for page.js's chunks when asset URLs are not plain paths, else ``None``.

    page.js imports its chunks by relative URL (``./page-markdown-XXXX.js``). Where assets are
    files under one path (``/webio/_static/``), that resolves to the chunk; where they are a
    query on the app's URL (``/tool?pywebio_nb_asset=page.js``), it does not, so the page maps
    each chunk's natural URL to its real one.

    Example:
        >>> import_map(lambda name: f"/webio/_static/{name}") is None
        True
    """
    page = asset_url("page.js")
    imports: dict[str, str] = {}
    for file in sorted(STATIC.glob("page-*.js")):
        if not _PAGE_CHUNK.match(file.name):
            continue
        natural, served = urljoin(page, file.name), asset_url(file.name)
        if natural != served:
            imports[natural] = served
    return {"imports": imports} if imports else None


def _script_safe(text: str) -> str:
    """Text that cannot end the ``<script>``/``<style>`` element it is placed in."""
    return text.replace("</", "<\\/")


def render_page(
    handler: tornado.web.RequestHandler,
    server: WebIOServer,
    path: str,
    ws_url: str,
    asset_url: Callable[[str], str],
    may_reload: bool = False,
    socket_token: str = "",
) -> None:
    """Answer a page GET: the HTML page of the app at ``path``, a redirect, or 404.

    Nothing runs: a file app's page comes from its source or its already imported module.
    ``?reload`` (honoured when ``may_reload``) makes the page's session import the file anew.
    A ``socket_token`` goes in the WebSocket's URL as ``?token=`` (JupyterHub's single-user
    servers may accept nothing else on a WebSocket).
    """
    found = server.locate(path, handler.get_argument("app", None))
    if found is None:
        raise tornado.web.HTTPError(404)
    if isinstance(found, str):
        query = handler.request.query
        handler.redirect(handler.request.path + "/" + ("?" + query if query else ""))
        return
    if may_reload and handler.get_argument("reload", None) is not None:
        server.forget(found)
    settings = server.page_settings(found)
    client = {
        "ws": ws_url,
        "reconnect": server.reconnect_timeout,
        "debug": server.debug,
    }
    if socket_token:
        client["token"] = socket_token
    send_page(handler, settings, client, asset_url)


def send_page(
    handler: tornado.web.RequestHandler,
    settings: dict[str, Any],
    client: dict[str, Any],
    asset_url: Callable[[str], str],
) -> None:
    """Send the standalone page (``templates/page.html``) with its settings and page config.

    ``settings`` are the page settings of ``_page.effective_settings``; ``client`` is what the
    page's script reads (``ws``, ``reconnect``, ``debug``, ``token``...).
    """
    boot_js, preload = _boot_parts()
    html = _loader.load("page.html").generate(
        boot_js=_script_safe(boot_js),
        preload=preload,
        title=settings["title"],
        description=settings["description"],
        theme=settings["theme"],
        css_file=settings["css_file"],
        js_file=settings["js_file"],
        css_style=_script_safe(settings["css_style"]),
        js_code=_script_safe(settings["js_code"]),
        config_json=json_encode(client),
        import_map=_script_safe(json_encode(chunks)) if (chunks := import_map(asset_url)) else "",
        asset=asset_url,
    )
    handler.set_header("Content-Type", "text/html; charset=UTF-8")
    handler.set_header("Cache-Control", "no-store")
    handler.finish(html)


class SocketLogic:
    """Mixin for a ``WebSocketHandler``: one app session per connection.

    The handler sets ``self.webio`` (a :class:`WebIOServer`) and awaits :meth:`open_session`
    from ``open()``.
    """

    webio: WebIOServer
    session: AppSession | None = None
    connection: SocketConnection | None = None
    request: Any
    log_user: str | None = None
    #: Set once the page sent something invalid: what it sends after that is ignored.
    refused = False

    def get_compression_options(self) -> dict[str, Any] | None:
        # permessage-deflate with the smallest zlib window state: the default context costs
        # ~0.15 MiB per session, more than everything else a session holds. Level 1: with that
        # state, level 6 compresses hex output at ~3.6 MiB/s on the event loop (a 4 MiB batch
        # froze every session for a second), level 1 7x faster for ~10% more bytes.
        return {"mem_level": 1, "compression_level": 1}

    @property
    def max_message_size(self) -> int:
        return self.webio.max_payload_size

    def get_websocket_protocol(self) -> Any:
        # An over-size frame closes with 1009 and a reason the page receives (_connection.py).
        handler: Any = self
        return limited_protocol(handler, super().get_websocket_protocol())  # type: ignore[misc]

    def visitor_info(self) -> SessionInfo:
        """The session's ``info`` from the upgrade request."""
        headers = self.request.headers
        language = headers.get("Accept-Language", "").split(",")[0].split(";")[0].strip()
        return SessionInfo(
            user_agent=parse_user_agent(headers.get("User-Agent", "")),
            user_language=language,
            server_host=headers.get("Host", ""),
            origin=headers.get("Origin", ""),
            user_ip=self.request.remote_ip or "",
            backend=self.webio.backend,
            protocol="websocket",
            request=self.request,
            user=self.log_user,
        )

    async def open_session(self, path: str) -> None:
        """Attach to a session being resumed, or start the app at ``path``.

        A file app not imported yet is imported off the event loop first; tornado holds the
        page's messages until this returns.
        """
        handler: Any = self
        server = self.webio
        # Small frames (hello, snapshot, batch, answers) go out at once: with Nagle's algorithm
        # a write waits for the ACK of the one before, which a browser may delay by 40 ms.
        handler.set_nodelay(True)
        accept_frames(handler, server.max_payload_size)
        self.connection = server.connection(handler, self._cut_off)
        resume = handler.get_argument("session", None)
        if resume:
            session = server.sessions.get(resume)
            if (
                session is not None
                and not session.is_closed
                and not session.connected
                and getattr(session.info, "user", None) == self.log_user
            ):
                self.session = session
                session.attach(self.connection)
                return
            handler.close(4410, "the session has ended")
            return
        try:
            found = None
            located = server.locate(path, handler.get_argument("app", None))
            if located is not None and not isinstance(located, str):
                found = await server.load(located)
        except Exception:
            log.exception("pywebio_nb: finding app %r failed", path)
            found = None
        if found is None:
            handler.close(4404, "no such app")
            return
        if self.connection.closed:
            return  # the page left while its app was imported
        session = server.new_session(found, self.visitor_info())
        self.session = session
        session.open_page(self.connection)

    def on_message(self, message: str | bytes) -> None:
        session = self.session
        if session is None or self.refused:
            return
        try:
            session.receive(message)
        except ProtocolError as error:
            self.refused = True
            log.warning("pywebio_nb: closing a connection: %s", error)
            self._close_connection(error.code, str(error))
        except Exception:
            self.refused = True
            log.exception("pywebio_nb: handling a message failed")
            self._close_connection(1011, "internal error")

    def _close_connection(self, code: int, reason: str) -> None:
        if self.connection is not None:
            self.connection.close(code, reason)

    def _cut_off(self) -> None:
        """The page does not read its output: its session ends (no reconnect)."""
        session, self.session = self.session, None
        if session is not None and not session.is_closed:
            session.detach()
            session.close()

    def on_close(self) -> None:
        session, self.session = self.session, None
        if self.connection is not None:
            self.connection.mark_closed()
        if session is None or session.is_closed:
            return
        session.detach()
        if self.webio.reconnect_timeout > 0:
            self.webio.close_later(session)
        else:
            session.close()


def webio_handler(
    applications: Any,
    cdn: bool | str = True,
    reconnect_timeout: float = 0,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    max_payload_size: int | str = "200M",
    debug: bool = False,
    max_pending_size: int | str = "64M",
    max_pending_total: int | str = "256M",
) -> type[tornado.websocket.WebSocketHandler]:
    """A tornado handler class that serves apps: the page on GET, the session over WebSocket.

    Args:
        applications: a function, a list of functions or a dict ``{name: function}``;
            ``?app=name`` chooses; without it the ``index`` app or a generated index runs.
        cdn: accepted for PyWebIO compatibility; assets always come from this package.
        reconnect_timeout: seconds a dropped connection may come back to its session.
        allowed_origins: other origins allowed to connect (``fnmatch`` patterns, with or
            without the scheme, e.g. ``"*.example.com"``).
        check_origin: ``check_origin(origin) -> bool`` for origins not otherwise allowed.
        max_payload_size: the largest message accepted from a page (``"200M"``, bytes...);
            a larger one closes the connection with code 1009. Your HTTP server's
            ``max_buffer_size`` need not follow: each connection's read buffer is raised.
        debug: show tracebacks of app errors to visitors; ``?reload`` re-imports apps.
        max_pending_size: the most output one page may leave unread before it is cut off.
        max_pending_total: the most output all pages of the process may leave unread; over
            it, the page with the most unread output is cut off.

    Example:
        >>> app = tornado.web.Application([(r"/tool", webio_handler(main))])  # doctest: +SKIP
    """
    server = WebIOServer(
        AppRegistry(applications),
        debug=debug,
        reconnect_timeout=reconnect_timeout,
        max_payload_size=max_payload_size,
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        max_pending_size=max_pending_size,
        max_pending_total=max_pending_total,
    )
    return handler_for(server)


def handler_for(server: WebIOServer) -> type[tornado.websocket.WebSocketHandler]:
    """The combined page/WebSocket handler class of a :class:`WebIOServer`."""

    class WebIOHandler(SocketLogic, tornado.websocket.WebSocketHandler):
        webio = server

        async def get(self, *args: Any, **kwargs: Any) -> None:
            path = args[0] if args and isinstance(args[0], str) else ""
            if self.request.headers.get("Upgrade", "").lower() != "websocket":
                asset = self.get_argument("pywebio_nb_asset", None)
                if asset is not None:
                    serve_asset(self, asset)
                    return
                base = self.request.path
                render_page(
                    self,
                    server,
                    path,
                    base,
                    lambda name: f"{base}?pywebio_nb_asset={name}",
                    may_reload=server.debug,
                )
                return
            await super().get(*args, **kwargs)

        def check_origin(self, origin: str) -> bool:
            return server.origin_allowed(origin, self.request.headers.get("Host", ""))

        async def open(self, *args: Any, **kwargs: Any) -> None:
            await self.open_session(args[0] if args and isinstance(args[0], str) else "")

    return WebIOHandler
