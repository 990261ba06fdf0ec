"""The process-wide flusher: queued output leaves a few milliseconds after a put."""

from __future__ import annotations

import threading
import time
from typing import Protocol

__all__ = ["flusher"]


class Flushable(Protocol):
    """What the flusher needs of a session (:class:`~pywebio_nb._core.session.Session`)."""

    def next_flush_wait(self, now: float, shortest: float, longest: float) -> float:
        """Seconds to wait before the next flush."""
        ...

    def flush(self) -> None:
        """Send the queued commands."""
        ...

    def log_exception(self, message: str) -> None:
        """Log the exception being handled."""
        ...


class _Flusher:
    """One daemon thread for the whole process that sends queued commands shortly after a put.

    Output after a pause goes out ``delay`` after its first put, so a lone ``put_text`` before a
    long computation shows at once. Output that keeps coming (a loop of ``put_*`` calls) goes
    out in fewer, larger batches: when the first put after a flush follows it within the wait
    that flush had, the next wait doubles, up to ``max_delay`` (ipykernel sends ``print()``
    text every 200 ms). Each batch costs the browser a layout of everything it shows, so a long
    loop sent in a dozen batches reaches the screen sooner than in a few hundred.
    """

    delay = 0.004
    max_delay = 0.1

    def __init__(self) -> None:
        self._due: dict[Flushable, float] = {}
        self._wake = threading.Condition(threading.Lock())
        self._thread: threading.Thread | None = None

    def request(self, session: Flushable) -> None:
        """Flush ``session`` after its current wait (see :meth:`Session.next_flush_wait`)."""
        now = time.monotonic()
        due = now + session.next_flush_wait(now, self.delay, self.max_delay)
        with self._wake:
            self._due[session] = min(due, self._due.get(session, due))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="pywebio_nb-flusher", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            # One expression: no local of this frame keeps a flushed session (a closed one too)
            # alive while the thread waits for the next flush.
            _flush_sessions(self._take_due())

    def _take_due(self) -> list[Flushable]:
        """Wait until a session's flush is due, and take the due sessions off the schedule."""
        with self._wake:
            while True:
                now = time.monotonic()
                ready = [session for session, due in self._due.items() if due <= now]
                if ready:
                    for session in ready:
                        del self._due[session]
                    return ready
                soonest = min(self._due.values(), default=None)
                self._wake.wait(None if soonest is None else soonest - now)


def _flush_sessions(sessions: list[Flushable]) -> None:
    for session in sessions:
        try:
            session.flush()
        except Exception:  # a broken transport must not stop other sessions' output
            session.log_exception("flushing output failed")


_flusher = _Flusher()


flusher = _Flusher()
