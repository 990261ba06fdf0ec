"""The test double itself: what FakeSession records must be what was sent."""

from __future__ import annotations

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import put_scope, put_text


def test_recorded_commands_are_not_changed_by_later_batches(session: FakeSession) -> None:
    put_scope("box")
    session.flush()
    put_text("inside", scope="box")
    session.flush()
    first_put = session.batches[0][1][0]
    # The mirror inserted 'inside' into its copy of the scope; the record still says "empty".
    assert first_put["node"]["children"] == []
    assert session.mirror.texts() == ["inside"]
