"""Log lines a visitor can cause, bounded per session.

A page can send events that are rejected, fail a ``validate()`` or make a callback raise, as
fast as it likes; each would log a line (or a traceback). Every session logs through its own
:class:`LogLimit`: a burst of lines passes, then one line per interval; the lines left out are
counted, and the next line that passes (or the session's end) says how many.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

__all__ = ["LogLimit"]

log = logging.getLogger("pywebio_nb")


class LogLimit:
    """A token bucket of log lines for one session.

    Example:
        >>> limit = LogLimit(burst=2, interval=60)
        >>> [limit.warning("bad event %d", n) for n in range(5)]
        [True, True, False, False, False]
        >>> limit.left_out
        3
    """

    def __init__(self, burst: int = 20, interval: float = 5.0, prefix: str = "") -> None:
        self.burst = burst
        self.interval = interval
        self.prefix = prefix
        self.left_out = 0
        self._tokens = float(burst)
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def _take(self) -> int | None:
        """``None`` when the line must be left out, else how many were left out before it."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) / self.interval)
            self._stamp = now
            if self._tokens < 1:
                self.left_out += 1
                return None
            self._tokens -= 1
            skipped, self.left_out = self.left_out, 0
            return skipped

    def log(self, level: int, message: str, *args: Any, exc_info: Any = None) -> bool:
        """Log one line unless over the limit; True when it was logged."""
        skipped = self._take()
        if skipped is None:
            return False
        if skipped:
            message += f" ({skipped} similar lines left out)"
        log.log(level, self.prefix + message, *args, exc_info=exc_info)
        return True

    def warning(self, message: str, *args: Any) -> bool:
        """A warning (a rejected event, an unknown id...)."""
        return self.log(logging.WARNING, message, *args)

    def error(self, message: str, *args: Any, exc_info: Any = None) -> bool:
        """An error, with its traceback when ``exc_info`` is given."""
        return self.log(logging.ERROR, message, *args, exc_info=exc_info)

    def exception(self, message: str, *args: Any) -> bool:
        """An error with the traceback of the exception being handled."""
        return self.log(logging.ERROR, message, *args, exc_info=True)

    def flush_left_out(self) -> None:
        """Say how many lines were left out since the last one, if any (at the session's end)."""
        with self._lock:
            skipped, self.left_out = self.left_out, 0
        if skipped:
            log.warning("%s%d more log lines were left out", self.prefix, skipped)
