"""The /webio/ extension on a real jupyter-server: routes, auth, apps, sessions."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
import tornado.httpclient
import tornado.websocket
from tornado.httpclient import HTTPClientError

pytestmark = pytest.mark.server


def base(jp_base_url: str, port: int, *parts: str, scheme: str = "http") -> str:
    return f"{scheme}://127.0.0.1:{port}{jp_base_url}" + "/".join(parts)


async def test_page_requires_login(http_server_client: Any, jp_base_url: str) -> None:
    response = await http_server_client.fetch(
        f"{jp_base_url}webio/hello", raise_error=False, follow_redirects=False
    )
    assert response.code == 302
    assert response.headers["Location"].startswith(f"{jp_base_url}login?next=")


async def test_page_has_docstring_title_and_joined_urls(jp_fetch: Any, jp_base_url: str) -> None:
    response = await jp_fetch("webio", "hello")
    html = response.body.decode()
    assert "<title>Hello app</title>" in html
    assert 'content="Says hello."' in html
    assert f'"{jp_base_url}webio/_ws/hello"' in html
    assert f"{jp_base_url}webio/_static/page.js" in html


async def test_assets_require_login_and_are_served(
    jp_fetch: Any, http_server_client: Any, jp_base_url: str
) -> None:
    response = await jp_fetch("webio", "_static", "page.js")
    assert b"WebSocket" in response.body
    anonymous = await http_server_client.fetch(
        f"{jp_base_url}webio/_static/page.js", raise_error=False, follow_redirects=False
    )
    assert anonymous.code in (302, 403)


async def test_assets_travel_gzipped_to_browsers_that_accept_it(jp_fetch: Any) -> None:
    plain = await jp_fetch("webio", "_static", "page.js", decompress_response=False)
    packed = await jp_fetch(
        "webio",
        "_static",
        "page.js",
        headers={"Accept-Encoding": "gzip"},
        decompress_response=False,
    )
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.body) == plain.body
    assert len(packed.body) < len(plain.body) / 2


async def test_chunks_page_js_imports_are_served_gzipped_behind_login(
    jp_fetch: Any, http_server_client: Any, jp_base_url: str
) -> None:
    page = (await jp_fetch("webio", "_static", "page.js")).body.decode()
    chunks = sorted(set(re.findall(r"""["']\./(page-[\w-]+\.js)["']""", page)))
    assert any(name.startswith("page-markdown-") for name in chunks), chunks
    for name in chunks:
        packed = await jp_fetch(
            "webio", "_static", name, headers={"Accept-Encoding": "gzip"}, decompress_response=False
        )
        assert packed.headers["Content-Type"].startswith(
            ("text/javascript", "application/javascript")
        )
        assert packed.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.body)
        anonymous = await http_server_client.fetch(
            f"{jp_base_url}webio/_static/{name}", raise_error=False, follow_redirects=False
        )
        assert anonymous.code in (302, 403), name
    # Chunks resolve next to page.js: the page needs no import map.
    html = (await jp_fetch("webio", "hello")).body.decode()
    assert "importmap" not in html


async def test_unknown_and_hidden_apps_are_404(jp_fetch: Any) -> None:
    for parts in (("webio", "nope"), ("webio", "_private"), ("webio", "notanapp")):
        with pytest.raises(HTTPClientError) as error:
            await jp_fetch(*parts)
        assert error.value.code == 404, parts


async def test_folder_without_slash_redirects(jp_fetch: Any, jp_base_url: str) -> None:
    with pytest.raises(HTTPClientError) as error:
        await jp_fetch("webio", "sub", follow_redirects=False)
    assert error.value.code == 302
    assert error.value.response.headers["Location"] == f"{jp_base_url}webio/sub/"


async def test_websocket_requires_login(
    http_server_client: Any, jp_http_port: int, jp_base_url: str
) -> None:
    url = base(jp_base_url, jp_http_port, "webio", "_ws", "hello", scheme="ws")
    with pytest.raises(HTTPClientError) as error:
        await tornado.websocket.websocket_connect(url)
    assert error.value.code == 403


async def test_thread_app_runs_and_its_button_calls_back(open_page: Any) -> None:
    page = await open_page("hello")
    hello = await page.next()
    assert hello["kind"] == "hello" and hello["session"]
    snapshot = await page.next()
    assert snapshot["kind"] == "snapshot"
    await page.wait_text("hello from a thread app")
    buttons = await page.until(lambda _m: any(n["type"] == "buttons" for n in page.nodes()))
    assert buttons
    cb = next(n["cb"] for n in page.nodes() if n["type"] == "buttons")
    page.send({"kind": "callback", "cb": cb, "value": 0})
    await page.wait_text("clicked go")


async def test_coroutine_app_runs_then_session_ends(open_page: Any) -> None:
    page = await open_page("ahello")
    await page.wait_text("hello from a coroutine app")
    await page.until(lambda m: m.get("kind") == "ended")
    assert await page.closed() == 1000


async def test_index_lists_apps_and_folders_but_not_hidden_names(open_page: Any) -> None:
    page = await open_page("")
    await page.wait_text("hello")
    texts = page.texts()
    assert {"hello", "ahello", "broken", "sub/", "alpha", "beta"} <= set(texts)
    assert not any("private" in t or "notanapp" in t for t in texts)


async def test_folder_index_lists_its_apps(open_page: Any) -> None:
    page = await open_page("sub/")
    await page.wait_text("inner")
    assert "../" in page.texts()


async def test_app_parameter_chooses_a_registered_app(open_page: Any) -> None:
    page = await open_page("", params={"app": "beta"})
    await page.wait_text("registered beta")
    assert "registered alpha" not in page.texts()


async def test_app_error_is_shown_without_traceback_and_logged(
    open_page: Any, caplog: pytest.LogCaptureFixture
) -> None:
    page = await open_page("broken")
    error = await page.until(lambda _m: any(n["type"] == "error" for n in page.nodes()))
    assert error
    box = next(n for n in page.nodes() if n["type"] == "error")
    assert "secret detail" not in json.dumps(box)
    assert "traceback" not in box
    assert any("secret detail" in str(r.exc_info) for r in caplog.records if r.exc_info)


@pytest.mark.parametrize("webio_config", [{"debug": True}])
async def test_debug_shows_the_traceback(open_page: Any) -> None:
    page = await open_page("broken")
    await page.until(lambda _m: any(n["type"] == "error" for n in page.nodes()))
    box = next(n for n in page.nodes() if n["type"] == "error")
    assert "secret detail" in box["title"]
    assert 'raise ValueError("secret detail")' in box["traceback"]


async def test_a_session_cannot_call_back_into_another(open_page: Any) -> None:
    first = await open_page("hello")
    second = await open_page("hello")
    await first.until(lambda _m: any(n["type"] == "buttons" for n in first.nodes()))
    await second.until(lambda _m: any(n["type"] == "buttons" for n in second.nodes()))
    cb = next(n["cb"] for n in first.nodes() if n["type"] == "buttons")
    forged = cb + 1000
    second.send({"kind": "callback", "cb": forged, "value": 0})
    error = await second.until(lambda m: m.get("kind") == "error")
    assert "unknown callback id" in error["message"]
    assert "clicked go" not in first.texts()
    first.send({"kind": "callback", "cb": cb, "value": 0})
    await first.wait_text("clicked go")


async def test_malformed_message_closes_only_that_connection(open_page: Any) -> None:
    bad = await open_page("hello")
    good = await open_page("hello")
    await bad.wait_text("hello from a thread app")
    await good.until(lambda _m: any(n["type"] == "buttons" for n in good.nodes()))
    bad.ws.write_message("{not json")
    assert await bad.closed() == 1003
    cb = next(n["cb"] for n in good.nodes() if n["type"] == "buttons")
    good.send({"kind": "callback", "cb": cb, "value": 0})
    await good.wait_text("clicked go")


@pytest.mark.parametrize("webio_config", [{"max_payload_size": "1k"}])
async def test_oversized_message_closes_the_connection(open_page: Any) -> None:
    page = await open_page("hello")
    await page.wait_text("hello from a thread app")
    page.send({"kind": "callback", "cb": 1, "value": "x" * 5000})
    assert await page.closed() == 1009


async def _cookie(http_server_client: Any, jp_base_url: str, token_header: dict[str, str]) -> str:
    response = await http_server_client.fetch(f"{jp_base_url}webio/hello", headers=token_header)
    cookies = response.headers.get_list("Set-Cookie")
    return "; ".join(c.split(";")[0] for c in cookies)


async def test_cookie_websocket_checks_origin(
    http_server_client: Any, jp_base_url: str, jp_http_port: int, jp_auth_header: dict[str, str]
) -> None:
    cookie = await _cookie(http_server_client, jp_base_url, jp_auth_header)
    assert cookie
    url = base(jp_base_url, jp_http_port, "webio", "_ws", "hello", scheme="ws")
    same = tornado.httpclient.HTTPRequest(
        url, headers={"Cookie": cookie, "Origin": f"http://127.0.0.1:{jp_http_port}"}
    )
    ws = await tornado.websocket.websocket_connect(same)
    assert json.loads(await ws.read_message())["kind"] == "hello"
    ws.close()
    foreign = tornado.httpclient.HTTPRequest(
        url, headers={"Cookie": cookie, "Origin": "http://evil.example"}
    )
    with pytest.raises(HTTPClientError) as error:
        await tornado.websocket.websocket_connect(foreign)
    assert error.value.code == 403


@pytest.mark.parametrize("webio_config", [{"allow_anonymous": True}])
async def test_anonymous_opt_in_opens_webio_only(
    http_server_client: Any, jp_base_url: str, jp_http_port: int
) -> None:
    page = await http_server_client.fetch(f"{jp_base_url}webio/hello")
    assert page.code == 200
    ws = await tornado.websocket.websocket_connect(
        base(jp_base_url, jp_http_port, "webio", "_ws", "hello", scheme="ws")
    )
    assert json.loads(await ws.read_message())["kind"] == "hello"
    ws.close()
    api = await http_server_client.fetch(
        f"{jp_base_url}api/contents", raise_error=False, follow_redirects=False
    )
    assert api.code == 403
    foreign = tornado.httpclient.HTTPRequest(
        base(jp_base_url, jp_http_port, "webio", "_ws", "hello", scheme="ws"),
        headers={"Origin": "http://evil.example", "Host": f"127.0.0.1:{jp_http_port}"},
    )
    with pytest.raises(HTTPClientError) as error:
        await tornado.websocket.websocket_connect(foreign)
    assert error.value.code == 403
