"""Serving apps outside Jupyter: ``start_server`` and ``path_deploy`` on a tornado server."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import webbrowser
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import tornado.netutil
import tornado.web

from ._apps import AppRegistry, PathApps
from ._tornado import WebIOServer, handler_for, http_server

__all__ = ["path_deploy", "start_server"]

log = logging.getLogger("pywebio_nb")


def _check_not_in_loop(function: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(
        f"{function}() blocks and cannot run inside a running event loop (a notebook kernel): "
        "open <jupyter base_url>/webio/<app> instead, or run it from a terminal"
    )


def make_application(
    server: WebIOServer,
    route: str,
    static_dir: str | None,
    routes: Sequence[Any] = (),
    **settings: Any,
) -> tornado.web.Application:
    """The tornado application of :func:`start_server` / :func:`path_deploy`.

    ``routes`` go before the apps' route (notebook dashboards).
    """
    handlers: list[Any] = list(routes)
    if static_dir is not None:
        if not Path(static_dir).is_dir():
            raise ValueError(f"static_dir={static_dir!r} is not a folder")
        handlers.append((r"/static/(.*)", tornado.web.StaticFileHandler, {"path": static_dir}))
    handlers.append((route, handler_for(server)))
    settings.setdefault("websocket_ping_interval", 30)
    return tornado.web.Application(handlers, **settings)


def serve(
    application: tornado.web.Application,
    port: int,
    host: str,
    auto_open_webbrowser: bool,
    max_payload_size: int,
    ready: Callable[[str], None] | None = None,
    on_stop: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Listen and run the event loop until interrupted (blocks); then await ``on_stop()``."""

    async def main() -> None:
        sockets = tornado.netutil.bind_sockets(port, host or None)
        http = http_server(application, max_payload_size)
        http.add_sockets(sockets)
        bound = sockets[0].getsockname()[1]
        shown = host if host and host not in ("0.0.0.0", "::") else socket.gethostname()
        url = f"http://{'localhost' if not host else shown}:{bound}/"
        print(f"pywebio_nb: serving on {url}", flush=True)
        if ready is not None:
            ready(url)
        if auto_open_webbrowser:
            webbrowser.open(url)
        try:
            await asyncio.Event().wait()
        finally:
            http.stop()
            if on_stop is not None:
                await on_stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


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
    max_pending_size: int | str = "64M",
    max_pending_total: int | str = "256M",
    **tornado_app_settings: Any,
) -> None:
    """Serve apps on a tornado server (blocks until interrupted).

    Args:
        applications: a function, a list of functions or a dict ``{name: function}``;
            ``?app=name`` chooses one; without it, the ``index`` app or a generated index.
        port: the port (0 picks a free one; the URL is printed).
        host: the interface to listen on (``""``: all).
        debug: show tracebacks of app errors to visitors (env ``PYWEBIO_DEBUG`` too).
        cdn: accepted for PyWebIO compatibility; assets always come from this package.
        static_dir: a folder served at ``/static/``.
        remote_access: not supported (PyWebIO's tunnel service); must be ``False``.
        reconnect_timeout: seconds a dropped connection may resume its session.
        allowed_origins: other origins allowed to connect (``fnmatch`` patterns).
        check_origin: ``check_origin(origin) -> bool`` for other origins.
        auto_open_webbrowser: open the URL in a browser once listening.
        max_payload_size: the largest message accepted from a page (``"200M"``...); a
            larger one closes the connection with code 1009.
        max_pending_size: the most output one page may leave unread before it is cut off.
        max_pending_total: the most output all pages may leave unread together.
        **tornado_app_settings: passed to ``tornado.web.Application``.

    Example:
        >>> start_server(main, port=8080)  # doctest: +SKIP
    """
    _check_not_in_loop("start_server")
    if remote_access:
        raise ValueError("start_server(): remote_access=True is not supported by pywebio_nb")
    server = WebIOServer(
        AppRegistry(applications),
        debug=debug or bool(os.environ.get("PYWEBIO_DEBUG")),
        reconnect_timeout=reconnect_timeout,
        max_payload_size=max_payload_size,
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        max_pending_size=max_pending_size,
        max_pending_total=max_pending_total,
    )
    application = make_application(server, r"/", static_dir, **tornado_app_settings)
    serve(application, port, host, auto_open_webbrowser, server.max_payload_size)


def path_deploy(
    base: str,
    port: int = 0,
    host: str = "",
    index: bool | Callable[[str], Any] = True,
    static_dir: str | None = None,
    reconnect_timeout: float = 0,
    cdn: bool | str = True,
    debug: bool = False,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    max_payload_size: int | str = "200M",
    max_pending_size: int | str = "64M",
    max_pending_total: int | str = "256M",
    notebooks: bool = False,
    dashboard_mode: str = "kernel",
    **tornado_app_settings: Any,
) -> None:
    """Serve every ``.py`` file with a ``main()`` under ``base``, by path (blocks).

    ``/a/b`` runs ``main()`` of ``base/a/b.py``; a folder shows an index of its apps (or runs its
    ``index.py``); names starting with ``_`` or ``.`` are hidden. Which files are apps is read
    from their source; a file is imported when a visitor's session starts (off the event
    loop), again when it changes, and on ``?reload`` only with ``debug=True``.

    Args:
        base: the folder of apps.
        port: the port (0 picks a free one).
        host: the interface to listen on.
        index: show generated folder indexes; or a function ``index(path)`` that builds them.
        static_dir: a folder served at ``/static/``.
        reconnect_timeout: seconds a dropped connection may resume its session.
        cdn: accepted for PyWebIO compatibility.
        debug: show tracebacks of app errors to visitors.
        allowed_origins: other origins allowed to connect.
        check_origin: ``check_origin(origin) -> bool`` for other origins.
        max_payload_size: the largest message accepted from a page.
        max_pending_size: the most output one page may leave unread before it is cut off.
        max_pending_total: the most output all pages may leave unread together.
        notebooks: also serve the ``.ipynb`` notebooks under ``base`` as dashboards at
            ``/<path>.ipynb``, a kernel per visitor (``pywebio-nb serve`` turns it on).
        dashboard_mode: how those notebooks run: ``"kernel"`` (a kernel per visitor) or
            ``"session"`` (their cells in this process, a thread per visitor; trusted
            notebooks only); a notebook's metadata ``pywebio_nb.dashboard_mode`` overrides it.
        **tornado_app_settings: passed to ``tornado.web.Application``.

    Example:
        >>> path_deploy("apps/", port=8080)  # doctest: +SKIP
    """
    _check_not_in_loop("path_deploy")
    if not Path(base).is_dir():
        raise ValueError(f"path_deploy(): base={base!r} is not a folder")
    if dashboard_mode not in ("kernel", "session"):
        raise ValueError(
            f"path_deploy(): dashboard_mode={dashboard_mode!r} must be 'kernel' or 'session'"
        )
    server = WebIOServer(
        PathApps(base, index=index),
        debug=debug or bool(os.environ.get("PYWEBIO_DEBUG")),
        reconnect_timeout=reconnect_timeout,
        max_payload_size=max_payload_size,
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        max_pending_size=max_pending_size,
        max_pending_total=max_pending_total,
    )
    routes: list[Any] = []
    on_stop = None
    if notebooks:
        from ._dashboards._serve import tornado_dashboards

        dashboards, routes = tornado_dashboards(server, base, mode=dashboard_mode)
        on_stop = dashboards.kernels.stop_all
    application = make_application(server, r"/(.*)", static_dir, routes, **tornado_app_settings)
    serve(application, port, host, False, server.max_payload_size, on_stop=on_stop)
