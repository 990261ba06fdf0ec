"""The test suite's own bounded teardown (``tests/bounded.py``): stops end in a kill, on time."""

from __future__ import annotations

import subprocess
import threading
import time
import uuid

import pytest

from tests.bounded import (
    TeardownOverrun,
    processes_with_argument,
    read_line,
    run_bounded,
    stop_process,
    watchdog,
)


def stubborn_group(marker: str) -> subprocess.Popen[bytes]:
    """A process group (a shell and its child) that ignores SIGTERM, tagged with ``marker``."""
    script = f'trap "" TERM; (exec -a {marker}-child sleep 600) & echo ready; wait'
    process = subprocess.Popen(
        ["bash", "-c", script, marker], stdout=subprocess.PIPE, start_new_session=True
    )
    assert process.stdout is not None
    assert read_line(process.stdout, timeout=60) == b"ready\n"  # the trap is set
    return process


def test_stop_process_kills_a_group_that_ignores_sigterm() -> None:
    # A marker of this run's own: a test run beside this one has its own stubborn group.
    marker = f"pywebio-nb-stubborn-group-{uuid.uuid4().hex[:12]}"
    process = stubborn_group(marker)
    with pytest.warns(TeardownOverrun, match="ignored SIGTERM"):
        stop_process(process, grace=1)
    assert process.returncode == -9
    # the group's other member is gone too, not only the leader (SIGKILL was sent to the
    # group; a loaded machine may take a moment to let the child exit)
    deadline = time.monotonic() + 10
    while processes_with_argument(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_with_argument(marker) == []


def test_stop_process_is_quiet_for_a_process_that_already_ended() -> None:
    process = subprocess.Popen(["true"], start_new_session=True)
    process.wait(30)
    stop_process(process, grace=1)
    assert process.returncode == 0


def test_run_bounded_kills_an_overrunning_call_and_moves_on() -> None:
    released = threading.Event()
    with pytest.warns(TeardownOverrun, match="a stuck shutdown"):
        finished = run_bounded(
            lambda: released.wait(600), released.set, "a stuck shutdown", seconds=0.5
        )
    assert finished is False
    assert released.is_set()


def test_run_bounded_passes_on_the_error_of_a_call_that_ends_in_time() -> None:
    def broken() -> None:
        raise ValueError("shutdown failed")

    with pytest.raises(ValueError, match="shutdown failed"):
        run_bounded(broken, lambda: None, "a broken shutdown", seconds=30)


def test_watchdog_kills_what_blocks_this_thread() -> None:
    process = subprocess.Popen(["sleep", "600"], start_new_session=True)
    with (
        pytest.warns(TeardownOverrun, match="waiting for sleep"),
        watchdog(process.kill, "waiting for sleep", seconds=0.5) as watch,
    ):
        process.wait(600)
    assert watch.fired
    assert process.returncode == -9


def test_watchdog_stays_quiet_when_the_body_ends_in_time() -> None:
    killed = []
    with watchdog(lambda: killed.append(True), "a quick call", seconds=30) as watch:
        pass
    assert not watch.fired and not killed


def test_read_line_gives_up_on_a_silent_child() -> None:
    process = subprocess.Popen(
        ["bash", "-c", "printf 'half a line'; sleep 600"],
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        assert read_line(process.stdout, timeout=1) == b"half a line"
    finally:
        stop_process(process, grace=1)
