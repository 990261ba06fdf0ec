from __future__ import annotations

from collections.abc import Iterator

import pytest

from .frontend import Frontend


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/kernel/" in str(item.fspath):
            item.add_marker(pytest.mark.kernel)


@pytest.fixture
def nb() -> Iterator[Frontend]:
    """A fresh kernel with a scripted notebook frontend attached."""
    frontend = Frontend()
    frontend.execute("from pywebio_nb.output import *")
    try:
        yield frontend
    finally:
        frontend.close()
