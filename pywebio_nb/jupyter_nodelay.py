"""Take ≈40 ms off every notebook interaction: TCP_NODELAY on jupyter_server's kernel websocket.

jupyter_server's kernel websocket leaves Nagle's algorithm on (tornado's default). A reply goes
to the browser as several small frames (status busy, the message, status idle); the second one
then waits for the browser's delayed ACK, 40 ms on Linux. That is the ≈45 ms floor of every
click in JupyterLab, for pywebio_nb and ipywidgets alike (benchmarks/interaction_latency.py).
pywebio_nb's ``/webio/`` server extension (enabled on install) applies it unless
``c.WebIO.kernel_nodelay = False``; it can also be enabled on its own as an extension::

    c.ServerApp.jpserver_extensions = {"pywebio_nb.jupyter_nodelay": True}
"""

from __future__ import annotations

import functools
from typing import Any

_PATCHED = "_pywebio_nb_nodelay"


def enable_websocket_nodelay() -> bool:
    """Make jupyter_server's kernel websockets send each frame at once (TCP_NODELAY).

    Wraps ``KernelWebsocketHandler.open`` so that it calls ``set_nodelay(True)`` first. Safe to
    call more than once.

    Returns:
        True if this call installed the wrapper, False if it was already installed.

    Example:
        >>> from pywebio_nb.jupyter_nodelay import enable_websocket_nodelay
        >>> enable_websocket_nodelay()  # doctest: +SKIP
        True
    """
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    original: Any = KernelWebsocketHandler.open
    if getattr(original, _PATCHED, False):
        return False

    @functools.wraps(original)
    async def open_nodelay(self: Any, *args: Any, **kwargs: Any) -> None:
        self.set_nodelay(True)
        await original(self, *args, **kwargs)

    setattr(open_nodelay, _PATCHED, True)
    KernelWebsocketHandler.open = open_nodelay  # type: ignore[method-assign]
    return True


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "pywebio_nb.jupyter_nodelay"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    enable_websocket_nodelay()
    serverapp.log.info("pywebio_nb.jupyter_nodelay: kernel websockets use TCP_NODELAY")
