"""The PyWebIO 1.8.4 server under test: ``python pywebio_server.py thread|coroutine PORT``.

Runs in the PyWebIO venv (not type-checked here: PyWebIO ships no types). One app, ``main``: a
text, a button whose callback adds ``clicked-N``, then it blocks in ``input()``.
"""

import sys

from pywebio import start_server
from pywebio.input import input as pw_input
from pywebio.output import put_buttons, put_text


def _show():
    clicks = [0]

    def clicked(_value):
        clicks[0] += 1
        put_text(f"clicked-{clicks[0]}")

    put_text("hello-output")
    put_buttons(["Click"], onclick=clicked)


def thread_main():
    _show()
    pw_input("name")


async def coroutine_main():
    _show()
    await pw_input("name")


if __name__ == "__main__":
    kind, port = sys.argv[1], int(sys.argv[2])
    app = thread_main if kind == "thread" else coroutine_main
    start_server({"main": app}, port=port, host="127.0.0.1", cdn=False)
