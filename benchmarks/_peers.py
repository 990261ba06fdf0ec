"""Peer installs for the benchmarks, each in its own venv under ``benchmarks/.venvs/``.

Example:
    >>> python = peer_python("pywebio184", ["pywebio==1.8.4"])  # doctest: +SKIP
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

VENVS = Path(__file__).resolve().parent / ".venvs"


def peer_python(name: str, requirements: list[str]) -> str:
    """The interpreter of venv ``name`` with ``requirements`` installed (created on first use)."""
    venv = VENVS / name
    python = venv / "bin" / "python"
    stamp = venv / ".requirements"
    wanted = "\n".join(requirements)
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return str(python)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *requirements],
        check=True,
    )
    stamp.write_text(wanted)
    return str(python)
