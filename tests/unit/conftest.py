from __future__ import annotations

from collections.abc import Iterator

import pytest

from pywebio_nb._fake import FakeSession


@pytest.fixture
def session() -> Iterator[FakeSession]:
    with FakeSession() as fake:
        yield fake


@pytest.fixture
def find() -> object:
    return find_nodes


def find_nodes(tree: object, type_: str) -> list[dict]:
    """Every node of a type inside a spec tree, in document order."""
    found: list[dict] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if value.get("type") == type_:
                found.append(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(tree)
    return found
