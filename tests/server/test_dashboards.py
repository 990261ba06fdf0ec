"""Notebooks as dashboards at /webio/<path>.ipynb: a kernel per visitor, bridged to its page."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError
from tornado.websocket import websocket_connect
from webio_client import Page

pytestmark = pytest.mark.server


def notebook(*cells: tuple[str, str], metadata: dict[str, Any] | None = None) -> str:
    """A notebook file's JSON from ``(cell_type, source)`` pairs."""
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": metadata
            or {
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
            "cells": [
                {
                    "cell_type": kind,
                    "id": f"c{index}",
                    "metadata": {},
                    "source": source,
                    **({"outputs": [], "execution_count": None} if kind == "code" else {}),
                }
                for index, (kind, source) in enumerate(cells)
            ],
        }
    )


ASK = notebook(
    ("markdown", "# Greeting desk\n\nSays hello."),
    ("code", "from pywebio_nb.input import input\nfrom pywebio_nb.output import put_text"),
    ("code", "put_text('before the question')\nprint('printed text')"),
    ("code", "name = input('Your name?')\nput_text(f'hello {name}')"),
    ("code", "import os\nput_text(f'pid {os.getpid()}')"),
)


@pytest.fixture
def webio_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """``c.WebIO`` settings of a test: ``@pytest.mark.parametrize(..., indirect=True)``."""
    return dict(getattr(request, "param", {}))


@pytest.fixture
def notebooks(jp_root_dir: Path) -> Path:
    (jp_root_dir / "ask.ipynb").write_text(ASK)
    (jp_root_dir / "_hidden.ipynb").write_text(ASK)
    return jp_root_dir


@pytest.fixture
def open_dashboard(
    jp_ws_fetch: Any, jp_fetch: Any, jp_http_port: int, jp_serverapp: Any, jp_asyncio_loop: Any
) -> Any:
    """Opens a dashboard's socket as one browser would (one login cookie: the same user)."""
    pages: list[Page] = []
    cookie: list[str] = []

    async def opener(path: str, params: dict[str, str] | None = None) -> Page:
        if not cookie:
            response = await jp_fetch("api", "status")
            cookie.append(
                "; ".join(c.split(";")[0] for c in response.headers.get_list("Set-Cookie"))
            )
        # The cookie is named (and signed) after the host the page was fetched from.
        headers = {"Cookie": cookie[0], "Host": f"127.0.0.1:{jp_http_port}"}
        ws = await jp_ws_fetch("webio", "_nb", path, params=params, headers=headers)
        page = Page(ws)
        pages.append(page)
        return page

    yield opener
    for page in pages:
        page.ws.close()
    # Every dashboard kernel stops before the server's own teardown shuts kernels down.
    kernels = dashboards_of(jp_serverapp).kernels
    jp_asyncio_loop.run_until_complete(asyncio.wait_for(kernels.stop_all(), 30))


def stream_text(page: Page) -> str:
    return "".join(n.get("text", "") for n in page.nodes() if n.get("type") == "stream")


async def answer_form(page: Page, value: str, timeout: float = 60) -> None:
    await page.until(lambda _m: page.form() is not None, timeout)
    form = page.form()
    assert form is not None
    page.send({"kind": "input", "id": form["id"], "event": "submit", "values": {"data": value}})


@pytest.mark.usefixtures("notebooks")
async def test_the_page_of_a_notebook_runs_nothing_and_carries_its_title(jp_fetch: Any) -> None:
    response = await jp_fetch("webio", "ask.ipynb")
    html = response.body.decode()
    assert "<title>Greeting desk</title>" in html
    assert "_nb/ask.ipynb" in html
    with pytest.raises(HTTPClientError) as hidden:
        await jp_fetch("webio", "_hidden.ipynb")
    assert hidden.value.code == 404


@pytest.mark.usefixtures("notebooks")
async def test_two_visitors_get_their_own_kernel_and_answers(open_dashboard: Any) -> None:
    first = await open_dashboard("ask.ipynb")
    second = await open_dashboard("ask.ipynb")
    await first.until(lambda m: m.get("kind") == "hello", 60)
    await answer_form(first, "Ada")
    await answer_form(second, "Grace")
    await first.wait_text("hello Ada", 30)
    await second.wait_text("hello Grace", 30)
    await first.until(lambda _m: any(t.startswith("pid ") for t in first.texts()), 30)
    await second.until(lambda _m: any(t.startswith("pid ") for t in second.texts()), 30)
    assert "before the question" in first.texts()
    assert "printed text" in stream_text(first)
    assert "hello Grace" not in first.texts()
    pids = {t for page in (first, second) for t in page.texts() if t.startswith("pid ")}
    assert len(pids) == 2


@pytest.mark.usefixtures("notebooks")
@pytest.mark.parametrize("webio_config", [{"reconnect_timeout": 60}], indirect=True)
@pytest.mark.parametrize(
    "forged",
    [
        {
            "header": {"msg_type": "execute_request", "msg_id": "x"},
            "channel": "shell",
            "content": {"code": "put_text('forged')"},
        },
        {
            "header": {"msg_type": "comm_open"},
            "content": {"comm_id": "x", "target_name": "jupyter.widget"},
        },
        {"kind": "comm_msg", "comm_id": "someone-else", "data": {"code": "put_text('forged')"}},
    ],
    ids=["execute_request", "comm_open", "unknown-comm"],
)
async def test_a_forged_frame_closes_the_connection_and_the_kernel_keeps_its_state(
    open_dashboard: Any, forged: dict[str, Any]
) -> None:
    page = await open_dashboard("ask.ipynb")
    await page.until(lambda _m: page.form() is not None, 60)
    hello = next(m for m in page.messages if m.get("kind") == "hello")
    page.send(forged)
    assert await page.closed(30) == 1003
    # The same kernel, resumed: still waiting at the same question, nothing else ran.
    again = await open_dashboard("ask.ipynb", params={"session": hello["session"]})
    await again.until(lambda m: m.get("kind") == "snapshot", 30)
    assert again.form() is not None
    assert "forged" not in again.texts()
    await answer_form(again, "Ada")
    await again.wait_text("hello Ada", 30)
    assert "forged" not in again.texts()


@pytest.mark.usefixtures("notebooks")
async def test_the_folder_index_lists_notebooks_by_title(open_page: Any) -> None:
    index = await open_page("")
    await index.until(lambda _m: "Greeting desk" in index.texts(), 30)
    links = [n for n in index.nodes() if n.get("type") == "link"]
    assert any(n.get("url") == "./ask.ipynb" for n in links)
    assert not any("_hidden" in str(n.get("url")) for n in links)


@pytest.mark.usefixtures("notebooks")
@pytest.mark.parametrize("webio_config", [{"max_dashboard_kernels": 1}], indirect=True)
async def test_over_the_cap_a_visitor_gets_the_busy_page(
    open_dashboard: Any, jp_fetch: Any
) -> None:
    first = await open_dashboard("ask.ipynb")
    await first.until(lambda _m: first.form() is not None, 60)
    with pytest.raises(HTTPClientError) as busy:
        await jp_fetch("webio", "ask.ipynb")
    assert busy.value.code == 503
    assert busy.value.response is not None
    assert "The server is busy" in busy.value.response.body.decode()
    second = await open_dashboard("ask.ipynb")
    assert await second.closed(30) == 4503
    # The first visitor leaves: the place is free again (once the server saw the page go).
    first.ws.close()
    await first.closed(30)
    for _attempt in range(50):
        third = await open_dashboard("ask.ipynb")
        if await third.next(60) is not None:
            break
        assert third.ws.close_code == 4503
    await answer_form(third, "Edsger")
    await third.wait_text("hello Edsger", 30)


def dashboards_of(serverapp: Any) -> Any:
    return serverapp.web_app.settings["pywebio_nb_dashboards"]


def snapshot_types(page: Page) -> list[str]:
    snapshot = next(m for m in page.messages if m.get("kind") == "snapshot")
    return [node.get("type", "") for node in snapshot["root"].get("children", [])]


@pytest.mark.parametrize("webio_config", [{"dashboard_pool_size": 1}], indirect=True)
async def test_a_pooled_kernel_has_run_up_to_the_question_and_refreshes_with_the_file(
    notebooks: Path, open_dashboard: Any, jp_serverapp: Any
) -> None:
    kernels = dashboards_of(jp_serverapp).kernels
    first = await open_dashboard("ask.ipynb")
    await first.until(lambda _m: first.form() is not None, 60)
    pooled = kernels.pools["ask.ipynb"][0]
    await asyncio.wait_for(pooled.ready.wait(), 60)
    second = await open_dashboard("ask.ipynb")
    await second.until(lambda m: m.get("kind") == "snapshot", 30)
    # The page's first screen already holds what ran before the question, and the form.
    assert "form" in snapshot_types(second)
    assert pooled.visited and pooled.page is not None
    assert len(kernels.pools["ask.ipynb"]) == 1  # refilled
    await answer_form(second, "Barbara")
    await second.wait_text("hello Barbara", 30)
    # A new version of the notebook: the pooled kernel of the old one is not handed out.
    stale = kernels.pools["ask.ipynb"][0]
    (notebooks / "ask.ipynb").write_text(ASK.replace("before the question", "version two"))
    third = await open_dashboard("ask.ipynb")
    await third.wait_text("version two", 60)
    assert stale.closed
    assert "before the question" not in third.texts()


@pytest.mark.parametrize("webio_config", [{"dashboard_idle_timeout": 1}], indirect=True)
@pytest.mark.usefixtures("notebooks")
async def test_an_idle_visitor_is_ended_and_its_kernel_stops(
    open_dashboard: Any, jp_serverapp: Any
) -> None:
    page = await open_dashboard("ask.ipynb")
    await page.until(lambda m: m.get("kind") == "ended", 60)
    assert await page.closed(30) == 1000
    kernels = dashboards_of(jp_serverapp).kernels
    assert not kernels.kernels
    await asyncio.wait_for(asyncio.gather(*kernels._stopping), 30)


LIGHT = notebook(("code", "from pywebio_nb.output import put_text\nput_text('light')"))


async def test_culling_leaves_no_kernel_or_task_after_50_visitors(
    jp_root_dir: Path, open_dashboard: Any, jp_serverapp: Any
) -> None:
    (jp_root_dir / "ask.ipynb").write_text(LIGHT)
    kernels = dashboards_of(jp_serverapp).kernels
    manager = jp_serverapp.kernel_manager
    before_kernels = set(manager.list_kernel_ids())
    before_tasks = len(asyncio.all_tasks())

    async def visit() -> None:
        page = await open_dashboard("ask.ipynb")
        try:
            await page.wait_text("light", 120)
        except BaseException:
            states = [
                (k.kernel_id, k.ready.is_set(), k.page is not None, k.failure, k.last_iopub)
                for k in kernels.kernels.values()
            ]
            raise AssertionError(f"{page.messages} {states}") from None
        page.ws.close()
        await page.closed(30)

    for _round in range(25):  # 50 visitors, 2 at a time
        await asyncio.gather(*(visit() for _ in range(2)))
    for _attempt in range(300):
        if not kernels.kernels and not kernels._stopping:
            break
        await asyncio.sleep(0.1)
    assert not kernels.kernels
    assert not kernels._stopping
    assert set(manager.list_kernel_ids()) == before_kernels
    assert len(asyncio.all_tasks()) <= before_tasks + 2


COMMANDS = notebook(
    (
        "code",
        "from pywebio_nb.output import put_buttons, put_text, toast\n"
        "from pywebio_nb.session import download, eval_js, run_js, set_env\n"
        "set_env(title='Commands')\n"
        "run_js('window.ran = true')\n"
        "download('a.txt', b'hi')\n"
        "put_text(f'js says {eval_js(\"6 * 7\")}')",
    ),
    ("code", "put_buttons(['Go'], onclick=lambda _v: toast('went'))"),
)


async def test_page_commands_eval_js_and_callbacks_work_in_a_dashboard(
    jp_root_dir: Path, open_dashboard: Any
) -> None:
    (jp_root_dir / "commands.ipynb").write_text(COMMANDS)
    page = await open_dashboard("commands.ipynb")
    question = await page.until(lambda m: m.get("kind") == "eval_js", 60)
    assert any(m.get("kind") == "env" and m["env"] == {"title": "Commands"} for m in page.messages)
    assert any(
        m.get("kind") == "run_js" and m["code"] == "window.ran = true" for m in page.messages
    )
    saved = [m for m in page.messages if m.get("kind") == "download"]
    assert saved and saved[0]["name"] == "a.txt" and saved[0]["payload"] == b"hi"
    page.send({"kind": "js_result", "id": question["id"], "value": 42})
    await page.wait_text("js says 42", 30)
    await page.until(lambda _m: any(n.get("type") == "buttons" for n in page.nodes()), 30)
    (buttons,) = [n for n in page.nodes() if n.get("type") == "buttons"]
    page.send({"kind": "callback", "cb": buttons["cb"], "value": 0})
    await page.until(
        lambda _m: any(n.get("type") == "toast" and "went" in str(n) for n in page.nodes()), 30
    )


WIDGETS = notebook(
    (
        "code",
        "from pywebio_nb.output import popup, put_datatable, put_text\n"
        "from pywebio_nb.pin import pin, pin_wait_change, put_input\n"
        "put_datatable([{'n': i} for i in range(1000)], height=200)\n"
        "put_input('city', label='City')\n"
        "changed = pin_wait_change('city')\n"
        "popup('Chosen', put_text(f\"city {changed['value']} / {pin.city}\"))",
    ),
)


async def test_pins_popups_and_a_datatable_work_in_a_dashboard(
    jp_root_dir: Path, open_dashboard: Any
) -> None:
    (jp_root_dir / "widgets.ipynb").write_text(WIDGETS)
    page = await open_dashboard("widgets.ipynb")
    await page.until(lambda _m: any(n.get("type") == "pin" for n in page.nodes()), 60)
    (table,) = [n for n in page.nodes() if n.get("type") == "datatable"]
    page.send({"kind": "rows", "id": table["id"], "start": 500, "count": 10})
    rows = await page.until(
        lambda m: m.get("kind") == "batch" and any(c.get("op") == "rows" for c in m["payload"]),
        30,
    )
    assert any(c.get("op") == "rows" and c["start"] == 500 for c in rows["payload"])
    (field,) = [n for n in page.nodes() if n.get("type") == "pin"]
    page.send({"kind": "input", "id": field["id"], "event": "change", "value": "Oslo"})
    await page.until(lambda _m: "city Oslo / Oslo" in str(page.nodes()), 30)
    assert any(n.get("type") == "popup" for n in page.nodes())


@pytest.mark.usefixtures("notebooks")
@pytest.mark.parametrize(
    ("webio_config", "status"),
    [({}, 302), ({"allow_anonymous": True}, 200)],
    indirect=["webio_config"],
    ids=["login-required", "anonymous-allowed"],
)
async def test_allow_anonymous_governs_dashboard_visitors(
    http_server_client: Any, jp_http_port: int, jp_base_url: str, webio_config: Any, status: int
) -> None:
    # No token, no cookie: a visitor who is not logged in.
    response = await http_server_client.fetch(
        f"{jp_base_url}webio/ask.ipynb", follow_redirects=False, raise_error=False
    )
    assert response.code == status
    socket_url = f"ws://localhost:{jp_http_port}{jp_base_url}webio/_nb/ask.ipynb"
    if status == 200:
        page = Page(await websocket_connect(socket_url))
        await answer_form(page, "Anonymous")
        await page.wait_text("hello Anonymous", 30)
        page.ws.close()
    else:
        with pytest.raises(HTTPClientError):
            await websocket_connect(socket_url)


FAILS = notebook(
    ("code", "from pywebio_nb.output import put_text\nput_text('before the error')"),
    ("code", "def divide(a, b):\n    return a / b\n\ndivide(1, 0)"),
)


@pytest.mark.parametrize("webio_config", [{}, {"debug": True}], indirect=True, ids=["", "debug"])
async def test_an_error_is_an_error_box_with_its_traceback_only_in_debug(
    jp_root_dir: Path, open_dashboard: Any, webio_config: dict[str, Any]
) -> None:
    (jp_root_dir / "fails.ipynb").write_text(FAILS)
    page = await open_dashboard("fails.ipynb")
    await page.until(lambda _m: any(n.get("type") == "error" for n in page.nodes()), 60)
    (error,) = [n for n in page.nodes() if n.get("type") == "error"]
    assert error["title"] == "ZeroDivisionError: division by zero"
    if webio_config.get("debug"):
        assert "divide(1, 0)" in error["traceback"] and "return a / b" in error["traceback"]
    else:
        assert "traceback" not in error
    assert "before the error" in page.texts()
