"""A scripted page for server tests: reads the /webio/ WebSocket frames, answers, clicks."""

from __future__ import annotations

import asyncio
import json
import struct
from collections.abc import Callable
from typing import Any

from pywebio_nb._hosts.app.framing import frame
from pywebio_nb.input._files import CHUNK_SIZE


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

    def send_frame(self, event: dict[str, Any], payload: bytes) -> None:
        """Send an event with a buffer as the page does: one binary frame."""
        self.ws.write_message(frame(event, payload), binary=True)

    def upload(self, node_id: int, name: str, files: list[bytes]) -> list[dict[str, Any]]:
        """Send the chunks of ``files`` for field ``name`` of a form; returns their descriptors."""
        descriptors = []
        for index, data in enumerate(files):
            for offset in range(0, max(len(data), 1), CHUNK_SIZE):
                event = {"kind": "input", "id": node_id, "event": "chunk", "name": name}
                event.update(file=index, offset=offset, size=len(data))
                self.send_frame(event, data[offset : offset + CHUNK_SIZE])
            descriptors.append(
                {
                    "filename": f"f{index}.bin",
                    "size": len(data),
                    "mime_type": "",
                    "last_modified": 0,
                }
            )
        return descriptors

    def form(self) -> dict[str, Any] | None:
        """The last form put on the page, if any."""
        forms = [node for node in self.nodes() if node.get("type") == "form"]
        return forms[-1] if forms else None

    async def closed(self, timeout: float = 5) -> int | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while await self.next(max(0.01, deadline - loop.time())) is not None:
            pass
        return self.ws.close_code
