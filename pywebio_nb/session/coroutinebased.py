"""PyWebIO's ``pywebio.session.coroutinebased``: the session class of coroutine apps.

An ``async def main()`` app runs in a :class:`CoroutineBasedSession`, on the server's event
loop; ``run_async`` starts tasks in it. Programs use the class to tell which kind of session
runs them.

Example:
    >>> from pywebio_nb.session import get_current_session  # doctest: +SKIP
    >>> isinstance(get_current_session(), CoroutineBasedSession)  # doctest: +SKIP
    True
"""

from .._core.kinds import CoroutineBasedSession
from ._api import TaskHandler

__all__ = ["CoroutineBasedSession", "TaskHandler"]
