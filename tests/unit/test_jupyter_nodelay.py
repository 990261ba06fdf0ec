"""The opt-in server extension turns Nagle off on kernel websockets when they open."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

pytest.importorskip("jupyter_server")

from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

from pywebio_nb import jupyter_nodelay


class _Handler:
    def __init__(self) -> None:
        self.calls: list[Any] = []

    def set_nodelay(self, value: bool) -> None:
        self.calls.append(("nodelay", value))


def test_opening_a_kernel_websocket_sets_nodelay_before_the_original_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def original(self: _Handler, kernel_id: str) -> None:
        self.calls.append(("open", kernel_id))

    monkeypatch.setattr(KernelWebsocketHandler, "open", original)
    assert jupyter_nodelay.enable_websocket_nodelay() is True
    assert jupyter_nodelay.enable_websocket_nodelay() is False
    handler = _Handler()
    opened: Any = KernelWebsocketHandler.open
    asyncio.run(opened(handler, "k1"))
    assert handler.calls == [("nodelay", True), ("open", "k1")]


def test_the_module_is_a_server_extension(monkeypatch: pytest.MonkeyPatch) -> None:
    async def original(self: _Handler, kernel_id: str) -> None:
        return None

    monkeypatch.setattr(KernelWebsocketHandler, "open", original)
    logged: list[str] = []

    class _App:
        class log:
            info = staticmethod(logged.append)

    points = jupyter_nodelay._jupyter_server_extension_points()
    assert points == [{"module": "pywebio_nb.jupyter_nodelay"}]
    jupyter_nodelay._load_jupyter_server_extension(_App())
    now: Any = KernelWebsocketHandler.open
    assert now is not original
    assert logged
