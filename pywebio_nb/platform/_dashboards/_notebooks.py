"""Which notebook a URL means, and what the server needs from it: code cells, title, mode.

Same rules as ``.py`` apps (``_apps.PathApps``): paths relative to the served root, no part
starting with ``_`` or ``.``, nothing outside the root. Reading a notebook runs nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Notebook", "NotebookFiles", "read_notebook"]

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Notebook:
    """One version of a notebook file, as the server runs it.

    Attributes:
        path: the URL path under ``/webio/`` (``reports/sales.ipynb``).
        file: the file.
        version: what tells this version from the next (mtime, size).
        title: the first Markdown heading, else the file's name.
        cells: ``(kind, source)`` of each code and Markdown cell, in order (``"code"`` or
            ``"markdown"``; empty ones left out).
        kernel_name: the kernelspec the notebook names (``""``: the server's default).
        mode: ``"kernel"``, ``"session"`` or ``""`` (from ``metadata.pywebio_nb.dashboard_mode``).
    """

    path: str
    file: Path
    version: tuple[int, int]
    title: str
    cells: tuple[tuple[str, str], ...]
    kernel_name: str = ""
    mode: str = ""


def _text(source: Any) -> str:
    if isinstance(source, list):
        return "".join(str(part) for part in source)
    return source if isinstance(source, str) else ""


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def read_notebook(path: str, file: Path) -> Notebook | None:
    """Read a notebook file; ``None`` if it is not a notebook (unreadable, not JSON...).

    Example:
        >>> read_notebook("x.ipynb", Path("missing.ipynb")) is None
        True
    """
    try:
        stat = file.stat()
        raw = json.loads(file.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        return None
    title = ""
    cells: list[tuple[str, str]] = []
    for cell in raw["cells"]:
        if not isinstance(cell, dict):
            continue
        source = _text(cell.get("source"))
        kind = cell.get("cell_type")
        if kind == "markdown" and not title:
            found = _HEADING.search(source)
            title = found.group(1) if found else ""
        if kind in ("code", "markdown") and source.strip():
            cells.append((str(kind), source))
    metadata = _mapping(raw.get("metadata"))
    spec = _mapping(metadata.get("kernelspec"))
    mode = _mapping(metadata.get("pywebio_nb")).get("dashboard_mode")
    kernel_name = spec.get("name")
    return Notebook(
        path=path,
        file=file,
        version=(stat.st_mtime_ns, stat.st_size),
        title=title or file.stem,
        cells=tuple(cells),
        kernel_name=kernel_name if isinstance(kernel_name, str) else "",
        mode=mode if mode in ("kernel", "session") else "",
    )


class NotebookFiles:
    """The notebooks under a root folder, found by URL path; read once per file version."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self._read: dict[Path, Notebook | None] = {}

    def locate(self, path: str) -> Notebook | None:
        """The notebook at URL path ``path`` (``a/b.ipynb``), or ``None`` (a 404).

        Example:
            >>> NotebookFiles(".").locate("_hidden.ipynb") is None
            True
        """
        parts = path.split("/")
        if not path.endswith(".ipynb") or any(
            not part or part.startswith((".", "_")) or "\\" in part for part in parts
        ):
            return None
        file = self.root / path
        try:
            file.resolve().relative_to(self.root)
        except ValueError:
            return None
        if not file.is_file():
            return None
        return self.read(path, file)

    def read(self, path: str, file: Path) -> Notebook | None:
        """The notebook in ``file``, read again only when the file changed."""
        try:
            stat = file.stat()
        except OSError:
            return None
        cached = self._read.get(file)
        if cached is not None and cached.version == (stat.st_mtime_ns, stat.st_size):
            return cached
        found = read_notebook(path, file)
        self._read[file] = found
        return found

    def index_link(self, entry: Path) -> tuple[str, dict[str, str]] | None:
        """A folder index's link to ``entry`` if it is a notebook: its title and URL."""
        if entry.suffix != ".ipynb" or not entry.is_file():
            return None
        try:
            path = entry.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None
        found = self.read(path, entry)
        if found is None:
            return None
        return found.title, {"url": f"./{entry.name}"}
