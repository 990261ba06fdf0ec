"""Test-only helpers around the notebook shell pump, imported by code run inside a test kernel.

The kernel harness puts the repository's root on the kernel's ``PYTHONPATH``, so a cell can
``from tests.kernel.pump_probe import pump_available, wait_future``. Neither is used by the
package: a notebook session finds out whether it can block when it first waits, and awaits
through ``Session.block_until_async``.
"""

from __future__ import annotations

import asyncio
from typing import TypeVar

from pywebio_nb._hosts.notebook._pump import (
    AcceptComm,
    CommPeek,
    PumpUnavailable,
    _ActiveWait,
    _enter_checks,
    _ShellPump,
)
from pywebio_nb._hosts.notebook._pump_compat import locate_shell

_T = TypeVar("_T")


def pump_available() -> bool:
    """Tell whether a cell in this process can block with ``wait_until`` (no side effects).

    Example:
        >>> pump_available()  # outside a kernel
        False
    """
    try:
        locate_shell()
    except PumpUnavailable:
        return False
    return True


def _accept_every_comm(peek: CommPeek) -> bool:
    return True


async def wait_future(fut: asyncio.Future[_T], *, accept: AcceptComm | None = None) -> _T:
    """Await ``fut`` in a top-level async cell while comm messages are still handled.

    Below ipykernel 7.4 no shell message is handled while an async cell awaits, so this
    installs the pump for the duration of the await (driven by the running event loop); from
    7.4 the kernel dispatches comm messages itself and this is a plain ``await``. ``accept``
    picks the comm messages to handle (None: every comm, as ipykernel 7.4 does).

    Example:
        In an async notebook cell, with ``widget`` shown by the cell:

        >>> loop = asyncio.get_running_loop()  # doctest: +SKIP
        >>> fut = loop.create_future()  # doctest: +SKIP
        >>> widget.on_msg(lambda w, content, buffers: loop.call_soon_threadsafe(  # doctest: +SKIP
        ...     fut.set_result, content))
        >>> answer = await wait_future(fut)  # doctest: +SKIP
    """
    if fut.done():
        return fut.result()
    shell = _enter_checks("wait_future")
    if shell.native_async_comms:
        return await fut
    with _ActiveWait(_ShellPump(shell, accept or _accept_every_comm)) as pump:
        pump.install()
        try:
            return await fut
        finally:
            pump.uninstall()
