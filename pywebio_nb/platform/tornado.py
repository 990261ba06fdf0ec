"""PyWebIO's ``pywebio.platform.tornado`` module: the tornado server and handler.

Example:
    >>> from pywebio_nb.platform.tornado import start_server, webio_handler  # doctest: +SKIP
"""

from ._server import path_deploy, start_server
from ._tornado import webio_handler

__all__ = ["path_deploy", "start_server", "webio_handler"]
