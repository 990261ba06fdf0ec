"""Server tier: a real jupyter-server with the pywebio_nb extension (pytest-jupyter).

The default ``jp_base_url`` is ``/a%40b/``, so every URL built without ``base_url`` fails here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# pytest-jupyter's server fixtures and hooks, for this tier only (``pytest_plugins`` is not
# allowed in a conftest below the rootdir).
from pytest_jupyter.jupyter_server import *  # noqa: F403
from webio_client import Page

APPS = {
    "hello.py": '''
        from pywebio_nb.output import put_text, put_buttons

        def main():
            """Hello app

            Says hello."""
            put_text("hello from a thread app")
            put_buttons(["go"], onclick=lambda v: put_text(f"clicked {v}"))
    ''',
    "ahello.py": '''
        from pywebio_nb.output import put_text

        async def main():
            """Async hello"""
            put_text("hello from a coroutine app")
    ''',
    "broken.py": """
        def main():
            raise ValueError("secret detail")
    """,
    "_private.py": "def main(): pass\n",
    "notanapp.py": "x = 1\n",
    "sub/inner.py": """
        from pywebio_nb.output import put_text

        def main():
            put_text("inner")
    """,
}


def write_apps(root: Path) -> None:
    for name, source in APPS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))


def alpha() -> None:
    from pywebio_nb.output import put_text

    put_text("registered alpha")


def beta() -> None:
    from pywebio_nb.output import put_text

    put_text("registered beta")


@pytest.fixture
def webio_config() -> dict[str, Any]:
    """Extra ``c.WebIO`` settings for a test (override in a module or with indirect use)."""
    return {}


@pytest.fixture
def jp_server_config(jp_root_dir: Path, webio_config: dict[str, Any]) -> dict[str, Any]:
    write_apps(jp_root_dir)
    return {
        "ServerApp": {"jpserver_extensions": {"pywebio_nb": True}},
        "WebIO": {"apps": {"alpha": alpha, "beta": beta}, **webio_config},
    }


@pytest.fixture
def open_page(jp_ws_fetch: Any) -> Iterator[Callable[..., Any]]:
    pages: list[Page] = []

    async def opener(*parts: str, params: dict[str, str] | None = None) -> Page:
        ws = await jp_ws_fetch("webio", "_ws", *parts, params=params)
        page = Page(ws)
        pages.append(page)
        return page

    yield opener
    for page in pages:
        page.ws.close()
