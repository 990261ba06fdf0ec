"""Fixtures for the browser tier: one JupyterLab and one Chromium per session.

The fixtures, from the bottom up:

* ``jupyterlab_server`` (session): a hermetic :class:`JupyterLabServer`.
* ``chromium_host`` (session): Debian's Chromium driven by Playwright
  (:class:`chromium_host.ChromiumHost`). Missing Chromium fails the run under ``CI=true``
  and skips the tier elsewhere.
* ``page`` (test): a fresh browser context and page. Page errors (uncaught exceptions
  in the page) fail the test at teardown unless allowed with
  ``@pytest.mark.allow_page_error(regex)`` or an override of ``page_error_allowlist``.

Every teardown is bounded (``tests/bounded.py``): a browser context that does not close
within ``TEARDOWN_TIMEOUT_S`` gets its browser killed (the next test launches a new one), a
server that ignores SIGTERM is killed, and a :class:`bounded.TeardownOverrun` warning says so.
A slow machine makes the tier slower, never red.
* ``page_events``: what ``page`` recorded (page errors and console errors).
* ``jupyterlab_notebook`` (test): a factory; ``jupyterlab_notebook(["code", ...])``
  writes a notebook, opens it and returns a :class:`LabNotebook`.

On a failure the report gets the server's log for that test and the page's errors,
and a screenshot is saved as ``test-artifacts/browser/<test-name>.png``.

Example:
    >>> def test_sum_shows(jupyterlab_notebook):  # doctest: +SKIP
    ...     lab = jupyterlab_notebook(["1 + 1"])
    ...     lab.run_all()
    ...     expect(lab.output(0)).to_contain_text("2")
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from chromium_host import CHROMIUM_ARGS, ChromiumHost, stop_driver
from jupyter_harness import (
    DEFAULT_TIMEOUT_MS,
    JupyterLabServer,
    LabNotebook,
    NotebookCell,
    NotebookFactory,
    write_notebook,
)
from playwright.sync_api import (
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from tests.bounded import watchdog

# expect() waits for what a person would see. Its default of 5 s was too short for a kernel
# round trip on a loaded machine (load average 13); actions already wait 30 s.
expect.set_options(timeout=DEFAULT_TIMEOUT_MS)

_SERVER_KEY = pytest.StashKey[JupyterLabServer]()
_LOG_OFFSET_KEY = pytest.StashKey[int]()
_PAGE_KEY = pytest.StashKey[Page]()
_EVENTS_KEY = pytest.StashKey["PageEvents"]()
_SCREENSHOT_KEY = pytest.StashKey[Path]()


@dataclass
class PageEvents:
    """Errors a page reported while a test ran."""

    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Both lists as text for a failure report."""
        lines = [f"page error: {e}" for e in self.page_errors]
        lines += [f"console error: {e}" for e in self.console_errors]
        return "\n".join(lines) or "(none)"


def artifacts_dir(config: pytest.Config) -> Path:
    """``test-artifacts/browser`` under the pytest root directory."""
    return config.rootpath / "test-artifacts" / "browser"


def _file_name(item: pytest.Item) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name).strip("_")


def pytest_configure(config: pytest.Config) -> None:
    """Register this tier's markers (``browser`` only if the project config has not)."""
    config.addinivalue_line(
        "markers", "allow_page_error(pattern): a page error matching this regex is expected"
    )
    known = {line.split(":")[0].strip() for line in config.getini("markers")}
    if "browser" not in known:
        config.addinivalue_line("markers", "browser: Playwright + Chromium against JupyterLab")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this directory ``browser``, so ``-m "not browser"`` skips them."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Remember where the server log stands so a failure shows only this test's part."""
    server = item.config.stash.get(_SERVER_KEY, None)
    item.stash[_LOG_OFFSET_KEY] = server.log_size() if server else 0


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """On failure: screenshot the page, attach the server log and the page's errors."""
    report = yield
    if not report.failed:
        return report
    page = item.stash.get(_PAGE_KEY, None)
    if page is not None and not page.is_closed() and _SCREENSHOT_KEY not in item.stash:
        target = artifacts_dir(item.config) / f"{_file_name(item)}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(target))
            item.stash[_SCREENSHOT_KEY] = target
        except PlaywrightError as error:
            report.sections.append(("screenshot", f"could not take a screenshot: {error}"))
    if _SCREENSHOT_KEY in item.stash:
        report.sections.append(("screenshot", str(item.stash[_SCREENSHOT_KEY])))
    events = item.stash.get(_EVENTS_KEY, None)
    if events is not None:
        report.sections.append(("browser errors", events.summary()))
    server = item.config.stash.get(_SERVER_KEY, None)
    if server is not None:
        since = item.stash.get(_LOG_OFFSET_KEY, 0)
        report.sections.append((f"jupyter server log ({server.log_path})", server.log_tail(since)))
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how long JupyterLab took to start, when this session started it."""
    server = terminalreporter.config.stash.get(_SERVER_KEY, None)
    if server is not None:
        terminalreporter.write_line(
            f"browser tier: JupyterLab answered /api/status {server.startup_seconds:.1f} s "
            f"after launch ({server.url})"
        )


@pytest.fixture(scope="module")
def webio_server_args() -> list[str]:
    """More command-line options of a module's ``webio_server`` (``--WebIO.*``); override it."""
    return []


@pytest.fixture(scope="session")
def jupyterlab_server(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[JupyterLabServer]:
    """A hermetic JupyterLab 4, started once per session and killed at its end."""
    server = JupyterLabServer.start(tmp_path_factory.mktemp("jupyterlab"))
    pytestconfig.stash[_SERVER_KEY] = server
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Path of the Chromium binary: ``$CHROMIUM`` or ``/usr/bin/chromium``."""
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        message = f"Chromium not found at {path!r} (set $CHROMIUM or apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """Playwright's node driver, shared by the session."""
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        stop_driver(driver)


@pytest.fixture(scope="session")
def chromium_host(
    playwright_driver: Playwright, chromium_executable: str
) -> Iterator[ChromiumHost]:
    """Headless Chromium for the session: launched on first use, again after a kill."""
    host = ChromiumHost(playwright_driver, chromium_executable, CHROMIUM_ARGS)
    try:
        yield host
    finally:
        host.close()


@pytest.fixture
def page_error_allowlist(request: pytest.FixtureRequest) -> list[re.Pattern[str]]:
    """Regexes of page errors that do not fail the test; from ``allow_page_error`` marks.

    Override this fixture in a test module to allow errors for all of its tests.
    """
    return [re.compile(m.args[0]) for m in request.node.iter_markers("allow_page_error")]


@pytest.fixture
def page_events(request: pytest.FixtureRequest) -> PageEvents:
    """The page errors and console errors recorded by ``page`` for this test."""
    events = PageEvents()
    request.node.stash[_EVENTS_KEY] = events
    return events


@pytest.fixture
def page(
    chromium_host: ChromiumHost,
    page_events: PageEvents,
    page_error_allowlist: list[re.Pattern[str]],
    request: pytest.FixtureRequest,
) -> Iterator[Page]:
    """A new page in a fresh browser context; fails the test on unexpected page errors."""
    context = chromium_host.browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = context.new_page()

    def on_page_error(error: PlaywrightError) -> None:
        page_events.page_errors.append(error.message)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            page_events.console_errors.append(message.text)

    new_page.on("pageerror", on_page_error)
    new_page.on("console", on_console)
    request.node.stash[_PAGE_KEY] = new_page
    unexpected: list[str] = []
    try:
        yield new_page
        unexpected = [
            error
            for error in page_events.page_errors
            if not any(pattern.search(error) for pattern in page_error_allowlist)
        ]
        if unexpected and _SCREENSHOT_KEY not in request.node.stash:
            target = artifacts_dir(request.config) / f"{_file_name(request.node)}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(PlaywrightError):
                new_page.screenshot(path=str(target))
                request.node.stash[_SCREENSHOT_KEY] = target
    finally:
        chromium_host.close_context(context)
    if unexpected:
        pytest.fail(
            "the page reported errors:\n"
            + "\n".join(unexpected)
            + "\n(allow expected ones with @pytest.mark.allow_page_error(regex))",
            pytrace=False,
        )


@pytest.fixture
def jupyterlab_notebook(
    page: Page,
    jupyterlab_server: JupyterLabServer,
    chromium_host: ChromiumHost,
    request: pytest.FixtureRequest,
) -> Iterator[NotebookFactory]:
    """Factory: write a notebook from cell sources, open it in ``page``, return the driver.

    The first notebook of a test opens in a workspace of its own; later ones open in
    the same page. At teardown every notebook is marked clean and its kernel shut down;
    a page that no longer answers gets its browser killed, and the kernels are still shut
    down through the server's REST API.
    """
    opened: list[LabNotebook] = []
    stem = _file_name(request.node)[:80]

    def open_notebook(cells: Sequence[str | NotebookCell]) -> LabNotebook:
        name = f"{stem}-{len(opened)}-{secrets.token_hex(3)}.ipynb"
        path = write_notebook(jupyterlab_server.root_dir / name, cells)
        opener = LabNotebook.open_in_current_page if opened else LabNotebook.open_in_new_workspace
        lab = opener(page, jupyterlab_server, path, artifacts_dir(request.config))
        opened.append(lab)
        return lab

    yield open_notebook
    failures = []
    for lab in reversed(opened):
        try:
            with watchdog(chromium_host.kill, f"closing {lab.path} in the page"):
                lab.close()
        except Exception as error:  # close the others, then report
            failures.append(f"{lab.path}: {error!r}")
    if failures:
        pytest.fail("closing notebooks failed:\n" + "\n".join(failures), pytrace=False)
