from __future__ import annotations

import json
import pathlib

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import datatable_insert, datatable_remove, datatable_update, put_datatable

pytestmark = pytest.mark.unit

FIXTURES = pathlib.Path(__file__).parent.parent / "fixtures" / "protocol"


def _records(n: int) -> list[dict]:
    return [{"id": i, "name": f"item {i}", "size": {"w": i, "h": 2 * i}} for i in range(n)]


def _table(session: FakeSession) -> dict:
    (node,) = [n for n in session.mirror.tree["children"] if n["type"] == "datatable"]
    return node


def test_a_million_rows_never_travel_in_one_message(session: FakeSession) -> None:
    put_datatable(_records(1_000_000), id_field="id", instance_id="big")
    session.flush()
    sent = sum(len(json.dumps(batch)) for _, batch in session.batches)
    assert sent < 2_000
    node = _table(session)
    assert node["total"] == 1_000_000
    assert [c["field"] for c in node["columns"]] == ["id", "name", "size.w", "size.h"]
    session.answer_rows(
        session.root, {"kind": "rows", "id": node["id"], "start": 500_000, "count": 100}
    )
    rows = session.mirror.rows[node["id"]]
    assert len(rows) == 100
    assert rows[500_000] == (500_000, [500_000, "item 500000", 500_000, 1_000_000])
    assert len(json.dumps(session.batches[-1])) < 10_000


def test_window_requests_are_capped(session: FakeSession) -> None:
    put_datatable(_records(5000))
    session.flush()
    node_id = _table(session)["id"]
    session.answer_rows(session.root, {"kind": "rows", "id": node_id, "start": 0, "count": 10**9})
    assert len(session.mirror.rows[node_id]) == 1000


def test_malformed_or_unknown_row_requests_are_ignored(session: FakeSession) -> None:
    put_datatable(_records(3))
    session.flush()
    before = len(session.batches)
    session.answer_rows(session.root, {"kind": "rows", "id": "x", "start": 0, "count": 1})
    session.answer_rows(session.root, {"kind": "rows", "id": 999, "start": 0, "count": 1})
    assert len(session.batches) == before


def test_update_insert_remove_bump_the_version_and_rows_follow(session: FakeSession) -> None:
    put_datatable(_records(5), id_field="id", instance_id="t")
    session.flush()
    node_id = _table(session)["id"]
    datatable_update("t", {"id": 2, "name": "two", "size": {"w": 0, "h": 0}}, row_id=2)
    datatable_update("t", 99, row_id=3, field=("size", "w"))
    datatable_insert("t", [{"id": 10, "name": "ten"}], row_id=0)
    datatable_remove("t", [4])
    session.flush()
    node = _table(session)
    assert (node["total"], node["version"]) == (5, 4)
    session.answer_rows(session.root, {"kind": "rows", "id": node_id, "start": 0, "count": 10})
    rows = session.mirror.rows[node_id]
    assert [rows[i][0] for i in range(5)] == [10, 0, 1, 2, 3]
    assert rows[3][1][1] == "two"
    assert rows[4][1][2] == 99
    datatable_update("t", _records(2))
    session.flush()
    assert _table(session)["total"] == 2
    assert node_id not in session.mirror.rows  # cache dropped by rows_changed


def test_update_does_not_mutate_the_callers_records(session: FakeSession) -> None:
    records = _records(2)
    put_datatable(records, id_field="id", instance_id="t")
    datatable_update("t", 5, row_id=1, field=("size", "w"))
    assert records[1]["size"]["w"] == 1


def test_default_ids_are_row_indexes_and_selection_callbacks(session: FakeSession) -> None:
    selected: list[object] = []
    acted: list[object] = []
    put_datatable(
        _records(3),
        onselect=selected.append,
        actions=[("Delete", acted.append), None, ("Other", print)],
        multiple_select=True,
    )
    session.flush()
    node = _table(session)
    assert node["actions"] == ["Delete", None, "Other"]
    callback = session.callbacks[node["cb"]][0]
    callback({"select": [0, 2]})
    callback({"action": 0, "select": [1]})
    assert selected == [[0, 2]]
    assert acted == [[1]]


def test_single_select_gets_one_id(session: FakeSession) -> None:
    selected: list[object] = []
    put_datatable(_records(3), id_field="id", onselect=selected.append)
    session.flush()
    session.callbacks[_table(session)["cb"]][0]({"select": [2]})
    assert selected == [2]


def test_column_order_and_args(session: FakeSession) -> None:
    put_datatable(
        _records(2),
        column_order=["name", ("size", "w")],
        column_args={"name": {"headerName": "Name", "width": 200}},
        height="auto",
    )
    session.flush()
    node = _table(session)
    assert node["columns"] == [
        {"field": "name", "header": "Name", "width": 200},
        {"field": "size.w", "header": "size.w"},
    ]
    assert node["height"] == "auto"


def test_bad_input(session: FakeSession) -> None:
    with pytest.raises(ValueError, match="column_order"):
        put_datatable([])
    with pytest.raises(TypeError, match=r"records\[1\]"):
        put_datatable([{"a": 1}, 2])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"actions\[0\]"):
        put_datatable([{"a": 1}], actions=[("x",)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="instance_id='nope'"):
        datatable_remove("nope", [1])
    put_datatable([{"a": 1}], instance_id="t")
    with pytest.raises(ValueError, match="field needs row_id"):
        datatable_update("t", 1, field="a")
    with pytest.raises(KeyError, match="row_id=7"):
        datatable_remove("t", 7)


def test_protocol_fixtures_apply_to_the_mirror(session: FakeSession) -> None:
    from pywebio_nb._hosts.fake import Mirror

    mirror = Mirror(
        {
            "seq": 0,
            "root": {
                "id": 1,
                "type": "scope",
                "children": [
                    {"id": 7, "type": "progressbar", "name": "p", "value": 0},
                    {"id": 9, "type": "datatable", "columns": [], "total": 1_000_000, "version": 2},
                ],
            },
        }
    )
    commands = [
        json.loads((FIXTURES / f"command-{name}.json").read_text())
        for name in ("progress", "rows", "rows_changed")
    ]
    mirror.apply(1, commands)
    assert mirror.nodes[7]["value"] == 0.5 and mirror.nodes[7]["label"] == "Half way"
    assert mirror.nodes[9]["total"] == 999_998
    event = json.loads((FIXTURES / "event-rows.json").read_text())
    assert set(event) == {"kind", "id", "start", "count"}


def test_removed_table_stops_serving_rows(session: FakeSession) -> None:
    from pywebio_nb.output import clear

    put_datatable(_records(10))
    session.flush()
    node_id = _table(session)["id"]
    assert node_id in session.row_sources
    clear()
    assert node_id not in session.row_sources


def test_changing_a_rows_id_field_reindexes_it(session: FakeSession) -> None:
    put_datatable(_records(3), id_field="id", instance_id="t")
    datatable_update("t", 30, row_id=2, field="id")
    datatable_update("t", "thirty", row_id=30, field="name")
    datatable_update("t", {"id": 10, "name": "ten"}, row_id=1)
    datatable_remove("t", [10])
    session.flush()
    node_id = _table(session)["id"]
    session.answer_rows(session.root, {"kind": "rows", "id": node_id, "start": 0, "count": 5})
    rows = session.mirror.rows[node_id]
    assert [rows[i][0] for i in range(2)] == [0, 30]
    assert rows[1][1][1] == "thirty"
    with pytest.raises(KeyError, match="row_id=2"):
        datatable_update("t", 1, row_id=2, field="name")


def test_default_ids_stay_with_their_rows_through_inserts_and_removals(
    session: FakeSession,
) -> None:
    put_datatable([{"name": n} for n in "abcd"], instance_id="plain")
    session.flush()
    node_id = _table(session)["id"]

    def shown() -> list[tuple[object, object]]:
        session.answer_rows(session.root, {"kind": "rows", "id": node_id, "start": 0, "count": 9})
        rows = session.mirror.rows[node_id]
        return [rows[i] for i in sorted(rows)]

    assert shown() == [(0, ["a"]), (1, ["b"]), (2, ["c"]), (3, ["d"])]
    datatable_insert("plain", [{"name": "z"}], row_id=1)
    datatable_remove("plain", 2)
    datatable_update("plain", {"name": "D"}, row_id=3)
    assert shown() == [(0, ["a"]), (4, ["z"]), (1, ["b"]), (3, ["D"])]
