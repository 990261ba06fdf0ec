"""What a person sees and clicks: pywebio_nb output in real JupyterLab cells."""

from __future__ import annotations

from jupyter_harness import NotebookFactory
from playwright.sync_api import expect

IMPORT = "from pywebio_nb.output import *"

XSS_PAYLOADS = [
    '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
    "<script>window.__xss=(window.__xss||0)+1</script>",
    '<svg onload="window.__xss=(window.__xss||0)+1"></svg>',
    '"><iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<a href="javascript:window.__xss=1">link</a>',
    '<details open ontoggle="window.__xss=(window.__xss||0)+1">',
]


def test_outputs_render_in_the_cell_that_ran_them(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORT,
            "put_text('hello notebook')\nput_markdown('## A heading\\n*emphasis*')\n"
            "put_code('x = 1', language='python')\nput_link('docs', url='https://example.org')",
            "put_table([['Name', 'Score'], ['Ada', 36], ['Bob', put_text('n/a')]])",
        ]
    )
    lab.run_all()
    first = lab.output(1)
    expect(first.get_by_text("hello notebook")).to_be_visible()
    expect(first.get_by_role("heading", name="A heading")).to_be_visible()
    expect(first.locator("em")).to_have_text("emphasis")
    expect(first.get_by_role("link", name="docs")).to_have_attribute("href", "https://example.org")
    expect(first.locator("code.language-python")).to_contain_text("x = 1")
    table = lab.output(2).get_by_role("table")
    expect(table.get_by_role("columnheader")).to_have_text(["Name", "Score"])
    expect(table.get_by_role("cell")).to_have_text(["Ada", "36", "Bob", "n/a"])
    expect(lab.output(1)).not_to_contain_text("Ada")
    # Two cells, two widgets: the renderer module is compiled once for the page.
    loaded = lab.page.evaluate(
        "() => Object.keys(globalThis).filter((k) => k.startsWith('__pywebio_nb_widget_'))"
    )
    assert len(loaded) == 1


def test_button_click_shows_callback_output_in_its_own_cell(
    jupyterlab_notebook: NotebookFactory,
) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORT,
            "def clicked(value):\n    print('printed by', value)\n    put_text('clicked', value)\n"
            "put_buttons(['Alpha', 'Beta'], onclick=clicked)",
            "put_text('second cell')",
        ]
    )
    lab.run_all()
    lab.output(1).get_by_role("button", name="Beta").click()
    expect(lab.output(1).get_by_text("clicked Beta")).to_be_visible()
    expect(lab.output(1).get_by_text("printed by Beta")).to_be_visible()
    expect(lab.output(2)).to_have_text("second cell")


def test_callback_exception_shows_an_error_box(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook([IMPORT, "put_button('Break', onclick=lambda: 1 / 0)"])
    lab.run_all()
    lab.output(1).get_by_role("button", name="Break").click()
    alert = lab.output(1).get_by_role("alert")
    expect(alert).to_contain_text("ZeroDivisionError")
    expect(alert).to_contain_text("1 / 0")


def test_a_later_cell_updates_a_scope_shown_by_an_earlier_cell(
    jupyterlab_notebook: NotebookFactory,
) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORT,
            "with use_scope('log'):\n    put_text('first')",
            "put_text('second', scope='log')\nput_text('zeroth', scope='log', position=0)",
        ]
    )
    lab.run_all()
    expect(lab.output(1).locator("p.pywebio-text")).to_have_text(["zeroth", "first", "second"])
    expect(lab.output(2)).to_have_text("")


def test_user_text_never_runs_script(jupyterlab_notebook: NotebookFactory) -> None:
    payloads = repr(XSS_PAYLOADS)
    lab = jupyterlab_notebook(
        [
            IMPORT,
            f"payloads = {payloads}\n"
            "for p in payloads:\n"
            "    put_text(p)\n"
            "    put_markdown(p)\n"
            "    put_html(p, sanitize=True)\n"
            "    put_link(p, url='javascript:window.__xss=1')\n"
            "put_table([payloads, payloads])\n"
            "put_buttons(payloads, onclick=lambda v: None)\n"
            "put_text('rendered all')",
        ]
    )
    lab.run_all()
    output = lab.output(1)
    expect(output.get_by_text("rendered all")).to_be_visible()
    for link in output.get_by_role("link").all():
        link.click()  # a javascript: link would run in this page; ours go to "#"
    root = output.locator(".pywebio-root")
    handlers = root.evaluate(
        "el => [...el.querySelectorAll('*')].flatMap(n => [...n.attributes]"
        ".filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))"
        ".map(a => n.tagName + ' ' + a.name))"
    )
    assert handlers == []
    assert root.evaluate("el => el.querySelectorAll('script, iframe').length") == 0
    assert lab.page.evaluate("() => window.__xss") is None
    expect(output.locator("p.pywebio-text").first).to_have_text(XSS_PAYLOADS[0])


def test_screenshots_in_light_and_dark_theme(jupyterlab_notebook: NotebookFactory) -> None:
    lab = jupyterlab_notebook(
        [
            IMPORT,
            "put_markdown('# Theme check\\nText, `code`, a table and buttons:')\n"
            "put_table([['a', 'b'], [1, 2]])\n"
            "put_buttons(['Primary', {'label': 'Danger', 'value': 1, 'color': 'danger'}],"
            " onclick=print)\nput_code('print(1)', language='python')",
        ]
    )
    lab.run_all()
    root = lab.output(1).locator(".pywebio-root")
    expect(root.get_by_role("button", name="Danger")).to_be_visible()
    light_text = root.evaluate("el => getComputedStyle(el).color")
    lab.screenshot("outputs-light")
    lab.set_theme("dark")
    expect(lab.page.locator("body")).to_have_attribute("data-jp-theme-light", "false")
    dark_text = root.evaluate("el => getComputedStyle(el).color")
    lab.screenshot("outputs-dark")
    assert light_text != dark_text, "text colour should follow JupyterLab's theme"
