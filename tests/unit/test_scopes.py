"""Scopes: use_scope, scope= and position=, clear, remove, scroll_to, get_scope, set_scope."""

from __future__ import annotations

import asyncio
import re

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import (
    clear,
    get_scope,
    put_scope,
    put_table,
    put_text,
    remove,
    scroll_to,
    set_scope,
    use_scope,
)

from .helpers import find, ops, root_children


def scope_texts(session: FakeSession, name: str) -> list[str]:
    """The texts the browser shows inside scope ``name``."""
    session.flush()
    (node,) = find(session.mirror.tree, type="scope", name=name)
    return session.mirror.texts(node)


def test_use_scope_creates_the_scope_and_writes_into_it(session: FakeSession) -> None:
    with use_scope("box") as name:
        put_text("inside")
    put_text("after")
    assert name == "box"
    assert scope_texts(session, "box") == ["inside"]
    box, after = root_children(session)
    assert (box["type"], box["name"], after["text"]) == ("scope", "box", "after")


def test_use_scope_reenters_an_existing_scope(session: FakeSession) -> None:
    with use_scope("box"):
        put_text("1")
    put_text("between")
    with use_scope("box"):
        put_text("2")
    assert scope_texts(session, "box") == ["1", "2"]
    assert len(find(session.mirror.tree, type="scope", name="box")) == 1


def test_use_scope_clear_empties_it_first(session: FakeSession) -> None:
    with use_scope("box"):
        put_text("old")
    session.flush()
    with use_scope("box", clear=True):
        put_text("new")
    assert scope_texts(session, "box") == ["new"]
    assert "clear" in ops(session.commands())


def test_use_scope_without_a_name_generates_unique_valid_names(session: FakeSession) -> None:
    with use_scope() as first:
        put_text("a")
    with use_scope() as second:
        put_text("b")
    assert first != second
    for name in (first, second):
        assert re.fullmatch(r"[A-Za-z0-9_-]+", name)
    assert scope_texts(session, first) == ["a"]
    assert scope_texts(session, second) == ["b"]


def test_use_scope_as_a_decorator(session: FakeSession) -> None:
    @use_scope("clock", clear=True)
    def tick(value: int) -> int:
        put_text(f"tick {value}")
        return value

    assert tick(1) == 1
    assert tick(2) == 2
    assert tick.__name__ == "tick"
    assert scope_texts(session, "clock") == ["tick 2"]
    assert get_scope() == "ROOT"


def test_use_scope_as_a_decorator_of_a_coroutine_function(session: FakeSession) -> None:
    @use_scope("async-box")
    async def work() -> str | None:
        await asyncio.sleep(0)
        put_text("async")
        return get_scope()

    assert asyncio.run(work()) == "async-box"
    assert scope_texts(session, "async-box") == ["async"]


def test_nested_scopes_and_get_scope(session: FakeSession) -> None:
    assert get_scope() == "ROOT"
    with use_scope("outer"):
        with use_scope("inner"):
            assert get_scope() == "inner"
            assert get_scope(-2) == "outer"
            assert get_scope(0) == "ROOT"
            assert get_scope(5) is None
            put_text("deep")
        assert get_scope() == "outer"
    session.flush()
    (outer,) = find(session.mirror.tree, name="outer")
    assert outer["children"][0]["name"] == "inner"
    assert scope_texts(session, "inner") == ["deep"]


def test_int_scope_indexes_the_scope_stack(session: FakeSession) -> None:
    with use_scope("outer"), use_scope("inner"):
        put_text("to root", scope=0)
        put_text("to outer", scope=1)
        put_text("to outer too", scope=-2)
        put_text("to inner", scope=-1)
    assert scope_texts(session, "inner") == ["to inner"]
    assert scope_texts(session, "outer") == ["to inner", "to outer", "to outer too"]
    assert root_children(session)[1]["text"] == "to root"


def test_scope_by_name_from_anywhere(session: FakeSession) -> None:
    put_scope("target")
    with use_scope("elsewhere"):
        put_text("routed", scope="target")
    assert scope_texts(session, "target") == ["routed"]
    assert scope_texts(session, "elsewhere") == []


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (0, ["new", "a", "b", "c"]),
        (1, ["a", "new", "b", "c"]),
        (3, ["a", "b", "c", "new"]),
        (99, ["a", "b", "c", "new"]),
        (-1, ["a", "b", "c", "new"]),
        (-2, ["a", "b", "new", "c"]),
        (-3, ["a", "new", "b", "c"]),
        (-4, ["new", "a", "b", "c"]),
        (-99, ["new", "a", "b", "c"]),
    ],
)
def test_position_inserts_before_an_index_or_after_one_from_the_end(
    session: FakeSession, position: int, expected: list[str]
) -> None:
    for text in "abc":
        put_text(text)
    session.flush()
    put_text("new", position=position)
    session.flush()
    assert session.mirror.texts() == expected


def test_position_in_a_named_scope(session: FakeSession) -> None:
    with use_scope("box"):
        put_text("a")
        put_text("b")
    put_text("first", scope="box", position=0)
    put_text("middle", scope="box", position=-2)
    assert scope_texts(session, "box") == ["first", "a", "middle", "b"]


def test_clear_and_remove(session: FakeSession) -> None:
    with use_scope("box"):
        put_text("a")
    put_text("stays")
    session.flush()
    clear("box")
    assert scope_texts(session, "box") == []
    remove("box")
    session.flush()
    assert find(session.mirror.tree, name="box") == []
    assert session.mirror.texts() == ["stays"]
    assert ops(session.commands())[-2:] == ["clear", "remove"]
    with pytest.raises(ValueError, match="box"):
        put_text("x", scope="box")


def test_remove_the_current_scope_from_inside(session: FakeSession) -> None:
    with use_scope("box"):
        put_text("a")
        remove()
    assert find(session.mirror.tree, name="box") == []


def test_clear_root(session: FakeSession) -> None:
    put_text("a")
    put_scope("box")
    clear("ROOT")
    assert root_children(session) == []
    put_scope("box")  # the name is free again


def test_remove_root_is_refused(session: FakeSession) -> None:
    put_text("a")
    with pytest.raises(ValueError, match="ROOT"):
        remove("ROOT")
    with pytest.raises(ValueError, match="ROOT"):
        remove(0)
    with pytest.raises(ValueError, match="ROOT"):
        remove()
    assert root_children(session)[0]["text"] == "a"


@pytest.mark.parametrize("where", ["top", "middle", "bottom"])
def test_scroll_to_sends_a_scroll_command_at_once(session: FakeSession, where: str) -> None:
    box = put_scope("box")
    scroll_to("box", position=where)
    # scroll_to flushes itself: the command is already in the mirror.
    assert session.mirror.scrolled_to == (box.id, where)
    assert session.batches[-1][1][-1] == {"op": "scroll", "id": box.id, "position": where}


def test_scroll_to_defaults_to_the_current_scope_top(session: FakeSession) -> None:
    with use_scope("box"):
        scroll_to()
    (box,) = find(session.mirror.tree, name="box")
    assert session.mirror.scrolled_to == (box["id"], "top")


def test_set_scope_creates_once_and_if_exist_decides(session: FakeSession) -> None:
    set_scope("s")
    put_text("a", scope="s")
    set_scope("s")  # exists: nothing happens
    assert scope_texts(session, "s") == ["a"]
    set_scope("s", if_exist="clear")
    assert scope_texts(session, "s") == []
    put_text("b", scope="s")
    old = find(session.mirror.tree, name="s")[0]["id"]
    set_scope("s", if_exist="remove")
    session.flush()
    (new,) = find(session.mirror.tree, name="s")
    assert new["id"] != old and new["children"] == []


def test_set_scope_in_a_container_at_a_position(session: FakeSession) -> None:
    put_scope("outer", [put_text("x")])
    set_scope("inner", container_scope="outer", position=0)
    session.flush()
    (outer,) = find(session.mirror.tree, name="outer")
    assert [child.get("name", child.get("text")) for child in outer["children"]] == [
        "inner",
        "x",
    ]


def test_put_scope_with_content_and_strings(session: FakeSession) -> None:
    text = put_text("moved")
    put_scope("box", [text, "plain string"])
    assert scope_texts(session, "box") == ["moved", "plain string"]
    assert [child["type"] for child in root_children(session)] == ["scope"]
    # both puts were still queued: the browser only ever received the scope
    assert ops(session.commands()) == ["put"]


def test_put_scope_name_must_be_new(session: FakeSession) -> None:
    put_scope("box")
    with pytest.raises(ValueError, match="box"):
        put_scope("box")


def test_embedding_moves_an_output_across_scopes(session: FakeSession) -> None:
    with use_scope("a"):
        x = put_text("x")
    with use_scope("b"):
        put_table([[x]])
    assert scope_texts(session, "a") == []
    assert scope_texts(session, "b") == ["x"]
    assert session.mirror.texts() == ["x"]
    # x's put into 'a' was followed by the put of scope 'b', so it is removed, not cancelled.
    assert ops(session.commands()) == ["put", "put", "put", "remove", "put"]


def test_placing_into_a_scope_of_a_removed_subtree_fails(session: FakeSession) -> None:
    put_scope("outer", [put_scope("inner")])
    remove("outer")
    with pytest.raises(ValueError, match="inner"):
        put_text("x", scope="inner")


def test_named_scopes_stay_usable_after_their_content_moves(session: FakeSession) -> None:
    box = put_scope("box")
    put_table([[box]])
    put_text("into the moved scope", scope="box")
    (table,) = root_children(session)
    assert table["rows"][0][0]["children"][0]["text"] == "into the moved scope"
