"""A scripted notebook frontend: a real kernel driven by jupyter_client.

It reads IOPub like JupyterLab's widget manager does for pywebio_nb's widgets: each RootWidget's
comm is replayed into a :class:`pywebio_nb._hosts.fake.Mirror`, so tests assert on what a
browser would show in each cell, and it can click buttons by sending the same custom messages the
renderer sends.
"""

from __future__ import annotations

import contextlib
import json
import queue
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import KernelManager

from pywebio_nb._hosts.fake import Mirror, find_nodes
from tests.kernel.kernel_harness import close_kernel

WIDGET_ID = "pywebio_nb._hosts.notebook.widget.RootWidget"


@dataclass
class Cell:
    """What one execute_request produced."""

    msg_id: str
    reply: dict[str, Any] | None = None
    roots: list[str] = field(default_factory=list)  # comm ids displayed by this cell
    streams: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    idle: bool = False  # the kernel published "idle" for this request


class Frontend:
    """One kernel and the state a notebook page would derive from its messages."""

    def __init__(self, python: str | None = None, cwd: str | None = None) -> None:
        self.km = KernelManager()
        # An explicit argv: the kernel runs on the given interpreter (one of the kernel matrix).
        self.km._kernel_spec = KernelSpec(
            argv=[python or sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="pywebio_nb test kernel",
            language="python",
        )
        self.km.start_kernel(cwd=cwd, env=_env())
        self.kernel_pid: int | None = getattr(self.km.provisioner, "pid", None)
        self.client = self.km.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)
        self.mirrors: dict[str, Mirror] = {}
        self.model_to_comm: dict[str, str] = {}
        self.cells: dict[str, Cell] = {}
        self.log: list[dict[str, Any]] = []
        #: What the "page" answers to ``eval_js``, by expression (anything else: null).
        self.js_answers: dict[str, Any] = {}
        #: Every ``eval_js`` request received, in order.
        self.js_requests: list[dict[str, Any]] = []

    def close(self) -> None:
        """Stop the channels and the kernel; bounded, killing the kernel when it overruns."""
        close_kernel(self.client, self.km, self.kernel_pid)

    # -- running code -------------------------------------------------------------------------

    def execute(
        self, code: str, cell_id: str | None = None, wait: bool = True, timeout: float = 30
    ) -> Cell:
        content = {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        msg = self.client.session.msg("execute_request", content)
        if cell_id:
            msg["metadata"]["cellId"] = cell_id
        self.client.shell_channel.send(msg)
        cell = Cell(msg["header"]["msg_id"])
        self.cells[cell.msg_id] = cell
        if wait:
            self.wait_idle(cell, timeout)
        return cell

    def wait_idle(self, cell: Cell, timeout: float = 30) -> Cell:
        deadline = time.monotonic() + timeout
        idle = False
        while not (idle and cell.reply is not None):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"cell {cell.msg_id} did not finish; log tail: {self.log[-5:]}")
            idle = cell.idle or self.pump(min(remaining, 0.5), until_idle_of=cell.msg_id) or idle
            while cell.reply is None:
                try:
                    reply = self.client.get_shell_msg(timeout=0.05)
                except queue.Empty:
                    break
                parent = reply["parent_header"].get("msg_id")
                if parent in self.cells:
                    self.cells[parent].reply = reply["content"]
        if cell.reply.get("status") == "error":  # type: ignore[union-attr]
            cell.errors.append(cell.reply)  # type: ignore[arg-type]
        return cell

    def pump(self, timeout: float = 0.2, until_idle_of: str | None = None) -> bool:
        """Process IOPub messages for up to ``timeout``; True if ``until_idle_of`` went idle."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                msg = self.client.get_iopub_msg(timeout=max(remaining, 0.01))
            except queue.Empty:
                return False
            self.handle(msg)
            if (
                until_idle_of
                and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"
                and msg["parent_header"].get("msg_id") == until_idle_of
            ):
                return True
            if remaining <= 0:
                return False

    def handle(self, msg: dict[str, Any]) -> None:
        self.log.append(msg)
        kind, content = msg["msg_type"], msg["content"]
        cell = self.cells.get(msg["parent_header"].get("msg_id", ""))
        if cell is not None and kind == "status" and content["execution_state"] == "idle":
            cell.idle = True
        if kind == "comm_open":
            state = content["data"].get("state", {})
            if state.get("_anywidget_id") == WIDGET_ID:
                self.mirrors[content["comm_id"]] = Mirror(json.loads(state["_snapshot"]))
        elif kind == "comm_msg":
            comm_id = content["comm_id"]
            mirror = self.mirrors.get(comm_id)
            data = content["data"]
            if mirror is None:
                return
            if data.get("method") == "update" and "_snapshot" in data.get("state", {}):
                snapshot = json.loads(data["state"]["_snapshot"])
                if snapshot["seq"] > mirror.seq:
                    mirror.reset(snapshot)
            elif data.get("method") == "custom":
                body = data["content"]
                if body.get("kind") == "batch":
                    mirror.apply(body["seq"], json.loads(bytes(msg["buffers"][0])))
                elif body.get("kind") == "resync":
                    mirror.reset(json.loads(bytes(msg["buffers"][0])))
                elif body.get("kind") == "eval_js":  # answered like widget.ts does
                    self.js_requests.append(body)
                    value = self.js_answers.get(body.get("expression"))
                    self.send_custom(
                        comm_id, {"kind": "js_result", "id": body["id"], "value": value}
                    )
        elif kind == "comm_close":
            self.mirrors.pop(content["comm_id"], None)
        elif kind == "display_data" and cell is not None:
            view = content["data"].get("application/vnd.jupyter.widget-view+json")
            if view and view["model_id"] in self.mirrors:
                cell.roots.append(view["model_id"])
        elif kind == "stream" and cell is not None:
            cell.streams.append(content["text"])
        elif kind == "error" and cell is not None:
            cell.errors.append(content)

    # -- acting like the browser ----------------------------------------------------------------

    def send_custom(self, comm_id: str, content: dict[str, Any]) -> None:
        msg = self.client.session.msg(
            "comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": content}}
        )
        self.client.shell_channel.send(msg)

    def send_input(
        self, comm_id: str, node_id: int, buffers: list[bytes] | None = None, **content: Any
    ) -> None:
        """Send a form or pin event (``{"kind": "input"}``), as js/src/forms/*.ts does."""
        msg = self.client.session.msg(
            "comm_msg",
            {
                "comm_id": comm_id,
                "data": {
                    "method": "custom",
                    "content": {"kind": "input", "id": node_id, **content},
                },
            },
        )
        if buffers:
            msg["buffers"] = buffers
        self.client.shell_channel.send(msg)

    def wait_for(self, predicate: Any, timeout: float = 30, what: str = "a condition") -> Any:
        """Read IOPub until ``predicate()`` returns something truthy; return it."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                found = predicate()
            except (KeyError, IndexError, StopIteration):
                found = None
            if found:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}; log tail: {self.log[-5:]}")
            # one message at a time, so the wait ends as soon as the state is reached
            with contextlib.suppress(queue.Empty):
                self.handle(self.client.get_iopub_msg(timeout=0.05))

    def form(self, cell: Cell, timeout: float = 30) -> tuple[str, dict[str, Any]]:
        """Wait until ``cell`` shows a form; return its root comm id and the form node."""

        def shown() -> tuple[str, dict[str, Any]] | None:
            for comm_id in cell.roots:
                forms = self.nodes(comm_id, "form")
                if forms:
                    return comm_id, forms[-1]
            return None

        found: tuple[str, dict[str, Any]] = self.wait_for(shown, timeout, "a form")
        return found

    def submit(self, cell: Cell, values: dict[str, Any]) -> None:
        """Submit the form shown by ``cell`` with raw browser values."""
        comm_id, form = self.form(cell)
        self.send_input(comm_id, form["id"], event="submit", values=values)

    def field(self, cell: Cell, name: str) -> dict[str, Any]:
        """A field of the form that ``cell`` shows, as the browser has it now."""
        _, form = self.form(cell)
        return next(field for field in form["fields"] if field.get("name") == name)

    def buttons(self, comm_id: str) -> list[dict[str, Any]]:
        """Every buttons node shown by a root, in document order."""
        return self.nodes(comm_id, "buttons")

    def click(self, comm_id: str, callback_id: int, value: Any = None, settle: float = 1.0) -> None:
        """Click, then read IOPub until the kernel is quiet again."""
        self.send_custom(comm_id, {"kind": "callback", "cb": callback_id, "value": value})
        self.settle(settle)

    def settle(self, quiet: float = 0.3, limit: float = 10) -> None:
        """Read IOPub until nothing arrives for ``quiet`` seconds."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                msg = self.client.get_iopub_msg(timeout=quiet)
            except queue.Empty:
                return
            self.handle(msg)

    def texts(self, comm_id: str) -> list[str]:
        return self.mirrors[comm_id].texts()

    def nodes(self, comm_id: str, type_: str) -> list[dict[str, Any]]:
        """Every node of a type shown by a root, in document order."""
        return find_nodes(self.mirrors[comm_id].tree, type=type_)


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (repo, env.get("PYTHONPATH", "")) if p)
    env.pop("JPY_PARENT_PID", None)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env
