"""Find the session for code that runs outside any app: the notebook kernel's, if there is one."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from .exceptions import SessionNotFoundException

if TYPE_CHECKING:
    from ._session import Session

_lock = threading.Lock()
_session: Session | None = None


def running_kernel() -> object | None:
    """The ipykernel ``Kernel`` this process runs, or ``None`` (plain Python, IPython terminal)."""
    import sys

    if "ipykernel" not in sys.modules:
        return None
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return getattr(shell, "kernel", None) if shell is not None else None


def default_session() -> Session:
    """The kernel-wide notebook session, or the script-mode session outside a kernel.

    Raises:
        SessionNotFoundException: when neither applies (script mode is off under pytest and
            with ``PYWEBIO_NB_SCRIPT_MODE=0``).
    """
    global _session
    session = _session
    if session is not None:
        return session
    with _lock:
        if _session is None:
            kernel = running_kernel()
            if kernel is None:
                from .platform._script import script_mode_allowed, script_session

                if script_mode_allowed():
                    _session = script_session()
                    return _session
                raise SessionNotFoundException(
                    "no pywebio_nb session: call put_* and input() in a Jupyter notebook cell, "
                    "or inside an app served by start_server() or the Jupyter server at /webio/"
                )
            from ._notebook import NotebookSession

            _session = NotebookSession(kernel)
        return _session
