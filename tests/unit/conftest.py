"""Fixtures for the unit tier: a FakeSession per test, checked against its mirror at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb._hosts.fake import find_nodes as _find

from .helpers import assert_mirror_matches


@pytest.fixture
def session() -> Iterator[FakeSession]:
    """The current session for the test; at teardown the mirror must equal the snapshot."""
    with FakeSession() as fake:
        yield fake
        assert_mirror_matches(fake)


@pytest.fixture
def find() -> object:
    """``find(tree, type)``: every node of a type inside a spec tree, in document order."""
    return find_nodes


def find_nodes(tree: object, type_: str) -> list[dict]:
    """Every node of a type inside a spec tree, in document order."""
    return _find(tree, type=type_)
