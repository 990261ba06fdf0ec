"""Which app a URL means: registered apps (a function, list or dict) and ``.py`` files by path.

PyWebIO's ``path_deploy`` semantics for files: ``/webio/a/b`` runs ``main()`` of ``a/b.py`` under
the root; a folder URL shows an index of its apps and sub-folders, or runs the folder's
``index.py``; names starting with ``_`` or ``.`` are hidden; ``?reload`` re-imports the file.
``?app=name`` picks a registered app (or a sibling file), as ``go_app()`` and ``put_link(app=)``
produce.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["AppRegistry", "AppTarget", "PathApps", "normalize_applications"]

App = Callable[[], Any]
_MAIN = re.compile(rb"^(async\s+)?def\s+main\s*\(", re.MULTILINE)


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


class PathApps:
    """``.py`` apps under a root folder (PyWebIO ``path_deploy``), plus registered apps."""

    def __init__(
        self,
        root: str | Path,
        registry: AppRegistry | None = None,
        index: bool | Callable[[str], Any] = True,
    ) -> None:
        self.root = Path(root).resolve()
        self.registry = registry
        self.index = index
        self._modules: dict[Path, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def resolve(
        self, path: str, app: str | None = None, reload: bool = False
    ) -> AppTarget | str | None:
        """The app at URL path ``path`` (relative to the root), a redirect, or ``None`` (404).

        A returned ``str`` is the path to redirect to (a folder without its trailing slash).
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
            if "/" in app or app.startswith((".", "_")):
                return None
            folder = "/".join(parts[:-1]) if not path.endswith("/") else path.rstrip("/")
            return self._file_app(f"{folder}/{app}" if folder else app, reload)
        if path == "" or path.endswith("/"):
            return self._folder(path.rstrip("/"), reload)
        if self._within(self.root / path) and (self.root / path).is_dir():
            return path + "/"
        return self._file_app(path, reload)

    def _within(self, target: Path) -> bool:
        try:
            target.resolve().relative_to(self.root)
        except ValueError:
            return False
        return True

    def _file_app(self, path: str, reload: bool) -> AppTarget | None:
        file = self.root / (path + ".py")
        if not self._within(file) or not file.is_file():
            return None
        try:
            module = self._load(file, reload)
        except BaseException as error:  # a broken app shows its error to the visitor
            return AppTarget(_broken(error), path)
        main = getattr(module, "main", None)
        if not callable(main):
            return None
        return AppTarget(main, path)

    def _folder(self, path: str, reload: bool) -> AppTarget | None:
        folder = self.root / path if path else self.root
        if not self._within(folder) or not folder.is_dir():
            return None
        if (folder / "index.py").is_file():
            found = self._file_app(f"{path}/index" if path else "index", reload)
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
            elif entry.suffix == ".py" and _has_main(entry):
                links.append((entry.stem, {"url": f"./{entry.stem}"}))
        if not path and self.registry is not None:
            links.extend((name, {"app": name}) for name in self.registry.apps)
        return AppTarget(_index_app(f"Index of /{base}", links), "index")

    def _load(self, file: Path, reload: bool) -> Any:
        mtime = file.stat().st_mtime
        with self._lock:
            cached = self._modules.get(file)
            if cached is not None and cached[0] == mtime and not reload:
                return cached[1]
            name = "pywebio_nb_apps." + re.sub(r"\W", "_", str(file.relative_to(self.root)))
            spec = importlib.util.spec_from_file_location(name, file)
            if spec is None or spec.loader is None:
                raise ImportError(f"cannot import {file}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                sys.modules.pop(name, None)
                raise
            self._modules[file] = (mtime, module)
            return module


def _has_main(file: Path) -> bool:
    """Whether a file defines ``main`` (read, not imported: listing runs no code)."""
    try:
        return _MAIN.search(file.read_bytes()) is not None
    except OSError:
        return False


def is_coroutine_app(func: Callable[..., Any]) -> bool:
    """Whether an app runs as a coroutine (``async def``, also through ``functools.partial``)."""
    while hasattr(func, "func"):
        func = func.func
    return inspect.iscoroutinefunction(func)
