"""pywebio_nb.platform.aiohttp and .fastapi against the real frameworks, over WebSocket.

aiohttp runs on its own server (AppRunner) and FastAPI/Starlette under uvicorn, each on a
loopback port, in this process (so a test can see the sessions it started).
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from framework_apps import APPS
from framework_page import SocketPage, aiohttp_server, http_get, uvicorn_server, wait_until
from websockets.exceptions import InvalidStatus

from pywebio_nb.platform import aiohttp as webio_aiohttp
from pywebio_nb.platform import fastapi as webio_fastapi
from pywebio_nb.platform._adapter import WebIOAdapter

pytestmark = pytest.mark.server


def serve_aiohttp(adapter: WebIOAdapter) -> Any:
    from aiohttp import web

    def make() -> web.Application:
        app = web.Application()
        app.add_routes([web.get("/", webio_aiohttp._handler(adapter, None))])
        return app

    return aiohttp_server(make)


def serve_fastapi(adapter: WebIOAdapter) -> Any:
    from fastapi import FastAPI

    app = FastAPI()
    app.mount("/tool", webio_fastapi._application(adapter, None, False))
    return uvicorn_server(app)


FRAMEWORKS: dict[str, tuple[str, Callable[[WebIOAdapter], Any], str]] = {
    "aiohttp": ("aiohttp", serve_aiohttp, ""),
    "fastapi": ("starlette", serve_fastapi, "tool/"),
}


@pytest.fixture(params=sorted(FRAMEWORKS))
def framework(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def adapter_options() -> dict[str, Any]:
    return {}


@pytest.fixture
def adapter(framework: str, adapter_options: dict[str, Any]) -> Iterator[WebIOAdapter]:
    adapter = WebIOAdapter(APPS, backend=FRAMEWORKS[framework][0], **adapter_options)
    yield adapter
    adapter.close_all()  # sessions waiting for a reconnect: no app thread outlives the test


@pytest.fixture
def url(framework: str, adapter: WebIOAdapter) -> Iterator[str]:
    _backend, serve, path = FRAMEWORKS[framework]
    with serve(adapter) as base:
        yield base + path


@pytest.fixture
def open_page(url: str) -> Iterator[Callable[..., SocketPage]]:
    pages: list[SocketPage] = []

    def opener(query: str, origin: str | None = None) -> SocketPage:
        page = SocketPage(url + query, origin)
        pages.append(page)
        return page

    yield opener
    for page in pages:
        page.close()


def test_the_page_get_starts_nothing(adapter: WebIOAdapter, url: str) -> None:
    status, headers, body = http_get(url + "?app=hello")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert b'"transport": "ws"' in body
    mount = urllib.parse.urlsplit(url).path  # assets are asked for under the mount's path
    assert f'src="{mount}?pywebio_nb_asset=page.js"'.encode() in body
    assert not adapter.server.sessions
    status, headers, _ = http_get(url + "?pywebio_nb_asset=page.js")
    assert status == 200 and "javascript" in headers["Content-Type"]
    assert http_get(url + "?app=nosuch")[0] == 404


@pytest.mark.parametrize(("app", "greeting"), [("hello", "thread"), ("ahello", "coroutine")])
def test_a_session_runs_and_a_click_is_answered(
    open_page: Callable[..., SocketPage], app: str, greeting: str
) -> None:
    page = open_page(f"?app={app}")
    page.wait_text(f"hello from a {greeting} app")
    page.click(page.wait_node("buttons"))
    page.wait_text("clicked go")


@pytest.mark.parametrize("app", ["ask", "aask"])
def test_a_form_is_answered(open_page: Callable[..., SocketPage], app: str) -> None:
    page = open_page(f"?app={app}")
    page.submit(page.wait_node("form"), {"data": "Ada"})
    page.wait_text("hello Ada")
    assert page.closed() == 1000


def test_an_upload_arrives(open_page: Callable[..., SocketPage]) -> None:
    page = open_page("?app=upload")
    form = page.wait_node("form")
    data = bytes(range(256)) * 5000  # over one chunk
    page.submit(form, {"data": page.upload(form["id"], "data", data)})
    page.wait_text(f"got {len(data)} bytes {hashlib.sha256(data).hexdigest()}")


def test_session_info_names_the_backend(
    framework: str, open_page: Callable[..., SocketPage]
) -> None:
    page = open_page("?app=info")
    page.wait_text(f"backend {FRAMEWORKS[framework][0]} protocol websocket")


def test_another_origin_is_refused(
    adapter: WebIOAdapter, url: str, open_page: Callable[..., SocketPage]
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        open_page("?app=hello", origin="http://evil.example")
    assert refused.value.response.status_code == 403
    assert not adapter.server.sessions
    scheme, _, host = url.split("/")[:3]
    open_page("?app=hello", origin=f"{scheme}//{host}")  # the page's own origin


@pytest.mark.parametrize("adapter_options", [{"allowed_origins": ["*.friend.example"]}])
def test_allowed_origins_let_one_in(open_page: Callable[..., SocketPage]) -> None:
    page = open_page("?app=hello", origin="http://a.friend.example")
    page.wait_text("hello from a thread app")


@pytest.mark.parametrize("adapter_options", [{"max_payload_size": "4K"}])
def test_a_message_over_max_payload_size_closes_with_1009(
    open_page: Callable[..., SocketPage],
) -> None:
    page = open_page("?app=ask")
    page.wait_node("form")
    page.send({"kind": "sync", "pad": "x" * 8000})
    assert page.closed() == 1009


@pytest.mark.parametrize("adapter_options", [{"reconnect_timeout": 30}])
def test_a_dropped_socket_resumes_its_session(
    adapter: WebIOAdapter, open_page: Callable[..., SocketPage]
) -> None:
    page = open_page("?app=ask")
    hello = page.until(lambda m: m.get("kind") == "hello")
    page.close()
    wait_until(lambda: not adapter.server.sessions[hello["session"]].connected)
    again = open_page(f"?app=ask&session={hello['session']}")
    again.submit(again.wait_node("form"), {"data": "Grace"})
    again.wait_text("hello Grace")


def test_a_malformed_frame_closes_only_its_connection(
    open_page: Callable[..., SocketPage],
) -> None:
    bad, good = open_page("?app=ask"), open_page("?app=ask")
    bad.wait_node("form")
    bad._send_raw(b"\x00\x00\x00\x09{}")  # says 9 header bytes, has 2
    assert bad.closed() == 1007
    good.submit(good.wait_node("form"), {"data": "still here"})
    good.wait_text("hello still here")


def test_resuming_an_unknown_session_is_refused(open_page: Callable[..., SocketPage]) -> None:
    assert open_page("?app=ask&session=made-up").closed() == 4410
