"""The README's main-job command, ``bash .ci/lab``, run the way a new user runs it.

CI runs the tests as root on a clean clone, so this is the main job as root there:
JupyterLab refuses root without ``--allow-root``. The test starts the command on a free
port with a fresh home directory, waits for the URL it prints, asks JupyterLab what its
page asks (``/api/status``, ``/lab``, the build check at ``/lab/api/build``) and the demo
apps' index (``/webio/``), stops it, and reads the log: the first screen a user reads must
be clean (JupyterLab's Node helpers once crashed on every start, because the repository's
``package.json`` made Node read the ``.venv``'s CommonJS files as ES modules). Then the
working tree must be as it was.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.bounded import stop_process

pytestmark = pytest.mark.server

REPO = Path(__file__).resolve().parents[2]

#: Seconds for ``.ci/lab`` to print its URL once ``.venv`` is set up.
START_TIMEOUT_S = 120.0

#: Text that must never be in the main job's log.
FORBIDDEN = (
    "require is not defined",  # Node read JupyterLab's CommonJS helpers as ES modules
    "Dynamic require of",  # the same crash, from the bundled yarn.js
    "Could not determine jupyterlab build status",
    "Fail to get yarn configuration",
    "Running as root is not recommended",
    "Traceback (most recent call last)",
)

#: Log records at warning level or above: ``[W 2026-01-01 10:00:00.000 ServerApp] text``.
#: (The banner with the URL is a CRITICAL record whose text starts on the next line.)
_LOUD_RECORD = re.compile(r"^\[([WEC]) [\d-]+ [\d:.]+ [\w.]+\] *(\S.*)$", re.MULTILINE)

_URL = re.compile(r"http://127\.0\.0\.1:(\d+)/lab\?token=([0-9a-f]+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def new_user_environment(home: Path) -> dict[str, str]:
    """This process's environment as a new user would have it: a fresh home, no Jupyter setup."""
    home.mkdir(parents=True, exist_ok=True)
    dropped = ("JUPYTER", "IPYTHON", "XDG_", "VIRTUAL_ENV", "PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env["HOME"] = str(home)
    return env


def tree_state() -> str | None:
    """``git status --porcelain`` of the checkout, or None outside a git checkout."""
    try:
        done = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def wait_for_url(log: Path, process: subprocess.Popen[bytes]) -> tuple[int, str]:
    """The port and token of the URL the main job prints, once it prints it."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        found = _URL.search(log.read_text(errors="replace"))
        if found:
            return int(found.group(1)), found.group(2)
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(
        f"bash .ci/lab printed no JupyterLab URL (exit code {process.poll()}):\n"
        + log.read_text(errors="replace")[-6000:]
    )


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, response.read()


def test_main_job_starts_jupyterlab_with_a_clean_first_screen(tmp_path: Path) -> None:
    ready = subprocess.run(["bash", ".ci/setup", "--check"], cwd=REPO, timeout=60)
    if ready.returncode != 0:
        message = ".venv is missing or older than pyproject.toml/package*.json: run bash .ci/setup"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    before = tree_state()
    env = new_user_environment(tmp_path / "home")
    env.update(PORT=str(free_port()), HOST="127.0.0.1")
    log = tmp_path / "lab.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            ["bash", ".ci/lab"],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        port, token = wait_for_url(log, process)
        base = f"http://127.0.0.1:{port}/"
        status, body = get(f"{base}api/status?token={token}")
        assert status == 200 and "started" in json.loads(body)
        status, body = get(f"{base}lab?token={token}")
        assert status == 200 and b"JupyterLab" in body
        # What the Lab page asks next: the build check, which runs JupyterLab's Node helpers.
        status, body = get(f"{base}lab/api/build?token={token}")
        assert status == 200 and json.loads(body)["status"] == "stable", body
        status, body = get(f"{base}webio/?token={token}")
        assert status == 200
        # Read before stopping: a stopped server logs its signal as a CRITICAL record.
        text = log.read_text(errors="replace")
    finally:
        stop_process(process)
    problems = [phrase for phrase in FORBIDDEN if phrase in text]
    problems += [f"[{level}] {message}" for level, message in _LOUD_RECORD.findall(text)]
    assert not problems, f"the main job's first screen is not clean: {problems}\n{text[-6000:]}"
    after = tree_state()
    assert after == before, f"the main job changed the working tree:\n{before}\n→\n{after}"
    if os.environ.get("CI") == "true":
        assert after in ("", None), f"CI runs on a clean clone, yet:\n{after}"
