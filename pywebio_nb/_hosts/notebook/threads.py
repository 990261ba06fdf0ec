"""Where a thread started in a notebook cell writes: the one process-wide patch of pywebio_nb.

A thread started from a cell (or from a callback) must write into that cell's output, as
PyWebIO users expect (``threading.Thread(target=worker).start()`` and ``put_*`` in the worker).
Nothing in ``threading`` tells a new thread where it was started, and context variables do not
follow it before Python 3.14, so :func:`install` wraps ``threading.Thread.start``: each thread
started while the hook is installed remembers its origin (a cell execution or a root) in an
attribute, read back with :func:`origin_of`.

Installed by :class:`~pywebio_nb._hosts.notebook.session.NotebookSession` when it is created
(that is, the first time a kernel uses pywebio_nb) and undone by :func:`uninstall` (which the
session's ``close()`` calls). Outside a kernel it is never installed: app sessions pass their
session to threads explicitly (``register_thread``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["install", "installed", "origin_of", "uninstall"]

_ATTR = "_pywebio_nb_cell"
_original_start: Callable[[threading.Thread], None] | None = None
_origin: Callable[[], object | None] | None = None


def install(origin: Callable[[], object | None]) -> None:
    """Make every thread started from now on remember ``origin()`` (called in the starter).

    Installing again replaces the origin function; the patch itself is applied once.

    Example:
        >>> install(lambda: "cell 1")
        >>> thread = threading.Thread(target=lambda: None)
        >>> thread.start(); thread.join()
        >>> origin_of(thread)
        'cell 1'
        >>> uninstall(); installed()
        False
    """
    global _original_start, _origin
    _origin = origin
    if _original_start is not None:
        return
    original = threading.Thread.start
    _original_start = original

    def start(self: threading.Thread) -> None:
        find = _origin
        found = find() if find is not None else None
        if found is not None:
            setattr(self, _ATTR, found)
        original(self)

    start.__doc__ = original.__doc__
    threading.Thread.start = start  # type: ignore[method-assign]


def uninstall() -> None:
    """Put ``threading.Thread.start`` back as it was."""
    global _original_start, _origin
    if _original_start is not None:
        threading.Thread.start = _original_start  # type: ignore[method-assign,assignment]
    _original_start = None
    _origin = None


def installed() -> bool:
    """Whether the patch is in place."""
    return _original_start is not None


def origin_of(thread: threading.Thread) -> object | None:
    """What ``origin()`` said when ``thread`` was started (``None`` if nothing)."""
    return getattr(thread, _ATTR, None)
