"""Session-mode dashboards: cells prepared once, display data without IPython."""

from __future__ import annotations

import pytest

from pywebio_nb._core.mimebundle import bundle_of, spec_of_bundle
from pywebio_nb._hosts.app.notebook import compile_cells

pytestmark = pytest.mark.unit


def test_a_cells_last_expression_is_split_off_to_be_shown() -> None:
    (cell,) = compile_cells((("code", "x = 2\nx * 21"),), "nb.ipynb")
    namespace: dict[str, object] = {}
    exec(cell.body, namespace)
    assert eval(cell.last, namespace) == 42
    (statement,) = compile_cells((("code", "y = 1"),), "nb.ipynb")
    assert statement.last is None


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ("%matplotlib inline", "code cell 1, line 1 (%matplotlib inline)"),
        ("a = 1\n  !pip install x", "code cell 1, line 2 (!pip install x)"),
        ("%%time\nsum(range(3))", "code cell 1, line 1 (%%time)"),
    ],
)
def test_magics_and_shell_lines_become_an_error_naming_cell_and_line(
    source: str, where: str
) -> None:
    (cell,) = compile_cells((("markdown", "# T"), ("code", source)), "nb.ipynb")[1:]
    assert cell.kind == "error"
    assert cell.text.startswith(where)
    assert 'set dashboard_mode to "kernel"' in cell.text


def test_a_syntax_error_names_cell_and_line() -> None:
    cells = compile_cells((("code", "ok = 1"), ("code", "a = 1\nb = (")), "nb.ipynb")
    assert cells[1].kind == "error"
    assert cells[1].text.startswith("code cell 2, line 2: SyntaxError")


def test_bundle_of_prefers_the_mimebundle_then_repr_methods() -> None:
    class Both:
        def _repr_mimebundle_(self, **_kw: object) -> dict[str, str]:
            return {"text/markdown": "**md**"}

        def _repr_html_(self) -> str:
            return "<b>html</b>"

    data = bundle_of(Both())
    assert data["text/markdown"] == "**md**" and data["text/html"] == "<b>html</b>"
    assert spec_of_bundle(data) == {"type": "html", "html": "<b>html</b>", "sanitize": True}


def test_a_failing_repr_method_is_skipped_and_repr_remains() -> None:
    class Broken:
        def _repr_html_(self) -> str:
            raise ValueError("no")

        def __repr__(self) -> str:
            return "Broken()"

    assert bundle_of(Broken()) == {"text/plain": "Broken()"}
    assert spec_of_bundle(bundle_of(Broken())) == {"type": "text", "text": "Broken()"}


def test_a_png_becomes_an_image_named_by_its_text() -> None:
    spec = spec_of_bundle({"image/png": b"\x89PNG", "text/plain": "<Figure size 1x1>"})
    assert spec is not None and spec["type"] == "image"
    assert spec["src"].startswith("data:image/png;base64,")
    assert spec["title"] == "Figure size 1x1"
