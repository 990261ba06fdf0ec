"""PyWebIO's ``pywebio.platform.tornado_http``: its HTTP server, handler and ``path_deploy_http``.

PyWebIO's HTTP variants serve apps over HTTP long polling, for networks that block
WebSockets. Here they take PyWebIO's parameters and serve the same apps on tornado over the
WebSocket page of :mod:`pywebio_nb.platform.tornado`: a program written for them runs
unchanged. ``session_expire_seconds`` keeps its meaning: a session whose page went away stays
open that long (600 s by default, as in PyWebIO) for the page to come back, and is closed
then; expiry is timed per session, so ``session_cleanup_interval`` needs no sweep and is
accepted only.

Example:
    >>> from pywebio_nb.platform.tornado_http import start_server  # doctest: +SKIP
    >>> start_server(main, port=8080)  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import tornado.websocket

from ._apps import AppRegistry, PathApps
from ._server import _check_not_in_loop, make_application, serve
from ._tornado import WebIOServer, handler_for

__all__ = ["path_deploy_http", "start_server", "webio_handler"]

#: PyWebIO's default lifetime of an HTTP session without requests from its page.
SESSION_EXPIRE_SECONDS = 600


def _expiry(session_expire_seconds: float | None, function: str) -> float:
    if session_expire_seconds is None:
        return SESSION_EXPIRE_SECONDS
    if isinstance(session_expire_seconds, bool) or not isinstance(
        session_expire_seconds, (int, float)
    ):
        raise TypeError(
            f"{function}(): session_expire_seconds must be a number of seconds, "
            f"got {session_expire_seconds!r:.80}"
        )
    if session_expire_seconds < 0:
        raise ValueError(
            f"{function}(): session_expire_seconds must be >= 0, got {session_expire_seconds!r}"
        )
    return float(session_expire_seconds)


def _check_interval(session_cleanup_interval: float | None, function: str) -> None:
    if session_cleanup_interval is not None and (
        isinstance(session_cleanup_interval, bool)
        or not isinstance(session_cleanup_interval, (int, float))
        or session_cleanup_interval <= 0
    ):
        raise ValueError(
            f"{function}(): session_cleanup_interval must be a positive number of seconds, "
            f"got {session_cleanup_interval!r:.80}"
        )


def webio_handler(
    applications: Any,
    cdn: bool | str = True,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
) -> type[tornado.websocket.WebSocketHandler]:
    """A tornado handler class that serves apps (the page on GET, then its session).

    Args:
        applications: a function, a list of functions or a dict ``{name: function}``.
        cdn: accepted for PyWebIO compatibility; assets always come from this package.
        session_expire_seconds: how long a session outlives its page's connection
            (default 600).
        session_cleanup_interval: accepted for PyWebIO compatibility (expiry is per session).
        allowed_origins: other origins allowed to connect (``fnmatch`` patterns).
        check_origin: ``check_origin(origin) -> bool`` for other origins.

    Example:
        >>> app = tornado.web.Application([(r"/tool", webio_handler(main))])  # doctest: +SKIP
    """
    expire = _expiry(session_expire_seconds, "webio_handler")
    _check_interval(session_cleanup_interval, "webio_handler")
    server = WebIOServer(
        AppRegistry(applications),
        reconnect_timeout=expire,
        allowed_origins=allowed_origins,
        check_origin=check_origin,
    )
    return handler_for(server)


def start_server(
    applications: Any,
    port: int = 8080,
    host: str = "",
    debug: bool = False,
    cdn: bool | str = True,
    static_dir: str | None = None,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    auto_open_webbrowser: bool = False,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    max_payload_size: int | str = "200M",
    **tornado_app_settings: Any,
) -> None:
    """Serve apps on a tornado server (blocks until interrupted); PyWebIO's HTTP variant.

    Args:
        applications: a function, a list of functions or a dict ``{name: function}``.
        port: the port (default 8080, as PyWebIO's HTTP server; 0 picks a free one).
        host: the interface to listen on (``""``: all).
        debug: show tracebacks of app errors to visitors.
        cdn: accepted for PyWebIO compatibility.
        static_dir: a folder served at ``/static/``.
        allowed_origins: other origins allowed to connect.
        check_origin: ``check_origin(origin) -> bool`` for other origins.
        auto_open_webbrowser: open the URL in a browser once listening.
        session_expire_seconds: how long a session outlives its page's connection
            (default 600).
        session_cleanup_interval: accepted for PyWebIO compatibility.
        max_payload_size: the largest message accepted from a page.
        **tornado_app_settings: passed to ``tornado.web.Application``.

    Example:
        >>> start_server(main, port=8080)  # doctest: +SKIP
    """
    _check_not_in_loop("start_server")
    expire = _expiry(session_expire_seconds, "start_server")
    _check_interval(session_cleanup_interval, "start_server")
    server = WebIOServer(
        AppRegistry(applications),
        debug=debug or bool(os.environ.get("PYWEBIO_DEBUG")),
        reconnect_timeout=expire,
        max_payload_size=max_payload_size,
        allowed_origins=allowed_origins,
        check_origin=check_origin,
    )
    application = make_application(server, r"/", static_dir, **tornado_app_settings)
    serve(application, port, host, auto_open_webbrowser, server.max_payload_size)


def path_deploy_http(
    base: str,
    port: int = 0,
    host: str = "",
    index: bool | Callable[[str], Any] = True,
    static_dir: str | None = None,
    cdn: bool | str = True,
    debug: bool = False,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    max_payload_size: int | str = "200M",
    **tornado_app_settings: Any,
) -> None:
    """Serve every ``.py`` file with a ``main()`` under ``base``, by path (blocks).

    PyWebIO's HTTP variant of :func:`~pywebio_nb.platform.path_deploy`, with its parameters.

    Args:
        base: the folder of apps.
        port: the port (0 picks a free one).
        host: the interface to listen on.
        index: show generated folder indexes; or a function ``index(path)`` that builds them.
        static_dir: a folder served at ``/static/``.
        cdn: accepted for PyWebIO compatibility.
        debug: show tracebacks of app errors to visitors.
        allowed_origins: other origins allowed to connect.
        check_origin: ``check_origin(origin) -> bool`` for other origins.
        session_expire_seconds: how long a session outlives its page's connection
            (default 600).
        session_cleanup_interval: accepted for PyWebIO compatibility.
        max_payload_size: the largest message accepted from a page.
        **tornado_app_settings: passed to ``tornado.web.Application``.

    Example:
        >>> path_deploy_http("apps/", port=8080)  # doctest: +SKIP
    """
    _check_not_in_loop("path_deploy_http")
    if not Path(base).is_dir():
        raise ValueError(f"path_deploy_http(): base={base!r} is not a folder")
    expire = _expiry(session_expire_seconds, "path_deploy_http")
    _check_interval(session_cleanup_interval, "path_deploy_http")
    server = WebIOServer(
        PathApps(base, index=index),
        debug=debug or bool(os.environ.get("PYWEBIO_DEBUG")),
        reconnect_timeout=expire,
        max_payload_size=max_payload_size,
        allowed_origins=allowed_origins,
        check_origin=check_origin,
    )
    application = make_application(server, r"/(.*)", static_dir, **tornado_app_settings)
    serve(application, port, host, False, server.max_payload_size)
