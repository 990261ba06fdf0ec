"""Units of the standalone platform: page config, app discovery, sizes, mailboxes, back-pressure."""

from __future__ import annotations

import asyncio
import threading
import warnings
from pathlib import Path
from typing import Any

import pytest

from pywebio_nb._core.info import SessionInfo, parse_user_agent
from pywebio_nb._hosts.app.framing import frame
from pywebio_nb.exceptions import PyWebIOWarning, SessionClosedException
from pywebio_nb.platform import _page
from pywebio_nb.platform._apps import AppFile, AppRegistry, PathApps, normalize_applications
from pywebio_nb.platform._page import config, page_config
from pywebio_nb.platform._tornado import parse_size

from .helpers import AnswerBox

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def no_global_config() -> Any:
    saved = list(_page._global)
    _page._global.clear()
    yield
    _page._global[:] = saved


def test_docstring_gives_title_and_description_and_config_wins() -> None:
    def main() -> None:
        """Sales

        Numbers of the month."""

    assert page_config(main)["title"] == "Sales"
    assert page_config(main)["description"] == "Numbers of the month."
    config(title="Override")(main)
    assert page_config(main)["title"] == "Override"


def test_config_as_decorator_does_not_leak_into_other_apps() -> None:
    @config(theme="dark")
    def one() -> None: ...

    def two() -> None: ...

    assert page_config(one)["theme"] == "dark"
    assert page_config(two)["theme"] == "auto"


def test_config_called_alone_sets_every_apps_default() -> None:
    config(css_style="body { color: red }")

    def app() -> None: ...

    assert page_config(app)["css_style"] == "body { color: red }"


def test_config_keeps_async_apps_coroutine_functions() -> None:
    @config(title="x")
    async def main() -> None: ...

    assert asyncio.iscoroutinefunction(main)


def test_config_rejects_unknown_theme_by_name_and_warns_for_bootstrap_themes() -> None:
    with pytest.raises(ValueError, match="theme='neon'"):
        config(theme="neon")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        config(theme="minty")
    assert any(issubclass(w.category, PyWebIOWarning) for w in caught)


def test_applications_as_function_list_and_dict() -> None:
    def a() -> None: ...

    def b() -> None: ...

    assert normalize_applications(a) == {"index": a}
    assert normalize_applications([a, b]) == {"a": a, "b": b}
    assert AppRegistry({"x": a, "y": b}).resolve("y").func is b  # type: ignore[union-attr]
    assert AppRegistry({"x": a, "y": b}).resolve("zzz") is None
    generated = AppRegistry([a, b]).resolve(None)
    assert generated is not None and generated.func not in (a, b)
    with pytest.raises(TypeError, match="applications"):
        normalize_applications(42)


def test_path_apps_hide_private_names_and_stay_inside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "app.py").write_text("def main(): pass\n")
    (root / "_hidden.py").write_text("def main(): pass\n")
    (root / "sub" / "index.py").write_text("def main():\n    'Sub index'\n")
    (tmp_path / "outside.py").write_text("def main(): pass\n")
    apps = PathApps(root)
    assert apps.locate("app").name == "app"  # type: ignore[union-attr]
    assert apps.locate("_hidden") is None
    assert apps.locate("../outside") is None
    assert apps.locate("sub/../../outside") is None
    assert apps.locate("sub") == "sub/"
    assert apps.locate("sub/").name == "sub/index"  # type: ignore[union-attr]
    assert apps.locate("", app="app").name == "app"  # type: ignore[union-attr]
    assert apps.locate("", app="../outside") is None


def test_a_broken_app_file_becomes_an_app_that_raises(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("raise RuntimeError('import failed')\ndef main(): pass\n")
    apps = PathApps(tmp_path)
    found = apps.locate("bad")
    assert isinstance(found, AppFile)
    target = apps.load(found)
    assert target is not None
    with pytest.raises(RuntimeError, match="import failed"):
        target.func()


def test_parse_size() -> None:
    assert parse_size("200M") == 200 * 1024 * 1024
    assert parse_size("1.5k") == 1536
    with pytest.raises(ValueError, match="max_payload_size='lots'"):
        parse_size("lots")


def test_frame_layout() -> None:
    data = frame({"kind": "batch", "seq": 1}, b"[1]")
    length = int.from_bytes(data[:4], "big")
    assert data[4 : 4 + length] == b'{"kind":"batch","seq":1}'
    assert data[4 + length :] == b"[1]"


def test_user_agent_families() -> None:
    ua = parse_user_agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/121.0")
    assert (ua.browser.family, ua.browser.version[0], ua.os.family, ua.is_pc) == (
        "Firefox",
        121,
        "Windows",
        True,
    )


def test_user_agent_has_the_fields_of_pywebio_s_user_agents_object() -> None:
    # PyWebIO's info.user_agent is a `user_agents` object: its documented fields and methods.
    phone = parse_user_agent(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1"
    )
    assert (phone.device.family, phone.device.brand, phone.device.model) == (
        "iPhone",
        "Apple",
        "iPhone",
    )
    assert (phone.is_email_client, phone.get_os(), phone.get_browser()) == (
        False,
        "iOS 17.0",
        "Safari 17.0",
    )
    assert str(phone) == "iPhone / iOS 17.0 / Safari 17.0"
    pc = parse_user_agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/121.0")
    assert (pc.device.brand, pc.get_device(), str(pc)) == (
        None,
        "PC",
        "PC / Windows 10.0 / Firefox 121.0",
    )


def test_session_info_reads_as_pywebio_s_read_only_dict() -> None:
    info = SessionInfo(user_ip="10.0.0.1", backend="flask")
    assert (info["user_ip"], info.backend, "origin" in info) == ("10.0.0.1", "flask", True)
    assert len(info) == len(list(info))


def test_answer_box_wakes_a_blocked_thread_with_session_closed() -> None:
    box = AnswerBox()
    errors: list[BaseException] = []

    def wait() -> None:
        try:
            box.get(timeout=5)
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=wait)
    thread.start()
    box.close()
    thread.join(5)
    assert not thread.is_alive()
    assert isinstance(errors[0], SessionClosedException)


def test_answer_box_delivers_to_an_awaiting_coroutine() -> None:
    async def scenario() -> dict[str, Any]:
        box = AnswerBox()
        asyncio.get_running_loop().call_later(0.01, box.put, {"kind": "x", "id": 1})
        return await asyncio.wait_for(box.get_async(), 5)

    assert asyncio.run(scenario()) == {"kind": "x", "id": 1}
