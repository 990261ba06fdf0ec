"""pywebio_nb.platform.flask against real Flask on a loopback WSGI server (HTTP long polling)."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from framework_apps import APPS
from framework_page import PollPage, http_get, post, wait_until, wsgi_server

from pywebio_nb.platform.flask import webio_view, wsgi_app

pytestmark = pytest.mark.server


@pytest.fixture
def app_options() -> dict[str, Any]:
    return {}


@pytest.fixture
def flask_app(app_options: dict[str, Any]) -> Any:
    return wsgi_app(APPS, **app_options)


@pytest.fixture
def url(flask_app: Any) -> Iterator[str]:
    with wsgi_server(flask_app) as base:
        yield base
    adapter_of(flask_app).close_all()  # no app thread outlives the test


def adapter_of(flask_app: Any) -> Any:
    return flask_app.view_functions["webio_view"].adapter


def test_the_page_get_starts_nothing(flask_app: Any, url: str) -> None:
    status, headers, body = http_get(url + "?app=hello")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert b'"transport": "poll"' in body
    assert not adapter_of(flask_app).server.sessions
    status, headers, body = http_get(url + "?pywebio_nb_asset=page.js")
    assert status == 200 and "javascript" in headers["Content-Type"]
    assert http_get(url + "?app=nosuch")[0] == 404


@pytest.mark.parametrize(("app", "greeting"), [("hello", "thread"), ("ahello", "coroutine")])
def test_a_session_runs_and_a_click_is_answered(url: str, app: str, greeting: str) -> None:
    page = PollPage(url + f"?app={app}")
    page.wait_text(f"hello from a {greeting} app")
    page.click(page.wait_node("buttons"))
    page.wait_text("clicked go")


@pytest.mark.parametrize("app", ["ask", "aask"])
def test_a_form_is_answered(url: str, app: str) -> None:
    page = PollPage(url + f"?app={app}")
    form = page.wait_node("form")
    page.submit(form, {"data": "Ada"})
    page.wait_text("hello Ada")
    assert page.closed() == 1000


def test_an_upload_arrives(url: str) -> None:
    page = PollPage(url + "?app=upload")
    form = page.wait_node("form")
    data = bytes(range(256)) * 5000  # over one chunk
    descriptor = page.upload(form["id"], "data", data)
    page.submit(form, {"data": descriptor})
    page.wait_text(f"got {len(data)} bytes {hashlib.sha256(data).hexdigest()}")


def test_session_info_names_the_backend(url: str) -> None:
    page = PollPage(url + "?app=info")
    page.wait_text("backend flask protocol http")


def test_an_event_sent_twice_is_taken_once(url: str) -> None:
    page = PollPage(url + "?app=hello")
    buttons = page.wait_node("buttons")
    go, stop = ({"kind": "callback", "cb": buttons["cb"], "value": v} for v in (0, 1))
    assert page.send_records([json.dumps(go)]) == 204
    page.sent -= 1  # as if the answer was lost: the page sends the same event again
    assert page.send_records([json.dumps(go), json.dumps(stop)]) == 204
    page.wait_text("clicked stop")  # callbacks run in order: every "go" before it ran
    assert page.texts().count("clicked go") == 1


def test_another_origin_is_refused(flask_app: Any, url: str) -> None:
    status, _ = post(url + "?app=hello", "open", {}, headers={"Origin": "http://evil.example"})
    assert status == 403
    assert not adapter_of(flask_app).server.sessions
    assert post(url, "open", {}, headers={"Origin": url.rstrip("/")})[0] == 200


@pytest.mark.parametrize(
    "app_options",
    [{"allowed_origins": ["*.friend.example"]}, {"check_origin": lambda o: "friend" in o}],
)
def test_allowed_origins_and_check_origin_let_one_in(url: str) -> None:
    status, _ = post(url + "?app=hello", "open", {}, headers={"Origin": "http://a.friend.example"})
    assert status == 200


def test_a_request_without_the_header_starts_nothing(flask_app: Any, url: str) -> None:
    status, _ = post(url + "?app=hello", "open", {}, headers={"X-PyWebIO-NB": ""})
    assert status == 400
    assert not adapter_of(flask_app).server.sessions


@pytest.mark.parametrize("app_options", [{"max_payload_size": "4K"}])
def test_a_body_over_max_payload_size_is_refused(url: str) -> None:
    page = PollPage(url + "?app=upload")
    form = page.wait_node("form")
    event = {"kind": "input", "id": form["id"], "event": "chunk", "name": "data"}
    assert page.send_records([json.dumps(event) + " " * 8000]) == 413


@pytest.mark.parametrize(
    "app_options", [{"session_expire_seconds": 0.5, "session_cleanup_interval": 0.2}]
)
def test_a_silent_page_s_session_expires(flask_app: Any, url: str) -> None:
    page = PollPage(url + "?app=ask")
    page.wait_node("form")
    sessions = adapter_of(flask_app).server.sessions
    assert sessions
    wait_until(lambda: not sessions)  # the page stopped polling: its session is swept
    assert page.closed() == 4410


def test_webio_view_mounts_in_a_flask_project() -> None:
    import flask

    app = flask.Flask("project")
    app.add_url_rule("/", "home", lambda: "project home")
    view = webio_view(APPS["hello"])
    app.add_url_rule("/tool", "webio_view", view, methods=["GET", "POST", "OPTIONS"])
    with contextlib.ExitStack() as stack:
        stack.callback(view.adapter.close_all)  # type: ignore[attr-defined]
        base = stack.enter_context(wsgi_server(app))
        assert http_get(base)[2] == b"project home"
        status, _headers, body = http_get(base + "tool")
        assert status == 200 and b'src="/tool?pywebio_nb_asset=page.js"' in body
        page = PollPage(base + "tool")
        page.wait_text("hello from a thread app")


def test_a_get_never_opens_a_session(flask_app: Any, url: str) -> None:
    for query in ("?app=hello&pywebio_nb=open", "?app=hello&pywebio_nb=send&seq=0"):
        status, _headers, body = http_get(url + query, {"X-PyWebIO-NB": "1"})
        assert status == 200 and body.startswith(b"<!doctype html>")
    assert not adapter_of(flask_app).server.sessions


def test_the_page_leaving_closes_its_session(flask_app: Any, url: str) -> None:
    page = PollPage(url + "?app=ask")
    page.wait_node("form")
    assert post(url, "close", {"session": page.session}, headers={"X-PyWebIO-NB": ""})[0] == 204
    assert page.session not in adapter_of(flask_app).server.sessions
    assert page.closed() == 4410


def test_a_malformed_body_closes_only_its_session(flask_app: Any, url: str) -> None:
    bad, good = PollPage(url + "?app=ask"), PollPage(url + "?app=ask")
    bad.wait_node("form")
    status, _ = post(url, "send", {"session": bad.session, "seq": "0"}, b"\x07\x00\x00\x00\x00")
    assert status == 400
    assert bad.closed() == 1007
    good.submit(good.wait_node("form"), {"data": "still here"})
    good.wait_text("hello still here")


def preflight(url: str, origin: str) -> tuple[int, Any]:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("OPTIONS", "/?pywebio_nb=open", headers={"Origin": origin})
        answer = connection.getresponse()
        return answer.status, answer.headers
    finally:
        connection.close()


@pytest.mark.parametrize("app_options", [{"allowed_origins": ["http://friend.example"]}])
def test_a_cross_origin_preflight_is_answered_for_allowed_origins_only(url: str) -> None:
    assert preflight(url, "http://evil.example")[0] == 403
    status, headers = preflight(url, "http://friend.example")
    assert status == 204
    assert "X-PyWebIO-NB" in headers["Access-Control-Allow-Headers"]
    assert headers["Access-Control-Allow-Origin"] == "http://friend.example"


async def sleepy() -> None:
    import asyncio

    from pywebio_nb.output import put_text
    from pywebio_nb.session import run_asyncio_coroutine

    await asyncio.sleep(0.01)  # works on pywebio_nb's loop thread
    await run_asyncio_coroutine(asyncio.sleep(0.01))  # PyWebIO's way works too
    put_text("slept twice")


def test_a_coroutine_app_awaits_asyncio_under_wsgi() -> None:
    app = wsgi_app(sleepy)
    try:
        with wsgi_server(app) as base:
            PollPage(base).wait_text("slept twice")
    finally:
        adapter_of(app).close_all()


def test_closing_the_mount_leaves_no_app_thread(flask_app: Any, url: str) -> None:
    import threading

    def app_threads() -> set[threading.Thread]:
        return {t for t in threading.enumerate() if t.name == "pywebio_nb-main"}

    before = app_threads()
    page = PollPage(url + "?app=ask")
    page.wait_node("form")  # its thread waits in input()
    assert app_threads() - before
    adapter_of(flask_app).close_all()
    wait_until(lambda: not (app_threads() - before))
    assert page.closed() in (1001, 4410)
