"""PyWebIO's ``pywebio.platform.django``: apps in a Django project, over HTTP long polling.

Install with ``pip install "pywebio_nb[django]"``. Django under WSGI has no WebSocket, so the
page talks to its session by HTTP long polling (see ``_adapter.py``); the view answers GET
(the page and its assets), POST (the session, exempt from CSRF tokens: it requires a custom
header and checks the origin instead) and OPTIONS. Thread apps and coroutine apps both run:
coroutine apps on an event loop thread pywebio_nb starts by itself (PyWebIO needs
``run_event_loop()`` in a thread of yours for them). Sessions live in the process: serve
with one worker process (gunicorn ``-w 1 --threads N``).

Example:
    >>> from django.urls import path  # in your project's urls.py
    >>> from pywebio_nb.output import put_text
    >>> urlpatterns = [path("tool", webio_view(lambda: put_text("hello")))]
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from ._adapter import Request, WebIOAdapter, free_port, missing_framework

try:
    import django
    from django.http import HttpRequest, HttpResponse
    from django.views.decorators.csrf import csrf_exempt
except ImportError as error:  # pragma: no cover - depends on the environment
    raise missing_framework("Django", "django", error) from None

__all__ = ["start_server", "webio_view", "wsgi_app"]

#: The URL patterns of :func:`wsgi_app` (this module is its ``ROOT_URLCONF``).
urlpatterns: list[Any] = []


def _view(adapter: WebIOAdapter) -> Callable[[HttpRequest], HttpResponse]:
    def webio_view_func(request: HttpRequest, *_args: Any, **_kwargs: Any) -> HttpResponse:
        from django.core.exceptions import RequestDataTooBig

        def read_body(_most: int) -> bytes:
            body: bytes = request.body  # Django refuses more than DATA_UPLOAD_MAX_MEMORY_SIZE
            return body

        try:
            reply = adapter.http(
                Request(
                    method=request.method or "GET",
                    path=request.path,
                    query={name: request.GET[name] for name in request.GET},
                    headers=lambda name: request.headers.get(name, ""),
                    remote_ip=request.META.get("REMOTE_ADDR", ""),
                    native=request,
                    read_body=read_body,
                    can_hold=bool(request.META.get("wsgi.multithread", True)),
                )
            )
        except RequestDataTooBig:
            return HttpResponse(b"request body too large", status=413)
        response = HttpResponse(reply.body, status=reply.status)
        for name, value in reply.headers.items():
            response[name] = value
        return response

    view: Callable[[HttpRequest], HttpResponse] = csrf_exempt(webio_view_func)
    view.adapter = adapter  # type: ignore[attr-defined]
    return view


def webio_view(
    applications: Any,
    cdn: bool | str = True,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
) -> Callable[[HttpRequest], HttpResponse]:
    """A Django view that serves apps (page on GET, session by long polling on POST).

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

    The largest request body is Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (uploads travel in
    1 MiB pieces, under Django's default 2.5 MiB).

    Example:
        >>> view = webio_view(lambda: None)
        >>> callable(view)
        True
    """
    adapter = WebIOAdapter(
        applications,
        backend="django",
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
    debug: bool = False,
    max_payload_size: int | str = "200M",
    **django_options: Any,
) -> Any:
    """A Django WSGI application serving apps at ``/`` (configures Django: once a process).

    Args:
        applications: as for :func:`webio_view`.
        cdn: accepted for PyWebIO compatibility.
        static_dir: a folder served at ``/static/``.
        allowed_origins: as for :func:`webio_view`.
        check_origin: as for :func:`webio_view`.
        session_expire_seconds: as for :func:`webio_view`.
        session_cleanup_interval: as for :func:`webio_view`.
        debug: Django's ``DEBUG``, and app tracebacks shown to visitors.
        max_payload_size: the largest request body accepted (``"200M"``, bytes...).
        **django_options: more Django settings.

    Raises:
        RuntimeError: Django's settings were configured already in this process.

    Example:
        >>> app = wsgi_app(main)  # doctest: +SKIP

        Then serve ``app`` with, say, ``gunicorn -w 1 --threads 8 module:app``.
    """
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.urls import path, re_path

    debug = debug or bool(os.environ.get("PYWEBIO_DEBUG"))
    adapter = WebIOAdapter(
        applications,
        backend="django",
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        max_payload_size=max_payload_size,
        session_expire_seconds=session_expire_seconds,
        session_cleanup_interval=session_cleanup_interval,
        debug=debug,
    )
    if static_dir is not None and not os.path.isdir(static_dir):
        raise ValueError(f"static_dir={static_dir!r} is not a folder")
    if settings.configured:
        raise RuntimeError(
            "wsgi_app(): Django's settings are configured already in this process; "
            "add webio_view() to your project's urls instead"
        )
    options: dict[str, Any] = {
        "DEBUG": debug,
        "ALLOWED_HOSTS": ["*"],
        "ROOT_URLCONF": __name__,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DATA_UPLOAD_MAX_MEMORY_SIZE": adapter.max_payload_size,
        **django_options,
    }
    settings.configure(**options)
    django.setup()
    urlpatterns.clear()
    urlpatterns.append(path("", _view(adapter)))
    if static_dir is not None:
        from django.views.static import serve

        folder = os.path.abspath(static_dir)
        urlpatterns.append(re_path(r"^static/(?P<path>.*)$", serve, {"document_root": folder}))
    return get_wsgi_application()


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
    **django_options: Any,
) -> None:
    """Serve apps with Django's threaded development server (blocks until interrupted).

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
        debug: Django's ``DEBUG``, and app tracebacks shown to visitors.
        max_payload_size: as for :func:`wsgi_app`.
        **django_options: more Django settings.

    Example:
        >>> start_server(main, port=8080)  # doctest: +SKIP
    """
    from django.core.servers.basehttp import run

    if remote_access:
        raise ValueError("start_server(): remote_access=True is not supported by pywebio_nb")
    app = wsgi_app(
        applications,
        static_dir=static_dir,
        allowed_origins=allowed_origins,
        check_origin=check_origin,
        session_expire_seconds=session_expire_seconds,
        session_cleanup_interval=session_cleanup_interval,
        debug=debug,
        max_payload_size=max_payload_size,
        **django_options,
    )
    port = port or free_port()
    shown = host if host not in ("", "0.0.0.0", "::") else "localhost"
    print(f"pywebio_nb: serving on http://{shown}:{port}/", flush=True)
    run(host or "0.0.0.0", port, app, threading=True)
