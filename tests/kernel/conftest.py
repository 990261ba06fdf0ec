from __future__ import annotations

from collections.abc import Iterator

import pytest

from .frontend import Frontend
from .kernel_harness import KernelPython, kernel_pythons


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/kernel/" in str(item.fspath):
            item.add_marker(pytest.mark.kernel)


@pytest.fixture(params=kernel_pythons(), ids=lambda kp: f"ipykernel-{kp.label}")
def nb(request: pytest.FixtureRequest) -> Iterator[Frontend]:
    """A fresh kernel (one per python of the kernel matrix) with a scripted frontend attached."""
    kernel: KernelPython = request.param
    frontend = Frontend(python=kernel.python)
    if kernel.from_env:
        check = frontend.execute(
            f"import ipykernel\nassert ipykernel.__version__ == {kernel.label!r}"
        )
        assert not check.errors, f"the kernel does not run ipykernel {kernel.label}: {check.errors}"
    frontend.execute("from pywebio_nb.output import *")
    try:
        yield frontend
    finally:
        frontend.close()
