"""``max_payload_size`` is the real limit: larger frames close with 1009 and a reason, smaller
ones arrive, also above tornado's default 100 MiB read buffer."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from raw_socket import close_frame, frame_header, raw_websocket
from test_script_mode_and_cli import connect, environment, free_port
from webio_client import Page

pytestmark = pytest.mark.server

MIB = 1024 * 1024


async def callback_id(page: Page) -> int:
    await page.until(lambda _m: any(n["type"] == "buttons" for n in page.nodes()))
    return int(next(n["cb"] for n in page.nodes() if n["type"] == "buttons"))


@pytest.mark.parametrize("webio_config", [{"max_payload_size": "1M"}])
async def test_a_frame_over_the_limit_closes_with_1009_and_a_reason(open_page: Any) -> None:
    page = await open_page("hello")
    cb = await callback_id(page)
    page.send({"kind": "callback", "cb": cb, "value": "x" * (8 * MIB)})
    assert await page.closed(timeout=30) == 1009
    assert page.ws.close_reason == "message too big: the limit is 1 MiB (max_payload_size)"


@pytest.mark.parametrize("webio_config", [{"max_payload_size": "1M"}])
async def test_a_page_still_sending_an_over_size_frame_gets_the_1009(
    http_server_client: Any, jp_http_port: int, jp_base_url: str, jp_auth_header: dict[str, str]
) -> None:
    """As a browser sends a large message: the frame keeps coming after the server said no."""
    reader, writer = await raw_websocket(
        jp_http_port, f"{jp_base_url}webio/_ws/hello", jp_auth_header
    )
    size = 32 * MIB
    closed = asyncio.ensure_future(close_frame(reader))
    try:
        writer.write(frame_header(0x2, size))
        for _ in range(size // (256 * 1024)):
            if closed.done():
                break
            writer.write(os.urandom(256 * 1024))  # incompressible, as files and images are
            await writer.drain()
    except ConnectionError:
        pass  # the server may stop reading once it has answered
    code, reason = await asyncio.wait_for(closed, 30)
    writer.close()
    assert (code, reason) == (1009, "message too big: the limit is 1 MiB (max_payload_size)")


#: An app that asks the page for a value (eval_js) and shows its length.
MEASURE = """
    import sys
    from pywebio_nb.output import put_text
    from pywebio_nb.session import eval_js

    def main():
        put_text(f"got {len(eval_js('big'))} characters")
"""


async def answer_with(page: Page, value: str) -> None:
    """Answer the app's ``eval_js`` request with ``value`` (one frame of about its size)."""
    request = await page.until(lambda m: m.get("kind") == "eval_js")
    await page.ws.write_message(
        json.dumps({"kind": "js_result", "id": request["id"], "value": value})
    )


@pytest.mark.parametrize("webio_config", [{"max_payload_size": "1M"}])
async def test_a_frame_under_the_limit_arrives(open_page: Any, jp_root_dir: Path) -> None:
    (jp_root_dir / "measure.py").write_text(textwrap.dedent(MEASURE))
    page = await open_page("measure")
    await answer_with(page, "x" * (MIB - 100))
    await page.wait_text(f"got {MIB - 100} characters", timeout=30)


START_SERVER = (
    MEASURE
    + """
    from pywebio_nb.platform import start_server

    start_server(main, port=int(sys.argv[1]), host="127.0.0.1", max_payload_size="200M")
"""
)


async def test_start_server_takes_a_frame_over_tornados_100_mib_buffer(tmp_path: Path) -> None:
    """Allocates the frame once (~101 MiB here, as much again in the server)."""
    script = tmp_path / "serve.py"
    script.write_text(textwrap.dedent(START_SERVER))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(script), str(port)],
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = await connect(f"ws://127.0.0.1:{port}/", process)
        size = 101 * MIB
        await answer_with(page, "x" * size)
        await page.wait_text(f"got {size} characters", timeout=60)
        page.ws.close()
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
