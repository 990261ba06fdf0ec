"""The set-up and test commands themselves: what they install with and what they run.

``.ci/test`` is run for real in a scratch copy, with ``python`` and ``npx`` replaced by
scripts that only record their arguments; ``js/npm_build.py`` (the wheel's frontend build)
runs with a recording ``npm``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from js import npm_build

ROOT = Path(__file__).resolve().parents[2]

RECORDER = '#!/bin/sh\nprintf "%s\\n" "$(basename "$0") $*" >> "$RECORD"\n'


def recorder(folder: Path, name: str, extra: str = "") -> Path:
    """An executable ``folder/name`` that appends its arguments to ``$RECORD``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(RECORDER + extra)
    path.chmod(0o755)
    return path


def test_ci_test_runs_the_tours_by_name_and_not_a_users_own_notebook(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / ".ci", repo / ".ci")
    tours = sorted(p.name for p in (ROOT / "notebooks").glob("tour-*.ipynb"))
    assert tours, "the repository has tour notebooks"
    (repo / "notebooks").mkdir()
    for name in [*tours, "my-own-questions.ipynb"]:
        (repo / "notebooks" / name).write_text("{}")
    bin_dir = tmp_path / "bin"
    python = recorder(bin_dir, "python")
    recorder(bin_dir, "npx")
    record = tmp_path / "record.txt"
    env = dict(
        os.environ,
        PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        PYTHON=str(python),
        KERNEL_MATRIX="0",
        RECORD=str(record),
    )
    env.pop("PYWEBIO_NB_KERNEL_PYTHONS", None)

    done = subprocess.run(
        ["bash", str(repo / ".ci" / "test")], env=env, capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 0, done.stdout + done.stderr
    runs = [line for line in record.read_text().splitlines() if " -m pytest " in line]
    assert len(runs) == 2, runs  # the non-browser tiers with the notebooks, then the browser tier
    arguments = runs[0].split()
    assert sorted(a for a in arguments if a.startswith("notebooks")) == [
        f"notebooks/{name}" for name in tours
    ]


def test_frontend_build_installs_the_lock_as_it_is_and_only_when_needed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "package.json").write_text('{"name": "x"}')
    (project / "package-lock.json").write_text('{"lockfileVersion": 3}')
    record = tmp_path / "record.txt"
    # npm stamps node_modules/.package-lock.json after an install; so does this stand-in.
    npm = recorder(
        tmp_path / "bin",
        "npm",
        'if [ "$1" = ci ]; then\n'
        "  mkdir -p node_modules && echo {} > node_modules/.package-lock.json\n"
        "fi\n",
    )
    os.environ["RECORD"] = str(record)
    try:
        npm_build.build("wheel", "standard", path=str(project), npm=str(npm))
        npm_build.build("wheel", "editable", path=str(project), npm=str(npm))
        stamp = project / "node_modules" / ".package-lock.json"
        older = stamp.stat().st_mtime - 10
        os.utime(stamp, (older, older))  # the lock changed after the last install
        npm_build.build("wheel", "editable", path=str(project), npm=str(npm))
    finally:
        del os.environ["RECORD"]

    assert record.read_text().splitlines() == [
        "npm ci --no-audit --no-fund",
        "npm run build",
        "npm run build",
        "npm ci --no-audit --no-fund",
        "npm run build",
    ]
    assert (project / "package-lock.json").read_text() == '{"lockfileVersion": 3}'


def test_frontend_build_says_what_to_install_without_npm(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"install Node\.js"):
        npm_build.build("wheel", "standard", path=str(tmp_path), npm="no-such-npm-here")
