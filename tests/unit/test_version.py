import json
from importlib.metadata import version
from pathlib import Path

import pywebio_nb

ROOT = Path(__file__).resolve().parents[2]


def test_installed_metadata_matches_the_single_version_source() -> None:
    assert version("pywebio_nb") == pywebio_nb.__version__


def test_frontend_package_version_follows_the_python_version() -> None:
    package = json.loads((ROOT / "package.json").read_text())
    assert package["version"] == pywebio_nb.__version__


def test_protocol_version_is_separate_and_shared_with_the_frontend() -> None:
    from pywebio_nb._core.protocol import PROTOCOL_VERSION

    source = (ROOT / "js" / "src" / "protocol.ts").read_text()
    assert f"export const PROTOCOL_VERSION = {PROTOCOL_VERSION};" in source
