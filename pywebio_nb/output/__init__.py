"""Output functions: ``put_*`` to show content, scopes to organise and update it.

Example:
    >>> from pywebio_nb.output import put_text, put_table, use_scope  # doctest: +SKIP
    >>> put_text("hello")  # doctest: +SKIP
"""

from .._document import Output
from ._buttons import put_button, put_buttons
from ._common import OutputPosition, Position
from ._media import put_file, put_image
from ._scope import (
    clear,
    clear_scope,
    get_scope,
    put_scope,
    remove,
    scroll_to,
    set_scope,
    use_scope,
)
from ._table import put_table, span
from ._text import put_code, put_html, put_link, put_markdown, put_text

__all__ = [
    "Output",
    "OutputPosition",
    "Position",
    "clear",
    "clear_scope",
    "get_scope",
    "put_button",
    "put_buttons",
    "put_code",
    "put_file",
    "put_html",
    "put_image",
    "put_link",
    "put_markdown",
    "put_scope",
    "put_table",
    "put_text",
    "remove",
    "scroll_to",
    "set_scope",
    "span",
    "use_scope",
]
