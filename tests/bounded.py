"""Bounded teardown: whatever a test started stops within seconds, killed if it must be.

A busy machine makes a graceful stop slower; it must never make a test run hang. Every
fixture that starts something (a server, a kernel, a browser, a subprocess) stops it with
one of these helpers, each bounded by its own timeout and ending in a kill:

* :func:`stop_process`: SIGTERM (to the process group when the process leads one), a grace
  period, then SIGKILL, and the process is reaped.
* :func:`run_bounded`: run a blocking call (a kernel client's shutdown) on a helper thread;
  when it overruns, call a kill and stop waiting for it.
* :func:`watchdog`: for calls that must stay on the calling thread (Playwright's sync API):
  after the bound, a timer thread calls a kill (of the browser process), which makes the
  blocked call fail instead of hang.
* :func:`read_line`: read one line of a child's output, or give up at a deadline.

Example:
    >>> process = subprocess.Popen(["sleep", "60"], start_new_session=True)  # doctest: +SKIP
    >>> stop_process(process)  # doctest: +SKIP
    >>> process.returncode  # doctest: +SKIP
    -15
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

#: Seconds a graceful stop (close a browser context, shut a kernel down, SIGTERM a server)
#: may take before it is cut short with a kill.
TEARDOWN_TIMEOUT_S = float(os.environ.get("PYWEBIO_NB_TEARDOWN_TIMEOUT", "30"))


class TeardownOverrun(UserWarning):
    """A graceful stop overran its bound and was cut short with a kill."""


def stop_process(process: subprocess.Popen[Any], grace: float = 10.0) -> None:
    """Stop ``process`` (and its process group, if it leads one): SIGTERM, wait, SIGKILL.

    The group is killed even when the leader exits in time, so helpers it started in its
    group do not outlive it. Never raises for a process that is already gone.

    Args:
        process: Started with ``start_new_session=True`` to have its group stopped too.
        grace: Seconds for SIGTERM to work, and again for SIGKILL to be reaped.
    """
    leads_group = _leads_group(process.pid)

    def send(sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if leads_group:
                os.killpg(process.pid, sig)
            elif process.poll() is None:
                process.send_signal(sig)

    if process.poll() is None:
        send(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(grace)
        if process.poll() is None:
            warnings.warn(
                TeardownOverrun(f"pid {process.pid} ignored SIGTERM for {grace:.0f} s; killed"),
                stacklevel=2,
            )
    send(signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(grace)


def _leads_group(pid: int) -> bool:
    try:
        return os.getpgid(pid) == pid
    except ProcessLookupError:
        return False


def kill_process_group_of(pid: int) -> None:
    """SIGKILL the process group ``pid`` leads, or just ``pid``; never raises."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if _leads_group(pid):
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)


def run_bounded(
    action: Callable[[], object],
    on_overrun: Callable[[], None],
    what: str,
    seconds: float = TEARDOWN_TIMEOUT_S,
) -> bool:
    """Run ``action`` on a helper thread; if it overruns ``seconds``, call ``on_overrun``.

    ``on_overrun`` is the kill (of a kernel process, say) that makes ``action`` finish; it
    gets a few more seconds, then the helper thread is left behind (it is a daemon).

    Returns:
        True when ``action`` finished in time; False after an overrun (a
        :class:`TeardownOverrun` warning says what was cut short).

    Raises:
        Exception: What ``action`` raised, when it finished in time.
    """
    errors: list[BaseException] = []

    def target() -> None:
        try:
            action()
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=target, name=f"bounded {what}", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        warnings.warn(TeardownOverrun(f"{what} took over {seconds:.0f} s; killed"), stacklevel=2)
        on_overrun()
        thread.join(min(seconds, 10.0))
        return False
    if errors:
        raise errors[0]
    return True


@dataclass
class Watch:
    """What :func:`watchdog` saw: whether the kill fired."""

    fired: bool = False


@contextlib.contextmanager
def watchdog(
    kill: Callable[[], None], what: str, seconds: float = TEARDOWN_TIMEOUT_S
) -> Iterator[Watch]:
    """Call ``kill`` from a timer thread if the body still runs after ``seconds``.

    For blocking calls that must run on this thread. ``kill`` must be thread-safe (send a
    signal; never call back into the blocked API); it should make the blocked call fail,
    which the body then sees as an exception. The body can check ``watch.fired``.
    """
    watch = Watch()

    def fire() -> None:
        watch.fired = True
        warnings.warn(TeardownOverrun(f"{what} took over {seconds:.0f} s; killed"), stacklevel=1)
        kill()

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield watch
    finally:
        timer.cancel()


def read_line(stream: IO[bytes], timeout: float) -> bytes:
    """One line from a child's pipe, or what arrived of it when ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    line = b""
    fd = stream.fileno()
    while not line.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            break
        chunk = os.read(fd, 1)
        if not chunk:
            break
        line += chunk
    return line


def child_processes(parent: int, argument: str) -> list[int]:
    """Pids of the children of ``parent`` whose command line contains ``argument`` (Linux)."""
    return [pid for pid in processes_with_argument(argument) if _parent_of(pid) == parent]


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    return int(stat.rpartition(")")[2].split()[1])


def processes_with_argument(marker: str) -> list[int]:
    """Pids of this machine's processes whose command line contains ``marker`` (Linux)."""
    found = []
    needle = marker.encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if needle in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return found
