"""Generate ``js/src/protocol.ts`` and its parts from the protocol's Python definitions.

The wire protocol is declared once, in Python (``SOURCE_MODULE``); the renderer's TypeScript
types are written from it by this script and never edited by hand::

    npm run gen:protocol                 # or: python js/gen_protocol.py
    python js/gen_protocol.py --check    # CI (.ci/test): fail when the file is out of date

What it translates, in the order the module declares it (so the output is deterministic):

* a ``TypedDict`` → an ``interface`` (``NotRequired`` keys become optional properties; a
  TypedDict's declared bases become ``extends``; the TypedDicts listed in the module's
  ``OPEN_TYPES`` also accept any other key);
* a module-level ``Literal`` or union alias → a ``type`` alias;
* an upper-case ``int``/``float``/``str``/``bool`` constant → an ``export const``.

The modules named in the source module's ``PROTOCOL_PARTS`` are part of the protocol too: each
is written to a file of its own beside ``protocol.ts`` (``protocol-nodes.ts`` for
``pywebio_nb._core.nodes``), which ``protocol.ts`` imports what it names from and re-exports, so a
file stays the size of its module and renderers import every type from ``./protocol``.

Inside them: ``str``, ``int``, ``float``, ``bool``, ``None``, ``list[X]``, ``dict[str, X]``,
``Literal``, ``X | Y`` / ``Optional``, nested TypedDicts and ``Any``/``object`` (→ ``unknown``).
The docstring of a TypedDict and the ``#:`` comment above an alias or a constant become doc
comments. Classes that are not TypedDicts and names starting with ``_`` are code, not
messages, and are skipped; any other public value, and any annotation outside the list above,
stop the generator with an error naming it.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import importlib
import inspect
import json
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

#: The module whose definitions are the protocol (a one-line change if it moves).
SOURCE_MODULE = "pywebio_nb._core.protocol"
#: The repository's root (this file is ``js/gen_protocol.py``).
ROOT = Path(__file__).resolve().parent.parent
#: The generated file, relative to the repository's root.
TARGET = "js/src/protocol.ts"
#: The command that rewrites the generated file.
COMMAND = "npm run gen:protocol"
#: TypeScript names that differ from the Python ones. A TypeScript ``Event`` would shadow the
#: DOM's ``Event`` type in every module that imports it.
TS_NAMES = {"Event": "BrowserEvent"}
#: A union alias longer than this on one line is written one member per line.
LINE_LIMIT = 100
_IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$]*$")
_ROLE = re.compile(r":[a-z]+:`([^`]+)`")


class GenerateError(Exception):
    """A definition the generator cannot translate; the message names it."""


def _markdown(text: str) -> str:
    """Python's reST quoting (````x````, ``:class:`X```) as Markdown's (```x```)."""
    return _ROLE.sub(r"`\1`", text).replace("``", "`")


def _doc_comment(text: str, indent: str = "") -> list[str]:
    """A JSDoc comment from a docstring or a ``#:`` comment."""
    text = _markdown(text).replace("*/", "*\\/").strip()
    if not text:
        return []
    lines = text.splitlines()
    if len(lines) == 1:
        return [f"{indent}/** {lines[0]} */"]
    body = [f"{indent} *{' ' + line if line.strip() else ''}" for line in lines]
    return [f"{indent}/**", *body, f"{indent} */"]


def _declarations(source: str) -> list[tuple[str, str]]:
    """The module's top-level names and free comments in source order, as ``(kind, text)``.

    ``("name", n)`` is a declaration and ``("doc", text)`` the ``#:`` comment right above it;
    ``("comment", text)`` is a block of ``#`` lines at column 0 followed by a blank line.
    """
    lines = source.splitlines()
    found: list[tuple[int, str, str]] = []
    block: list[str] = []
    for number, line in enumerate(lines):
        if line.startswith("#") and not line.startswith("#:"):
            block.append(line[1:].strip())
            continue
        if block and not line.strip():
            found.append((number - len(block), "comment", "\n".join(block)))
        block = []
    for statement in ast.parse(source).body:
        if isinstance(statement, ast.ClassDef):
            targets = [statement.name]
        elif isinstance(statement, ast.Assign):
            targets = [t.id for t in statement.targets if isinstance(t, ast.Name)]
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            targets = [statement.target.id]
        else:
            continue
        comment: list[str] = []
        number = statement.lineno - 2  # the line above, 0-based
        while number >= 0 and lines[number].startswith("#:"):
            comment.insert(0, lines[number][2:].strip())
            number -= 1
        for name in targets:
            found.append((statement.lineno - 1, "doc", "\n".join(comment)))
            found.append((statement.lineno - 1, "name", name))
    return [(kind, text) for _, kind, text in sorted(found, key=lambda entry: entry[0])]


class _Translator:
    """Turns the annotations of one module into TypeScript, naming its declared types."""

    def __init__(self, module: types.ModuleType, parts: list[types.ModuleType]) -> None:
        self.module = module
        self.typeddicts: dict[Any, str] = {}
        self.aliases: list[tuple[Any, str]] = []
        #: The declared TypedDicts each TypedDict extends (read from the source: a TypedDict
        #: class does not keep its bases at run time before Python 3.12).
        self.bases: dict[Any, list[Any]] = {}
        for source in [*parts, module]:
            for statement in ast.parse(inspect.getsource(source)).body:
                if isinstance(statement, ast.ClassDef):
                    found = [
                        getattr(source, base.id, None)
                        for base in statement.bases
                        if isinstance(base, ast.Name) and base.id != "TypedDict"
                    ]
                    cls = getattr(source, statement.name)
                    self.bases[cls] = [b for b in found if typing.is_typeddict(b)]
            for name, value in vars(source).items():
                if name.startswith("_"):
                    continue
                if typing.is_typeddict(value) and value.__module__ == source.__name__:
                    self.typeddicts[value] = self.ts_name(name)
                elif _is_alias(value) and (value, self.ts_name(name)) not in self.aliases:
                    self.aliases.append((value, self.ts_name(name)))

    @staticmethod
    def ts_name(name: str) -> str:
        """The TypeScript name of a Python declaration."""
        return TS_NAMES.get(name, name)

    def type(self, hint: Any, where: str, *, named: bool = True) -> tuple[str, bool]:
        """TypeScript for ``hint``, and whether it is a union (needs parentheses in ``X[]``)."""
        if named:
            for alias, name in self.aliases:
                if hint == alias:
                    return name, False
        if hint is Any or hint is object:
            return "unknown", False
        if hint is None or hint is type(None):
            return "null", False
        simple = {str: "string", int: "number", float: "number", bool: "boolean"}
        if isinstance(hint, type) and hint in simple:
            return simple[hint], False
        if typing.is_typeddict(hint):
            if hint not in self.typeddicts:
                raise GenerateError(
                    f"{where}: {hint.__qualname__} is not declared in {self.module.__name__}"
                )
            return self.typeddicts[hint], False
        if hint is list:
            return "unknown[]", False
        if hint is dict:
            return "Record<string, unknown>", False
        origin, args = get_origin(hint), get_args(hint)
        if origin is Literal:
            return " | ".join(_literal(arg, where) for arg in args), len(args) > 1
        if origin is Union or origin is types.UnionType:
            return " | ".join(self.type(arg, where)[0] for arg in args), True
        if origin is list:
            item, union = self.type(args[0], where)
            return (f"({item})[]" if union else f"{item}[]"), False
        if origin is dict:
            if args[0] is not str:
                raise GenerateError(f"{where}: JSON object keys are strings, not {args[0]!r}")
            return f"Record<string, {self.type(args[1], where)[0]}>", False
        raise GenerateError(f"{where}: no TypeScript translation for {hint!r}")

    def interface(self, cls: Any) -> list[str]:
        """An ``interface`` for a TypedDict."""
        name = self.typeddicts[cls]
        out = _doc_comment(inspect.cleandoc(cls.__dict__.get("__doc__") or ""))
        bases = self.bases.get(cls, [])
        extends = f" extends {', '.join(self.typeddicts[b] for b in bases)}" if bases else ""
        out.append(f"export interface {name}{extends} {{")
        optional = cls.__optional_keys__
        inherited = {key for base in bases for key in get_type_hints(base)}
        for key, hint in get_type_hints(cls).items():
            if key in inherited:
                continue
            prop = key if _IDENTIFIER.match(key) else json.dumps(key)
            mark = "?" if key in optional else ""
            out.append(f"  {prop}{mark}: {self.type(hint, f'{cls.__qualname__}.{key}')[0]};")
        if cls in getattr(self.module, "OPEN_TYPES", ()):
            out.append("  [key: string]: unknown;")
        out.append("}")
        return out

    def alias(self, name: str, value: Any, doc: str) -> list[str]:
        """A ``type`` alias for a Literal or a union."""
        ts_name = self.ts_name(name)
        if get_origin(value) is Literal:
            members = [_literal(arg, name) for arg in get_args(value)]
        else:
            members = [self.type(arg, name)[0] for arg in get_args(value)]
        out = _doc_comment(doc)
        line = f"export type {ts_name} = {' | '.join(members)};"
        if len(line) <= LINE_LIMIT:
            return [*out, line]
        return [
            *out,
            f"export type {ts_name} =",
            *[f"  | {m}" for m in members[:-1]],
            f"  | {members[-1]};",
        ]


def _is_alias(value: Any) -> bool:
    return get_origin(value) in (Literal, Union, types.UnionType)


def _literal(value: Any, where: str) -> str:
    """A JSON value as TypeScript (a literal type or a constant's value)."""
    if not (value is None or type(value) in (str, int, float, bool)):
        raise GenerateError(f"{where}: {value!r} has no JSON form")
    try:
        return json.dumps(value, allow_nan=False)
    except ValueError:
        raise GenerateError(f"{where}: {value!r} has no JSON form") from None


def part_file(part: str) -> str:
    """The file a protocol part is written to, beside ``protocol.ts``.

    Example:
        >>> part_file("pywebio_nb._core.nodes")
        'protocol-nodes.ts'
    """
    return f"protocol-{part.rpartition('.')[2]}.ts"


def _uses(text: str, name: str) -> bool:
    """Whether generated ``text`` names ``name`` outside its comments."""
    code = "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith(("//", "/*", "*"))
    )
    return re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", code) is not None


def generate_files(module_name: str = SOURCE_MODULE) -> dict[str, str]:
    """Every generated file, by name: ``protocol.ts`` and one ``protocol-<part>.ts`` per part.

    Each module of the protocol (the source module and those its ``PROTOCOL_PARTS`` name) is
    its own TypeScript file, so no file grows past the size of its module. A file imports the
    types of earlier parts it names, and ``protocol.ts`` re-exports every part: renderers keep
    importing from ``./protocol``.

    Example:
        >>> files = generate_files()
        >>> sorted(files)
        ['protocol-nodes.ts', 'protocol.ts']
        >>> "export const PROTOCOL_VERSION = " in files["protocol.ts"]
        True
        >>> "  children?: NodeSpec[];" in files["protocol-nodes.ts"]
        True
    """
    module = importlib.import_module(module_name)
    parts = [importlib.import_module(name) for name in getattr(module, "PROTOCOL_PARTS", ())]
    translator = _Translator(module, parts)
    seen: dict[str, str] = {}
    files: dict[str, str] = {}
    declared: list[tuple[str, list[str]]] = []  # (file, TypeScript names) of earlier parts
    for part in [*parts, module]:
        name = "protocol.ts" if part is module else part_file(part.__name__)
        source = part.__name__.replace(".", "/") + ".py"
        header = [
            f"// Generated from {source} by js/gen_protocol.py: do not edit by hand.",
            f"// Regenerate with `{COMMAND}`; CI fails when this file differs from what the",
            "// generator writes. What each message means is documented in the Python module.",
        ]
        if part is not module:
            header.append(f"// A part of the protocol (PROTOCOL_PARTS of {module_name}).")
        elif parts:
            names = ", ".join(m.__name__.replace(".", "/") + ".py" for m in parts)
            header.append(f"// Nodes and their bodies come from {names} (PROTOCOL_PARTS).")
        blocks, names_here = _blocks(part, translator, seen)
        body = "\n\n".join("\n".join(block) for block in blocks)
        preamble: list[str] = []
        for earlier, earlier_names in declared:
            used = [n for n in earlier_names if _uses(body, n)]
            if used:
                preamble.append(f'import type {{ {", ".join(used)} }} from "./{earlier[:-3]}";')
        if part is module:
            preamble += [f'export * from "./{earlier[:-3]}";' for earlier, _ in declared]
        text = "\n".join(header) + "\n\n"
        if preamble:
            text += "\n".join(preamble) + "\n\n"
        files[name] = text + body + "\n"
        declared.append((name, names_here))
    return files


def generate(module_name: str = SOURCE_MODULE) -> str:
    """The text of ``js/src/protocol.ts`` for the protocol module ``module_name``.

    Its parts are in files of their own (:func:`generate_files`).

    Example:
        >>> text = generate()
        >>> "export const PROTOCOL_VERSION = " in text
        True
        >>> 'export * from "./protocol-nodes";' in text
        True
    """
    return generate_files(module_name)["protocol.ts"]


def _blocks(
    part: types.ModuleType, translator: _Translator, seen: dict[str, str]
) -> tuple[list[list[str]], list[str]]:
    """The TypeScript blocks of one module, and the TypeScript names it declares."""
    blocks: list[list[str]] = []
    names: list[str] = []
    doc = ""
    for kind, name in _declarations(inspect.getsource(part)):
        if kind == "doc":
            doc = name
            continue
        if kind == "comment":
            blocks.append(
                [f"//{' ' + line if line else ''}" for line in _markdown(name).splitlines()]
            )
            continue
        if name.startswith("_") or name in ("OPEN_TYPES", "PROTOCOL_PARTS"):
            continue
        value = getattr(part, name)
        ts_name = translator.ts_name(name)
        if ts_name in seen:
            raise GenerateError(f"{name} and {seen[ts_name]} are both {ts_name} in TypeScript")
        seen[ts_name] = name
        if inspect.isclass(value) and not typing.is_typeddict(value):
            continue  # code, not a message shape
        if typing.is_typeddict(value):
            blocks.append(translator.interface(value))
        elif _is_alias(value):
            blocks.append(translator.alias(name, value, doc))
        elif type(value) in (int, float, str, bool) and name.isupper():
            constant = f"export const {name} = {_literal(value, name)};"
            blocks.append([*_doc_comment(doc), constant])
        else:
            raise GenerateError(
                f"{part.__name__}.{name}: a {type(value).__name__} is neither a TypedDict, "
                "a Literal or union alias, nor an upper-case int/float/str/bool constant "
                "(start its name with _ if it is not part of the protocol)"
            )
        names.append(ts_name)
    return blocks, names


def check(path: Path, text: str) -> list[str]:
    r"""The problems of ``path`` against the generated ``text``: none when they are equal.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     stale = Path(folder) / "protocol.ts"
        ...     _ = stale.write_text("export const PROTOCOL_VERSION = 0;\n")
        ...     print(check(stale, "export const PROTOCOL_VERSION = 1;\n")[0])
        js/src/protocol.ts is out of date: run `npm run gen:protocol` and commit the result.
    """
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current == text:
        return []
    shown_name = f"{TARGET.rpartition('/')[0]}/{path.name}"
    diff = difflib.unified_diff(
        current.splitlines(),
        text.splitlines(),
        f"{shown_name} (committed)",
        f"{shown_name} (generated)",
        lineterm="",
        n=1,
    )
    lines = list(diff)
    shown = lines[:80] + ([f"... {len(lines) - 80} more diff lines"] if len(lines) > 80 else [])
    return [
        f"{shown_name} is out of date: run `{COMMAND}` and commit the result.",
        f"(It is generated from {SOURCE_MODULE}; never edit it by hand.)",
        *shown,
    ]


def main(argv: list[str] | None = None) -> int:
    """Write ``js/src/protocol.ts`` (or, with ``--check``, exit 1 when it is out of date)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="fail when the file differs")
    parser.add_argument("--output", type=Path, default=ROOT / TARGET, help="where to write")
    args = parser.parse_args(argv)
    try:
        files = generate_files()
    except GenerateError as error:
        print(f"gen_protocol: {error}", file=sys.stderr)
        return 2
    # protocol.ts at --output; its parts beside it
    paths = {
        name: args.output if name == "protocol.ts" else args.output.with_name(name)
        for name in files
    }
    if args.check:
        problems = [line for name, text in files.items() for line in check(paths[name], text)]
        for line in problems:
            print(line, file=sys.stderr)
        return 1 if problems else 0
    for name, text in files.items():
        with paths[name].open("w", encoding="utf-8", newline="\n") as file:
            file.write(text)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # this checkout's pywebio_nb, whatever is installed
    sys.exit(main())
