"""input() in real kernels, with jupyter_client as the notebook frontend.

Runs on every python of PYWEBIO_NB_KERNEL_PYTHONS (``version=python;...``, see
.ci/kernel-matrix.sh), or on this python when it is unset.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from .frontend import Cell, Frontend
from .kernel_harness import KernelPython, kernel_pythons, plain_traceback, traceback_frames

pytestmark = pytest.mark.kernel

PYTHONS = kernel_pythons()


@pytest.fixture(params=PYTHONS, ids=[p.label for p in PYTHONS], scope="module")
def kernel_python(request: pytest.FixtureRequest) -> KernelPython:
    kp: KernelPython = request.param
    return kp


@pytest.fixture
def fe(kernel_python: KernelPython) -> Iterator[Frontend]:
    frontend = Frontend(python=kernel_python.python)
    try:
        frontend.execute("from pywebio_nb.input import *\nfrom pywebio_nb.output import *")
        yield frontend
    finally:
        frontend.close()


def stdout(cell: Cell) -> str:
    return "".join(cell.streams)


def test_input_blocks_the_cell_and_returns_an_int(fe: Frontend) -> None:
    cell = fe.execute(
        'age = input("How old are you?", type=NUMBER)\nprint("next", age + 1)', wait=False
    )
    comm_id, form = fe.form(cell)
    assert form["fields"][0]["label"] == "How old are you?"
    fe.submit(cell, {"data": "forty"})
    fe.wait_for(lambda: fe.field(cell, "data").get("invalid"), 10, "the field error")
    assert cell.reply is None  # still waiting
    fe.submit(cell, {"data": "41"})
    fe.wait_idle(cell, 10)
    assert cell.reply and cell.reply["status"] == "ok"
    assert "next 42" in stdout(cell)
    assert fe.nodes(comm_id, "form") == []  # the form disappears after submit


def test_await_input_at_top_level(fe: Frontend) -> None:
    cell = fe.execute('name = await input("Name?")\nprint("hello", name)', wait=False)
    fe.submit(cell, {"data": "Ada"})
    fe.wait_idle(cell, 10)
    assert cell.reply and cell.reply["status"] == "ok", cell.errors
    assert "hello Ada" in stdout(cell)


def test_queued_cells_run_after_the_waiting_cell_in_order(fe: Frontend) -> None:
    a = fe.execute('x = input("A?")\nprint("A done", x)', wait=False)
    fe.form(a)
    b = fe.execute('print("B ran, x =", x)', wait=False)
    fe.pump(0.5)
    assert b.streams == [] and b.reply is None  # B stays queued while A waits
    fe.submit(a, {"data": "1"})
    fe.wait_idle(a, 10)
    fe.wait_idle(b, 10)
    assert "A done 1" in stdout(a) and "B ran, x = 1" in stdout(b)
    order = [m["parent_header"].get("msg_id") for m in fe.log if m["msg_type"] == "stream"]
    assert order.index(a.msg_id) < order.index(b.msg_id)


def test_interrupt_raises_keyboardinterrupt_and_disables_the_form(fe: Frontend) -> None:
    cell = fe.execute('answer = 0\nanswer = input("Wait for me")\nprint(answer)', wait=False)
    comm_id, _ = fe.form(cell)
    # The form can show a moment before the cell is waiting for it (it is flushed first); a
    # SIGINT in that moment may land in one of ipykernel 6's hooks, which swallow it.
    fe.pump(0.3)
    fe.km.interrupt_kernel()
    fe.wait_idle(cell, 10)  # the input has no timeout: only the interrupt ends the cell
    assert cell.reply and cell.reply["status"] == "error"
    assert cell.reply["ename"] == "KeyboardInterrupt"
    # A short traceback: the user's line, the input() they called, the pump's raise; the
    # plumbing in between is folded, and nothing of pyzmq, where the signal landed.
    [error] = [e for e in cell.errors if e is not cell.reply]
    frames = traceback_frames(error["traceback"])
    assert re.fullmatch(r"Cell In\[\d+\], line 2", frames[0]), frames
    assert '----> 2 answer = input("Wait for me")' in plain_traceback(error["traceback"])
    assert frames[1].endswith(", in input"), frames
    assert "skipping hidden" in plain_traceback(error["traceback"])
    assert len(frames) == 3 and frames[2].endswith(", in wait_until"), frames
    form = fe.wait_for(lambda: [f for f in fe.nodes(comm_id, "form") if f.get("disabled")], 5)
    assert form[0]["status"] == "interrupted"
    after = fe.execute('print("still alive")')
    assert "still alive" in stdout(after)


def test_bad_input_is_rejected_and_nothing_is_lost(fe: Frontend) -> None:
    cell = fe.execute(
        'r = input_group("G", [select("S", [1, 2], name="s"), input("T", name="t")])\nprint(r)',
        wait=False,
    )
    comm_id, form = fe.form(cell)
    fe.send_input(comm_id, form["id"], event="submit", values={"s": 5, "t": "kept"})
    fe.wait_for(lambda: fe.field(cell, "s").get("invalid"), 10, "the select error")
    fe.send_input(comm_id, form["id"], event="submit", values=["not", "a", "dict"])
    fe.wait_for(lambda: fe.form(cell)[1].get("error"), 10, "the form error")
    fe.send_input(comm_id, form["id"], event="nonsense")
    fe.send_input(comm_id, 987654, event="submit", values={})  # unknown node: ignored
    fe.pump(0.3)
    assert cell.reply is None
    fe.submit(cell, {"s": 1, "t": "kept"})
    fe.wait_idle(cell, 10)
    assert "{'s': 2, 't': 'kept'}" in stdout(cell)


@pytest.mark.parametrize("call", ["input", "await input"])
def test_reloaded_page_gets_the_live_form_and_can_answer(fe: Frontend, call: str) -> None:
    cell = fe.execute(f'v = {call}("Still there?")\nprint("got", v)', wait=False)
    comm_id, form = fe.form(cell)
    # A reload: a second client asks for kernel info and the widget states, as JupyterLab does.
    second = fe.km.client(session=fe.km.session.clone())
    second.session.session = str(uuid.uuid4())  # its own shell identity, like a new page
    second.start_channels()
    try:
        second.wait_for_ready(timeout=10)
        control = "control-reload"
        for msg_type, content in (
            (
                "comm_open",
                {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
            ),
            ("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}),
        ):
            msg = second.session.msg(msg_type, content, metadata={"version": "1.0.0"})
            second.shell_channel.send(msg)
        states = _read_states(second, control)
        import json

        snapshot = json.loads(states[comm_id]["state"]["_snapshot"])
        shown = [n for n in snapshot["root"]["children"] if n["type"] == "form"]
        assert shown and shown[0]["id"] == form["id"] and not shown[0].get("disabled")
        answer = second.session.msg(
            "comm_msg",
            {
                "comm_id": comm_id,
                "data": {
                    "method": "custom",
                    "content": {
                        "kind": "input",
                        "id": form["id"],
                        "event": "submit",
                        "values": {"data": "yes"},
                    },
                },
            },
        )
        second.shell_channel.send(answer)
        fe.wait_idle(cell, 10)
        assert "got yes" in stdout(cell)
    finally:
        second.stop_channels()


def _read_states(client: Any, control: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        msg = client.get_iopub_msg(timeout=10)
        data = msg["content"].get("data", {})
        ours = msg["msg_type"] == "comm_msg" and msg["content"].get("comm_id") == control
        if ours and data.get("method") == "update_states":
            states: dict[str, Any] = data["states"]
            return states
    raise TimeoutError("no update_states")


def test_callback_that_asks_works_when_idle_and_refuses_nesting(fe: Frontend) -> None:
    setup = fe.execute(
        "def ask():\n"
        '    put_text("answer: " + input("From a button"))\n'
        'put_button("Ask", onclick=ask)'
    )
    root = setup.roots[0]
    callback = fe.buttons(root)[0]["cb"]
    fe.send_custom(root, {"kind": "callback", "cb": callback, "value": 0})
    form = fe.wait_for(lambda: fe.nodes(root, "form"), 10, "the callback's form")[0]
    fe.send_input(root, form["id"], event="submit", values={"data": "ok"})
    fe.wait_for(lambda: "answer: ok" in fe.texts(root), 10, "the callback's answer")
    # While a cell waits, a callback that asks gets a clear error in its cell.
    waiting = fe.execute('input("Outer")', wait=False)
    fe.form(waiting)
    fe.send_custom(root, {"kind": "callback", "cb": callback, "value": 0})
    error = fe.wait_for(lambda: fe.nodes(root, "error"), 10, "the nesting error")[0]
    assert "another wait is running" in error["title"]
    fe.submit(waiting, {"data": "done"})
    fe.wait_idle(waiting, 10)
    assert waiting.reply and waiting.reply["status"] == "ok"


def test_unrecognised_kernel_internals_raise_a_clear_error(fe: Frontend) -> None:
    cell = fe.execute(
        "import pywebio_nb._hosts.notebook._pump_compat as compat\n"
        "import pywebio_nb._hosts.notebook._pump as pump\n"
        "def broken():\n"
        "    raise compat.PumpUnavailable('test: the shell stream was not found.')\n"
        "saved = pump.locate_shell\n"
        "pump.locate_shell = broken\n"
        "try:\n"
        '    input("never")\n'
        "finally:\n"
        "    pump.locate_shell = saved\n",
        timeout=10,
    )
    assert cell.reply and cell.reply["ename"] == "PumpUnavailable"
    assert "cannot wait for input in this kernel" in cell.reply["evalue"]


def test_large_file_arrives_in_chunks(fe: Frontend) -> None:
    size = 24 * 1024 * 1024 + 123
    cell = fe.execute(
        'f = file_upload("Data", max_size="30M")\n'
        'print("size", f["size"], len(f["content"]), f["content"][-3:])',
        wait=False,
    )
    comm_id, form = fe.form(cell)
    chunk = 1024 * 1024
    payload = bytes(range(256)) * (chunk // 256)
    offset = 0
    sent: list[int] = []
    while offset < size:
        if len(sent) >= 2:  # like the browser: a window of unacknowledged chunks
            floor = sent.pop(0)
            fe.wait_for(
                lambda floor=floor: fe.field(cell, "data").get("progress", 0) >= floor, 30, "ack"
            )
        part = payload[: min(chunk, size - offset)]
        fe.send_input(
            comm_id,
            form["id"],
            [part],
            event="chunk",
            name="data",
            file=0,
            offset=offset,
            size=size,
        )
        offset += len(part)
        sent.append(offset)
    fe.wait_for(lambda: fe.field(cell, "data").get("progress") == size, 60, "all chunks acked")
    fe.submit(
        cell, {"data": [{"filename": "big.bin", "size": size, "mime_type": "", "last_modified": 0}]}
    )
    fe.wait_idle(cell, 30)
    assert f"size {size} {size}" in stdout(cell)


def _pin(fe: Frontend, comm_id: str, name: str) -> dict[str, Any]:
    return next(node for node in fe.nodes(comm_id, "pin") if node["name"] == name)


def test_pins_are_mirrored_waited_on_and_call_back_into_their_cell(fe: Frontend) -> None:
    setup = fe.execute(
        "from pywebio_nb.pin import *\n"
        'put_input("a", value="x")\n'
        'put_slider("s", value=3)\n'
        'for i in range(150): put_input(f"p{i}", value=str(i))'
    )
    root = setup.roots[0]
    fe.send_input(root, _pin(fe, root, "a")["id"], event="change", value="typed")
    fe.settle(0.3)
    before = len(fe.log)
    read = fe.execute('print(pin.a, pin["s"], sum(int(pin[f"p{i}"]) for i in range(150)))')
    assert "typed 3 11175" in stdout(read)
    # reading 150 pins sent nothing to the browser: no round trips
    assert not [m for m in fe.log[before:] if m["msg_type"] == "comm_msg"]
    waiting = fe.execute('print(pin_wait_change("s", timeout=20))', wait=False)
    fe.pump(0.5)
    fe.send_input(root, _pin(fe, root, "s")["id"], event="change", value=7)
    fe.wait_idle(waiting, 10)
    assert "{'name': 's', 'value': 7}" in stdout(waiting)
    timed_out = fe.execute('print(await pin_wait_change("s", timeout=0.2))')
    assert "None" in stdout(timed_out)
    fe.execute('pin_on_change("a", lambda v: put_text("changed to", v))')
    fe.send_input(root, _pin(fe, root, "a")["id"], event="change", value="again")
    fe.wait_for(lambda: "changed to again" in fe.texts(root), 10, "the callback output")


def test_interrupt_stops_an_awaited_input_too(fe: Frontend) -> None:
    cell = fe.execute('await input("Async wait")', wait=False)
    comm_id, _ = fe.form(cell)
    fe.pump(0.3)
    fe.km.interrupt_kernel()
    fe.wait_idle(cell, 10)  # the input has no timeout: only the interrupt ends the cell
    assert cell.reply and cell.reply["status"] == "error"
    assert cell.reply["ename"] in ("KeyboardInterrupt", "CancelledError")
    fe.wait_for(lambda: [f for f in fe.nodes(comm_id, "form") if f.get("disabled")], 5)
    after = fe.execute('print("alive:", await input("Again?") if False else 1)')
    assert "alive: 1" in stdout(after)


def test_output_sent_by_a_background_thread_arrives(fe: Frontend) -> None:
    cell = fe.execute(
        "import threading, time\n"
        "def later():\n"
        "    time.sleep(0.3)\n"
        '    put_text("from a thread")\n'
        'put_text("first")\n'
        "threading.Thread(target=later).start()"
    )
    root = cell.roots[0]
    fe.wait_for(lambda: "from a thread" in fe.texts(root), 10, "the thread's output")
