"""PyWebIO's other server entry points, as PyWebIO programs call them (issue 12).

``pywebio_nb.platform.tornado_http.start_server``, ``path_deploy_http`` and ``run_event_loop``
in a real process; a scripted page talks to the app.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_script_mode_and_cli import connect, environment, free_port

from tests.bounded import stop_process

pytestmark = pytest.mark.server


def start(tmp_path: Path, program: str) -> subprocess.Popen[bytes]:
    script = tmp_path / "server.py"
    script.write_text(textwrap.dedent(program))
    return subprocess.Popen(
        [sys.executable, str(script)],
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


async def test_tornado_http_start_server_serves_an_app(tmp_path: Path) -> None:
    port = free_port()
    process = start(
        tmp_path,
        f"""
        import threading
        from pywebio_nb.output import put_text
        from pywebio_nb.platform import run_event_loop
        from pywebio_nb.platform.tornado_http import start_server
        from pywebio_nb.session import get_current_session
        from pywebio_nb.session.threadbased import ThreadBasedSession

        def main():
            kind = isinstance(get_current_session(), ThreadBasedSession)
            put_text(f"over tornado_http, in a ThreadBasedSession: {{kind}}")

        # As PyWebIO's programs for coroutine apps under WSGI servers do; harmless here.
        threading.Thread(target=run_event_loop, daemon=True).start()
        start_server(main, port={port}, host="127.0.0.1", session_expire_seconds=60,
                     session_cleanup_interval=10)
        """,
    )
    try:
        page = await connect(f"ws://127.0.0.1:{port}/", process)
        await page.wait_text("over tornado_http, in a ThreadBasedSession: True")
    finally:
        stop_process(process)


async def test_path_deploy_http_serves_a_folder(tmp_path: Path) -> None:
    apps = tmp_path / "apps"
    apps.mkdir()
    (apps / "hello.py").write_text(
        "from pywebio_nb.output import put_text\n\ndef main():\n    put_text('deployed')\n"
    )
    port = free_port()
    process = start(
        tmp_path,
        f"""
        from pywebio_nb.platform import path_deploy_http

        path_deploy_http({str(apps)!r}, port={port}, host="127.0.0.1")
        """,
    )
    try:
        page = await connect(f"ws://127.0.0.1:{port}/hello", process)
        await page.wait_text("deployed")
    finally:
        stop_process(process)


async def test_path_deploy_apps_import_the_modules_beside_them(tmp_path: Path) -> None:
    # PyWebIO makes an app's folder importable: `import config` finds tools/config.py.
    tools = tmp_path / "apps" / "tools"
    tools.mkdir(parents=True)
    (tools / "config.py").write_text("GREETING = 'hello from config'\n")
    (tools / "greet.py").write_text(
        "import config\nfrom pywebio_nb.output import put_text\n\n"
        "def main():\n    put_text(config.GREETING)\n"
    )
    port = free_port()
    process = start(
        tmp_path,
        f"""
        from pywebio_nb.platform import path_deploy

        path_deploy({str(tmp_path / "apps")!r}, port={port}, host="127.0.0.1")
        """,
    )
    try:
        page = await connect(f"ws://127.0.0.1:{port}/tools/greet", process)
        await page.wait_text("hello from config")
    finally:
        stop_process(process)
