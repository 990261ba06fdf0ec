"""A GET never runs code: which files are apps is read from their source, and apps are imported
off the event loop when a session starts; ``?reload`` is for logged-in users only."""

from __future__ import annotations

import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
import tornado.websocket
from tornado.httpclient import HTTPClientError
from webio_client import Page

pytestmark = pytest.mark.server

#: A plain script: importing it leaves ``<name>.ran`` beside it.
SCRIPT = """
    from pathlib import Path
    Path(__file__).with_suffix(".ran").write_text("ran")
    print("a plain script")
"""

#: An app that counts its imports in ``counting.count``.
COUNTING = '''
    from pathlib import Path
    from pywebio_nb.output import put_text

    COUNTER = Path(__file__).with_suffix(".count")
    COUNTER.write_text(COUNTER.read_text() + "x" if COUNTER.exists() else "x")

    def main():
        """Counting"""
        put_text(f"imports: {len(COUNTER.read_text())}")
'''

#: An app whose import waits (at most 10 s) until ``slow.go`` exists, then counts its imports
#: in ``slow.imported``.
SLOW = """
    import time
    from pathlib import Path
    from pywebio_nb.output import put_text

    HERE = Path(__file__)
    deadline = time.monotonic() + 10
    while not HERE.with_suffix(".go").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    DONE = HERE.with_suffix(".imported")
    DONE.write_text(DONE.read_text() + "x" if DONE.exists() else "x")

    def main():
        put_text("slow app ready")
"""


def write(root: Path, name: str, source: str) -> None:
    (root / name).write_text(textwrap.dedent(source))


async def test_a_plain_script_is_never_run_by_get_reload_or_websocket(
    jp_fetch: Any, jp_root_dir: Path, open_page: Any
) -> None:
    write(jp_root_dir, "script.py", SCRIPT)
    for parts, params in (
        (("webio", "script"), {}),
        (("webio", "script"), {"reload": ""}),
        (("webio/",), {"app": "script"}),
        (("webio/",), {"app": "script", "reload": ""}),
    ):
        with pytest.raises(HTTPClientError) as error:
            await jp_fetch(*parts, params=params)
        assert error.value.code == 404, (parts, params)
    for parts, params in ((("script",), None), (("",), {"app": "script"})):
        page = await open_page(*parts, params=params)
        assert await page.closed() == 4404
    index = await open_page("")
    await index.wait_text("hello")
    assert "script" not in index.texts()
    assert not (jp_root_dir / "script.ran").exists()


async def test_the_page_get_of_an_app_runs_nothing_its_session_imports_it(
    jp_fetch: Any, jp_root_dir: Path, open_page: Any
) -> None:
    write(jp_root_dir, "counting.py", COUNTING)
    for params in ({}, {"reload": ""}):
        html = (await jp_fetch("webio", "counting", params=params)).body.decode()
        assert "<title>Counting</title>" in html
    assert not (jp_root_dir / "counting.count").exists()
    page = await open_page("counting")
    await page.wait_text("imports: 1")


async def test_reload_imports_the_file_again_for_a_logged_in_user(
    jp_fetch: Any, jp_root_dir: Path, open_page: Any
) -> None:
    write(jp_root_dir, "counting.py", COUNTING)
    await (await open_page("counting")).wait_text("imports: 1")
    await jp_fetch("webio", "counting")
    await (await open_page("counting")).wait_text("imports: 1")
    await jp_fetch("webio", "counting", params={"reload": ""})
    await (await open_page("counting")).wait_text("imports: 2")


@pytest.mark.parametrize("webio_config", [{"allow_anonymous": True}])
async def test_anonymous_visitors_cannot_reload(
    http_server_client: Any, jp_base_url: str, jp_http_port: int, jp_root_dir: Path
) -> None:
    write(jp_root_dir, "counting.py", COUNTING)
    url = f"127.0.0.1:{jp_http_port}{jp_base_url}webio/"

    async def visit() -> Page:
        return Page(await tornado.websocket.websocket_connect(f"ws://{url}_ws/counting"))

    await (await visit()).wait_text("imports: 1")
    for _ in range(3):
        response = await http_server_client.fetch(f"{jp_base_url}webio/counting?reload")
        assert response.code == 200
        page = await visit()
        await page.wait_text("imports: 1")
        page.ws.close()
    assert (jp_root_dir / "counting.count").read_text() == "x"


async def test_a_changed_file_is_imported_again(jp_root_dir: Path, open_page: Any) -> None:
    write(jp_root_dir, "counting.py", COUNTING)
    await (await open_page("counting")).wait_text("imports: 1")
    (jp_root_dir / "counting.py").write_text(textwrap.dedent(COUNTING) + "# changed\n")
    await (await open_page("counting")).wait_text("imports: 2")


async def test_a_slow_import_does_not_hold_up_another_visitors_session(
    jp_fetch: Any, jp_root_dir: Path, open_page: Any
) -> None:
    write(jp_root_dir, "slow.py", SLOW)
    other = await open_page("hello")
    await other.until(lambda _m: any(n["type"] == "buttons" for n in other.nodes()))
    callback = next(n["cb"] for n in other.nodes() if n["type"] == "buttons")
    html = (await jp_fetch("webio", "slow")).body.decode()  # the page itself imports nothing
    assert "slow" in html
    slow = await open_page("slow")  # its session starts the import
    other.send({"kind": "callback", "cb": callback, "value": 0})
    await other.wait_text("clicked go", timeout=20)
    # The other visitor got its answer while the import was still waiting.
    assert not (jp_root_dir / "slow.imported").exists()
    second = await open_page("slow")  # waits for the same import, in no thread of its own
    importing = [t for t in threading.enumerate() if t.name == "pywebio_nb-import"]
    assert len(importing) == 1
    (jp_root_dir / "slow.go").write_text("go")
    await slow.wait_text("slow app ready", timeout=20)
    await second.wait_text("slow app ready", timeout=20)
    assert (jp_root_dir / "slow.imported").read_text() == "x"
