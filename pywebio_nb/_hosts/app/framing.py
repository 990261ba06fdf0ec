"""Standalone pages frame bytes the same way both ways.

Text frames are JSON. A message with bytes (a batch or a download going down, an upload chunk
going up) is one binary frame ``[u32 header length, big-endian][header JSON][payload]``. A
malformed frame from a page closes its connection (:class:`ProtocolError` carries the close
code); it never reaches the app.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from typing import Any, Protocol

from ..._core.encoding import encode
from ..._core.protocol import MALFORMED_FRAME_CLOSE_CODE

__all__ = ["Connection", "ProtocolError", "frame", "split_frame"]


def frame(header: Mapping[str, object], payload: bytes) -> bytes:
    r"""One binary frame: ``[u32 header length][header JSON][payload]``.

    Example:
        >>> frame({"kind": "batch"}, b"[]")[:4] == len(b'{"kind":"batch"}').to_bytes(4, "big")
        True
    """
    head = encode(header).encode()
    return struct.pack(">I", len(head)) + head + payload


class ProtocolError(Exception):
    """The browser sent something that is not a valid event; the connection should close.

    Attributes:
        code: the WebSocket close code to close with: 1003 for a frame that is not an event,
            1007 for a binary frame whose framing is broken.
    """

    def __init__(self, message: str, code: int = 1003) -> None:
        super().__init__(message)
        self.code = code


def split_frame(data: bytes) -> tuple[dict[str, Any], memoryview]:
    r"""The event header and the payload of a binary frame from the page (see :func:`frame`).

    Raises:
        ProtocolError: (code 1007) the frame is shorter than its header length says, the
            header is not a JSON object, or it is not UTF-8.

    Example:
        >>> header, payload = split_frame(frame({"kind": "input"}, b"abc"))
        >>> header, bytes(payload)
        ({'kind': 'input'}, b'abc')
    """
    if len(data) < 4:
        raise ProtocolError(
            f"a binary frame of {len(data)} bytes has no header length", MALFORMED_FRAME_CLOSE_CODE
        )
    (length,) = struct.unpack_from(">I", data)
    if length > len(data) - 4:
        raise ProtocolError(
            f"a binary frame says its header has {length} bytes, but only "
            f"{len(data) - 4} bytes follow",
            MALFORMED_FRAME_CLOSE_CODE,
        )
    view = memoryview(data)
    try:
        header = json.loads(bytes(view[4 : 4 + length]).decode())
    except (ValueError, RecursionError):  # not UTF-8, not JSON, nested too deep
        raise ProtocolError(
            "the header of a binary frame is not JSON", MALFORMED_FRAME_CLOSE_CODE
        ) from None
    if not isinstance(header, dict):
        raise ProtocolError(
            "the header of a binary frame is not an event object", MALFORMED_FRAME_CLOSE_CODE
        )
    return header, view[4 + length :]


class Connection(Protocol):
    """What a session needs from its transport. Both methods may be called from any thread."""

    def send(self, message: str | bytes) -> None:
        """Send a text (``str``) or binary (``bytes``) frame, in call order."""

    def close(self, code: int, reason: str) -> None:
        """Close the connection."""
