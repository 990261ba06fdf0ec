"""Which app a URL means: registered apps (a function, list or dict) and ``.py`` files by path.

PyWebIO's ``path_deploy`` semantics for files: ``/webio/a/b`` runs ``main()`` of ``a/b.py`` under
the root; a folder URL shows an index of its apps and sub-folders, or runs the folder's
``index.py``; names starting with ``_`` or ``.`` are hidden; a changed file is imported again,
and so is one opened with ``?reload`` (when the server allows it). Which files are apps is read
from their source (``_source.py``): a file runs only when a session starts its app.
``?app=name`` picks a registered app (or a sibling file), as ``go_app()`` and ``put_link(app=)``
produce.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import inspect
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ._page import effective_settings, page_config
from ._source import SourceFacts, read_source

__all__ = ["AppFile", "AppRegistry", "AppTarget", "PathApps", "normalize_applications"]

App = Callable[[], Any]
T = TypeVar("T")


@dataclass(frozen=True)
class AppTarget:
    """An app to run: its function and a display name."""

    func: App
    name: str


def normalize_applications(applications: Any) -> dict[str, App]:
    """Turn PyWebIO's ``applications`` argument (function, list or dict) into ``{name: func}``.

    Example:
        >>> def main(): ...
        >>> def other(): ...
        >>> sorted(normalize_applications([main, other]))
        ['main', 'other']
    """
    if callable(applications):
        return {"index": applications}
    if isinstance(applications, Mapping):
        apps = dict(applications)
    elif isinstance(applications, Sequence) and not isinstance(applications, str):
        apps = {getattr(func, "__name__", repr(func)): func for func in applications}
    else:
        raise TypeError(
            "applications must be a function, a list of functions or a dict of name to "
            f"function, got {type(applications).__name__}"
        )
    for name, func in apps.items():
        if not isinstance(name, str) or not callable(func):
            raise TypeError(f"applications: {name!r} -> {func!r} is not a name and a function")
    return apps


def _index_app(title: str, links: list[tuple[str, dict[str, str]]]) -> App:
    """An app that lists links (``(text, {"url": ...} or {"app": ...})``)."""

    def index() -> None:
        from ..output import put_link, put_markdown

        put_markdown("# " + title.replace("#", "\\#"))
        if not links:
            put_markdown("*No apps here.*")
        for text, target in links:
            put_link(text, url=target.get("url"), app=target.get("app")).style("display: block")

    index.__doc__ = title
    return index


class AppRegistry:
    """Apps given as a function, a list or a dict; ``?app=`` chooses one.

    Example:
        >>> def main(): ...
        >>> AppRegistry(main).resolve(None).func is main
        True
    """

    def __init__(self, applications: Any) -> None:
        self.apps = normalize_applications(applications)

    def resolve(self, app: str | None) -> AppTarget | None:
        """The app named ``app``; without a name the ``index`` app or a generated index."""
        if app is not None:
            func = self.apps.get(app)
            return AppTarget(func, app) if func is not None else None
        if "index" in self.apps:
            return AppTarget(self.apps["index"], "index")
        if len(self.apps) == 1:
            name, func = next(iter(self.apps.items()))
            return AppTarget(func, name)
        links = [(name, {"app": name}) for name in self.apps]
        return AppTarget(_index_app("Apps", links), "index")


def _broken(error: BaseException) -> App:
    def broken() -> None:
        raise error

    return broken


@dataclass(frozen=True)
class AppFile:
    """A ``.py`` app under the root, found by its path and not imported yet.

    Finding it ran nothing: its source has a top-level ``main``. :meth:`PathApps.load` imports
    it (off the event loop), which runs the file's top level.
    """

    file: Path
    name: str


class PathApps:
    """``.py`` apps under a root folder (PyWebIO ``path_deploy``), plus registered apps.

    Nothing here runs a file except :meth:`load`: which files are apps, and the page settings
    of one that no session has imported yet, come from reading their source.
    """

    def __init__(
        self,
        root: str | Path,
        registry: AppRegistry | None = None,
        index: bool | Callable[[str], Any] = True,
    ) -> None:
        self.root = Path(root).resolve()
        self.registry = registry
        self.index = index
        #: Imported modules by file, with the file's version (mtime, size) when it was read.
        self._modules: dict[Path, tuple[tuple[int, int], Any]] = {}
        self._facts: dict[Path, tuple[tuple[int, int], SourceFacts]] = {}
        self._file_locks: dict[Path, threading.Lock] = {}
        self._lock = threading.Lock()
        #: Other files a folder index lists (notebooks): a file -> ``(text, target)`` or None.
        self.list_file: Callable[[Path], tuple[str, dict[str, str]] | None] | None = None

    def locate(self, path: str, app: str | None = None) -> AppTarget | AppFile | str | None:
        """The app at URL path ``path`` (relative to the root), a redirect, or ``None`` (404).

        A returned ``str`` is the path to redirect to (a folder without its trailing slash).
        Nothing is imported: a file app comes back as an :class:`AppFile`.
        """
        parts = path.split("/")
        if any(p.startswith((".", "_")) or "\\" in p for p in parts if p):
            return None
        if any(not p for p in parts[:-1]):
            return None
        if app is not None:
            if self.registry is not None:
                found = self.registry.resolve(app)
                if found is not None:
                    return found
            if "/" in app or "\\" in app or app.startswith((".", "_")):
                return None
            folder = "/".join(parts[:-1]) if not path.endswith("/") else path.rstrip("/")
            return self._file_app(f"{folder}/{app}" if folder else app)
        if path == "" or path.endswith("/"):
            return self._folder(path.rstrip("/"))
        if self._within(self.root / path) and (self.root / path).is_dir():
            return path + "/"
        return self._file_app(path)

    def _within(self, target: Path) -> bool:
        try:
            target.resolve().relative_to(self.root)
        except ValueError:
            return False
        return True

    def _file_app(self, path: str) -> AppFile | None:
        file = self.root / (path + ".py")
        if not self._within(file) or not file.is_file() or not self.facts(file).has_main:
            return None
        return AppFile(file, path)

    def _folder(self, path: str) -> AppTarget | AppFile | None:
        folder = self.root / path if path else self.root
        if not self._within(folder) or not folder.is_dir():
            return None
        if (folder / "index.py").is_file():
            found = self._file_app(f"{path}/index" if path else "index")
            if found is not None:
                return found
        if callable(self.index):
            index = self.index
            return AppTarget(lambda: index(path), "index")
        if not self.index:
            return None
        links: list[tuple[str, dict[str, str]]] = []
        base = path.rsplit("/", 1)[-1] + "/" if path else ""
        if path:
            links.append(("../", {"url": "../"}))
        for entry in sorted(folder.iterdir(), key=lambda p: (not p.is_dir(), p.name.lower())):
            if entry.name.startswith((".", "_")) or entry.name == "index.py":
                continue
            if entry.is_dir():
                links.append((entry.name + "/", {"url": f"./{entry.name}/"}))
            elif entry.suffix == ".py" and entry.is_file() and self.facts(entry).has_main:
                links.append((entry.stem, {"url": f"./{entry.stem}"}))
            elif self.list_file is not None and (link := self.list_file(entry)) is not None:
                links.append(link)
        if not path and self.registry is not None:
            links.extend((name, {"app": name}) for name in self.registry.apps)
        return AppTarget(_index_app(f"Index of /{base}", links), "index")

    # -- reading and importing files -----------------------------------------------------------

    def facts(self, file: Path) -> SourceFacts:
        """What ``file``'s source declares (read once per version of the file; runs nothing)."""
        version = _version(file)
        if version is None:
            return SourceFacts(has_main=False)
        cached = self._facts.get(file)
        if cached is not None and cached[0] == version:
            return cached[1]
        try:
            found = read_source(file.read_bytes())
        except OSError:
            found = SourceFacts(has_main=False)
        self._facts[file] = (version, found)
        return found

    def page_settings(self, found: AppFile) -> dict[str, Any]:
        """The page settings of a file app, without importing it.

        From the module when a session has imported this version of the file (its settings
        as computed), else from the source (literal ``config()`` arguments, the docstring).
        """
        module = self.loaded(found)
        if module is not None:
            return page_config(getattr(module, "main", None))
        facts = self.facts(found.file)
        return effective_settings(facts.doc, facts.main_settings, facts.module_settings)

    def loaded(self, found: AppFile) -> Any:
        """The module of this version of the file once imported, else ``None`` (runs nothing)."""
        cached = self._modules.get(found.file)
        if cached is None or cached[0] != _version(found.file):
            return None
        return cached[1]

    def forget(self, found: AppFile) -> None:
        """Drop the imported module (``?reload``): the next :meth:`load` imports the file again."""
        with self._lock:
            self._modules.pop(found.file, None)

    def load(self, found: AppFile) -> AppTarget | None:
        """Import the file (unless this version is imported) and return its ``main``.

        Importing runs the file's top level: call this off the event loop. An import error
        becomes an app that raises it, so the visitor sees what broke.
        """
        with self._lock:
            lock = self._file_locks.setdefault(found.file, threading.Lock())
        with lock:
            try:
                module = self.loaded(found) or self._import(found.file)
            except BaseException as error:  # a broken app shows its error to the visitor
                return AppTarget(_broken(error), found.name)
        main = getattr(module, "main", None)
        if not callable(main):
            return None
        return AppTarget(main, found.name)

    def _import(self, file: Path) -> Any:
        version = _version(file)
        name = "pywebio_nb_apps." + re.sub(r"\W", "_", str(file.relative_to(self.root)))
        spec = importlib.util.spec_from_file_location(name, file)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot import {file}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            with _importable(file.parent):
                spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
        with self._lock:
            if version is not None:
                self._modules[file] = (version, module)
        return module


@contextlib.contextmanager
def _importable(folder: Path) -> Iterator[None]:
    """Let an app's top level import the modules beside it (``import config``), as PyWebIO does.

    The folder is on ``sys.path`` (at its end, so it shadows nothing installed) while the app
    file runs; a sibling module, once imported, stays in ``sys.modules`` under its own name.
    """
    entry = str(folder)
    sys.path.append(entry)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(entry)


def _version(file: Path) -> tuple[int, int] | None:
    """What tells one version of a file from the next: its mtime and size."""
    try:
        stat = file.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


async def off_loop(func: Callable[..., T], *args: Any, name: str = "pywebio_nb-import") -> T:
    """Run ``func(*args)`` in a short-lived daemon thread of its own and await its result.

    For work that may take long and must not hold up the event loop (importing an app, a
    waiting poll). The thread ends with the call, so nothing stays behind, and a process
    that exits does not wait for it.

    Example:
        >>> import asyncio
        >>> asyncio.run(off_loop(sum, [1, 2]))
        3
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(value: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    def run() -> None:
        try:
            value, error = func(*args), None
        except BaseException as raised:
            value, error = None, raised
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody awaits the result
            loop.call_soon_threadsafe(settle, value, error)

    threading.Thread(target=run, name=name, daemon=True).start()
    return await future


def is_coroutine_app(func: Callable[..., Any]) -> bool:
    """Whether an app runs as a coroutine (``async def``, also through ``functools.partial``)."""
    while hasattr(func, "func"):
        func = func.func
    return inspect.iscoroutinefunction(func)
