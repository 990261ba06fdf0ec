"""Jupyter display data (a mimebundle) as page outputs, for every notebook dashboard.

Kernel-mode dashboards convert what a kernel displays here, and session-mode dashboards (a
notebook run as an app session in the server) convert ``display()`` and a cell's last value
the same way. Only data, never markup built here: HTML and Markdown go through the page's
sanitizer.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from .nodes import HtmlBody, ImageBody, MarkdownBody, TextBody

__all__ = ["MIME_ORDER", "bundle_of", "spec_of", "spec_of_bundle"]

#: Display data in order of preference: the first one the page can show is shown.
MIME_ORDER = (
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/latex",
    "text/plain",
)
#: The ``_repr_*_`` methods of IPython's display protocol, by the format they return.
_REPR_METHODS = (
    ("text/html", "_repr_html_"),
    ("text/markdown", "_repr_markdown_"),
    ("image/svg+xml", "_repr_svg_"),
    ("image/png", "_repr_png_"),
    ("image/jpeg", "_repr_jpeg_"),
    ("text/latex", "_repr_latex_"),
)

Spec = HtmlBody | MarkdownBody | ImageBody | TextBody


def spec_of(mime: str, value: Any, data: dict[str, Any]) -> Spec:
    """The page output of one display format.

    Example:
        >>> spec_of("text/markdown", "# Hi", {})
        {'type': 'markdown', 'md': '# Hi', 'sanitize': True}
    """
    if mime == "text/html":
        return {"type": "html", "html": str(value), "sanitize": True}
    if mime == "text/markdown":
        return {"type": "markdown", "md": str(value), "sanitize": True}
    if mime.startswith("image/"):
        if mime == "image/svg+xml":
            raw = str(value).encode()
        else:
            raw = value if isinstance(value, bytes) else base64.b64decode(str(value))
        src = f"data:{mime};base64,{base64.b64encode(raw).decode()}"
        return {"type": "image", "src": src, "title": _alt_text(data)}
    return {"type": "text", "text": str(value)}


def spec_of_bundle(data: dict[str, Any]) -> Spec | None:
    """The page output of a whole display: its first format in :data:`MIME_ORDER`, or None.

    Example:
        >>> spec_of_bundle({"text/plain": "3", "text/html": "<b>3</b>"})["type"]
        'html'
        >>> spec_of_bundle({"application/x-unknown": 1}) is None
        True
    """
    for mime in MIME_ORDER:
        value = data.get(mime)
        if value is None:
            continue
        if isinstance(value, list):
            value = "".join(str(part) for part in value)
        return spec_of(mime, value, data)
    return None


def bundle_of(value: Any) -> dict[str, Any]:
    """The display data of an object without IPython: its ``_repr_*_`` methods and ``repr``.

    ``_repr_mimebundle_`` first, then each ``_repr_<format>_`` method, a matplotlib figure
    as PNG, and ``repr()`` as ``text/plain``. A method that fails or returns None is skipped.

    Example:
        >>> class Hi:
        ...     def _repr_markdown_(self):
        ...         return "**hi**"
        >>> sorted(bundle_of(Hi()))
        ['text/markdown', 'text/plain']
    """
    data: dict[str, Any] = {}
    bundle = _call(value, "_repr_mimebundle_")
    if isinstance(bundle, tuple) and bundle:
        bundle = bundle[0]
    if isinstance(bundle, dict):
        data.update(bundle)
    for mime, method in _REPR_METHODS:
        if mime in data:
            continue
        found = _call(value, method)
        if isinstance(found, tuple) and found:
            found = found[0]  # (data, metadata)
        if found is not None:
            data[mime] = found
    if not data and _is_figure(value):
        buffer = io.BytesIO()
        try:
            value.savefig(buffer, format="png", bbox_inches="tight")
            data["image/png"] = buffer.getvalue()
        except Exception:
            pass
    data.setdefault("text/plain", repr(value))
    return data


def _call(value: Any, method: str) -> Any:
    found = getattr(type(value), method, None)
    if not callable(found):
        return None
    try:
        return getattr(value, method)()
    except Exception:
        return None


def _is_figure(value: Any) -> bool:
    return type(value).__name__ == "Figure" and callable(getattr(value, "savefig", None))


def _alt_text(data: dict[str, Any]) -> str:
    """An image's text alternative: its plain-text form (``<Figure size 500x250 ...>``)."""
    text = data.get("text/plain")
    return str(text).strip("<>")[:200] if isinstance(text, str) else "image"
