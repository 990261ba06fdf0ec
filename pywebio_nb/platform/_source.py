"""What an app file declares, read from its source without running it.

Serving a ``.py`` file as an app means importing it, which runs its top level. A page GET must
never run code, so whether a file is an app at all (a top-level ``main``) and the page settings
its page starts with (``@config(...)`` on ``main``, module-level ``config(...)`` calls, the
docstring of ``main``) are read from its syntax tree. Only literal arguments count there
(``title="Sales"``, ``css_file=["a.css"]``, or a module-level name bound to a literal); anything
computed is known once a session has imported the file.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from ._page import checked_settings

__all__ = ["SourceFacts", "read_source"]

#: Fallback when a file does not parse: a ``def main(`` at the start of a line.
_MAIN = re.compile(rb"^(async\s+)?def\s+main\s*\(", re.MULTILINE)
_UNKNOWN = object()
#: Statements whose bodies still run at import time (``if``, ``try``, ``with``...).
_BLOCKS = (ast.If, ast.Try, ast.With, ast.AsyncWith)


@dataclass(frozen=True)
class SourceFacts:
    """What a file's source says: whether it defines ``main`` and its literal page settings.

    ``module_settings`` come from module-level ``config()`` calls, ``main_settings`` from the
    ``@config``/``@seo`` decorators of ``main`` (innermost first); ``doc`` is main's docstring.
    """

    has_main: bool
    doc: str | None = None
    module_settings: list[dict[str, Any]] = field(default_factory=list)
    main_settings: list[dict[str, Any]] = field(default_factory=list)


def read_source(source: bytes) -> SourceFacts:
    r"""Read a file's facts from its syntax tree; nothing in it runs.

    Example:
        >>> facts = read_source(b'@config(theme="dark")\ndef main():\n    "Hi"\n')
        >>> facts.has_main, facts.doc, facts.main_settings
        (True, 'Hi', [{'theme': 'dark'}])
        >>> read_source(b"print('a plain script')\n").has_main
        False
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # It will not import either; if it looks like an app, its session shows the error.
        return SourceFacts(has_main=_MAIN.search(source) is not None)
    statements = list(_top_level(tree.body))
    literals = _literal_names(statements)
    module_settings: list[dict[str, Any]] = []
    main_settings: list[dict[str, Any]] = []
    main: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    has_main = False
    for statement in statements:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            found = _config_call(statement.value, literals)
            if found is not None:
                module_settings.append(found)
        if "main" in _bound_names(statement):
            has_main = True
            is_def = isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
            main = statement if is_def else None
    doc = None
    if main is not None:
        doc = ast.get_docstring(main)
        for decorator in reversed(main.decorator_list):  # the innermost applies first
            if isinstance(decorator, ast.Call):
                found = _config_call(decorator, literals)
                if found is not None:
                    main_settings.append(found)
    return SourceFacts(has_main, doc, module_settings, main_settings)


def _top_level(body: list[ast.stmt]) -> Any:
    """Statements that run at import, entering ``if``/``try``/``with`` blocks."""
    for statement in body:
        yield statement
        if isinstance(statement, _BLOCKS):
            for name in ("body", "orelse", "finalbody"):
                yield from _top_level(getattr(statement, name, []))
            for handler in getattr(statement, "handlers", []):
                yield from _top_level(handler.body)


def _bound_names(statement: ast.stmt) -> set[str]:
    """Module-level names a statement binds."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in statement.names}
    targets: list[ast.expr] = []
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
        targets = [statement.target]
    names: set[str] = set()
    for target in targets:
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                names.add(node.id)
    return names


def _literal_names(statements: list[ast.stmt]) -> dict[str, Any]:
    """Module-level ``NAME = <literal>`` bindings (the last one wins)."""
    found: dict[str, Any] = {}
    for statement in statements:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            found[statement.targets[0].id] = _literal(statement.value, {})
        else:
            for name in _bound_names(statement):
                found[name] = _UNKNOWN
    return {name: value for name, value in found.items() if value is not _UNKNOWN}


def _literal(node: ast.expr, names: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return names.get(node.id, _UNKNOWN)
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _UNKNOWN


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _config_call(call: ast.Call, names: dict[str, Any]) -> dict[str, Any] | None:
    """The checked settings of a ``config(...)`` or ``seo(...)`` call; ``None`` if it is neither."""
    called = _called_name(call)
    if called not in ("config", "seo"):
        return None
    arguments: dict[str, Any] = {}
    if called == "seo":
        for name, node in zip(("title", "description"), call.args, strict=False):
            arguments[name] = _literal(node, names)
    for keyword in call.keywords:
        if keyword.arg is not None:
            arguments[keyword.arg] = _literal(keyword.value, names)
    settings: dict[str, Any] = {}
    for name, value in arguments.items():
        if value is _UNKNOWN:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                settings.update(checked_settings(**{name: value}))
            except (TypeError, ValueError):
                continue  # the import will report it
    return settings
