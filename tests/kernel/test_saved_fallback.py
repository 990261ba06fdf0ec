"""The plain fallback of saved outputs (issue 11), for viewers that run no JavaScript.

The tour notebook is executed headless by nbconvert (as ``--execute`` does, no browser); its
pywebio_nb outputs then carry ``text/markdown`` and ``text/plain`` made from the document model,
and ``--to markdown`` exports the content, never raw JSON or a "model not found".
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAVED = "application/vnd.pywebio-nb.saved+json"


def nbconvert(*args: str, cwd: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "nbconvert", *args],
        cwd=cwd,
        check=True,
        timeout=300,
        capture_output=True,
        start_new_session=True,
    )


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fallback")
    shutil.copy(ROOT / "notebooks" / "tour-output.ipynb", folder)
    nbconvert(
        "--to", "notebook", "--execute", "--output", "executed", "tour-output.ipynb", cwd=folder
    )
    return folder / "executed.ipynb"


def saved_outputs(path: Path) -> list[dict[str, str]]:
    notebook = json.loads(path.read_text())
    return [
        {mime: "".join(v) if isinstance(v, list) else v for mime, v in output["data"].items()}
        for cell in notebook["cells"]
        for output in cell.get("outputs", ())
        if SAVED in output.get("data", {})
    ]


def test_every_saved_output_has_a_markdown_and_plain_fallback(executed: Path) -> None:
    outputs = saved_outputs(executed)
    assert len(outputs) >= 7
    markdown = "\n\n".join(data["text/markdown"] for data in outputs)
    assert "Hello, notebook" in markdown
    assert "&lt;b&gt;" not in markdown and "\\<b\\>not bold\\</b\\>" in markdown
    assert "| Name | Score | Note |\n| --- | --- | --- |\n| Ada | 36 | **top** |" in markdown
    assert "![a PIL image](data:image/png;base64," in markdown
    assert "```python\ndef greet(name):" in markdown
    assert "[details]" in markdown
    plain = "\n\n".join(data["text/plain"] for data in outputs)
    assert "Hello, notebook" in plain and "Ada\t36" in plain
    for data in outputs:
        assert "model not found" not in data["text/plain"]
        assert not data["text/plain"].lstrip().startswith("{")


def test_markdown_export_carries_the_content(executed: Path) -> None:
    nbconvert("--to", "markdown", executed.name, cwd=executed.parent)
    text = executed.with_suffix(".md").read_text()
    assert "Hello, notebook" in text
    assert "first entry" in text and "hello from a thread" in text
    assert "model not found" not in text
