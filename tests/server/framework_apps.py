"""The apps every web-framework host is tested with: thread and coroutine twins."""

from __future__ import annotations

import hashlib

from pywebio_nb.input import file_upload, input
from pywebio_nb.output import put_buttons, put_text


def hello() -> None:
    put_text("hello from a thread app")
    put_buttons(["go", "stop"], onclick=lambda value: put_text(f"clicked {value}"))


async def ahello() -> None:
    put_text("hello from a coroutine app")

    async def clicked(value: str) -> None:
        put_text(f"clicked {value}")

    put_buttons(["go"], onclick=clicked)


def ask() -> None:
    name = input("Your name")
    put_text(f"hello {name}")


async def aask() -> None:
    name = await input("Your name")
    put_text(f"hello {name}")


def upload() -> None:
    f = file_upload("Attachment")
    put_text(f"got {f['size']} bytes {hashlib.sha256(f['content']).hexdigest()}")


def info() -> None:
    from pywebio_nb.session import info as session_info

    put_text(f"backend {session_info.backend} protocol {session_info.protocol}")


APPS = {
    "hello": hello,
    "ahello": ahello,
    "ask": ask,
    "aask": aask,
    "upload": upload,
    "info": info,
}
