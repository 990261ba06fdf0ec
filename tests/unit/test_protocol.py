"""The protocol fixtures match the TypedDicts of pywebio_nb._core.protocol, as does real output."""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any, Literal, TypedDict, Union, get_args, get_origin, get_type_hints

import pytest

from pywebio_nb._core import protocol
from pywebio_nb._hosts.app.framing import ProtocolError, frame, split_frame
from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import (
    clear,
    put_buttons,
    put_scope,
    put_table,
    put_text,
    remove,
    scroll_to,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "protocol"


class EventFrameExample(TypedDict):
    """A page → server binary frame: its header (the event), payload and bytes, in hex."""

    header: protocol.InputEvent
    payload_hex: str
    frame_hex: str


#: Every fixture file and the message type it is an example of.
FIXTURE_TYPES: dict[str, Any] = {
    "snapshot.json": protocol.SnapshotMessage,
    "batch.json": protocol.BatchMessage,
    "batch-commands.json": list[protocol.Command],  # type: ignore[valid-type]
    "resync.json": protocol.ResyncMessage,
    "synced.json": protocol.SyncedMessage,
    "asset.json": protocol.AssetMessage,
    "command-put.json": protocol.PutCommand,
    "command-remove.json": protocol.RemoveCommand,
    "command-clear.json": protocol.ClearCommand,
    "command-scroll.json": protocol.ScrollCommand,
    "command-update.json": protocol.UpdateCommand,
    "command-append.json": protocol.AppendTextCommand,
    "command-progress.json": protocol.ProgressCommand,
    "command-rows.json": protocol.RowsCommand,
    "command-rows_changed.json": protocol.RowsChangedCommand,
    "event-callback.json": protocol.CallbackEvent,
    "event-sync.json": protocol.SyncEvent,
    "event-js_result.json": protocol.JsResultEvent,
    "event-rows.json": protocol.RowsEvent,
    "event-input.json": protocol.InputEvent,
    "event-asset.json": protocol.AssetEvent,
    "page-hello.json": protocol.HelloMessage,
    "page-env.json": protocol.EnvMessage,
    "page-run_js.json": protocol.RunJsMessage,
    "page-eval_js.json": protocol.EvalJsMessage,
    "page-go_app.json": protocol.GoAppMessage,
    "page-ended.json": protocol.EndedMessage,
    "page-error.json": protocol.ErrorMessage,
    "page-download.json": protocol.DownloadHeader,
    "frame-event-chunk.json": EventFrameExample,
}

#: TypedDicts whose instances carry type-specific keys beyond the declared ones.
OPEN_TYPES = protocol.OPEN_TYPES


def conforms(value: Any, annotation: Any, where: str = "$") -> list[str]:
    """Structural check of decoded JSON against a type annotation; returns the problems."""
    if annotation is Any:
        return []
    origin = get_origin(annotation)
    if origin is Literal:
        allowed = get_args(annotation)
        return [] if value in allowed else [f"{where}: {value!r} is not one of {allowed}"]
    if origin in (Union, types.UnionType):
        options = get_args(annotation)
        if any(not conforms(value, option, where) for option in options):
            return []
        return [f"{where}: {value!r:.60} matches none of {len(options)} alternatives"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: expected a list, got {type(value).__name__}"]
        (item,) = get_args(annotation)
        return [p for i, v in enumerate(value) for p in conforms(v, item, f"{where}[{i}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {type(value).__name__}"]
        _, item_type = get_args(annotation)
        problems = [f"{where}: key {k!r} is not a str" for k in value if not isinstance(k, str)]
        return problems + [
            p for k, v in value.items() for p in conforms(v, item_type, f"{where}.{k}")
        ]
    if typing.is_typeddict(annotation):
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {type(value).__name__}"]
        hints = get_type_hints(annotation)
        problems = [
            f"{where}: missing key {key!r}"
            for key in sorted(annotation.__required_keys__)
            if key not in value
        ]
        if annotation not in OPEN_TYPES:
            problems += [f"{where}: unexpected key {key!r}" for key in value if key not in hints]
        for key, hint in hints.items():
            if key in value:
                problems += conforms(value[key], hint, f"{where}.{key}")
        return problems
    if annotation is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{where}: expected an int, got {value!r:.60}"]
    if annotation in (str, bool, float):
        ok = isinstance(value, annotation)
        return [] if ok else [f"{where}: expected {annotation.__name__}, got {value!r:.60}"]
    raise NotImplementedError(f"no structural check for {annotation!r}")


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_every_fixture_file_has_a_message_type() -> None:
    assert sorted(path.name for path in FIXTURES.glob("*.json")) == sorted(FIXTURE_TYPES)


@pytest.mark.parametrize("name", sorted(FIXTURE_TYPES))
def test_fixture_matches_its_typeddict(name: str) -> None:
    assert conforms(load(name), FIXTURE_TYPES[name]) == []


def test_fixtures_cover_every_command_op_and_message_kind() -> None:
    command_ops = {get_args(get_type_hints(c)["op"])[0] for c in get_args(protocol.Command)}
    batch_ops = {command["op"] for command in load("batch-commands.json")}
    single_ops = {load(f"command-{op}.json")["op"] for op in command_ops}
    assert batch_ops == single_ops == command_ops
    event_kinds = {get_args(get_type_hints(e)["kind"])[0] for e in get_args(protocol.Event)}
    assert {load(f"event-{kind}.json")["kind"] for kind in event_kinds} == event_kinds


def test_snapshot_and_batch_carry_the_protocol_version() -> None:
    assert load("snapshot.json")["v"] == protocol.PROTOCOL_VERSION
    assert load("batch.json")["v"] == protocol.PROTOCOL_VERSION


@pytest.mark.parametrize(
    ("value", "annotation"),
    [
        ({"op": "put", "parent": 1, "index": 0}, protocol.PutCommand),
        ({"op": "remove", "id": "1"}, protocol.RemoveCommand),
        ({"op": "scroll", "id": 1, "position": "left"}, protocol.ScrollCommand),
        ({"op": "explode", "id": 1}, protocol.Command),
        ({"kind": "sync", "seq": True}, protocol.SyncEvent),
        ({"kind": "batch", "v": 1, "seq": 1, "extra": 0}, protocol.BatchMessage),
        ({"id": 1}, protocol.NodeSpec),
    ],
)
def test_the_checker_rejects_wrong_shapes(value: Any, annotation: Any) -> None:
    assert conforms(value, annotation) != []


def test_real_session_output_has_the_fixture_shapes(session: FakeSession) -> None:
    intro = put_text("intro")
    put_scope("box", [put_text("inside")])
    put_table([["h"], [put_text("cell")]])
    put_buttons(["A", ("B", object())], onclick=lambda _: None)
    session.flush()
    intro.style("color: red").onclick(lambda: None)
    stream = session.put({"type": "stream", "name": "stdout", "text": ""})
    session.flush()
    stream.spec["text"] += "printed"  # what NotebookSession.write_stream does
    session.command(stream, {"op": "append", "id": stream.id, "text": "printed"})
    scroll_to("box", position="bottom")
    clear("box")
    remove("box")
    commands = session.commands()

    assert {command["op"] for command in commands} == {
        "put",
        "update",
        "append",
        "scroll",
        "clear",
        "remove",
    }
    assert conforms(commands, list[protocol.Command]) == []  # type: ignore[valid-type]
    for _, batch in session.batches:
        assert conforms(batch, list[protocol.Command]) == []  # type: ignore[valid-type]
    snapshot = json.loads(session.snapshot(session.root))
    assert conforms(snapshot, protocol.SnapshotMessage) == []
    assert snapshot["v"] == protocol.PROTOCOL_VERSION


def test_event_frame_fixture_is_what_python_writes_and_reads() -> None:
    example = load("frame-event-chunk.json")
    data, payload = bytes.fromhex(example["frame_hex"]), bytes.fromhex(example["payload_hex"])
    assert frame(example["header"], payload) == data
    header, read = split_frame(data)
    assert header == example["header"]
    assert bytes(read) == payload


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "has no header length"),
        (b"\x00\x00\x01", "has no header length"),
        (b"\x00\x00\x00\x09{}", "says its header has 9 bytes, but only 2 bytes follow"),
        (b"\xff\xff\xff\xff{}", "says its header has 4294967295 bytes"),
        (b"\x00\x00\x00\x02{x", "not JSON"),
        (b"\x00\x00\x00\x02\xff\xfe", "not JSON"),
        (b"\x00\x00\x00\x02[]", "not an event object"),
    ],
)
def test_a_malformed_event_frame_is_a_protocol_error(data: bytes, reason: str) -> None:
    with pytest.raises(ProtocolError, match=reason) as error:
        split_frame(data)
    assert error.value.code == protocol.MALFORMED_FRAME_CLOSE_CODE == 1007
