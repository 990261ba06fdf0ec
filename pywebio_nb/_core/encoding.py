"""The one JSON encoder of pywebio_nb: compact, UTF-8, NaN and infinities refused.

Every message that leaves Python (commands, snapshots, page commands, frame headers) is encoded
here, so a value the browser's ``JSON.parse`` would reject fails the same way in every host:
``ValueError`` at the call that tried to send it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["encode"]


def _make_encoder() -> Callable[[Any], str]:
    """A compact JSON encoder, reused across calls (building one per call costs ~1 µs)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator: the pure-Python encoder
        return json.JSONEncoder(
            separators=(",", ":"), ensure_ascii=False, default=str, allow_nan=False
        ).encode
    # markers=None: no cycle check (specs are trees); allow_nan=False: NaN raises ValueError.
    iterencode = make(
        None, str, json.encoder.encode_basestring, None, ":", ",", False, False, False
    )

    def encode(value: Any) -> str:
        return "".join(iterencode(value, 0))

    return encode


_encode = _make_encoder()


def encode(value: Any) -> str:
    """``value`` as compact JSON; values JSON cannot carry are written with ``str()``.

    Raises:
        ValueError: ``value`` holds a NaN or an infinity (``JSON.parse`` rejects them).

    Example:
        >>> encode({"a": [1, "é"]})
        '{"a":[1,"é"]}'
        >>> encode(float("nan"))  # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        ValueError: Out of range float values are not JSON compliant
    """
    return _encode(value)
