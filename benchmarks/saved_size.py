"""Saved notebook size (issue 11, item 4): what a pywebio_nb output costs in the .ipynb file.

Each case is one cell, executed headless by nbconvert (``--to notebook --execute``: nbclient,
the kernel writes the saved copy at the end of the cell) in a notebook of its own; the script
reports the bytes of the cell's outputs in the saved file, split by MIME type, the widget state
nbclient adds to the notebook metadata, and the whole file, beside the same content printed
with ``print()``.

    python benchmarks/saved_size.py            # 20,000 lines and 10,000 progress updates
    python benchmarks/saved_size.py --quick    # 2,000 and 1,000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cases(lines: int, updates: int) -> dict[str, str]:
    return {
        f"put_text x {lines:,}": (
            f"from pywebio_nb.output import put_text\nfor i in range({lines}):\n"
            "    put_text(f'line {i}')"
        ),
        f"print x {lines:,}": f"for i in range({lines}):\n    print(f'line {{i}}')",
        f"set_processbar x {updates:,}": (
            "from pywebio_nb.output import put_processbar, set_processbar\n"
            f"put_processbar('p')\nfor i in range({updates}):\n"
            f"    set_processbar('p', (i + 1) / {updates})"
        ),
        f"print progress x {updates:,} (\\r)": (
            f"for i in range({updates}):\n"
            f"    print(f'\\rprogress {{(i + 1) * 100 // {updates}}}%', end='')"
        ),
        "put_text x 1 (fixed cost)": "from pywebio_nb.output import put_text\nput_text('line 0')",
    }


def notebook(source: str) -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "id": "c",
                "metadata": {},
                "source": source,
                "execution_count": None,
                "outputs": [],
            }
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def measure(name: str, source: str, folder: Path) -> dict:
    path = folder / f"case{abs(hash(name)) % 10**8}.ipynb"
    path.write_text(json.dumps(notebook(source)))
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--inplace",
            "--ExecutePreprocessor.timeout=600",
            path.name,
        ],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
        timeout=900,
    )
    seconds = time.monotonic() - started
    saved = json.loads(path.read_text())
    outputs = saved["cells"][0]["outputs"]
    by_mime: dict[str, int] = {}
    for output in outputs:
        for mime, value in output.get("data", {}).items():
            by_mime[mime] = by_mime.get(mime, 0) + len(json.dumps(value))
        if output.get("output_type") == "stream":
            by_mime["stream"] = by_mime.get("stream", 0) + len(json.dumps(output["text"]))
    return {
        "case": name,
        "outputs": len(json.dumps(outputs)),
        "by_mime": by_mime,
        "widget_state": len(json.dumps(saved["metadata"].get("widgets", {}))),
        "file": path.stat().st_size,
        "seconds": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 lines, 1,000 updates")
    args = parser.parse_args()
    lines, updates = (2_000, 1_000) if args.quick else (20_000, 10_000)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, source in cases(lines, updates).items():
            results.append(measure(name, source, Path(tmp)))
            print(f"measured {name}", file=sys.stderr)
    print(
        "| case | cell outputs (bytes) | of which text/html | text/markdown | text/plain "
        "| widget state in metadata | whole file |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        m = r["by_mime"]
        print(
            f"| {r['case']} | {r['outputs']:,} | {m.get('text/html', 0):,} "
            f"| {m.get('text/markdown', 0):,} | {m.get('text/plain', m.get('stream', 0)):,} "
            f"| {r['widget_state']:,} | {r['file']:,} |"
        )
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"saved_size-{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.write_text(json.dumps(results, indent=1))
    print(f"\n(JSON: {target.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
