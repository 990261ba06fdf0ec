"""A session-mode dashboard (cells run in the server, a thread per visitor), in Chromium.

The visitor sees Markdown, a table, an object's HTML display and its printed text, answers the
question in a form and clicks a button — as in a kernel-mode dashboard, never the code.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_webio_pages import WebIOServer, webio_server

pytestmark = pytest.mark.browser
__all__ = ["webio_server"]  # the server fixture, used by the tests below

CELLS = [
    ("markdown", "# Light desk\n\nServed **without** a kernel."),
    (
        "code",
        "from pywebio_nb.input import input\n"
        "from pywebio_nb.output import put_buttons, put_table, put_text\n"
        "put_table([['Month', 'Units'], ['May', 160], ['June', 172]])",
    ),
    (
        "code",
        "class Summary:\n"
        "    def _repr_html_(self):\n"
        "        return '<p>Best month: <strong>June</strong></p>'\n"
        "print('printed for the visitor')\n"
        "Summary()",
    ),
    ("code", "name = input('Your name?')\nput_text(f'Welcome, {name}')"),
    (
        "code",
        "clicks = 0\n"
        "def refresh(_value):\n"
        "    global clicks\n"
        "    clicks += 1\n"
        "    put_text(f'Refreshed {clicks} time(s) for {name}')\n"
        "put_buttons(['Refresh'], onclick=refresh)",
    ),
]


def light_notebook() -> str:
    cells: list[dict[str, Any]] = [
        {
            "cell_type": kind,
            "id": f"c{index}",
            "metadata": {},
            "source": source,
            **({"outputs": [], "execution_count": None} if kind == "code" else {}),
        }
        for index, (kind, source) in enumerate(CELLS)
    ]
    metadata = {"pywebio_nb": {"dashboard_mode": "session"}}
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells})


@pytest.fixture(scope="module")
def webio_apps() -> dict[str, str]:
    return {"light.ipynb": light_notebook()}


def test_a_visitor_of_a_session_mode_dashboard_sees_answers_and_clicks(
    page: Page, webio_server: WebIOServer
) -> None:
    page.goto(webio_server.app_url("light.ipynb"))
    expect(page.get_by_role("heading", name="Light desk")).to_be_visible()
    expect(page.get_by_role("cell", name="160", exact=True)).to_be_visible()
    expect(page.get_by_text("Best month:")).to_be_visible()
    expect(page.get_by_text("printed for the visitor")).to_be_visible()
    expect(page.get_by_text("put_table")).to_have_count(0)  # code is never shown
    name = page.get_by_label("Your name?")
    expect(name).to_be_visible()
    name.fill("Ada")
    name.press("Enter")
    expect(page.get_by_text("Welcome, Ada")).to_be_visible()
    page.get_by_role("button", name="Refresh").click()
    expect(page.get_by_text("Refreshed 1 time(s) for Ada")).to_be_visible()
    page.get_by_role("button", name="Refresh").click()
    expect(page.get_by_text("Refreshed 2 time(s) for Ada")).to_be_visible()
