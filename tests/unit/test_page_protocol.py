"""The page messages in tests/fixtures/protocol/page_messages.json match _protocol.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pywebio_nb import _protocol

pytestmark = pytest.mark.unit

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "protocol" / "page_messages.json"
TYPES: dict[str, Any] = {
    "hello": _protocol.HelloMessage,
    "env": _protocol.EnvMessage,
    "run_js": _protocol.RunJsMessage,
    "eval_js": _protocol.EvalJsMessage,
    "go_app": _protocol.GoAppMessage,
    "ended": _protocol.EndedMessage,
    "error": _protocol.ErrorMessage,
    "batch": _protocol.BatchMessage,
    "download": _protocol.DownloadHeader,
    "js_result": _protocol.JsResultEvent,
}


def examples() -> list[dict[str, Any]]:
    data = json.loads(FIXTURE.read_text())
    return [m for group in data.values() for m in group]


@pytest.mark.parametrize("message", examples(), ids=lambda m: m["kind"])
def test_fixture_message_has_exactly_the_typed_keys(message: dict[str, Any]) -> None:
    typed = TYPES[message["kind"]]
    assert (
        typed.__required_keys__ <= set(message) <= typed.__required_keys__ | typed.__optional_keys__
    )
