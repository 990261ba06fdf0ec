"""Forms driven by a scripted browser (FakeSession.answer): conversion, checks, errors."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.input import (
    COLOR,
    DATE,
    DATETIME_LOCAL,
    FLOAT,
    NUMBER,
    PASSWORD,
    TEXT,
    TIME,
    URL,
    actions,
    checkbox,
    file_upload,
    input,
    input_group,
    input_update,
    radio,
    select,
    slider,
    textarea,
)
from pywebio_nb.input._options import parse_size


@pytest.fixture
def fake() -> Iterator[FakeSession]:
    with FakeSession() as session:
        yield session


def snapshot_value(s: FakeSession, name: str) -> Any:
    form = json.loads(s.snapshot(s.root))["root"]["children"][-1]
    return next(field.get("value") for field in form["fields"] if field["name"] == name)


def submit(values: dict[str, Any]) -> Any:
    return lambda s: s.submit(values)


def test_number_input_rejects_text_then_returns_int(fake: FakeSession) -> None:
    errors: list[Any] = []
    fake.answer(
        submit({"data": "twelve"}),
        lambda s: (errors.append(s.field("data").get("invalid")), s.submit({"data": "12"})),
    )
    assert input("Age?", type=NUMBER) == 12
    assert errors == ["Please enter an integer."]
    assert fake.nodes("form") == []  # the form disappears once answered


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (TEXT, "hi", "hi"),
        (PASSWORD, "s3cret", "s3cret"),
        (URL, "https://example.org", "https://example.org"),
        (FLOAT, "2.5", 2.5),
        (NUMBER, "-7", -7),
        (DATE, "2024-02-29", "2024-02-29"),
        (TIME, "13:05", "13:05"),
        (COLOR, "#00ff7f", "#00ff7f"),
        (DATETIME_LOCAL, "2024-02-29T13:05", "2024-02-29T13:05"),
    ],
)
def test_every_input_type_returns_its_python_value(
    fake: FakeSession, kind: str, raw: str, expected: Any
) -> None:
    fake.answer(submit({"data": raw}))
    assert input("Q", type=kind) == expected


@pytest.mark.parametrize(("kind", "raw"), [(FLOAT, "abc"), (DATE, "29/02/2024"), (COLOR, "red")])
def test_malformed_typed_values_are_rejected_at_the_field(
    fake: FakeSession, kind: str, raw: str
) -> None:
    seen: list[Any] = []
    fake.answer(
        submit({"data": raw}),
        lambda s: (
            seen.append(s.field("data")["invalid"]),
            s.send_input(s.form()["id"], event="submit", values={"data": ""}),
        ),
    )
    input("Q", type=kind)
    assert seen[0]


def test_required_is_checked_in_python(fake: FakeSession) -> None:
    seen: list[Any] = []
    fake.answer(
        submit({"data": ""}),
        lambda s: (seen.append(s.field("data")["invalid"]), s.submit({"data": "x"})),
    )
    assert input("Name", required=True) == "x"
    assert seen == ["Please fill out this field."]


def test_select_returns_the_python_object_by_index(fake: FakeSession) -> None:
    marker = object()
    fake.answer(submit({"data": 1}))
    assert select("Pick", [("A", 1), ("B", marker)]) is marker


def test_select_rejects_an_index_outside_its_options_and_disabled_ones(fake: FakeSession) -> None:
    seen: list[Any] = []
    fake.answer(
        submit({"data": 7}),
        lambda s: (seen.append(s.field("data")["invalid"]), s.submit({"data": 0})),
        lambda s: (seen.append(s.field("data")["invalid"]), s.submit({"data": 1})),
    )
    assert select("Pick", [{"label": "no", "value": 0, "disabled": True}, "yes"]) == "yes"
    assert "not one of the choices" in seen[0] and "cannot be chosen" in seen[1]


def test_multiple_select_checkbox_and_radio(fake: FakeSession) -> None:
    fake.answer(submit({"data": [0, 2]}), submit({"data": [1]}), submit({"data": None}))
    assert select("S", ["a", "b", "c"], multiple=True) == ["a", "c"]
    assert checkbox("C", [("x", {"x": 1}), ("y", [2])]) == [[2]]
    assert radio("R", ["a", "b"]) is None


def test_initial_value_marks_options_selected(fake: FakeSession) -> None:
    fake.answer(lambda s: (s.tmp.append(s.field("data")["options"]), s.submit({"data": 1})))
    fake.tmp = []
    select("S", ["a", "b"], value="b")
    assert fake.tmp[0] == [{"label": "a"}, {"label": "b", "selected": True}]


def test_slider_int_and_float_and_range(fake: FakeSession) -> None:
    seen: list[Any] = []
    fake.answer(
        submit({"data": 500}),
        lambda s: (seen.append(s.field("data")["invalid"]), s.submit({"data": 7})),
        submit({"data": 0.25}),
    )
    assert slider("Volume", max_value=10) == 7
    assert slider("Ratio", value=0.5, max_value=1.0) == 0.25
    assert "between 0 and 10" in seen[0]


def test_actions_submit_value_and_cancel(fake: FakeSession) -> None:
    fake.answer(submit({"data": 1}), submit({"data": 2}))
    assert actions("Go?", ["yes", ("no", {"n": 0})]) == {"n": 0}
    assert actions("Go?", ["a", "b", {"label": "Stop", "value": 9, "type": "cancel"}]) is None


def test_textarea_maxlength_is_rechecked_in_python(fake: FakeSession) -> None:
    seen: list[Any] = []
    fake.answer(
        submit({"data": "toolong"}),
        lambda s: (seen.append(s.field("data")["invalid"]), s.submit({"data": "ok"})),
    )
    assert textarea("T", maxlength=3, code={"mode": "python", "theme": "darcula"}) == "ok"
    assert "at most 3" in seen[0]


def test_input_group_returns_a_dict_and_shows_group_validate_error(fake: FakeSession) -> None:
    seen: list[Any] = []

    def check(data: dict[str, Any]) -> Any:
        return ("age", "too young") if data["age"] < 18 else None

    fake.answer(
        submit({"name": "Ada", "age": "12"}),
        lambda s: (
            seen.append((s.field("age")["invalid"], snapshot_value(s, "name"))),
            s.submit({"name": "Ada", "age": "36"}),
        ),
    )
    data = input_group(
        "About", [input("Name", name="name"), input("Age", name="age", type=NUMBER)], validate=check
    )
    assert data == {"name": "Ada", "age": 36}
    # the error is at the field, and a reloaded page would still show what was typed
    assert seen == [("too young", "Ada")]


def test_input_group_rejects_duplicate_and_missing_names() -> None:
    with FakeSession():
        with pytest.raises(ValueError, match="two inputs are named 'a'"):
            input_group("G", [input("x", name="a"), input("y", name="a")])
        with pytest.raises(TypeError, match="inputs\\[0\\]"):
            input_group("G", ["not a field"])  # type: ignore[list-item]


def test_cancelable_group_returns_none(fake: FakeSession) -> None:
    fake.answer(lambda s: s.send_input(s.form()["id"], event="cancel"))
    assert input_group("G", [input("x", name="a")], cancelable=True) is None


def test_last_actions_replace_the_form_buttons(fake: FakeSession) -> None:
    fake.answer(
        lambda s: (s.tmp.append(s.form().get("own_buttons")), s.submit({"a": "v", "go": 0}))
    )
    fake.tmp = []
    result = input_group("G", [input("x", name="a"), actions("", ["Save"], name="go")])
    assert result == {"a": "v", "go": "Save"} and fake.tmp == [True]


def test_validate_on_blur_shows_and_clears_the_error(fake: FakeSession) -> None:
    seen: list[Any] = []

    def positive(value: int) -> str | None:
        return None if value > 0 else "must be positive"

    def blur(value: str) -> Any:
        return lambda s: s.send_input(s.form()["id"], event="blur", name="data", value=value)

    fake.answer(
        blur("-1"),
        lambda s: seen.append(s.field("data")["invalid"]),
        blur("5"),
        lambda s: (seen.append(s.field("data")["invalid"]), s.submit({"data": "5"})),
    )
    assert input("N", type=NUMBER, validate=positive) == 5
    assert seen == ["must be positive", None]


def test_onchange_can_update_another_field(fake: FakeSession) -> None:
    def on_country(country: str) -> None:
        input_update("city", options=["Paris", "Lyon"] if country == "FR" else ["Rome"])

    seen: list[Any] = []
    fake.answer(
        lambda s: s.send_input(s.form()["id"], event="change", name="country", value=0),
        lambda s: (seen.append(s.field("city")["options"]), s.submit({"country": 0, "city": 1})),
    )
    result = input_group(
        "Where",
        [
            select("Country", ["FR", "IT"], name="country", onchange=on_country),
            select("City", ["Rome"], name="city"),
        ],
    )
    assert seen == [[{"label": "Paris", "selected": True}, {"label": "Lyon"}]]
    assert result == {"country": "FR", "city": "Lyon"}


def test_input_update_outside_onchange_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="onchange"):
        input_update("x", value=1)


def test_action_set_value_with_label_returns_the_python_object(fake: FakeSession) -> None:
    secret = {"id": 42}
    seen: list[Any] = []
    fake.answer(
        lambda s: s.send_input(s.form()["id"], event="action", name="data"),
        lambda s: (
            seen.append((s.field("data")["value"], s.field("data")["readonly"])),
            s.submit({"data": "tampered"}),
        ),
    )
    assert (
        input("User", action=("Pick", lambda set_value: set_value(secret, "Ada Lovelace")))
        is secret
    )
    assert seen == [("Ada Lovelace", True)]


def test_malformed_message_shows_a_form_error_and_keeps_waiting(fake: FakeSession) -> None:
    seen: list[Any] = []
    fake.answer(
        lambda s: s.send_input(s.form()["id"], event="submit", values="garbage"),
        lambda s: s.send_input(s.form()["id"], event="explode", name="nope"),
        lambda s: (seen.append(s.form()["error"]), s.submit({"data": "fine"})),
    )
    assert input("Q") == "fine"
    assert "malformed" in seen[0]


def _upload(name: str, data: bytes, chunk: int, index: int = 0, size: int | None = None) -> Any:
    def step(s: FakeSession) -> None:
        form_id = s.form()["id"]
        total = len(data) if size is None else size
        for offset in range(0, max(len(data), 1), chunk):
            s.send_input(
                form_id,
                [data[offset : offset + chunk]],
                event="chunk",
                name=name,
                file=index,
                offset=offset,
                size=total,
            )

    return step


def test_file_upload_reassembles_chunks_and_shows_progress(fake: FakeSession) -> None:
    data = bytes(range(256)) * 40
    progress: list[Any] = []
    fake.answer(
        _upload("data", data, 1000),
        lambda s: (
            progress.append(s.field("data")["progress"]),
            s.submit(
                {
                    "data": [
                        {
                            "filename": "a.bin",
                            "size": len(data),
                            "mime_type": "x/y",
                            "last_modified": 5000,
                        }
                    ]
                }
            ),
        ),
    )
    result = file_upload("File")
    assert result == {
        "filename": "a.bin",
        "content": data,
        "mime_type": "x/y",
        "last_modified": 5.0,
        "size": len(data),
    }
    assert progress == [len(data)]


def test_file_over_max_size_is_refused_in_python(fake: FakeSession) -> None:
    seen: list[Any] = []
    fake.answer(
        _upload("data", b"x" * 2048, 1024),
        lambda s: (seen.append(s.field("data")["invalid"]), s.submit({"data": []})),
    )
    assert file_upload("F", max_size="1K") is None
    assert "limit is 1K" in seen[0]


def test_a_client_lying_about_the_size_is_refused(fake: FakeSession) -> None:
    seen: list[Any] = []
    fake.answer(
        _upload("data", b"x" * 3000, 1000, size=100),  # declares 100 bytes, sends 3000
        lambda s: (
            seen.append(s.field("data")["invalid"]),
            s.submit({"data": [{"filename": "a", "size": 3000}]}),
        ),
        lambda s: (seen.append(s.field("data")["invalid"]), s.submit({"data": []})),
    )
    assert file_upload("F", max_total_size=1000) is None
    assert "grew" in seen[0] and seen[1]


def test_multiple_files_and_total_limit(fake: FakeSession) -> None:
    seen: list[Any] = []

    def two(s: FakeSession) -> None:
        _upload("data", b"a" * 600, 512, 0)(s)
        _upload("data", b"b" * 600, 512, 1)(s)

    fake.answer(two, lambda s: (seen.append(s.field("data")["invalid"]), s.submit({"data": []})))
    assert file_upload("F", multiple=True, max_total_size="1K") == []
    assert "add up to" in seen[0]


def test_a_file_removed_after_a_refused_submit_is_not_submitted(fake: FakeSession) -> None:
    seen: list[Any] = []
    descriptor = {"filename": "a.txt", "size": 3, "mime_type": "text/plain", "last_modified": 0}
    fake.answer(
        _upload("f", b"abc", 3),
        submit({"name": "", "f": [descriptor]}),  # refused: the name is required
        # The visitor fills the name and empties the file chooser: no chunks, no descriptors.
        lambda s: (seen.append(s.field("name")["invalid"]), s.submit({"name": "Ada", "f": []})),
    )
    data = input_group("G", [input("Name", name="name", required=True), file_upload("F", name="f")])
    assert seen == ["Please fill out this field."]
    assert data == {"name": "Ada", "f": None}


@pytest.mark.parametrize(
    ("size", "expected"), [("40K", 40960), ("3M", 3 * 1024**2), ("1G", 1024**3), (7, 7)]
)
def test_parse_size(size: Any, expected: int) -> None:
    assert parse_size(size, "max_size", "file_upload") == expected


def test_bad_arguments_name_the_argument() -> None:
    with pytest.raises(ValueError, match="type='bogus'"):
        input("x", type="bogus")
    with pytest.raises(ValueError, match="datalist"):
        input("x", type=NUMBER, datalist=["a"])
    with pytest.raises(ValueError, match="max_size='lots'"):
        file_upload("f", max_size="lots")


def test_await_input_returns_the_answer(fake: FakeSession) -> None:
    fake.answer(submit({"data": "7"}))

    async def main() -> Any:
        return await input("N", type=NUMBER)

    assert asyncio.run(main()) == 7


def test_interrupt_disables_the_form(fake: FakeSession) -> None:
    def interrupt(s: FakeSession) -> None:
        raise KeyboardInterrupt

    fake.answer(interrupt)
    with pytest.raises(KeyboardInterrupt):
        input("Q")
    form = fake.form()
    assert form["disabled"] is True and form["status"] == "interrupted"
    assert form["id"] not in fake.event_sinks


def test_single_select_without_a_value_answers_its_first_enabled_option(
    fake: FakeSession,
) -> None:
    seen: list[Any] = []
    fake.answer(lambda s: (seen.append(s.field("data")["options"]), s.submit({"data": 1})))
    select("S", [{"label": "off", "value": 0, "disabled": True}, "on"])
    assert seen == [[{"label": "off", "disabled": True}, {"label": "on", "selected": True}]]
