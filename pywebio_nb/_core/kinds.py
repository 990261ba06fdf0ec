"""The kinds of session a PyWebIO program may ask about, by PyWebIO's class names.

PyWebIO programs tell a thread app from a coroutine app with ``isinstance`` on
``get_current_session()`` (classes from ``pywebio.session.threadbased`` and
``pywebio.session.coroutinebased``). These are those names as markers: the app host's session
classes inherit them, and ``pywebio_nb.session.threadbased`` / ``coroutinebased`` export them,
so the public packages need not import a host.
"""

from __future__ import annotations

__all__ = ["CoroutineBasedSession", "ScriptModeSession", "ThreadBasedSession"]


class ThreadBasedSession:
    """A session whose app runs in threads: a plain ``def main()`` app.

    Example:
        >>> from pywebio_nb.session import get_current_session  # doctest: +SKIP
        >>> isinstance(get_current_session(), ThreadBasedSession)  # doctest: +SKIP
        True
    """

    __slots__ = ()


class ScriptModeSession(ThreadBasedSession):
    """The session of a script that calls ``put_*`` at its top level (it opens its own page).

    Example:
        >>> issubclass(ScriptModeSession, ThreadBasedSession)
        True
    """

    __slots__ = ()


class CoroutineBasedSession:
    """A session whose app runs on an event loop: an ``async def main()`` app.

    Example:
        >>> from pywebio_nb.session import get_current_session  # doctest: +SKIP
        >>> isinstance(get_current_session(), CoroutineBasedSession)  # doctest: +SKIP
        True
    """

    __slots__ = ()
