"""The web-framework modules: PyWebIO 1.8.4's parameters, a clear error without the framework,
and the polling body format."""

from __future__ import annotations

import importlib
import inspect
import sys

import pytest

from pywebio_nb.platform._wire import MalformedBody, decode_records, encode_records

E = inspect.Parameter.empty

# PyWebIO 1.8.4's signatures: (name, default) in order; "**" a catch-all keyword argument.
SIGNATURES = {
    "flask.webio_view": [
        ("applications", E),
        ("cdn", True),
        ("session_expire_seconds", None),
        ("session_cleanup_interval", None),
        ("allowed_origins", None),
        ("check_origin", None),
    ],
    "flask.wsgi_app": [
        ("applications", E),
        ("cdn", True),
        ("static_dir", None),
        ("allowed_origins", None),
        ("check_origin", None),
        ("session_expire_seconds", None),
        ("session_cleanup_interval", None),
        ("max_payload_size", "200M"),
    ],
    "flask.start_server": [
        ("applications", E),
        ("port", 8080),
        ("host", ""),
        ("cdn", True),
        ("static_dir", None),
        ("remote_access", False),
        ("allowed_origins", None),
        ("check_origin", None),
        ("session_expire_seconds", None),
        ("session_cleanup_interval", None),
        ("debug", False),
        ("max_payload_size", "200M"),
        ("**", "flask_options"),
    ],
    "django.webio_view": [
        ("applications", E),
        ("cdn", True),
        ("session_expire_seconds", None),
        ("session_cleanup_interval", None),
        ("allowed_origins", None),
        ("check_origin", None),
    ],
    "django.wsgi_app": [
        ("applications", E),
        ("cdn", True),
        ("static_dir", None),
        ("allowed_origins", None),
        ("check_origin", None),
        ("session_expire_seconds", None),
        ("session_cleanup_interval", None),
        ("debug", False),
        ("max_payload_size", "200M"),
        ("**", "django_options"),
    ],
    "django.start_server": [
        ("applications", E),
        ("port", 8080),
        ("host", ""),
        ("cdn", True),
        ("static_dir", None),
        ("remote_access", False),
        ("allowed_origins", None),
        ("check_origin", None),
        ("session_expire_seconds", None),
        ("session_cleanup_interval", None),
        ("debug", False),
        ("max_payload_size", "200M"),
        ("**", "django_options"),
    ],
    "aiohttp.webio_handler": [
        ("applications", E),
        ("cdn", True),
        ("reconnect_timeout", 0),
        ("allowed_origins", None),
        ("check_origin", None),
        ("max_payload_size", "200M"),
        ("websocket_settings", None),
    ],
    "aiohttp.static_routes": [("prefix", "/")],
    "aiohttp.start_server": [
        ("applications", E),
        ("port", 0),
        ("host", ""),
        ("debug", False),
        ("cdn", True),
        ("static_dir", None),
        ("remote_access", False),
        ("reconnect_timeout", 0),
        ("allowed_origins", None),
        ("check_origin", None),
        ("auto_open_webbrowser", False),
        ("max_payload_size", "200M"),
        ("websocket_settings", None),
        ("**", "aiohttp_settings"),
    ],
    "fastapi.webio_routes": [
        ("applications", E),
        ("cdn", True),
        ("reconnect_timeout", 0),
        ("allowed_origins", None),
        ("check_origin", None),
    ],
    "fastapi.asgi_app": [
        ("applications", E),
        ("cdn", True),
        ("reconnect_timeout", 0),
        ("static_dir", None),
        ("debug", False),
        ("allowed_origins", None),
        ("check_origin", None),
    ],
    "fastapi.start_server": [
        ("applications", E),
        ("port", 0),
        ("host", ""),
        ("cdn", True),
        ("reconnect_timeout", 0),
        ("static_dir", None),
        ("remote_access", False),
        ("debug", False),
        ("allowed_origins", None),
        ("check_origin", None),
        ("auto_open_webbrowser", False),
        ("max_payload_size", "200M"),
        ("**", "uvicorn_settings"),
    ],
}


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_parameters_match_pywebio(name: str) -> None:
    module, function = name.split(".")
    func = getattr(importlib.import_module(f"pywebio_nb.platform.{module}"), function)
    found = []
    for parameter in inspect.signature(func).parameters.values():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            found.append(("**", parameter.name))
        else:
            found.append((parameter.name, parameter.default))
    assert found == SIGNATURES[name]


@pytest.mark.parametrize(
    ("module", "framework"),
    [("flask", "flask"), ("django", "django"), ("aiohttp", "aiohttp"), ("fastapi", "starlette")],
)
def test_a_missing_framework_names_the_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, module: str, framework: str
) -> None:
    for name in [n for n in sys.modules if n == framework or n.startswith(framework + ".")]:
        monkeypatch.setitem(sys.modules, name, None)  # import it -> ImportError
    monkeypatch.setitem(sys.modules, framework, None)
    monkeypatch.delitem(sys.modules, f"pywebio_nb.platform.{module}", raising=False)
    with pytest.raises(ImportError, match=rf'pip install "pywebio_nb\[{module}\]"'):
        importlib.import_module(f"pywebio_nb.platform.{module}")
    monkeypatch.delitem(sys.modules, f"pywebio_nb.platform.{module}", raising=False)


def test_polling_records_round_trip() -> None:
    messages: list[str | bytes] = ['{"kind":"sync"}', b"\x00\x00\x00\x02{}payload", ""]
    assert decode_records(encode_records(messages)) == messages


@pytest.mark.parametrize(
    "body",
    [
        b"\x00\x00\x00",  # a record header cut short
        b"\x00\x00\x00\x00\x09{}",  # fewer bytes than the length says
        b"\x07\x00\x00\x00\x00",  # an unknown kind
        b"\x02\x00\x00\x00\x02{}",  # a close, which only the server sends
        b"\x00\x00\x00\x00\x01\xff",  # text that is not UTF-8
    ],
)
def test_a_malformed_polling_body_is_refused(body: bytes) -> None:
    with pytest.raises(MalformedBody):
        decode_records(body)


def test_the_framework_modules_are_attributes_of_platform_as_in_pywebio() -> None:
    import pywebio_nb.platform

    assert callable(pywebio_nb.platform.flask.webio_view)
    assert callable(pywebio_nb.platform.fastapi.asgi_app)


def test_a_poll_channel_keeps_messages_until_acknowledged() -> None:
    from pywebio_nb.platform._wire import PollChannel

    channel = PollChannel(max_pending=1000)
    channel.send("a")
    channel.send(b"b")
    assert channel.take(0, 0) == (0, ["a", b"b"])
    assert channel.take(0, 0) == (0, ["a", b"b"])  # the answer was lost: the same again
    assert channel.take(1, 0) == (1, [b"b"])
    channel.close(1000, "done")
    first, messages = channel.take(2, 0)
    assert (first, messages) == (2, [(1000, "done")])
    assert channel.drained(3) and not channel.drained(2)
    channel.send("after the close")
    assert channel.take(2, 0) == (2, [(1000, "done")])


def test_a_poll_channel_cuts_off_a_page_that_does_not_read() -> None:
    import threading

    from pywebio_nb.platform._wire import PollChannel

    cut = threading.Event()
    channel = PollChannel(max_pending=10)
    channel.on_cut_off = cut.set
    channel.send("12345")
    channel.send("678901")  # over 10 unread bytes
    assert cut.wait(10)
    _first, messages = channel.take(0, 0)
    assert messages[-1] == (1013, "the page does not keep up with the app's output")


def test_a_socket_queue_writes_in_order_and_stops_at_the_close() -> None:
    import asyncio

    from pywebio_nb.platform._wire import QueueConnection

    class Recorder:
        def __init__(self) -> None:
            self.seen: list[object] = []

        async def send(self, message: str | bytes) -> None:
            self.seen.append(message)

        async def close(self, code: int, reason: str) -> None:
            self.seen.append((code, reason))

        async def receive(self) -> str | bytes | None:
            return None

    async def run() -> list[object]:
        io = Recorder()
        connection = QueueConnection(asyncio.get_running_loop(), max_pending=1000)
        pump = asyncio.ensure_future(connection.pump(io))
        connection.send("one")
        await asyncio.sleep(0)
        connection.send(b"two")
        connection.close(1000, "bye")
        connection.send("dropped")
        await asyncio.wait_for(pump, 10)
        return io.seen

    assert asyncio.run(run()) == ["one", b"two", (1000, "bye")]
