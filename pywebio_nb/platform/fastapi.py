"""PyWebIO's ``pywebio.platform.fastapi``: apps in a FastAPI or Starlette project, over WebSocket.

Install with ``pip install "pywebio_nb[fastapi]"`` (FastAPI, Starlette, uvicorn, websockets).
A GET on the route serves the page and its assets; the page's WebSocket on the same route
runs its session. Thread apps and coroutine apps both run (coroutine apps on the server's
event loop). Sessions live in the process: with several worker processes, the load
balancer must send a page's WebSocket (and its reconnects) to the process that served it.

Example:
    >>> from fastapi import FastAPI
    >>> from pywebio_nb.output import put_text
    >>> app = FastAPI()
    >>> app.mount("/tool", asgi_app(lambda: put_text("hello")))
"""

from __future__ import annotations

import os
import threading
import webbrowser
from collections.abc import Callable, Sequence
from typing import Any

from ._adapter import Reply, Request, WebIOAdapter, free_port, missing_framework

try:
    from starlette.applications import Starlette
    from starlette.requests import HTTPConnection
    from starlette.requests import Request as StarletteRequest
    from starlette.responses import Response
    from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
    from starlette.staticfiles import StaticFiles
    from starlette.websockets import WebSocket
except ImportError as error:  # pragma: no cover - depends on the environment
    raise missing_framework("FastAPI/Starlette", "fastapi", error) from None

__all__ = ["asgi_app", "start_server", "webio_routes"]


def _request(connection: HTTPConnection, method: str) -> Request:
    client = connection.client
    return Request(
        method=method,
        path=connection.url.path,
        query=dict(connection.query_params),
        headers=lambda name: connection.headers.get(name, ""),
        remote_ip=client.host if client else "",
        native=connection,
    )


class _Socket:
    """A Starlette WebSocket as the adapter's ``SocketIO``."""

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket

    async def send(self, message: str | bytes) -> None:
        if isinstance(message, str):
            await self.websocket.send_text(message)
        else:
            await self.websocket.send_bytes(message)

    async def close(self, code: int, reason: str) -> None:
        await self.websocket.close(code, reason)

    async def receive(self) -> str | bytes | None:
        try:
            message = await self.websocket.receive()
        except RuntimeError:  # receiving after the close
            return None
        if message["type"] != "websocket.receive":
            return None
        text = message.get("text")
        return text if text is not None else message.get("bytes") or b""


def _routes(adapter: WebIOAdapter) -> list[BaseRoute]:
    async def page(request: StarletteRequest) -> Response:
        reply: Reply = adapter.page(_request(request, request.method), "ws")
        return Response(reply.body, reply.status, reply.headers)

    async def socket(websocket: WebSocket) -> None:
        request = _request(websocket, "GET")
        if not adapter.origin_allowed(request):
            await websocket.close(1008)  # before accept: the handshake is refused (403)
            return
        await websocket.accept()
        await adapter.serve_socket(_Socket(websocket), request)

    return [
        Route("/", page, methods=["GET", "HEAD"], name="webio_page"),
        WebSocketRoute("/", socket, name="webio_socket"),
    ]


def webio_routes(
    applications: Any,
    cdn: bool | str = True,
    reconnect_timeout: float = 0,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
) -> list[BaseRoute]:
    """The Starlette routes serving apps at ``/`` (the page, its assets, the WebSocket).

    Args:
        applications: a function, a list of functions or a dict ``{name: function}``;
            ``?app=name`` chooses one; without it the ``index`` app or a generated index.
        cdn: accepted for PyWebIO compatibility; assets always come from this package.
        reconnect_timeout: seconds a dropped connection may come back to its session.
        allowed_origins: other origins allowed to connect (``fnmatch`` patterns, with or
            without the scheme, e.g. ``"*.example.com"``).
        check_origin: ``check_origin(origin) -> bool`` for origins not otherwise allowed.

    The largest message is 200 MiB here; uvicorn's own ``ws_max_size`` (16 MiB unless set)
    also applies (``start_server`` sets it from ``max_payload_size``).

    Example:
        >>> app = Starlette(routes=webio_routes(lambda: None))
        >>> sorted(type(route).__name__ for route in app.routes)
        ['Route', 'WebSocketRoute']
    """
    adapter = WebIOAdapter(
        applications,
        backend="starlette",
        reconnect_timeout=reconnect_timeout,
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        debug=bool(os.environ.get("PYWEBIO_DEBUG")),
    )
    return _routes(adapter)


def asgi_app(
    applications: Any,
    cdn: bool | str = True,
    reconnect_timeout: float = 0,
    static_dir: str | None = None,
    debug: bool = False,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
) -> Starlette:
    """A Starlette ASGI app serving apps at ``/`` (mount it in FastAPI with ``app.mount``).

    Args:
        applications: as for :func:`webio_routes`.
        cdn: accepted for PyWebIO compatibility.
        reconnect_timeout: as for :func:`webio_routes`.
        static_dir: a folder served at ``/static/``.
        debug: Starlette's debug mode, and app tracebacks shown to visitors.
        allowed_origins: as for :func:`webio_routes`.
        check_origin: as for :func:`webio_routes`.

    Example:
        >>> app = asgi_app(lambda: None)  # serve with: uvicorn module:app
        >>> isinstance(app, Starlette)
        True
    """
    adapter = WebIOAdapter(
        applications,
        backend="starlette",
        reconnect_timeout=reconnect_timeout,
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        debug=debug or bool(os.environ.get("PYWEBIO_DEBUG")),
    )
    return _application(adapter, static_dir, debug)


def _application(adapter: WebIOAdapter, static_dir: str | None, debug: bool) -> Starlette:
    routes = _routes(adapter)
    if static_dir is not None:
        if not os.path.isdir(static_dir):
            raise ValueError(f"static_dir={static_dir!r} is not a folder")
        routes.append(Mount("/static", app=StaticFiles(directory=static_dir), name="static"))
    return Starlette(routes=routes, debug=debug)


def start_server(
    applications: Any,
    port: int = 0,
    host: str = "",
    cdn: bool | str = True,
    reconnect_timeout: float = 0,
    static_dir: str | None = None,
    remote_access: bool = False,
    debug: bool = False,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    auto_open_webbrowser: bool = False,
    max_payload_size: int | str = "200M",
    **uvicorn_settings: Any,
) -> None:
    """Serve apps with uvicorn (blocks until interrupted).

    Args:
        applications: as for :func:`webio_routes`.
        port: the port (0 picks a free one).
        host: the interface to listen on (``""``: all).
        cdn: accepted for PyWebIO compatibility.
        reconnect_timeout: as for :func:`webio_routes`.
        static_dir: a folder served at ``/static/``.
        remote_access: not supported (PyWebIO's tunnel service); must be ``False``.
        debug: Starlette's debug mode, and app tracebacks shown to visitors.
        allowed_origins: as for :func:`webio_routes`.
        check_origin: as for :func:`webio_routes`.
        auto_open_webbrowser: open the URL in a browser once listening.
        max_payload_size: the largest message accepted from a page (``"200M"``...); a
            larger one closes the connection with code 1009.
        **uvicorn_settings: passed to ``uvicorn.run``.

    Example:
        >>> start_server(main, port=8080)  # doctest: +SKIP
    """
    import uvicorn

    if remote_access:
        raise ValueError("start_server(): remote_access=True is not supported by pywebio_nb")
    debug = debug or bool(os.environ.get("PYWEBIO_DEBUG"))
    adapter = WebIOAdapter(
        applications,
        backend="starlette",
        reconnect_timeout=reconnect_timeout,
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        max_payload_size=max_payload_size,
        debug=debug,
    )
    app = _application(adapter, static_dir, debug)
    port = port or free_port()
    url = f"http://{host if host not in ('', '0.0.0.0', '::') else 'localhost'}:{port}/"
    print(f"pywebio_nb: serving on {url}", flush=True)
    if auto_open_webbrowser:
        threading.Timer(1, webbrowser.open, (url,)).start()
    uvicorn_settings.setdefault("ws_max_size", adapter.max_payload_size + 1024 * 1024)
    uvicorn.run(app, host=host or "0.0.0.0", port=port, **uvicorn_settings)
