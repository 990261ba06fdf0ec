"""Tables: list rows, dict rows, headers, spans, and outputs embedded in cells."""

from __future__ import annotations

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import put_scope, put_table, put_text, span, use_scope

from .helpers import find, ops, root_children


def test_list_rows_first_row_is_the_header(session: FakeSession) -> None:
    put_table([["Name", "Score"], ["Ada", 36], ["Bob", None]])
    (node,) = root_children(session)
    assert node["rows"] == [["Name", "Score"], ["Ada", "36"], ["Bob", ""]]


def test_list_rows_with_a_header_argument(session: FakeSession) -> None:
    put_table([["Ada", 36]], header=["Name", ("Score", "ignored")])
    assert root_children(session)[0]["rows"] == [["Name", "Score"], ["Ada", "36"]]


def test_dict_rows_use_capitalised_keys_without_a_header(session: FakeSession) -> None:
    put_table([{"name": "Ada", "score": 36}, {"name": "Bob", "extra": 1}])
    assert root_children(session)[0]["rows"] == [
        ["Name", "Score", "Extra"],
        ["Ada", "36", ""],
        ["Bob", "", "1"],
    ]


def test_dict_rows_with_label_key_pairs_pick_and_order_columns(session: FakeSession) -> None:
    put_table(
        [{"a": 1, "b": 2, "c": 3}],
        header=[("Column B", "b"), ("Column A", "a")],
    )
    assert root_children(session)[0]["rows"] == [["Column B", "Column A"], ["2", "1"]]


def test_dict_rows_with_plain_keys_as_header(session: FakeSession) -> None:
    put_table([{"a": 1, "b": 2}], header=["b"])
    assert root_children(session)[0]["rows"] == [["b"], ["2"]]


def test_span_sets_row_and_column_spans_by_position(session: FakeSession) -> None:
    put_table(
        [
            [span("merged", col=2), span("tall", row=2)],
            ["a", "b"],
            [span("plain"), "c", "d"],
        ]
    )
    (node,) = root_children(session)
    assert node["rows"][0] == ["merged", "tall"]
    assert node["rows"][2] == ["plain", "c", "d"]
    assert node["span"] == {"0,0": [1, 2], "0,1": [2, 1]}


def test_a_table_without_spans_has_no_span_key(session: FakeSession) -> None:
    put_table([["a"]])
    assert "span" not in root_children(session)[0]


def test_put_cells_are_nested_nodes(session: FakeSession) -> None:
    put_table([["h"], [put_text("inner")]])
    (table,) = root_children(session)
    assert table["rows"][1][0]["type"] == "text"
    assert table["rows"][1][0]["text"] == "inner"
    assert session.mirror.texts() == ["inner"]


def test_an_embedded_put_is_never_sent_on_its_own(session: FakeSession) -> None:
    put_table([[put_text("only inside")]])
    commands = session.commands()
    assert ops(commands) == ["put"]
    assert commands[0]["node"]["type"] == "table"
    assert len(find(commands, text="only inside")) == 1


def test_an_output_stored_in_a_variable_moves_into_the_table(session: FakeSession) -> None:
    x = put_text("a")
    put_table([[x]])
    commands = session.commands()
    # The queued put of 'a' was cancelled: the browser only ever sees the table.
    assert ops(commands) == ["put"]
    assert [child["type"] for child in root_children(session)] == ["table"]
    assert session.mirror.texts() == ["a"]


def test_an_already_sent_output_is_removed_then_shown_inside(session: FakeSession) -> None:
    x = put_text("a")
    session.flush()
    put_table([[x]])
    commands = session.commands()
    assert ops(commands) == ["put", "remove", "put"]
    assert commands[1] == {"op": "remove", "id": x.id}
    assert [child["type"] for child in root_children(session)] == ["table"]
    assert session.mirror.texts() == ["a"]


def test_an_output_followed_by_other_puts_is_removed_not_cancelled(session: FakeSession) -> None:
    x = put_text("a")
    put_text("b")
    put_table([[x]])
    assert ops(session.commands()) == ["put", "put", "remove", "put"]
    assert [child.get("text") for child in root_children(session)] == ["b", None]
    assert session.mirror.texts() == ["b", "a"]


def test_moving_a_cell_to_another_table_empties_the_old_cell(session: FakeSession) -> None:
    x = put_text("a")
    put_table([[x]])
    session.flush()
    put_table([[x]])
    first, second = root_children(session)
    assert first["rows"] == [[{"type": "empty"}]]
    assert second["rows"][0][0]["id"] == x.id
    assert session.mirror.texts() == ["a"]


def test_a_header_row_can_hold_outputs(session: FakeSession) -> None:
    put_table([["v"]], header=[put_text("H")])
    (table,) = root_children(session)
    assert table["rows"][0][0]["text"] == "H"


def test_a_scope_in_a_cell_receives_later_output(session: FakeSession) -> None:
    put_table([["status", put_scope("status")]])
    session.flush()
    with use_scope("status"):
        put_text("busy")
    (table,) = root_children(session)
    assert table["rows"][0][1]["children"][0]["text"] == "busy"
    assert ops(session.commands())[-1] == "put"
    assert session.commands()[-1]["parent"] == table["rows"][0][1]["id"]


def test_style_on_an_embedded_cell_after_flush_updates_it_in_place(
    session: FakeSession,
) -> None:
    x = put_text("a")
    put_table([[x]])
    session.flush()
    x.style("color: red")
    assert session.commands()[-1] == {"op": "update", "id": x.id, "attrs": {"style": "color: red"}}
    assert root_children(session)[0]["rows"][0][0]["style"] == "color: red"
