"""A PyWebIO program runs after renaming ``pywebio`` to ``pywebio_nb`` in its imports."""

from __future__ import annotations

import ast
import importlib

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
