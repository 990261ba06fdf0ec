"""input() and pins in standalone apps (thread and coroutine sessions) over the WebSocket."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import tornado.httpclient
import tornado.web
import tornado.websocket
from webio_client import Page

from pywebio_nb.input import NUMBER, file_upload, input, input_group, select
from pywebio_nb.output import put_text
from pywebio_nb.pin import pin, pin_wait_change, put_input
from pywebio_nb.platform._tornado import webio_handler

pytestmark = pytest.mark.server


class Served:
    def __init__(self, apps: Any) -> None:
        self.handler = webio_handler(apps)
        self.http = tornado.web.Application([(r"/", self.handler)]).listen(0, "127.0.0.1")
        self.port = next(iter(self.http._sockets.values())).getsockname()[1]

    async def open(self) -> Page:
        request = tornado.httpclient.HTTPRequest(f"ws://127.0.0.1:{self.port}/")
        return Page(await tornado.websocket.websocket_connect(request))


@pytest.fixture
def serve() -> Iterator[Callable[[Any], Served]]:
    servers: list[Served] = []

    def start(apps: Any) -> Served:
        servers.append(Served(apps))
        return servers[-1]

    yield start
    for served in servers:
        served.http.stop()


def thread_app() -> None:
    age = input("Age?", type=NUMBER)
    put_text(f"thread got {age + 1}")


async def coroutine_app() -> None:
    age = await input("Age?", type=NUMBER)
    put_text(f"coroutine got {age + 1}")


@pytest.mark.parametrize("app", [thread_app, coroutine_app], ids=["thread", "coroutine"])
async def test_input_in_a_standalone_app(serve: Any, app: Any) -> None:
    page = await serve(app).open()
    await page.until(lambda _m: page.form() is not None)
    form = page.form()
    assert form is not None
    page.send({"kind": "input", "id": form["id"], "event": "submit", "values": {"data": "x"}})
    await page.until(
        lambda m: (
            m.get("kind") == "batch"
            and any(c.get("attrs", {}).get("invalid") for c in m["payload"] if c["op"] == "update")
        )
    )
    page.send({"kind": "input", "id": form["id"], "event": "submit", "values": {"data": "41"}})
    await page.wait_text(f"{app.__name__.split('_')[0]} got 42")


async def test_input_group_and_pins_in_a_coroutine_app(serve: Any) -> None:
    async def main() -> None:
        put_input("who")
        data = await input_group("G", [select("S", [("a", {"x": 1}), ("b", 2)], name="s")])
        put_text(f"group {data}")
        change = await pin_wait_change("who")
        put_text(f"pin {change['value']} {pin.who}")

    page = await serve(main).open()
    await page.until(lambda _m: page.form() is not None)
    form = page.form()
    assert form is not None
    page.send({"kind": "input", "id": form["id"], "event": "submit", "values": {"s": 0}})
    await page.wait_text("group {'s': {'x': 1}}")
    who = next(node for node in page.nodes() if node.get("type") == "pin")
    page.send({"kind": "input", "id": who["id"], "event": "change", "value": "Ada"})
    await page.wait_text("pin Ada Ada")


async def test_an_unawaited_input_in_a_coroutine_app_is_a_coroutine(serve: Any) -> None:
    async def main() -> None:
        question = input("Name?")  # PyWebIO: a coroutine in coroutine sessions
        put_text(f"kind {type(question).__name__}")
        put_text(f"hello {await question}")

    page = await serve(main).open()
    await page.wait_text("kind coroutine")
    await page.until(lambda _m: page.form() is not None)
    form = page.form()
    assert form is not None
    page.send({"kind": "input", "id": form["id"], "event": "submit", "values": {"data": "Ada"}})
    await page.wait_text("hello Ada")


async def test_start_server_receives_uploads_in_binary_frames(serve: Any) -> None:
    def main() -> None:
        files = file_upload("Files", multiple=True)
        for f in files:
            put_text(f"got {f['size']} bytes {hashlib.sha256(f['content']).hexdigest()}")

    page = await serve(main).open()
    await page.until(lambda _m: page.form() is not None)
    form = page.form()
    assert form is not None
    files = [b"small file", bytes(range(256)) * 6000]  # the second is two chunks
    descriptors = page.upload(form["id"], "data", files)
    page.send(
        {"kind": "input", "id": form["id"], "event": "submit", "values": {"data": descriptors}}
    )
    for data in files:
        await page.wait_text(f"got {len(data)} bytes {hashlib.sha256(data).hexdigest()}")
