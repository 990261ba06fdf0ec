"""A page saved as one self-contained HTML file (issue 11): what the visitor sees, read-only."""

from __future__ import annotations

import html
import os
import string

from .._core.current import current_session
from .._core.fallback import to_plain
from .._core.saved import saved_data, saved_html

__all__ = ["page_html"]

NOTE = "Saved page: this copy is not connected to its app, so its buttons and forms do nothing."


def page_html(title: str = "pywebio_nb page") -> str:
    """The current page (or notebook cell output) as one self-contained, read-only HTML file.

    The file carries the document as it is now and the renderer's static mode: it opens in any
    browser without a server or network (a Content-Security-Policy forbids every fetch), with
    buttons and forms visibly inert. Hand it to :func:`download` to let the visitor keep it.

    Args:
        title: the ``<title>`` of the file.

    Raises:
        TypeError: ``title`` is not a str.

    Example:
        >>> from pywebio_nb._hosts.fake import FakeSession
        >>> from pywebio_nb.output import put_text
        >>> with FakeSession():
        ...     _ = put_text("hello")
        ...     page = page_html(title="Report")
        >>> page.startswith("<!DOCTYPE html>") and "<title>Report</title>" in page
        True
        >>> # in an app:
        >>> # put_button("Save", onclick=lambda: download("page.html", page_html().encode()))
    """
    if not isinstance(title, str):
        raise TypeError(f"page_html(): title must be a str, got {type(title).__name__}")
    session = current_session()
    root = session.task_root()
    data = saved_data(session, root)
    data["note"] = NOTE
    plain = to_plain(data["snapshot"]["root"], data["rows"])
    body = saved_html(data, plain)
    return _page_template().substitute(title=html.escape(title), body=body)


def _page_template() -> string.Template:
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates", "saved-page.html")
    with open(path, encoding="utf-8") as file:
        return string.Template(file.read())
