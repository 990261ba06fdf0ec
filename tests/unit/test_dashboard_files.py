"""Dashboards without a kernel: which notebook a URL means, what it holds, which frames pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pywebio_nb._hosts.app.framing import ProtocolError, frame
from pywebio_nb._hosts.notebook.dashboard import COMM_TARGET
from pywebio_nb.platform._dashboards import _kernels
from pywebio_nb.platform._dashboards._handlers import check_event
from pywebio_nb.platform._dashboards._notebooks import NotebookFiles, read_notebook


def write(path: Path, cells: list[dict[str, object]], metadata: dict[str, object]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells})
    )
    return path


def test_a_notebook_gives_its_title_cells_kernel_and_mode(tmp_path: Path) -> None:
    file = write(
        tmp_path / "report.ipynb",
        [
            {"cell_type": "markdown", "source": ["Intro\n", "## Sales *report*\n"]},
            {"cell_type": "code", "source": "x = 1"},
            {"cell_type": "code", "source": "   "},
            {"cell_type": "raw", "source": "ignored"},
            {"cell_type": "markdown", "source": "# Later heading"},
        ],
        {"kernelspec": {"name": "python3"}, "pywebio_nb": {"dashboard_mode": "session"}},
    )
    found = read_notebook("report.ipynb", file)
    assert found is not None
    assert found.title == "Sales *report*"
    assert found.cells == (
        ("markdown", "Intro\n## Sales *report*\n"),
        ("code", "x = 1"),
        ("markdown", "# Later heading"),
    )
    assert (found.kernel_name, found.mode) == ("python3", "session")


def test_a_notebook_without_heading_is_titled_by_its_name(tmp_path: Path) -> None:
    file = write(tmp_path / "plain.ipynb", [{"cell_type": "code", "source": "1"}], {})
    found = read_notebook("plain.ipynb", file)
    assert found is not None and found.title == "plain" and found.mode == ""


@pytest.mark.parametrize("text", ["not json", "[]", '{"cells": 3}'])
def test_a_broken_file_is_no_notebook(tmp_path: Path, text: str) -> None:
    file = tmp_path / "broken.ipynb"
    file.write_text(text)
    assert read_notebook("broken.ipynb", file) is None


@pytest.mark.parametrize(
    "path",
    ["_hidden.ipynb", ".dot.ipynb", "sub/_x/a.ipynb", "../outside.ipynb", "a.py", "", "a//b.ipynb"],
)
def test_hidden_outside_and_other_paths_are_not_found(tmp_path: Path, path: str) -> None:
    root = tmp_path / "root"
    write(root / "_hidden.ipynb", [], {})
    write(root / ".dot.ipynb", [], {})
    write(root / "sub" / "_x" / "a.ipynb", [], {})
    write(tmp_path / "outside.ipynb", [], {})
    assert NotebookFiles(root).locate(path) is None


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    files = NotebookFiles(tmp_path)
    write(tmp_path / "a.ipynb", [{"cell_type": "markdown", "source": "# One"}], {})
    first = files.locate("a.ipynb")
    write(tmp_path / "a.ipynb", [{"cell_type": "markdown", "source": "# Two!"}], {})
    second = files.locate("a.ipynb")
    assert first is not None and second is not None
    assert (first.title, second.title) == ("One", "Two!")
    assert files.index_link(tmp_path / "a.ipynb") == ("Two!", {"url": "./a.ipynb"})


@pytest.mark.parametrize(
    "event",
    [
        {"kind": "callback", "cb": 1, "value": None},
        {"kind": "input", "id": 2, "event": "submit", "values": {}},
        {"kind": "rows", "id": 3, "start": 0, "count": 10},
        {"kind": "sync", "seq": 1},
        {"kind": "js_result", "id": 1, "value": 42},
    ],
)
def test_page_events_pass(event: dict[str, object]) -> None:
    assert check_event(json.dumps(event)) == (event, None)


def test_an_event_with_a_buffer_passes_as_a_binary_frame() -> None:
    event = {"kind": "input", "id": 2, "event": "chunk"}
    assert check_event(frame(event, b"data")) == (event, b"data")


@pytest.mark.parametrize(
    "message",
    [
        json.dumps({"header": {"msg_type": "execute_request"}, "content": {"code": "1"}}),
        json.dumps({"kind": "comm_open", "target_name": "jupyter.widget"}),
        json.dumps({"kind": "comm_msg", "comm_id": "other"}),
        json.dumps({"kind": "attach", "session": "x"}),
        json.dumps(["callback"]),
        "not json",
        frame({"kind": "execute_request"}, b""),
        b"\x00\x00",
    ],
)
def test_anything_else_is_refused(message: str | bytes) -> None:
    with pytest.raises(ProtocolError):
        check_event(message)


def test_server_and_kernel_agree_on_the_comm() -> None:
    assert _kernels.COMM_TARGET == COMM_TARGET
    assert _kernels._KERNEL_SIDE == "pywebio_nb._hosts.notebook.dashboard"
