"""Helpers for unit tests: the mirror invariant and small tree queries."""

from __future__ import annotations

import json
from typing import Any

from pywebio_nb._hosts.fake import FakeSession, find_nodes


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
