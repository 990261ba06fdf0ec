"""The kernel sends the code editor's bundle to a notebook view that asks for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .frontend import Frontend

pytestmark = pytest.mark.kernel

EDITOR = Path(__file__).resolve().parents[2] / "pywebio_nb" / "static" / "editor.js"


@pytest.fixture(scope="module")
def fe() -> Iterator[Frontend]:
    frontend = Frontend()
    try:
        frontend.execute("from pywebio_nb.input import *\nfrom pywebio_nb.output import *")
        yield frontend
    finally:
        frontend.close()


def _asset_answers(fe: Frontend, comm_id: str) -> list[tuple[dict[str, Any], list[bytes]]]:
    return [
        (msg["content"]["data"]["content"], [bytes(b) for b in msg.get("buffers", [])])
        for msg in fe.log
        if msg["msg_type"] == "comm_msg"
        and msg["content"]["comm_id"] == comm_id
        and msg["content"]["data"].get("method") == "custom"
        and msg["content"]["data"]["content"].get("kind") == "asset"
    ]


def test_the_editor_arrives_as_a_buffer_while_input_waits(fe: Frontend) -> None:
    if not EDITOR.is_file():
        pytest.skip("the frontend is not built (npm run build)")
    cell = fe.execute("src = textarea('Code', code={'mode': 'python'})", wait=False)
    comm_id, _form = fe.form(cell)
    fe.send_custom(comm_id, {"kind": "asset", "name": "../_widget.py"})
    fe.send_custom(comm_id, {"kind": "asset", "name": "widget"})
    fe.send_custom(comm_id, {"kind": "asset", "name": "editor"})
    answers = fe.wait_for(lambda: _asset_answers(fe, comm_id), timeout=30, what="the editor")
    fe.settle()
    assert _asset_answers(fe, comm_id) == [
        ({"kind": "asset", "name": "editor"}, [EDITOR.read_bytes()])
    ]
    assert answers[0][1][0].startswith((b"var ", b"import", b"function", b"const", b"let "))
    fe.submit(cell, {"data": "x = 1"})
    fe.wait_idle(cell)
    assert not cell.errors
