"""Slow clients: server memory while visitors never read, and after they are cut off.

One ``start_server`` process (``scale/slow_server.py``) runs an app that writes ``--mib`` MiB of
text as fast as it can. ``--clients`` raw sockets on 127.0.0.1 complete the WebSocket handshake
(offering permessage-deflate, as browsers do, with a 4 KiB receive buffer) and then never read.
While they hang there, the server's RSS is sampled from ``/proc`` every 50 ms, and a reading
visitor asks the ``status`` app, again and again, how many ``writer`` sessions are open (how
long the answers take shows whether the server's event loop still serves other visitors). The
server is expected to cut the silent ones off; the script waits (at most ``--cutoff-timeout``
s) until no ``writer`` session is open any more, then closes its sockets and reads:

* **peak** — the highest RSS sampled (and the kernel's ``VmHWM``);
* **cut off** — RSS once the sessions are closed and the sockets gone (1 s later);
* **after gc** — RSS after ``gc.collect()`` in the server; **after trim** — and glibc's
  ``malloc_trim(0)`` (what the allocator keeps but no object uses);
* the ``writer`` sessions still in memory (closed or not) after the cut-off and after gc, the
  server's ``pywebio_nb-*`` threads, and the log lines the server wrote (``Task exception was
  never retrieved``, tracebacks, all lines).

Each repeat starts a fresh server. The table shows the median and the range over the repeats,
and the load average at the start and end (the machine is shared).

    python benchmarks/slow_clients.py                   # 3 clients, 100 MiB, 3 repeats, thread app
    python benchmarks/slow_clients.py --kind coroutine
    python benchmarks/slow_clients.py --repo OTHER_CHECKOUT   # measure another checkout's package
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import tornado.httpclient
import tornado.websocket

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def status_value(pid: int, name: str) -> float:
    """A ``/proc/<pid>/status`` field in MiB (0 when the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def silent_visitor(port: int, app: str) -> socket.socket:
    """A socket that completes the WebSocket handshake and will never read again."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(30)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /?app={app} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            f"Origin: http://127.0.0.1:{port}\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            raise RuntimeError("the server closed the connection during the handshake")
        head += chunk
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(f"handshake refused: {head[:80]!r}")
    return sock


async def server_stats(port: int, how: str, timeout: float = 120) -> dict[str, Any]:
    """The ``status`` / ``gc`` / ``trim`` app's JSON, read by a normal (reading) visitor."""
    request = tornado.httpclient.HTTPRequest(
        f"ws://127.0.0.1:{port}/?app={how}", connect_timeout=timeout, request_timeout=timeout
    )
    ws = await asyncio.wait_for(tornado.websocket.websocket_connect(request), timeout)
    try:
        while True:
            message = await asyncio.wait_for(ws.read_message(), timeout)
            if message is None:
                raise RuntimeError("the status session closed without an answer")
            if isinstance(message, str):
                continue
            (length,) = struct.unpack(">I", message[:4])
            if json.loads(message[4 : 4 + length]).get("kind") != "batch":
                continue
            for command in json.loads(message[4 + length :]):
                text = command.get("node", {}).get("text", "")
                if text.startswith("STATS "):
                    return dict(json.loads(text[6:]))
    finally:
        ws.close()


async def one_run(args: argparse.Namespace, repo: Path) -> dict[str, Any]:
    """A fresh server, silent visitors until they are cut off, then memory and log figures."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(repo), PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, str(HERE / "scale" / "slow_server.py")]
    with tempfile.TemporaryDirectory(prefix="slow-clients-") as workdir:
        log_path = Path(workdir) / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [*command, str(port), str(args.mib), args.kind],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
            try:
                figures = await measure(process, port, args, log_path)
            finally:
                stop(process)
        text = log_path.read_text(errors="replace")
    if args.show_log:
        print(text, flush=True)
    figures.update(
        log_lines=len(text.splitlines()),
        log_tracebacks=text.count("Traceback (most recent call last)"),
        log_task_never_retrieved=text.count("Task exception was never retrieved"),
    )
    return figures


def stop(process: subprocess.Popen[bytes]) -> None:
    """Interrupt the server, then kill it if it does not stop within 10 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


async def measure(
    process: subprocess.Popen[bytes], port: int, args: argparse.Namespace, log_path: Path
) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log_path.read_text()) from None
            await asyncio.sleep(0.1)
    await server_stats(port, "gc")  # warm up: imports, first session
    baseline = (await server_stats(port, "gc"))["rss_mib"]
    started = time.monotonic()
    sockets = [silent_visitor(port, "writer") for _ in range(args.clients)]
    peak, cutoff_s, slowest, unanswered = 0.0, None, 0.0, 0
    poll: asyncio.Task[dict[str, Any]] | None = None
    try:
        while time.monotonic() - started < args.cutoff_timeout:
            peak = max(peak, status_value(process.pid, "VmRSS"))
            if poll is None:
                asked = time.monotonic()
                poll = asyncio.ensure_future(server_stats(port, "status", timeout=10))
            elif poll.done():
                slowest = max(slowest, time.monotonic() - asked)
                try:
                    stats = poll.result()
                except Exception:  # the server did not answer in 10 s: its loop is stuck
                    unanswered += 1
                else:
                    if stats["writer_sessions_open"] == 0:
                        cutoff_s = time.monotonic() - started
                        break
                poll = None
            await asyncio.sleep(0.05)
    finally:
        if poll is not None:
            poll.cancel()
        for sock in sockets:
            sock.close()
    await asyncio.sleep(1.0)
    after_cut = await server_stats(port, "status")
    after_gc = await server_stats(port, "gc")
    after_trim = await server_stats(port, "trim")
    return {
        "baseline_mib": baseline,
        "peak_mib": peak,
        "hwm_mib": status_value(process.pid, "VmHWM"),
        "cutoff_s": cutoff_s,
        "slowest_status_s": slowest,
        "unanswered_status": unanswered,
        "after_cutoff_mib": after_cut["rss_mib"],
        "after_gc_mib": after_gc["rss_mib"],
        "after_trim_mib": after_trim["rss_mib"],
        "sessions_after_cutoff": after_cut["writer_sessions"],
        "sessions_after_gc": after_gc["writer_sessions"],
        "app_threads_after_gc": after_gc["app_threads"],
    }


def summary(runs: list[dict[str, Any]], key: str) -> str:
    values = [r[key] for r in runs if r[key] is not None]
    if not values:
        return "-"
    median = statistics.median(values)
    if isinstance(values[0], float):
        return f"{median:8.1f} ({min(values):.1f}-{max(values):.1f})"
    return f"{median:8g} ({min(values)}-{max(values)})"


ROWS = [
    ("baseline RSS, MiB", "baseline_mib"),
    ("peak RSS (sampled), MiB", "peak_mib"),
    ("peak RSS (VmHWM), MiB", "hwm_mib"),
    ("seconds until cut off", "cutoff_s"),
    ("slowest status answer meanwhile, s", "slowest_status_s"),
    ("status polls unanswered in 10 s", "unanswered_status"),
    ("RSS after cut-off, MiB", "after_cutoff_mib"),
    ("RSS after gc, MiB", "after_gc_mib"),
    ("RSS after gc + malloc_trim, MiB", "after_trim_mib"),
    ("writer sessions in memory after cut-off", "sessions_after_cutoff"),
    ("writer sessions in memory after gc", "sessions_after_gc"),
    ("pywebio_nb threads after gc", "app_threads_after_gc"),
    ("server log lines", "log_lines"),
    ("  tracebacks", "log_tracebacks"),
    ("  'Task exception was never retrieved'", "log_task_never_retrieved"),
]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=3, help="silent visitors (default 3)")
    parser.add_argument("--mib", type=int, default=100, help="MiB the app writes (default 100)")
    parser.add_argument("--kind", choices=("thread", "coroutine"), default="thread")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cutoff-timeout", type=float, default=90.0)
    parser.add_argument("--show-log", action="store_true", help="print each server's log")
    parser.add_argument(
        "--repo", type=Path, default=HERE.parent, help="the checkout whose pywebio_nb runs"
    )
    args = parser.parse_args()
    repo = args.repo.resolve()
    print(f"pywebio_nb from {repo}; {args.clients} clients, {args.mib} MiB, {args.kind} app")
    load_start = load()
    runs = []
    for repeat in range(args.repeats):
        run = await one_run(args, repo)
        print(f"  run {repeat + 1}: {json.dumps(run)}", flush=True)
        runs.append(run)
    load_end = load()
    print(f"\nload average: start {load_start}, end {load_end}")
    print(f"{'':42} median (min-max) over {len(runs)} runs")
    for label, key in ROWS:
        print(f"{label:42} {summary(runs, key)}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"slow_clients-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(
        json.dumps(
            {
                "args": {k: str(v) for k, v in vars(args).items()},
                "load": [load_start, load_end],
                "runs": runs,
            },
            indent=1,
        )
    )
    print(f"written {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    asyncio.run(main())
