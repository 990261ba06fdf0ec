"""The pywebio_nb server under test: ``python nb_server.py thread|coroutine PORT``.

One app, ``main``: a text, a button whose callback adds ``clicked-N``, then it blocks in
``input()`` (a form waiting for the visitor), like the PyWebIO apps it is compared with.
"""

from __future__ import annotations

import sys
from typing import Any

from pywebio_nb.input import input as ask
from pywebio_nb.output import put_buttons, put_text
from pywebio_nb.platform import start_server


def _show() -> None:
    clicks = [0]

    def clicked(_value: Any) -> None:
        clicks[0] += 1
        put_text(f"clicked-{clicks[0]}")

    put_text("hello-output")
    put_buttons(["Click"], onclick=clicked)


def thread_main() -> None:
    _show()
    ask("Your name")


async def coroutine_main() -> None:
    _show()
    await ask("Your name")


if __name__ == "__main__":
    kind, port = sys.argv[1], int(sys.argv[2])
    app = thread_main if kind == "thread" else coroutine_main
    start_server({"main": app}, port=port, host="127.0.0.1")
