"""PyWebIO's ``pywebio.platform.flask``: apps in a Flask project, over HTTP long polling.

Install with ``pip install "pywebio_nb[flask]"``. Flask has no WebSocket, so the page talks to
its session by HTTP long polling (see ``_adapter.py``); the view answers GET (the page and its
assets), POST (the session) and OPTIONS (CORS preflight). Thread apps and coroutine apps both
run: coroutine apps on an event loop thread pywebio_nb starts by itself (PyWebIO needs
``run_event_loop()`` in a thread of yours for them). Sessions live in the process: serve with
one worker process (gunicorn ``-w 1 --threads N``).

Example:
    >>> from flask import Flask
    >>> from pywebio_nb.output import put_text
    >>> app = Flask(__name__)
    >>> _ = app.add_url_rule(
    ...     "/tool", "webio_view", webio_view(lambda: put_text("hi")),
    ...     methods=["GET", "POST", "OPTIONS"])
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from ._adapter import Reply, Request, WebIOAdapter, free_port, missing_framework

try:
    import flask
except ImportError as error:  # pragma: no cover - depends on the environment
    raise missing_framework("Flask", "flask", error) from None

__all__ = ["start_server", "webio_view", "wsgi_app"]


def _view(adapter: WebIOAdapter) -> Callable[..., flask.Response]:
    def webio_view_func(*_args: Any, **_kwargs: Any) -> flask.Response:
        request = flask.request
        limit = request.max_content_length

        def read_body(most: int) -> bytes:
            return request.stream.read(min(most, limit or most) + 1)

        reply: Reply = adapter.http(
            Request(
                method=request.method,
                path=request.script_root + request.path,
                query={name: request.args[name] for name in request.args},
                headers=lambda name: request.headers.get(name, ""),
                remote_ip=request.remote_addr or "",
                native=request,
                read_body=read_body,
                can_hold=bool(request.environ.get("wsgi.multithread", True)),
            )
        )
        return flask.Response(reply.body, status=reply.status, headers=reply.headers)

    webio_view_func.adapter = adapter  # type: ignore[attr-defined]
    return webio_view_func


def webio_view(
    applications: Any,
    cdn: bool | str = True,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
) -> Callable[..., Any]:
    """A Flask view function that serves apps; route it with ``GET``, ``POST`` and ``OPTIONS``.

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

    The largest request body is Flask's ``MAX_CONTENT_LENGTH`` when set, else 200 MiB.

    Example:
        >>> view = webio_view(lambda: None)
        >>> callable(view)
        True
    """
    adapter = WebIOAdapter(
        applications,
        backend="flask",
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        session_expire_seconds=session_expire_seconds,
        session_cleanup_interval=session_cleanup_interval,
        debug=bool(os.environ.get("PYWEBIO_DEBUG")),
    )
    return _view(adapter)


def wsgi_app(
    applications: Any,
    cdn: bool | str = True,
    static_dir: str | None = None,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    max_payload_size: int | str = "200M",
) -> flask.Flask:
    """A Flask application serving apps at ``/`` (and ``static_dir`` at ``/static/``).

    Args:
        applications: as for :func:`webio_view`.
        cdn: accepted for PyWebIO compatibility.
        static_dir: a folder served at ``/static/``.
        allowed_origins: as for :func:`webio_view`.
        check_origin: as for :func:`webio_view`.
        session_expire_seconds: as for :func:`webio_view`.
        session_cleanup_interval: as for :func:`webio_view`.
        max_payload_size: the largest request body accepted (``"200M"``, bytes...); a larger
            one is refused with 413.

    Example:
        >>> app = wsgi_app(lambda: None)  # serve with: gunicorn -w 1 --threads 8 module:app
        >>> app.config["MAX_CONTENT_LENGTH"]
        209715200
    """
    adapter = WebIOAdapter(
        applications,
        backend="flask",
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        max_payload_size=max_payload_size,
        session_expire_seconds=session_expire_seconds,
        session_cleanup_interval=session_cleanup_interval,
        debug=bool(os.environ.get("PYWEBIO_DEBUG")),
    )
    return _application(adapter, static_dir)


def _application(adapter: WebIOAdapter, static_dir: str | None) -> flask.Flask:
    if static_dir is not None and not os.path.isdir(static_dir):
        raise ValueError(f"static_dir={static_dir!r} is not a folder")
    app = flask.Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = adapter.max_payload_size
    app.add_url_rule("/", "webio_view", _view(adapter), methods=["GET", "HEAD", "POST", "OPTIONS"])
    if static_dir is not None:
        folder = os.path.abspath(static_dir)

        def static(path: str) -> flask.Response:
            return flask.send_from_directory(folder, path)

        app.add_url_rule("/static/<path:path>", "static", static)
    return app


def start_server(
    applications: Any,
    port: int = 8080,
    host: str = "",
    cdn: bool | str = True,
    static_dir: str | None = None,
    remote_access: bool = False,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    debug: bool = False,
    max_payload_size: int | str = "200M",
    **flask_options: Any,
) -> None:
    """Serve apps with Flask's development server (blocks until interrupted).

    For production, serve :func:`wsgi_app` with a WSGI server (one process, threads).

    Args:
        applications: as for :func:`webio_view`.
        port: the port (0 picks a free one).
        host: the interface to listen on (``""``: all).
        cdn: accepted for PyWebIO compatibility.
        static_dir: a folder served at ``/static/``.
        remote_access: not supported (PyWebIO's tunnel service); must be ``False``.
        allowed_origins: as for :func:`webio_view`.
        check_origin: as for :func:`webio_view`.
        session_expire_seconds: as for :func:`webio_view`.
        session_cleanup_interval: as for :func:`webio_view`.
        debug: Flask's debug mode (reloads on code changes) and app tracebacks shown to
            visitors (env ``PYWEBIO_DEBUG`` too).
        max_payload_size: as for :func:`wsgi_app`.
        **flask_options: passed to ``flask.Flask.run``.

    Example:
        >>> start_server(main, port=8080)  # doctest: +SKIP
    """
    if remote_access:
        raise ValueError("start_server(): remote_access=True is not supported by pywebio_nb")
    debug = debug or bool(os.environ.get("PYWEBIO_DEBUG"))
    adapter = WebIOAdapter(
        applications,
        backend="flask",
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        max_payload_size=max_payload_size,
        session_expire_seconds=session_expire_seconds,
        session_cleanup_interval=session_cleanup_interval,
        debug=debug,
    )
    app = _application(adapter, static_dir)
    flask_options.setdefault("threaded", True)
    app.run(host=host or "0.0.0.0", port=port or free_port(), debug=debug, **flask_options)
