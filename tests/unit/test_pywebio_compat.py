"""A PyWebIO program runs after renaming ``pywebio`` to ``pywebio_nb`` in its imports.

``tests/fixtures/pywebio_api/pywebio-1.8.4.json`` lists PyWebIO 1.8.4's public names and their
parameters (names, kinds, defaults), as read from the installed package by the script beside
it; every one must exist here with the same parameters.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import json
import sys
from pathlib import Path
from typing import Any

import pytest

# The import forms of PyWebIO's user guide, advanced guide and demos, renamed.
PROGRAM = """
from pywebio_nb import start_server, config, STATIC_PATH
from pywebio_nb.input import *
from pywebio_nb.output import *
from pywebio_nb.pin import *
from pywebio_nb.session import *
from pywebio_nb.platform import path_deploy, seo, webio_handler
from pywebio_nb.platform.tornado import start_server, webio_handler
from pywebio_nb.exceptions import SessionClosedException, SessionException
import pywebio_nb.input as pi, pywebio_nb.output as po
"""

# Names a PyWebIO program uses from each star import (PyWebIO's documented API).
EXPECTED = {
    "pywebio_nb.input": [
        "input",
        "textarea",
        "select",
        "checkbox",
        "radio",
        "slider",
        "actions",
        "file_upload",
        "input_group",
        "input_update",
        "TEXT",
        "NUMBER",
        "FLOAT",
        "PASSWORD",
        "URL",
        "DATE",
        "TIME",
        "COLOR",
        "DATETIME_LOCAL",
    ],
    "pywebio_nb.output": [
        "put_text",
        "put_markdown",
        "put_html",
        "put_code",
        "put_link",
        "put_table",
        "span",
        "put_image",
        "put_file",
        "put_buttons",
        "put_button",
        "put_scope",
        "use_scope",
        "set_scope",
        "get_scope",
        "clear",
        "remove",
        "scroll_to",
        "put_row",
        "put_column",
        "put_grid",
        "put_collapse",
        "put_tabs",
        "put_scrollable",
        "put_widget",
        "put_info",
        "put_success",
        "put_warning",
        "put_error",
        "put_loading",
        "put_progressbar",
        "set_progressbar",
        "put_processbar",
        "set_processbar",
        "popup",
        "close_popup",
        "toast",
        "output",
        "style",
        "put_datatable",
        "datatable_update",
        "datatable_insert",
        "datatable_remove",
        "Position",
        "OutputPosition",
        "PopupSize",
    ],
    "pywebio_nb.pin": [
        "pin",
        "put_input",
        "put_textarea",
        "put_select",
        "put_checkbox",
        "put_radio",
        "put_slider",
        "put_actions",
        "put_file_upload",
        "pin_wait_change",
        "pin_update",
        "pin_on_change",
        "get_pin_values",
    ],
    "pywebio_nb.session": [
        "run_async",
        "run_asyncio_coroutine",
        "register_thread",
        "hold",
        "defer_call",
        "data",
        "get_info",
        "run_js",
        "eval_js",
        "download",
        "set_env",
        "go_app",
        "local",
        "info",
    ],
}


def test_the_renamed_imports_of_a_pywebio_program_resolve() -> None:
    namespace: dict[str, object] = {}
    exec(compile(ast.parse(PROGRAM), "<program>", "exec"), namespace)
    assert callable(namespace["start_server"]) and callable(namespace["webio_handler"])


@pytest.mark.parametrize("module", sorted(EXPECTED))
def test_star_imports_export_pywebios_names(module: str) -> None:
    exported = set(importlib.import_module(module).__all__)
    missing = [name for name in EXPECTED[module] if name not in exported]
    assert missing == []


FIXTURE = Path(__file__).parents[1] / "fixtures" / "pywebio_api" / "pywebio-1.8.4.json"
PYWEBIO_API: dict[str, dict[str, Any]] = json.loads(FIXTURE.read_text())

#: Modules another branch provides (the web frameworks): checked once they exist.
FRAMEWORKS = {"flask", "django", "aiohttp", "fastapi"}

#: Defaults that mean the same to a caller: an empty sequence.
EMPTY = {"[]", "()"}

CASES = [(module, name) for module, names in sorted(PYWEBIO_API.items()) for name in sorted(names)]


def ours(module: str) -> str:
    return "pywebio_nb" + module[len("pywebio") :]


def import_ours(module: str) -> Any:
    name = ours(module)
    if module.rsplit(".", 1)[-1] in FRAMEWORKS:
        if importlib.util.find_spec(name) is None:
            pytest.skip(f"{name} is not built yet (the web frameworks' branch)")
        try:
            return importlib.import_module(name)
        except ImportError as error:
            pytest.skip(f"{name} needs its extra: {error}")
    return importlib.import_module(name)


def parameters(function: Any) -> list[inspect.Parameter]:
    return list(inspect.signature(function).parameters.values())


def same_default(theirs: dict[str, Any], mine: inspect.Parameter) -> bool:
    if "default" not in theirs:
        return mine.default is inspect.Parameter.empty
    if mine.default is inspect.Parameter.empty:
        return False
    expected, got = theirs["default"], repr(mine.default)
    return got == expected or (expected in EMPTY and got in EMPTY)


def signature_differences(expected: list[dict[str, Any]], function: Any) -> list[str]:
    """How ``function``'s parameters differ from PyWebIO's ``expected`` ones.

    Every PyWebIO parameter must be there, in the same order, of the same kind, with the same
    default (``*args``/``**kwargs`` by kind: their names are private). Extra parameters must
    have defaults, and come after PyWebIO's positional ones, so every call PyWebIO accepts
    means the same here.
    """
    variadic = {"VAR_POSITIONAL", "VAR_KEYWORD"}
    mine = parameters(function)
    theirs_by_key = {(p["kind"] if p["kind"] in variadic else p["name"]): p for p in expected}

    def key(p: inspect.Parameter) -> str:
        return p.kind.name if p.kind.name in variadic else p.name

    problems = []
    matched = [p for p in mine if key(p) in theirs_by_key]
    if [key(p) for p in matched] != [
        (p["kind"] if p["kind"] in variadic else p["name"]) for p in expected
    ]:
        problems.append(
            f"parameters {[p.name for p in mine]} do not hold PyWebIO's "
            f"{[p['name'] for p in expected]} in order"
        )
    for p in matched:
        theirs = theirs_by_key[key(p)]
        if p.kind.name != theirs["kind"]:
            problems.append(f"{p.name} is {p.kind.name}, PyWebIO's is {theirs['kind']}")
        elif p.kind.name not in variadic and not same_default(theirs, p):
            problems.append(
                f"{p.name} defaults to {p.default!r}, PyWebIO's to {theirs.get('default')}"
            )
    positional = ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")
    last_positional = max(
        (i for i, p in enumerate(mine) if key(p) in theirs_by_key and p.kind.name in positional),
        default=-1,
    )
    for index, p in enumerate(mine):
        if key(p) in theirs_by_key or p.kind.name in variadic:
            continue
        if p.default is inspect.Parameter.empty:
            problems.append(f"extra parameter {p.name} has no default")
        if p.kind.name in positional and index < last_positional:
            problems.append(f"extra parameter {p.name} comes before PyWebIO's positional ones")
    return problems


@pytest.mark.parametrize(("module", "name"), CASES, ids=[f"{m}.{n}" for m, n in CASES])
def test_every_pywebio_name_exists_with_its_parameters(module: str, name: str) -> None:
    described = PYWEBIO_API[module][name]
    mine = getattr(import_ours(module), name, None)
    assert mine is not None, f"{ours(module)}.{name} is missing"
    kind = described["kind"]
    if kind == "module":
        assert inspect.ismodule(mine)
    elif kind == "class":
        assert inspect.isclass(mine)
    elif kind == "function":
        assert callable(mine)
        assert signature_differences(described["params"], mine) == []


def test_a_bare_import_reaches_every_public_module() -> None:
    # PyWebIO's examples write `import pywebio` and then `pywebio.output.put_text(...)`.
    code = (
        "import sys, pywebio_nb\n"
        "assert 'pywebio_nb.output' not in sys.modules\n"
        "assert callable(pywebio_nb.output.put_text)\n"
        "for name in ('input', 'pin', 'session', 'platform', 'utils', 'exceptions'):\n"
        "    assert getattr(pywebio_nb, name).__name__ == 'pywebio_nb.' + name\n"
        "assert callable(pywebio_nb.platform.tornado_http.start_server)\n"
        "assert {'output', 'enable_debug'} <= set(dir(pywebio_nb))\n"
    )
    namespace: dict[str, Any] = {}
    saved = {k: v for k, v in sys.modules.items() if k.startswith("pywebio_nb")}
    for k in saved:
        del sys.modules[k]
    try:
        exec(code, namespace)
    finally:
        for k in [k for k in sys.modules if k.startswith("pywebio_nb")]:
            del sys.modules[k]
        sys.modules.update(saved)


def test_static_path_has_pywebios_image_folder() -> None:
    # PyWebIO's put_image example opens STATIC_PATH + '/image/favicon_open_32.png'.
    import pywebio_nb

    image = Path(pywebio_nb.STATIC_PATH) / "image" / "favicon_open_32.png"
    assert image.read_bytes().startswith(b"\x89PNG")


def test_closed_is_a_method_of_the_session_object(session: Any) -> None:
    # PyWebIO's demos loop on `while not get_current_session().closed()`.
    from pywebio_nb.session import get_current_session

    assert get_current_session().closed() is False
    session.close()
    assert session.closed() is True
