"""A WebSocket client on a bare asyncio stream, for what a library client would not do:
never read, or send a frame far over the server's limit as a browser does."""

from __future__ import annotations

import asyncio
import base64
import os
import socket
import struct


async def raw_websocket(
    port: int, path: str, headers: dict[str, str] | None = None, receive_buffer: int = 0
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Complete a WebSocket handshake on 127.0.0.1 (no extensions) and return the stream.

    ``receive_buffer`` (bytes) shrinks the socket's receive buffer: with a reader that is
    never read, the page then holds almost nothing and the server has to keep the rest.
    """
    sock = socket.socket()
    if receive_buffer:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    reader, writer = await asyncio.open_connection(sock=sock, limit=receive_buffer or 2**16)
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}",
        "Sec-WebSocket-Version: 13",
        f"Origin: http://127.0.0.1:{port}",
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    if not head.startswith(b"HTTP/1.1 101"):
        raise AssertionError(f"handshake refused: {head[:200]!r}")
    return reader, writer


def frame_header(opcode: int, length: int) -> bytes:
    """A client frame's header (FIN, masked with a zero mask, so the payload goes as is)."""
    if length < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    return head + b"\0\0\0\0"


async def read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """The next server frame: ``(opcode, payload)``."""
    first, second = await reader.readexactly(2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", await reader.readexactly(2))
    elif length == 127:
        (length,) = struct.unpack("!Q", await reader.readexactly(8))
    return first & 0x0F, await reader.readexactly(length)


async def close_frame(reader: asyncio.StreamReader) -> tuple[int, str]:
    """Read frames until the server's close frame: its code and reason."""
    while True:
        opcode, payload = await read_frame(reader)
        if opcode == 0x8:
            (code,) = struct.unpack("!H", payload[:2])
            return code, payload[2:].decode()
