"""Kernel tier: the shell pump lets a cell block until our comm message arrives.

Each test starts a fresh kernel from every python in ``PYWEBIO_NB_KERNEL_PYTHONS``
(see ``.ci/kernel-matrix.sh``) and plays the frontend. The widget is a bare ``comm``
defined in the cell, so nothing else of pywebio_nb is involved.

Every scenario here hangs (and so fails on its timeout) if ``wait_until`` or
``wait_future`` stop serving comm messages, and fails if they reorder cells.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .kernel_harness import (
    Frontend,
    KernelProcess,
    KernelPython,
    Message,
    kernel_pythons,
    plain_traceback,
    running_kernel,
    traceback_frames,
)

pytestmark = pytest.mark.kernel

PRELUDE = """
import asyncio, threading, time
import ipykernel
from comm import create_comm
from pywebio_nb._hosts.notebook._pump import PumpUnavailable, wait_until, wake
from tests.kernel.pump_probe import pump_available, wait_future

def make_comm(tag):
    got, event = [], threading.Event()
    c = create_comm(target_name="pywebio_nb.test", data={"tag": tag})
    def on_msg(msg):
        got.append(msg["content"]["data"])
        event.set()
        wake()
    c.on_msg(on_msg)
    return c, got, event

def ours(c):
    return lambda peek: peek["comm_id"] == c.comm_id

print("PRELUDE", ipykernel.__version__, pump_available(), flush=True)
"""

ROUNDS = 30  # comm round trips per latency measurement


@pytest.fixture(params=kernel_pythons(), ids=lambda kp: f"ipykernel-{kp.label}")
def kernel_python(request: pytest.FixtureRequest) -> KernelPython:
    kp: KernelPython = request.param
    if not os.path.exists(kp.python):
        message = f"kernel python for {kp.label} not found: {kp.python}"
        if kp.from_env and os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return kp


@pytest.fixture
def kernel(
    kernel_python: KernelPython, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[KernelProcess, Frontend]]:
    failed_before = request.session.testsfailed
    with running_kernel(kernel_python.python, tmp_path / "kernel.log") as (process, frontend):
        prelude = frontend.run(PRELUDE)
        version, available = frontend.stdout_of(prelude["parent_header"]["msg_id"]).split()[1:3]
        if kernel_python.from_env:
            assert version == kernel_python.label, "the matrix python runs another ipykernel"
        assert available == "True", f"pump_available() is False on ipykernel {version}"
        yield process, frontend
        if request.session.testsfailed > failed_before:
            print(f"--- kernel log ---\n{process.log()[-4000:]}")


def _report(name: str, label: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    p90 = ms[int(0.9 * (len(ms) - 1))]
    print(
        f"\nLATENCY {name} ipykernel={label} n={len(ms)} "
        f"median={statistics.median(ms):.2f}ms p90={p90:.2f}ms max={ms[-1]:.2f}ms"
    )


def _is_ack(comm_id: str, i: int) -> Callable[[Message], bool]:
    def is_ack(msg: Message) -> bool:
        return bool(
            msg["msg_type"] == "comm_msg"
            and msg["content"]["comm_id"] == comm_id
            and msg["content"]["data"].get("ack") == i
        )

    return is_ack


def _round_trips(frontend: Frontend, comm_id: str) -> list[float]:
    samples = []
    sent = set()
    for i in range(ROUNDS):
        start = time.perf_counter()
        sent.add(frontend.comm_msg(comm_id, {"i": i}))
        ack = frontend.expect("iopub", _is_ack(comm_id, i), 10, f"ack {i}")
        samples.append(ack["_received"] - start)
    # Handled comm messages publish no busy/idle: the cell is still busy.
    statuses = [m for m in frontend.iopub if m["msg_type"] == "status"]
    assert not [m for m in statuses if m["parent_header"].get("msg_id") in sent]
    return samples


def test_comm_message_releases_blocked_cell(
    kernel: tuple[KernelProcess, Frontend], kernel_python: KernelPython
) -> None:
    _, frontend = kernel
    cell = frontend.execute(
        f"""
c, got, event = make_comm("release")
print("READY", flush=True)
released = []
for i in range({ROUNDS}):
    event.clear()
    released.append(wait_until(event.is_set, accept=ours(c), timeout=15))
    c.send({{"ack": i}})
print("RELEASED", released.count(True), got[-1]["i"])
"""
    )
    comm_id = frontend.comm_open("release")
    frontend.stream_line("READY")
    samples = _round_trips(frontend, comm_id)
    assert frontend.finish(cell)["content"]["status"] == "ok"
    assert frontend.stream_line("RELEASED")["parent_header"]["msg_id"] == cell
    assert f"RELEASED {ROUNDS} {ROUNDS - 1}" in frontend.stdout_of(cell)
    _report("sync", kernel_python.label, samples)


def test_handler_on_subshell_thread_wakes_the_wait(
    kernel: tuple[KernelProcess, Frontend], kernel_python: KernelPython
) -> None:
    """JupyterLab >= 4.4 sends widget comms on a subshell (ipykernel 7): wake() then matters."""
    _, frontend = kernel
    features = frontend.client.kernel_info(reply=True, timeout=10)["content"]
    if "kernel subshells" not in features.get("supported_features", []):
        pytest.skip(f"ipykernel {kernel_python.label} has no subshells")
    frontend.client.control_channel.send(frontend.client.session.msg("create_subshell_request"))
    subshell_id = frontend.client.get_control_msg(timeout=10)["content"]["subshell_id"]
    cell = frontend.execute(
        f"""
c, got, event = make_comm("subshell")
threads = set()
def on_msg(msg):
    threads.add(threading.current_thread().name)
    got.append(msg["content"]["data"])
    wake()  # the handler may run on the subshell thread while the main thread waits
c.on_msg(on_msg)
print("READY", flush=True)
released = []
for i in range({ROUNDS}):
    released.append(wait_until(lambda: len(got) > i, accept=ours(c), timeout=15))
    c.send({{"ack": i}})
print("RELEASED", released.count(True), "threads", sorted(threads), flush=True)
"""
    )
    comm_id = frontend.comm_open("subshell")
    frontend.stream_line("READY")
    samples = []
    for i in range(ROUNDS):
        msg = frontend.client.session.msg("comm_msg", {"comm_id": comm_id, "data": {"i": i}})
        msg["header"]["subshell_id"] = subshell_id
        start = time.perf_counter()
        frontend.client.shell_channel.send(msg)
        ack = frontend.expect("iopub", _is_ack(comm_id, i), 10, f"ack {i}")
        samples.append(ack["_received"] - start)
    assert frontend.finish(cell)["content"]["status"] == "ok"
    out = frontend.stdout_of(cell)
    assert f"RELEASED {ROUNDS} threads" in out, out
    print(f"\nSUBSHELL ipykernel={kernel_python.label} handler threads: {out.split('threads')[1]}")
    _report("subshell", kernel_python.label, samples)


def test_queued_cell_runs_after_blocked_cell(kernel: tuple[KernelProcess, Frontend]) -> None:
    _, frontend = kernel
    cell_a = frontend.execute(
        """
c, got, event = make_comm("order")
print("READY", flush=True)
ok = wait_until(event.is_set, accept=ours(c), timeout=20)
time.sleep(0.2)
print("A-AFTER", ok, got, flush=True)
"""
    )
    comm_id = frontend.comm_open("order")
    frontend.stream_line("READY")
    cell_b = frontend.execute('print("B-RAN", flush=True)')
    cell_c = frontend.execute('print("C-RAN", flush=True)')
    # B and C are queued behind A and must not run while A waits.
    queued = {cell_b, cell_c}
    assert frontend.absent("iopub", lambda m: m["parent_header"].get("msg_id") in queued, 0.5)
    frontend.comm_msg(comm_id, {"answer": 42})  # sent after B and C, handled before them
    replies = [frontend.finish(cell) for cell in (cell_a, cell_b, cell_c)]
    assert [r["content"]["status"] for r in replies] == ["ok", "ok", "ok"]
    positions = [frontend.shell.index(r) for r in replies]
    assert positions == sorted(positions), "execute_replies out of order"
    lines = [frontend.stream_line(text) for text in ("A-AFTER", "B-RAN", "C-RAN")]
    a_after = lines[0]
    output_positions = [frontend.iopub_index(m) for m in lines]
    assert output_positions == sorted(output_positions), "cells ran out of order"
    assert "A-AFTER True [{'answer': 42}]" in frontend.stdout_of(cell_a)
    # The output after the wait is parented to cell A, not to the handled comm_msg.
    assert a_after["parent_header"]["msg_id"] == cell_a


def test_interrupt_raises_keyboardinterrupt_in_waiting_cell(
    kernel: tuple[KernelProcess, Frontend], kernel_python: KernelPython
) -> None:
    process, frontend = kernel
    cell = frontend.execute(
        """
c, got, event = make_comm("interrupt")
print("READY", flush=True)
try:
    wait_until(lambda: False, accept=ours(c), timeout=30)
except KeyboardInterrupt:
    print("INTERRUPTED", flush=True)
    raise
"""
    )
    frontend.comm_open("interrupt")
    frontend.stream_line("READY")
    time.sleep(0.3)
    start = time.perf_counter()
    process.interrupt()
    # The wait's own timeout is 30 s: an interrupt that did not work fails these 10 s bounds.
    raised = frontend.stream_line("INTERRUPTED", timeout=10)["_received"] - start
    reply = frontend.reply_to(cell, timeout=10)
    replied = reply["_received"] - start
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    # The traceback the notebook shows starts at the user's line and ends at the waiting
    # call: none of the socket poll's frames (pyzmq) where the signal landed.
    error = frontend.expect(
        "iopub",
        lambda m: m["msg_type"] == "error" and m["parent_header"].get("msg_id") == cell,
        10,
        "the error output of the cell",
    )
    for traceback in (error["content"]["traceback"], reply["content"]["traceback"]):
        frames = traceback_frames(traceback)
        assert frames[0].startswith("Cell In["), frames
        assert "wait_until(lambda: False" in plain_traceback(traceback)
        assert not [f for f in frames if "zmq" in f], frames
        assert frames[-1].endswith(", in wait_until") and "_pump.py" in frames[-1], frames
    print(
        f"\nINTERRUPT ipykernel={kernel_python.label} KeyboardInterrupt in cell after "
        f"{raised * 1000:.0f}ms, error reply after {replied * 1000:.0f}ms"
    )
    # ipykernel 7.0 stops aborting queued cells only when a message it posts to itself
    # after the error reply is handled; a cell sent at once can still be aborted (2 in
    # 40 with a plain `1/0` cell, no pump involved). Give it that moment.
    time.sleep(0.5)
    # The pump restored the kernel: the next cell runs, and can wait and be released again.
    cell_next = frontend.execute(
        """
c2, got2, event2 = make_comm("after-interrupt")
print("READY2", flush=True)
print("NEXT", wait_until(event2.is_set, accept=ours(c2), timeout=15), flush=True)
"""
    )
    try:
        comm_id = frontend.comm_open("after-interrupt")
    except AssertionError:
        raise AssertionError(
            f"next cell did not start: {frontend.reply_to(cell_next, 1)}"
        ) from None
    frontend.stream_line("READY2")
    frontend.comm_msg(comm_id, {"again": True})
    assert frontend.finish(cell_next)["content"]["status"] == "ok"
    frontend.stream_line("NEXT")
    assert "NEXT True" in frontend.stdout_of(cell_next)


def test_second_client_is_answered_and_can_release_the_cell(
    kernel: tuple[KernelProcess, Frontend],
) -> None:
    process, frontend = kernel
    cell = frontend.execute(
        """
c, got, event = make_comm("reconnect")
print("READY", flush=True)
print("A-AFTER", wait_until(event.is_set, accept=ours(c), timeout=20), got, flush=True)
"""
    )
    comm_id = frontend.comm_open("reconnect")
    frontend.stream_line("READY")
    # A reloaded page: a new client. wait_for_ready needs kernel_info_reply (and IOPub).
    start = time.perf_counter()
    second = process.connect(timeout=10)
    kernel_info_s = time.perf_counter() - start
    # A burst, as a reloading page sends it: several requests pending at once.
    info_id = second.send_shell("kernel_info_request", {})
    comm_info_id = second.send_shell("comm_info_request", {"target_name": "pywebio_nb.test"})
    second.comm_msg(comm_id, {"from": "second"})
    assert second.reply_to(info_id, timeout=5)["content"]["status"] == "ok"
    comm_info = second.reply_to(comm_info_id, timeout=5)
    assert comm_id in comm_info["content"]["comms"]
    assert comm_info["content"]["comms"][comm_id]["target_name"] == "pywebio_nb.test"
    assert frontend.finish(cell)["content"]["status"] == "ok"
    frontend.stream_line("A-AFTER")
    assert "A-AFTER True [{'from': 'second'}]" in frontend.stdout_of(cell)
    print(f"\nRECONNECT connect+kernel_info {kernel_info_s * 1000:.0f}ms")


def test_foreign_comm_message_is_deferred_until_after_the_cell(
    kernel: tuple[KernelProcess, Frontend],
) -> None:
    _, frontend = kernel
    cell = frontend.execute(
        """
c, got, event = make_comm("ours")
f, foreign_got, foreign_event = make_comm("foreign")
print("READY", flush=True)
ok = wait_until(event.is_set, accept=ours(c), timeout=20)
print("A-AFTER", ok, "foreign-during-wait", len(foreign_got), flush=True)
"""
    )
    ours_id = frontend.comm_open("ours")
    foreign_id = frontend.comm_open("foreign")
    frontend.stream_line("READY")
    frontend.comm_msg(foreign_id, {"foreign": 1})  # arrives first, yet must wait
    time.sleep(0.2)
    frontend.comm_msg(ours_id, {"ours": 1})
    assert frontend.finish(cell)["content"]["status"] == "ok"
    frontend.stream_line("A-AFTER")
    assert "A-AFTER True foreign-during-wait 0" in frontend.stdout_of(cell)
    later = frontend.execute('print("FOREIGN", foreign_got, flush=True)')
    assert frontend.finish(later)["content"]["status"] == "ok"
    frontend.stream_line("FOREIGN")
    assert "FOREIGN [{'foreign': 1}]" in frontend.stdout_of(later)


def test_await_wait_future_in_top_level_async_cell(
    kernel: tuple[KernelProcess, Frontend], kernel_python: KernelPython
) -> None:
    _, frontend = kernel
    cell = frontend.execute(
        f"""
c, got, event = make_comm("async")
loop = asyncio.get_running_loop()
results = []
print("READY", flush=True)
for i in range({ROUNDS}):
    fut = loop.create_future()
    c.on_msg(lambda msg, fut=fut: loop.call_soon_threadsafe(fut.set_result, msg["content"]["data"]))
    guard = loop.call_later(15, lambda fut=fut: fut.done() or fut.set_exception(TimeoutError()))
    results.append(await wait_future(fut))
    guard.cancel()
    c.send({{"ack": i}})
print("ASYNC", len(results), results[-1], flush=True)
"""
    )
    comm_id = frontend.comm_open("async")
    frontend.stream_line("READY")
    samples = _round_trips(frontend, comm_id)
    assert frontend.finish(cell)["content"]["status"] == "ok"
    assert frontend.stream_line("ASYNC")["parent_header"]["msg_id"] == cell
    assert f"ASYNC {ROUNDS} {{'i': {ROUNDS - 1}}}" in frontend.stdout_of(cell)
    _report("async", kernel_python.label, samples)


def test_nested_and_off_thread_waits_are_refused(kernel: tuple[KernelProcess, Frontend]) -> None:
    _, frontend = kernel
    cell = frontend.execute(
        """
c, got, event = make_comm("nest")
errors = []
def nested(msg):
    try:
        wait_until(lambda: True, accept=lambda peek: False)
    except RuntimeError as err:
        errors.append(str(err))
    event.set()
c.on_msg(nested)
def off_thread():
    try:
        wait_until(lambda: True, accept=lambda peek: False)
    except RuntimeError as err:
        errors.append(str(err))
worker = threading.Thread(target=off_thread)
worker.start()
worker.join()
print("READY", flush=True)
print("A-AFTER", wait_until(event.is_set, accept=ours(c), timeout=20), flush=True)
for e in errors:
    print("ERROR:", e, flush=True)
"""
    )
    comm_id = frontend.comm_open("nest")
    frontend.stream_line("READY")
    frontend.comm_msg(comm_id, {"x": 1})
    assert frontend.finish(cell)["content"]["status"] == "ok"
    frontend.stream_line("A-AFTER")
    out = frontend.stdout_of(cell)
    assert "A-AFTER True" in out
    assert "must run on the kernel's main thread" in out
    assert "Nested waits are not supported" in out


def test_reloaded_page_gets_widget_state_during_wait(
    kernel: tuple[KernelProcess, Frontend],
) -> None:
    process, frontend = kernel
    cell = frontend.execute(
        """
import ipywidgets
slider = ipywidgets.IntSlider(value=7)
c, got, event = make_comm("control")
print("READY", slider.model_id, flush=True)
print("A-AFTER", wait_until(event.is_set, accept=ours(c), timeout=30), flush=True)
"""
    )
    comm_id = frontend.comm_open("control")
    ready = frontend.stream_line("READY")
    model_id = ready["content"]["text"].split()[1]
    # What JupyterLab's widget manager does after a reload.
    second = process.connect(timeout=10)
    control_id = "control-" + model_id
    second.send_shell(
        "comm_open",
        {"comm_id": control_id, "target_name": "jupyter.widget.control", "data": {}},
        metadata={"version": "1.0.0"},  # the widget control protocol version
    )
    second.comm_msg(control_id, {"method": "request_states"})
    states = second.expect(
        "iopub",
        lambda m: (
            m["msg_type"] == "comm_msg"
            and m["content"]["comm_id"] == control_id
            and m["content"]["data"].get("method") == "update_states"
        ),
        10,
        "update_states on the control comm",
    )
    assert states["content"]["data"]["states"][model_id]["state"]["value"] == 7
    second.comm_msg(comm_id, {"done": True})
    assert frontend.finish(cell)["content"]["status"] == "ok"
    assert "A-AFTER True" in frontend.stdout_of(cell)


def test_wait_until_outside_a_kernel_raises_pump_unavailable() -> None:
    from pywebio_nb._hosts.notebook._pump import PumpUnavailable, wait_until
    from tests.kernel.pump_probe import pump_available

    assert pump_available() is False
    with pytest.raises(PumpUnavailable, match="no running IPython kernel"):
        wait_until(lambda: False, accept=lambda peek: True, timeout=0.1)
