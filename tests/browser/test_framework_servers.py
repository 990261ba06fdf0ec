"""Apps in each web framework, under production servers, used in Chromium as a visitor would.

Flask and Django serve ``wsgi_app`` under gunicorn (one process, threads: HTTP long
polling), FastAPI mounts ``asgi_app`` under uvicorn, and aiohttp runs its own
``start_server`` (WebSocket). Each server is a child process on a loopback port, stopped
within the teardown bound. The app has a button with a callback, a form and an upload.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_harness import free_port
from playwright.sync_api import Page, expect

from tests.bounded import stop_process

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]

SITE_APPS = """
    import hashlib

    from pywebio_nb.input import file_upload, input, input_group
    from pywebio_nb.output import put_buttons, put_text


    def report(data):
        f = data["data"]
        digest = hashlib.sha256(f["content"]).hexdigest()
        size = len(f["content"])
        put_text(f"{data['title']} with {f['filename']}: {size} bytes, sha256 {digest}")


    def desk():
        put_buttons(["Greet"], onclick=lambda _v: put_text("greeted from a thread callback"))
        report(input_group("Report", [
            input("Title", name="title"),
            file_upload("Data file", name="data"),
        ]))


    async def adesk():
        async def greet(_value):
            put_text("greeted from a coroutine callback")

        put_buttons(["Greet"], onclick=greet)
        report(await input_group("Report", [
            input("Title", name="title"),
            file_upload("Data file", name="data"),
        ]))


    APPS = {"desk": desk, "adesk": adesk}
"""

SITES = {
    "flask_site.py": """
        from pywebio_nb.platform.flask import wsgi_app
        from site_apps import APPS

        app = wsgi_app(APPS)
    """,
    "django_site.py": """
        from pywebio_nb.platform.django import wsgi_app
        from site_apps import APPS

        app = wsgi_app(APPS)
    """,
    "fastapi_site.py": """
        from fastapi import FastAPI
        from pywebio_nb.platform.fastapi import asgi_app
        from site_apps import APPS

        app = FastAPI()
        app.mount("/tool", asgi_app(APPS))
    """,
    "aiohttp_site.py": """
        import sys
        from pywebio_nb.platform.aiohttp import start_server
        from site_apps import APPS

        start_server(APPS, port=int(sys.argv[1]), host="127.0.0.1")
    """,
}


def command(framework: str, port: int) -> list[str]:
    """The production command line of each framework's site."""
    gunicorn = [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "8"]
    gunicorn += ["--graceful-timeout", "5", "-b", f"127.0.0.1:{port}"]
    return {
        "flask": [*gunicorn, "flask_site:app"],
        "django": [*gunicorn, "django_site:app"],
        "fastapi": [
            *[sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port)],
            *["--timeout-graceful-shutdown", "5", "fastapi_site:app"],
        ],
        "aiohttp": [sys.executable, "aiohttp_site.py", str(port)],
    }[framework]


#: Where each site serves the apps.
PATHS = {"flask": "/", "django": "/", "fastapi": "/tool/", "aiohttp": "/"}


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sites")
    (folder / "site_apps.py").write_text(textwrap.dedent(SITE_APPS))
    for name, source in SITES.items():
        (folder / name).write_text(textwrap.dedent(source))
    return folder


@pytest.fixture
def site(site_dir: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Start the framework's site; yields the URL of its apps."""
    framework = request.param
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(site_dir), str(REPO), env.get("PYTHONPATH")])
    )
    log_path = site_dir / f"{framework}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        command(framework, port),
        cwd=site_dir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}{PATHS[framework]}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "?app=desk", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text()) from None
                time.sleep(0.2)
        yield url
    finally:
        stop_process(process)
        log.close()


CASES = [
    pytest.param("flask", "desk", "thread", id="flask-gunicorn"),
    pytest.param("django", "desk", "thread", id="django-gunicorn"),
    pytest.param("fastapi", "adesk", "coroutine", id="fastapi-uvicorn"),
    pytest.param("aiohttp", "adesk", "coroutine", id="aiohttp"),
]


@pytest.mark.parametrize(("site", "app", "kind"), CASES, indirect=["site"])
def test_a_visitor_clicks_fills_the_form_and_uploads(
    page: Page, site: str, app: str, kind: str, tmp_path: Path
) -> None:
    chosen = tmp_path / "figures.bin"
    chosen.write_bytes(random.Random(7).randbytes(1_500_000))  # two upload chunks
    page.goto(f"{site}?app={app}")
    page.get_by_role("button", name="Greet").click()
    expect(page.get_by_text(f"greeted from a {kind} callback")).to_be_visible()
    page.get_by_label("Title", exact=True).fill("Q3")
    page.get_by_label("Data file", exact=True).set_input_files(str(chosen))
    page.get_by_role("button", name="Submit").click()
    digest = hashlib.sha256(chosen.read_bytes()).hexdigest()
    expect(page.get_by_text(f"Q3 with figures.bin: 1500000 bytes, sha256 {digest}")).to_be_visible()
