"""A hermetic JupyterLab 4 driven by Playwright and Debian's Chromium, for the benchmarks.

* :class:`LabServer` starts ``jupyter lab`` on a free port of 127.0.0.1 with every ``JUPYTER_*``
  directory in a temp dir, a token, no news or update checks, and a kernelspec that runs *this*
  interpreter (with extra environment variables such as ``PYTHONPATH``).
* :class:`LabPage` opens one notebook in headless Chromium and drives it through
  ``window.jupyterapp`` (the server runs with ``--expose-app-in-browser``): set the active cell's
  source, run it and time it until a text appears in its output, restart the kernel, evaluate
  expressions in the kernel over the shell channel.

Every wait is bounded; :meth:`LabServer.close` and :meth:`LabPage.close` are safe to call twice and
after a failure. Use both through a :class:`contextlib.ExitStack`.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
KERNEL_NAME = "pywebio-nb-bench"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_http(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Poll ``url`` until it answers 200, the process dies, or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def kill_processes_mentioning(text: str) -> list[int]:
    """SIGKILL this user's processes whose command line contains ``text`` (a unique temp path)."""
    killed = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            try:
                os.kill(int(entry.name), signal.SIGKILL)
                killed.append(int(entry.name))
            except OSError:
                pass
    return killed


class LabServer:
    """``jupyter lab`` in a temp dir; the kernelspec runs this interpreter with ``kernel_env``."""

    def __init__(
        self, kernel_env: dict[str, str], log_path: Path | None = None, extra_config: str = ""
    ) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="pywebio-nb-bench-"))
        self.token = uuid.uuid4().hex
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.root_dir = self.tmp / "root"
        self.root_dir.mkdir()
        self._write_config(kernel_env)
        if extra_config:
            (self.tmp / "cfg" / "jupyter_server_config.py").write_text(extra_config)
        self.log_path = log_path or self.tmp / "lab.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in close()
        env = dict(os.environ)
        env.update(self.dirs)
        self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={self.port}",
                "--port-retries=0",
                f"--IdentityProvider.token={self.token}",
                "--allow-root",
                f"--ServerApp.root_dir={self.root_dir}",
                "--expose-app-in-browser",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--LabApp.news_url=None",
                "--LabApp.extension_manager=readonly",
                "--KernelSpecManager.ensure_native_kernel=False",
            ],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def dirs(self) -> dict[str, str]:
        """The ``JUPYTER_*`` environment that makes the server hermetic."""
        t = self.tmp
        return {
            "JUPYTER_CONFIG_DIR": str(t / "cfg"),
            "JUPYTER_DATA_DIR": str(t / "data"),
            "JUPYTER_RUNTIME_DIR": str(t / "runtime"),
            "IPYTHONDIR": str(t / "ipython"),
            "JUPYTERLAB_SETTINGS_DIR": str(t / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(t / "workspaces"),
            "JUPYTER_PLATFORM_DIRS": "1",
        }

    def _write_config(self, kernel_env: dict[str, str]) -> None:
        for path in self.dirs.values():
            if path.startswith(str(self.tmp)):
                Path(path).mkdir(parents=True, exist_ok=True)
        spec_dir = self.tmp / "data" / "kernels" / KERNEL_NAME
        spec_dir.mkdir(parents=True)
        spec = {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "pywebio_nb bench",
            "language": "python",
            "env": kernel_env,
        }
        (spec_dir / "kernel.json").write_text(json.dumps(spec))
        settings = self.tmp / "settings" / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True)
        (settings / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False})
        )

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait until ``/api/status`` answers."""
        wait_for_http(f"{self.base_url}/api/status?token={self.token}", timeout, self.process)

    def write_notebook(self, name: str) -> str:
        """Write an empty one-cell notebook that uses the bench kernel; return its URL."""
        notebook = {
            "cells": [
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "id": "bench-cell",
                    "metadata": {},
                    "outputs": [],
                    "source": "",
                },
            ],
            "metadata": {
                "kernelspec": {
                    "name": KERNEL_NAME,
                    "display_name": "pywebio_nb bench",
                    "language": "python",
                },
                "language_info": {"name": "python"},
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        (self.root_dir / name).write_text(json.dumps(notebook))
        workspace = uuid.uuid4().hex[:12]
        return f"{self.base_url}/lab/workspaces/{workspace}/tree/{name}?token={self.token}"

    def _api(self, method: str, path: str, timeout: float) -> Any:
        request = urllib.request.Request(
            f"{self.base_url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        if method == "POST":
            request.data = b""
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def restart_kernels(self, timeout: float = 90) -> None:
        """Restart every running kernel from the server side (kills one that does not answer)."""
        for kernel in self._api("GET", "/api/kernels", 10):
            self._api("POST", f"/api/kernels/{kernel['id']}/restart", timeout)

    def close(self) -> None:
        """Shut the server and its kernels down (gracefully, then by force); remove the temp dir."""
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                try:
                    request = urllib.request.Request(
                        f"{self.base_url}/api/shutdown?token={self.token}", method="POST"
                    )
                    urllib.request.urlopen(request, timeout=5).close()
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGTERM)
                    try:
                        process.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        os.killpg(process.pid, signal.SIGKILL)
                        process.wait(timeout=5)
            # Kernels run in their own sessions; their connection files live in our temp dir.
            kill_processes_mentioning(str(self.tmp))
        if not self._log.closed:
            self._log.close()
        if self.tmp.exists():
            shutil.rmtree(self.tmp, ignore_errors=True)


@dataclass
class TimedRun:
    """One timed cell run: whether the text appeared, when (in the DOM, and rendered), and how
    many lines were shown."""

    ok: bool
    ms: float
    lines: int
    painted_ms: float = 0.0


_PANEL = "window.jupyterapp.shell.currentWidget"

_READY_JS = f"""(needIdle) => {{
    const panel = window.jupyterapp && {_PANEL};
    const kernel = panel && panel.sessionContext && panel.sessionContext.session
        && panel.sessionContext.session.kernel;
    return !!(kernel && (!needIdle || (kernel.status === "idle"
            && kernel.connectionStatus === "connected")) && panel.content.activeCell
        && panel.content.widgets.length > 0);
}}"""

_IDLE_JS = f"""() => {{
    const panel = {_PANEL};
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    const cell = panel.content.activeCell;
    return !!(kernel && kernel.status === "idle" && cell.model.executionState !== "running");
}}"""

# Count the distinct "line <k>" texts in the active cell's output.
_COUNT_JS = f"""() => {{
    const area = {_PANEL}.content.activeCell.outputArea.node;
    return new Set(area.textContent.match(/line \\d+/g) || []).size;
}}"""


def timed_until_text(params: str, setup: str, action: str) -> str:
    """JS for ``page.evaluate``: run ``action``, resolve ``{ok, ms, painted}`` once ``needle``
    shows.

    The function takes ``[<params>, needle, timeoutMs]``; ``setup`` must define ``area`` (the
    element to watch) and may return early. Time is taken in the page, from just before the
    action to the MutationObserver seeing a node whose text matches ``needle`` (``ms``: in the
    DOM), and to the end of the next frame's rendering work (``painted``: a task posted from
    that frame's ``requestAnimationFrame`` runs after its style, layout and paint).
    """
    return f"""async ([{params}needle, timeoutMs]) => {{
    {setup}
    const pattern = new RegExp(needle + "(?!\\\\d)");
    const has = (node) => !!node && pattern.test(node.textContent || "");
    return await new Promise((resolve) => {{
        let done = false;
        let t0 = 0;
        const finish = (ok) => {{
            if (done) return;
            done = true;
            const ms = performance.now() - t0;
            observer.disconnect();
            clearTimeout(timer);
            if (!ok) {{
                resolve({{ ok, ms, painted: ms }});
                return;
            }}
            requestAnimationFrame(() => setTimeout(
                () => resolve({{ ok, ms, painted: performance.now() - t0 }}), 0));
        }};
        const observer = new MutationObserver((records) => {{
            for (const record of records) {{
                if (record.type === "characterData" ? has(record.target)
                        : Array.prototype.some.call(record.addedNodes, has)) {{
                    finish(true);
                    return;
                }}
            }}
        }});
        observer.observe(area, {{ childList: true, subtree: true, characterData: true }});
        const timer = setTimeout(() => finish(false), timeoutMs);
        t0 = performance.now();
        {action}
    }});
}}"""


# Issue the run command of the active cell; resolve when the needle shows in its output.
_TIMED_RUN_JS = timed_until_text(
    "",
    f"const area = {_PANEL}.content.activeCell.outputArea.node;",
    'window.jupyterapp.commands.execute("notebook:run-cell");',
)

_EXECUTE_JS = f"""async ([code, expressions, timeoutMs]) => {{
    const kernel = {_PANEL}.sessionContext.session.kernel;
    const future = kernel.requestExecute({{
        code, silent: false, store_history: false, user_expressions: expressions }});
    const timeout = new Promise((_, reject) => setTimeout(
        () => reject(new Error("no execute_reply within " + timeoutMs + " ms")), timeoutMs));
    const reply = await Promise.race([future.done, timeout]);
    return reply.content;
}}"""


class LabPage:
    """One notebook open in headless Chromium; its single cell is the one that runs."""

    def __init__(
        self,
        server: LabServer,
        notebook: str = "bench.ipynb",
        on_page: Callable[[Page], None] | None = None,
    ) -> None:
        """``on_page`` is called with every new page before it navigates (to add listeners)."""
        from playwright.sync_api import sync_playwright

        self.server = server
        self.on_page = on_page
        self.page_errors: list[str] = []
        self.browser: Browser | None = None
        self._playwright: Playwright | None = sync_playwright().start()
        try:
            self.browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            self.url = server.write_notebook(notebook)
            self._open()
        except BaseException:
            self.close()
            raise

    def _open(self, timeout: float = 90, need_idle: bool = True) -> None:
        assert self.browser is not None
        self.page = self.browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        if self.on_page is not None:
            self.on_page(self.page)
        self.page.goto(self.url, timeout=timeout * 1000)
        self._wait(_READY_JS, timeout, need_idle)

    def recover(self, timeout: float = 90) -> None:
        """After a run timed out: close the page (it may still be busy), restart the kernel
        through the server's REST API (a busy kernel may never answer the page), open a new page.
        """
        with contextlib.suppress(Exception):
            self.page.close()
        self.server.restart_kernels(timeout)
        self._open(timeout, need_idle=True)

    def wait_idle(self, timeout: float) -> None:
        """Wait until the kernel is idle and the cell no longer runs."""
        self._wait(_IDLE_JS, timeout, polling=50)

    def set_source(self, code: str) -> None:
        """Replace the cell's source and clear its outputs (removing old output is not timed)."""
        self.page.evaluate(
            f"""(code) => {{
                const panel = {_PANEL};
                panel.content.activeCellIndex = 0;
                panel.content.activeCell.model.sharedModel.setSource(code);
                panel.content.activeCell.outputArea.model.clear();
            }}""",
            code,
        )
        # Let the browser lay out the emptied output before anything is timed.
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")

    def timed_run(self, needle: str, timeout: float) -> TimedRun:
        """Run the cell; time from the run command until a node containing ``needle`` appears.

        On a timeout the result has ``ok=False`` and the number of lines shown by then.
        """
        result = self.page.evaluate(_TIMED_RUN_JS, [needle, timeout * 1000])
        return TimedRun(
            bool(result["ok"]), float(result["ms"]), self.count_lines(), float(result["painted"])
        )

    def run(self, timeout: float) -> None:
        """Run the cell and wait until it has finished."""
        self.page.evaluate(f"() => {{ {_PANEL}.content.activeCellIndex = 0; }}")
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell')")
        # The kernel reports busy a moment later; wait for that before waiting for idle.
        self._wait(
            f"() => {_PANEL}.content.activeCell.model.executionState === 'running'"
            f" || {_PANEL}.content.activeCell.model.executionCount !== null",
            timeout,
            polling=20,
        )
        self.wait_idle(timeout)

    def describe_cell(self) -> str:
        """The kernel's and the cell's state and the start of the output (for error messages)."""
        try:
            state: str = self.page.evaluate(
                f"""() => {{
                    const panel = window.jupyterapp && {_PANEL};
                    if (!panel || !panel.sessionContext) return `current widget: ${{panel}}`;
                    const session = panel.sessionContext.session;
                    const kernel = session && session.kernel;
                    const cell = panel.content.activeCell;
                    return `kernel ${{kernel && kernel.status}}/`
                        + `${{kernel && kernel.connectionStatus}}, cell `
                        + `${{cell && cell.model.executionState}} `
                        + `count=${{cell && cell.model.executionCount}}, `
                        + `output: ${{cell && cell.outputArea.node.innerHTML.slice(0, 400)}}`;
                }}""",
            )
        except Exception as error:
            return f"(the page did not answer: {error})"
        return state

    def _wait(self, script: str, timeout: float, arg: Any = None, polling: int = 100) -> None:
        """``wait_for_function`` whose timeout error says what the page was doing."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(script, arg=arg, timeout=timeout * 1000, polling=polling)
        except PlaywrightTimeout:
            raise TimeoutError(f"waited {timeout} s; {self.describe_cell()}") from None

    def count_lines(self) -> int:
        """How many distinct ``line <k>`` texts the cell's output shows."""
        count: int = self.page.evaluate(_COUNT_JS)
        return count

    def execute(
        self, code: str, expressions: dict[str, str] | None = None, timeout: float = 60
    ) -> dict[str, Any]:
        """Execute code in the kernel outside any cell; return the reply's content."""
        content: dict[str, Any] = self.page.evaluate(
            _EXECUTE_JS, [code, expressions or {}, timeout * 1000]
        )
        if content.get("status") != "ok":
            raise RuntimeError(f"kernel error: {content.get('ename')}: {content.get('evalue')}")
        return content

    def evaluate(self, expression: str) -> Any:
        """Evaluate a Python expression in the kernel and return it decoded from JSON."""
        content = self.execute("", {"r": f"__import__('json').dumps({expression})"})
        value = content["user_expressions"]["r"]
        if value.get("status") != "ok":
            raise RuntimeError(f"kernel error: {value.get('ename')}: {value.get('evalue')}")
        return json.loads(ast.literal_eval(value["data"]["text/plain"]))

    def restart_kernel(self, timeout: float = 60) -> None:
        """Restart the notebook's kernel and wait until it is idle."""
        self.page.evaluate(
            f"""async (timeoutMs) => {{
                const restart = {_PANEL}.sessionContext.session.kernel.restart();
                const timeout = new Promise((_, reject) => setTimeout(
                    () => reject(new Error("the kernel did not restart")), timeoutMs));
                await Promise.race([restart, timeout]);
            }}""",
            timeout * 1000,
        )
        self._wait(_READY_JS, timeout, True)

    def interrupt_kernel(self) -> None:
        """Send an interrupt to the kernel (a run that timed out)."""
        self.page.evaluate(
            f"async () => {{ await {_PANEL}.sessionContext.session.kernel.interrupt(); }}"
        )

    def close(self) -> None:
        """Close the browser and the Playwright driver (safe after errors)."""
        browser, self.browser = self.browser, None
        if browser is not None:
            with contextlib.suppress(Exception):
                browser.close()
        playwright, self._playwright = self._playwright, None
        if playwright is not None:
            with contextlib.suppress(Exception):
                playwright.stop()
