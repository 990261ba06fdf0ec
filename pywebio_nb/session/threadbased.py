"""PyWebIO's ``pywebio.session.threadbased``: the session classes of thread apps.

A plain ``def main()`` app runs in a :class:`ThreadBasedSession` (a thread for ``main`` and one
for its callbacks); a script that calls ``put_*`` outside any app runs in a
:class:`ScriptModeSession`, whose page the script opens itself. Programs use them to tell
which kind of session runs them.

Example:
    >>> from pywebio_nb.session import get_current_session  # doctest: +SKIP
    >>> isinstance(get_current_session(), ThreadBasedSession)  # doctest: +SKIP
    True
"""

from .._core.kinds import ScriptModeSession, ThreadBasedSession

__all__ = ["ScriptModeSession", "ThreadBasedSession"]
