"""``run_event_loop``: PyWebIO's asyncio loop thread for coroutine apps under WSGI frameworks."""

from __future__ import annotations

import asyncio

__all__ = ["run_event_loop"]


def run_event_loop(debug: bool = False) -> None:
    """Run an asyncio event loop in the calling thread, forever (it does not return).

    PyWebIO needs it for coroutine apps under Flask or Django:
    ``threading.Thread(target=run_event_loop, daemon=True).start()``. pywebio_nb's hosts run
    coroutine apps on a loop of their own, so programs that start it keep working and need
    not: the loop is idle unless the program schedules work on it.

    Args:
        debug: asyncio's debug mode for the loop.

    Example:
        >>> import threading
        >>> threading.Thread(target=run_event_loop, daemon=True).start()  # doctest: +SKIP
    """
    loop = asyncio.new_event_loop()
    loop.set_debug(bool(debug))
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        loop.close()
