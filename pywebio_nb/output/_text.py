"""Text-like outputs: plain text, markdown, HTML, code and links."""

from __future__ import annotations

import warnings
from typing import Any

from .._core.current import current_session
from .._core.document import Output
from .._core.nodes import CodeBody, LinkBody, MarkdownBody, TextBody
from ._common import check_position, check_type

__all__ = ["put_code", "put_html", "put_link", "put_markdown", "put_text"]


def put_text(
    *texts: Any,
    sep: str = " ",
    inline: bool = False,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output plain text; it is never interpreted as HTML.

    Args:
        *texts: objects to show, converted with ``str()``.
        sep: the separator between them.
        inline: show the text inline (no line break after it).
        scope: the scope to put it in: a name, an index into the scope stack, or the current one.
        position: where in the scope: ``>= 0`` before that child, ``< 0`` after it from the end.

    Returns:
        The output, already shown.

    Example:
        >>> put_text("Hello", "world", sep=", ")  # doctest: +SKIP
    """
    if sep.__class__ is not str:
        check_type(sep, str, "sep", "put_text")
    if position.__class__ is not int:
        check_position(position, "put_text")
    text = sep.join([t if t.__class__ is str else str(t) for t in texts])
    spec: TextBody = {"type": "text", "text": text}
    if inline:
        spec["inline"] = True
    return current_session().put(spec, scope, position)


def put_markdown(
    mdcontent: str,
    lstrip: bool = True,
    options: dict[str, Any] | None = None,
    sanitize: bool = True,
    scope: str | int | None = None,
    position: int = -1,
    **kwargs: Any,
) -> Output:
    """Output Markdown, rendered in the browser (GitHub flavour, line breaks kept).

    Args:
        mdcontent: the Markdown text.
        lstrip: remove the indentation of a triple-quoted string: the indentation common to
            the lines after the first (the first line may follow the opening quotes directly).
        options: options for the Markdown parser (``gfm``, ``breaks``).
        sanitize: remove scripts and event handlers from HTML inside the Markdown (default).
        scope: see :func:`put_text`.
        position: see :func:`put_text`.
        **kwargs: ``strip_indent`` is accepted and ignored with a ``DeprecationWarning``, as
            in PyWebIO (``lstrip`` replaced it).

    Example:
        >>> put_markdown('''
        ...     # Title
        ...     Some *emphasis*.
        ... ''')  # doctest: +SKIP
    """
    check_type(mdcontent, str, "mdcontent", "put_markdown")
    check_position(position, "put_markdown")
    if "strip_indent" in kwargs:
        warnings.warn(
            "put_markdown(): strip_indent is deprecated; lstrip (on by default) replaces it",
            DeprecationWarning,
            stacklevel=2,
        )
    if options is not None:
        check_type(options, dict, "options", "put_markdown")
    if lstrip:
        mdcontent = strip_literal_indent(mdcontent)
    spec: MarkdownBody = {"type": "markdown", "md": mdcontent, "sanitize": bool(sanitize)}
    if options:
        spec["options"] = options
    return current_session().put(spec, scope, position)


def _indent_width(line: str) -> int:
    """How many leading characters of ``line`` repeat its first one, if that is a space or tab."""
    if not line or line[0] not in " \t":
        return 0
    return len(line) - len(line.lstrip(line[0]))


def strip_literal_indent(text: str) -> str:
    r"""Remove the indentation of a triple-quoted string literal, as PyWebIO's ``lstrip`` does.

    The first line is kept as it is (it usually follows the opening quotes); the indentation
    common to the other non-blank lines is removed from each of them. A run of spaces or of tabs
    counts, not a mix. Like PyWebIO, the first non-empty line after the first one bounds the
    cut even when it holds only whitespace.

    Example:
        >>> strip_literal_indent("# Title\n    Some text.\n\n      - item")
        '# Title\nSome text.\n\n  - item'
    """
    lines = text.splitlines()
    if len(lines) < 2:
        return text
    rest = lines[1:]
    widths = [_indent_width(line) for line in rest if line.strip()]
    first = next((line for line in rest if line), "")
    if not first.strip():
        widths.append(_indent_width(first) + 1)
    cut = min(widths)
    return "\n".join([lines[0], *(line[cut:] for line in rest)])


def put_html(
    html: Any, sanitize: bool = False, scope: str | int | None = None, position: int = -1
) -> Output:
    """Output raw HTML; its scripts run. Objects with ``__html__`` or ``_repr_html_`` work too.

    Args:
        html: an HTML string, or an object such as a pandas DataFrame or a plotly figure's HTML.
        sanitize: remove scripts and event handlers first.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> put_html("<b>bold</b> text")  # doctest: +SKIP
    """
    check_position(position, "put_html")
    if hasattr(html, "__html__"):
        html = html.__html__()
    elif hasattr(html, "_repr_html_"):
        html = html._repr_html_()
    check_type(html, str, "html", "put_html")
    return current_session().put(
        {"type": "html", "html": html, "sanitize": bool(sanitize)}, scope, position
    )


def put_code(
    content: Any,
    language: str = "",
    rows: int | None = None,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output code with syntax highlighting.

    Args:
        content: the code; anything else is shown as ``str(content)``.
        language: its language (``python``, ``json``, ``javascript``...); plain text if unknown.
        rows: the most lines to show before scrolling.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> put_code("print('hi')", language="python")  # doctest: +SKIP
    """
    if content.__class__ is not str:
        content = str(content)
    check_type(language, str, "language", "put_code")
    check_position(position, "put_code")
    spec: CodeBody = {"type": "code", "code": content, "language": language}
    if rows is not None:
        check_type(rows, int, "rows", "put_code")
        if rows < 1:
            raise ValueError(f"put_code(): rows must be at least 1, got {rows}")
        spec["rows"] = rows
    return current_session().put(spec, scope, position)


def put_link(
    name: str,
    url: str | None = None,
    app: str | None = None,
    new_window: bool = False,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a hyperlink to a URL, or to another app of the same server.

    Args:
        name: the link text.
        url: the target address.
        app: the name of an app served next to this one (exactly one of ``url`` and ``app``).
        new_window: open in a new tab.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> put_link("PyWebIO", url="https://pywebio.readthedocs.io")  # doctest: +SKIP
    """
    check_type(name, str, "name", "put_link")
    check_position(position, "put_link")
    if (url is None) == (app is None):
        raise ValueError("put_link(): give exactly one of url and app")
    if url is not None:
        check_type(url, str, "url", "put_link")
    if app is not None:
        check_type(app, str, "app", "put_link")
    spec: LinkBody = {"type": "link", "text": name, "new_window": bool(new_window)}
    if url is not None:
        spec["url"] = url
    elif app is not None:
        spec["app"] = app
    return current_session().put(spec, scope, position)
