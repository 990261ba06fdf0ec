"""File uploads in chunks: reassembly and limits, checked in Python because a browser can lie.

The browser sends each chosen file in chunks of at most :data:`CHUNK_SIZE` bytes (far below a
notebook server's 10 MiB message limit), then the submit event with one descriptor per file.
Every chunk is checked against the declared size and the field's ``max_size`` and
``max_total_size`` as it arrives, so an oversized upload is refused before it fills memory.
"""

from __future__ import annotations

import math
from typing import Any

from ._field import REQUIRED_MESSAGE, Field
from ._options import FieldError

__all__ = ["CHUNK_SIZE", "Uploads"]

#: Bytes per chunk message (the browser also uses this; see js/src/forms/files.ts).
CHUNK_SIZE = 1024 * 1024
#: The largest size, offset or index a browser can mean (JavaScript's largest safe integer).
_LARGEST = 2**53 - 1


def _seconds(milliseconds: Any) -> float:
    """A file's ``lastModified`` (ms since the epoch) in seconds; 0 when it is not a time."""
    if isinstance(milliseconds, bool) or not isinstance(milliseconds, (int, float)):
        return 0
    try:
        seconds = milliseconds / 1000
    except OverflowError:  # an integer beyond the largest float
        return 0
    return seconds if math.isfinite(seconds) else 0


def _human(size: int) -> str:
    for unit, scale in (("G", 1024**3), ("M", 1024**2), ("K", 1024)):
        if size >= scale:
            return f"{size / scale:.3g}{unit}"
    return f"{size} bytes"


class Uploads:
    """The chunks received for the file fields of one form, keyed by field name."""

    def __init__(self) -> None:
        #: field name -> list of (declared size, received bytes), one per file
        self.files: dict[str, list[tuple[int, bytearray]]] = {}
        #: fields whose current upload was refused: their later chunks are dropped quietly
        self.refused: set[str] = set()

    def received(self, name: str) -> int:
        """Bytes received so far for a field."""
        return sum(len(data) for _, data in self.files.get(name, []))

    def add_chunk(self, field: Field, content: dict[str, Any], buffers: list[Any]) -> int:
        """Store one chunk; returns the bytes received for the field so far (-1: dropped).

        Raises:
            FieldError: the chunk is malformed, out of order, or breaks a size limit.
        """
        index, offset, size = content.get("file"), content.get("offset"), content.get("size")
        for key, number in (("file", index), ("offset", offset), ("size", size)):
            if (
                not isinstance(number, int)
                or isinstance(number, bool)
                or not 0 <= number <= _LARGEST
            ):
                raise FieldError(f"the browser sent an upload chunk with a bad {key!r}")
        assert isinstance(index, int) and isinstance(offset, int) and isinstance(size, int)
        if not buffers:
            raise FieldError("the browser sent an upload chunk without data")
        data = memoryview(buffers[0]).cast("B")
        name = field.name or ""
        files = self.files.setdefault(name, [])
        if index == 0 and offset == 0:
            files.clear()  # a new submit attempt starts over
            self.refused.discard(name)
        elif name in self.refused:
            return -1
        try:
            return self._add(field, files, index, offset, size, data)
        except FieldError:
            self.refused.add(name)
            files.clear()
            raise

    def _add(
        self,
        field: Field,
        files: list[tuple[int, bytearray]],
        index: int,
        offset: int,
        size: int,
        data: memoryview,
    ) -> int:
        if not field.spec.get("multiple") and index > 0:
            raise FieldError("Only one file can be uploaded here.")
        if index > len(files) or (index == len(files) and offset != 0):
            raise FieldError("the browser sent upload chunks out of order; please try again")
        if index == len(files):
            self._check_size(field, size, files)
            files.append((size, bytearray()))
        declared, received = files[index]
        if declared != size or offset != len(received):
            raise FieldError("the browser sent upload chunks out of order; please try again")
        if len(received) + len(data) > declared:
            raise FieldError("a file grew while it was being uploaded; please try again")
        received.extend(data)
        return self.received(field.name or "")

    def _check_size(self, field: Field, size: int, files: list[tuple[int, bytearray]]) -> None:
        max_size, max_total = field.spec.get("max_size"), field.spec.get("max_total_size")
        if max_size and size > max_size:
            raise FieldError(f"A file is {_human(size)}; the limit is {_human(max_size)}.")
        total = size + sum(declared for declared, _ in files)
        if max_total and total > max_total:
            raise FieldError(
                f"The files add up to {_human(total)}; the limit is {_human(max_total)}."
            )

    def result(self, field: Field, raw: Any) -> Any:
        """The value of a file field on submit, from its descriptors and the received chunks.

        Raises:
            FieldError: a descriptor does not match what was received, or a limit is broken.
        """
        # Each submit consumes what was uploaded for it: the browser sends every chosen file
        # again with the next submit, and a field emptied since then must not see stale files.
        files = self.files.pop(field.name or "", [])
        if raw is None:
            raw = []
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            raise FieldError("the browser sent malformed file descriptors")
        if len(raw) != len(files):
            raise FieldError("not every chosen file arrived; please submit again")
        if len(raw) > 1 and not field.spec.get("multiple"):
            raise FieldError("Only one file can be uploaded here.")
        results = []
        checked: list[tuple[int, bytearray]] = []
        for descriptor, (declared, data) in zip(raw, files, strict=False):
            if len(data) != declared or descriptor.get("size") != declared:
                raise FieldError("a file did not arrive completely; please submit again")
            self._check_size(field, declared, checked)
            checked.append((declared, data))
            filename = descriptor.get("filename", "")
            mime_type = descriptor.get("mime_type", "")
            if not isinstance(filename, str) or not isinstance(mime_type, str):
                raise FieldError("the browser sent malformed file descriptors")
            results.append(
                {
                    "filename": filename,
                    "content": bytes(data),
                    "mime_type": mime_type,
                    "last_modified": _seconds(descriptor.get("last_modified")),
                    "size": declared,
                }
            )
        if field.spec.get("required") and not results:
            raise FieldError(REQUIRED_MESSAGE)
        if field.spec.get("multiple"):
            return results
        return results[0] if results else None

    def discard(self) -> None:
        """Free every received byte."""
        self.files.clear()
        self.refused.clear()
