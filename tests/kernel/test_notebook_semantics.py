"""The notebook semantics of DESIGN.md, in a real kernel driven like JupyterLab drives it."""

from __future__ import annotations

import time

from .frontend import Frontend


def only_root(nb: Frontend, code: str, cell_id: str | None = None) -> str:
    cell = nb.execute(code, cell_id=cell_id)
    assert not cell.errors, cell.errors
    assert len(cell.roots) == 1, f"expected one root view for the cell, got {cell.roots}"
    return cell.roots[0]


def test_put_text_renders_in_its_cell_without_show(nb: Frontend) -> None:
    root = only_root(nb, "put_text('hello')")
    assert nb.texts(root) == ["hello"]


def test_later_outputs_of_a_cell_share_its_root_view(nb: Frontend) -> None:
    cell = nb.execute("put_text('a')\nput_markdown('**b**')\nput_text('c')")
    assert len(cell.roots) == 1
    assert nb.texts(cell.roots[0]) == ["a", "c"]
    assert [n["md"] for n in nb.nodes(cell.roots[0], "markdown")] == ["**b**"]


def test_an_output_as_last_expression_adds_no_out_prompt(nb: Frontend) -> None:
    cell = nb.execute("put_text('tail')")
    assert nb.texts(cell.roots[0]) == ["tail"]
    results = [
        m
        for m in nb.log
        if m["msg_type"] == "execute_result" and m["parent_header"].get("msg_id") == cell.msg_id
    ]
    assert results == [], "the Output's repr should not be shown under the cell"


def test_output_shows_while_the_cell_keeps_running(nb: Frontend) -> None:
    cell = nb.execute(
        "import time\nput_text('working...')\ntime.sleep(3)\nput_text('done')", wait=False
    )
    deadline = time.monotonic() + 2.5
    seen = False
    while time.monotonic() < deadline and not seen:
        nb.pump(0.1)
        seen = bool(cell.roots) and nb.texts(cell.roots[0]) == ["working..."]
    assert seen, "the first line was not visible while the cell slept"
    assert cell.reply is None, "the cell should still be running"
    nb.wait_idle(cell)
    assert nb.texts(cell.roots[0]) == ["working...", "done"]


def test_named_scope_of_an_earlier_cell_is_updated_by_a_later_cell(nb: Frontend) -> None:
    first = only_root(nb, "with use_scope('log'):\n    put_text('one')", cell_id="c1")
    second = nb.execute(
        "put_text('two', scope='log')\nwith use_scope('log'):\n    put_text('3')", cell_id="c2"
    )
    assert not second.errors
    assert second.roots == [], "writing into another cell's scope must not display a new view"
    assert nb.texts(first) == ["one", "two", "3"]


def test_rerunning_a_cell_discards_its_root_and_scopes(nb: Frontend) -> None:
    old = only_root(nb, "with use_scope('results'):\n    put_text('v1')", cell_id="same")
    new = only_root(nb, "put_text('v2')", cell_id="same")
    assert old not in nb.mirrors, "the old root's comm should be closed"
    assert nb.texts(new) == ["v2"]
    cell = nb.execute("put_text('x', scope='results')", cell_id="other")
    assert cell.errors and "results" in cell.errors[-1]["evalue"]


def test_callback_output_lands_in_the_cell_of_the_clicked_button(nb: Frontend) -> None:
    a = only_root(
        nb, "put_buttons(['A', 'B'], onclick=lambda v: put_text('clicked', v))", cell_id="a"
    )
    b = only_root(nb, "put_text('cell b')", cell_id="b")
    button = nb.buttons(a)[0]
    nb.click(a, button["cb"], 1)
    assert nb.texts(a) == ["clicked B"]
    assert nb.texts(b) == ["cell b"]


def test_button_values_stay_in_python(nb: Frontend) -> None:
    root = only_root(
        nb,
        "class Secret:\n    pass\nvalue = Secret()\n"
        "got = []\nput_buttons([('pick', value)], onclick=got.append)",
    )
    button = nb.buttons(root)[0]
    assert button["buttons"] == [{"label": "pick"}]
    nb.click(root, button["cb"], 0)
    check = nb.execute("assert got == [value], got")
    assert not check.errors, check.errors


def test_print_and_exceptions_in_callbacks_are_shown_in_the_cell(nb: Frontend) -> None:
    root = only_root(
        nb,
        "def noisy():\n    print('hello from callback')\n    put_text('after print')\n"
        "def broken():\n    raise ValueError('boom')\n"
        "put_button('noisy', onclick=noisy)\nput_button('broken', onclick=broken)",
    )
    noisy, broken = nb.buttons(root)
    nb.click(root, noisy["cb"], 0)
    streams = nb.nodes(root, "stream")
    assert [s["text"] for s in streams] == ["hello from callback\n"]
    assert nb.texts(root) == ["after print"]
    nb.click(root, broken["cb"], 0)
    (error,) = nb.nodes(root, "error")
    assert error["title"] == "ValueError: boom"
    assert "raise ValueError('boom')" in error["traceback"]
    assert "pywebio_nb" not in error["traceback"], "our own frames should be hidden"
    # ordinary prints of the cell still go to the cell's stream
    cell = nb.execute("print('plain')")
    assert cell.streams == ["plain\n"]


def test_thread_started_in_a_cell_writes_into_that_cell(nb: Frontend) -> None:
    a = only_root(
        nb,
        "import threading, time\nput_text('start')\n"
        "def later():\n    time.sleep(1.0)\n    put_text('from thread')\n"
        "threading.Thread(target=later).start()",
        cell_id="a",
    )
    b = only_root(nb, "put_text('b')", cell_id="b")
    nb.settle(quiet=1.5)
    assert nb.texts(a) == ["start", "from thread"]
    assert nb.texts(b) == ["b"]


def test_a_thread_can_show_output_in_a_cell_without_other_output(nb: Frontend) -> None:
    cell = nb.execute(
        "import threading\nt = threading.Thread(target=lambda: put_text('only thread'))\n"
        "t.start(); t.join()"
    )
    nb.settle()
    assert len(cell.roots) == 1
    assert nb.texts(cell.roots[0]) == ["only thread"]


def test_output_stored_in_a_variable_moves_into_a_later_container(nb: Frontend) -> None:
    a = only_root(nb, "x = put_text('moving')\nput_text('stays')", cell_id="a")
    b = only_root(nb, "put_table([['cell'], [x]])", cell_id="b")
    assert nb.texts(a) == ["stays"]
    assert nb.texts(b) == ["moving"]


def test_scope_argument_accepts_stack_indices(nb: Frontend) -> None:
    root = only_root(
        nb,
        "with use_scope('outer'):\n    with use_scope('inner'):\n"
        "        put_text('current', scope=-1)\n        put_text('in root', scope=0)\n"
        "        put_text('in outer', scope=1)\n        names = [get_scope(0), get_scope()]",
    )
    tree = nb.mirrors[root].tree
    top = [c.get("text") or c.get("name") for c in tree["children"]]
    assert top == ["outer", "in root"]
    outer = tree["children"][0]
    assert [c.get("text") or c.get("name") for c in outer["children"]] == ["inner", "in outer"]
    check = nb.execute("assert names == ['ROOT', 'inner'], names")
    assert not check.errors


def test_many_lines_travel_in_few_messages(nb: Frontend) -> None:
    before = len(nb.log)
    cell = nb.execute("for i in range(20000):\n    put_text('line', i)", timeout=120)
    root = cell.roots[0]
    texts = nb.texts(root)
    assert len(texts) == 20000 and texts[-1] == "line 19999"
    batches = [
        m
        for m in nb.log[before:]
        if m["msg_type"] == "comm_msg" and m["content"]["data"].get("method") == "custom"
    ]
    assert len(batches) < 400, f"{len(batches)} messages for 20,000 lines: not batched"


def test_bad_arguments_raise_errors_naming_them(nb: Frontend) -> None:
    cases = {
        "put_text('x', scope='no-such-scope')": "no-such-scope",
        "put_text('x', scope='bad name!')": "bad name!",
        "put_text('x', position='end')": "position",
        "put_table('not rows')": "tdata",
        "put_buttons(['a'], onclick=42)": "onclick",
    }
    for code, needle in cases.items():
        cell = nb.execute(code)
        assert cell.errors, code
        assert needle in cell.errors[-1]["evalue"], (code, cell.errors[-1]["evalue"])


def test_a_view_that_missed_batches_gets_a_snapshot_and_an_up_to_date_one_does_not(
    nb: Frontend,
) -> None:
    root = only_root(nb, "put_text('one')\nput_text('two')")
    seq = nb.mirrors[root].seq
    resyncs = lambda: [  # noqa: E731
        m
        for m in nb.log
        if m["msg_type"] == "comm_msg"
        and m["content"]["data"].get("content", {}).get("kind") == "resync"
    ]
    nb.send_custom(root, {"kind": "sync", "seq": seq})
    nb.settle()
    assert resyncs() == []
    nb.send_custom(root, {"kind": "sync", "seq": 0})
    nb.settle()
    (resync,) = resyncs()
    assert b'"two"' in bytes(resync["buffers"][0])
