"""A visitor cannot flood the server's log: what one page causes is bounded per session, and a
session that closes (even in the middle of a form) logs no traceback."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_app_sessions import eventually, serve  # noqa: F401 (a fixture)
from webio_client import Page

from pywebio_nb.input import input as ask
from pywebio_nb.input import input_group
from pywebio_nb.output import put_buttons, put_text

pytestmark = pytest.mark.server

#: What one session may log while its page misbehaves (LogLimit's burst, and a summary).
BOUND = 25


def ours(caplog: pytest.LogCaptureFixture) -> list[Any]:
    return [r for r in caplog.records if r.name in ("pywebio_nb", "asyncio")]


def buttons_app() -> None:
    def clicked(value: str) -> None:
        if value == "boom":
            raise RuntimeError("the callback broke")
        put_text(f"clicked {value}")

    put_buttons(["ok", "boom"], onclick=clicked)


async def callback_of(page: Page) -> int:
    await page.until(lambda _m: any(n["type"] == "buttons" for n in page.nodes()))
    return int(next(n["cb"] for n in page.nodes() if n["type"] == "buttons"))


async def test_ten_thousand_unknown_events_log_a_bounded_number_of_lines(
    serve: Any,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = serve(buttons_app)
    page = await served.open()
    cb = await callback_of(page)
    caplog.clear()
    for n in range(10_000):
        page.ws.write_message(json.dumps({"kind": "nonsense", "id": n}))
    page.send({"kind": "callback", "cb": cb, "value": 0})
    await page.wait_text("clicked ok", timeout=30)  # handled after the 10,000, in order
    assert 0 < len(ours(caplog)) <= BOUND
    errors = [m for m in page.messages if m.get("kind") == "error"]
    assert 0 < len(errors) <= BOUND  # the page is not answered 10,000 times either


async def test_a_callback_that_raises_on_every_click_logs_a_bounded_number_of_tracebacks(
    serve: Any,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = serve(buttons_app)
    page = await served.open()
    cb = await callback_of(page)
    caplog.clear()
    for _ in range(500):
        page.send({"kind": "callback", "cb": cb, "value": 1})
    page.send({"kind": "callback", "cb": cb, "value": 0})
    await page.wait_text("clicked ok", timeout=30)
    assert 0 < len([r for r in ours(caplog) if r.exc_info]) <= BOUND


def form_app() -> None:
    put_text(f"got {ask('Name?')}")


async def coroutine_form_app() -> None:
    put_text(f"got {await ask('Name?')}")


def group_app() -> None:
    input_group("Who", [ask("Name?", name="name")])


@pytest.mark.parametrize("app", [form_app, coroutine_form_app])
async def test_malformed_form_events_log_a_bounded_number_of_lines(
    serve: Any,  # noqa: F811
    app: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = serve(app)
    page = await served.open()
    form = await page.until(lambda _m: any(n["type"] == "form" for n in page.nodes()))
    assert form
    form_id = next(n["id"] for n in page.nodes() if n["type"] == "form")
    caplog.clear()
    for _ in range(2000):
        page.send({"kind": "input", "id": form_id, "event": "blur", "name": "nope"})
    name = next(n for n in page.nodes() if n["type"] == "form")["fields"][0]["name"]
    page.send({"kind": "input", "id": form_id, "event": "submit", "values": {name: "Ada"}})
    await page.wait_text("got Ada", timeout=30)
    assert 0 < len(ours(caplog)) <= BOUND


@pytest.mark.parametrize("app", [form_app, coroutine_form_app, group_app])
async def test_closing_sessions_that_wait_in_forms_logs_no_traceback(
    serve: Any,  # noqa: F811
    app: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = serve(app)
    pages = [await served.open() for _ in range(5)]
    for page in pages:
        await page.until(lambda _m, p=page: any(n["type"] == "form" for n in p.nodes()))
    caplog.clear()
    for page in pages:
        page.ws.close()
    await eventually(lambda: not served.webio.sessions)
    records = ours(caplog)
    assert not [r for r in records if r.exc_info], [r.getMessage() for r in records]
    assert len(records) <= len(pages)  # at most one line per closed session
    assert not [r for r in records if "never retrieved" in r.getMessage()]
