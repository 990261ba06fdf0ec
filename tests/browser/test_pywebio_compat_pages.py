"""PyWebIO programs on /webio/ pages behave as they do under PyWebIO (issue 12).

The server is the one of ``test_webio_pages`` serving this module's apps; the browser finds
everything by role, label and visible text.
"""

from __future__ import annotations

import pytest
import test_webio_pages
from playwright.sync_api import Page, expect
from test_webio_pages import WebIOServer

pytestmark = pytest.mark.browser

#: The /webio/ server fixture, serving the apps of this module's ``webio_apps``.
webio_server = test_webio_pages.webio_server

COMPAT_APPS = {
    "image.py": """
        from pywebio_nb.output import put_image, put_text

        # A 1x1 PNG.
        PIXEL = bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
        )

        def main():
            put_image(PIXEL, title="Company logo", width="40px").onclick(
                lambda: put_text("logo clicked"))
            put_image(PIXEL, title="Plain picture", width="40px")
    """,
    "pins.py": """
        from pywebio_nb.output import put_text
        from pywebio_nb.pin import (
            pin_on_change, put_checkbox, put_input, put_radio, put_select, put_slider, put_textarea,
        )

        def main():
            put_select("fruit", options=["apple", "pear", "plum"], label="Fruit")
            put_checkbox("extras", options=["nuts", "cream"], label="Extras")
            put_radio("size", options=["small", "large"], label="Size")
            put_slider("amount", label="Amount", value=3, max_value=10)
            put_input("note", label="Note")
            put_textarea("letter", label="Letter")
            for name in ("fruit", "extras", "size", "amount", "note", "letter"):
                pin_on_change(name, lambda value, name=name: put_text(f"{name} -> {value}"))
            put_text("pins ready")
    """,
    "apins.py": """
        from pywebio_nb.output import put_buttons, put_text
        from pywebio_nb.pin import pin, pin_on_change, put_input, put_select

        async def main():
            put_input("who", label="Who", value="Ada")
            put_text("pin says " + str(await pin.who))
            put_select("colour", options=["red", "blue"], label="Colour")

            async def changed(value):
                put_text(f"colour -> {value}; pin.who is {await pin.who}")

            pin_on_change("colour", onchange=changed)

            async def read(_value):
                put_text("button read " + str(await pin["who"]))

            put_buttons(["Read"], onclick=read)
    """,
    "modes.py": """
        from pywebio_nb.input import textarea
        from pywebio_nb.output import put_text

        def main():
            md = textarea("Notes", code={"mode": "markdown", "lineWrapping": True},
                          value="# Title\\n[link](https://example.org)")
            put_text("markdown " + repr(md))
            other = textarea("Program", code={"mode": "cobol"}, value="DISPLAY 'HI'.")
            put_text("cobol " + repr(other))
    """,
}


@pytest.fixture(scope="module")
def webio_apps() -> dict[str, str]:
    return COMPAT_APPS


def test_an_image_is_found_and_clicked_by_its_title(page: Page, webio_server: WebIOServer) -> None:
    page.goto(webio_server.app_url("image"))
    expect(page.get_by_role("img", name="Plain picture")).to_be_visible()
    logo = page.get_by_role("img", name="Company logo")
    expect(logo).to_have_attribute("title", "Company logo")
    logo.click()
    expect(page.get_by_text("logo clicked")).to_be_visible()


def test_pin_on_change_fires_for_every_pin_kind(page: Page, webio_server: WebIOServer) -> None:
    page.goto(webio_server.app_url("pins"))
    expect(page.get_by_text("pins ready")).to_be_visible()
    page.get_by_label("Fruit").select_option(label="pear")
    expect(page.get_by_text("fruit -> pear")).to_be_visible()
    page.get_by_label("cream").check()
    expect(page.get_by_text("extras -> ['cream']")).to_be_visible()
    page.get_by_label("large").check()
    expect(page.get_by_text("size -> large")).to_be_visible()
    slider = page.get_by_label("Amount")
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("amount -> 4")).to_be_visible()
    page.get_by_label("Note").fill("hi")
    page.get_by_label("Note").blur()
    expect(page.get_by_text("note -> hi")).to_be_visible()
    page.get_by_label("Letter").fill("dear")
    page.get_by_label("Letter").blur()
    expect(page.get_by_text("letter -> dear")).to_be_visible()


def test_await_pin_in_a_coroutine_app(page: Page, webio_server: WebIOServer) -> None:
    page.goto(webio_server.app_url("apins"))
    expect(page.get_by_text("pin says Ada")).to_be_visible()
    page.get_by_label("Who").fill("Grace")
    page.get_by_label("Colour").select_option(label="blue")
    expect(page.get_by_text("colour -> blue; pin.who is Grace")).to_be_visible()
    page.get_by_role("button", name="Read").click()
    expect(page.get_by_text("button read Grace")).to_be_visible()


def test_textarea_takes_codemirror_mode_names(page: Page, webio_server: WebIOServer) -> None:
    page.goto(webio_server.app_url("modes"))
    notes = page.get_by_role("textbox", name="Notes")
    expect(notes).to_be_visible()
    # Highlighted: the heading is a styled token, not bare text.
    expect(notes.locator(".cm-line").first.locator("span")).not_to_have_count(0)
    notes.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("!")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("markdown '# Title\\n[link](https://example.org)!'")).to_be_visible()
    program = page.get_by_role("textbox", name="Program")
    expect(program).to_contain_text("DISPLAY 'HI'.")  # a mode without highlighting: plain
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("cobol \"DISPLAY 'HI'.\"")).to_be_visible()
