"""The /webio/ extension also takes Nagle off jupyter_server's kernel websockets (on by default)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

_ORIGINAL: Any = KernelWebsocketHandler.open
while getattr(_ORIGINAL, "_pywebio_nb_nodelay", False):  # an earlier patch: unwrap it
    _ORIGINAL = _ORIGINAL.__wrapped__


@pytest.fixture(autouse=True)
def unpatched() -> Iterator[None]:
    """Each test starts from jupyter_server's own handler, and leaves it so."""
    patched = KernelWebsocketHandler.open
    KernelWebsocketHandler.open = _ORIGINAL  # type: ignore[method-assign]
    yield
    KernelWebsocketHandler.open = patched  # type: ignore[method-assign]


def test_loading_the_extension_turns_nagle_off_on_kernel_websockets(jp_serverapp: Any) -> None:
    assert getattr(KernelWebsocketHandler.open, "_pywebio_nb_nodelay", False)
