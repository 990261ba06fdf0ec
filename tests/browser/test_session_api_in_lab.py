"""The session API in real JupyterLab cells: eval_js answered by the page, async callbacks."""

from __future__ import annotations

from jupyter_harness import NotebookFactory
from playwright.sync_api import expect

IMPORT = "from pywebio_nb.output import *\nfrom pywebio_nb.session import eval_js"


def test_eval_js_in_a_cell_plain_awaited_and_from_an_async_callback(
    jupyterlab_notebook: NotebookFactory,
) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORT,
            "put_text(f\"sum={eval_js('a + b', a=40, b=2)}\")",
            "put_text('asking')\n"
            "later = 'new Promise((done) => setTimeout(() => done(x * 2), 50))'\n"
            "value = await eval_js(later, x=21)\n"
            "put_text(f'awaited={value}')",
            "async def ask():\n"
            "    put_text(f\"from the click: {await eval_js('document.title.length > 0')}\")\n"
            "put_button('Ask the page', onclick=ask)",
        ]
    )
    lab.run_all()
    expect(lab.output(1).get_by_text("sum=42")).to_be_visible()
    expect(lab.output(2).get_by_text("awaited=42")).to_be_visible()
    lab.output(3).get_by_role("button", name="Ask the page").click()
    expect(lab.output(3).get_by_text("from the click: True")).to_be_visible()
