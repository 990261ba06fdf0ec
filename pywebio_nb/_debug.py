"""``enable_debug``: PyWebIO's switch that prints the library's log to stderr."""

from __future__ import annotations

import logging
import sys

__all__ = ["enable_debug"]

#: The loggers ``enable_debug`` turns on: ours, and tornado's (requests and app errors).
LOGGERS = ("pywebio_nb", "tornado.access", "tornado.application", "tornado.general")


def enable_debug(level: int | None = None) -> None:
    """Print pywebio_nb's log messages (and the web server's) to ``sys.stderr``.

    Args:
        level: the least severe level shown (``logging.DEBUG`` when not given).

    Example:
        >>> import logging
        >>> enable_debug(logging.WARNING)
        >>> logging.getLogger("pywebio_nb").level == logging.WARNING
        True
        >>> enable_debug()
        >>> logging.getLogger("pywebio_nb").level == logging.DEBUG
        True
    """
    if level is None:
        level = logging.DEBUG
    if isinstance(level, bool) or not isinstance(level, int):
        raise TypeError(f"enable_debug(): level must be a logging level such as 10, got {level!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s %(asctime)s %(module)s:%(lineno)d %(funcName)s] %(message)s",
            datefmt="%y%m%d %H:%M:%S",
        )
    )
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
