"""pywebio_nb.platform.django against real Django on a loopback WSGI server (long polling).

Django's settings are process-wide: this module configures them once, with its own URL
patterns (``webio_view`` mounted three times with different options); ``wsgi_app`` (which
configures Django itself) runs under gunicorn in ``test_production_servers.py``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import django.conf
import pytest
from django.urls import path
from framework_apps import APPS
from framework_page import PollPage, http_get, post, wait_until, wsgi_server

from pywebio_nb.platform.django import webio_view

pytestmark = pytest.mark.server

VIEWS = {
    "apps": webio_view(APPS),
    "expiring": webio_view(APPS, session_expire_seconds=0.5, session_cleanup_interval=0.2),
    "friends": webio_view(APPS, allowed_origins=["*.friend.example"]),
}
urlpatterns = [path(name, view) for name, view in VIEWS.items()]


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    settings = django.conf.settings  # not at module level: doctest collection would probe it
    if settings.configured and __name__ != settings.ROOT_URLCONF:
        pytest.skip("Django is configured for something else in this process")
    if not settings.configured:
        settings.configure(
            ALLOWED_HOSTS=["*"],
            ROOT_URLCONF=__name__,
            SECRET_KEY="test only",
            DATA_UPLOAD_MAX_MEMORY_SIZE=2 * 1024 * 1024,
        )
        django.setup()
    from django.core.wsgi import get_wsgi_application

    with wsgi_server(get_wsgi_application()) as base:
        yield base
    for view in VIEWS.values():
        view.adapter.close_all()  # type: ignore[attr-defined]  # no app thread outlives them


def sessions(name: str) -> dict[str, Any]:
    return VIEWS[name].adapter.server.sessions  # type: ignore[attr-defined,no-any-return]


def test_the_page_get_starts_nothing(url: str) -> None:
    before = set(sessions("apps"))
    status, headers, body = http_get(url + "apps?app=hello")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert b'"transport": "poll"' in body
    assert set(sessions("apps")) == before
    status, headers, _ = http_get(url + "apps?pywebio_nb_asset=page.js")
    assert status == 200 and "javascript" in headers["Content-Type"]


@pytest.mark.parametrize(("app", "greeting"), [("hello", "thread"), ("ahello", "coroutine")])
def test_a_session_runs_and_a_click_is_answered(url: str, app: str, greeting: str) -> None:
    page = PollPage(url + f"apps?app={app}")
    page.wait_text(f"hello from a {greeting} app")
    page.click(page.wait_node("buttons"))
    page.wait_text("clicked go")


@pytest.mark.parametrize("app", ["ask", "aask"])
def test_a_form_is_answered(url: str, app: str) -> None:
    page = PollPage(url + f"apps?app={app}")
    page.submit(page.wait_node("form"), {"data": "Ada"})
    page.wait_text("hello Ada")
    assert page.closed() == 1000


def test_an_upload_arrives(url: str) -> None:
    page = PollPage(url + "apps?app=upload")
    form = page.wait_node("form")
    data = bytes(range(256)) * 5000  # over one chunk
    page.submit(form, {"data": page.upload(form["id"], "data", data)})
    page.wait_text(f"got {len(data)} bytes {hashlib.sha256(data).hexdigest()}")


def test_session_info_names_the_backend(url: str) -> None:
    PollPage(url + "apps?app=info").wait_text("backend django protocol http")


def test_another_origin_is_refused(url: str) -> None:
    evil = {"Origin": "http://evil.example"}
    before = set(sessions("apps"))
    assert post(url + "apps?app=hello", "open", {}, headers=evil)[0] == 403
    assert set(sessions("apps")) == before
    friend = {"Origin": "http://a.friend.example"}
    assert post(url + "apps?app=hello", "open", {}, headers=friend)[0] == 403
    assert post(url + "friends?app=hello", "open", {}, headers=friend)[0] == 200


def test_a_body_over_data_upload_max_memory_size_is_refused(url: str) -> None:
    page = PollPage(url + "apps?app=upload")
    form = page.wait_node("form")
    event = {"kind": "input", "id": form["id"], "event": "chunk", "name": "data"}
    assert page.send_records([json.dumps(event) + " " * (3 * 1024 * 1024)]) == 413


def test_a_silent_page_s_session_expires(url: str) -> None:
    page = PollPage(url + "expiring?app=ask")
    page.wait_node("form")
    assert sessions("expiring")
    wait_until(lambda: not sessions("expiring"))  # the page stopped polling: swept
    assert page.closed() == 4410
