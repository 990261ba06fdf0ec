"""A real JupyterHub for tests: loopback, free ports, two users with apps in their homes.

:func:`running_hub` starts ``jupyterhub`` with configurable-http-proxy (``npm ci`` installs it),
the hub's dummy authenticator (one shared password) and two users, ``alice`` and ``bob``, whose
single-user servers (``jupyterhub-singleuser``: a jupyter-server authenticated by the hub's
OAuth) it starts with ``SimpleLocalProcessSpawner`` in homes under a folder of the test's, so it
runs the same as root (CI) and as any other user. The pywebio_nb extension is not named: it loads
because installing the package enables it (``jupyter-config/``). Each home holds ``hello.py``
and the user's own Jupyter config (``c.WebIO.reconnect_timeout``). bob's server refuses the
login cookie on WebSockets (``JUPYTERHUB_ALLOW_WEBSOCKET_COOKIE_AUTH=0``), alice's takes it
(the hub's default).

The hub stops its servers and its proxy when it stops; whatever it leaves behind is killed (a
:class:`TeardownOverrun` warning), and a process that outlives that fails the test.

Example:
    >>> with running_hub(tmp_path) as hub:  # doctest: +SKIP
    ...     hub.api("GET", "users/alice").json()["servers"][""]["ready"]
    True
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.bounded import TEARDOWN_TIMEOUT_S, TeardownOverrun, stop_process

REPO = Path(__file__).resolve().parents[1]
PROXY = REPO / "node_modules" / ".bin" / "configurable-http-proxy"

#: Seconds for the hub to answer, and for a user's server to start (a busy machine is slow).
START_TIMEOUT_S = 180.0
#: Seconds for one HTTP request or one app message.
REQUEST_TIMEOUT_S = 60.0

USERS = ("alice", "bob")
#: The dummy authenticator's password, the same for every user.
PASSWORD = "hub-test-password"
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


def require_hub() -> None:
    """Skip the test when the hub cannot run here; under ``CI=true``, fail it instead."""
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the JupyterHub test cannot run under CI: {missing}")
        pytest.skip(missing)


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
        """A request to the hub's REST API as the test's admin service."""
        return requests.request(
            method,
            f"{self.url}/hub/api/{path}",
            headers={"Authorization": f"token {self.token}"},
            timeout=REQUEST_TIMEOUT_S,
            **kwargs,
        )

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
        "DummyAuthenticator.password": PASSWORD,
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
    # bob's server takes no login cookie on WebSockets (a stricter hub's setting): his pages
    # must open theirs with the token the page carries.
    lines.append(
        "c.Spawner.environment = {'JUPYTERHUB_ALLOW_WEBSOCKET_COOKIE_AUTH': "
        "lambda spawner: '0' if spawner.user.name == 'bob' else '1'}"
    )
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


def _wait_ready(hub: Hub, deadline: float, check: Callable[[], object], what: str) -> object:
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


@contextlib.contextmanager
def running_hub(folder: Path) -> Iterator[Hub]:
    """A hub with both users' servers started and ready; stopped (bounded) on exit."""
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
