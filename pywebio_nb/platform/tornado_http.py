"""PyWebIO's ``pywebio.platform.tornado_http``: apps on tornado over HTTP long polling.

PyWebIO's HTTP variants exist for networks that block WebSockets: the page talks to its
session by HTTP requests only. Here they are a tornado ``RequestHandler`` over the same
adapter as the Flask and Django hosts (``_adapter.py``, which describes the requests): a GET
serves the page and its assets (nothing runs), POSTs to the same URL run the session, OPTIONS
answers a CORS preflight. A page that sends nothing for ``session_expire_seconds`` (600 by
default; a waiting poll counts as sending) loses its session, found by a sweep every
``session_cleanup_interval`` (300). Sessions run on the adapter's event loop thread (thread
apps and coroutine apps alike); each session request runs in a short-lived thread of its own,
where a poll waits for the session's next message; beyond :data:`HOLDING_THREADS` waiting polls,
a poll is answered at once (the page asks again a moment later).

Example:
    >>> import tornado.web
    >>> from pywebio_nb.output import put_text
    >>> app = tornado.web.Application([(r"/tool", webio_handler(lambda: put_text("hi")))])
"""

from __future__ import annotations

import contextlib
import os
import threading
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import tornado.iostream
import tornado.web

from ._adapter import Reply, Request, WebIOAdapter
from ._apps import PathApps, off_loop
from ._server import _check_not_in_loop, serve

__all__ = ["HOLDING_THREADS", "path_deploy_http", "start_server", "webio_handler"]

#: Polls that may wait for a message at once; each waits on a thread of its own.
HOLDING_THREADS = 256
_THREAD = "pywebio_nb-http"


class _Holding:
    """How many polls wait now (over :data:`HOLDING_THREADS`, a poll is answered at once)."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def enter(self) -> bool:
        with self.lock:
            self.count += 1
            return self.count <= HOLDING_THREADS

    def leave(self) -> None:
        with self.lock:
            self.count -= 1


_holding = _Holding()


def _handler(adapter: WebIOAdapter, by_path: bool) -> type[tornado.web.RequestHandler]:
    """The RequestHandler class of one adapter (``by_path``: the route's group names the app)."""

    @tornado.web.stream_request_body
    class WebIOHttpHandler(tornado.web.RequestHandler):
        body: bytearray
        refused = False

        def prepare(self) -> None:
            self.body = bytearray()
            if self.request.method != "POST":
                return
            limit = adapter.max_payload_size
            length = self.request.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > limit:
                # Answered before the body is read: the adapter's own 413, its CORS headers.
                self.refused = True
                self._send(adapter.http(self._facts(b"")))
                return
            if self.request.connection is not None:  # tornado's HTTP/1 connection
                self.request.connection.set_max_body_size(limit + 1)  # type: ignore[attr-defined]

        def check_xsrf_cookie(self) -> None:
            # In an application with ``xsrf_cookies=True``: the polling requests carry no
            # _xsrf token; their custom header and the origin check guard them instead.
            return

        def data_received(self, chunk: bytes) -> None:
            if not self.refused and len(self.body) <= adapter.max_payload_size:
                self.body += chunk

        def _facts(self, body: bytes | bytearray, can_hold: bool = True) -> Request:
            request = self.request
            path_args = self.path_args
            return Request(
                method=request.method or "GET",
                path=urllib.parse.unquote(request.path),
                query={name: self.get_query_argument(name) for name in request.query_arguments},
                headers=lambda name: request.headers.get(name, ""),
                remote_ip=request.remote_ip or "",
                native=request,
                read_body=lambda most: bytes(body[: most + 1]),
                can_hold=can_hold,
                app_path=path_args[0] if by_path and path_args and path_args[0] else "",
            )

        def _send(self, reply: Reply) -> None:
            self.set_status(reply.status)
            for name, value in reply.headers.items():
                self.set_header(name, value)
            if self.request.connection is None or not self._closed():
                with contextlib.suppress(tornado.iostream.StreamClosedError):
                    self.finish(reply.body if reply.status not in (204, 304) else None)

        def _closed(self) -> bool:
            stream = getattr(self.request.connection, "stream", None)
            return stream is not None and stream.closed()

        def get(self, *_args: Any) -> None:
            self._send(adapter.http(self._facts(b"")))

        def head(self, *_args: Any) -> None:
            self.get()

        def options(self, *_args: Any) -> None:
            self._send(adapter.http(self._facts(b"")))

        async def post(self, *_args: Any) -> None:
            if self.refused:
                return
            # Each request in a daemon thread of its own: a waiting poll holds nothing else up,
            # and a process that exits does not wait for its polls.
            op = self.get_query_argument("pywebio_nb", "")
            if op not in ("open", "poll"):
                self._send(await off_loop(adapter.http, self._facts(self.body), name=_THREAD))
                return
            can_hold = _holding.enter()
            try:
                facts = self._facts(self.body, can_hold)
                reply = await off_loop(adapter.http, facts, name=_THREAD)
            finally:
                _holding.leave()
            self._send(reply)

    WebIOHttpHandler.adapter = adapter  # type: ignore[attr-defined]
    return WebIOHttpHandler


def webio_handler(
    applications: Any,
    cdn: bool | str = True,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
) -> type[tornado.web.RequestHandler]:
    """A tornado handler class serving apps over HTTP long polling (the page on GET).

    Args:
        applications: a function, a list of functions or a dict ``{name: function}``;
            ``?app=name`` chooses one; without it the ``index`` app or a generated index.
        cdn: accepted for PyWebIO compatibility; assets always come from this package.
        session_expire_seconds: close a session whose page sent nothing for this many
            seconds (default 600).
        session_cleanup_interval: seconds between two sweeps for expired sessions
            (default 300).
        allowed_origins: other origins allowed to connect (``fnmatch`` patterns, with or
            without the scheme, e.g. ``"*.example.com"``).
        check_origin: ``check_origin(origin) -> bool`` for origins not otherwise allowed.

    The largest request body is 200 MiB (PyWebIO's ``max_payload_size`` default).

    Example:
        >>> import tornado.web
        >>> handler = webio_handler(lambda: None, session_expire_seconds=60)
        >>> issubclass(handler, tornado.web.RequestHandler)
        True
    """
    adapter = WebIOAdapter(
        applications,
        backend="tornado",
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        session_expire_seconds=session_expire_seconds,
        session_cleanup_interval=session_cleanup_interval,
        debug=bool(os.environ.get("PYWEBIO_DEBUG")),
    )
    return _handler(adapter, by_path=False)


def http_application(
    adapter: WebIOAdapter, static_dir: str | None = None, **settings: Any
) -> tornado.web.Application:
    """The tornado application of :func:`start_server` / :func:`path_deploy_http`.

    Registered apps are served at ``/``; a ``PathApps`` adapter serves every path.

    Example:
        >>> app = http_application(WebIOAdapter(lambda: None, backend="tornado"))
        >>> type(app).__name__
        'Application'
    """
    by_path = isinstance(adapter.server.apps, PathApps)
    handlers: list[Any] = []
    if static_dir is not None:
        if not Path(static_dir).is_dir():
            raise ValueError(f"static_dir={static_dir!r} is not a folder")
        handlers.append((r"/static/(.*)", tornado.web.StaticFileHandler, {"path": static_dir}))
    handlers.append((r"/(.*)" if by_path else r"/", _handler(adapter, by_path)))
    return tornado.web.Application(handlers, **settings)


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
    """Serve apps on a tornado server over HTTP long polling (blocks until interrupted).

    Args:
        applications: a function, a list of functions or a dict ``{name: function}``.
        port: the port (default 8080, as PyWebIO's HTTP server; 0 picks a free one).
        host: the interface to listen on (``""``: all).
        debug: show tracebacks of app errors to visitors (env ``PYWEBIO_DEBUG`` too).
        cdn: accepted for PyWebIO compatibility.
        static_dir: a folder served at ``/static/``.
        allowed_origins: other origins allowed to connect.
        check_origin: ``check_origin(origin) -> bool`` for other origins.
        auto_open_webbrowser: open the URL in a browser once listening.
        session_expire_seconds: close a session whose page sent nothing for this many
            seconds (default 600).
        session_cleanup_interval: seconds between two sweeps for expired sessions
            (default 300).
        max_payload_size: the largest request body accepted (``"200M"``, bytes...); a larger
            one is refused with 413.
        **tornado_app_settings: passed to ``tornado.web.Application``.

    Example:
        >>> start_server(main, port=8080)  # doctest: +SKIP
    """
    _check_not_in_loop("start_server")
    adapter = WebIOAdapter(
        applications,
        backend="tornado",
        debug=debug or bool(os.environ.get("PYWEBIO_DEBUG")),
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        max_payload_size=max_payload_size,
        session_expire_seconds=session_expire_seconds,
        session_cleanup_interval=session_cleanup_interval,
    )
    application = http_application(adapter, static_dir, **tornado_app_settings)
    try:
        serve(application, port, host, auto_open_webbrowser, adapter.max_payload_size + 1)
    finally:
        adapter.close_all()


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
    """Serve every ``.py`` file with a ``main()`` under ``base``, by path, over HTTP (blocks).

    PyWebIO's HTTP variant of :func:`~pywebio_nb.platform.path_deploy`, with its parameters:
    ``/a/b`` runs ``main()`` of ``base/a/b.py``, a folder shows an index of its apps.

    Args:
        base: the folder of apps.
        port: the port (0 picks a free one).
        host: the interface to listen on.
        index: show generated folder indexes; or a function ``index(path)`` that builds them.
        static_dir: a folder served at ``/static/``.
        cdn: accepted for PyWebIO compatibility.
        debug: show tracebacks of app errors to visitors; ``?reload`` re-imports an app.
        allowed_origins: other origins allowed to connect.
        check_origin: ``check_origin(origin) -> bool`` for other origins.
        session_expire_seconds: as for :func:`start_server`.
        session_cleanup_interval: as for :func:`start_server`.
        max_payload_size: the largest request body accepted.
        **tornado_app_settings: passed to ``tornado.web.Application``.

    Example:
        >>> path_deploy_http("apps/", port=8080)  # doctest: +SKIP
    """
    _check_not_in_loop("path_deploy_http")
    if not Path(base).is_dir():
        raise ValueError(f"path_deploy_http(): base={base!r} is not a folder")
    adapter = WebIOAdapter(
        PathApps(base, index=index),
        backend="tornado",
        debug=debug or bool(os.environ.get("PYWEBIO_DEBUG")),
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        max_payload_size=max_payload_size,
        session_expire_seconds=session_expire_seconds,
        session_cleanup_interval=session_cleanup_interval,
    )
    application = http_application(adapter, static_dir, **tornado_app_settings)
    try:
        serve(application, port, host, False, adapter.max_payload_size + 1)
    finally:
        adapter.close_all()
