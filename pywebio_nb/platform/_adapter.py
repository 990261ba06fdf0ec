"""The framework-neutral half of the web-framework hosts (Flask, Django, aiohttp, FastAPI).

Each framework module (``flask.py``, ``django.py``, ``aiohttp.py``, ``fastapi.py``) is a thin
transport: it turns its framework's request into a :class:`Request` and hands it to a
:class:`WebIOAdapter`, the only place of these hosts that touches app sessions. The adapter:

* answers a page GET with the HTML page, and the bundled assets (``?pywebio_nb_asset=page.js``);
  a GET never starts an app;
* runs one app session per WebSocket (:meth:`WebIOAdapter.serve_socket`, over a
  :class:`SocketIO` the framework supplies), with reconnect and the payload limit;
* runs one app session per page over HTTP long polling (:meth:`WebIOAdapter.http`, for WSGI
  frameworks), with session expiry, CORS preflight and the payload limit;
* checks the origin of every session request (same host, ``allowed_origins``, ``check_origin``).

HTTP long polling (``transport: "poll"`` in the page's settings, ``js/src/page-poll.ts``). Every
session request is a POST to the page's own URL with the page's query, the operation in
``pywebio_nb=`` and the header ``X-PyWebIO-NB: 1`` (a custom header: another site's form cannot
send it, and a cross-origin script must pass a CORS preflight first):

* ``open``: start the app; the answer is what ``poll`` answers with ``ack=0``;
* ``poll&session=ID&ack=N``: the page has the session's first ``N`` messages; the answer holds
  the messages from ``N`` on, waiting up to :data:`POLL_WAIT` seconds for one;
* ``send&session=ID&seq=N``: the body holds the page's events, the first being its ``N``-th (an
  event sent twice, after a lost answer, is taken once);
* ``close&session=ID``: the page left (``navigator.sendBeacon``, which cannot set the header).

A body in either direction is ``[u32 first index]`` (answers only) followed by records
``[u8 kind][u32 length][bytes]``, big-endian: kind 0 is a text message (UTF-8 JSON), kind 1 a
binary frame exactly as on a WebSocket (``[u32 header length][header JSON][payload]``: batches
and downloads down, upload chunks up), kind 2 the close of the session (``{"code", "reason"}``,
the WebSocket's close code). A session whose page sent nothing for ``session_expire_seconds``
(a waiting poll counts as sending) is closed by a sweep every ``session_cleanup_interval``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import mimetypes
import struct
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from tornado.escape import json_encode

from .._core.info import SessionInfo, parse_user_agent
from .._hosts.app.framing import ProtocolError
from .._hosts.app.session import AppSession
from ._apps import AppRegistry, AppTarget
from ._connection import too_big_reason
from ._tornado import (
    _ASSET,
    STATIC,
    WebIOServer,
    _asset_bytes,
    _boot_parts,
    _loader,
    _script_safe,
    import_map,
)
from ._wire import (
    POLL_HEADER,
    MalformedBody,
    PollChannel,
    QueueConnection,
    Reply,
    Request,
    SocketIO,
    decode_records,
    encode_records,
    free_port,
    missing_framework,
    shared_loop,
)

__all__ = [
    "POLL_HEADER",
    "POLL_WAIT",
    "STATIC",
    "Reply",
    "Request",
    "SocketIO",
    "WebIOAdapter",
    "decode_records",
    "encode_records",
    "free_port",
    "missing_framework",
]

log = logging.getLogger("pywebio_nb")
T = TypeVar("T")

#: Seconds a poll waits for a message before it answers with none.
POLL_WAIT = 20.0
#: PyWebIO's defaults for HTTP sessions.
DEFAULT_EXPIRE = 600.0
DEFAULT_CLEANUP = 300.0


class WebIOAdapter:
    """One mount of apps in a web framework: its options, sessions and transports.

    Args:
        applications: a function, a list of functions or a dict ``{name: function}``.
        backend: ``session.info.backend`` (``"flask"``, ``"django"``, ``"aiohttp"``,
            ``"starlette"``).
        debug: show tracebacks of app errors to visitors.
        reconnect_timeout: seconds a dropped WebSocket may come back to its session.
        allowed_origins: other origins allowed to connect (``fnmatch`` patterns).
        check_origin: ``check_origin(origin) -> bool`` for origins not otherwise allowed.
        max_payload_size: the largest message (WebSocket) or request body (polling) accepted.
        session_expire_seconds: polling: close a session whose page sent nothing for this long.
        session_cleanup_interval: polling: seconds between two sweeps for expired sessions.

    Example:
        >>> adapter = WebIOAdapter(lambda: None, backend="flask")
        >>> adapter.max_payload_size, adapter.session_expire_seconds
        (209715200, 600.0)
    """

    def __init__(
        self,
        applications: Any,
        *,
        backend: str,
        debug: bool = False,
        reconnect_timeout: float = 0,
        allowed_origins: Sequence[str] | None = None,
        check_origin: Callable[[str], bool] | None = None,
        max_payload_size: int | str = "200M",
        session_expire_seconds: float | None = None,
        session_cleanup_interval: float | None = None,
    ) -> None:
        expire = DEFAULT_EXPIRE if session_expire_seconds is None else session_expire_seconds
        cleanup = DEFAULT_CLEANUP if session_cleanup_interval is None else session_cleanup_interval
        if expire <= 0:
            raise ValueError(f"session_expire_seconds={session_expire_seconds!r} must be > 0")
        if cleanup <= 0:
            raise ValueError(f"session_cleanup_interval={session_cleanup_interval!r} must be > 0")
        if check_origin is not None and not callable(check_origin):
            raise TypeError(f"check_origin={check_origin!r} must be a function(origin) -> bool")
        self.server = WebIOServer(
            AppRegistry(applications),
            debug=debug,
            reconnect_timeout=reconnect_timeout,
            max_payload_size=max_payload_size,
            allowed_origins=allowed_origins,
            check_origin=check_origin,
            backend=backend,
        )
        self.backend = backend
        self.session_expire_seconds = float(expire)
        self.session_cleanup_interval = float(cleanup)
        self._channels: dict[str, PollChannel] = {}
        self._sockets: set[QueueConnection] = set()
        self._channels_lock = threading.Lock()
        self._sweeping = False

    @property
    def max_payload_size(self) -> int:
        """The largest message or request body accepted, in bytes."""
        return self.server.max_payload_size

    # -- pages --------------------------------------------------------------------------------

    def page(self, request: Request, transport: str) -> Reply:
        """A GET: an asset (``?pywebio_nb_asset=``), the app's page, or 404. Nothing runs."""
        asset = request.query.get("pywebio_nb_asset")
        if asset is not None:
            return self.asset(asset, "gzip" in request.headers("Accept-Encoding"))
        found = self.server.locate("", request.query.get("app"))
        if not isinstance(found, AppTarget):
            return Reply(404, b"no such app", {"Content-Type": "text/plain; charset=UTF-8"})
        settings = self.server.page_settings(found)
        client = {
            "ws": "",  # the page's own URL, wherever the framework mounted the view
            "transport": transport,
            "reconnect": self.server.reconnect_timeout,
            "debug": self.server.debug,
        }
        boot_js, preload = _boot_parts()

        base = urllib.parse.quote(request.path or "/")

        def asset_url(name: str) -> str:
            return f"{base}?pywebio_nb_asset={name}"

        chunks = import_map(asset_url)
        html = _loader.load("page.html").generate(
            boot_js=_script_safe(boot_js) if transport == "ws" else "",
            preload=preload,
            title=settings["title"],
            description=settings["description"],
            theme=settings["theme"],
            css_file=settings["css_file"],
            js_file=settings["js_file"],
            css_style=_script_safe(settings["css_style"]),
            js_code=_script_safe(settings["js_code"]),
            config_json=json_encode(client),
            import_map=_script_safe(json_encode(chunks)) if chunks else "",
            asset=asset_url,
        )
        headers = {"Content-Type": "text/html; charset=UTF-8", "Cache-Control": "no-store"}
        return Reply(200, html, headers)

    def asset(self, name: str, gzip_ok: bool) -> Reply:
        """One file of the bundled frontend, or 404."""
        file = STATIC / name
        if not _ASSET.match(name) or not file.is_file():
            return Reply(404, b"not found", {"Content-Type": "text/plain; charset=UTF-8"})
        raw, packed = _asset_bytes(name, file.stat().st_mtime_ns)
        headers = {
            "Content-Type": mimetypes.guess_type(name)[0] or "text/plain",
            "Cache-Control": "no-cache",
            "Vary": "Accept-Encoding",
        }
        if gzip_ok:
            headers["Content-Encoding"] = "gzip"
            return Reply(200, packed, headers)
        return Reply(200, raw, headers)

    def origin_allowed(self, request: Request) -> bool:
        """No ``Origin`` (not a browser), the same host, or an allowed origin."""
        origin = request.headers("Origin")
        return not origin or self.server.origin_allowed(origin, request.headers("Host"))

    def visitor_info(self, request: Request, protocol: str) -> SessionInfo:
        """``session.info`` for a session opened by ``request``."""
        language = request.headers("Accept-Language").split(",")[0].split(";")[0].strip()
        return SessionInfo(
            user_agent=parse_user_agent(request.headers("User-Agent")),
            user_language=language,
            server_host=request.headers("Host"),
            origin=request.headers("Origin"),
            user_ip=request.remote_ip,
            backend=self.backend,
            protocol=protocol,
            request=request.native,
        )

    # -- WebSocket ----------------------------------------------------------------------------

    async def serve_socket(self, io: SocketIO, request: Request) -> None:
        """Run one page's session over an accepted WebSocket until it closes.

        ``?session=ID`` resumes a session whose socket dropped less than
        ``reconnect_timeout`` ago; otherwise ``?app=`` names the app to start.
        """
        server = self.server
        connection = QueueConnection(asyncio.get_running_loop(), server.max_pending_size)
        pump = asyncio.ensure_future(connection.pump(io))
        session: AppSession | None = None
        self._sockets.add(connection)
        try:
            resume = request.query.get("session")
            if resume:
                found_session = server.sessions.get(resume)
                if found_session is None or found_session.is_closed or found_session.connected:
                    connection.close(4410, "the session has ended")
                else:
                    session = found_session
                    server._cancel_expiry(session.id)
                    session.attach(connection)
            else:
                target = server.locate("", request.query.get("app"))
                if not isinstance(target, AppTarget):
                    connection.close(4404, "no such app")
                else:
                    session = server.new_session(target, self.visitor_info(request, "websocket"))
                    session.open_page(connection)
            connection.on_cut_off = session.close if session is not None else None
            while session is not None:
                message = await io.receive()
                if message is None or connection.closing:
                    break
                if len(message) > server.max_payload_size:
                    connection.close(1009, too_big_reason(server.max_payload_size))
                    break
                try:
                    session.receive(message)
                except ProtocolError as error:
                    log.warning("pywebio_nb: closing a connection: %s", error)
                    connection.close(error.code, str(error))
                    break
                except Exception:
                    log.exception("pywebio_nb: handling a message failed")
                    connection.close(1011, "internal error")
                    break
        finally:
            if session is not None and not session.is_closed:
                session.detach()
                if server.reconnect_timeout > 0 and not connection.closing:
                    server.close_later(session)
                else:
                    session.close()
            connection.close(1000, "")
            self._sockets.discard(connection)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pump, 5)

    def close_all(self) -> None:
        """Close every session of this mount and its page's connection (a server stopping).

        Example:
            >>> WebIOAdapter(lambda: None, backend="flask").close_all()
        """
        self.close_sockets()
        with self._channels_lock:
            channels = list(self._channels.values())
            self._channels.clear()
        for channel in channels:
            channel.close(1001, "the server is shutting down")
        for session in list(self.server.sessions.values()):
            session.detach()
            session.close()

    def close_sockets(self) -> None:
        """The server stops: close every WebSocket with 1001 (their sessions end).

        Example:
            >>> WebIOAdapter(lambda: None, backend="aiohttp").close_sockets()
        """
        for connection in list(self._sockets):
            connection.close(1001, "the server is shutting down")

    # -- HTTP long polling ---------------------------------------------------------------------

    def http(self, request: Request) -> Reply:
        """Answer one request of a polling view (a WSGI thread; blocks up to POLL_WAIT)."""
        op = request.query.get("pywebio_nb")
        if request.method in ("GET", "HEAD"):
            return self.page(request, "poll")
        if request.method == "OPTIONS":
            return self._preflight(request)
        if request.method != "POST" or op not in ("open", "poll", "send", "close"):
            return Reply(405, b"method not allowed", {"Allow": "GET, POST, OPTIONS"})
        if not self.origin_allowed(request):
            return Reply(403, b"origin not allowed")
        cors = self._cors(request)
        if op != "close" and request.headers(POLL_HEADER) != "1":
            return Reply(400, f"missing header {POLL_HEADER}".encode(), cors)
        length = request.headers("Content-Length")
        if length.isdigit() and int(length) > self.max_payload_size:
            return Reply(413, too_big_reason(self.max_payload_size).encode(), cors)
        body = request.read_body(self.max_payload_size)
        if len(body) > self.max_payload_size:
            return Reply(413, too_big_reason(self.max_payload_size).encode(), cors)
        reply = self._poll_op(op, request, body)
        reply.headers.update(cors)
        return reply

    def _poll_op(self, op: str, request: Request, body: bytes) -> Reply:
        if op == "open":
            channel = PollChannel(self.server.max_pending_size)
            self._ensure_sweep()
            if not self._on_loop(self._open, channel, request):
                channel.close(4404, "no such app")
            # Held even on a one-thread server: the greeting (with the session's id) follows
            # at the app's first flush, milliseconds away, and nothing else of this page can
            # come meanwhile.
            return self._answer(channel, 0, True)
        with self._channels_lock:
            channel_or_none = self._channels.get(request.query.get("session", ""))
        if channel_or_none is None:
            ack = _number(request.query.get("ack")) or 0
            return self._answer(PollChannel.ended(ack), ack, False)
        channel = channel_or_none
        channel.touch()
        if op == "close":
            self._on_loop(self._drop, channel)
            return Reply(204)
        if op == "send":
            seq = _number(request.query.get("seq"))
            try:
                events = decode_records(body)
            except MalformedBody as error:
                self._on_loop(self._refuse, channel, ProtocolError(str(error), 1007))
                return Reply(400, str(error).encode())
            if seq is None:
                return Reply(400, b"seq is missing")
            self._on_loop(self._feed, channel, seq, events)
            return Reply(204)
        return self._answer(channel, _number(request.query.get("ack")) or 0, request.can_hold)

    def _answer(self, channel: PollChannel, ack: int, hold: bool) -> Reply:
        # A server of one thread per process (gunicorn's sync worker) cannot hold a poll: the
        # page's next event would wait for it. There the answer is at once, and the page
        # polls again a moment later.
        first, messages = channel.take(ack, POLL_WAIT if hold else 0.0)
        if channel.drained(first + len(messages)):
            with self._channels_lock:
                if self._channels.get(channel.id) is channel:
                    del self._channels[channel.id]
        body = struct.pack(">I", first) + encode_records(messages)
        return Reply(200, body, {"Content-Type": "application/octet-stream"})

    def _open(self, channel: PollChannel, request: Request) -> bool:
        target = self.server.locate("", request.query.get("app"))
        if not isinstance(target, AppTarget):
            return False
        session = self.server.new_session(target, self.visitor_info(request, "http"))
        channel.session = session
        channel.id = session.id
        channel.on_cut_off = session.close
        with self._channels_lock:
            self._channels[session.id] = channel
        session.open_page(channel)
        return True

    def _feed(self, channel: PollChannel, seq: int, events: list[str | bytes]) -> None:
        session = channel.session
        for index, message in enumerate(events, start=seq):
            if index < channel.received:
                continue  # sent again after a lost answer
            if index > channel.received or session is None or channel.refused:
                return
            channel.received += 1
            if len(message) > self.max_payload_size:
                self._refuse(channel, ProtocolError(too_big_reason(self.max_payload_size), 1009))
                return
            try:
                session.receive(message)
            except ProtocolError as error:
                self._refuse(channel, error)
                return
            except Exception:
                log.exception("pywebio_nb: handling a message failed")
                self._refuse(channel, ProtocolError("internal error", 1011))
                return

    def _refuse(self, channel: PollChannel, error: ProtocolError) -> None:
        log.warning("pywebio_nb: closing a polling session: %s", error)
        channel.refused = True
        channel.close(error.code, str(error))
        if channel.session is not None:
            channel.session.detach()
            channel.session.close()

    def _drop(self, channel: PollChannel) -> None:
        with self._channels_lock:
            self._channels.pop(channel.id, None)
        channel.close(1001, "the page left")
        if channel.session is not None and not channel.session.is_closed:
            channel.session.detach()
            channel.session.close()

    def _ensure_sweep(self) -> None:
        with self._channels_lock:
            if self._sweeping:
                return
            self._sweeping = True
        loop = shared_loop()
        loop.call_soon_threadsafe(loop.call_later, self.session_cleanup_interval, self._sweep, loop)

    def _sweep(self, loop: asyncio.AbstractEventLoop) -> None:
        """Close the sessions whose page sent nothing for ``session_expire_seconds``."""
        now = time.monotonic()
        with self._channels_lock:
            channels = list(self._channels.values())
        for channel in channels:
            if channel.idle_since(now) > self.session_expire_seconds:
                with self._channels_lock:
                    self._channels.pop(channel.id, None)
                channel.close(4410, "the session has expired")
                if channel.session is not None and not channel.session.is_closed:
                    channel.session.detach()
                    channel.session.close()
        loop.call_later(self.session_cleanup_interval, self._sweep, loop)

    def _preflight(self, request: Request) -> Reply:
        if not request.headers("Origin") or not self.origin_allowed(request):
            return Reply(403, b"origin not allowed")
        headers = self._cors(request)
        headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        headers["Access-Control-Allow-Headers"] = f"{POLL_HEADER}, Content-Type"
        headers["Access-Control-Max-Age"] = "600"
        return Reply(204, b"", headers)

    def _cors(self, request: Request) -> dict[str, str]:
        origin = request.headers("Origin")
        if not origin:
            return {}
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}

    @staticmethod
    def _on_loop(func: Callable[..., T], *args: Any) -> T:
        """Run ``func(*args)`` on the sessions' loop thread and return its result."""
        loop = shared_loop()
        done: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                done.set_result(func(*args))
            except BaseException as error:
                done.set_exception(error)

        loop.call_soon_threadsafe(run)
        return done.result()


def _number(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() else None
