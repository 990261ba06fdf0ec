"""Dashboard kernels through a kernel gateway: ``--gateway-url`` and nothing else changes.

The test starts ``jupyter kernelgateway`` on loopback; the jupyter-server under test is
configured with ``GatewayClient.url`` (what ``--gateway-url`` sets), so every kernel it starts,
the dashboard's too, runs in the gateway.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_dashboards import ASK, answer_form, dashboards_of
from webio_client import Page

from tests.bounded import stop_process

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def kernel_gateway(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A Jupyter Kernel Gateway on loopback: its URL and auth token.

    Without a token: jupyter_server's ``GatewayKernelClient`` (what a server-side client of a
    gateway kernel is) opens its channels websocket without the gateway's auth headers, so
    a gateway that requires a token refuses it (401). The token stays in the API calls.
    """
    pytest.importorskip("kernel_gateway")
    port, token = _free_port(), ""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kernel_gateway",
            "--KernelGatewayApp.ip=127.0.0.1",
            f"--KernelGatewayApp.port={port}",
            "--JupyterWebsocketPersonality.list_kernels=True",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(600):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    raise AssertionError("the kernel gateway ended before listening") from None
                time.sleep(0.1)
        yield url, token
    finally:
        stop_process(process)


@pytest.fixture
def jp_server_config(
    jp_root_dir: Path, kernel_gateway: tuple[str, str]
) -> Iterator[dict[str, Any]]:
    from jupyter_server.gateway.gateway_client import GatewayClient

    # A singleton: an earlier server of this process would leave it without the gateway's URL.
    GatewayClient.clear_instance()
    url = kernel_gateway[0]
    (jp_root_dir / "ask.ipynb").write_text(ASK)
    yield {
        "ServerApp": {"jpserver_extensions": {"pywebio_nb": True}},
        "GatewayClient": {"url": url, "request_timeout": 120.0},
    }
    GatewayClient.clear_instance()


def gateway_kernels(url: str, token: str) -> list[str]:
    headers = {"Authorization": f"token {token}"} if token else {}
    request = urllib.request.Request(f"{url}/api/kernels", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return [kernel["id"] for kernel in json.loads(response.read())]


async def test_a_dashboard_kernel_runs_in_the_kernel_gateway(
    jp_serverapp: Any, jp_ws_fetch: Any, kernel_gateway: tuple[str, str]
) -> None:
    assert type(jp_serverapp.kernel_manager).__name__ == "GatewayMappingKernelManager"
    page = Page(await jp_ws_fetch("webio", "_nb", "ask.ipynb"))
    try:
        await answer_form(page, "Ada", timeout=120)
        await page.wait_text("hello Ada", 60)
        (kernel,) = dashboards_of(jp_serverapp).kernels.kernels.values()
        remote = await asyncio.to_thread(gateway_kernels, *kernel_gateway)
        assert kernel.kernel_id in remote
    finally:
        page.ws.close()
        await asyncio.wait_for(dashboards_of(jp_serverapp).kernels.stop_all(), 30)
