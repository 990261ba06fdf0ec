"""The import graph of pywebio_nb: no circle, and the core never imports a host.

Every ``import`` in the package is read from its syntax tree (function-level imports and
imports under ``if TYPE_CHECKING:`` too: a type-only import is still a dependency a reader
follows) and resolved to a module of the package. Layer rules (see each package's ``__init__``
docstring):

* ``pywebio_nb._core`` imports only itself and ``pywebio_nb.exceptions``, and no Jupyter,
  tornado or widget library;
* a host (``pywebio_nb._hosts.<name>``) imports no other host and no public package (only
  ``_hosts.lookup`` reaches ``pywebio_nb.platform``, for script mode);
* the public packages ``output``, ``input``, ``pin`` and ``session`` import no host;
  ``platform`` may import the app host.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pywebio_nb

pytestmark = pytest.mark.unit

PACKAGE = Path(pywebio_nb.__file__).parent
FOREIGN_IN_CORE = ("IPython", "ipykernel", "anywidget", "traitlets", "tornado", "jupyter", "zmq")


def module_name(path: Path) -> str:
    parts = ["pywebio_nb", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    return [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def imports_of(name: str) -> tuple[set[str], set[str]]:
    """(modules of the package, top-level names of other packages) that ``name`` imports."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    ours: set[str] = set()
    foreign: set[str] = set()
    for node in _imports(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [
                f"{module}.{alias.name}" if f"{module}.{alias.name}" in MODULES else module
                for alias in node.names
            ]
        for target in targets:
            if target.split(".")[0] != "pywebio_nb":
                foreign.add(target.split(".")[0])
                continue
            while target not in MODULES:  # pywebio_nb.x.y where y is a name in x
                target = target.rpartition(".")[0]
            if target != name:
                ours.add(target)
    return ours, foreign


GRAPH = {name: imports_of(name) for name in MODULES}


def _cycles() -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node][0]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for name in sorted(GRAPH):
        if name not in index:
            visit(name)
    return found


def _in(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_graph_has_the_layers() -> None:
    assert "pywebio_nb._core.session" in GRAPH
    assert "pywebio_nb._hosts.notebook.session" in GRAPH
    assert "pywebio_nb._hosts.app.session" in GRAPH


def test_no_import_circle() -> None:
    assert _cycles() == []


def test_the_core_imports_no_host_and_no_jupyter() -> None:
    for name, (ours, foreign) in GRAPH.items():
        if not _in(name, "pywebio_nb._core"):
            continue
        wrong = {
            t for t in ours if not (_in(t, "pywebio_nb._core") or t == "pywebio_nb.exceptions")
        }
        assert not wrong, f"{name} imports {sorted(wrong)}"
        assert not {f for f in foreign if f.startswith(FOREIGN_IN_CORE)}, name


def test_hosts_import_no_other_host_and_no_public_package() -> None:
    hosts = {"notebook", "app", "fake", "lookup"}
    for name, (ours, _) in GRAPH.items():
        if not _in(name, "pywebio_nb._hosts") or name == "pywebio_nb._hosts":
            continue
        host = name.split(".")[2]
        for target in ours:
            if _in(target, "pywebio_nb._hosts") and target != "pywebio_nb._hosts":
                other = target.split(".")[2]
                assert other == host or host == "lookup", f"{name} imports {target}"
                assert other in hosts
            public = ("output", "input", "pin", "session", "platform")
            if any(_in(target, f"pywebio_nb.{p}") for p in public):
                assert host == "lookup" and _in(target, "pywebio_nb.platform"), (
                    f"{name} imports {target}"
                )


def test_public_packages_import_the_core_only() -> None:
    for name, (ours, _) in GRAPH.items():
        parts = name.split(".")
        if len(parts) < 2 or parts[1] not in ("output", "input", "pin", "session", "platform"):
            continue
        for target in ours:
            if _in(target, "pywebio_nb._hosts"):
                assert parts[1] == "platform" and _in(target, "pywebio_nb._hosts.app"), (
                    f"{name} imports {target}"
                )
