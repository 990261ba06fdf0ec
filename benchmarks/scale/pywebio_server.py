"""The PyWebIO 1.8.4 server under test: ``python pywebio_server.py thread|coroutine PORT``.

Runs in the PyWebIO venv (PyWebIO ships no type hints). One app, ``main``: a
text, a button whose callback adds ``clicked-N``, then it blocks in ``input()``.
"""

from __future__ import annotations

import sys
from typing import Any

from pywebio import start_server  # type: ignore[import-not-found]
from pywebio.input import input as pw_input  # type: ignore[import-not-found]
from pywebio.output import put_buttons, put_text  # type: ignore[import-not-found]


def _show() -> None:
    clicks = [0]

    def clicked(_value: Any) -> None:
        clicks[0] += 1
        put_text(f"clicked-{clicks[0]}")

    put_text("hello-output")
    put_buttons(["Click"], onclick=clicked)


def thread_main() -> None:
    _show()
    pw_input("name")


async def coroutine_main() -> None:
    _show()
    await pw_input("name")


if __name__ == "__main__":
    kind, port = sys.argv[1], int(sys.argv[2])
    app = thread_main if kind == "thread" else coroutine_main
    start_server({"main": app}, port=port, host="127.0.0.1", cdn=False)
