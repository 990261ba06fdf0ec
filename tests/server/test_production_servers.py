"""``wsgi_app`` under gunicorn, as a deployment runs it, driven by a scripted polling page.

gunicorn's default sync worker has one thread: a poll must not be held there (the page's next
event would wait behind it), so the session still answers promptly. Django's ``wsgi_app``
configures Django for its process, so it only runs in a process of its own, as here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from framework_page import PollPage, SocketPage, http_get

from tests.bounded import stop_process

pytestmark = pytest.mark.server

REPO = Path(__file__).resolve().parents[2]

SITES = {
    "flask_site.py": """
        from framework_apps import APPS
        from pywebio_nb.platform.flask import wsgi_app

        app = wsgi_app(APPS, static_dir="public")
    """,
    "django_site.py": """
        from framework_apps import APPS
        from pywebio_nb.platform.django import wsgi_app

        app = wsgi_app(APPS, static_dir="public", max_payload_size="2M")
    """,
}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log_path.read_text()) from None
            time.sleep(0.2)


@pytest.fixture
def gunicorn(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    site, *options = request.param
    for name, source in SITES.items():
        (tmp_path / name).write_text(textwrap.dedent(source))
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "note.txt").write_text("a static file")
    port = free_port()
    env = dict(os.environ)
    here = str(Path(__file__).parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [here, str(REPO), env.get("PYTHONPATH")]))
    log_path = tmp_path / "gunicorn.log"
    log = log_path.open("wb")
    command = [sys.executable, "-m", "gunicorn", "-w", "1", *options]
    command += ["--graceful-timeout", "5", "-b", f"127.0.0.1:{port}", f"{site}:app"]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(url + "?app=hello", process, log_path)
        yield url
    finally:
        stop_process(process)
        log.close()


@pytest.mark.parametrize(
    "gunicorn",
    [("flask_site",), ("flask_site", "--threads", "8"), ("django_site", "--threads", "8")],
    ids=["flask-sync-worker", "flask-threads", "django-threads"],
    indirect=True,
)
def test_a_session_runs_under_gunicorn(gunicorn: str) -> None:
    page = PollPage(gunicorn + "?app=ask")
    page.submit(page.wait_node("form"), {"data": "Ada"})
    page.wait_text("hello Ada")
    page = PollPage(gunicorn + "?app=ahello")
    page.click(page.wait_node("buttons"))
    page.wait_text("clicked go")
    status, _headers, body = http_get(gunicorn + "static/note.txt")
    assert (status, body) == (200, b"a static file")


@pytest.mark.parametrize("framework", ["flask", "django", "aiohttp", "fastapi"])
def test_start_server_serves_the_apps(tmp_path: Path, framework: str) -> None:
    port = free_port()
    script = (
        "from framework_apps import APPS\n"
        f"from pywebio_nb.platform.{framework} import start_server\n"
        f"start_server(APPS, port={port}, host='127.0.0.1')\n"
    )
    env = dict(os.environ)
    here = str(Path(__file__).parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [here, str(REPO), env.get("PYTHONPATH")]))
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_for(url + "?app=info", process, log_path)
            if framework in ("flask", "django"):
                PollPage(url + "?app=info").wait_text(f"backend {framework} protocol http")
            else:
                page = SocketPage(url + "?app=info")
                backend = "starlette" if framework == "fastapi" else framework
                page.wait_text(f"backend {backend} protocol websocket")
                page.close()
        finally:
            stop_process(process)
