from __future__ import annotations

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import (
    put_error,
    put_info,
    put_loading,
    put_processbar,
    put_progressbar,
    put_success,
    put_text,
    put_warning,
    set_processbar,
    set_progressbar,
)

pytestmark = pytest.mark.unit


def test_alert_kinds_and_text_wrapping(session: FakeSession) -> None:
    put_info("i", put_text("node"))
    put_success("s")
    put_warning("w")
    put_error("e")
    session.flush()
    kinds = [node["kind"] for node in session.mirror.tree["children"]]
    assert kinds == ["info", "success", "warning", "error"]
    assert session.mirror.texts() == ["i", "node", "s", "w", "e"]


def test_closable_alert_is_removed_by_its_close_callback(session: FakeSession) -> None:
    put_warning("careful", closable=True)
    session.flush()
    (alert,) = session.mirror.tree["children"]
    callback, _root = session.callbacks[alert["close"]]
    callback(None)
    session.flush()
    assert session.mirror.tree["children"] == []


def test_alert_as_context_manager(session: FakeSession) -> None:
    with put_info():
        put_text("inside")
    session.flush()
    (alert,) = session.mirror.tree["children"]
    assert alert["children"][0]["text"] == "inside"


def test_loading_context_manager_removes_itself_and_its_content(session: FakeSession) -> None:
    put_text("before")
    with put_loading(shape="grow", color="primary"):
        put_text("working")
        session.flush()
        (_, loading) = session.mirror.tree["children"]
        assert (loading["shape"], loading["color"]) == ("grow", "primary")
        assert loading["children"][0]["text"] == "working"
    put_text("after")
    session.flush()
    assert session.mirror.texts() == ["before", "after"]


def test_loading_bad_arguments(session: FakeSession) -> None:
    with pytest.raises(ValueError, match="shape"):
        put_loading(shape="square")
    with pytest.raises(ValueError, match="color"):
        put_loading(color="pink")


def test_progressbar_updates_by_command_and_in_snapshot(session: FakeSession) -> None:
    put_progressbar("job", 0.1, label="starting")
    session.flush()
    set_progressbar("job", 0.5)
    set_progressbar("job", 0.75, label="nearly")
    commands = session.commands()
    assert commands[-2:] == [
        {"op": "progress", "id": commands[0]["node"]["id"], "value": 0.5, "label": "50.0%"},
        {"op": "progress", "id": commands[0]["node"]["id"], "value": 0.75, "label": "nearly"},
    ]
    (bar,) = session.mirror.tree["children"]
    assert (bar["value"], bar["label"]) == (0.75, "nearly")
    assert '"value":0.75' in session.snapshot(session.root)


def test_set_progressbar_without_label_shows_the_percentage_as_pywebio(
    session: FakeSession,
) -> None:
    put_progressbar("job", label="Job progress")
    set_progressbar("job", 0.5)
    session.flush()
    (bar,) = session.mirror.tree["children"]
    assert bar["label"] == "50.0%"
    set_progressbar("job", 1 / 3, label="a third")
    set_progressbar("job", 2 / 3)
    assert session.commands()[-1]["label"] == "66.7%"


def test_progressbar_auto_close_removes_at_one(session: FakeSession) -> None:
    put_processbar("job", auto_close=True)
    set_processbar("job", 1)
    session.flush()
    assert session.mirror.tree["children"] == []


def test_set_progressbar_errors_name_the_argument(session: FakeSession) -> None:
    put_progressbar("job")
    with pytest.raises(ValueError, match="value must be between 0 and 1"):
        set_progressbar("job", 1.5)
    with pytest.raises(ValueError, match="name='nope'"):
        set_progressbar("nope", 0.5)
    with pytest.raises(ValueError, match="init"):
        put_progressbar("x", init=2)
