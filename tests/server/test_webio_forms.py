"""Forms on /webio/ over a real WebSocket: hostile values end as field errors."""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path
from typing import Any

import pytest
from webio_client import Page

pytestmark = pytest.mark.server

FORM_APPS = {
    "age.py": """
        from pywebio_nb.input import NUMBER, input
        from pywebio_nb.output import put_text

        def main():
            put_text(f"age {input('Age?', type=NUMBER) + 1}")
    """,
}


@pytest.fixture
def form_apps(jp_root_dir: Path) -> None:
    for name, source in FORM_APPS.items():
        (jp_root_dir / name).write_text(textwrap.dedent(source))


def field_error(page: Page) -> str | None:
    """The last ``invalid`` message a field got, if any."""
    found = None
    for message in page.messages:
        if message.get("kind") == "batch":
            for command in message["payload"]:
                if command["op"] == "update" and command["attrs"].get("invalid"):
                    found = command["attrs"]["invalid"]
    return found


async def open_form(open_page: Any, app: str) -> tuple[Page, dict[str, Any]]:
    page = await open_page(app)
    await page.until(lambda _m: page.form() is not None)
    form = page.form()
    assert form is not None
    return page, form


@pytest.mark.usefixtures("form_apps")
async def test_a_5000_digit_number_is_a_field_error_and_the_form_still_answers(
    open_page: Any, caplog: pytest.LogCaptureFixture
) -> None:
    page, form = await open_form(open_page, "age")
    submit = {"kind": "input", "id": form["id"], "event": "submit"}
    page.send({**submit, "values": {"data": "9" * 5000}})
    await page.until(lambda _m: field_error(page) is not None)
    assert field_error(page) == "Please enter an integer of at most 4300 digits."
    assert page.form() is not None
    page.send({**submit, "values": {"data": "41"}})
    await page.wait_text("age 42")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
