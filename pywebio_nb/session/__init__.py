"""The session API: talk to the visitor's page and manage the session's lifetime.

The functions (``_api``) call the host interface (``pywebio_nb._core.host.Host``) of the running
session, whatever its host. May import the core (``pywebio_nb._core``) and
``pywebio_nb.exceptions``; never a host.

Example:
    >>> from pywebio_nb.session import run_js, set_env  # doctest: +SKIP
    >>> set_env(title="My app")  # doctest: +SKIP
    >>> run_js("alert(msg)", msg="hello")  # doctest: +SKIP
"""

from .._core.info import SessionInfo, UserAgent
from ..exceptions import SessionClosedException, SessionException, SessionNotFoundException
from ._api import (
    TaskHandler,
    data,
    defer_call,
    download,
    eval_js,
    get_current_session,
    get_info,
    go_app,
    hold,
    info,
    local,
    register_thread,
    run_async,
    run_asyncio_coroutine,
    run_js,
    set_env,
)
from ._export import page_html

__all__ = [
    "SessionClosedException",
    "SessionException",
    "SessionInfo",
    "SessionNotFoundException",
    "TaskHandler",
    "UserAgent",
    "data",
    "defer_call",
    "download",
    "eval_js",
    "get_current_session",
    "get_info",
    "go_app",
    "hold",
    "info",
    "local",
    "page_html",
    "register_thread",
    "run_async",
    "run_asyncio_coroutine",
    "run_js",
    "set_env",
]
