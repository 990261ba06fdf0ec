"""A real ipykernel driven by jupyter_client, with the test acting as the frontend.

``KernelProcess`` starts a kernel from an explicit python (so one test run can cover
several ipykernel versions), and ``Frontend`` is a ``BlockingKernelClient`` that keeps
every IOPub and shell message it read, in order, so tests can assert on ordering.
Every wait takes a timeout; nothing here can hang a test.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import KernelManager

from tests.bounded import kill_process_group_of, run_bounded

REPO_ROOT = Path(__file__).resolve().parents[2]
KERNEL_PYTHONS_ENV = "PYWEBIO_NB_KERNEL_PYTHONS"

Message = dict[str, Any]


@dataclass(frozen=True)
class KernelPython:
    """One entry of the kernel matrix: a label (the ipykernel version) and a python."""

    label: str
    python: str
    from_env: bool


def kernel_pythons() -> list[KernelPython]:
    """Parse ``PYWEBIO_NB_KERNEL_PYTHONS`` (``version=python;...``), or use this python."""
    raw = os.environ.get(KERNEL_PYTHONS_ENV, "").strip()
    if not raw:
        try:
            from importlib.metadata import version

            label = version("ipykernel")
        except Exception:
            label = "current"
        return [KernelPython(label, sys.executable, from_env=False)]
    pythons = []
    for item in raw.split(";"):
        item = item.strip()
        if not item:
            continue
        label, sep, python = item.partition("=")
        if not sep or not label or not python:
            raise ValueError(f"{KERNEL_PYTHONS_ENV}: expected version=python, got {item!r}")
        pythons.append(KernelPython(label.strip(), python.strip(), from_env=True))
    return pythons


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_FRAME = re.compile(r"^(Cell In\[\d+\], line \d+|File \S+:\d+, in [\w.<>]+)", re.MULTILINE)


def plain_traceback(traceback: list[str]) -> str:
    """An ``error`` message's ``traceback`` (IPython's colored lines) as plain text."""
    return _ANSI.sub("", "\n".join(traceback))


def traceback_frames(traceback: list[str]) -> list[str]:
    """The frame headers of an IPython traceback: ``Cell In[3], line 5``, ``File x.py:9, in f``."""
    return _FRAME.findall(plain_traceback(traceback))


class Frontend:
    """A frontend: one ``BlockingKernelClient`` plus everything it has read."""

    def __init__(self, client: BlockingKernelClient) -> None:
        self.client = client
        self.iopub: list[Message] = []
        self.shell: list[Message] = []

    # -- reading ---------------------------------------------------------------------

    def _read(self, channel: str, deadline: float) -> Message | None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        get = self.client.get_iopub_msg if channel == "iopub" else self.client.get_shell_msg
        try:
            msg: Message = get(timeout=min(remaining, 0.2))
        except queue.Empty:
            return None
        msg["_received"] = time.perf_counter()
        (self.iopub if channel == "iopub" else self.shell).append(msg)
        return msg

    def expect(
        self,
        channel: str,
        predicate: Callable[[Message], bool],
        timeout: float,
        what: str,
        start: int = 0,
    ) -> Message:
        """Return the first message on ``channel`` (from index ``start``) matching."""
        seen = self.iopub if channel == "iopub" else self.shell
        for msg in seen[start:]:
            if predicate(msg):
                return msg
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = self._read(channel, deadline)
            if new is not None and predicate(new):
                return new
        raise AssertionError(f"timed out after {timeout:.1f}s waiting for {what}")

    def absent(self, channel: str, predicate: Callable[[Message], bool], seconds: float) -> bool:
        """Read for ``seconds``; True if no message matching ``predicate`` arrived."""
        try:
            self.expect(channel, predicate, seconds, "absence check")
        except AssertionError:
            return True
        return False

    def reply_to(self, msg_id: str, timeout: float = 30.0) -> Message:
        """The shell reply to the request ``msg_id``."""
        return self.expect(
            "shell",
            lambda m: m["parent_header"].get("msg_id") == msg_id,
            timeout,
            f"the reply to {msg_id}",
        )

    def stream_line(self, text: str, timeout: float = 30.0) -> Message:
        """The first stdout stream message containing ``text``."""
        return self.expect(
            "iopub",
            lambda m: m["msg_type"] == "stream" and text in m["content"]["text"],
            timeout,
            f"stdout containing {text!r}",
        )

    def comm_open(self, tag: str, timeout: float = 30.0) -> str:
        """The comm_id of the kernel-opened comm whose data has ``tag``."""
        msg = self.expect(
            "iopub",
            lambda m: (
                m["msg_type"] == "comm_open" and m["content"].get("data", {}).get("tag") == tag
            ),
            timeout,
            f"comm_open tagged {tag!r}",
        )
        return str(msg["content"]["comm_id"])

    def stdout_of(self, msg_id: str) -> str:
        """All stdout text read so far that is parented to ``msg_id``."""
        return "".join(
            m["content"]["text"]
            for m in self.iopub
            if m["msg_type"] == "stream"
            and m["content"]["name"] == "stdout"
            and m["parent_header"].get("msg_id") == msg_id
        )

    def iopub_index(self, msg: Message) -> int:
        """Position of ``msg`` among the IOPub messages read so far."""
        return next(i for i, m in enumerate(self.iopub) if m is msg)

    # -- sending ---------------------------------------------------------------------

    def execute(self, code: str) -> str:
        """Send an execute_request; returns its msg_id."""
        return str(self.client.execute(code, allow_stdin=False, stop_on_error=True))

    def finish(self, msg_id: str, timeout: float = 30.0) -> Message:
        """Wait for the reply to cell ``msg_id`` and for its idle (all output read)."""
        reply = self.reply_to(msg_id, timeout)
        self.expect(
            "iopub",
            lambda m: (
                m["msg_type"] == "status"
                and m["content"]["execution_state"] == "idle"
                and m["parent_header"].get("msg_id") == msg_id
            ),
            timeout,
            "idle after the cell",
        )
        return reply

    def run(self, code: str, timeout: float = 30.0) -> Message:
        """Execute ``code`` and wait for an ``ok`` reply (stdout is in ``stdout_of``)."""
        msg_id = self.execute(code)
        reply = self.finish(msg_id, timeout)
        assert reply["content"]["status"] == "ok", (reply["content"], self.stdout_of(msg_id))
        return reply

    def send_shell(
        self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None
    ) -> str:
        """Send any shell request; returns its msg_id."""
        msg = self.client.session.msg(msg_type, content, metadata=metadata)
        self.client.shell_channel.send(msg)
        return str(msg["header"]["msg_id"])

    def comm_msg(self, comm_id: str, data: dict[str, Any]) -> str:
        """Send a comm_msg to the kernel-side comm ``comm_id``."""
        return self.send_shell("comm_msg", {"comm_id": comm_id, "data": data})


class KernelProcess:
    """A kernel started from an explicit python, with this repository importable."""

    def __init__(self, python: str, log_path: Path) -> None:
        self.python = python
        self.log_path = log_path
        # IPC transport: no TCP port to race for between kernels started back to back.
        self.manager = KernelManager(transport="ipc", ip=str(log_path.with_suffix("")))
        self.manager._kernel_spec = KernelSpec(  # an explicit argv, no installed kernelspec
            argv=[python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name=f"pump test ({python})",
            language="python",
        )
        self._log_file: Any = None
        self.frontends: list[Frontend] = []

    def start(self, timeout: float = 60.0) -> Frontend:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p
        )
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # quiet debugpy warning on stderr
        self._log_file = open(self.log_path, "wb")  # noqa: SIM115 - closed in shutdown()
        self.manager.start_kernel(env=env, stdout=subprocess.DEVNULL, stderr=self._log_file)
        try:
            return self.connect(timeout)
        except RuntimeError as err:
            raise RuntimeError(f"{err}; kernel log:\n{self.log()[-4000:]}") from err

    def connect(self, timeout: float = 30.0) -> Frontend:
        """A new client (own session id and shell identity), ready to talk."""
        client = self.manager.client(session=self.manager.session.clone())
        client.session.session = str(uuid.uuid4())
        client.start_channels()
        client.wait_for_ready(timeout=timeout)
        frontend = Frontend(client)
        self.frontends.append(frontend)
        return frontend

    def interrupt(self) -> None:
        self.manager.interrupt_kernel()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def shutdown(self) -> None:
        """Stop every client and the kernel; bounded, killing the kernel when it overruns."""
        try:
            close_kernel(
                [frontend.client for frontend in self.frontends],
                self.manager,
                getattr(self.manager.provisioner, "pid", None),
            )
        finally:
            if self._log_file is not None:
                self._log_file.close()


def close_kernel(
    clients: BlockingKernelClient | list[BlockingKernelClient],
    manager: KernelManager,
    pid: int | None,
) -> None:
    """Stop ``clients``' channels and shut the kernel down, within a bounded time.

    jupyter_client's calls block (a channel thread that does not join, a kernel that does
    not exit); past :data:`tests.bounded.TEARDOWN_TIMEOUT_S` the kernel's process group is
    killed and the teardown moves on.
    """
    clients = clients if isinstance(clients, list) else [clients]

    def shutdown() -> None:
        for client in clients:
            client.stop_channels()
        manager.shutdown_kernel(now=True)

    def kill() -> None:
        if pid is not None:
            kill_process_group_of(pid)

    run_bounded(shutdown, kill, f"shutting kernel {pid} down")


@contextmanager
def running_kernel(python: str, log_path: Path) -> Iterator[tuple[KernelProcess, Frontend]]:
    """Start a kernel, yield it with its first frontend, and always shut it down."""
    kernel = KernelProcess(python, log_path)
    try:
        frontend = kernel.start()
        yield kernel, frontend
    finally:
        kernel.shutdown()
