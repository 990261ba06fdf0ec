"""``/webio/`` apps under JupyterHub: each user's apps behind the hub's login, nobody else's.

A real JupyterHub with its proxy, two users and their single-user servers (``tests/hub.py``).
Everything goes through the proxy's one public port, with the headers a browser sends
(``Sec-Fetch-Mode``: the hub decides by it whether a cookie may authenticate a request):

* alice, logged in, opens ``/user/alice/webio/hello``: the page, its scripts and styles load,
  and its WebSocket runs an app session (the app's first output arrives, a click runs its
  callback); a page of another site cannot open that WebSocket with her cookies;
* her page's connection drops and comes back within ``c.WebIO.reconnect_timeout`` (set in her
  own Jupyter config): the same session, with what the app put before;
* bob's server takes no login cookie on WebSockets (a stricter hub's setting, applied to
  browsers that send ``Sec-Fetch-Mode: websocket``): his page carries his token for its
  socket, which opens his app and nothing of alice's;
* bob, logged in, is refused alice's page (the hub does not let him into her server) and her
  WebSocket, with his cookies or with a token of his own;
* a visitor who is not logged in is sent to the hub's login page, and alice's WebSocket refuses
  him: ``c.WebIO.allow_anonymous`` stays off.

``tests/browser/test_jupyterhub_page.py`` does the first of these in Chromium.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
import requests
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect
from webio_client import Page

from tests.hub import PASSWORD, REQUEST_TIMEOUT_S, Hub, require_hub, running_hub

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    require_hub()
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


# ---------------------------------------------------------------- a browser, over HTTP

#: The headers a browser sends when it opens a page (a "navigation").
NAVIGATE = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}


def browser() -> requests.Session:
    session = requests.Session()
    session.headers.update(NAVIGATE)
    return session


def login(hub: Hub, user: str) -> requests.Session:
    """A browser that logged in at the hub's login form as ``user``."""
    session = browser()
    form = session.get(f"{hub.url}/hub/login", timeout=REQUEST_TIMEOUT_S)
    assert form.status_code == 200, form.text
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text)
    assert xsrf is not None, form.text
    done = session.post(
        f"{hub.url}/hub/login",
        data={"username": user, "password": PASSWORD, "_xsrf": xsrf.group(1)},
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT_S,
    )
    assert done.status_code == 302, (done.status_code, done.text, hub.log_tail())
    return session


class _Assets(HTMLParser):
    """What a page loads, and how a browser fetches each (its ``Sec-Fetch-Mode``)."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str]] = []
        self.config: dict[str, Any] | None = None
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "script" and attr.get("src") and attr.get("type") == "module":
            self.loads.append((str(attr["src"]), "cors"))  # module scripts are CORS fetches
        elif tag == "script" and attr.get("src"):
            self.loads.append((str(attr["src"]), "no-cors"))
        elif tag == "link" and attr.get("rel") == "modulepreload" and attr.get("href"):
            self.loads.append((str(attr["href"]), "cors"))
        elif tag == "link" and attr.get("rel") == "stylesheet" and attr.get("href"):
            self.loads.append((str(attr["href"]), "no-cors"))
        self._in_config = tag == "script" and attr.get("id") == "pywebio-nb-config"

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config = json.loads(data)
            self._in_config = False


def page_config(page: requests.Response) -> dict[str, Any]:
    """What the server put in the page's ``#pywebio-nb-config``."""
    found = _Assets()
    found.feed(page.text)
    assert found.config is not None, page.text
    return found.config


def open_app(hub: Hub, session: requests.Session, path: str) -> requests.Response:
    """GET an app page as a browser does: following the hub's OAuth redirects."""
    return session.get(f"{hub.url}{path}", timeout=REQUEST_TIMEOUT_S)


async def _first_output(url: str, headers: dict[str, str], text: str) -> None:
    """Open an app's WebSocket, read its first output, click its button."""
    page = await _connect(url, headers)
    try:
        await page.wait_text(text, timeout=REQUEST_TIMEOUT_S)
        await _click_go(page)
    finally:
        page.ws.close()


async def _click_go(page: Page) -> None:
    """Click the app's button as the page does; its callback puts a text."""
    await page.until(
        lambda _m: any(n["type"] == "buttons" for n in page.nodes()), REQUEST_TIMEOUT_S
    )
    callback = next(n["cb"] for n in page.nodes() if n["type"] == "buttons")
    page.send({"kind": "callback", "cb": callback, "value": 0})
    await page.wait_text("clicked go", timeout=REQUEST_TIMEOUT_S)


async def _connect(url: str, headers: dict[str, str]) -> Page:
    request = HTTPRequest(url, headers=headers, request_timeout=REQUEST_TIMEOUT_S)
    return Page(await asyncio.wait_for(websocket_connect(request), REQUEST_TIMEOUT_S))


async def _comes_back(url: str, headers: dict[str, str]) -> None:
    """Open the app, drop the connection, and come back to the same session with its output."""
    first = await _connect(url, headers)
    hello = await first.until(lambda m: m.get("kind") == "hello", REQUEST_TIMEOUT_S)
    await first.wait_text("hello from a hub app", REQUEST_TIMEOUT_S)
    first.ws.close()
    await first.closed(REQUEST_TIMEOUT_S)
    again = await _resume(f"{url}?session={hello['session']}", headers)
    try:
        back = await again.until(lambda m: m.get("kind") == "hello", REQUEST_TIMEOUT_S)
        assert back["session"] == hello["session"]
        await again.until(lambda m: m.get("kind") == "snapshot", REQUEST_TIMEOUT_S)
        assert "hello from a hub app" in again.texts()  # what the app put before the drop
        await _click_go(again)  # the same session, alive: its callback runs
    finally:
        again.ws.close()


async def _resume(url: str, headers: dict[str, str]) -> Page:
    """Connect to ``?session=``; again while the server has not yet seen the drop (4410)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + REQUEST_TIMEOUT_S
    while True:
        page = await _connect(url, headers)
        with contextlib.suppress(AssertionError):  # closed before its hello
            await page.until(lambda m: m.get("kind") == "hello", REQUEST_TIMEOUT_S)
            return page
        assert page.ws.close_code == 4410 and loop.time() < deadline, page.ws.close_code
        await asyncio.sleep(0.2)


async def _refused(url: str, headers: dict[str, str]) -> int:
    request = HTTPRequest(url, headers=headers, request_timeout=REQUEST_TIMEOUT_S)
    try:
        ws = await asyncio.wait_for(websocket_connect(request), REQUEST_TIMEOUT_S)
    except HTTPClientError as error:
        return error.code
    ws.close()
    raise AssertionError(f"the WebSocket {url} let the visitor in")


def socket_headers(hub: Hub, session: requests.Session | None, path: str) -> dict[str, str]:
    """What a browser sends to open a page's WebSocket: its Origin, its cookies for ``path``."""
    headers = {"Origin": hub.url, "Sec-Fetch-Mode": "websocket", "Sec-Fetch-Dest": "websocket"}
    if session is not None:
        cookies = [
            f"{cookie.name}={cookie.value}"
            for cookie in session.cookies
            if path.startswith(cookie.path or "/")
        ]
        headers["Cookie"] = "; ".join(cookies)
    return headers


def ws_url(hub: Hub, path: str) -> str:
    return "ws" + hub.url.removeprefix("http") + path


APP = "/user/alice/webio/hello"
SOCKET = "/user/alice/webio/_ws/hello"


# ---------------------------------------------------------------- the tests


def test_a_user_opens_their_app_and_its_session_runs(hub: Hub) -> None:
    alice = login(hub, "alice")
    page = open_app(hub, alice, APP)
    assert page.status_code == 200, (page.status_code, page.url, hub.log_tail())
    assert page.url == f"{hub.url}{APP}"  # back from the hub's OAuth, at the app
    assets = _Assets()
    assets.feed(page.text)
    assert page_config(page)["ws"] == SOCKET  # under the user's prefix, not the server's root
    assert assets.loads, page.text
    for src, mode in assets.loads:
        assert src.startswith("/user/alice/webio/_static/"), src
        headers = {"Sec-Fetch-Mode": mode, "Sec-Fetch-Site": "same-origin", "Referer": page.url}
        loaded = alice.get(
            f"{hub.url}{src}", headers=headers, allow_redirects=False, timeout=REQUEST_TIMEOUT_S
        )
        assert loaded.status_code == 200, (src, mode, loaded.status_code, loaded.headers)
    headers = socket_headers(hub, alice, SOCKET)
    asyncio.run(_first_output(ws_url(hub, SOCKET), headers, "hello from a hub app"))
    # Her cookies from a page of another site do not open it (jupyter-server's Origin check).
    foreign = {**headers, "Origin": "http://elsewhere.example", "Sec-Fetch-Site": "cross-site"}
    assert asyncio.run(_refused(ws_url(hub, SOCKET), foreign)) == 403


def test_a_dropped_page_comes_back_to_its_session(hub: Hub) -> None:
    alice = login(hub, "alice")
    assert open_app(hub, alice, APP).status_code == 200  # through the OAuth: her cookie
    asyncio.run(_comes_back(ws_url(hub, SOCKET), socket_headers(hub, alice, SOCKET)))


def test_a_server_that_refuses_cookies_on_sockets_takes_the_pages_token(hub: Hub) -> None:
    bob = login(hub, "bob")  # his server: JUPYTERHUB_ALLOW_WEBSOCKET_COOKIE_AUTH=0
    page = open_app(hub, bob, "/user/bob/webio/hello")
    assert page.status_code == 200, (page.status_code, page.url)
    token = page_config(page).get("token")
    assert token, "the page carries no token for its socket"
    socket = "/user/bob/webio/_ws/hello"
    headers = socket_headers(hub, bob, socket)
    assert asyncio.run(_refused(ws_url(hub, socket), headers)) == 403  # his cookie alone
    with_token = ws_url(hub, socket) + f"?token={token}"
    asyncio.run(_first_output(with_token, headers, "hello from a hub app"))
    # The token is his: it opens nothing of alice's.
    alices = ws_url(hub, SOCKET) + f"?token={token}"
    assert asyncio.run(_refused(alices, socket_headers(hub, None, SOCKET))) == 403


def test_another_user_is_refused(hub: Hub) -> None:
    bob = login(hub, "bob")
    own = open_app(hub, bob, "/user/bob/webio/hello")
    assert own.status_code == 200, (own.status_code, own.url)
    page = open_app(hub, bob, APP)
    assert page.status_code == 403, (page.status_code, page.url, page.text[:500])
    assert "pywebio-nb-config" not in page.text
    # His cookies (for every path, his own server's too) do not open alice's socket...
    everything = socket_headers(hub, bob, "/")
    everything["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in bob.cookies)
    assert asyncio.run(_refused(ws_url(hub, SOCKET), everything)) == 403
    # ...nor does a token of his own, which the hub accepts on WebSockets.
    made = hub.api("POST", "users/bob/tokens", json={"note": "bob's own"})
    assert made.status_code == 201, made.text
    token = made.json()["token"]
    with_token = ws_url(hub, SOCKET) + f"?token={token}"
    assert asyncio.run(_refused(with_token, socket_headers(hub, None, SOCKET))) == 403
    # The same token does open bob's own app: the refusal is about whose server it is.
    mine = ws_url(hub, "/user/bob/webio/_ws/hello") + f"?token={token}"
    headers = socket_headers(hub, None, "/user/bob/")
    asyncio.run(_first_output(mine, headers, "hello from a hub app"))


def test_anonymous_visitors_are_sent_to_the_login(hub: Hub) -> None:
    visitor = browser()
    page = open_app(hub, visitor, APP)
    assert page.status_code == 200, (page.status_code, page.url)
    assert page.url.startswith(f"{hub.url}/hub/login"), page.url  # the hub's login form
    assert "pywebio-nb-config" not in page.text
    for path in (APP, "/user/alice/webio/_static/page.js"):
        first = visitor.get(f"{hub.url}{path}", allow_redirects=False, timeout=REQUEST_TIMEOUT_S)
        assert first.status_code == 302, (path, first.status_code)  # to the hub's OAuth
        assert first.headers["Location"].startswith("/hub/api/oauth2/authorize?"), path
    assert asyncio.run(_refused(ws_url(hub, SOCKET), socket_headers(hub, None, SOCKET))) == 403
