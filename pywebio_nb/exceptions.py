"""Exceptions raised by pywebio_nb, with PyWebIO's names."""

from __future__ import annotations

__all__ = [
    "PyWebIOWarning",
    "SessionClosedException",
    "SessionException",
    "SessionNotFoundException",
]


class SessionException(Exception):
    """Base class of the session errors.

    Example:
        >>> issubclass(SessionClosedException, SessionException)
        True
    """


class SessionClosedException(SessionException):
    """The session ended (the visitor closed the page) while the app still used it."""


class SessionNotFoundException(SessionException):
    """A pywebio_nb function was called where no session can be found.

    In a standalone app, threads you start must be passed to ``register_thread`` first.
    """


class PyWebIOWarning(UserWarning):
    """Warnings about deprecated or ignored arguments."""
