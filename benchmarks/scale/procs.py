"""The servers under test, each in its own process: start, measure (/proc), stop.

Memory is USS (``Private_Clean + Private_Dirty`` of ``/proc/<pid>/smaps_rollup``) summed over the
server and its descendants (Voila's kernels); threads come from ``/proc/<pid>/status``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
Family = Literal["nb", "pywebio", "voila", "static"]


@dataclass(frozen=True)
class Target:
    """One server under test: which implementation, and the app kind."""

    key: str
    label: str
    family: Family
    kind: str  # "thread", "coroutine" or "notebook"
    repo: str = ""  # pywebio_nb only: the checkout to import (default: this one)


TARGETS = (
    Target("nb-thread", "pywebio_nb thread", "nb", "thread"),
    Target("nb-coroutine", "pywebio_nb coroutine", "nb", "coroutine"),
    Target("pywebio-thread", "PyWebIO thread", "pywebio", "thread"),
    Target("pywebio-coroutine", "PyWebIO coroutine", "pywebio", "coroutine"),
    Target("voila", "Voila", "voila", "notebook"),
    # The floor: a static page whose HTML already holds the text (Python's http.server).
    Target("static", "static HTML page", "static", "page"),
)


STATIC_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>static</title></head>
<body><p>hello-output</p></body></html>
"""


@dataclass(frozen=True)
class Pythons:
    """The interpreters that run each family (pywebio_nb: this one)."""

    nb: str = sys.executable
    pywebio: str = ""  # empty: benchmarks/.venvs/pywebio184, created on first use
    voila: str = ""  # empty: benchmarks/.venvs/voila, created on first use


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name (field 2) may contain spaces: the ppid follows the last ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    children = _children_map()
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def uss_kib(pid: int) -> int:
    """Private (unique) memory of one process in KiB, 0 if it is gone."""
    total = 0
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total


def _status_value(pid: int, name: str) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return 0


@dataclass
class Sample:
    """Memory and threads of a server's process tree at one moment."""

    uss_mib: float
    rss_mib: float
    threads: int
    processes: int


def sample(pid: int) -> Sample:
    """USS, RSS and threads summed over ``pid`` and its descendants."""
    pids = process_tree(pid)
    return Sample(
        uss_mib=sum(uss_kib(p) for p in pids) / 1024,
        rss_mib=sum(_status_value(p, "VmRSS") for p in pids) / 1024,
        threads=sum(_status_value(p, "Threads") for p in pids),
        processes=len(pids),
    )


@dataclass
class Server:
    """A running server process under test."""

    target: Target
    port: int
    process: subprocess.Popen[bytes]
    workdir: tempfile.TemporaryDirectory[str]
    log_path: Path
    program: str
    seen: set[int] = field(default_factory=set)

    @property
    def page_url(self) -> str:
        """The page a visitor opens."""
        if self.target.family == "voila":
            return f"http://127.0.0.1:{self.port}/"
        if self.target.family == "static":
            return f"http://127.0.0.1:{self.port}/index.html"
        return f"http://127.0.0.1:{self.port}/?app=main"

    def sample(self) -> Sample:
        """Memory and threads of the server (and, for Voila, its kernels)."""
        self.seen.update(process_tree(self.process.pid))
        return sample(self.process.pid)

    def stop(self) -> None:
        """Stop the server and every process it started (kernels included); bounded."""
        self.seen.update(process_tree(self.process.pid))
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(8)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        for pid in sorted(self.seen - {self.process.pid}):
            _kill_if_ours(pid, (self.workdir.name, self.program))
        self.workdir.cleanup()


def _kill_if_ours(pid: int, marks: tuple[str, ...]) -> None:
    """SIGKILL a leftover child (a kernel) if that pid still runs our program or files."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return
    if any(mark in cmdline for mark in marks):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _command(target: Target, port: int, workdir: Path, pythons: Pythons) -> list[str]:
    if target.family == "nb":
        return [pythons.nb, str(HERE / "nb_server.py"), target.kind, str(port)]
    if target.family == "pywebio":
        return [pythons.pywebio, str(HERE / "pywebio_server.py"), target.kind, str(port)]
    if target.family == "static":
        (workdir / "index.html").write_text(STATIC_PAGE)
        return [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    notebook = workdir / "app.ipynb"
    subprocess.run(
        [sys.executable, str(HERE / "voila_notebook.py"), str(notebook)], check=True, timeout=30
    )
    return [
        pythons.voila,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        f"--Voila.root_dir={workdir}",
    ]


def start(target: Target, pythons: Pythons, timeout: float = 60) -> Server:
    """Start ``target`` on a free loopback port and wait until it accepts connections."""
    workdir = tempfile.TemporaryDirectory(prefix=f"server-scale-{target.key}-")
    base = Path(workdir.name)
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = (target.repo or str(ROOT)) if target.family == "nb" else ""
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(base / name.lower())
    log_path = base / "server.log"
    command = _command(target, port, base, pythons)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=base,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(target, port, process, workdir, log_path, command[0])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log_path.read_text(errors="replace")[-2000:]
            server.stop()
            raise RuntimeError(f"{target.label} exited with {process.returncode}:\n{text}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return server
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{target.label} did not listen on port {port} within {timeout} s")
