"""PyWebIO's other server entry points, as PyWebIO programs call them (issue 12).

``path_deploy`` in a real process; a scripted page talks to the app. The HTTP variants
(``tornado_http``, ``path_deploy_http``) are tested in ``test_framework_tornado_http.py``.
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
