"""Scripted pages and in-process servers for the web-framework hosts (Flask, Django, aiohttp,
FastAPI): one page API over HTTP long polling and over WebSocket, and each framework's real
server on a loopback port with a bounded stop."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import socket
import struct
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from pywebio_nb._hosts.app.framing import frame
from pywebio_nb.input._files import CHUNK_SIZE
from pywebio_nb.platform._adapter import POLL_HEADER, encode_records
from tests.bounded import run_bounded

TEXT, BINARY, CLOSE = 0, 1, 2


def decode(message: str | bytes) -> dict[str, Any]:
    """A message as a dict; a binary frame's payload is under ``"payload"`` (JSON if a batch)."""
    if isinstance(message, bytes):
        (length,) = struct.unpack(">I", message[:4])
        header = json.loads(message[4 : 4 + length])
        payload = message[4 + length :]
        header["payload"] = json.loads(payload) if header.get("kind") == "batch" else payload
        return header
    return json.loads(message)


def decode_answer(body: bytes) -> tuple[int, list[str | bytes | dict[str, Any]]]:
    """A polling answer: the index of its first message, and its messages."""
    (first,) = struct.unpack(">I", body[:4])
    records: list[str | bytes | dict[str, Any]] = []
    offset = 4
    while offset < len(body):
        kind, length = struct.unpack(">BI", body[offset : offset + 5])
        data = body[offset + 5 : offset + 5 + length]
        offset += 5 + length
        if kind == TEXT:
            records.append(data.decode())
        elif kind == BINARY:
            records.append(data)
        else:
            records.append(json.loads(data))
    return first, records


class ScriptedPage:
    """A browser page played by the test: collects messages, answers, clicks, uploads."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.close_code: int | None = None

    def _receive(self, timeout: float) -> list[str | bytes]:
        raise NotImplementedError

    def _send_raw(self, message: str | bytes) -> None:
        raise NotImplementedError

    def until(self, check: Callable[[dict[str, Any]], bool], timeout: float = 15) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for message in self.messages[seen:]:
                if check(message):
                    return message
            seen = len(self.messages)
            left = deadline - time.monotonic()
            if self.close_code is not None or left <= 0:
                state = f"closed ({self.close_code})" if self.close_code else "timed out"
                raise AssertionError(f"{state}; got {self.messages}")
            self.messages.extend(decode(m) for m in self._receive(left))

    def closed(self, timeout: float = 15) -> int:
        deadline = time.monotonic() + timeout
        while self.close_code is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"not closed; got {self.messages}")
            self.messages.extend(decode(m) for m in self._receive(left))
        return self.close_code

    def nodes(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for message in self.messages:
            if message.get("kind") == "snapshot":
                found.extend(message["root"].get("children", []))
            elif message.get("kind") == "batch":
                found.extend(c["node"] for c in message["payload"] if c["op"] == "put")
        return found

    def texts(self) -> list[str]:
        return [n.get("text", "") for n in self.nodes() if n.get("type") in ("text", "link")]

    def wait_text(self, text: str, timeout: float = 15) -> None:
        self.until(lambda _m: text in self.texts(), timeout)

    def wait_node(self, kind: str, timeout: float = 15) -> dict[str, Any]:
        self.until(lambda _m: any(n.get("type") == kind for n in self.nodes()), timeout)
        return [n for n in self.nodes() if n.get("type") == kind][-1]

    def send(self, event: dict[str, Any]) -> None:
        self._send_raw(json.dumps(event))

    def send_frame(self, event: dict[str, Any], payload: bytes) -> None:
        self._send_raw(frame(event, payload))

    def click(self, buttons: dict[str, Any], index: int = 0) -> None:
        """Click a ``put_buttons`` button as the page does."""
        self.send({"kind": "callback", "cb": buttons["cb"], "value": index})

    def submit(self, form: dict[str, Any], values: dict[str, Any]) -> None:
        self.send({"kind": "input", "id": form["id"], "event": "submit", "values": values})

    def upload(self, node_id: int, name: str, data: bytes) -> list[dict[str, Any]]:
        """Send ``data`` as one file of field ``name`` in chunks; returns the field's value."""
        for offset in range(0, max(len(data), 1), CHUNK_SIZE):
            event = {"kind": "input", "id": node_id, "event": "chunk", "name": name}
            event.update(file=0, offset=offset, size=len(data))
            self.send_frame(event, data[offset : offset + CHUNK_SIZE])
        return [{"filename": "f.bin", "size": len(data), "mime_type": "", "last_modified": 0}]


def post(
    url: str,
    op: str,
    params: dict[str, str],
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    """One polling request; returns the status and the body."""
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query.update(params, pywebio_nb=op)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        sent = {POLL_HEADER: "1", "Content-Type": "application/octet-stream", **(headers or {})}
        target = f"{parts.path or '/'}?{urllib.parse.urlencode(query)}"
        # The server may refuse a body before reading it all: its answer is there all the same.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request("POST", target, body, sent)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


class PollPage(ScriptedPage):
    """A page on HTTP long polling (Flask, Django)."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        super().__init__()
        self.url = url
        self.headers = headers or {}
        self.session = ""
        self.received = 0
        self.sent = 0
        self.status, body = post(url, "open", {}, headers=self.headers)
        if self.status == 200:
            self.messages.extend(decode(m) for m in self._take(body))

    def _take(self, body: bytes) -> list[str | bytes]:
        first, records = decode_answer(body)
        out: list[str | bytes] = []
        for index, record in enumerate(records, start=first):
            if index < self.received:
                continue
            self.received = index + 1
            if isinstance(record, dict):
                self.close_code = record["code"]
                break
            if isinstance(record, str) and not self.session:
                message = json.loads(record)
                if message.get("kind") == "hello":
                    self.session = message["session"]
            out.append(record)
        return out

    def _receive(self, timeout: float) -> list[str | bytes]:
        params = {"session": self.session, "ack": str(self.received)}
        try:
            status, body = post(self.url, "poll", params, headers=self.headers, timeout=timeout)
        except TimeoutError:
            return []
        assert status == 200, (status, body)
        return self._take(body)

    def send_records(self, messages: list[str | bytes]) -> int:
        params = {"session": self.session, "seq": str(self.sent)}
        status, _body = post(self.url, "send", params, encode_records(messages), self.headers)
        if status < 300:
            self.sent += len(messages)
        return status

    def _send_raw(self, message: str | bytes) -> None:
        status = self.send_records([message])
        assert status == 204, status


class SocketPage(ScriptedPage):
    """A page on a WebSocket (aiohttp, FastAPI), through the ``websockets`` sync client."""

    def __init__(self, url: str, origin: str | None = None) -> None:
        from websockets.sync.client import connect

        super().__init__()
        ws_url = "ws" + url.removeprefix("http")
        headers = {"Origin": origin} if origin else None
        self._stack = contextlib.ExitStack()
        self.ws = self._stack.enter_context(
            connect(ws_url, additional_headers=headers, max_size=None, open_timeout=15)
        )

    def _receive(self, timeout: float) -> list[str | bytes]:
        from websockets.exceptions import ConnectionClosed

        try:
            return [self.ws.recv(timeout=timeout)]
        except TimeoutError:
            return []
        except ConnectionClosed as closed:
            self.close_code = closed.rcvd.code if closed.rcvd else 1006
            return []

    def _send_raw(self, message: str | bytes) -> None:
        self.ws.send(message)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._stack.close()


def http_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    """A GET; returns the status, the headers (case-insensitive) and the body."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        connection.request("GET", target, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.headers, answer.read()
    finally:
        connection.close()


# -- servers ---------------------------------------------------------------------------------


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def wsgi_server(app: Any) -> Iterator[str]:
    """Serve a WSGI app on a loopback port in threads; yields its URL."""
    server = make_server(
        "127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="wsgi-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        run_bounded(server.shutdown, lambda: None, "stopping the WSGI server")
        server.server_close()


@contextlib.contextmanager
def aiohttp_server(make_app: Callable[[], Any]) -> Iterator[str]:
    """Serve an aiohttp application (made on the server's loop) on a loopback port."""
    from aiohttp import web

    loop = asyncio.new_event_loop()
    ready: list[str] = []
    started = threading.Event()
    runner_box: list[Any] = []

    async def start() -> None:
        runner = web.AppRunner(make_app())
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        ready.append(f"http://127.0.0.1:{port}/")
        runner_box.append(runner)

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="aiohttp-server", daemon=True)
    thread.start()
    started.wait(30)
    try:
        yield ready[0]
    finally:

        def stop() -> None:
            asyncio.run_coroutine_threadsafe(runner_box[0].cleanup(), loop).result(20)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)

        run_bounded(stop, lambda: loop.call_soon_threadsafe(loop.stop), "stopping aiohttp")


@contextlib.contextmanager
def uvicorn_server(app: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a loopback port."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True

        def force() -> None:
            server.force_exit = True

        run_bounded(lambda: thread.join(20), force, "stopping uvicorn")
        sock.close()


def wait_until(check: Callable[[], bool], timeout: float = 30) -> None:
    """Poll a condition (never a fixed sleep as the test's point)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)
