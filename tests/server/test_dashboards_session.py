"""Notebook dashboards in session mode: the cells run as an app session in the server process."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
import test_dashboards as kernel_mode
from test_dashboards import answer_form, dashboards_of, notebook, stream_text
from webio_client import Page

pytestmark = pytest.mark.server
# The fixtures of the kernel-mode tests, shared by name.
open_dashboard = kernel_mode.open_dashboard
webio_config = kernel_mode.webio_config

SESSION = {"pywebio_nb": {"dashboard_mode": "session"}}
KERNEL = {
    "pywebio_nb": {"dashboard_mode": "kernel"},
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
}

ASK = notebook(
    ("markdown", "# Greeting desk\n\nSays hello."),
    ("code", "from pywebio_nb.input import input\nfrom pywebio_nb.output import put_text"),
    (
        "code",
        "visits = globals().get('visits', 0) + 1\n"
        "put_text(f'visit {visits}')\n"
        "print('printed text')",
    ),
    ("code", "name = input('Your name?')\nput_text(f'hello {name}')"),
    ("code", "import os\nput_text(f'pid {os.getpid()}')"),
)

WHICH = notebook(
    ("code", "import os\nfrom pywebio_nb.output import put_text\nput_text(f'pid {os.getpid()}')"),
)


def error_titles(page: Page) -> list[str]:
    return [n.get("title", "") for n in page.nodes() if n.get("type") == "error"]


def types(page: Page) -> list[str]:
    return [n.get("type", "") for n in page.nodes()]


@pytest.mark.parametrize("webio_config", [{"dashboard_mode": "session"}], indirect=True)
async def test_two_visitors_get_their_own_globals_and_answers(
    jp_root_dir: Path, open_dashboard: Any, jp_fetch: Any, jp_serverapp: Any
) -> None:
    (jp_root_dir / "ask.ipynb").write_text(ASK)
    sessions = dashboards_of(jp_serverapp).webio.sessions
    before = len(sessions)
    response = await jp_fetch("webio", "ask.ipynb")  # a GET runs nothing
    assert "<title>Greeting desk</title>" in response.body.decode()
    assert len(sessions) == before
    first = await open_dashboard("ask.ipynb")
    second = await open_dashboard("ask.ipynb")
    await answer_form(first, "Ada", 30)
    await answer_form(second, "Grace", 30)
    await first.wait_text("hello Ada", 30)
    await second.wait_text("hello Grace", 30)
    for page in (first, second):
        await page.wait_text(f"pid {os.getpid()}", 30)  # in the server's own process
        assert "visit 1" in page.texts()  # each visitor its own globals
        assert "printed text" in stream_text(page)
        assert "markdown" in types(page)
    assert "hello Grace" not in first.texts()
    assert "hello Ada" not in second.texts()


@pytest.mark.parametrize(
    ("webio_config", "metadata", "in_server"),
    [
        ({"dashboard_mode": "session"}, None, True),
        ({}, SESSION, True),
        ({"dashboard_mode": "session"}, KERNEL, False),
    ],
    indirect=["webio_config"],
)
async def test_the_mode_comes_from_the_config_or_the_notebook_metadata(
    jp_root_dir: Path, open_dashboard: Any, metadata: Any, in_server: bool
) -> None:
    cells = [
        (
            "code",
            "import os\nfrom pywebio_nb.output import put_text\nput_text(f'pid {os.getpid()}')",
        )
    ]
    (jp_root_dir / "which.ipynb").write_text(notebook(*cells, metadata=metadata))
    page = await open_dashboard("which.ipynb")
    await page.until(lambda _m: any(t.startswith("pid ") for t in page.texts()), 60)
    assert (f"pid {os.getpid()}" in page.texts()) is in_server


MAGIC = notebook(
    ("code", "from pywebio_nb.output import put_text\nput_text('before')"),
    ("code", "x = 1\n%time x"),
    ("code", "put_text('after')"),
    metadata=SESSION,
)


async def test_a_magic_shows_an_error_naming_cell_and_line_and_stops_there(
    jp_root_dir: Path, open_dashboard: Any
) -> None:
    (jp_root_dir / "magic.ipynb").write_text(MAGIC)
    page = await open_dashboard("magic.ipynb")
    await page.until(lambda _m: bool(error_titles(page)), 30)
    (title,) = error_titles(page)
    assert "code cell 2, line 2 (%time x)" in title
    assert 'set dashboard_mode to "kernel"' in title
    assert "before" in page.texts()
    assert "after" not in page.texts()
    again = await open_dashboard("magic.ipynb")  # the server goes on serving
    await again.wait_text("before", 30)


DISPLAYS = notebook(
    ("markdown", "# Shown\n\nA *Markdown* cell."),
    (
        "code",
        "class Note:\n"
        "    def _repr_markdown_(self):\n"
        "        return '**a note**'\n"
        "class Table:\n"
        "    def _repr_html_(self):\n"
        "        return '<table><tr><td>cell</td></tr></table>'\n"
        "display(Table())\n"
        "Note()",
    ),
    ("code", "{'answer': 42}"),
    (
        "code",
        "from IPython.display import HTML, display as show\n"
        "def later():\n"
        "    from IPython.display import Markdown, display\n"
        "    display(Markdown('*from IPython*'))\n"
        "show(HTML('<b>ipython html</b>'))\n"
        "later()",
    ),
    (
        "code",
        "import asyncio\nrunning = asyncio.get_running_loop()\nawait asyncio.sleep(0)\n"
        "{'awaited': running is asyncio.get_running_loop()}",
    ),
    ("code", "from pywebio_nb.output import put_text\nput_text('last value shown nothing')"),
    ("code", "print('to the page')\nprint('same block', file=__import__('sys').stderr)"),
    ("code", "builtins_input = input('never asked')"),
    metadata=SESSION,
)


async def test_last_values_display_and_errors_are_shown_as_in_a_kernel(
    jp_root_dir: Path, open_dashboard: Any
) -> None:
    (jp_root_dir / "displays.ipynb").write_text(DISPLAYS)
    page = await open_dashboard("displays.ipynb")
    await page.until(lambda _m: bool(error_titles(page)), 30)
    nodes = page.nodes()
    assert [n["md"] for n in nodes if n.get("type") == "markdown"] == [
        "# Shown\n\nA *Markdown* cell.",
        "**a note**",
        "*from IPython*",  # IPython.display.display, imported inside a function
    ]
    assert any(n.get("type") == "html" and "<b>ipython html</b>" in n["html"] for n in nodes)
    assert any(n.get("type") == "html" and "<td>cell</td>" in n["html"] for n in nodes)
    assert "{'answer': 42}" in page.texts()
    assert "{'awaited': True}" in page.texts()  # a cell with await: one coroutine, value shown
    assert "last value shown nothing" in page.texts()
    (title,) = error_titles(page)
    assert title.startswith("RuntimeError: the builtin input() reads the server's terminal")
    assert "to the page" in stream_text(page)
    # put_text(...) as a cell's last value shows nothing more: one text node, no repr.
    assert not [t for t in page.texts() if "Output" in t]


LIGHT = notebook(
    ("code", "from pywebio_nb.output import put_text\nfrom pywebio_nb.input import input"),
    ("code", "put_text('light')\ninput('Wait')"),
    metadata=SESSION,
)


def session_threads() -> int:
    return sum(t.name.startswith("pywebio_nb-") for t in threading.enumerate())


async def test_culling_leaves_no_thread_or_session_after_40_visitors(
    jp_root_dir: Path, open_dashboard: Any, jp_serverapp: Any
) -> None:
    (jp_root_dir / "light.ipynb").write_text(LIGHT)
    sessions = dashboards_of(jp_serverapp).webio.sessions
    before_threads = session_threads()

    async def visit() -> None:
        page = await open_dashboard("light.ipynb")
        await page.wait_text("light", 30)
        await page.until(lambda _m: page.form() is not None, 30)
        page.ws.close()
        await page.closed(30)

    for _round in range(20):  # 40 visitors, 2 at a time, each leaving while input() waits
        await asyncio.gather(*(visit() for _ in range(2)))
    for _attempt in range(300):
        if not sessions and session_threads() <= before_threads:
            break
        await asyncio.sleep(0.1)
    assert not sessions
    assert session_threads() <= before_threads


@pytest.mark.parametrize("webio_config", [{"reconnect_timeout": 60}], indirect=True)
async def test_a_reloaded_page_gets_its_session_and_answers_back(
    jp_root_dir: Path, open_dashboard: Any
) -> None:
    (jp_root_dir / "ask.ipynb").write_text(notebook(*kernel_mode_cells(), metadata=SESSION))
    page = await open_dashboard("ask.ipynb")
    hello = await page.until(lambda m: m.get("kind") == "hello", 30)
    await page.until(lambda _m: page.form() is not None, 30)
    page.ws.close()
    await page.closed(30)
    again = await open_dashboard("ask.ipynb", params={"session": hello["session"]})
    await again.until(lambda m: m.get("kind") == "snapshot", 30)
    assert "visit 1" in again.texts()  # the same session: its output, its waiting form
    await answer_form(again, "Barbara", 30)
    await again.wait_text("hello Barbara", 30)


def kernel_mode_cells() -> list[tuple[str, str]]:
    """The cells of ``ASK`` (the greeting desk), to save in another notebook."""
    return [(cell["cell_type"], cell["source"]) for cell in json.loads(ASK)["cells"]]


@pytest.mark.parametrize(
    "webio_config", [{"dashboard_mode": "session", "dashboard_idle_timeout": 1}], indirect=True
)
async def test_an_idle_visitor_is_ended_as_in_kernel_mode(
    jp_root_dir: Path, open_dashboard: Any, jp_serverapp: Any
) -> None:
    (jp_root_dir / "ask.ipynb").write_text(ASK)
    sessions = dashboards_of(jp_serverapp).webio.sessions
    page = await open_dashboard("ask.ipynb")
    await page.until(lambda _m: page.form() is not None, 30)
    ended = await page.until(lambda m: m.get("kind") == "ended", 30)
    assert ended["reason"] == "idle for too long"
    assert await page.closed(30) == 1000
    assert not [s for s in sessions.values() if not s.is_closed]


@pytest.mark.parametrize(
    "webio_config", [{"dashboard_mode": "session", "dashboard_idle_timeout": 600}], indirect=True
)
async def test_page_events_move_a_session_mode_visitors_idle_clock(
    jp_root_dir: Path, open_dashboard: Any, jp_serverapp: Any
) -> None:
    (jp_root_dir / "ask.ipynb").write_text(ASK)
    sessions = dashboards_of(jp_serverapp).webio.sessions
    page = await open_dashboard("ask.ipynb")
    hello = await page.until(lambda m: m.get("kind") == "hello", 30)
    await page.until(lambda _m: page.form() is not None, 30)
    session = sessions[hello["session"]]
    before = session.last_event
    await answer_form(page, "Ada", 30)
    await page.wait_text("hello Ada", 30)
    assert session.last_event > before  # end_when_idle measures from here (unit-tested)
    assert not [m for m in page.messages if m.get("kind") == "ended"]
