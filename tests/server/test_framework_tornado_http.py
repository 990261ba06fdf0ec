"""pywebio_nb.platform.tornado_http on a real tornado server: HTTP long polling, no WebSocket.

``webio_handler`` in a tornado project, and ``start_server``/``path_deploy_http``'s application
(``http_application``) in process; the blocking entry points themselves in a real process.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tornado.web
from framework_apps import APPS
from framework_page import PollPage, http_get, post, tornado_server, wait_until

from pywebio_nb.platform._adapter import WebIOAdapter
from pywebio_nb.platform._apps import PathApps
from pywebio_nb.platform.tornado_http import http_application, webio_handler
from tests.bounded import stop_process

pytestmark = pytest.mark.server


@pytest.fixture
def app_options() -> dict[str, Any]:
    return {}


@pytest.fixture
def adapter(app_options: dict[str, Any]) -> Iterator[WebIOAdapter]:
    mount = WebIOAdapter(APPS, backend="tornado", **app_options)
    yield mount
    mount.close_all()  # no app thread outlives the test


@pytest.fixture
def url(adapter: WebIOAdapter) -> Iterator[str]:
    with tornado_server(lambda: http_application(adapter)) as base:
        yield base


def test_the_page_get_starts_nothing(adapter: WebIOAdapter, url: str) -> None:
    status, headers, body = http_get(url + "?app=hello")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert b'"transport": "poll"' in body
    assert b"new WebSocket" not in body  # no early socket: the page polls
    assert not adapter.server.sessions
    status, headers, _body = http_get(url + "?pywebio_nb_asset=page.js")
    assert status == 200 and "javascript" in headers["Content-Type"]
    assert http_get(url + "?app=nosuch")[0] == 404
    for query in ("?app=hello&pywebio_nb=open", "?app=hello&pywebio_nb=send&seq=0"):
        assert http_get(url + query, {"X-PyWebIO-NB": "1"})[0] == 200
    assert not adapter.server.sessions


@pytest.mark.parametrize(("app", "greeting"), [("hello", "thread"), ("ahello", "coroutine")])
def test_a_session_runs_and_a_click_is_answered(url: str, app: str, greeting: str) -> None:
    page = PollPage(url + f"?app={app}")
    page.wait_text(f"hello from a {greeting} app")
    page.click(page.wait_node("buttons"))
    page.wait_text("clicked go")


@pytest.mark.parametrize("app", ["ask", "aask"])
def test_a_form_is_answered(url: str, app: str) -> None:
    page = PollPage(url + f"?app={app}")
    page.submit(page.wait_node("form"), {"data": "Ada"})
    page.wait_text("hello Ada")
    assert page.closed() == 1000


def test_an_upload_arrives(url: str) -> None:
    page = PollPage(url + "?app=upload")
    form = page.wait_node("form")
    data = bytes(range(256)) * 5000  # over one chunk
    page.submit(form, {"data": page.upload(form["id"], "data", data)})
    page.wait_text(f"got {len(data)} bytes {hashlib.sha256(data).hexdigest()}")


def test_session_info_names_tornado_over_http(url: str) -> None:
    PollPage(url + "?app=info").wait_text("backend tornado protocol http")


def test_another_origin_is_refused(adapter: WebIOAdapter, url: str) -> None:
    status, _ = post(url + "?app=hello", "open", {}, headers={"Origin": "http://evil.example"})
    assert status == 403
    assert not adapter.server.sessions
    assert post(url + "?app=hello", "open", {}, headers={"Origin": url.rstrip("/")})[0] == 200


def test_a_request_without_the_header_starts_nothing(adapter: WebIOAdapter, url: str) -> None:
    assert post(url + "?app=hello", "open", {}, headers={"X-PyWebIO-NB": ""})[0] == 400
    assert not adapter.server.sessions


@pytest.mark.parametrize("app_options", [{"max_payload_size": "4K"}])
def test_a_body_over_max_payload_size_is_refused(adapter: WebIOAdapter, url: str) -> None:
    page = PollPage(url + "?app=upload")
    form = page.wait_node("form")
    event = {"kind": "input", "id": form["id"], "event": "chunk", "name": "data"}
    assert page.send_records([json.dumps(event) + " " * 8000]) == 413
    # Far over the limit: refused from its Content-Length, before the body is read.
    assert page.send_records([json.dumps(event) + " " * 3_000_000]) == 413
    page.submit(form, {"data": []})  # the session goes on
    assert page.closed() != 1009


@pytest.mark.parametrize(
    "app_options", [{"session_expire_seconds": 0.5, "session_cleanup_interval": 0.2}]
)
def test_a_silent_page_s_session_expires(adapter: WebIOAdapter, url: str) -> None:
    page = PollPage(url + "?app=ask")
    page.wait_node("form")
    assert adapter.server.sessions
    wait_until(lambda: not adapter.server.sessions)  # the page stopped polling: swept
    assert page.closed() == 4410


def test_webio_handler_mounts_in_a_tornado_project() -> None:
    class Home(tornado.web.RequestHandler):
        def get(self) -> None:
            self.write("project home")

    handler = webio_handler(APPS["hello"], session_expire_seconds=60)
    try:
        # A project with tornado's XSRF protection: polls are guarded by their header instead.
        with tornado_server(
            lambda: tornado.web.Application([(r"/", Home), (r"/tool", handler)], xsrf_cookies=True)
        ) as base:
            assert http_get(base)[2] == b"project home"
            status, _headers, body = http_get(base + "tool")
            assert status == 200 and b'src="/tool?pywebio_nb_asset=page.js"' in body
            page = PollPage(base + "tool")
            page.wait_text("hello from a thread app")
            page.click(page.wait_node("buttons"))
            page.wait_text("clicked go")
    finally:
        handler.adapter.close_all()  # type: ignore[attr-defined]


@pytest.fixture
def deployed(tmp_path: Path) -> Iterator[tuple[str, WebIOAdapter]]:
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "config.py").write_text("GREETING = 'hello from config'\n")
    (tools / "greet.py").write_text(
        "import config\nfrom pywebio_nb.output import put_text\n\n"
        "def main():\n    put_text(config.GREETING)\n"
    )
    (tmp_path / "top.py").write_text(
        "raise SystemExit('a GET imported this file')\n\ndef main():\n    pass\n"
    )
    adapter = WebIOAdapter(PathApps(tmp_path), backend="tornado")
    try:
        with tornado_server(lambda: http_application(adapter)) as base:
            yield base, adapter
    finally:
        adapter.close_all()


def test_path_deploy_http_serves_files_by_path(deployed: tuple[str, WebIOAdapter]) -> None:
    base, adapter = deployed
    status, _headers, body = http_get(base + "top")  # its page, from its source only
    assert status == 200 and b'"transport": "poll"' in body
    status, headers, _body = http_get(base + "tools?x=1")
    assert status == 302 and headers["Location"] == "/tools/?x=1"
    assert http_get(base + "tools/nosuch")[0] == 404
    assert not adapter.server.sessions
    PollPage(base + "tools/greet").wait_text("hello from config")
    index = PollPage(base + "tools/")
    index.until(lambda message: '"url": "./greet"' in json.dumps(message))


def test_path_deploy_http_and_start_server_run_in_a_process(tmp_path: Path) -> None:
    from test_script_mode_and_cli import environment, free_port

    (tmp_path / "hello.py").write_text(
        "from pywebio_nb.output import put_text\n\ndef main():\n    put_text('deployed')\n"
    )
    port, other = free_port(), free_port()
    script = tmp_path / "server.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import threading
            from pywebio_nb.output import put_text
            from pywebio_nb.platform import path_deploy_http
            from pywebio_nb.platform.tornado_http import start_server

            threading.Thread(target=start_server, daemon=True, kwargs=dict(
                applications=lambda: put_text("started"), port={other}, host="127.0.0.1",
                session_expire_seconds=60, session_cleanup_interval=10)).start()
            path_deploy_http({str(tmp_path)!r}, port={port}, host="127.0.0.1")
            """
        )
    )
    process = subprocess.Popen(
        [sys.executable, str(script)],
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:

        def up(target: str) -> bool:
            try:
                return http_get(target)[0] == 200
            except OSError:
                return False

        wait_until(
            lambda: up(f"http://127.0.0.1:{port}/hello") and up(f"http://127.0.0.1:{other}/")
        )
        PollPage(f"http://127.0.0.1:{port}/hello").wait_text("deployed")
        PollPage(f"http://127.0.0.1:{other}/").wait_text("started")
    finally:
        stop_process(process)


def test_a_waiting_poll_holds_a_daemon_thread(url: str) -> None:
    # A process that exits (Ctrl-C on a tornado project) must not wait for its open polls.
    import threading

    page = PollPage(url + "?app=ask")
    page.wait_node("form")
    waiting = threading.Thread(target=page._receive, args=(30,), daemon=True)
    waiting.start()

    def poll_threads() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name == "pywebio_nb-http"]

    wait_until(lambda: bool(poll_threads()))
    assert all(thread.daemon for thread in poll_threads())
    page.submit(page.wait_node("form"), {"data": "Ada"})  # the poll is answered; all ends
    waiting.join(30)
