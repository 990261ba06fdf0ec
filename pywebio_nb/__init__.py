"""pywebio_nb: PyWebIO's imperative UI model, made Jupyter-first.

``put_*`` output renders in the notebook cell that ran it; the same code runs as a web app.

Example:
    >>> from pywebio_nb.output import put_text  # doctest: +SKIP
    >>> put_text("hello")  # doctest: +SKIP
"""

from ._version import __version__
from .exceptions import SessionClosedException, SessionException, SessionNotFoundException


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Where the Jupyter server finds the ``/webio/`` extension (imported only when loaded).

    Example:
        >>> _jupyter_server_extension_points()[0]["module"]
        'pywebio_nb.platform._extension'
    """
    return [{"module": "pywebio_nb.platform._extension"}]


__all__ = [
    "SessionClosedException",
    "SessionException",
    "SessionNotFoundException",
    "__version__",
]
