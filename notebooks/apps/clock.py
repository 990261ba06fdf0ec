"""A coroutine app: ``async def main`` runs on the server's event loop."""

import asyncio
import time

from pywebio_nb.output import put_markdown, put_scope, put_text, use_scope
from pywebio_nb.session import run_async


async def tick():
    for _ in range(60):
        with use_scope("clock", clear=True):
            put_text(time.strftime("%H:%M:%S"))
        await asyncio.sleep(1)


async def main():
    """Clock

    A coroutine app that updates a scope every second for a minute.
    """
    put_markdown("# A clock")
    put_scope("clock")
    run_async(tick())
