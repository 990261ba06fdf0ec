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

__all__ = ["config", "path_deploy", "seo", "start_server", "webio_handler"]

_WHERE = {
    "config": "._page",
    "seo": "._page",
    "path_deploy": "._server",
    "start_server": "._server",
    "webio_handler": "._tornado",
}


#: Submodules reachable as attributes without importing them first, as in PyWebIO
#: (``pywebio_nb.platform.flask.webio_view``); a framework that is not installed leaves its
#: module out (importing it names the extra to install).
_SUBMODULES = ("tornado", "flask", "django", "aiohttp", "fastapi")


def __getattr__(name: str) -> Any:
    # Lazy, so the server extension (which imports this package) loads fast.
    if name in _SUBMODULES:
        try:
            return importlib.import_module(f".{name}", __name__)
        except ImportError as error:
            raise AttributeError(f"pywebio_nb.platform.{name} is not available: {error}") from None
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'pywebio_nb.platform' has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
