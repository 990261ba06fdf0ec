"""pywebio_nb: PyWebIO's imperative UI model, made Jupyter-first.

``put_*`` output renders in the notebook cell that ran it; the same code runs as a web app.

Example:
    >>> from pywebio_nb.output import put_text  # doctest: +SKIP
    >>> put_text("hello")  # doctest: +SKIP
"""

import importlib
import pathlib
from typing import Any

from ._hosts import lookup as _lookup
from ._version import __version__
from .exceptions import SessionClosedException, SessionException, SessionNotFoundException

#: The bundled frontend files (PyWebIO's name for its static folder).
STATIC_PATH = str(pathlib.Path(__file__).parent / "static")

_lookup.install()  # the notebook kernel and script mode provide the default session

_LAZY = {"start_server": ".platform", "config": ".platform", "enable_debug": "._debug"}

#: Subpackages a bare ``import pywebio_nb`` makes reachable (``pywebio_nb.output.put_text``),
#: as ``import pywebio`` does; each is imported on first use.
_SUBMODULES = ("exceptions", "input", "output", "pin", "platform", "session", "utils")


def __getattr__(name: str) -> Any:
    # PyWebIO exports these at the top level; importing them only when used keeps
    # `import pywebio_nb` (and every kernel that imports it) light.
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pywebio_nb' has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_SUBMODULES})


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Where the Jupyter server finds the ``/webio/`` extension (imported only when loaded).

    Example:
        >>> _jupyter_server_extension_points()[0]["module"]
        'pywebio_nb.platform._extension'
    """
    return [{"module": "pywebio_nb.platform._extension"}]


__all__ = [
    "STATIC_PATH",
    "SessionClosedException",
    "SessionException",
    "SessionNotFoundException",
    "__version__",
    "config",
    "enable_debug",
    "start_server",
]
