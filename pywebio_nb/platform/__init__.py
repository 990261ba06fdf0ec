"""Serving apps: the Jupyter server extension (``/webio/``), tornado handlers and servers.

The HTTP and WebSocket side of standalone apps: which app a URL means (``_apps``, ``_source``),
pages and assets (``_tornado``, ``_page``), sockets (``_connection``), ``start_server``
(``_server``), the server extension (``_extension``) and script mode (``_script``). May import
the core, the app host (``pywebio_nb._hosts.app``), ``pywebio_nb.output`` and tornado /
jupyter_server; never the notebook host.

Example:
    >>> from pywebio_nb.platform import start_server  # doctest: +SKIP
    >>> start_server(main, port=8080)  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "config",
    "path_deploy",
    "path_deploy_http",
    "run_event_loop",
    "seo",
    "start_server",
    "webio_handler",
]

_WHERE = {
    "config": "._page",
    "seo": "._page",
    "path_deploy": "._server",
    "path_deploy_http": ".tornado_http",
    "run_event_loop": "._event_loop",
    "start_server": "._server",
    "webio_handler": "._tornado",
}

#: Host modules reachable as attributes once ``pywebio_nb.platform`` is imported, as in
#: PyWebIO (``pywebio.platform.tornado_http.start_server``); imported on first use. A web
#: framework's module is there when its extra is installed.
_SUBMODULES = ("tornado", "tornado_http", "flask", "django", "aiohttp", "fastapi")


def __getattr__(name: str) -> Any:
    # Lazy, so the server extension (which imports this package) loads fast.
    if name in _SUBMODULES:
        try:
            return importlib.import_module(f".{name}", __name__)
        except ImportError as error:
            raise AttributeError(
                f"module 'pywebio_nb.platform' has no attribute {name!r} ({error})"
            ) from None
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'pywebio_nb.platform' has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE, *_SUBMODULES})
