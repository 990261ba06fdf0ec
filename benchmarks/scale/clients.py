"""Lightweight visitors: one WebSocket per session, no browser.

* pywebio_nb: ``ws://host/?app=main``; text frames are JSON, binary frames are
  ``[u32 header length][header JSON][payload]`` (pywebio_nb/platform/_tornado.py, js/src/page.ts).
  The session is interactive once a frame carries the app's first output.
* PyWebIO: ``ws://host/?app=main&session=NEW``; JSON commands; interactive once the
  ``input_group`` command (the form of ``input()``) arrives.
* Voila: ``GET /`` (Voila starts a kernel and runs the notebook while answering), then the
  kernel's ``/api/kernels/<id>/channels`` WebSocket, as the page would open it.

Like Chromium, the visitors offer ``permessage-deflate`` (``deflate=True``); every server here
accepts it, and each connection then keeps its zlib streams.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import time
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass, field

import tornado.httpclient
import tornado.websocket

from .procs import Server

Socket = tornado.websocket.WebSocketClientConnection
OPEN_TIMEOUT = 60.0
_KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


async def _read_until(ws: Socket, marker: bytes) -> None:
    while True:
        message = await ws.read_message()
        if message is None:
            raise RuntimeError("the server closed the session before it was interactive")
        data = message.encode() if isinstance(message, str) else message
        if marker in data:
            return


def _connect(url: str, deflate: bool) -> Awaitable[Socket]:
    return tornado.websocket.websocket_connect(url, compression_options={} if deflate else None)


async def _open_webio(server: Server, deflate: bool) -> Socket:
    base = f"ws://127.0.0.1:{server.port}/?app=main"
    if server.target.family == "pywebio":
        ws = await _connect(base + "&session=NEW", deflate)
        await _read_until(ws, b'"input_group"')
    else:
        ws = await _connect(base, deflate)
        await _read_until(ws, b"hello-output")
    return ws


async def _open_voila(server: Server, deflate: bool) -> Socket:
    client = tornado.httpclient.AsyncHTTPClient()
    response = await client.fetch(server.page_url, request_timeout=OPEN_TIMEOUT)
    found = _KERNEL_ID.search(response.body.decode(errors="replace"))
    if found is None:
        raise RuntimeError("no kernelId in Voila's page")
    url = (
        f"ws://127.0.0.1:{server.port}/api/kernels/{found.group(1)}/channels"
        f"?session_id={uuid.uuid4()}"
    )
    return await _connect(url, deflate)


async def open_session(server: Server, deflate: bool = True) -> tuple[Socket, float]:
    """Open one session; returns its socket and the seconds until it was interactive."""
    started = time.perf_counter()
    opener = _open_voila if server.target.family == "voila" else _open_webio
    ws = await asyncio.wait_for(opener(server, deflate), OPEN_TIMEOUT)
    return ws, time.perf_counter() - started


@dataclass
class Crowd:
    """The open sessions of one server, and how long each took to become interactive."""

    sockets: list[Socket] = field(default_factory=list)
    open_seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    async def grow(
        self, server: Server, total: int, deadline: float, parallel: int, deflate: bool = True
    ) -> None:
        """Open sessions until ``total`` are open, ``deadline`` (monotonic) passes, or errors."""
        lock = asyncio.Lock()

        async def worker() -> None:
            while time.monotonic() < deadline and len(self.failures) < 20:
                async with lock:
                    if len(self.sockets) + pending[0] >= total:
                        return
                    pending[0] += 1
                try:
                    remaining = max(1.0, deadline - time.monotonic())
                    ws, seconds = await asyncio.wait_for(open_session(server, deflate), remaining)
                except Exception as error:
                    self.failures.append(f"{type(error).__name__}: {error}")
                else:
                    self.sockets.append(ws)
                    self.open_seconds.append(seconds)
                finally:
                    pending[0] -= 1

        pending = [0]
        await asyncio.gather(*(worker() for _ in range(parallel)))

    def open_ms(self) -> dict[str, float]:
        """Median and p95 WebSocket-open → interactive, in ms."""
        if not self.open_seconds:
            return {}
        ordered = sorted(self.open_seconds)
        return {
            "median": statistics.median(ordered) * 1000,
            "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
        }

    async def close(self) -> None:
        """Close every socket (bounded: a close that hangs is abandoned)."""
        for ws in self.sockets:
            ws.close()
        self.sockets.clear()
        await asyncio.sleep(0.5)
