"""Build the frontend for a wheel or an editable install, installing npm packages as locked.

hatch-jupyter-builder calls :func:`build` (``build-function`` in ``pyproject.toml``) before
hatchling packs ``pywebio_nb/static/``. Its stock ``npm_builder`` runs ``npm install``, which
rewrites a tracked ``package-lock.json`` whenever npm resolves the tree differently (a newer
npm, another platform's optional packages); setting up would then leave the working tree
dirty. ``npm ci`` installs exactly what the lock says, never writes it, and fails when the lock
no longer matches ``package.json``: a stale lock is an error to fix in a commit, not a silent
rewrite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def build(
    target_name: str, version: str, path: str = ".", build_cmd: str = "build", npm: str = "npm"
) -> None:
    """Install the locked npm packages when needed, then run ``npm run <build_cmd>``.

    ``npm ci`` runs when ``node_modules`` is missing or older than ``package-lock.json`` or
    ``package.json`` (npm stamps ``node_modules/.package-lock.json`` after every install), so a
    second ``pip install -e .`` only bundles.

    Args:
        target_name: hatch's build target, ``"wheel"`` or ``"sdist"``.
        version: ``"standard"`` or ``"editable"``.
        path: The folder holding ``package.json`` (hatch runs the hook from the project root).
        build_cmd: The ``package.json`` script that bundles ``js/`` into ``pywebio_nb/static/``.
        npm: The npm executable.

    Raises:
        RuntimeError: npm is not on ``PATH``.
        subprocess.CalledProcessError: ``npm ci`` (a lock that does not match
            ``package.json``, for example) or the bundle failed.

    Example:
        >>> build("wheel", "standard")  # doctest: +SKIP
        > npm ci --no-audit --no-fund
        > npm run build
    """
    executable = shutil.which(npm)
    if executable is None:
        raise RuntimeError(
            f"{npm!r} was not found on PATH: install Node.js 18 or newer (with npm) to build "
            "the pywebio_nb frontend."
        )
    root = Path(path).resolve()
    if install_needed(root):
        _run([executable, "ci", "--no-audit", "--no-fund"], root)
    _run([executable, "run", build_cmd], root)


def install_needed(root: Path) -> bool:
    """Whether ``root/node_modules`` is missing or older than the lock or ``package.json``.

    Example:
        >>> install_needed(Path("a-folder-without-node_modules"))
        True
    """
    stamp = root / "node_modules" / ".package-lock.json"
    if not stamp.exists():
        return True
    installed = stamp.stat().st_mtime
    return any(
        (root / name).stat().st_mtime > installed for name in ("package-lock.json", "package.json")
    )


def _run(command: list[str], cwd: Path) -> None:
    print("> " + " ".join(["npm", *command[1:]]), file=sys.stderr, flush=True)
    # The JupyterLab extension's build asks this Python where JupyterLab's core list is.
    env = {**os.environ, "PYWEBIO_NB_PYTHON": sys.executable}
    subprocess.run(command, cwd=cwd, check=True, env=env)
