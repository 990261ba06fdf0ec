"""Bad input: every wrong argument raises an error that names the argument and the value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import (
    clear,
    get_scope,
    put_button,
    put_buttons,
    put_code,
    put_file,
    put_html,
    put_image,
    put_link,
    put_markdown,
    put_scope,
    put_table,
    put_text,
    remove,
    scroll_to,
    set_scope,
    span,
    use_scope,
)


def _noop(*_: Any) -> None:
    return None


# (call, exception type, fragments the message must contain: the argument and the value)
BAD_CALLS: dict[str, tuple[Callable[[], Any], type[Exception], tuple[str, ...]]] = {
    "put_text sep": (lambda: put_text("a", sep=1), TypeError, ("sep", "1")),
    "put_text position": (lambda: put_text("a", position="end"), TypeError, ("position", "'end'")),
    "put_text scope type": (lambda: put_text("a", scope=1.5), TypeError, ("scope", "1.5")),
    "put_text unknown scope": (lambda: put_text("a", scope="nope"), ValueError, ("scope", "nope")),
    "put_text invalid scope": (lambda: put_text("a", scope="a b"), ValueError, ("scope", "'a b'")),
    "put_text scope index": (lambda: put_text("a", scope=3), ValueError, ("scope", "3")),
    "put_markdown mdcontent": (lambda: put_markdown(42), TypeError, ("mdcontent", "42")),
    "put_markdown options": (
        lambda: put_markdown("a", options=[1]),
        TypeError,
        ("options", "[1]"),
    ),
    "put_html html": (lambda: put_html(42), TypeError, ("html", "42")),
    "put_code language": (lambda: put_code("x", language=3), TypeError, ("language", "3")),
    "put_code rows type": (lambda: put_code("x", rows="9"), TypeError, ("rows", "'9'")),
    "put_code rows value": (lambda: put_code("x", rows=0), ValueError, ("rows", "0")),
    "put_link name": (lambda: put_link(7, url="/"), TypeError, ("name", "7")),
    "put_link url": (lambda: put_link("a", url=7), TypeError, ("url", "7")),
    "put_link neither": (lambda: put_link("a"), ValueError, ("url", "app")),
    "put_table tdata": (lambda: put_table(5), TypeError, ("tdata", "int")),
    "put_table tdata str": (lambda: put_table("ab"), TypeError, ("tdata", "str")),
    "put_table row": (lambda: put_table([["a"], 5]), TypeError, ("tdata[1]", "int")),
    "put_table header": (lambda: put_table([[1]], header=5), TypeError, ("header", "5")),
    "put_table dict header": (
        lambda: put_table([{"a": 1}], header=5),
        TypeError,
        ("header", "5"),
    ),
    "put_table header pair": (
        lambda: put_table([{"a": 1}], header=[("A", "a", "x")]),
        ValueError,
        ("header", "pairs"),
    ),
    "span row": (lambda: span("a", row="2"), TypeError, ("row", "'2'")),
    "span col": (lambda: span("a", col=0), ValueError, ("col", "0")),
    "put_image src": (lambda: put_image(42), TypeError, ("src", "int")),
    "put_image format": (lambda: put_image(b"\x89PNG", format=1), TypeError, ("format", "1")),
    "put_image title": (lambda: put_image("a.png", title=1), TypeError, ("title", "1")),
    "put_image width": (lambda: put_image("a.png", width=1.5), TypeError, ("width", "1.5")),
    "put_image height": (lambda: put_image("a.png", height=[1]), TypeError, ("height", "[1]")),
    "put_file name": (lambda: put_file(1, b""), TypeError, ("name", "1")),
    "put_file content": (lambda: put_file("a", "text"), TypeError, ("content", "'text'")),
    "put_file label": (lambda: put_file("a", b"", label=2), TypeError, ("label", "2")),
    "put_buttons buttons": (lambda: put_buttons("ab", _noop), TypeError, ("buttons", "str")),
    "put_buttons onclick": (lambda: put_buttons(["a"], onclick=3), TypeError, ("onclick", "3")),
    "put_buttons onclick list": (
        lambda: put_buttons(["a"], onclick=[_noop, _noop]),
        ValueError,
        ("onclick", "_noop"),
    ),
    "put_buttons color": (
        lambda: put_buttons([{"label": "a", "color": "pink"}], _noop),
        ValueError,
        ("color", "'pink'"),
    ),
    "put_buttons label": (
        lambda: put_buttons([{"value": 1}], _noop),
        ValueError,
        ("buttons[0]", "label"),
    ),
    "put_buttons pair": (
        lambda: put_buttons([("a", 1, 2)], _noop),
        ValueError,
        ("buttons[0]", "('a', 1, 2)"),
    ),
    "put_button label": (lambda: put_button(1, onclick=_noop), TypeError, ("label", "1")),
    "put_button onclick": (lambda: put_button("a", onclick=1), TypeError, ("onclick", "1")),
    "put_button color": (
        lambda: put_button("a", onclick=_noop, color="pink"),
        ValueError,
        ("put_button():", "color", "'pink'"),
    ),
    "put_scope name": (lambda: put_scope(5), TypeError, ("name", "5")),
    "put_scope invalid name": (lambda: put_scope("a.b"), ValueError, ("name", "'a.b'")),
    "put_scope content": (lambda: put_scope("box", content=5), TypeError, ("content", "5")),
    "set_scope name": (lambda: set_scope(5), TypeError, ("name", "5")),
    "set_scope if_exist": (lambda: set_scope("s", if_exist="x"), ValueError, ("if_exist", "'x'")),
    "set_scope container": (
        lambda: set_scope("s", container_scope="nope"),
        ValueError,
        ("container_scope", "'nope'"),
    ),
    "get_scope": (lambda: get_scope("x"), TypeError, ("stack_idx", "'x'")),
    "clear unknown": (lambda: clear("nope"), ValueError, ("scope", "'nope'")),
    "remove unknown": (lambda: remove("nope"), ValueError, ("scope", "'nope'")),
    "remove ROOT": (lambda: remove("ROOT"), ValueError, ("ROOT",)),
    "scroll_to unknown": (lambda: scroll_to("nope"), ValueError, ("scope", "'nope'")),
    "scroll_to position": (
        lambda: scroll_to("ROOT", position="left"),
        ValueError,
        ("position", "'left'"),
    ),
    "use_scope name": (lambda: use_scope(5).__enter__(), TypeError, ("name", "5")),
    "use_scope invalid": (lambda: use_scope("a b").__enter__(), ValueError, ("name", "'a b'")),
    "use_scope kwarg": (lambda: use_scope("a", colour=1), TypeError, ("colour",)),
    "use_scope position": (lambda: use_scope("p", position="x"), TypeError, ("position", "'x'")),
    "use_scope container": (
        lambda: use_scope("q", container_scope="nope").__enter__(),
        ValueError,
        ("container_scope", "'nope'"),
    ),
    "use_scope no create": (
        lambda: use_scope("zz", create_scope=False).__enter__(),
        ValueError,
        ("name", "'zz'"),
    ),
    "style": (lambda: put_text("a").style(1), TypeError, ("css_style", "1")),
    "onclick": (lambda: put_text("a").onclick(1), TypeError, ("callback", "1")),
}


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_bad_argument_error_names_the_argument_and_the_value(
    session: FakeSession, case: str
) -> None:
    call, error, fragments = BAD_CALLS[case]
    with pytest.raises(error) as caught:
        call()
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, f"{case}: {fragment!r} not in {message!r}"


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_a_rejected_call_leaves_nothing_behind(session: FakeSession, case: str) -> None:
    call, error, _ = BAD_CALLS[case]
    if case in ("style", "onclick"):
        pytest.skip("the output itself was put before the bad call")
    with pytest.raises(error):
        call()
    assert session.commands() == []
    assert session.mirror.tree["children"] == []


def test_a_duplicate_scope_name_puts_none_of_the_content(session: FakeSession) -> None:
    put_scope("box")
    session.flush()
    with pytest.raises(ValueError, match="'box' already exists"):
        put_scope("box", ["stray text"])
    assert session.mirror.texts() == []
    assert len(session.commands()) == 1


def test_bool_is_not_an_int_position(session: FakeSession) -> None:
    with pytest.raises(TypeError, match="position"):
        put_text("a", position=True)


def test_the_scope_error_lists_the_stack_for_a_bad_index(session: FakeSession) -> None:
    with use_scope("outer"), pytest.raises(ValueError, match=r"\['ROOT', 'outer'\]"):
        put_text("a", scope=2)
