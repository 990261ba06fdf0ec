"""Which files are apps, and their page settings, read from the source: nothing runs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pywebio_nb.platform._apps import AppFile, PathApps
from pywebio_nb.platform._source import read_source


def facts(source: str):  # type: ignore[no-untyped-def]
    return read_source(textwrap.dedent(source).encode())


@pytest.mark.parametrize(
    "source",
    [
        "def main():\n    pass\n",
        "async def main():\n    pass\n",
        "from .lib import main\n",
        "import x as main\n",
        "main = make_app()\n",
        "try:\n    import fast\nexcept ImportError:\n    def main(): ...\n",
        "if True:\n    def main(): ...\n",
        "@config(title='t')\ndef main(): ...\n",
    ],
)
def test_a_top_level_main_makes_an_app(source: str) -> None:
    assert facts(source).has_main


@pytest.mark.parametrize(
    "source",
    [
        "print('a plain script')\n",
        "def helper():\n    def main(): ...\n",
        "class App:\n    def main(self): ...\n",
        "x = 'def main():'\n",
        "# def main():\n",
        "maintain = 1\n",
    ],
)
def test_a_file_without_a_top_level_main_is_not_an_app(source: str) -> None:
    assert not facts(source).has_main


def test_a_file_that_does_not_parse_is_an_app_if_it_looks_like_one() -> None:
    assert read_source(b"def main(:\n").has_main
    assert not read_source(b"def other(:\n").has_main
    assert not read_source(b"\x00\x01").has_main


def test_literal_config_arguments_and_the_docstring_are_read() -> None:
    found = facts(
        '''
        from pywebio_nb import config
        from pywebio_nb.platform import seo
        STYLE = "body { color: red }"
        config(css_style=STYLE, js_file=["a.js"])

        @seo("Old title")
        @config(theme="dark", title="Sales", description=compute())
        def main():
            """Docstring title

            Docstring body."""
        '''
    )
    assert found.doc == "Docstring title\n\nDocstring body."
    assert found.module_settings == [{"css_style": "body { color: red }", "js_file": ["a.js"]}]
    # Decorators apply innermost first: config, then seo; computed values are left out.
    assert found.main_settings == [{"theme": "dark", "title": "Sales"}, {"title": "Old title"}]


def test_invalid_or_computed_settings_are_left_to_the_import() -> None:
    found = facts(
        """
        import os
        THEME = os.environ["X"]
        @config(theme=THEME, title=42, css_file="x.css", manifest={"a": 1})
        def main(): ...
        """
    )
    assert found.main_settings == [{"css_file": ["x.css"]}]


def test_page_settings_of_a_file_come_from_its_source_until_it_is_imported(
    tmp_path: Path,
) -> None:
    app = tmp_path / "app.py"
    app.write_text(
        textwrap.dedent(
            '''
            from pathlib import Path
            from pywebio_nb.platform import config

            Path(__file__).with_suffix(".ran").write_text("ran")

            @config(theme="dark", description="from " + "code")
            def main():
                """Report"""
            '''
        )
    )
    apps = PathApps(tmp_path)
    found = apps.locate("app")
    assert isinstance(found, AppFile)
    settings = apps.page_settings(found)
    assert (settings["title"], settings["theme"], settings["description"]) == (
        "Report",
        "dark",
        "",
    )
    assert not (tmp_path / "app.ran").exists()
    assert apps.load(found) is not None
    assert (tmp_path / "app.ran").exists()
    assert apps.page_settings(found)["description"] == "from code"


def test_a_folder_index_lists_only_files_with_main_and_runs_none(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("def main(): ...\n")
    (tmp_path / "script.py").write_text(
        "from pathlib import Path\nPath(__file__).with_suffix('.ran').write_text('x')\n"
    )
    apps = PathApps(tmp_path)
    assert apps.locate("script") is None
    assert apps.locate("", app="script") is None
    index = apps.locate("")
    assert index is not None and not isinstance(index, (str, AppFile))
    assert not (tmp_path / "script.ran").exists()
