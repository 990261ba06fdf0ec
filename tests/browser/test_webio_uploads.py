"""Uploads on /webio/ apps in Chromium: the app gets exactly the bytes of the chosen files.

Each app shows what it received (name, size and sha256), and the test compares that with the
files it chose. The server is the one of ``test_webio_pages`` serving this module's apps.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
import test_webio_pages
from playwright.sync_api import Page, expect
from test_webio_pages import WebIOServer

pytestmark = pytest.mark.browser

#: The /webio/ server fixture, serving the apps of this module's ``webio_apps``.
webio_server = test_webio_pages.webio_server

#: An upload of several megabytes travels in 1 MiB chunks; give it time on a busy machine.
UPLOAD_TIMEOUT_MS = 120_000

UPLOAD_APPS = {
    "upload.py": """
        import hashlib
        from pywebio_nb.input import file_upload
        from pywebio_nb.output import put_text

        def main():
            f = file_upload("Attachment")
            digest = hashlib.sha256(f["content"]).hexdigest()
            put_text(f"received {f['filename']}: {f['size']} bytes, sha256 {digest}")
    """,
    "aupload.py": """
        import hashlib
        from pywebio_nb.input import file_upload
        from pywebio_nb.output import put_text

        async def main():
            f = await file_upload("Attachment")
            digest = hashlib.sha256(f["content"]).hexdigest()
            put_text(f"received {f['filename']}: {f['size']} bytes, sha256 {digest}")
    """,
    "many.py": """
        import hashlib
        from pywebio_nb.input import file_upload
        from pywebio_nb.output import put_text

        def main():
            files = file_upload("Attachments", multiple=True)
            for f in files:
                digest = hashlib.sha256(f["content"]).hexdigest()
                put_text(f"received {f['filename']}: {f['size']} bytes, sha256 {digest}")
            put_text(f"{len(files)} files in all")
    """,
    "group.py": """
        import hashlib
        from pywebio_nb.input import file_upload, input, input_group
        from pywebio_nb.output import put_text

        async def main():
            data = await input_group("Report", [
                input("Title", name="title"),
                file_upload("Data file", name="data"),
            ])
            f = data["data"]
            digest = hashlib.sha256(f["content"]).hexdigest()
            put_text(f"{data['title']} with {f['filename']}: {f['size']} bytes, sha256 {digest}")
    """,
}


@pytest.fixture(scope="module")
def webio_apps() -> dict[str, str]:
    return UPLOAD_APPS


def write_file(folder: Path, name: str, size: int) -> Path:
    """A file of ``size`` bytes: text lines for small sizes, random bytes for large ones."""
    path = folder / name
    if size <= 1000:
        path.write_bytes((b"a line of text for the upload test\n" * 30)[:size])
    else:
        path.write_bytes(random.Random(size).randbytes(size))
    return path


def expect_shown(page: Page, text: str) -> None:
    """Wait until the app shows ``text``, failing at once if the upload fails instead."""
    failed = page.get_by_role("alert").filter(has_text="Upload failed")
    expect(page.get_by_text(text).or_(failed).first).to_be_visible(timeout=UPLOAD_TIMEOUT_MS)
    expect(failed).to_have_count(0)
    expect(page.get_by_text(text)).to_be_visible()


def received(path: Path) -> str:
    """What the apps show for a file they received intact."""
    data = path.read_bytes()
    return f"{path.name}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}"


@pytest.mark.parametrize("app", ["upload", "aupload"], ids=["thread", "coroutine"])
@pytest.mark.parametrize(
    ("name", "size"), [("note.txt", 100), ("data.bin", 8 * 1024 * 1024)], ids=["100B", "8MB"]
)
def test_an_upload_reaches_the_app_byte_for_byte(
    page: Page, webio_server: WebIOServer, tmp_path: Path, app: str, name: str, size: int
) -> None:
    chosen = write_file(tmp_path, name, size)
    page.goto(webio_server.app_url(app))
    page.get_by_label("Attachment", exact=True).set_input_files(str(chosen))
    page.get_by_role("button", name="Submit").click()
    expect_shown(page, f"received {received(chosen)}")


def test_several_files_reach_the_app(page: Page, webio_server: WebIOServer, tmp_path: Path) -> None:
    chosen = [write_file(tmp_path, "small.txt", 100), write_file(tmp_path, "big.bin", 3_000_000)]
    page.goto(webio_server.app_url("many"))
    page.get_by_label("Attachments", exact=True).set_input_files([str(p) for p in chosen])
    page.get_by_role("button", name="Submit").click()
    expect_shown(page, "2 files in all")
    for path in chosen:
        expect(page.get_by_text(f"received {received(path)}")).to_be_visible()


def test_a_file_field_in_an_input_group(
    page: Page, webio_server: WebIOServer, tmp_path: Path
) -> None:
    chosen = write_file(tmp_path, "figures.bin", 1_500_000)
    page.goto(webio_server.app_url("group"))
    page.get_by_label("Title", exact=True).fill("Q3")
    page.get_by_label("Data file", exact=True).set_input_files(str(chosen))
    page.get_by_role("button", name="Submit").click()
    expect_shown(page, f"Q3 with {received(chosen)}")
