"""The default session of code that runs outside any app: the notebook kernel's, or script mode's.

Registered with the core (:func:`pywebio_nb._core.context.register_default_finder`) when
``pywebio_nb`` is imported. Each finder imports its host only when it applies, so ``import
pywebio_nb`` in a kernel stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._core import context
from ..exceptions import SessionNotFoundException

if TYPE_CHECKING:
    from .._core.session import Session

__all__ = ["install", "running_kernel"]


def running_kernel() -> object | None:
    """The ipykernel ``Kernel`` this process runs, or ``None`` (plain Python, IPython terminal).

    Example:
        >>> running_kernel() is None  # under pytest, no kernel runs
        True
    """
    import sys

    if "ipykernel" not in sys.modules:
        return None
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return getattr(shell, "kernel", None) if shell is not None else None


def notebook_session() -> Session | None:
    """The kernel-wide notebook session, when this process is an ipykernel."""
    kernel = running_kernel()
    if kernel is None:
        return None
    from .notebook.session import NotebookSession

    return NotebookSession(kernel)


def script_session() -> Session | None:
    """Script mode's session (a local server and page), unless script mode is off.

    Script mode is off under pytest and with ``PYWEBIO_NB_SCRIPT_MODE=0``.
    """
    from ..platform._script import script_mode_allowed, script_session

    return script_session() if script_mode_allowed() else None


def _no_session() -> Exception:
    return SessionNotFoundException(
        "no pywebio_nb session: call put_* and input() in a Jupyter notebook cell, "
        "or inside an app served by start_server() or the Jupyter server at /webio/"
    )


_installed = False


def install() -> None:
    """Register the notebook and script-mode finders with the core (once)."""
    global _installed
    if not _installed:
        _installed = True
        context.register_default_finder(notebook_session, _no_session)
        context.register_default_finder(script_session)
