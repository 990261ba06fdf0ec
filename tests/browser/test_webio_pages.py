"""Apps on /webio/ in a real jupyter-server, seen and clicked in Chromium.

The server is ``jupyter server`` with the pywebio_nb extension enabled on the command line and
this checkout on ``PYTHONPATH``; the page logs in with ``?token=`` and the WebSocket then rides
the login cookie, as a visitor's browser does.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from jupyter_harness import free_port, hermetic_environment
from playwright.sync_api import Page, Route, expect

from tests.bounded import stop_process

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
#: A base URL with a character that must stay escaped (pytest-jupyter's default too).
BASE_URL = "/a%40b/"

#: Outputs and a field whose code page.js imports on first use (its chunks).
RICH_APP = """
    from pywebio_nb.input import textarea
    from pywebio_nb.output import put_code, put_markdown, put_text

    def main():
        put_markdown("## Rich heading\\n*emphasis*")
        put_code("def f():\\n    return 1", language="python")
        src = textarea("Source", code={"mode": "python"}, value="x = 1")
        put_text("got " + repr(src))
"""

APPS = {
    "counter.py": '''
        from pywebio_nb.output import put_buttons, put_text
        from pywebio_nb.session import eval_js

        def main():
            """Thread counter"""
            put_text("thread app ready")
            put_text("js says " + str(eval_js("6 * 7")))
            put_buttons(["Add"], onclick=lambda _v: put_text("added in a thread"))
    ''',
    "acounter.py": '''
        from pywebio_nb.output import put_buttons, put_text
        from pywebio_nb.session import eval_js

        async def main():
            """Coroutine counter"""
            put_text("coroutine app ready")
            put_text("js says " + str(await eval_js("6 * 7")))

            async def add(_value):
                put_text("added in a coroutine")

            put_buttons(["Add"], onclick=add)
    ''',
    "dark.py": """
        from pywebio_nb.output import put_text
        from pywebio_nb.platform import config

        @config(theme="dark", title="Dark page")
        def main():
            put_text("in the dark")
    """,
    "files.py": """
        from pywebio_nb.output import put_buttons
        from pywebio_nb.session import download, run_js

        def main():
            run_js("document.body.dataset.ranJs = value", value="yes")
            put_buttons(["Save"], onclick=lambda _v: download("hello.txt", b"hello file"))
    """,
    "outputs.py": """
        from pywebio_nb.output import (
            close_popup, popup, put_buttons, put_collapse, put_datatable, put_row, put_text, toast,
        )

        def main():
            put_row([put_text("left"), None, put_text("right")], size="1fr 10px 1fr")
            with put_collapse("More", open=True):
                put_text("in the collapse")
            put_datatable([{"n": i} for i in range(100_000)], height=200,
                          onselect=lambda n: toast(f"picked {n}"))
            put_buttons(["Open"], onclick=lambda _v: popup(
                "Page popup", put_buttons(["Done"], onclick=lambda _v: close_popup())))
    """,
    "rich.py": RICH_APP,
}


@dataclass
class WebIOServer:
    url: str
    token: str

    def app_url(self, path: str) -> str:
        return f"{self.url}webio/{path}{'&' if '?' in path else '?'}token={self.token}"


@pytest.fixture(scope="module")
def webio_apps() -> dict[str, str]:
    """The app files (name: source) the module's server serves; a module may override it."""
    return APPS


@pytest.fixture(scope="module")
def webio_server(
    tmp_path_factory: pytest.TempPathFactory,
    webio_apps: dict[str, str],
    webio_server_args: list[str],
) -> Iterator[WebIOServer]:
    base = tmp_path_factory.mktemp("webio")
    root = base / "root"
    root.mkdir()
    for name, source in webio_apps.items():
        (root / name).write_text(textwrap.dedent(source))
    shutil.copytree(REPO / "notebooks" / "apps", root / "apps")  # the demo apps, as in .ci/lab
    env = hermetic_environment(base / "jupyter")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    port, token = free_port(), secrets.token_hex(16)
    log = (base / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            "--port-retries=0",
            "--allow-root",
            f"--ServerApp.base_url={BASE_URL}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.jpserver_extensions=pywebio_nb=True",
            *webio_server_args,
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}{BASE_URL}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}api/status?token={token}", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((base / "server.log").read_text()) from None
                time.sleep(0.2)
        yield WebIOServer(url, token)
    finally:
        stop_process(process)
        log.close()


@pytest.mark.parametrize(
    ("app", "ready", "added"),
    [
        ("counter", "thread app ready", "added in a thread"),
        ("acounter", "coroutine app ready", "added in a coroutine"),
    ],
)
def test_app_renders_answers_eval_js_and_runs_a_click(
    page: Page, webio_server: WebIOServer, app: str, ready: str, added: str
) -> None:
    page.goto(webio_server.app_url(app))
    expect(page.get_by_text(ready)).to_be_visible()
    expect(page.get_by_text("js says 42")).to_be_visible()
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text(added)).to_be_visible()
    assert page.title() in ("Thread counter", "Coroutine counter")


def test_output_sent_while_page_js_loads_is_shown_in_order(
    page: Page, webio_server: WebIOServer
) -> None:
    # Hold page.js back until the app's first output has reached the browser: the page's boot
    # script opened the socket without it, and page.js then shows what arrived meanwhile.
    held: list[Route] = []
    page.route(lambda url: url.split("?")[0].endswith("/page.js"), lambda route: held.append(route))
    page.goto(webio_server.app_url("counter"), wait_until="commit")
    socket = page.wait_for_event("websocket", timeout=15_000)
    socket.wait_for_event(
        "framereceived",
        predicate=lambda data: (
            "thread app ready"
            in (data.decode(errors="replace") if isinstance(data, bytes) else data)
        ),
        timeout=15_000,
    )
    assert held, "page.js was requested"
    expect(page.get_by_text("thread app ready")).to_have_count(0)
    for route in held:
        route.continue_()
    expect(page.get_by_text("thread app ready")).to_be_visible()
    expect(page.get_by_text("js says 42")).to_be_visible()  # the eval_js request that waited
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("added in a thread")).to_be_visible()


def test_index_lists_apps_and_its_links_open_them(page: Page, webio_server: WebIOServer) -> None:
    page.goto(webio_server.app_url(""))
    expect(page.get_by_role("heading", name="Index of /")).to_be_visible()
    page.get_by_role("link", name="counter", exact=True).click()
    expect(page.get_by_text("thread app ready")).to_be_visible()


def test_index_leads_through_a_folder_to_a_demo_app(page: Page, webio_server: WebIOServer) -> None:
    page.goto(webio_server.app_url(""))
    page.get_by_role("link", name="apps/", exact=True).click()
    expect(page.get_by_role("heading", name="Index of /apps/")).to_be_visible()
    for name in ("bmi", "clock", "hello", "report"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    page.get_by_role("link", name="hello", exact=True).click()
    expect(page.get_by_role("heading", name="Hello from a thread app")).to_be_visible()
    page.get_by_role("button", name="Say hi").click()
    expect(page.get_by_text("Say hi clicked (1 clicks so far)")).to_be_visible()
    assert page.url.endswith("/a%40b/webio/apps/hello")


def test_dark_theme_from_config(page: Page, webio_server: WebIOServer) -> None:
    page.goto(webio_server.app_url("dark"))
    expect(page.get_by_text("in the dark")).to_be_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(13, 17, 23)"
    assert page.title() == "Dark page"


def test_run_js_runs_and_download_saves_a_file(page: Page, webio_server: WebIOServer) -> None:
    page.goto(webio_server.app_url("files"))
    expect(page.locator("body[data-ran-js='yes']")).to_have_count(1)
    with page.expect_download() as info:
        page.get_by_role("button", name="Save").click()
    download = info.value
    assert download.suggested_filename == "hello.txt"
    assert Path(download.path()).read_bytes() == b"hello file"


def test_popups_toasts_layouts_and_datatable_on_a_page(
    page: Page, webio_server: WebIOServer
) -> None:
    page.goto(webio_server.app_url("outputs"))
    expect(page.get_by_text("in the collapse")).to_be_visible()
    left = page.get_by_text("left", exact=True).bounding_box()
    right = page.get_by_text("right", exact=True).bounding_box()
    assert left and right and right["x"] > left["x"] + left["width"]
    page.get_by_role("button", name="Open").click()
    dialog = page.get_by_role("dialog", name="Page popup")
    expect(dialog.get_by_role("button", name="Done")).to_be_focused()
    dialog.get_by_role("button", name="Done").click()
    expect(dialog).to_have_count(0)
    grid = page.get_by_role("grid")
    expect(grid).to_have_attribute("aria-rowcount", "100001")
    grid.evaluate("el => { el.scrollTop = 50000 * 30; }")
    page.get_by_role("gridcell", name="50002", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="picked 50002")).to_be_visible()


def check_rich_page(page: Page) -> None:
    """Markdown, highlighted code and the code editor arrive from page.js's chunks."""
    expect(page.get_by_role("heading", name="Rich heading")).to_be_visible()
    expect(page.locator(".pywebio-markdown em")).to_have_text("emphasis")
    expect(page.locator(".pywebio-code code.language-python span").first).to_be_visible()
    expect(page.locator(".cm-editor .cm-line")).to_have_count(1)
    page.get_by_label("Source").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("0")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("got 'x = 10'")).to_be_visible()


def test_chunks_load_on_first_use_on_a_webio_page(page: Page, webio_server: WebIOServer) -> None:
    chunks: list[str] = []
    page.on("request", lambda r: chunks.append(r.url) if "/page-" in r.url else None)
    page.goto(webio_server.app_url("rich"))
    check_rich_page(page)
    assert any("/page-markdown-" in url for url in chunks), chunks


def test_chunks_load_through_the_import_map_of_start_server(page: Page, tmp_path: Path) -> None:
    script = tmp_path / "serve.py"
    port = free_port()
    script.write_text(
        textwrap.dedent(RICH_APP)
        + f"\nfrom pywebio_nb.platform import start_server\nstart_server(main, port={port})\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, str(script)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "server.log").read_text()) from None
                time.sleep(0.2)
        chunks: list[str] = []
        page.on(
            "request", lambda r: chunks.append(r.url) if "pywebio_nb_asset=page-" in r.url else None
        )
        page.goto(f"http://127.0.0.1:{port}/")
        check_rich_page(page)
        assert any("pywebio_nb_asset=page-markdown-" in url for url in chunks), chunks
    finally:
        stop_process(process)
        log.close()
