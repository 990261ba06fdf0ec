"""Writes the one-button notebook that Voila serves: ``python voila_notebook.py OUT.ipynb``."""

from __future__ import annotations

import json
import sys

SOURCE = """\
import ipywidgets as widgets

clicks = [0]
label = widgets.Label("hello-output")


def clicked(_button):
    clicks[0] += 1
    label.value = f"clicked-{clicks[0]}"


button = widgets.Button(description="Click")
button.on_click(clicked)
widgets.VBox([label, button])
"""


def notebook() -> dict[str, object]:
    cell: dict[str, object] = {
        "cell_type": "code",
        "execution_count": None,
        "id": "one-button",
        "metadata": {},
        "outputs": [],
        "source": SOURCE.splitlines(keepends=True),
    }
    return {
        "cells": [cell],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


if __name__ == "__main__":
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(notebook(), out, indent=1)
