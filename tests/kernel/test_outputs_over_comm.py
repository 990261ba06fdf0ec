"""Row windows, progress commands and popup closing over a real kernel's widget comm."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from frontend import Frontend

pytestmark = pytest.mark.kernel

ROOT = str(Path(__file__).resolve().parents[2])


@pytest.fixture(scope="module")
def frontend() -> Iterator[Frontend]:
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = ROOT + (os.pathsep + old if old else "")
    try:
        front = Frontend()  # the kernel imports this checkout's pywebio_nb
    finally:
        if old is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old
    try:
        front.execute("from pywebio_nb.output import *")
        yield front
    finally:
        front.close()


def _find(frontend: Frontend, comm: str, type_: str) -> dict:
    (node,) = frontend.nodes(comm, type_)
    return node


def test_rows_event_is_answered_with_a_window(frontend: Frontend) -> None:
    cell = frontend.execute(
        "put_datatable([{'n': i, 'sq': i * i} for i in range(200_000)], instance_id='k')",
        cell_id="rows-cell",
    )
    (comm,) = cell.roots
    frontend.settle()
    table = _find(frontend, comm, "datatable")
    frontend.send_custom(comm, {"kind": "rows", "id": table["id"], "start": 150_000, "count": 50})
    frontend.settle()
    rows = frontend.mirrors[comm].rows[table["id"]]
    assert len(rows) == 50
    assert rows[150_010] == (150_010, [150_010, 150_010**2])
    frontend.execute("datatable_remove('k', [0, 1])")
    frontend.settle()
    assert _find(frontend, comm, "datatable")["total"] == 199_998
    assert table["id"] not in frontend.mirrors[comm].rows


def test_progress_command_reaches_the_view(frontend: Frontend) -> None:
    cell = frontend.execute("put_progressbar('kp', 0.1)", cell_id="progress-cell")
    (comm,) = cell.roots
    frontend.execute("set_progressbar('kp', 0.6, label='six')")
    frontend.settle()
    bar = _find(frontend, comm, "progressbar")
    assert (bar["value"], bar["label"]) == (0.6, "six")


def test_closing_a_popup_in_the_browser_removes_it(frontend: Frontend) -> None:
    cell = frontend.execute("popup('Hi', 'there')", cell_id="popup-cell")
    (comm,) = cell.roots
    frontend.settle()
    dialog = _find(frontend, comm, "popup")
    frontend.click(comm, dialog["close"])
    assert frontend.nodes(comm, "popup") == []
