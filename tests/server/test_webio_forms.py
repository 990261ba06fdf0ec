"""Forms on /webio/ over a real WebSocket: uploads in binary frames, hostile values, bad frames."""

from __future__ import annotations

import hashlib
import logging
import textwrap
from pathlib import Path
from typing import Any

import pytest
from webio_client import Page

pytestmark = pytest.mark.server

FORM_APPS = {
    "upload_thread.py": """
        import hashlib
        from pywebio_nb.input import file_upload
        from pywebio_nb.output import put_text

        def main():
            f = file_upload("Attachment")
            put_text(f"got {f['size']} bytes {hashlib.sha256(f['content']).hexdigest()}")
    """,
    "upload_coroutine.py": """
        import hashlib
        from pywebio_nb.input import file_upload
        from pywebio_nb.output import put_text

        async def main():
            f = await file_upload("Attachment")
            put_text(f"got {f['size']} bytes {hashlib.sha256(f['content']).hexdigest()}")
    """,
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
@pytest.mark.parametrize("app", ["upload_thread", "upload_coroutine"])
@pytest.mark.parametrize("size", [100, 2_500_000], ids=["100B", "2.5MB"])
async def test_an_upload_arrives_in_binary_frames(open_page: Any, app: str, size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    page, form = await open_form(open_page, app)
    descriptors = page.upload(form["id"], "data", [data])
    page.send(
        {"kind": "input", "id": form["id"], "event": "submit", "values": {"data": descriptors}}
    )
    await page.wait_text(f"got {size} bytes {hashlib.sha256(data).hexdigest()}")
    assert field_error(page) is None


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


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x00\x00", "a binary frame of 2 bytes has no header length"),
        (b"\x00\x00\x00\x05{}", "says its header has 5 bytes, but only 2 bytes follow"),
        (b"\x00\x00\x00\x03{x}payload", "the header of a binary frame is not JSON"),
        (b"\x00\x00\x00\x02[]", "the header of a binary frame is not an event object"),
    ],
    ids=["short", "past-the-end", "bad-json", "not-an-object"],
)
async def test_a_malformed_binary_frame_closes_only_that_connection(
    open_page: Any, caplog: pytest.LogCaptureFixture, data: bytes, reason: str
) -> None:
    bad = await open_page("hello")
    good = await open_page("hello")
    await bad.wait_text("hello from a thread app")
    await good.until(lambda _m: any(n["type"] == "buttons" for n in good.nodes()))
    bad.ws.write_message(data, binary=True)
    assert await bad.closed() == 1007
    assert reason in bad.ws.close_reason
    cb = next(n["cb"] for n in good.nodes() if n["type"] == "buttons")
    good.send({"kind": "callback", "cb": cb, "value": 0})
    await good.wait_text("clicked go")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, '{"kind": "callback", "cb": ' + "7" * 5000 + "}"],
    ids=["nested-too-deep", "5000-digit-literal"],
)
async def test_a_text_frame_python_cannot_read_closes_the_connection(
    open_page: Any, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    page = await open_page("hello")
    await page.wait_text("hello from a thread app")
    page.ws.write_message(text)
    assert await page.closed() == 1003
    assert page.ws.close_reason == "a message from the page is not JSON"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
