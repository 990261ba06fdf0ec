"""App sessions behind the plain tornado handler: lifetime, reconnect, the session API."""

from __future__ import annotations

import asyncio
import gc
import json
import re
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tornado.httpclient
import tornado.web
import tornado.websocket
from webio_client import Page

from pywebio_nb.exceptions import SessionClosedException
from pywebio_nb.output import put_buttons, put_text
from pywebio_nb.platform._tornado import webio_handler
from pywebio_nb.session import (
    defer_call,
    download,
    eval_js,
    go_app,
    hold,
    info,
    local,
    register_thread,
    run_async,
    run_js,
    set_env,
)

pytestmark = pytest.mark.server


class Served:
    def __init__(self, apps: Any, **options: Any) -> None:
        self.handler = webio_handler(apps, **options)
        self.webio = self.handler.webio  # type: ignore[attr-defined]
        self.http = tornado.web.Application([(r"/", self.handler)]).listen(0, "127.0.0.1")
        self.port = next(iter(self.http._sockets.values())).getsockname()[1]

    async def open(self, query: str = "", headers: dict[str, str] | None = None) -> Page:
        request = tornado.httpclient.HTTPRequest(
            f"ws://127.0.0.1:{self.port}/{query}", headers=headers or {}
        )
        return Page(await tornado.websocket.websocket_connect(request))

    def stop(self) -> None:
        self.http.stop()


@pytest.fixture
def serve() -> Iterator[Callable[..., Served]]:
    servers: list[Served] = []

    def start(apps: Any, **options: Any) -> Served:
        servers.append(Served(apps, **options))
        return servers[-1]

    yield start
    for served in servers:
        served.stop()


async def eventually(check: Callable[[], bool], timeout: float = 5) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.02)


def app_threads() -> list[threading.Thread]:
    return [
        t
        for t in threading.enumerate()
        if t.name.startswith("pywebio_nb-") and "flusher" not in t.name
    ]


async def test_closing_the_page_wakes_a_waiting_thread_app_and_runs_defer_call(serve: Any) -> None:
    log: list[str] = []

    def main() -> None:
        defer_call(lambda: log.append("deferred"))
        try:
            eval_js("new Promise(() => {})")
        except SessionClosedException:
            log.append("closed")
            raise

    earlier = set(app_threads())
    served = serve(main)
    page = await served.open()
    await page.until(lambda m: m.get("kind") == "eval_js")
    assert set(app_threads()) - earlier
    page.ws.close()
    await eventually(lambda: log == ["closed", "deferred"])
    await eventually(lambda: set(app_threads()) <= earlier and not served.webio.sessions)


async def test_closing_the_page_wakes_a_waiting_coroutine_app_and_leaves_no_task(
    serve: Any,
) -> None:
    log: list[str] = []

    async def main() -> None:
        defer_call(lambda: log.append("deferred"))
        try:
            await eval_js("new Promise(() => {})")
        except SessionClosedException:
            log.append("closed")
            raise

    served = serve(main)
    page = await served.open()
    await page.until(lambda m: m.get("kind") == "eval_js")
    session = next(iter(served.webio.sessions.values()))
    page.ws.close()
    await eventually(lambda: log == ["closed", "deferred"])
    await eventually(lambda: not session.tasks and not served.webio.sessions)


async def test_thread_and_coroutine_apps_send_identical_output(serve: Any) -> None:
    def thread_app() -> None:
        put_text("one")
        put_text(f"js={eval_js('1 + 1')}")

    async def coroutine_app() -> None:
        put_text("one")
        put_text(f"js={await eval_js('1 + 1')}")

    outputs = []
    for app in (thread_app, coroutine_app):
        page = await serve(app).open()
        request = await page.until(lambda m: m.get("kind") == "eval_js")
        page.send({"kind": "js_result", "id": request["id"], "value": 2})
        await page.until(lambda m: m.get("kind") == "ended")
        outputs.append([n for n in page.nodes()])
    assert outputs[0] == outputs[1]
    assert [n["text"] for n in outputs[0]] == ["one", "js=2"]


async def test_a_new_page_gets_its_first_output_inside_the_snapshot(serve: Any) -> None:
    # One message for the first screen: hello and the snapshot wait for the app's first flush.
    async def main() -> None:
        put_text("first screen")
        await hold()

    page = await serve(main).open()
    hello, snapshot = await page.next(), await page.next()
    assert hello is not None and hello["kind"] == "hello"
    assert snapshot is not None and snapshot["kind"] == "snapshot"
    assert [n.get("text") for n in snapshot["root"]["children"]] == ["first screen"]


async def test_a_page_is_greeted_while_its_app_shows_nothing(serve: Any) -> None:
    started = threading.Event()
    release = threading.Event()

    def main() -> None:
        started.set()
        release.wait(10)  # computing, nothing shown yet

    page = await serve(main).open()
    try:
        snapshot = await page.until(lambda m: m.get("kind") == "snapshot")
        assert snapshot["root"]["children"] == [] and started.is_set()
    finally:
        release.set()


async def test_reconnect_resumes_the_session_with_its_output(serve: Any) -> None:
    def main() -> None:
        put_text("before")
        put_buttons(["go"], onclick=lambda _v: put_text("clicked"))

    served = serve(main, reconnect_timeout=5)
    page = await served.open()
    hello = await page.until(lambda m: m.get("kind") == "hello")
    await page.until(lambda _m: any(n["type"] == "buttons" for n in page.nodes()))
    page.ws.close()
    await asyncio.sleep(0.1)
    again = await served.open(f"?session={hello['session']}")
    snapshot = await again.until(lambda m: m.get("kind") == "snapshot")
    assert next(n.get("text") for n in snapshot["root"]["children"]) == "before"
    cb = next(n["cb"] for n in snapshot["root"]["children"] if n["type"] == "buttons")
    again.send({"kind": "callback", "cb": cb, "value": 0})
    await again.wait_text("clicked")


async def test_without_reconnect_timeout_a_dropped_page_ends_its_session(serve: Any) -> None:
    def main() -> None:
        put_buttons(["go"], onclick=lambda _v: None)

    served = serve(main)
    page = await served.open()
    hello = await page.until(lambda m: m.get("kind") == "hello")
    page.ws.close()
    await eventually(lambda: not served.webio.sessions)
    again = await served.open(f"?session={hello['session']}")
    assert await again.closed() == 4410


async def test_session_api_messages_reach_the_page(serve: Any) -> None:
    def main() -> None:
        set_env(title="Custom", output_max_width="100%")
        run_js("console.log(x)", x=1)
        download("a.bin", b"\x00\x01")
        local.count = 3
        put_text(
            f"{local.count} {local.missing} {info.user_agent.browser.family} {info.user_language}"
        )
        go_app("other", new_window=False)

    page = await serve(main).open(
        headers={"User-Agent": "Mozilla/5.0 Firefox/120.0", "Accept-Language": "fr-FR,fr"}
    )
    await page.until(lambda m: m.get("kind") == "ended")
    kinds = {m["kind"]: m for m in page.messages}
    assert kinds["env"]["env"] == {"title": "Custom", "output_max_width": "100%"}
    assert kinds["run_js"] == {"kind": "run_js", "code": "console.log(x)", "args": {"x": 1}}
    assert kinds["download"]["name"] == "a.bin" and kinds["download"]["payload"] == b"\x00\x01"
    assert kinds["go_app"] == {"kind": "go_app", "app": "other", "new_window": False}
    assert page.texts() == ["3 None Firefox fr-FR"]


async def test_set_env_rejects_unknown_keys_by_name(serve: Any) -> None:
    def main() -> None:
        set_env(colour="red")

    page = await serve(main, debug=True).open()
    await page.until(lambda _m: any(n["type"] == "error" for n in page.nodes()))
    box = next(n for n in page.nodes() if n["type"] == "error")
    assert "'colour'" in box["title"]


async def test_registered_thread_writes_into_the_session(serve: Any) -> None:
    def main() -> None:
        thread = threading.Thread(target=lambda: put_text("from a thread"))
        register_thread(thread)
        thread.start()
        thread.join()

    page = await serve(main).open()
    await page.wait_text("from a thread")


async def test_run_async_runs_beside_the_coroutine_app(serve: Any) -> None:
    async def child() -> None:
        put_text("child")

    async def main() -> None:
        handler = run_async(child())
        await asyncio.sleep(0.05)
        put_text(f"closed={handler.closed()}")

    page = await serve(main).open()
    await page.until(lambda m: m.get("kind") == "ended")
    assert page.texts() == ["child", "closed=True"]


async def test_local_is_per_session(serve: Any) -> None:
    def main() -> None:
        local.n = (local.n or 0) + 1
        put_text(f"n={local.n}")

    served = serve(main)
    for _ in range(2):
        page = await served.open()
        await page.wait_text("n=1")


def session_threads() -> set[str]:
    """Thread names, without asyncio's default executor: it resolves the test client's
    ``127.0.0.1`` and grows a thread whenever two lookups overlap (under load, at any time)."""
    return {t.name for t in threading.enumerate() if not t.name.startswith("asyncio_")}


async def test_200_sessions_leave_no_thread_task_or_memory_behind(serve: Any) -> None:
    def thread_app() -> None:
        put_text("t" * 100)
        put_buttons(["go"], onclick=lambda _v: None)

    async def coroutine_app() -> None:
        put_text("c" * 100)
        put_buttons(["go"], onclick=lambda _v: None)

    served = serve({"t": thread_app, "c": coroutine_app})
    earlier = set(app_threads())  # left by other tests' servers, which are gone

    def no_new_app_threads() -> bool:
        return set(app_threads()) <= earlier

    tracemalloc.start()
    try:
        for round_ in range(10):
            pages = []
            for index in range(20):
                page = await served.open("?app=" + ("t" if index % 2 else "c"))
                pages.append(page)
            for page in pages:
                await page.until(lambda _m, p=page: any(n["type"] == "buttons" for n in p.nodes()))
            for page in pages:
                page.ws.close()
            await eventually(lambda: not served.webio.sessions)
            if round_ == 1:  # after a warm-up round (the flusher thread, DNS threads...)
                await eventually(no_new_app_threads)
                gc.collect()
                baseline = tracemalloc.get_traced_memory()[0]
                threads_before = session_threads()
                tasks_before = len(asyncio.all_tasks())
        await eventually(no_new_app_threads)
        gc.collect()
        await asyncio.sleep(0.1)
        growth = tracemalloc.get_traced_memory()[0] - baseline
    finally:
        tracemalloc.stop()
    assert session_threads() <= threads_before
    assert len(asyncio.all_tasks()) <= tasks_before
    assert growth < 2 * 1024 * 1024, f"memory grew by {growth} bytes over 160 sessions"


async def test_demo_apps_are_listed_and_run_without_errors() -> None:
    from pywebio_nb.platform._apps import PathApps
    from pywebio_nb.platform._tornado import WebIOServer, handler_for

    demos = Path(__file__).resolve().parents[2] / "notebooks" / "apps"
    handler = handler_for(WebIOServer(PathApps(demos)))
    http = tornado.web.Application([(r"/(.*)", handler)]).listen(0, "127.0.0.1")
    port = next(iter(http._sockets.values())).getsockname()[1]
    try:
        index = Page(await tornado.websocket.websocket_connect(f"ws://127.0.0.1:{port}/"))
        await index.wait_text("report")
        assert {"hello", "clock", "report", "bmi"} <= set(index.texts())
        index.ws.close()
        for name, expected in (
            ("hello", "Say hi"),
            ("clock", ":"),
            ("report", "Download CSV"),
            ("bmi", "Height (cm)"),
        ):
            page = Page(await tornado.websocket.websocket_connect(f"ws://127.0.0.1:{port}/{name}"))
            request = await page.until(
                lambda m, p=page: m.get("kind") == "eval_js" or len(p.nodes()) >= 2
            )
            if request.get("kind") == "eval_js":
                page.send({"kind": "js_result", "id": request["id"], "value": 1024})
            await page.until(
                lambda _m, p=page, e=expected: e in json.dumps(p.messages, default=str), timeout=5
            )
            assert not any(n["type"] == "error" for n in page.nodes()), name
            page.ws.close()
    finally:
        http.stop()


async def test_webio_handler_serves_the_page_and_its_assets(serve: Any) -> None:
    def main() -> None:
        """Tool page"""

    served = serve(main)
    client = tornado.httpclient.AsyncHTTPClient()
    page = await client.fetch(f"http://127.0.0.1:{served.port}/")
    html = page.body.decode()
    assert "<title>Tool page</title>" in html
    assert "/?pywebio_nb_asset=page.js" in html
    script = await client.fetch(f"http://127.0.0.1:{served.port}/?pywebio_nb_asset=page.js")
    assert script.headers["Content-Type"].startswith(("application/javascript", "text/javascript"))
    missing = await client.fetch(
        f"http://127.0.0.1:{served.port}/?pywebio_nb_asset=../_tornado.py", raise_error=False
    )
    assert missing.code == 404
    # page.js imports its chunks by relative URL, which a query URL does not resolve to: the
    # page maps each chunk's natural URL (next to the page) to its asset query.
    imports = json.loads(
        re.search(r'<script type="importmap">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    )["imports"]
    chunks = set(re.findall(r"""["']\./(page-[\w-]+\.js)["']""", script.body.decode()))
    assert chunks and {f"/{name}" for name in chunks} <= set(imports)
    for name in chunks:
        assert imports[f"/{name}"] == f"/?pywebio_nb_asset={name}"
        chunk = await client.fetch(f"http://127.0.0.1:{served.port}{imports[f'/{name}']}")
        assert chunk.headers["Content-Type"].startswith(
            ("application/javascript", "text/javascript")
        )


async def test_page_opens_its_socket_before_its_assets_and_preloads_its_chunks(
    serve: Any,
) -> None:
    def main() -> None:
        put_text("hi")

    served = serve(main)
    client = tornado.httpclient.AsyncHTTPClient()
    html = (await client.fetch(f"http://127.0.0.1:{served.port}/")).body.decode()
    head = html[: html.index("</head>")]
    # The boot script (an inline classic script) opens the socket while page.css and page.js
    # load: it comes after the config it reads and before the stylesheet and the module.
    boot = re.search(r"<script>(.*?)</script>", head, re.S)
    assert boot is not None and "WebSocket" in boot.group(1)
    assert head.index('id="pywebio-nb-config"') < boot.start()
    assert boot.end() < head.index('rel="stylesheet"') < head.index('type="module"')
    # Chunks that page.js imports at once are fetched beside it, through the import map's URLs.
    script = await client.fetch(f"http://127.0.0.1:{served.port}/?pywebio_nb_asset=page.js")
    static = _static_imports(script.body.decode())
    preloads = re.findall(r'<link rel="modulepreload" href="([^"]+)">', head)
    assert static and preloads == [f"/?pywebio_nb_asset={name}" for name in sorted(static)]
    assert head.index('type="importmap"') < head.index("modulepreload")


def _static_imports(module: str) -> set[str]:
    """The files a bundled module imports at its top (``import"./x.js";import{a}from"./y.js";``)."""
    found, position = set(), 0
    statement = re.compile(r"""import\s*(?:[^"';]*?from\s*)?"\./(page-[\w-]+\.js)";""")
    while match := statement.match(module, position):
        found.add(match.group(1))
        position = match.end()
    return found


async def test_plain_handler_checks_origin_and_allowed_origins(serve: Any) -> None:
    def main() -> None:
        put_text("hi")

    strict = serve(main)
    with pytest.raises(tornado.httpclient.HTTPClientError) as error:
        await strict.open(headers={"Origin": "http://evil.example"})
    assert error.value.code == 403
    relaxed = serve(main, allowed_origins=["*.example"])
    page = await relaxed.open(headers={"Origin": "http://friend.example"})
    await page.wait_text("hi")
    checked = serve(main, check_origin=lambda origin: origin.endswith(".test"))
    page = await checked.open(headers={"Origin": "https://app.test"})
    await page.wait_text("hi")
