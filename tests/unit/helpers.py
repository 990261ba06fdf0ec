"""Helpers for unit tests: the mirror invariant and small tree queries."""

from __future__ import annotations

import json
from typing import Any

from pywebio_nb._core.waiting import Mailbox
from pywebio_nb._hosts.fake import FakeSession, find_nodes


class AnswerBox(Mailbox):
    """The app host's former ``AnswerBox`` calls, over the one ``Mailbox`` that replaced it."""

    def get(self, timeout: float | None = None) -> Any:
        """Block this thread until an event arrives (or the box closes), and return it."""
        with self.condition:
            if not self.condition.wait_for(self.ready, timeout):
                raise TimeoutError("no answer from the browser")
        return self.take()

    async def get_async(self) -> Any:
        """Wait on the running event loop until an event arrives, and return it."""
        while not self.ready():
            await self.future()
        return self.take()


def assert_mirror_matches(session: FakeSession) -> None:
    """What the browser shows equals the Python tree, as a snapshot would send it."""
    snapshot = json.loads(session.snapshot(session.root))
    assert session.mirror.seq == snapshot["seq"]
    assert session.mirror.tree == snapshot["root"]


def ops(commands: list[dict[str, Any]]) -> list[str]:
    """The op names of a list of commands."""
    return [command["op"] for command in commands]


def root_children(session: FakeSession) -> list[dict[str, Any]]:
    """The nodes the browser shows at the top level, after sending what is queued."""
    session.flush()
    children: list[dict[str, Any]] = session.mirror.tree["children"]
    return children


def find(tree: Any, **match: Any) -> list[dict[str, Any]]:
    """Every node in a tree whose keys equal ``match``, in document order."""
    return find_nodes(tree, **match)
