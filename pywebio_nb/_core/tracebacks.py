"""Tracebacks shown to users: their own frames, not pywebio_nb's."""

from __future__ import annotations

import os
import traceback

__all__ = ["user_traceback"]

#: The ``pywebio_nb`` package: frames inside it are left out of tracebacks shown to users.
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def user_traceback(error: BaseException) -> str:
    """The formatted traceback of ``error`` without the frames inside pywebio_nb."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not os.path.abspath(frame.filename).startswith(_PACKAGE_DIR + os.sep)
    ]
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(frames)]
    lines.extend(traceback.format_exception_only(type(error), error))
    return "".join(lines)
