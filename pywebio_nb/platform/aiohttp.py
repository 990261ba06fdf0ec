"""PyWebIO's ``pywebio.platform.aiohttp``: apps in an aiohttp project, over WebSocket.

Install with ``pip install "pywebio_nb[aiohttp]"``. A GET on the handler's route serves the
page and its assets; the page's WebSocket upgrade on the same route runs its session. Thread
apps and coroutine apps both run (coroutine apps on aiohttp's event loop). Sessions live in
the process: behind a load balancer, a page's WebSocket (and its reconnects) must reach the
process that served it.

Example:
    >>> from aiohttp import web
    >>> from pywebio_nb.output import put_text
    >>> app = web.Application()
    >>> _ = app.add_routes([web.get("/tool", webio_handler(lambda: put_text("hello")))])
"""

from __future__ import annotations

import os
import threading
import webbrowser
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from ._adapter import Request, WebIOAdapter, free_port, missing_framework

try:
    from aiohttp import WSMsgType, web
except ImportError as error:  # pragma: no cover - depends on the environment
    raise missing_framework("aiohttp", "aiohttp", error) from None

__all__ = ["start_server", "static_routes", "webio_handler"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class _Socket:
    """An aiohttp WebSocketResponse as the adapter's ``SocketIO``."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws

    async def send(self, message: str | bytes) -> None:
        if isinstance(message, str):
            await self.ws.send_str(message)
        else:
            await self.ws.send_bytes(message)

    async def close(self, code: int, reason: str) -> None:
        await self.ws.close(code=code, message=reason.encode())

    async def receive(self) -> str | bytes | None:
        message = await self.ws.receive()
        if message.type in (WSMsgType.TEXT, WSMsgType.BINARY):
            data: str | bytes = message.data
            return data
        return None


def _handler(adapter: WebIOAdapter, websocket_settings: dict[str, Any] | None) -> Handler:
    settings = {"max_msg_size": adapter.max_payload_size, **(websocket_settings or {})}

    async def webio_handler_func(request: web.Request) -> web.StreamResponse:
        facts = Request(
            method=request.method,
            path=request.path,
            query={name: request.query[name] for name in request.query},
            headers=lambda name: request.headers.get(name, ""),
            remote_ip=request.remote or "",
            native=request,
        )
        if request.headers.get("Upgrade", "").lower() != "websocket":
            reply = adapter.page(facts, "ws")
            return web.Response(body=reply.body, status=reply.status, headers=reply.headers)
        if not adapter.origin_allowed(facts):
            return web.Response(status=403, text="origin not allowed")
        ws = web.WebSocketResponse(**settings)
        await ws.prepare(request)
        await adapter.serve_socket(_Socket(ws), facts)
        return ws

    webio_handler_func.adapter = adapter  # type: ignore[attr-defined]
    return webio_handler_func


def webio_handler(
    applications: Any,
    cdn: bool | str = True,
    reconnect_timeout: float = 0,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    max_payload_size: int | str = "200M",
    websocket_settings: dict[str, Any] | None = None,
) -> Handler:
    """An aiohttp request handler serving apps: the page on GET, the session over WebSocket.

    Args:
        applications: a function, a list of functions or a dict ``{name: function}``;
            ``?app=name`` chooses one; without it the ``index`` app or a generated index.
        cdn: accepted for PyWebIO compatibility; assets always come from this package.
        reconnect_timeout: seconds a dropped connection may come back to its session.
        allowed_origins: other origins allowed to connect (``fnmatch`` patterns, with or
            without the scheme, e.g. ``"*.example.com"``).
        check_origin: ``check_origin(origin) -> bool`` for origins not otherwise allowed.
        max_payload_size: the largest message accepted from a page (``"200M"``...); a
            larger one closes the connection with code 1009.
        websocket_settings: keyword arguments for ``aiohttp.web.WebSocketResponse``.

    Example:
        >>> handler = webio_handler(lambda: None)
        >>> callable(handler)
        True
    """
    adapter = WebIOAdapter(
        applications,
        backend="aiohttp",
        reconnect_timeout=reconnect_timeout,
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        max_payload_size=max_payload_size,
        debug=bool(os.environ.get("PYWEBIO_DEBUG")),
    )
    return _handler(adapter, websocket_settings)


def static_routes(prefix: str = "/") -> list[web.AbstractRouteDef]:
    """Routes serving the bundled frontend files under ``prefix`` (for PyWebIO compatibility).

    A pywebio_nb page loads its files through its own handler (``?pywebio_nb_asset=``), so
    these routes are never needed; they serve the same files at ``<prefix>pywebio_nb_static/``.

    Args:
        prefix: the URL path the files are served under.

    Example:
        >>> [route.prefix for route in static_routes("/assets/")]
        ['/assets/pywebio_nb_static']
    """
    from ._adapter import STATIC

    if not prefix.startswith("/"):
        raise ValueError(f"static_routes(): prefix={prefix!r} must start with '/'")
    return [web.static(prefix.rstrip("/") + "/pywebio_nb_static", STATIC)]


def start_server(
    applications: Any,
    port: int = 0,
    host: str = "",
    debug: bool = False,
    cdn: bool | str = True,
    static_dir: str | None = None,
    remote_access: bool = False,
    reconnect_timeout: float = 0,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    auto_open_webbrowser: bool = False,
    max_payload_size: int | str = "200M",
    websocket_settings: dict[str, Any] | None = None,
    **aiohttp_settings: Any,
) -> None:
    """Serve apps with aiohttp's server (blocks until interrupted).

    Args:
        applications: as for :func:`webio_handler`.
        port: the port (0 picks a free one).
        host: the interface to listen on (``""``: all).
        debug: show tracebacks of app errors to visitors (env ``PYWEBIO_DEBUG`` too).
        cdn: accepted for PyWebIO compatibility.
        static_dir: a folder served at ``/static/``.
        remote_access: not supported (PyWebIO's tunnel service); must be ``False``.
        reconnect_timeout: as for :func:`webio_handler`.
        allowed_origins: as for :func:`webio_handler`.
        check_origin: as for :func:`webio_handler`.
        auto_open_webbrowser: open the URL in a browser once listening.
        max_payload_size: as for :func:`webio_handler`.
        websocket_settings: as for :func:`webio_handler`.
        **aiohttp_settings: passed to ``aiohttp.web.Application``.

    Example:
        >>> start_server(main, port=8080)  # doctest: +SKIP
    """
    if remote_access:
        raise ValueError("start_server(): remote_access=True is not supported by pywebio_nb")
    adapter = WebIOAdapter(
        applications,
        backend="aiohttp",
        reconnect_timeout=reconnect_timeout,
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        max_payload_size=max_payload_size,
        debug=debug or bool(os.environ.get("PYWEBIO_DEBUG")),
    )
    app = web.Application(**aiohttp_settings)

    async def close_sessions(_app: web.Application) -> None:
        adapter.close_all()  # open sockets would hold the shutdown for a minute

    app.on_shutdown.append(close_sessions)
    routes: list[web.AbstractRouteDef] = [web.get("/", _handler(adapter, websocket_settings))]
    if static_dir is not None:
        if not os.path.isdir(static_dir):
            raise ValueError(f"static_dir={static_dir!r} is not a folder")
        routes.append(web.static("/static", static_dir))
    app.add_routes(routes)
    port = port or free_port()
    url = f"http://{host if host not in ('', '0.0.0.0', '::') else 'localhost'}:{port}/"
    print(f"pywebio_nb: serving on {url}", flush=True)
    if auto_open_webbrowser:
        threading.Timer(1, webbrowser.open, (url,)).start()
    web.run_app(app, host=host or None, port=port, print=None)
