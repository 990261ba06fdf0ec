"""Sending: puts are batched, flushed by the background flusher, and re-encoded while unsent."""

from __future__ import annotations

import contextvars
import json
import threading
import time

from pywebio_nb._core.document import Root
from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import put_scope, put_table, put_text

from .helpers import assert_mirror_matches, ops


def wait_for(predicate: object, timeout: float = 5.0) -> bool:
    """Poll ``predicate()`` until it is true or ``timeout`` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.005)
    return False


def test_many_puts_while_the_session_is_busy_go_out_as_one_batch(session: FakeSession) -> None:
    with session.lock:  # the flusher cannot take a batch before the loop ends
        for number in range(200):
            put_text(number)
    session.flush()
    assert len(session.batches) == 1
    seq, commands = session.batches[0]
    assert seq == 1
    assert ops(commands) == ["put"] * 200
    assert session.mirror.texts() == [str(n) for n in range(200)]


def test_a_loop_of_puts_costs_far_fewer_messages_than_puts(session: FakeSession) -> None:
    for number in range(500):
        put_text(number)
    session.flush()
    assert len(session.batches) < 50
    assert session.mirror.texts() == [str(n) for n in range(500)]


def test_a_lone_put_is_sent_without_flush_before_a_long_computation(
    session: FakeSession,
) -> None:
    put_text("working…")
    # No flush: the background flusher must send it while this thread "computes".
    assert wait_for(lambda: session.mirror.texts() == ["working…"])
    assert session.batches[0][1][0]["node"]["text"] == "working…"


class _CountingSession(FakeSession):
    """Delivers as fast as a kernel's comm does: it only counts what it is sent."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[int] = []

    def deliver(self, root: Root, seq: int, payload: bytes) -> None:
        self.sent.append(payload.count(b'"op":'))


def test_output_that_keeps_coming_goes_out_in_few_large_batches() -> None:
    # A loop that puts for 0.3 s and never flushes itself: a batch every 4 ms would be ~60.
    with _CountingSession() as session:
        count = 0
        deadline = time.monotonic() + 0.3
        while time.monotonic() < deadline:
            put_text(count)
            count += 1
        session.flush()
    assert sum(session.sent) == count
    assert len(session.sent) < 20, f"{len(session.sent)} batches for one loop"


def test_the_flush_wait_grows_while_output_keeps_coming_and_resets_after_a_pause() -> None:
    session = FakeSession()
    waits = []
    now = 0.0
    for _ in range(8):  # each put arrives right after the previous flush
        waits.append(session.next_flush_wait(now, 0.004, 0.1))
        now += waits[-1]
        session._flushed_at = now
    assert waits == [0.004, 0.008, 0.016, 0.032, 0.064, 0.1, 0.1, 0.1]
    # a put that comes later than the last wait after the flush: output had paused
    assert session.next_flush_wait(now + 0.2, 0.004, 0.1) == 0.004
    # one line every 30 ms: each goes out 4 ms after its put
    now += 0.2
    for _ in range(3):
        session._flushed_at = now + 0.004
        now += 0.03
        assert session.next_flush_wait(now, 0.004, 0.1) == 0.004


def test_puts_from_a_thread_are_flushed_by_the_background_flusher(session: FakeSession) -> None:
    done = threading.Event()

    def work() -> None:
        put_text("from a thread")
        done.set()
        time.sleep(0.5)  # keep the thread busy: it never flushes itself

    context = contextvars.copy_context()
    thread = threading.Thread(target=context.run, args=(work,))
    thread.start()
    assert done.wait(5)
    assert wait_for(lambda: session.mirror.texts() == ["from a thread"])
    thread.join(5)


def test_batches_are_numbered_in_order_and_empty_flushes_send_nothing(
    session: FakeSession,
) -> None:
    session.flush()
    assert session.batches == []
    put_text("a")
    session.flush()
    session.flush()
    put_text("b")
    session.flush()
    assert [seq for seq, _ in session.batches] == [1, 2]


def test_style_before_flush_re_encodes_the_put(session: FakeSession) -> None:
    put_text("hot").style("color: red")
    commands = session.commands()
    assert ops(commands) == ["put"]
    assert commands[0]["node"]["style"] == "color: red"


def test_style_after_flush_sends_an_update(session: FakeSession) -> None:
    out = put_text("hot")
    session.flush()
    out.style("color: red")
    out.style("font-weight: bold")
    commands = session.commands()
    assert ops(commands) == ["put", "update", "update"]
    assert "style" not in commands[0]["node"]
    assert commands[2] == {
        "op": "update",
        "id": out.id,
        "attrs": {"style": "color: red;font-weight: bold"},
    }
    assert session.mirror.nodes[out.id]["style"] == "color: red;font-weight: bold"


def test_style_on_an_earlier_unsent_put_keeps_the_browser_order(session: FakeSession) -> None:
    put_text("a")
    put_text("b")
    session.flush()
    x = put_text("x", position=0)
    put_text("y", position=0)
    x.style("color: red")
    assert_mirror_matches(session)
    assert session.mirror.texts() == ["y", "x", "a", "b"]


def test_style_after_an_earlier_sibling_was_removed_keeps_the_browser_order(
    session: FakeSession,
) -> None:
    a = put_text("a")
    put_text("b")
    session.flush()
    x = put_text("x")
    session.remove(a)
    x.style("color: red")
    assert_mirror_matches(session)
    assert session.mirror.texts() == ["b", "x"]


def test_style_on_a_scope_with_later_content_does_not_duplicate_it(
    session: FakeSession,
) -> None:
    box = put_scope("box")
    put_text("x", scope="box")
    box.style("border: 1px solid")
    assert_mirror_matches(session)
    assert session.mirror.texts() == ["x"]


def test_style_on_a_table_holding_a_scope_does_not_duplicate_its_content(
    session: FakeSession,
) -> None:
    table = put_table([[put_scope("cell")]])
    put_text("x", scope="cell")
    table.style("width: 50%")
    assert_mirror_matches(session)
    assert session.mirror.texts() == ["x"]


def test_onclick_before_flush_is_part_of_the_put(session: FakeSession) -> None:
    clicks: list[str] = []
    out = put_text("press").onclick(lambda: clicks.append("pressed"))
    commands = session.commands()
    assert ops(commands) == ["put"]
    callback_id = commands[0]["node"]["click"]
    assert session.mirror.nodes[out.id]["click"] == callback_id
    session.callbacks[callback_id][0](None)
    assert clicks == ["pressed"]


def test_onclick_after_flush_sends_an_update_with_the_callback_id(session: FakeSession) -> None:
    clicks: list[int] = []
    out = put_text("press")
    session.flush()
    out.onclick(lambda: clicks.append(1))
    commands = session.commands()
    assert ops(commands) == ["put", "update"]
    callback_id = commands[1]["attrs"]["click"]
    assert session.mirror.nodes[out.id]["click"] == callback_id
    session.callbacks[callback_id][0](None)
    assert clicks == [1]


def test_snapshot_sends_queued_commands_first_and_carries_their_seq(
    session: FakeSession,
) -> None:
    put_text("queued")
    snapshot = json.loads(session.snapshot(session.root))
    assert snapshot["kind"] == "snapshot"
    assert snapshot["seq"] == 1
    assert session.batches[0][0] == 1
    assert [child["text"] for child in snapshot["root"]["children"]] == ["queued"]
