"""A notebook view may ask the kernel for the code editor's bundle, and for nothing else."""

from __future__ import annotations

import pathlib
from types import SimpleNamespace
from typing import Any

import pytest

from pywebio_nb._hosts.notebook import widget as _widget
from pywebio_nb._hosts.notebook.session import NotebookSession


class RecordingHost:
    def __init__(self) -> None:
        self.sent: list[tuple[dict[str, Any], list[bytes]]] = []

    def send(self, content: dict[str, Any], buffers: list[bytes]) -> None:
        self.sent.append((content, buffers))


@pytest.fixture
def static(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    (tmp_path / "editor.js").write_bytes(b"export const createCodeEditor = 1;")
    (tmp_path / "widget.js").write_bytes(b"widget")
    (tmp_path / "secret.txt").write_bytes(b"secret")
    monkeypatch.setattr(_widget, "STATIC", tmp_path)
    _widget._read_asset.cache_clear()
    return tmp_path


def ask(name: object) -> list[tuple[dict[str, Any], list[bytes]]]:
    host = RecordingHost()
    root = SimpleNamespace(host=host)
    NotebookSession.send_asset(None, root, {"kind": "asset", "name": name})  # type: ignore[arg-type]
    return host.sent


def test_the_editor_is_sent_as_a_buffer(static: pathlib.Path) -> None:
    assert ask("editor") == [
        ({"kind": "asset", "name": "editor"}, [b"export const createCodeEditor = 1;"])
    ]


@pytest.mark.parametrize(
    "name",
    ["widget", "editor.js", "../_widget.py", "/etc/passwd", "secret.txt", "", None, 3, ["editor"]],
)
def test_any_other_name_is_ignored_without_reading_a_file(
    static: pathlib.Path, monkeypatch: pytest.MonkeyPatch, name: object
) -> None:
    def no_disk(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a file was looked at")

    for method in ("read_bytes", "is_file", "stat", "exists", "open"):
        monkeypatch.setattr(pathlib.Path, method, no_disk)
    assert ask(name) == []
    assert _widget.frontend_asset(name) is None


def test_each_widget_carries_the_renderer_as_one_compressed_buffer() -> None:
    # anywidget sends a widget's whole state with every cell: the renderer must not travel as
    # (doubly escaped) JSON text, which cost 0.5 MB per cell.
    import gzip
    import json

    from ipywidgets.widgets.widget import _remove_buffers

    from pywebio_nb._hosts.fake import FakeSession

    session = FakeSession()
    state, paths, buffers = _remove_buffers(_widget.RootWidget(session, session.root).get_state())  # type: ignore[arg-type]
    assert paths == [["_code"]]
    assert gzip.decompress(buffers[0]) == (_widget.STATIC / "widget.js").read_bytes()
    assert len(json.dumps(state)) < 32 * 1024  # the loader, the CSS, the snapshot
