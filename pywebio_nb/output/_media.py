"""Images and file downloads."""

from __future__ import annotations

import base64
import io
import mimetypes
from typing import Any, Literal

from .._core.current import current_session
from .._core.document import Output
from .._core.nodes import FileBody, ImageBody
from ._common import check_position, check_type

__all__ = ["put_file", "put_image"]

_IMAGE_SIGNATURES = (
    (b"\x89PNG", "png"),
    (b"\xff\xd8", "jpeg"),
    (b"GIF8", "gif"),
    (b"RIFF", "webp"),
    (b"BM", "bmp"),
    (b"<svg", "svg+xml"),
    (b"<?xml", "svg+xml"),
)


#: Matplotlib figures are drawn at this many device pixels per CSS pixel, so they stay crisp on
#: high-density screens; the image is then shown at its CSS size.
_FIGURE_SCALE = 2


def _png_width(data: bytes) -> int | None:
    """The pixel width from a PNG's IHDR chunk."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big")
    return None


def _image_bytes(src: Any, format: str | None) -> tuple[bytes, str, str | None]:
    """Encode a PIL image or a matplotlib figure; return bytes, MIME type and a CSS width."""
    module = type(src).__module__
    if module.startswith("matplotlib"):
        buffer = io.BytesIO()
        fmt = format or "png"
        dpi = float(getattr(src, "dpi", 100)) * _FIGURE_SCALE
        src.savefig(buffer, format=fmt, bbox_inches="tight", dpi=dpi)
        data = buffer.getvalue()
        width = _png_width(data) if fmt == "png" else None
        css_width = f"{width / _FIGURE_SCALE:g}px" if width else None
        return data, f"image/{'svg+xml' if fmt == 'svg' else fmt}", css_width
    if hasattr(src, "save") and module.startswith("PIL"):
        fmt = (format or getattr(src, "format", None) or "png").lower()
        buffer = io.BytesIO()
        src.save(buffer, format=fmt)
        return buffer.getvalue(), f"image/{'jpeg' if fmt == 'jpg' else fmt}", None
    raise TypeError(
        f"put_image(): src must be bytes, a URL string, a PIL image or a matplotlib figure, "
        f"got {type(src).__name__}"
    )


def put_image(
    src: Any,
    format: str | None = None,
    title: str = "",
    width: str | int | None = None,
    height: str | int | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output an image.

    Args:
        src: image bytes, a URL, a PIL image, or a matplotlib figure (drawn at twice its
            size and shown at its CSS size, so it is crisp on high-density screens).
        format: the image format (``png``, ``jpeg``...) when it cannot be guessed from ``src``.
        title: the image's title and alternative text.
        width: a CSS width (``"50%"``, ``"200px"``; an int means pixels).
        height: a CSS height.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> put_image(open("logo.png", "rb").read(), width="100px")  # doctest: +SKIP
    """
    check_type(title, str, "title", "put_image")
    check_position(position, "put_image")
    natural_width: str | None = None
    if format is not None:
        check_type(format, str, "format", "put_image")
    if isinstance(src, str):
        url = src
    else:
        if isinstance(src, (bytes, bytearray, memoryview)):
            data = bytes(src)
            fmt = format
            if fmt is None:
                fmt = next((name for sig, name in _IMAGE_SIGNATURES if data.startswith(sig)), "png")
            mime = f"image/{'jpeg' if fmt == 'jpg' else fmt}"
        else:
            data, mime, natural_width = _image_bytes(src, format)
        url = f"data:{mime};base64,{base64.b64encode(data).decode()}"
    spec: ImageBody = {"type": "image", "src": url}
    if title:
        spec["title"] = title
    if width is None and height is None and natural_width is not None:
        width = natural_width
    name: Literal["width", "height"]
    for name, value in (("width", width), ("height", height)):
        if value is not None:
            check_type(value, (str, int), name, "put_image")
            spec[name] = f"{value}px" if isinstance(value, int) else value
    return current_session().put(spec, scope, position)


def put_file(
    name: str,
    content: bytes,
    label: str | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a link that downloads ``content`` as a file named ``name``.

    The file travels with the output, so the download works even while the kernel is busy.

    Args:
        name: the file name offered to the browser.
        content: the file's bytes.
        label: the link text (the file name by default).
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> put_file("hello.txt", b"hello world")  # doctest: +SKIP
    """
    check_type(name, str, "name", "put_file")
    check_type(content, (bytes, bytearray, memoryview), "content", "put_file")
    check_position(position, "put_file")
    if label is not None:
        check_type(label, str, "label", "put_file")
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    spec: FileBody = {
        "type": "file",
        "name": name,
        "label": label or name,
        "mime": mime,
        "data": base64.b64encode(bytes(content)).decode(),
    }
    return current_session().put(spec, scope, position)
