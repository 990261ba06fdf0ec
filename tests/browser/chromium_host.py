"""Debian's Chromium under Playwright: launched on demand, killable from any thread.

Playwright's sync API has no timeout on ``BrowserContext.close()``, ``Browser.close()`` or
``Page.evaluate()``; on a loaded machine a context close was seen to block for ten minutes.
:class:`ChromiumHost` tags the browser's command line with a marker of its own, so a
watchdog thread (:func:`bounded.watchdog`) can find the browser process and kill its process
group: the blocked call then fails at once, and the next :attr:`ChromiumHost.browser` launches
a fresh Chromium. A slow teardown costs a relaunch, never the test run.

Example:
    >>> host = ChromiumHost(playwright, "/usr/bin/chromium", CHROMIUM_ARGS)  # doctest: +SKIP
    >>> context = host.browser.new_context()  # doctest: +SKIP
    >>> host.close_context(context)  # doctest: +SKIP
    >>> host.close()  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Sequence

from playwright.sync_api import Browser, BrowserContext, Playwright
from playwright.sync_api import Error as PlaywrightError

from tests.bounded import (
    TEARDOWN_TIMEOUT_S,
    child_processes,
    kill_process_group_of,
    processes_with_argument,
    watchdog,
)

#: Flags for Debian's Chromium running headless as root in a container.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--password-store=basic",
)


class ChromiumHost:
    """One headless Chromium at a time for a test session, relaunched after a kill."""

    def __init__(self, playwright: Playwright, executable: str, args: Sequence[str]) -> None:
        self._playwright = playwright
        self._executable = executable
        # Chromium ignores switches it does not know; this one names our browser's processes.
        self.marker = f"--pywebio-nb-test-browser={secrets.token_hex(8)}"
        self._args = [*args, self.marker]
        self._browser: Browser | None = None
        self._killed = False
        #: How many times Chromium was launched (more than once after a kill).
        self.launches = 0

    @property
    def browser(self) -> Browser:
        """The running browser; a new one when the last was killed or crashed."""
        if self._browser is None or self._killed or not self._browser.is_connected():
            self._killed = False
            self._browser = self._playwright.chromium.launch(
                executable_path=self._executable, headless=True, args=self._args
            )
            self.launches += 1
        return self._browser

    def kill(self) -> None:
        """SIGKILL this host's Chromium (its whole process group). Safe from any thread."""
        self._killed = True
        for pid in processes_with_argument(self.marker):
            kill_process_group_of(pid)

    def close_context(self, context: BrowserContext, seconds: float = TEARDOWN_TIMEOUT_S) -> None:
        """Close ``context``; past ``seconds``, kill the browser instead. Never raises."""
        with (
            watchdog(self.kill, "closing a browser context", seconds),
            contextlib.suppress(PlaywrightError),
        ):
            context.close()

    def close(self, seconds: float = TEARDOWN_TIMEOUT_S) -> None:
        """Close the browser (bounded), then make sure none of its processes is left."""
        if self._browser is not None and not self._killed:
            with (
                watchdog(self.kill, "closing Chromium", seconds),
                contextlib.suppress(PlaywrightError),
            ):
                self._browser.close()
        self.kill()


def stop_driver(playwright: Playwright, seconds: float = TEARDOWN_TIMEOUT_S) -> None:
    """Stop Playwright's node driver; past ``seconds``, kill it (a child of this process)."""

    def kill_driver() -> None:
        for pid in child_processes(os.getpid(), "run-driver"):
            kill_process_group_of(pid)

    with (
        watchdog(kill_driver, "stopping the Playwright driver", seconds),
        contextlib.suppress(Exception),
    ):
        playwright.stop()
