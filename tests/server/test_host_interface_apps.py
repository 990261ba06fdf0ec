"""The host interface in standalone apps: async callbacks awaited, one encoder, one error."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from test_app_sessions import serve  # noqa: F401 (a fixture)

from pywebio_nb.output import put_buttons, put_text
from pywebio_nb.session import hold, run_async, run_js

pytestmark = pytest.mark.server


async def clicked(value: str) -> None:
    await asyncio.sleep(0)
    put_text(f"async {value}")


def thread_app() -> None:
    put_buttons(["A", "B"], onclick=clicked)


async def coroutine_app() -> None:
    put_buttons(["A", "B"], onclick=clicked)


@pytest.mark.parametrize("app", [thread_app, coroutine_app])
async def test_async_def_callbacks_are_awaited_in_both_kinds_of_app(
    serve: Any,  # noqa: F811
    app: Any,
) -> None:
    page = await serve(app).open()
    await page.until(lambda _m: any(n["type"] == "buttons" for n in page.nodes()))
    (buttons,) = [n for n in page.nodes() if n["type"] == "buttons"]
    page.send({"kind": "callback", "cb": buttons["cb"], "value": 1})
    await page.wait_text("async B")


async def test_page_commands_refuse_nan_like_output_does(serve: Any) -> None:  # noqa: F811
    def main() -> None:
        try:
            run_js("console.log(x)", x=float("nan"))
        except ValueError:
            put_text("refused")
        hold()

    page = await serve(main).open()
    await page.wait_text("refused")
    assert not [m for m in page.messages if m.get("kind") == "run_js"]


async def test_what_a_host_cannot_do_is_refused_by_name(serve: Any) -> None:  # noqa: F811
    async def job() -> None:
        await asyncio.sleep(0)

    def main() -> None:
        coroutine = job()
        try:
            run_async(coroutine)
        except NotImplementedError as error:
            put_text(str(error))
        hold()

    page = await serve(main).open()
    await page.until(lambda _m: any("run_async()" in t for t in page.texts()))
    assert page.texts() == [
        "run_async() does not work in this app; it works in coroutine (async def) apps only"
    ]
