"""Script mode: ``python app.py`` whose top level calls ``put_*`` or ``input()``.

The first call outside any app or kernel starts a local server on a free port in a background
thread, prints the URL and opens a browser (unless headless or ``PYWEBIO_SCRIPT_MODE_PORT`` is
set, which also fixes the port). Output made before the page connects is not lost: the page
starts from the session's snapshot. When the script ends, the process waits until a page has
shown the output and — if callbacks were registered — until the page is closed.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import sys
import threading
import webbrowser
from typing import Any

import tornado.netutil
import tornado.web

from .._core.kinds import ScriptModeSession
from .._hosts.app.kinds import ThreadSession
from .._hosts.app.session import AppSession
from ._apps import AppRegistry
from ._tornado import WebIOServer, handler_for, http_server

__all__ = ["script_mode_allowed", "script_session"]

_lock = threading.Lock()
_session: ScriptSession | None = None


def script_mode_allowed() -> bool:
    """Whether a ``put_*`` call outside apps and kernels may start script mode."""
    return os.environ.get("PYWEBIO_NB_SCRIPT_MODE", "1") != "0" and "pytest" not in sys.modules


class ScriptSession(ThreadSession, ScriptModeSession):
    """The one session of a script: every thread of the process writes into it."""

    kind = "script"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(lambda: None, **kwargs)
        self.connected_once = threading.Event()

    def _is_own_task(self) -> bool:
        return True

    def start(self) -> None:
        """Nothing to start: the script itself is the app."""

    def attach(self, connection: Any) -> None:
        """Show the page (snapshot first) and remember that a page has seen the output."""
        super().attach(connection)
        self.connected_once.set()

    def keep_alive(self) -> bool:
        """Stay open while the script runs, or after it while callbacks exist."""
        return not self.main_done or super().keep_alive()

    def finish_script(self) -> None:
        """At exit: wait for a page to show the output, then for it to close if needed."""
        if self.is_closed:
            return
        self.flush()
        if not self.connected_once.is_set():
            print("pywebio_nb: waiting for the page to be opened…", file=sys.stderr, flush=True)
            self.connected_once.wait()
        self.main_done = True
        if super().keep_alive():
            self.wait_closed()
        else:
            self.end("the script finished")
        # Let the server thread write what is queued (the end message, the close frame).
        barrier = asyncio.run_coroutine_threadsafe(asyncio.sleep(0.1), self.loop)
        with contextlib.suppress(Exception):
            barrier.result(5)


def _start_server(server: WebIOServer, port: int) -> tuple[asyncio.AbstractEventLoop, str]:
    ready = threading.Event()
    found: dict[str, Any] = {}

    async def main() -> None:
        sockets = tornado.netutil.bind_sockets(port, "127.0.0.1")
        application = tornado.web.Application(
            [(r"/", _script_handler(server))], websocket_ping_interval=30
        )
        http = http_server(application, server.max_payload_size)
        http.add_sockets(sockets)
        found["loop"] = asyncio.get_running_loop()
        found["url"] = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/"
        ready.set()
        await asyncio.Event().wait()

    thread = threading.Thread(
        target=lambda: asyncio.run(main()), name="pywebio_nb-script-server", daemon=True
    )
    thread.start()
    if not ready.wait(30):
        raise RuntimeError("pywebio_nb: the script-mode server did not start")
    return found["loop"], found["url"]


def _script_handler(server: WebIOServer) -> type[Any]:
    base = handler_for(server)

    class ScriptHandler(base):  # type: ignore[valid-type,misc]
        def open(self, *args: Any, **kwargs: Any) -> None:
            session = _session
            if session is None or session.is_closed or session.connected:
                self.close(4409, "this script's page is already open elsewhere")
                return
            self.connection = server.connection(self, self._cut_off)
            self.session = session
            session.attach(self.connection)

    return ScriptHandler


def script_session() -> AppSession:
    """The script-mode session, starting its server on first use."""
    global _session
    with _lock:
        if _session is not None:
            return _session
        main = sys.modules.get("__main__")

        def page() -> None:
            """PyWebIO Application."""

        if main is not None and main.__doc__:
            page.__doc__ = main.__doc__
        server = WebIOServer(AppRegistry(page), debug=bool(os.environ.get("PYWEBIO_DEBUG")))
        fixed = os.environ.get("PYWEBIO_SCRIPT_MODE_PORT")
        loop, url = _start_server(server, int(fixed) if fixed else 0)
        _session = ScriptSession(loop=loop, debug=server.debug)
        print(f"pywebio_nb: open {url} to see this script's page", file=sys.stderr, flush=True)
        headless = sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        )
        if not fixed and not headless:
            webbrowser.open(url)
        atexit.register(_session.finish_script)
        return _session
