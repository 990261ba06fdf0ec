from __future__ import annotations

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import put_code, put_column, put_grid, put_row, put_text, span
from pywebio_nb.output._layout import check_track_list

pytestmark = pytest.mark.unit


def test_row_holds_outputs_and_none_becomes_a_gap(session: FakeSession) -> None:
    put_row([put_text("a"), None, put_text("b")], size="40% 10px 60%")
    session.flush()
    (row,) = session.mirror.tree["children"]
    assert row["type"] == "row"
    assert row["size"] == "40% 10px 60%"
    assert [child["type"] for child in row["children"]] == ["text", "gap", "text"]
    assert session.mirror.texts() == ["a", "b"]  # embedded once, not also in ROOT


def test_nested_rows_and_columns(session: FakeSession) -> None:
    put_row(
        [
            put_column([put_code("A"), None, put_code("B")]),
            None,
            put_column([put_row([put_text("C1"), put_text("C2")]), put_text("D")], size="auto 1fr"),
        ]
    )
    session.flush()
    (row,) = session.mirror.tree["children"]
    assert [c["type"] for c in row["children"]] == ["column", "gap", "column"]
    assert [c["type"] for c in row["children"][2]["children"]] == ["row", "text"]
    assert session.mirror.texts() == ["C1", "C2", "D"]


def test_row_as_context_manager_appends_items(session: FakeSession) -> None:
    with put_row() as name:
        put_text("left")
        put_text("right")
    put_text("after", scope=name)
    put_text("outside")
    session.flush()
    row, outside = session.mirror.tree["children"]
    assert [c["text"] for c in row["children"]] == ["left", "right", "after"]
    assert outside["text"] == "outside"


@pytest.mark.parametrize(
    "size",
    [
        "40% 60%",
        "1fr 10px 2fr",
        "auto minmax(100px, 1fr)",
        "repeat(3, 1fr)",
        "max-content 0",
        "fit-content(40%) calc(100% - 10px)",
    ],
)
def test_css_track_lists_are_accepted(size: str) -> None:
    assert check_track_list(size, "size", "put_row") == " ".join(size.split())


@pytest.mark.parametrize(
    "size", ["", "red", "40%; color: red", "minmax(1fr)", "10 px", "1fr)", "repeat(0, 1fr)"]
)
def test_a_size_that_is_not_css_raises_naming_size(session: FakeSession, size: str, find) -> None:
    with pytest.raises(ValueError, match=r"put_row\(\): size="):
        put_row([put_text("a")], size=size)
    session.flush()
    # nothing half-rendered: the text is still where it was put, no row exists
    assert find(session.mirror.tree, "row") == []


def test_an_item_that_is_not_an_output_raises_and_renders_nothing(
    session: FakeSession, find
) -> None:
    text = put_text("kept")
    with pytest.raises(TypeError, match=r"put_row\(\): content\[1\] must be a put_\*\(\) output"):
        put_row([text, "plain string"])
    session.flush()
    assert session.mirror.tree["children"][0]["text"] == "kept"
    assert find(session.mirror.tree, "row") == []


def test_column_rejects_non_list_content(session: FakeSession) -> None:
    with pytest.raises(TypeError, match="put_column"):
        put_column(42)  # type: ignore[arg-type]


def test_grid_cells_spans_and_templates(session: FakeSession) -> None:
    put_grid(
        [[put_text("a"), put_text("b"), None], [span(put_text("wide"), col=2), put_text("c")]],
        cell_width="100px",
        cell_heights="30px auto",
    )
    session.flush()
    (grid,) = session.mirror.tree["children"]
    assert grid["columns"] == "repeat(3, 100px)"
    assert grid["rows"] == "30px auto"
    assert grid["flow"] == "row"
    assert [cell["node"]["type"] for cell in grid["cells"]] == [
        "text",
        "text",
        "empty",
        "text",
        "text",
    ]
    assert grid["cells"][3]["col"] == 2


def test_grid_direction_column_lists_columns(session: FakeSession) -> None:
    put_grid(
        [[put_text("a"), put_text("b")]],
        cell_width="50px",
        cell_height="20px",
        direction="column",
    )
    session.flush()
    (grid,) = session.mirror.tree["children"]
    assert grid["flow"] == "column"
    assert grid["columns"] == "repeat(1, 50px)"  # one column of two cells
    assert grid["rows"] == "repeat(2, 20px)"


def test_grid_bad_input_names_the_argument(session: FakeSession) -> None:
    with pytest.raises(TypeError, match=r"content\[0\]\[1\]"):
        put_grid([[put_text("a"), "b"]])
    with pytest.raises(ValueError, match="cell_width="):
        put_grid([[put_text("a")]], cell_width="wide")
    with pytest.raises(ValueError, match="direction"):
        put_grid([[put_text("a")]], direction="diagonal")


def test_output_moved_from_a_grid_cell_leaves_an_empty_cell(session: FakeSession) -> None:
    moved = put_text("moved")
    put_grid([[moved, put_text("stays")]])
    session.flush()
    put_row([moved])
    session.flush()
    grid, row = session.mirror.tree["children"]
    assert grid["cells"][0]["node"]["type"] == "empty"
    assert row["children"][0]["text"] == "moved"
