"""A hermetic JupyterLab 4 server and a notebook driver for browser tests.

Nothing in this module knows about pytest: ``conftest.py`` beside it turns these
pieces into fixtures. The module has three parts:

* :class:`JupyterLabServer` starts ``jupyter lab`` as a subprocess whose every
  Jupyter/IPython directory lives under one temporary directory, with a kernelspec
  that points at the Python running the tests.
* :func:`write_notebook` writes an ``.ipynb`` file from cell sources.
* :class:`LabNotebook` drives one notebook open in a Playwright page: run all cells,
  run one cell, wait for the kernel, run code in the kernel without adding a cell,
  switch the theme, find a cell's output area, take screenshots, and shut down.

Example:
    >>> server = JupyterLabServer.start(Path("/tmp/lab"))  # doctest: +SKIP
    >>> path = write_notebook(server.root_dir / "demo.ipynb", ["1 + 1"])  # doctest: +SKIP
    >>> lab = LabNotebook.open_in_new_workspace(page, server, path)  # doctest: +SKIP
    >>> lab.run_all()  # doctest: +SKIP
    >>> lab.kernel_exec("2 * 21")  # doctest: +SKIP
    '42'
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, cast

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from tests.bounded import stop_process

#: The kernelspec name written into the hermetic data dir and into every notebook.
KERNEL_NAME = "pywebio-nb-test"

#: Default bound, in milliseconds, for anything the page waits on.
DEFAULT_TIMEOUT_MS = 30_000

#: Seconds to wait for ``/api/status`` to answer after ``jupyter lab`` starts.
SERVER_START_TIMEOUT_S = 60.0

#: The two themes :meth:`LabNotebook.set_theme` switches between.
THEMES: dict[str, str] = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}

# Environment variables that would let the user's or the machine's Jupyter setup leak
# into the test server. They are removed, then the ones we need are set to temp dirs.
_LEAKY_VARIABLES = (
    "JUPYTER_PATH",
    "JUPYTER_CONFIG_PATH",
    "JUPYTER_TOKEN",
    "JUPYTER_SERVER_ROOT",
    "JUPYTER_ALLOW_INSECURE_WRITES",
    "JUPYTERLAB_DIR",
)

# JavaScript shared by every evaluate() below: find the NotebookPanel that shows `path`.
_FIND_PANEL_JS = """
const findPanel = (path) => {
  const app = window.jupyterapp;
  if (!app) { return null; }
  for (const widget of app.shell.widgets('main')) {
    if (widget.context && widget.context.path === path && widget.content
        && widget.content.widgets !== undefined) {
      return widget;
    }
  }
  return null;
};
"""


class HarnessError(RuntimeError):
    """The server or the page did not do what the harness needed from it."""


class KernelExecutionError(AssertionError):
    """Code sent with :meth:`LabNotebook.kernel_exec` raised in the kernel."""


@dataclass(frozen=True)
class NotebookCell:
    """One cell for :func:`write_notebook`; a plain ``str`` means a code cell."""

    source: str
    cell_type: Literal["code", "markdown"] = "code"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hermetic_environment(base: Path) -> dict[str, str]:
    """Return ``os.environ`` with every Jupyter/IPython directory moved under ``base``.

    The directories are created. ``JUPYTER_PREFER_ENV_PATH=0`` puts the temporary data
    dir ahead of the virtualenv's ``share/jupyter``, so the kernelspec written by
    :func:`write_kernelspec` wins over the one ``ipykernel`` installs there.
    """
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY_VARIABLES}
    directories = {
        "JUPYTER_CONFIG_DIR": base / "config",
        "JUPYTER_DATA_DIR": base / "data",
        "JUPYTER_RUNTIME_DIR": base / "runtime",
        "IPYTHONDIR": base / "ipython",
        "JUPYTERLAB_SETTINGS_DIR": base / "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": base / "lab-workspaces",
        "MPLCONFIGDIR": base / "matplotlib",
    }
    for name, directory in directories.items():
        directory.mkdir(parents=True, exist_ok=True)
        env[name] = str(directory)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["JUPYTER_PREFER_ENV_PATH"] = "0"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def write_kernelspec(data_dir: Path, python: str = sys.executable) -> Path:
    """Write a kernelspec named :data:`KERNEL_NAME` that runs ``python -m ipykernel``.

    Returns the kernelspec's directory.
    """
    spec_dir = data_dir / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (tests)",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return spec_dir


def write_lab_settings(settings_dir: Path) -> None:
    """Write JupyterLab user settings that keep pop-ups away from the notebook.

    The news and update-check notification would otherwise sit over the bottom-right
    corner of the page on first load.
    """
    notification = settings_dir / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8"
    )


def write_notebook(path: Path, cells: Sequence[str | NotebookCell]) -> Path:
    """Write an nbformat 4 notebook with the given cells and our test kernelspec.

    Args:
        path: Where to write the ``.ipynb`` file; parent directories are created.
        cells: Cell sources; a ``str`` is a code cell.

    Returns:
        ``path``.
    """
    notebook_cells: list[dict[str, Any]] = []
    for index, cell in enumerate(cells):
        spec = cell if isinstance(cell, NotebookCell) else NotebookCell(cell)
        entry: dict[str, Any] = {
            "cell_type": spec.cell_type,
            "id": f"cell-{index}",
            "metadata": {},
            "source": spec.source,
        }
        if spec.cell_type == "code":
            entry["execution_count"] = None
            entry["outputs"] = []
        notebook_cells.append(entry)
    notebook = {
        "cells": notebook_cells,
        "metadata": {
            "kernelspec": {
                "name": KERNEL_NAME,
                "display_name": "Python (tests)",
                "language": "python",
            },
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return path


@dataclass
class JupyterLabServer:
    """A ``jupyter lab`` subprocess with all of its state under one temp directory.

    Use :meth:`start` to make one and :meth:`stop` to end it.
    """

    base_dir: Path
    root_dir: Path
    port: int
    token: str
    log_path: Path
    process: subprocess.Popen[bytes]
    startup_seconds: float = 0.0

    @property
    def url(self) -> str:
        """The server's base URL, ending in ``/``."""
        return f"http://127.0.0.1:{self.port}/"

    @classmethod
    def start(cls, base_dir: Path, timeout: float = SERVER_START_TIMEOUT_S) -> JupyterLabServer:
        """Start JupyterLab under ``base_dir`` and wait until ``/api/status`` answers.

        Raises:
            HarnessError: The server exited or did not answer within ``timeout`` s;
                the message carries the end of its log.
        """
        env = hermetic_environment(base_dir / "jupyter")
        # PYWEBIO_NB_BROWSER_KERNEL_PYTHON runs the notebooks' kernel on another python (an
        # ipykernel of the kernel matrix, e.g. 7.3 where JupyterLab's comms use a subshell).
        kernel_python = os.environ.get("PYWEBIO_NB_BROWSER_KERNEL_PYTHON", sys.executable)
        write_kernelspec(Path(env["JUPYTER_DATA_DIR"]), kernel_python)
        write_lab_settings(Path(env["JUPYTERLAB_SETTINGS_DIR"]))
        root_dir = base_dir / "root"
        root_dir.mkdir(parents=True, exist_ok=True)
        port = free_port()
        token = secrets.token_hex(16)
        log_path = base_dir / "jupyter-server.log"
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            "--port-retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root_dir}",
            "--expose-app-in-browser",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.news_url=None",
            "--LabApp.extension_manager=readonly",
            f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}",
        ]
        started = time.monotonic()
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=root_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = cls(base_dir, root_dir, port, token, log_path, process)
        try:
            server._wait_until_ready(timeout)
        except BaseException:
            server.stop()
            raise
        server.startup_seconds = time.monotonic() - started
        return server

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(
                    f"jupyter lab exited with code {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                self.api("GET", "api/status", timeout=2.0)
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
                continue
            return
        raise HarnessError(f"jupyter lab did not answer in {timeout} s:\n{self.log_tail()}")

    def api(self, method: str, path: str, body: object = None, timeout: float = 10.0) -> Any:
        """Call the server's REST API and return the decoded JSON (``None`` if empty).

        Args:
            method: HTTP method, e.g. ``"GET"`` or ``"DELETE"``.
            path: Path below the base URL, e.g. ``"api/sessions"``.
            body: Sent as JSON when not ``None``.
            timeout: Seconds for the whole request.
        """
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"token {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def reset_theme(self) -> None:
        """Set the user's JupyterLab theme back to light through the settings API."""
        self.api(
            "PUT",
            "lab/api/settings/@jupyterlab/apputils-extension:themes",
            {"raw": json.dumps({"theme": THEMES["light"]})},
        )

    def lab_url(self, notebook_path: str, workspace: str) -> str:
        """URL that opens ``notebook_path`` (relative to the root) in its own workspace."""
        return f"{self.url}lab/workspaces/{workspace}/tree/{notebook_path}?token={self.token}"

    def log_size(self) -> int:
        """Bytes written to the server log so far."""
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log_tail(self, since: int = 0, limit: int = 20_000) -> str:
        """The server log from byte ``since`` on, keeping at most the last ``limit`` bytes."""
        try:
            with self.log_path.open("rb") as log:
                log.seek(max(since, self.log_size() - limit))
                return log.read().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return "(no server log)"

    def stop(self, grace: float = 10.0) -> None:
        """Stop the server: SIGTERM to its process group, then SIGKILL; bounded, never raises.

        A graceful stop shuts the kernels down; after a SIGKILL, each kernel (in a session
        of its own) ends when its parent poller sees the server gone.
        """
        stop_process(self.process, grace)


class NotebookFactory(Protocol):
    """The type of the ``jupyterlab_notebook`` fixture."""

    def __call__(self, cells: Sequence[str | NotebookCell]) -> LabNotebook:
        """Write a notebook with ``cells``, open it and wait for its kernel."""


def _safe_name(text: str) -> str:
    """Turn a test name such as ``test_x[a-b]`` into a file-name friendly string."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "unnamed"


@dataclass
class LabNotebook:
    """One notebook open in JupyterLab in a Playwright page.

    Make it with :meth:`open_in_new_workspace` (navigates the page) or
    :meth:`open_in_current_page` (opens a second notebook beside the first).
    """

    page: Page
    server: JupyterLabServer
    path: str
    artifacts_dir: Path
    panel_id: str = ""
    _theme_changed: bool = field(default=False, repr=False)
    _closed: bool = field(default=False, repr=False)

    @classmethod
    def open_in_new_workspace(
        cls, page: Page, server: JupyterLabServer, notebook: Path, artifacts_dir: Path
    ) -> LabNotebook:
        """Navigate ``page`` to ``notebook`` in a fresh workspace and wait for its kernel.

        A fresh workspace per notebook keeps tabs from earlier tests from being restored.
        """
        path = notebook.relative_to(server.root_dir).as_posix()
        workspace = f"{_safe_name(notebook.stem)}-{secrets.token_hex(4)}"
        page.goto(server.lab_url(path, workspace))
        lab = cls(page, server, path, artifacts_dir)
        lab._wait_until_ready()
        return lab

    @classmethod
    def open_in_current_page(
        cls, page: Page, server: JupyterLabServer, notebook: Path, artifacts_dir: Path
    ) -> LabNotebook:
        """Open ``notebook`` in the JupyterLab already loaded in ``page``."""
        path = notebook.relative_to(server.root_dir).as_posix()
        page.evaluate(
            "(path) => window.jupyterapp.commands.execute('docmanager:open', {path})", path
        )
        lab = cls(page, server, path, artifacts_dir)
        lab._wait_until_ready()
        return lab

    def _evaluate(self, body: str, arg: object = None) -> Any:
        """Run ``body`` as an async function of ``(panel, arg)`` in the page."""
        script = (
            "async ([path, arg]) => {"
            + _FIND_PANEL_JS
            + "const panel = findPanel(path);"
            + "if (!panel) { throw new Error('no notebook panel for ' + path); }"
            + body
            + "}"
        )
        return self.page.evaluate(script, [self.path, arg])

    def _wait_until_ready(self) -> None:
        self.page.wait_for_function(
            "(path) => {"
            + _FIND_PANEL_JS
            + "const panel = findPanel(path);"
            + "if (!panel || !panel.context.isReady || !panel.sessionContext.isReady) {"
            + "  return false; }"
            + "const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;"
            + "return !!kernel && kernel.status === 'idle'"
            + "  && kernel.connectionStatus === 'connected';"
            + "}",
            arg=self.path,
            timeout=DEFAULT_TIMEOUT_MS,
        )
        self._wait_for_splash_to_go()
        self.panel_id = str(
            self._evaluate("window.jupyterapp.shell.activateById(panel.id); return panel.id;")
        )

    def _wait_for_splash_to_go(self) -> None:
        # Lab covers the page with a splash while it loads and while a theme changes.
        self.page.locator("#jupyterlab-splash").wait_for(
            state="detached", timeout=DEFAULT_TIMEOUT_MS
        )

    def wait_for_idle(self, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> None:
        """Wait until the kernel is idle and no code cell is running or queued."""
        self.page.wait_for_function(
            "(path) => {"
            + _FIND_PANEL_JS
            + "const panel = findPanel(path);"
            + "const kernel = panel && panel.sessionContext.session"
            + "  && panel.sessionContext.session.kernel;"
            + "if (!kernel || kernel.status !== 'idle') { return false; }"
            + "return !panel.content.widgets.some((cell) => cell.model.type === 'code'"
            + "  && cell.model.executionState === 'running');"
            + "}",
            arg=self.path,
            timeout=timeout_ms,
        )

    def run_all(self, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> None:
        """Run every cell, as *Run > Run All Cells* does, and wait until they finish."""
        self._evaluate(
            "await Promise.race([window.jupyterapp.commands.execute("
            "  'notebook:run-all-cells', {widgetId: panel.id}),"
            "  new Promise((resolve) => setTimeout(resolve, arg))]);",
            timeout_ms,
        )
        self.wait_for_idle(timeout_ms)

    def run_cell(self, index: int, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> None:
        """Run the cell at ``index`` (0-based) without moving on, and wait for it."""
        self._evaluate(
            "panel.content.activeCellIndex = arg;"
            "panel.content.deselectAll();"
            "await Promise.race([window.jupyterapp.commands.execute("
            "'notebook:run-cell', {widgetId: panel.id}),"
            " new Promise((resolve) => setTimeout(resolve, 60000))]);",
            index,
        )
        self.wait_for_idle(timeout_ms)

    def kernel_exec(self, code: str, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> str:
        """Run ``code`` in this notebook's kernel without adding a cell.

        Returns:
            The ``text/plain`` of the execute result (the last expression's repr), or
            ``""`` when the code ends in a statement.

        Raises:
            KernelExecutionError: The code raised; the message has the exception.
        """
        reply = self._evaluate(
            """
            const kernel = panel.sessionContext.session.kernel;
            const future = kernel.requestExecute(
              {code: arg.code, silent: false, store_history: false});
            let text = '';
            let error = null;
            future.onIOPub = (msg) => {
              const kind = msg.header.msg_type;
              if (kind === 'execute_result') {
                text = msg.content.data['text/plain'] || '';
              } else if (kind === 'error') {
                error = msg.content.ename + ': ' + msg.content.evalue;
              }
            };
            let timer = null;
            const expired = new Promise((resolve, reject) => {
              timer = setTimeout(
                () => reject(new Error('kernel_exec timed out after ' + arg.timeout + ' ms')),
                arg.timeout);
            });
            try {
              await Promise.race([future.done, expired]);
            } finally {
              clearTimeout(timer);
            }
            return {text, error};
            """,
            {"code": code, "timeout": timeout_ms},
        )
        result = cast(dict[str, Any], reply)
        if result["error"] is not None:
            raise KernelExecutionError(f"{code!r} raised {result['error']}")
        return str(result["text"])

    def wait_for_kernel_value(
        self, code: str, expected: str, timeout_ms: int = DEFAULT_TIMEOUT_MS
    ) -> None:
        """Wait until ``kernel_exec(code)`` returns ``expected`` (a value the page sends on).

        Raises:
            AssertionError: The value was still different after ``timeout_ms``; the message
                has the last value seen.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            value = self.kernel_exec(code, timeout_ms)
            if value == expected:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{code!r} is {value}, not {expected} after {timeout_ms} ms")
            self.page.wait_for_timeout(100)

    def set_theme(self, theme: Literal["light", "dark"]) -> None:
        """Switch JupyterLab to its light or dark theme and wait until it applies.

        The theme is a server-wide user setting, so :meth:`close` switches back to light.
        """
        light = "true" if theme == "light" else "false"
        # Fire the command without awaiting it: page.evaluate has no timeout, and the
        # command's promise was seen never to settle on a loaded machine.
        self.page.evaluate(
            "(name) => { void window.jupyterapp.commands.execute("
            "'apputils:change-theme', {theme: name}); }",
            THEMES[theme],
        )
        self.page.wait_for_function(
            "(light) => document.body.dataset.jpThemeLight === light",
            arg=light,
            timeout=DEFAULT_TIMEOUT_MS,
        )
        self._wait_for_splash_to_go()
        self._theme_changed = theme != "light"

    @property
    def panel(self) -> Locator:
        """The notebook panel's DOM node."""
        return self.page.locator(f'[id="{self.panel_id}"]')

    def cell(self, index: int) -> Locator:
        """The cell at ``index`` (0-based), markdown cells included."""
        return self.panel.locator(f'.jp-Cell[data-windowed-list-index="{index}"]')

    def output(self, index: int) -> Locator:
        """The output area of the code cell at ``index``: assert on what it shows."""
        return self.cell(index).locator(".jp-Cell-outputArea")

    def screenshot(self, name: str) -> Path:
        """Save a full-page screenshot as ``<artifacts>/<name>.png`` and return its path."""
        self.artifacts_dir.mkdir(parents=True, exist_ok=True)
        target = self.artifacts_dir / f"{_safe_name(name)}.png"
        self.page.screenshot(path=str(target))
        return target

    def close(self) -> None:
        """Mark the notebook clean, restore the light theme, and shut its kernel down.

        The kernel is shut down through the REST API (``DELETE /api/sessions/<id>``),
        which works even when the page itself is broken.
        """
        if self._closed:
            return
        self._closed = True
        try:
            try:
                if self._theme_changed:
                    self.set_theme("light")
                self._evaluate("panel.context.model.dirty = false;")
            except PlaywrightError:
                # The page is gone or the test closed the tab; the server still has
                # to be left as the next test expects it.
                if self._theme_changed:
                    self.server.reset_theme()
        finally:
            for session in self.server.api("GET", "api/sessions"):
                if session.get("path") == self.path:
                    self.server.api("DELETE", f"api/sessions/{session['id']}")
