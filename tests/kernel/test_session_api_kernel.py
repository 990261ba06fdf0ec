"""The session API in notebook cells: eval_js (plain and awaited), async def callbacks."""

from __future__ import annotations

from .frontend import Frontend


def test_eval_js_in_a_cell_returns_the_pages_answer(nb: Frontend) -> None:
    nb.js_answers["window.innerWidth"] = 1234
    cell = nb.execute(
        "from pywebio_nb.session import eval_js\n"
        "width = eval_js('window.innerWidth')\n"
        "put_text(f'width={width}')"
    )
    assert not cell.errors, cell.errors
    assert nb.texts(cell.roots[0]) == ["width=1234"]
    assert [r["expression"] for r in nb.js_requests] == ["window.innerWidth"]


def test_awaited_eval_js_in_a_cell_returns_the_pages_answer(nb: Frontend) -> None:
    nb.js_answers["a + 1"] = 42
    cell = nb.execute(
        "from pywebio_nb.session import eval_js\n"
        "put_text('asking')\n"
        "value = await eval_js('a + 1', a=41)\n"
        "put_text(f'value={value}')"
    )
    assert not cell.errors, cell.errors
    assert nb.texts(cell.roots[0]) == ["asking", "value=42"]
    assert nb.js_requests[-1]["args"] == {"a": 41}


def test_eval_js_refuses_nan_as_every_host_does(nb: Frontend) -> None:
    cell = nb.execute(
        "from pywebio_nb.session import eval_js\n"
        "try:\n"
        "    eval_js('x', x=float('nan'))\n"
        "except ValueError:\n"
        "    put_text('refused')"
    )
    assert not cell.errors, cell.errors
    assert nb.texts(cell.roots[0]) == ["refused"]
    assert nb.js_requests == []


def test_async_def_callbacks_are_awaited_in_a_notebook(nb: Frontend) -> None:
    cell = nb.execute(
        "import asyncio\n"
        "async def clicked(value):\n"
        "    await asyncio.sleep(0)\n"
        "    print('printed after await')\n"
        "    put_text(f'async {value}')\n"
        "async def broken():\n"
        "    await asyncio.sleep(0)\n"
        "    raise ValueError('async boom')\n"
        "put_buttons(['A', 'B'], onclick=clicked)\n"
        "put_button('broken', onclick=broken)"
    )
    assert not cell.errors, cell.errors
    root = cell.roots[0]
    buttons, broken = nb.buttons(root)
    nb.click(root, buttons["cb"], 1)
    nb.wait_for(lambda: nb.texts(root) == ["async B"], what="the async callback's output")
    nb.wait_for(
        lambda: [s["text"] for s in nb.nodes(root, "stream")] == ["printed after await\n"],
        what="the async callback's print",
    )
    nb.click(root, broken["cb"], 0)
    (error,) = nb.wait_for(lambda: nb.nodes(root, "error"), what="the async callback's error")
    assert error["title"] == "ValueError: async boom"
    warnings = [s for s in cell.streams if "never awaited" in s]
    assert warnings == []
