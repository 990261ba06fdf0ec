"""A kernel per visitor: start it, run the notebook in it, bridge its dashboard comm to a page.

:class:`VisitorKernel` owns one kernel, started through a kernel manager (jupyter_server's
``MappingKernelManager``, or its gateway manager under ``--gateway-url``: the kernel then runs
wherever the gateway puts it). It runs the kernel side's ``start()``
(``pywebio_nb._hosts.notebook.dashboard``), then the notebook's cells: code cells as
``execute_request``s, Markdown cells as a comm message in their place. It reads the kernel's
IOPub for the dashboard comm only: everything else the kernel publishes (streams, display data,
errors of the cells, which the kernel side already put into the page) stays in the server. The
page sends events only; they reach the kernel as messages of that comm and of no other.

:class:`DashboardKernels` is the set of them for one server: the pool of kernels that already
ran their notebook up to its first wait for a visitor, the cap, and the culling (page gone
longer than ``reconnect_timeout``, idle timeout, stale notebook versions).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import inspect
import json
import logging
import queue
import secrets
import struct
import time
from collections.abc import Callable
from typing import Any, Protocol

from ._notebooks import Notebook

__all__ = ["DashboardKernels", "PageLink", "VisitorKernel"]

log = logging.getLogger("pywebio_nb")
_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
#: The comm the kernel side opens (``pywebio_nb._hosts.notebook.dashboard.COMM_TARGET``; the
#: server imports no host of the kernel's).
COMM_TARGET = "pywebio_nb.dashboard"
_KERNEL_SIDE = "pywebio_nb._hosts.notebook.dashboard"
_BOOT = (
    f"import {_KERNEL_SIDE} as _pywebio_nb_boot\n"
    "_pywebio_nb_boot.start(debug={debug})\n"
    "del _pywebio_nb_boot\n"
)
_COMM_ID = f"__import__({_KERNEL_SIDE!r}, fromlist=['comm_id']).comm_id()"
#: The longest a channel reader waits before it polls again (seconds).
_POLL_S = 1.0
#: How long a kernel may take to start and answer (seconds).
START_TIMEOUT = 120.0


class PageLink(Protocol):
    """The page side of a visitor's kernel: where its frames go."""

    def send(self, message: str | bytes) -> None:
        """Send a text or binary frame to the page."""

    def close(self, code: int, reason: str) -> None:
        """Close the page's connection."""


def _frame(header: dict[str, Any], payload: bytes) -> bytes:
    head = _encode(header).encode()
    return struct.pack(">I", len(head)) + head + payload


def _expression_text(reply: dict[str, Any], name: str) -> str | None:
    """The value of a ``user_expressions`` entry that evaluated to a string."""
    found = (reply.get("user_expressions") or {}).get(name) or {}
    text = (found.get("data") or {}).get("text/plain") if found.get("status") == "ok" else None
    if not isinstance(text, str) or len(text) < 2 or text[0] != text[-1] or text[0] not in "'\"":
        return None
    return text[1:-1]


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


class VisitorKernel:
    """One kernel running one notebook for one visitor (or waiting in the pool for one)."""

    def __init__(self, owner: DashboardKernels, notebook: Notebook) -> None:
        self.owner = owner
        self.notebook = notebook
        #: What a reconnecting page gives back (``?session=``): unguessable.
        self.id = secrets.token_urlsafe(18)
        self.kernel_id: str | None = None
        self.client: Any = None
        self.comm_id: str | None = None
        self.page: PageLink | None = None
        self.user: str | None = None
        self.visited = False
        self.closed = False
        #: The notebook is as far as it goes without a visitor (it waits, or it ran to the end).
        self.ready = asyncio.Event()
        self.failure: str | None = None
        self.last_activity = time.monotonic()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._timer: asyncio.TimerHandle | None = None
        self._boot_id: str | None = None
        self._replies: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._comm_ready = asyncio.Event()
        #: What the kernel last said on IOPub (``msg_type``, state): for diagnosis.
        self.last_iopub: tuple[Any, Any] = (None, None)
        self._visitor: dict[str, Any] = {}
        #: The page the kernel was last asked to greet.
        self._greeted: PageLink | None = None

    # -- starting and running -------------------------------------------------------------

    def start(self) -> None:
        """Start the kernel and run the notebook in the background."""
        self._spawn(self._run())

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _run(self) -> None:
        manager = self.owner.kernel_manager
        try:
            options = self.owner.kernel_options(self.notebook)
            self.kernel_id = await _maybe_await(manager.start_kernel(**options))
            if self.closed:
                return
            kernel_manager = manager.get_kernel(self.kernel_id)
            watch = getattr(kernel_manager, "add_restart_callback", None)
            if watch is not None:  # a local kernel; a gateway's kernels are watched remotely
                watch(self._died, "restart")
                watch(self._died, "dead")
            client = kernel_manager.client()
            self.client = client
            await _maybe_await(client.start_channels())
            await asyncio.wait_for(_maybe_await(client.wait_for_ready()), START_TIMEOUT)
            self._spawn(self._read_iopub())
            self._spawn(self._read_shell())
            boot = _BOOT.format(debug=bool(self.owner.debug))
            # The comm's id comes back in the reply (shell), not only in the comm_open (IOPub,
            # whose first messages a just-connected subscriber may miss).
            self._boot_id = client.execute(
                boot, silent=True, store_history=False, user_expressions={"comm": _COMM_ID}
            )
            reply = await self._reply(self._boot_id)
            found = _expression_text(reply, "comm")
            if reply.get("status") == "ok" and found and self.comm_id is None:
                self.comm_id = found
                self._comm_ready.set()
            if not self._comm_ready.is_set():
                self._fail(
                    "pywebio_nb could not start in the notebook's kernel: "
                    f"{reply.get('ename', '')} {reply.get('evalue', '')}".strip()
                )
                return
            if self.page is not None:
                self._greet_page()  # a visitor waits: show the page before the first cell
            for kind, source in self.notebook.cells:
                if kind == "markdown":
                    # Shown by the kernel in the page, in order with the code cells' output.
                    self.to_kernel({"t": "markdown", "text": source})
                    continue
                msg_id = client.execute(
                    source, silent=False, store_history=True, allow_stdin=False, stop_on_error=True
                )
                reply = await self._reply(msg_id)
                if reply.get("status") != "ok":
                    break
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.warning("pywebio_nb: dashboard kernel for %s failed: %s", self.notebook.path, error)
            self._fail("the dashboard's kernel could not start")
            return
        finally:
            self.ready.set()

    def _died(self) -> None:
        """The kernel process died (the kernel manager restarts it fresh, or gives up)."""
        if not self.closed:
            log.warning("pywebio_nb: the kernel of a %s visitor died", self.notebook.path)
            self._fail("the dashboard's kernel died")

    def _fail(self, reason: str) -> None:
        self.failure = reason
        if self.page is not None:
            self.page.send(_encode({"kind": "ended", "reason": reason}))
            self.page.close(1011, reason[:100])
        self.owner.shutdown(self)

    async def _reply(self, msg_id: str) -> dict[str, Any]:
        future = self._replies[msg_id] = asyncio.get_running_loop().create_future()
        try:
            message = await future
        finally:
            self._replies.pop(msg_id, None)
        content = message.get("content")
        return content if isinstance(content, dict) else {}

    async def _next(self, get: Callable[..., Any]) -> dict[str, Any] | None:
        """The next message of a channel; ``None`` when the client is gone.

        Each poll is bounded (``queue.Empty`` after ``_POLL_S``): the reader polls again instead
        of waiting forever on a wakeup it may have missed, or dying with the exception.
        """
        while not self.closed:
            try:
                # A bounded poll: a ZMQ socket's readiness is edge-triggered, and a wakeup
                # missed under load would otherwise leave a reply unread for good.
                message = await get(timeout=_POLL_S)
            except queue.Empty:
                continue
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if self.closed:
                    return None
                log.warning("pywebio_nb: reading a dashboard kernel's channel failed: %r", error)
                await asyncio.sleep(0.1)
                continue
            if isinstance(message, dict):
                return message
        return None

    async def _read_shell(self) -> None:
        client = self.client
        while not self.closed:
            message = await self._next(client.get_shell_msg)
            if message is None:
                return
            parent = (message.get("parent_header") or {}).get("msg_id")
            future = self._replies.get(parent) if isinstance(parent, str) else None
            if future is not None and not future.done():
                future.set_result(message)

    async def _read_iopub(self) -> None:
        client = self.client
        while not self.closed:
            message = await self._next(client.get_iopub_msg)
            if message is None:
                return
            kind = message.get("msg_type") or (message.get("header") or {}).get("msg_type")
            content = message.get("content") or {}
            self.last_iopub = (kind, content.get("execution_state") or content.get("name"))
            if kind == "comm_msg":
                if self.comm_id is not None and content.get("comm_id") == self.comm_id:
                    self._from_kernel(content.get("data"))
            elif kind == "comm_open":
                parent = (message.get("parent_header") or {}).get("msg_id")
                if (
                    self.comm_id is None
                    and parent is not None
                    and parent == self._boot_id
                    and content.get("target_name") == COMM_TARGET
                ):
                    self.comm_id = content.get("comm_id")
                    self._comm_ready.set()
            elif kind == "comm_close" and content.get("comm_id") == self.comm_id:
                self.owner.shutdown(self, "the dashboard ended")
            # Anything else (streams, display data, execute results, errors, status) is the
            # kernel's business: the kernel side already put what the page shows into it.

    def _from_kernel(self, data: Any) -> None:
        if not isinstance(data, dict):
            return
        kind = data.get("t")
        if kind == "waiting":
            self.ready.set()
            return
        page = self.page
        if page is None:
            return
        if kind == "text" and isinstance(data.get("text"), str):
            page.send(data["text"])
        elif kind == "frame" and isinstance(data.get("header"), dict):
            if isinstance(data.get("text"), str):
                payload = data["text"].encode()
            elif isinstance(data.get("b64"), str):
                payload = base64.b64decode(data["b64"])
            else:
                return
            page.send(_frame(data["header"], payload))

    # -- the page -------------------------------------------------------------------------

    def to_kernel(self, data: dict[str, Any]) -> None:
        """Send a message of the dashboard comm (and of no other) to the kernel."""
        client = self.client
        if client is None or self.comm_id is None or self.closed:
            return
        message = client.session.msg("comm_msg", {"comm_id": self.comm_id, "data": data})
        client.shell_channel.send(message)

    async def attach(self, page: PageLink, info: dict[str, Any], user: str | None) -> bool:
        """Show this kernel's page: wait until the dashboard comm is open, then greet."""
        self.page = page
        self.user = user
        self.visited = True
        self.last_activity = time.monotonic()
        self.owner.cancel_release(self)
        self._visitor = info
        self._greeted = None
        while not self._comm_ready.is_set():
            if self.closed or self.ready.is_set():
                break
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._comm_ready.wait(), 1)
        if not self._comm_ready.is_set() or self.closed or self.page is not page:
            return False
        self._greet_page()
        return True

    def _greet_page(self) -> None:
        """Ask the kernel to greet the attached page (hello, snapshot), once per page."""
        if self.page is None or self._greeted is self.page:
            return
        self._greeted = self.page
        self.to_kernel({"t": "attach", "session": self.id, "info": self._visitor})

    def event(self, event: dict[str, Any], payload: bytes | None) -> None:
        """Forward one checked page event to the kernel."""
        self.last_activity = time.monotonic()
        data: dict[str, Any] = {"t": "event", "event": event}
        if payload is not None:
            data["b64"] = base64.b64encode(payload).decode()
        self.to_kernel(data)

    def detach(self, page: PageLink) -> None:
        """The page went away: stop sending to it."""
        if self.page is page:
            self.page = None
            self.to_kernel({"t": "detach"})

    # -- stopping -------------------------------------------------------------------------

    async def stop(self) -> None:
        """Stop reading, close the channels and shut the kernel down."""
        self.closed = True
        current = asyncio.current_task()
        for task in list(self._tasks):
            if task is not current:
                task.cancel()
        for future in self._replies.values():
            future.cancel()
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.stop_channels()
        if self.kernel_id is not None:
            with contextlib.suppress(Exception):
                await _maybe_await(
                    self.owner.kernel_manager.shutdown_kernel(self.kernel_id, now=True)
                )
        self.client = None


class DashboardKernels:
    """All dashboard kernels of one server: pools, cap, culling.

    Args:
        kernel_manager: a jupyter_server (or jupyter_client) multi-kernel manager.
        kernel_options: the arguments of ``start_kernel`` for a notebook (where it runs).
        pool_size: kernels per notebook started ahead and run up to the first wait.
        max_kernels: most live dashboard kernels (pooled ones included); 0: no cap.
        reconnect_timeout: seconds a kernel outlives its page.
        idle_timeout: seconds without a page event after which a visitor's kernel stops (0: never).
        debug: tracebacks of the notebook's errors shown to visitors.
    """

    def __init__(
        self,
        kernel_manager: Any,
        kernel_options: Callable[[Notebook], dict[str, Any]],
        *,
        pool_size: int = 0,
        max_kernels: int = 0,
        reconnect_timeout: float = 0,
        idle_timeout: float = 0,
        debug: bool = False,
    ) -> None:
        for name, value in (
            ("dashboard_pool_size", pool_size),
            ("max_dashboard_kernels", max_kernels),
            ("reconnect_timeout", reconnect_timeout),
            ("dashboard_idle_timeout", idle_timeout),
        ):
            if value < 0:
                raise ValueError(f"{name}={value!r} must be >= 0")
        self.kernel_manager = kernel_manager
        self.kernel_options = kernel_options
        self.pool_size = pool_size
        self.max_kernels = max_kernels
        self.reconnect_timeout = reconnect_timeout
        self.idle_timeout = idle_timeout
        self.debug = debug
        #: Every live kernel by its visitor id (pooled ones too).
        self.kernels: dict[str, VisitorKernel] = {}
        #: Kernels waiting for a visitor, by notebook path.
        self.pools: dict[str, list[VisitorKernel]] = {}
        self._stopping: set[asyncio.Task[Any]] = set()

    def busy(self, notebook: Notebook) -> bool:
        """Whether a new visitor of ``notebook`` would be turned away (the cap is reached)."""
        pool = [k for k in self.pools.get(notebook.path, ()) if self._fresh(k, notebook)]
        return not pool and 0 < self.max_kernels <= len(self.kernels)

    def _fresh(self, kernel: VisitorKernel, notebook: Notebook) -> bool:
        return kernel.notebook.version == notebook.version and not kernel.closed

    def take(self, notebook: Notebook) -> VisitorKernel | None:
        """A kernel for a new visitor: a pooled one, a new one, or ``None`` at the cap."""
        pool = self.pools.setdefault(notebook.path, [])
        for stale in [k for k in pool if not self._fresh(k, notebook)]:
            self.shutdown(stale)
        kernel = pool.pop(0) if pool else None
        if kernel is None:
            if 0 < self.max_kernels <= len(self.kernels):
                return None
            kernel = self._new(notebook)
        self.fill(notebook)
        return kernel

    def fill(self, notebook: Notebook) -> None:
        """Start pool kernels for ``notebook`` up to ``pool_size`` (within the cap)."""
        pool = self.pools.setdefault(notebook.path, [])
        while len(pool) < self.pool_size and not (0 < self.max_kernels <= len(self.kernels)):
            pool.append(self._new(notebook))

    def _new(self, notebook: Notebook) -> VisitorKernel:
        kernel = VisitorKernel(self, notebook)
        self.kernels[kernel.id] = kernel
        kernel.start()
        return kernel

    def resume(self, visitor_id: str, user: str | None) -> VisitorKernel | None:
        """The kernel of a page that comes back within ``reconnect_timeout``, if any."""
        kernel = self.kernels.get(visitor_id)
        if kernel is None or kernel.closed or not kernel.visited:
            return None
        # The old page may be closing still (its close frame went out, on_close is to come).
        if kernel.page is not None and not getattr(kernel.page, "closed", False):
            return None
        if kernel.user != user:
            return None
        return kernel

    def page_gone(self, kernel: VisitorKernel, page: PageLink) -> None:
        """A visitor's page closed: stop its kernel after ``reconnect_timeout``."""
        kernel.detach(page)
        if kernel.closed or kernel.page is not None:
            return
        if self.reconnect_timeout <= 0:
            self.shutdown(kernel)
            return
        self.cancel_release(kernel)
        loop = asyncio.get_running_loop()
        kernel._timer = loop.call_later(self.reconnect_timeout, self._expire, kernel.id)

    def cancel_release(self, kernel: VisitorKernel) -> None:
        """A page is back: keep the kernel."""
        if kernel._timer is not None:
            kernel._timer.cancel()
            kernel._timer = None
        if self.idle_timeout > 0:
            self._watch_idle(kernel)

    def _expire(self, visitor_id: str) -> None:
        kernel = self.kernels.get(visitor_id)
        if kernel is not None and kernel.page is None:
            self.shutdown(kernel)

    def _watch_idle(self, kernel: VisitorKernel) -> None:
        left = kernel.last_activity + self.idle_timeout - time.monotonic()
        if kernel.closed:
            return
        if left <= 0:
            if kernel.page is not None:
                kernel.page.send(_encode({"kind": "ended", "reason": "idle for too long"}))
                kernel.page.close(1000, "idle for too long")
            self.shutdown(kernel)
            return
        loop = asyncio.get_running_loop()
        kernel._timer = loop.call_later(left, self._watch_idle, kernel)

    def shutdown(self, kernel: VisitorKernel, reason: str = "") -> None:
        """Forget ``kernel`` and shut it down in the background."""
        if self.kernels.pop(kernel.id, None) is None:
            return
        pool = self.pools.get(kernel.notebook.path)
        if pool is not None and kernel in pool:
            pool.remove(kernel)
        if kernel._timer is not None:
            kernel._timer.cancel()
            kernel._timer = None
        page = kernel.page
        kernel.page = None
        if page is not None and reason:
            page.send(_encode({"kind": "ended", "reason": reason}))
            page.close(1000, reason)
        task = asyncio.get_running_loop().create_task(kernel.stop())
        self._stopping.add(task)
        task.add_done_callback(self._stopping.discard)

    async def stop_all(self) -> None:
        """Shut every dashboard kernel down (the server stops)."""
        for kernel in list(self.kernels.values()):
            self.shutdown(kernel)
        if self._stopping:
            await asyncio.wait(list(self._stopping), timeout=30)
