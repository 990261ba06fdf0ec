"""Server tier: a real jupyter-server with the pywebio_nb extension (pytest-jupyter).

The default ``jp_base_url`` is ``/a%40b/``, so every URL built without ``base_url`` fails here.
"""

from __future__ import annotations

import asyncio
import json
import struct
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["pytest_jupyter.jupyter_server"]

APPS = {
    "hello.py": '''
        from pywebio_nb.output import put_text, put_buttons

        def main():
            """Hello app

            Says hello."""
            put_text("hello from a thread app")
            put_buttons(["go"], onclick=lambda v: put_text(f"clicked {v}"))
    ''',
    "ahello.py": '''
        from pywebio_nb.output import put_text

        async def main():
            """Async hello"""
            put_text("hello from a coroutine app")
    ''',
    "broken.py": """
        def main():
            raise ValueError("secret detail")
    """,
    "_private.py": "def main(): pass\n",
    "notanapp.py": "x = 1\n",
    "sub/inner.py": '''
        from pywebio_nb.output import put_text

        def main():
            put_text("inner")
    ''',
}


def write_apps(root: Path) -> None:
    for name, source in APPS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))


def alpha() -> None:
    from pywebio_nb.output import put_text

    put_text("registered alpha")


def beta() -> None:
    from pywebio_nb.output import put_text

    put_text("registered beta")


@pytest.fixture
def webio_config() -> dict[str, Any]:
    """Extra ``c.WebIO`` settings for a test (override in a module or with indirect use)."""
    return {}


@pytest.fixture
def jp_server_config(jp_root_dir: Path, webio_config: dict[str, Any]) -> dict[str, Any]:
    write_apps(jp_root_dir)
    return {
        "ServerApp": {"jpserver_extensions": {"pywebio_nb": True}},
        "WebIO": {"apps": {"alpha": alpha, "beta": beta}, **webio_config},
    }


def decode(message: str | bytes) -> dict[str, Any]:
    """A frame as a dict; a binary frame's payload is under ``"payload"`` (JSON if a batch)."""
    if isinstance(message, bytes):
        (length,) = struct.unpack(">I", message[:4])
        header = json.loads(message[4 : 4 + length])
        payload = message[4 + length :]
        header["payload"] = json.loads(payload) if header.get("kind") == "batch" else payload
        return header
    return json.loads(message)


class Page:
    """A scripted browser page on one WebSocket: collects messages, answers, clicks."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.messages: list[dict[str, Any]] = []

    async def next(self, timeout: float = 5) -> dict[str, Any] | None:
        raw = await asyncio.wait_for(self.ws.read_message(), timeout)
        if raw is None:
            return None
        message = decode(raw)
        self.messages.append(message)
        return message

    async def until(
        self, check: Callable[[dict[str, Any]], bool], timeout: float = 5
    ) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        for message in self.messages:
            if check(message):
                return message
        while True:
            message = await self.next(max(0.01, deadline - loop.time()))
            if message is None:
                raise AssertionError(f"connection closed; got {self.messages}")
            if check(message):
                return message

    def nodes(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for message in self.messages:
            if message.get("kind") == "snapshot":
                found.extend(message["root"].get("children", []))
            elif message.get("kind") == "batch":
                found.extend(c["node"] for c in message["payload"] if c["op"] == "put")
        return found

    def texts(self) -> list[str]:
        return [n.get("text", "") for n in self.nodes() if n.get("type") in ("text", "link")]

    async def wait_text(self, text: str, timeout: float = 5) -> None:
        await self.until(lambda _m: text in self.texts(), timeout)

    def send(self, event: dict[str, Any]) -> None:
        self.ws.write_message(json.dumps(event))

    async def closed(self, timeout: float = 5) -> int | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while await self.next(max(0.01, deadline - loop.time())) is not None:
            pass
        return self.ws.close_code


@pytest.fixture
def open_page(jp_ws_fetch: Any) -> Callable[..., Any]:
    pages: list[Page] = []

    async def opener(*parts: str, params: dict[str, str] | None = None) -> Page:
        ws = await jp_ws_fetch("webio", "_ws", *parts, params=params)
        page = Page(ws)
        pages.append(page)
        return page

    yield opener
    for page in pages:
        page.ws.close()
