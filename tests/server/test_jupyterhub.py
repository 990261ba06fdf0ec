"""``/webio/`` apps under JupyterHub: each user's apps behind the hub's login, nobody else's.

A real JupyterHub with configurable-http-proxy (``npm ci`` installs it) on loopback, with free
ports, the hub's dummy authenticator (one shared password) and two users, ``alice`` and ``bob``.
Each user's single-user server (``jupyterhub-singleuser``, a jupyter-server authenticated by the
hub's OAuth) is started by the hub's ``SimpleLocalProcessSpawner`` in a home folder of its own
under the test's temporary folder, so it runs the same as root (CI) and as any other user. The
pywebio_nb extension is not named anywhere here: it loads because installing the package enables
it (``jupyter-config/``). Each home holds an app, ``hello.py``.

Everything goes through the proxy's one public port, with the headers a browser sends
(``Sec-Fetch-Mode``: the hub decides by it whether a cookie may authenticate a request):

* alice, logged in, opens ``/user/alice/webio/hello``: the page, its scripts and styles load,
  and its WebSocket runs an app session (the app's first output arrives, a click runs its
  callback); a page of another site cannot open that WebSocket with her cookies;
* her page's connection drops and comes back within ``c.WebIO.reconnect_timeout`` (set in her
  own Jupyter config): the same session, with what the app put before;
* bob, logged in, is refused alice's page (the hub does not let him into her server) and her
  WebSocket, with his cookies or with a token of his own;
* a visitor who is not logged in is sent to the hub's login page, and alice's WebSocket refuses
  him: ``c.WebIO.allow_anonymous`` stays off.

The hub stops its servers and its proxy when it stops; whatever it leaves behind is killed, and
the test fails if any process it started is still alive.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import requests
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect
from webio_client import Page

from tests.bounded import TEARDOWN_TIMEOUT_S, TeardownOverrun, stop_process

pytestmark = pytest.mark.server

REPO = Path(__file__).resolve().parents[2]
PROXY = REPO / "node_modules" / ".bin" / "configurable-http-proxy"

#: Seconds for the hub to answer, and for a user's server to start (a busy machine is slow).
START_TIMEOUT_S = 180.0
#: Seconds for one HTTP request or one app message.
REQUEST_TIMEOUT_S = 60.0

USERS = ("alice", "bob")
#: The users' ``c.WebIO.reconnect_timeout``.
RECONNECT_TIMEOUT_S = 120.0

HELLO = '''
    from pywebio_nb.output import put_buttons, put_text


    def main():
        """Hello from the hub"""
        put_text("hello from a hub app")
        # A callback keeps the session open after main() returns.
        put_buttons(["go"], onclick=lambda value: put_text(f"clicked {value}"))
'''


def _missing() -> str | None:
    """Why the hub cannot run here, if it cannot."""
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "jupyterhub is not installed (pip install -e '.[test]')"
    if shutil.which("node") is None:
        return "node is not installed"
    if not PROXY.exists():
        return "configurable-http-proxy is not installed (npm ci)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------- the hub


@dataclass
class Hub:
    """A running hub: its public URL, an admin token and its log."""

    url: str
    token: str
    log: Path
    process: subprocess.Popen[bytes]

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        response = requests.request(
            method,
            f"{self.url}/hub/api/{path}",
            headers={"Authorization": f"token {self.token}"},
            timeout=REQUEST_TIMEOUT_S,
            **kwargs,
        )
        return response

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def hub_config(folder: Path, url: str, token: str) -> str:
    """A ``jupyterhub_config.py``: public at ``url``, files in ``folder``, two users."""
    singleuser = [sys.executable, "-m", "jupyterhub.singleuser"]
    # jupyter-server refuses to run as root without being told (CI runs as root).
    args = ["--allow-root"] if os.geteuid() == 0 else []
    settings = {
        "JupyterHub.bind_url": url,
        "JupyterHub.hub_bind_url": f"http://127.0.0.1:{free_port()}",
        "ConfigurableHTTPProxy.api_url": f"http://127.0.0.1:{free_port()}",
        "ConfigurableHTTPProxy.command": [str(PROXY)],
        "ConfigurableHTTPProxy.pid_file": str(folder / "proxy.pid"),
        "JupyterHub.pid_file": str(folder / "hub.pid"),
        "JupyterHub.db_url": f"sqlite:///{folder / 'jupyterhub.sqlite'}",
        "JupyterHub.cookie_secret_file": str(folder / "cookie_secret"),
        "JupyterHub.authenticator_class": "dummy",
        "DummyAuthenticator.password": "hub-test-password",
        "Authenticator.allowed_users": list(USERS),
        "JupyterHub.spawner_class": "simple",
        "SimpleLocalProcessSpawner.home_dir_template": str(folder / "home" / "{username}"),
        "Spawner.cmd": singleuser,
        "Spawner.args": args,
        "Spawner.ip": "127.0.0.1",
        "Spawner.start_timeout": int(START_TIMEOUT_S),
        "Spawner.http_timeout": int(START_TIMEOUT_S),
        # The test's own admin: starts the users' servers and makes a token for bob.
        "JupyterHub.services": [{"name": "hub-test", "api_token": token}],
        "JupyterHub.load_roles": [
            {
                "name": "hub-test",
                "scopes": ["admin:users", "admin:servers", "tokens"],
                "services": ["hub-test"],
            }
        ],
    }
    lines = [f"c.{name} = {value!r}" for name, value in settings.items()]
    return "\n".join(lines) + "\n"


def _descendants(pid: int) -> set[int]:
    """Every living process under ``pid`` (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            parent = int(stat.rpartition(")")[2].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_ready(hub: Hub, deadline: float, check: Any, what: str) -> Any:
    """Poll ``check()`` until it returns something, the hub dies or ``deadline`` passes."""
    while True:
        if hub.process.poll() is not None:
            raise AssertionError(f"the hub exited while {what}:\n{hub.log_tail()}")
        with contextlib.suppress(requests.RequestException):
            found = check()
            if found:
                return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out {what}:\n{hub.log_tail()}")
        time.sleep(0.5)


def _stop_hub(hub: Hub) -> None:
    """SIGTERM the hub (it stops its servers and proxy), then kill whatever it left behind.

    The users' servers and the proxy run in sessions of their own (the hub starts them so),
    outside the hub's process group: they are found as its descendants before it stops.
    """
    started = _descendants(hub.process.pid)
    stop_process(hub.process, grace=TEARDOWN_TIMEOUT_S)
    _wait_gone(started, TEARDOWN_TIMEOUT_S)
    left = sorted(pid for pid in started if _alive(pid))
    if left:
        warnings.warn(
            TeardownOverrun(f"the hub left {left} running after it stopped; killed"),
            stacklevel=1,
        )
        for pid in left:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        _wait_gone(started, TEARDOWN_TIMEOUT_S)
    alive = sorted(pid for pid in started if _alive(pid))
    assert not alive, f"processes the hub started outlived a SIGKILL: {alive}"


def _wait_gone(pids: set[int], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"JupyterHub test cannot run under CI: {missing}")
        pytest.skip(missing)
    folder = tmp_path_factory.mktemp("hub")
    for user in USERS:
        home = folder / "home" / user
        home.mkdir(parents=True)
        (home / "hello.py").write_text(textwrap.dedent(HELLO))
        # The user's own Jupyter config (HOME is this folder): a dropped page may come back.
        (home / ".jupyter").mkdir()
        settings = {"WebIO": {"reconnect_timeout": RECONNECT_TIMEOUT_S}}
        (home / ".jupyter" / "jupyter_server_config.json").write_text(json.dumps(settings))
    token = secrets.token_hex(16)
    url = f"http://127.0.0.1:{free_port()}"
    config = folder / "jupyterhub_config.py"
    config.write_text(hub_config(folder, url, token))
    log = folder / "hub.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Hub(url, token, log, process)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        _wait_ready(running, deadline, lambda: running.api("GET", "").ok, "starting the hub")
        for user in USERS:
            started = running.api("POST", f"users/{user}/server")
            assert started.status_code in (201, 202), started.text

            def ready(user: str = user) -> bool:
                model = running.api("GET", f"users/{user}").json()
                return bool(model["servers"].get("", {}).get("ready"))

            _wait_ready(running, deadline, ready, f"starting {user}'s server")
        yield running
    finally:
        _stop_hub(running)


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
        data={"username": user, "password": "hub-test-password", "_xsrf": xsrf.group(1)},
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
    assert assets.config is not None, page.text
    assert assets.config["ws"] == SOCKET  # under the user's prefix, not the server's root
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
