"""Output functions: ``put_*`` to show content, scopes to organise and update it.

One module per output family (``_text``, ``_table``, ``_layout``, ``_popup``...), each building a
node spec (data, never HTML) that ``js/src/outputs/`` renders. May import the core
(``pywebio_nb._core``) and ``pywebio_nb.exceptions``; never a host.

Example:
    >>> from pywebio_nb.output import put_text, put_table, use_scope  # doctest: +SKIP
    >>> put_text("hello")  # doctest: +SKIP
"""

from .._core.document import Output
from ._buttons import put_button, put_buttons
from ._common import OutputPosition, Position
from ._containers import put_collapse, put_scrollable, put_tabs, put_widget
from ._datatable import (
    JSFunction,
    datatable_insert,
    datatable_remove,
    datatable_update,
    put_datatable,
)
from ._feedback import (
    put_error,
    put_info,
    put_loading,
    put_processbar,
    put_progressbar,
    put_success,
    put_warning,
    set_processbar,
    set_progressbar,
)
from ._layout import put_column, put_grid, put_row
from ._media import put_file, put_image
from ._placeholder import OutputHandler, output, style
from ._popup import PopupSize, close_popup, popup, toast
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
    "JSFunction",
    "Output",
    "OutputHandler",
    "OutputPosition",
    "PopupSize",
    "Position",
    "clear",
    "clear_scope",
    "close_popup",
    "datatable_insert",
    "datatable_remove",
    "datatable_update",
    "get_scope",
    "output",
    "popup",
    "put_button",
    "put_buttons",
    "put_code",
    "put_collapse",
    "put_column",
    "put_datatable",
    "put_error",
    "put_file",
    "put_grid",
    "put_html",
    "put_image",
    "put_info",
    "put_link",
    "put_loading",
    "put_markdown",
    "put_processbar",
    "put_progressbar",
    "put_row",
    "put_scope",
    "put_scrollable",
    "put_success",
    "put_table",
    "put_tabs",
    "put_text",
    "put_warning",
    "put_widget",
    "remove",
    "scroll_to",
    "set_processbar",
    "set_progressbar",
    "set_scope",
    "span",
    "style",
    "toast",
    "use_scope",
]
