"""The notebook host in a dashboard kernel: a notebook published at ``/webio/<nb>.ipynb``.

The server (``pywebio_nb.platform._dashboards``) starts a kernel per visitor and, before the
notebook's first cell, runs :func:`start` there. From then on the kernel's session is a
:class:`DashboardSession`: the notebook host with one root for the whole notebook (the visitor's
page), sent over one comm (target :data:`COMM_TARGET`) instead of a widget per cell. The page's
events come back on that comm into the core's dispatcher, and ``input()`` blocks its cell exactly
as in a notebook (the shell pump serves this comm while the cell waits). Standard outputs become
page outputs here, in the same document as ``put_*`` calls (so order, ``use_scope``, snapshots
and a reconnecting page all see one tree): ``print()`` text, ``display()`` data (HTML sanitized,
Markdown, PNG/JPEG/SVG, LaTeX and plain text as text), a cell's last value, errors (traceback
only with ``debug``) and the notebook's Markdown cells (sent by the server in their place).

The comm carries JSON only (a kernel gateway's websocket drops binary buffers):

* kernel → server: ``{"t": "text", "text": <a page message>}``, ``{"t": "frame", "header":
  {...}, "text" | "b64": <payload>}`` (a binary page frame), ``{"t": "waiting"}`` (the notebook
  now waits for its visitor: a pooled kernel is as far as it can go).
* server → kernel: ``{"t": "attach", "session": id, "info": {...}}`` (greet a page: hello and
  snapshot), ``{"t": "detach"}``, ``{"t": "event", "event": {...}, "b64": <buffer>?}`` (a page
  event the server let through), ``{"t": "markdown", "text": ...}`` (a Markdown cell).
"""

from __future__ import annotations

import base64
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..._core import context
from ..._core.document import Root
from ..._core.encoding import encode
from ..._core.info import SessionInfo, parse_user_agent
from ..._core.mimebundle import spec_of_bundle
from ..._core.nodes import ErrorBody
from ..._core.protocol import PROTOCOL_VERSION, PageCommand
from ..._core.tracebacks import user_traceback
from ..._core.waiting import Mailbox
from .session import NotebookSession, _adopt_shell_parent

if TYPE_CHECKING:
    from ..._core.host import Host

__all__ = ["COMM_TARGET", "DashboardSession", "comm_id", "show_mimebundle", "start"]

#: The comm a dashboard kernel opens to the server (``platform/_dashboards/_kernels.py``).
COMM_TARGET = "pywebio_nb.dashboard"


class DashboardSession(NotebookSession):
    """The kernel's session while it runs a notebook as a dashboard: one page, one comm."""

    kind = "dashboard"

    def __init__(self, kernel: Any, comm: Any, debug: bool = False) -> None:
        super().__init__(kernel)
        self.debug = debug
        self.comm = comm
        self.comm_ids.add(comm.comm_id)
        self.page = self.new_root(key="page")
        self.page_session: str | None = None
        self.info: SessionInfo | None = None
        self._attached = False
        self._told_waiting = False
        comm.on_msg(self._on_comm_msg)

    # -- one root for the whole notebook --------------------------------------------------

    def cell_root(self, record: Any = None) -> Root:
        """Every cell writes into the page."""
        return self.page

    def task_root(self) -> Root:
        """``'ROOT'`` is the page, from cells, callbacks and threads alike."""
        return self.page

    def _pre_run_cell(self, info: Any = None) -> None:
        """Cells run once, top to bottom: nothing of an earlier cell is discarded."""

    def _post_run_cell(self, result: Any = None) -> None:
        error = getattr(result, "error_before_exec", None) or getattr(result, "error_in_exec", None)
        if isinstance(error, BaseException):
            self.show_error(self.page, error)
        else:
            value = getattr(result, "result", None)
            if value is not None:
                self.show_value(value)
        self.flush()

    def show_error(self, root: Root, error: BaseException) -> None:
        """An error box: the error's name and message; its traceback only with ``debug``."""
        spec: ErrorBody = {"type": "error", "title": f"{type(error).__name__}: {error}"}
        if self.debug:
            spec["traceback"] = user_traceback(error)
        self.put(spec)

    # -- standard outputs -----------------------------------------------------------------

    def show_value(self, value: Any) -> None:
        """Show a cell's last value as Jupyter would: its richest display format."""
        shell = getattr(self.kernel, "shell", None)
        if shell is not None:
            data, _metadata = shell.display_formatter.format(value)
            self.show_mimebundle(data)

    def show_mimebundle(self, data: dict[str, Any]) -> None:
        """Put one display's data into the page (the running scope): the first shown format."""
        spec = spec_of_bundle(data)
        if spec is not None:
            self.put(spec)

    # -- the host interface: to the page --------------------------------------------------

    def deliver(self, root: Root, seq: int, payload: bytes) -> None:
        """Send a batch to the page, if one is attached (else the next snapshot carries it)."""
        if self._attached:
            self._send_frame({"kind": "batch", "v": PROTOCOL_VERSION, "seq": seq}, payload)

    def send_snapshot(self, root: Root, snapshot: str) -> None:
        """Send the page's snapshot (it asked with ``sync``)."""
        if self._attached:
            self._to_server({"t": "text", "text": snapshot})

    def send_page(self, command: PageCommand, payload: bytes | None = None) -> None:
        """Send ``run_js``, ``eval_js``, ``download`` or ``env`` to the page, after the output."""
        if command["kind"] not in ("run_js", "eval_js", "download", "env"):
            self.unsupported(command["kind"], "a dashboard is one page: use links instead")
        text = encode(command)  # NaN and infinities fail here, as in every host
        self.flush()
        if payload is None:
            self._to_server({"t": "text", "text": text})
        else:
            self._send_frame(dict(command), payload)

    def set_env(self, env: dict[str, Any]) -> None:
        """Apply ``set_env()`` values to the page (and to the next page that attaches)."""
        self.env.update(env)
        self.send_page({"kind": "env", "env": env})

    def visitor_info(self) -> SessionInfo:
        """The visitor of the attached page (a pooled kernel learns it when one attaches)."""
        return self.info or SessionInfo(backend="dashboard", protocol="websocket")

    def complain(self, text: str) -> None:
        """Refused events are the server's to log: it let only page events through."""

    def _send_frame(self, header: dict[str, Any], payload: bytes) -> None:
        try:
            self._to_server({"t": "frame", "header": header, "text": payload.decode()})
        except UnicodeDecodeError:
            self._to_server(
                {"t": "frame", "header": header, "b64": base64.b64encode(payload).decode()}
            )

    def _to_server(self, data: dict[str, Any]) -> None:
        try:
            self.comm.send(data)
        except LookupError:
            # ipykernel 7.0-7.3: a thread of ours has no shell parent to publish with.
            if not _adopt_shell_parent(self.kernel, self._cell.parent):
                raise
            self.comm.send(data)

    def _greet(self) -> None:
        """Hello and the snapshot (everything queued folded in); batches follow."""
        with self._send_lock:
            with self.lock:
                self._take_batches()
                self._attached = True
                snapshot = encode(
                    {
                        "kind": "snapshot",
                        "v": PROTOCOL_VERSION,
                        "seq": self.page.seq,
                        "root": self.page.scope.spec,
                    }
                )
            hello = {"kind": "hello", "session": self.page_session, "env": self.env}
            self._to_server({"t": "text", "text": encode(hello)})
            self._to_server({"t": "text", "text": snapshot})

    # -- from the server ------------------------------------------------------------------

    def _on_comm_msg(self, message: dict[str, Any]) -> None:
        data = (message.get("content") or {}).get("data") or {}
        kind = data.get("t")
        if kind == "event":
            event = data.get("event")
            b64 = data.get("b64")
            buffers = [memoryview(base64.b64decode(b64))] if isinstance(b64, str) else []
            self.handle_event(self.page, event, buffers)
        elif kind == "attach":
            session_id = data.get("session")
            self.page_session = session_id if isinstance(session_id, str) else None
            self.info = _visitor_info(data.get("info"))
            self._greet()
        elif kind == "markdown" and isinstance(data.get("text"), str):
            self.put({"type": "markdown", "md": data["text"], "sanitize": True})
        elif kind == "detach":
            with self._send_lock:
                self._attached = False

    # -- waiting --------------------------------------------------------------------------

    def block_until(
        self, ready: Callable[[], bool], mailbox: Mailbox, timeout: float | None
    ) -> bool:
        """Wait as a notebook does; the first wait tells the server the notebook is waiting."""
        __tracebackhide__ = True
        if not self._told_waiting and threading.get_ident() == self.main_thread_id:
            self._told_waiting = True
            self.flush()
            self._to_server({"t": "waiting"})
        return super().block_until(ready, mailbox, timeout)


def _visitor_info(raw: Any) -> SessionInfo | None:
    if not isinstance(raw, dict):
        return None
    text = {key: str(raw.get(key) or "") for key in ("user_agent", "user_language", "user_ip")}
    user = raw.get("user")
    return SessionInfo(
        user_agent=parse_user_agent(text["user_agent"]),
        user_language=text["user_language"],
        server_host=str(raw.get("server_host") or ""),
        origin=str(raw.get("origin") or ""),
        user_ip=text["user_ip"],
        backend="dashboard",
        protocol="websocket",
        request=None,
        user=user if isinstance(user, str) else None,
    )


def show_mimebundle(data: dict[str, Any]) -> None:
    """Put one display's data into the running dashboard's page.

    Example:
        >>> show_mimebundle({"text/markdown": "# Title"})  # doctest: +SKIP
    """
    session = context.default_session()
    if isinstance(session, DashboardSession):
        session.show_mimebundle(data)


class _PageStream:
    """``sys.stdout``/``sys.stderr`` of a dashboard kernel: text goes into the page."""

    def __init__(self, original: Any, name: str, session: DashboardSession) -> None:
        self.original = original
        self.name = name
        self.session = session

    def write(self, text: str) -> int:
        if text:
            try:
                self.session.write_stream(self.session.page, self.name, text)
            except Exception:
                return int(self.original.write(text))
        return len(text)

    def flush(self) -> None:
        """Nothing to do: the session's flusher sends the text."""

    def set_parent(self, parent: Any) -> None:
        """Ipykernel calls this on its streams before each request."""

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.original, name)


def _install_display(shell: Any, session: DashboardSession) -> None:
    """``display()`` (and matplotlib's inline figures) write into the page.

    The kernel's own publisher stays (ipykernel calls its ``set_parent`` before each request);
    only what it does with display data changes.
    """
    publisher = shell.display_pub

    def publish(data: Any, metadata: Any = None, *args: Any, **kwargs: Any) -> None:
        if isinstance(data, dict):
            session.show_mimebundle(data)

    def clear_output(wait: bool = False) -> None:
        """A dashboard's outputs stay: ``clear_output`` has no cell to clear."""

    publisher.publish = publish
    publisher.clear_output = clear_output


def start(debug: bool = False) -> DashboardSession:
    """Make this kernel a dashboard: open the comm and route all output to the page.

    Run by the server, before the notebook's first cell.

    Example:
        >>> start()  # doctest: +SKIP
    """
    from comm import create_comm
    from IPython import get_ipython

    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        raise RuntimeError("a dashboard starts in a kernel started for /webio/<notebook>.ipynb")
    comm = create_comm(target_name=COMM_TARGET, data={"v": PROTOCOL_VERSION})
    session = DashboardSession(kernel, comm, debug=debug)
    context.install_default_session(session)
    _install_display(shell, session)
    sys.stdout = _PageStream(sys.stdout, "stdout", session)
    sys.stderr = _PageStream(sys.stderr, "stderr", session)
    return session


def comm_id() -> str:
    """The id of this kernel's dashboard comm (the server reads it from ``start``'s reply).

    Example:
        >>> comm_id()  # doctest: +SKIP
        'f3b0...'
    """
    session = context.default_session()
    if not isinstance(session, DashboardSession):
        raise RuntimeError("this kernel runs no dashboard")
    return str(session.comm.comm_id)


if TYPE_CHECKING:  # DashboardSession satisfies the host interface (checked by mypy)
    _dashboard_session_is_a_host: type[Host] = DashboardSession
