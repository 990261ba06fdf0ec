"""Images and file downloads."""

from __future__ import annotations

import base64
import io

from PIL import Image

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import put_file, put_image

from .helpers import root_children

PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _decode(src: str) -> tuple[str, bytes]:
    header, data = src.split(",", 1)
    assert header.endswith(";base64")
    return header[len("data:") : -len(";base64")], base64.b64decode(data)


def test_put_image_bytes_become_a_data_url_with_a_sniffed_type(session: FakeSession) -> None:
    put_image(PNG_1X1)
    put_image(b"\xff\xd8\xff\xe0rest")
    png, jpeg = root_children(session)
    assert _decode(png["src"]) == ("image/png", PNG_1X1)
    assert _decode(jpeg["src"])[0] == "image/jpeg"


def test_put_image_format_overrides_the_sniffed_type(session: FakeSession) -> None:
    put_image(PNG_1X1, format="gif")
    assert _decode(root_children(session)[0]["src"])[0] == "image/gif"


def test_put_image_pil_image_is_encoded(session: FakeSession) -> None:
    image = Image.new("RGB", (3, 2), "red")
    put_image(image, title="red")
    (node,) = root_children(session)
    mime, data = _decode(node["src"])
    assert mime == "image/png"
    decoded = Image.open(io.BytesIO(data))
    assert decoded.size == (3, 2)
    assert decoded.getpixel((0, 0)) == (255, 0, 0)
    assert node["title"] == "red"


def test_put_image_pil_jpeg_keeps_its_format(session: FakeSession) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "blue").save(buffer, format="JPEG")
    put_image(Image.open(io.BytesIO(buffer.getvalue())))
    assert _decode(root_children(session)[0]["src"])[0] == "image/jpeg"


def test_put_image_url_is_passed_through_with_sizes(session: FakeSession) -> None:
    put_image("https://example.org/a.png", width=100, height="50%")
    (node,) = root_children(session)
    assert node == {
        "id": node["id"],
        "type": "image",
        "src": "https://example.org/a.png",
        "width": "100px",
        "height": "50%",
    }


def test_put_file_carries_name_label_mime_and_content(session: FakeSession) -> None:
    put_file("hello.txt", b"hello world")
    put_file("data.bin", bytearray(b"\x00\x01"), label="Download")
    text, binary = root_children(session)
    assert text["name"] == "hello.txt" and text["label"] == "hello.txt"
    assert text["mime"] == "text/plain"
    assert base64.b64decode(text["data"]) == b"hello world"
    assert binary["label"] == "Download"
    assert binary["mime"] == "application/octet-stream"
    assert base64.b64decode(binary["data"]) == b"\x00\x01"


def test_media_outputs_take_style(session: FakeSession) -> None:
    put_image(PNG_1X1).style("border: 1px solid")
    put_file("a.txt", b"a").style("color: green")
    image, file = root_children(session)
    assert image["style"] == "border: 1px solid"
    assert file["style"] == "color: green"
