"""The session of the running code, with its full type.

:mod:`pywebio_nb._core.context` is a leaf that cannot name :class:`Session` (the session imports
it); this module sits above both and is what the public packages ask.
"""

from __future__ import annotations

from typing import cast

from .context import find_session
from .document import Output
from .session import Session

__all__ = ["current_session", "session_of"]


def current_session() -> Session:
    """The session of the running code: the app session, or the process's default session.

    Raises:
        SessionNotFoundException: outside any app, kernel or script (see the host finders).

    Example:
        >>> from pywebio_nb._hosts.fake import FakeSession
        >>> with FakeSession() as session:
        ...     current_session() is session
        True
    """
    # Hosts only ever register Session instances (context.SessionLike is their leaf view).
    return cast(Session, find_session())


def session_of(out: Output) -> Session:
    """The session that made ``out``, with its full type (``Output.session`` is its ``Owner``).

    Example:
        >>> from pywebio_nb._hosts.fake import FakeSession
        >>> from pywebio_nb.output import put_text
        >>> with FakeSession() as session:
        ...     session_of(put_text("hi")) is session
        True
    """
    # Outputs are only ever made by a Session (Session.make); document.Owner is its view.
    return cast(Session, out.session)
