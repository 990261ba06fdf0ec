"""Fuzzing what a browser may send to forms and pins: every value ends converted or refused.

A visitor's browser (or a forged client) can send any JSON as a field's value. Whatever it
sends, a form must either return a value of the field's type or show an error at the field
and keep waiting (so the visitor can correct it); a pin must either hold a value of its type
or show an error. No exception may escape into the app, and none may be logged as internal.

The examples are generated deterministically (``derandomize``) and bounded, so a run is
reproducible and its time is stable.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.input import (
    COLOR,
    DATE,
    DATETIME,
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
    radio,
    select,
    slider,
    textarea,
)
from pywebio_nb.pin import (
    put_actions,
    put_checkbox,
    put_file_upload,
    put_input,
    put_radio,
    put_select,
    put_slider,
    put_textarea,
)
from pywebio_nb.pin._registry import registry

FUZZ = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)

# -- what a browser may send ------------------------------------------------------------------

#: Integers past Python's 4,300-digit limit for str <-> int conversion.
HUGE_INTS = st.integers(4301, 4600).map(lambda digits: 10 ** (digits - 1) + 7)
SPECIAL_TEXT = st.sampled_from(
    [
        "",
        " ",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "inf",
        "1e999",
        "-1e999",
        "1e-999",
        "0x1f",
        "1_000",
        " 42 ",
        "+7",
        "-0",
        "12.0",
        "12.5",
        "٣٤",  # Arabic-Indic digits
        "\uff12",  # a full-width digit
        "\u0000",
        "2024-02-29",
        "13:05",
        "2024-02-29T13:05",
        "#00ff7f",
        "https://example.org",
        "<script>alert(1)</script>",
    ]
)
NUMBER_TEXT = st.from_regex(r"\A[+-]?[0-9]{1,30}(\.[0-9]{1,6})?([eE][+-]?[0-9]{1,4})?\Z")
#: Digit strings around and past the 4,300-digit limit, and very long text.
LONG_TEXT = st.one_of(
    st.integers(4200, 6000).map(lambda n: "9" * n),
    st.integers(4301, 6000).map(lambda n: "-" + "1" * n),
    st.integers(10_000, 100_000).map(lambda n: "é" * n),
)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-3, 12),
    HUGE_INTS,
    st.floats(),
    st.text(max_size=20),
    SPECIAL_TEXT,
    NUMBER_TEXT,
    LONG_TEXT,
)
#: Any JSON value a browser can send (the JSON layer turns NaN/Infinity into floats too).
BROWSER_VALUES = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=8,
)
SMALL_OR_ANY = st.one_of(st.integers(0, 300), BROWSER_VALUES)
FILE_DESCRIPTORS = st.one_of(
    BROWSER_VALUES,
    st.lists(
        st.fixed_dictionaries(
            {
                "filename": BROWSER_VALUES,
                "size": SMALL_OR_ANY,
                "mime_type": BROWSER_VALUES,
                "last_modified": BROWSER_VALUES,
            }
        ),
        max_size=3,
    ),
)
CHUNKS = st.lists(
    st.tuples(
        st.fixed_dictionaries({"file": SMALL_OR_ANY, "offset": SMALL_OR_ANY, "size": SMALL_OR_ANY}),
        st.lists(st.binary(max_size=64), max_size=2),
    ),
    max_size=4,
)

# -- what each field may answer ---------------------------------------------------------------

OPTIONS: list[Any] = [("A", {"a": 1}), ("B", (2, 3)), "C", {"label": "D", "value": None}]
OPTION_VALUES: list[Any] = [{"a": 1}, (2, 3), "C", None]
BUTTONS: list[Any] = ["go", {"label": "Later", "value": ("later", 1)}]
BUTTON_VALUES: list[Any] = ["go", ("later", 1)]


def is_text(value: Any) -> bool:
    return type(value) is str


def is_int(value: Any) -> bool:
    return value is None or type(value) is int


def is_float(value: Any) -> bool:
    return value is None or (type(value) is float and math.isfinite(value))


def is_option(value: Any) -> bool:
    return value is None or any(value == option for option in OPTION_VALUES)


def is_options(value: Any) -> bool:
    return type(value) is list and all(is_option(item) for item in value)


def is_button(value: Any) -> bool:
    return value is None or any(value == button for button in BUTTON_VALUES)


def is_slider(value: Any) -> bool:
    return type(value) is int and -5 <= value <= 10**6


def is_float_slider(value: Any) -> bool:
    return type(value) is float and -0.5 <= value <= 2.5


def is_file(value: Any) -> bool:
    if value is None:
        return True
    return (
        isinstance(value, dict)
        and type(value["filename"]) is str
        and type(value["mime_type"]) is str
        and type(value["content"]) is bytes
        and type(value["size"]) is int
        and len(value["content"]) == value["size"]
        and type(value["last_modified"]) in (int, float)
        and math.isfinite(value["last_modified"])
    )


def is_files(value: Any) -> bool:
    return type(value) is list and all(value is not None and is_file(item) for item in value)


#: A form field per kind: how to ask, a raw value the browser would send for it, the check.
FIELDS: dict[str, tuple[Callable[..., Any], Any, Callable[[Any], bool]]] = {
    "text": (lambda **kw: input("Q", type=TEXT, **kw), "ok", is_text),
    "number": (lambda **kw: input("Q", type=NUMBER, **kw), "7", is_int),
    "float": (lambda **kw: input("Q", type=FLOAT, **kw), "2.5", is_float),
    "password": (lambda **kw: input("Q", type=PASSWORD, **kw), "pw", is_text),
    "url": (lambda **kw: input("Q", type=URL, **kw), "https://a.org", is_text),
    "date": (lambda **kw: input("Q", type=DATE, **kw), "2024-02-29", is_text),
    "time": (lambda **kw: input("Q", type=TIME, **kw), "13:05", is_text),
    "datetime": (lambda **kw: input("Q", type=DATETIME, **kw), "2024-02-29T13:05", is_text),
    "color": (lambda **kw: input("Q", type=COLOR, **kw), "#00ff7f", is_text),
    "textarea": (lambda **kw: textarea("Q", maxlength=50, minlength=2, **kw), "ok", is_text),
    "select": (lambda **kw: select("Q", OPTIONS, **kw), 0, is_option),
    "select-multiple": (lambda **kw: select("Q", OPTIONS, multiple=True, **kw), [1], is_options),
    "checkbox": (lambda **kw: checkbox("Q", OPTIONS, **kw), [0, 2], is_options),
    "radio": (lambda **kw: radio("Q", OPTIONS, **kw), 1, is_option),
    "slider": (lambda **kw: slider("Q", min_value=-5, max_value=10**6, **kw), 3, is_slider),
    "slider-float": (
        lambda **kw: slider("Q", value=0.5, min_value=-0.5, max_value=2.5, **kw),
        1.5,
        is_float_slider,
    ),
    "actions": (lambda **kw: actions("Q", BUTTONS, name=kw["name"]), 1, is_button),
    "file": (lambda **kw: file_upload("Q", name=kw["name"]), [], is_file),
    "file-multiple": (lambda **kw: file_upload("Q", multiple=True, name=kw["name"]), [], is_files),
}

#: A pin widget per kind: how to show it (named ``p``) and the check of its value.
PINS: dict[str, tuple[Callable[[], Any], Callable[[Any], bool]]] = {
    **{
        f"input-{kind}": (lambda kind=kind: put_input("p", type=kind), check)  # type: ignore[misc]
        for kind, check in [
            (TEXT, is_text),
            (NUMBER, is_int),
            (FLOAT, is_float),
            (PASSWORD, is_text),
            (URL, is_text),
            (DATE, is_text),
            (TIME, is_text),
            (DATETIME, is_text),
            (COLOR, is_text),
        ]
    },
    "textarea": (lambda: put_textarea("p", maxlength=50), is_text),
    "select": (lambda: put_select("p", OPTIONS), is_option),
    "select-multiple": (lambda: put_select("p", OPTIONS, multiple=True), is_options),
    "checkbox": (lambda: put_checkbox("p", OPTIONS), is_options),
    "radio": (lambda: put_radio("p", OPTIONS), is_option),
    "slider": (lambda: put_slider("p", min_value=-5, max_value=10**6), is_slider),
    "slider-float": (
        lambda: put_slider("p", value=0.5, min_value=-0.5, max_value=2.5),
        is_float_slider,
    ),
    "actions": (lambda: put_actions("p", buttons=BUTTONS), is_button),
    "file": (lambda: put_file_upload("p"), is_file),
}


class StrictSession(FakeSession):
    """A scripted session that fails the test on an internal error instead of logging it."""

    def log_exception(self, message: str) -> None:
        raise AssertionError(f"internal error logged: {message}")


@pytest.fixture(autouse=True)
def no_internal_error_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    errors = [r.getMessage() for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
    assert errors == []


def refused(s: FakeSession, name: str) -> str | None:
    """The error the waiting form shows for a field (or for itself), if any."""
    return s.field(name).get("invalid") or s.form().get("error")


def ask_with_raw(kind: str, send_raw: Callable[[FakeSession, int], None]) -> tuple[Any, Any]:
    """Ask with a group holding one field of ``kind``; the browser first sends a raw value.

    Returns what the group returned and the error shown after the raw value (``None`` when the
    raw value was accepted). A refused value must leave the form waiting, and a correct answer
    must then be accepted.
    """
    build, good, check = FIELDS[kind]
    changed: list[Any] = []
    kwargs: dict[str, Any] = {"name": "f"}
    if kind.split("-")[0] not in ("actions", "file"):
        kwargs["onchange"] = changed.append
    shown: list[Any] = []

    def first(s: FakeSession) -> None:
        send_raw(s, s.form()["id"])

    def second(s: FakeSession) -> None:
        shown.append(refused(s, "f"))
        s.submit({"f": good})

    with StrictSession() as session:
        session.answer(first, second)
        result = input_group("G", [build(**kwargs)])
        assert session.nodes("form") == []
    assert all(check(value) for value in changed), changed
    assert result is not None and check(result["f"]), result
    if shown:
        assert isinstance(shown[0], str) and shown[0], "a refused value must show an error"
        return result, shown[0]
    return result, None


@pytest.mark.parametrize("kind", sorted(FIELDS))
@FUZZ
@given(raw=BROWSER_VALUES)
def test_a_submitted_value_is_converted_or_shown_as_a_field_error(kind: str, raw: Any) -> None:
    def send(s: FakeSession, form_id: int) -> None:
        s.send_input(form_id, event="blur", name="f", value=raw)
        s.send_input(form_id, event="change", name="f", value=raw)
        s.submit({"f": raw})

    ask_with_raw(kind, send)


@pytest.mark.parametrize("kind", ["file", "file-multiple"])
@FUZZ
@given(chunks=CHUNKS, descriptors=FILE_DESCRIPTORS)
def test_any_upload_chunks_and_descriptors_end_as_files_or_a_field_error(
    kind: str, chunks: list[tuple[dict[str, Any], list[bytes]]], descriptors: Any
) -> None:
    def send(s: FakeSession, form_id: int) -> None:
        for content, buffers in chunks:
            s.send_input(form_id, buffers, event="chunk", name="f", **content)
        s.submit({"f": descriptors})

    ask_with_raw(kind, send)


@pytest.mark.parametrize("kind", sorted(PINS))
@FUZZ
@given(raw=BROWSER_VALUES)
def test_a_pin_value_from_the_browser_is_converted_or_shown_as_an_error(
    kind: str, raw: Any
) -> None:
    show, check = PINS[kind]
    with StrictSession() as session:
        show()
        before = registry(session).values["p"]
        widget = session.nodes("pin")[-1]
        session.send_input(widget["id"], event="change", value=raw)
        error = session.nodes("pin")[-1].get("invalid")
        value = registry(session).values["p"]
    if error:
        assert isinstance(error, str)
        assert value == before  # a refused value leaves the pin as it was
    else:
        assert check(value), value


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("number", "9" * 5000, "Please enter an integer of at most 4300 digits."),
        ("number", "-" + "1" * 4301, "Please enter an integer of at most 4300 digits."),
        ("float", 10**4400, "Please enter a finite number."),
        ("slider", 10**4400, "Please choose a value between -5 and 1000000."),
        ("select", 10**4400, "That is not one of the choices."),
    ],
    ids=["number-text", "negative-number-text", "float", "slider", "select"],
)
def test_long_numbers_are_field_errors(kind: str, raw: Any, message: str) -> None:
    def send(s: FakeSession, form_id: int) -> None:
        s.submit({"f": raw})

    _, shown = ask_with_raw(kind, send)
    assert shown == message


def test_a_4300_digit_number_is_still_an_integer() -> None:
    def send(s: FakeSession, form_id: int) -> None:
        s.submit({"f": "9" * 4300})

    result, shown = ask_with_raw("number", send)
    assert shown is None and result["f"] == 10**4300 - 1


def upload_then_submit(descriptor: dict[str, Any], size: int = 3) -> Callable[..., None]:
    def send(s: FakeSession, form_id: int) -> None:
        chunk = {"file": 0, "offset": 0, "size": size}
        s.send_input(form_id, [b"abc"], event="chunk", name="f", **chunk)
        s.submit({"f": [descriptor]})

    return send


def test_a_huge_last_modified_reads_as_no_time() -> None:
    result, shown = ask_with_raw("file", upload_then_submit({"size": 3, "last_modified": 10**400}))
    assert shown is None
    assert result["f"]["content"] == b"abc" and result["f"]["last_modified"] == 0


@pytest.mark.parametrize(
    ("descriptor", "size", "message"),
    [
        ({"filename": 10**4400, "size": 3}, 3, "the browser sent malformed file descriptors"),
        ({"filename": "a", "mime_type": ["x"], "size": 3}, 3, "malformed file descriptors"),
    ],
    ids=["huge-filename", "list-mime-type"],
)
def test_impossible_file_descriptions_are_field_errors(
    descriptor: dict[str, Any], size: int, message: str
) -> None:
    _, shown = ask_with_raw("file", upload_then_submit(descriptor, size))
    assert shown is not None and message in shown


@pytest.mark.parametrize("key", ["file", "offset", "size"])
def test_a_chunk_with_a_huge_number_is_refused(key: str) -> None:
    shown: list[Any] = []
    chunk = {"file": 0, "offset": 0, "size": 3, key: 10**400}

    def send(s: FakeSession) -> None:
        s.send_input(s.form()["id"], [b"abc"], event="chunk", name="data", **chunk)

    def submit(s: FakeSession) -> None:
        shown.append(s.field("data").get("invalid"))
        s.submit({"data": []})

    with StrictSession() as session:
        session.answer(send, submit)
        assert file_upload("F", max_size="1M") is None
    assert shown == [f"the browser sent an upload chunk with a bad {key!r}"]
