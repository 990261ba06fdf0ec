"""Outside Jupyter: ``python app.py`` script mode and the ``pywebio-nb`` command."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import tornado.websocket
from webio_client import Page

from tests.bounded import read_line, stop_process

pytestmark = pytest.mark.server

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), **extra)
    env.pop("DISPLAY", None)
    return env


async def connect(url: str, process: subprocess.Popen[bytes]) -> Page:
    for _ in range(200):
        try:
            return Page(await tornado.websocket.websocket_connect(url))
        except OSError:
            if process.poll() is not None:
                raise AssertionError("the process ended before serving") from None
            await asyncio.sleep(0.05)
    raise AssertionError(f"nothing listens at {url}")


async def test_script_shows_its_output_and_ends_when_done(tmp_path: Path) -> None:
    script = tmp_path / "app.py"
    script.write_text(
        textwrap.dedent('''
            """My script"""
            from pywebio_nb.output import put_text

            put_text("first")
            put_text("second")
        ''')
    )
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(script)],
        env=environment(PYWEBIO_SCRIPT_MODE_PORT=str(port)),
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        page = await connect(f"ws://127.0.0.1:{port}/", process)
        await page.wait_text("second")
        assert page.texts() == ["first", "second"]
        assert await page.closed() == 1000
        assert process.wait(30) == 0
    finally:
        stop_process(process)


async def test_script_with_a_button_stays_until_the_page_closes(tmp_path: Path) -> None:
    script = tmp_path / "app.py"
    script.write_text(
        textwrap.dedent("""
            from pywebio_nb.output import put_buttons, put_text

            put_buttons(["Hi"], onclick=lambda _v: put_text("clicked"))
        """)
    )
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(script)],
        env=environment(PYWEBIO_SCRIPT_MODE_PORT=str(port)),
        start_new_session=True,
    )
    try:
        page = await connect(f"ws://127.0.0.1:{port}/", process)
        await page.until(lambda _m: any(n["type"] == "buttons" for n in page.nodes()))
        cb = next(n["cb"] for n in page.nodes() if n["type"] == "buttons")
        page.send({"kind": "callback", "cb": cb, "value": 0})
        await page.wait_text("clicked")
        assert process.poll() is None
        page.ws.close()
        assert process.wait(30) == 0
    finally:
        stop_process(process)


async def test_cli_serve_deploys_a_folder(tmp_path: Path) -> None:
    (tmp_path / "hello.py").write_text(
        "from pywebio_nb.output import put_text\n\ndef main():\n    put_text('served')\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "pywebio_nb", "serve", str(tmp_path)],
        env=environment(),
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        line = read_line(process.stdout, timeout=60).decode()
        url = re.search(r"http://\S+", line)
        assert url, line
        page = await connect(url.group(0).replace("http", "ws") + "hello", process)
        await page.wait_text("served")
    finally:
        stop_process(process)
