"""The plain fallback of a saved output: Markdown and plain text made from the document model.

Viewers that run no JavaScript (``nbconvert --to markdown`` or ``--to pdf``, a terminal, a
sanitizing viewer) show a notebook output's ``text/markdown`` or ``text/plain``. These carry the
content of the scope tree — texts, Markdown, code, tables (as Markdown tables), images, links,
progress, the first rows of datatables — never the markup of the rich view (that is the
renderer's, in ``js/``). Interactive parts are named by their labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["to_markdown", "to_plain"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")
#: How many datatable rows a fallback lists (the rest is counted).
DATATABLE_ROWS = 100


def to_markdown(root: Mapping[str, Any], rows: Mapping[str, Any] | None = None) -> str:
    """The Markdown fallback of a scope tree (a node spec), one block per output.

    Args:
        root: a node spec, usually a root's top scope.
        rows: saved datatable windows by node id (``{"12": {"keys": ..., "rows": ...}}``).

    Example:
        >>> print(to_markdown({"type": "scope", "children": [
        ...     {"type": "text", "text": "hello"},
        ...     {"type": "table", "rows": [["x", "y"], ["1", "2"]]}]}))
        hello
        <BLANKLINE>
        | x | y |
        | --- | --- |
        | 1 | 2 |
    """
    return "\n\n".join(_Writer(markdown=True, rows=rows or {}).blocks(root))


def to_plain(root: Mapping[str, Any], rows: Mapping[str, Any] | None = None) -> str:
    """The plain-text fallback of a scope tree: the same content as :func:`to_markdown`.

    Example:
        >>> print(to_plain({"type": "scope", "children": [
        ...     {"type": "text", "text": "a*b"}, {"type": "progressbar", "value": 0.5}]}))
        a*b
        <BLANKLINE>
        [progress 50%]
    """
    return "\n\n".join(_Writer(markdown=False, rows=rows or {}).blocks(root))


class _Writer:
    """Walks a node spec and yields its blocks, in Markdown or plain text."""

    def __init__(self, markdown: bool, rows: Mapping[str, Any]) -> None:
        self.md = markdown
        self.rows = rows

    def esc(self, text: str) -> str:
        return _MD_SPECIAL.sub(r"\\\1", text) if self.md else text

    def strong(self, text: str) -> str:
        return f"**{self.esc(text)}**" if self.md else text

    def blocks(self, node: Any) -> Iterator[str]:
        if not isinstance(node, Mapping):
            if isinstance(node, str) and node:
                yield self.esc(node)
            return
        kind = node.get("type")
        method = getattr(self, f"node_{kind}", None) if isinstance(kind, str) else None
        if method is not None:
            yield from method(node)
            return
        yield from self.children(node.get("children") or ())

    def children(self, nodes: Any) -> Iterator[str]:
        """The blocks of a list of nodes; a run of texts is one block, a line per text."""
        run: list[str] = []
        for child in nodes:
            if isinstance(child, Mapping) and child.get("type") == "text":
                run.extend(self.node_text(child))
                continue
            if run:
                yield ("  \n" if self.md else "\n").join(run)
                run = []
            yield from self.blocks(child)
        if run:
            yield ("  \n" if self.md else "\n").join(run)

    def inline(self, node: Any) -> str:
        """A node flattened to one line (a table cell, a label)."""
        if isinstance(node, Mapping):
            text = " ".join(block for block in self.blocks(node) if block)
        else:
            text = self.esc("" if node is None else str(node))
        text = re.sub(r"\s*\n\s*", " ", text)
        return text.replace("|", "\\|") if self.md else text

    # -- leaves ---------------------------------------------------------------------------------

    def node_text(self, node: Mapping[str, Any]) -> Iterator[str]:
        text = str(node.get("text", ""))
        if text:
            yield "  \n".join(self.esc(line) for line in text.split("\n")) if self.md else text

    def node_markdown(self, node: Mapping[str, Any]) -> Iterator[str]:
        yield str(node.get("md", ""))

    def node_html(self, node: Mapping[str, Any]) -> Iterator[str]:
        html = str(node.get("html", ""))
        yield html if self.md else re.sub(r"<[^>]*>", "", html)

    def node_code(self, node: Mapping[str, Any]) -> Iterator[str]:
        code = str(node.get("code", ""))
        if not self.md:
            yield code
            return
        fence = "```"
        while fence in code:
            fence += "`"
        yield f"{fence}{node.get('language') or ''}\n{code}\n{fence}"

    def node_image(self, node: Mapping[str, Any]) -> Iterator[str]:
        title = str(node.get("title") or "image")
        src = str(node.get("src", ""))
        yield f"![{self.esc(title)}]({src})" if self.md else f"[{title}]"

    def node_file(self, node: Mapping[str, Any]) -> Iterator[str]:
        yield f"[file: {self.esc(str(node.get('label') or node.get('name') or ''))}]"

    def node_link(self, node: Mapping[str, Any]) -> Iterator[str]:
        text = str(node.get("text", ""))
        url = node.get("url")
        if self.md and isinstance(url, str) and url:
            yield f"[{self.esc(text)}]({url.replace(')', '%29')})"
        else:
            yield self.esc(text)

    def node_buttons(self, node: Mapping[str, Any]) -> Iterator[str]:
        labels = [str(b.get("label", "")) for b in node.get("buttons") or () if isinstance(b, dict)]
        yield " ".join(f"[{self.esc(label)}]" for label in labels)

    def node_progressbar(self, node: Mapping[str, Any]) -> Iterator[str]:
        value = node.get("value")
        percent = "…"
        if isinstance(value, (int, float)):
            percent = f"{float(value) * 100:.1f}".rstrip("0").rstrip(".") + "%"
        label = str(node.get("label") or "")
        yield f"[progress {percent}{': ' + label if label and label != percent else ''}]"

    def node_form(self, node: Mapping[str, Any]) -> Iterator[str]:
        labels = [
            str(field.get("label") or field.get("name") or "")
            for field in node.get("fields") or ()
            if isinstance(field, dict)
        ]
        yield f"[form: {self.esc(', '.join(label for label in labels if label))}]"

    def node_answered(self, node: Mapping[str, Any]) -> Iterator[str]:
        lines = [
            f"{self.strong(str(field.get('label', '')) + ':')} {self.esc(str(field.get('value')))}"
            for field in node.get("fields") or ()
            if isinstance(field, dict)
        ]
        yield ("  \n" if self.md else "\n").join(lines)

    def node_loading(self, node: Mapping[str, Any]) -> Iterator[str]:
        return iter(())

    def node_popup(self, node: Mapping[str, Any]) -> Iterator[str]:
        return iter(())

    def node_toast(self, node: Mapping[str, Any]) -> Iterator[str]:
        return iter(())

    # -- containers -----------------------------------------------------------------------------

    def node_collapse(self, node: Mapping[str, Any]) -> Iterator[str]:
        yield self.strong(str(node.get("title", "")))
        yield from self.children(node.get("children") or ())

    def node_tabs(self, node: Mapping[str, Any]) -> Iterator[str]:
        for tab in node.get("tabs") or ():
            if isinstance(tab, dict):
                yield self.strong(str(tab.get("title", "")))
                for item in tab.get("content") or ():
                    yield from self.blocks(item)

    def node_grid(self, node: Mapping[str, Any]) -> Iterator[str]:
        for cell in node.get("cells") or ():
            if isinstance(cell, dict):
                yield from self.blocks(cell.get("node"))

    def node_alert(self, node: Mapping[str, Any]) -> Iterator[str]:
        inner = list(self.children(node.get("children") or ()))
        if not self.md:
            yield from inner
            return
        yield "\n>\n".join("> " + block.replace("\n", "\n> ") for block in inner)

    def node_table(self, node: Mapping[str, Any]) -> Iterator[str]:
        rows = [
            [self.inline(cell) for cell in row]
            for row in node.get("rows") or ()
            if isinstance(row, list)
        ]
        yield self.table(rows)

    def node_datatable(self, node: Mapping[str, Any]) -> Iterator[str]:
        columns = [
            str(column.get("header") or column.get("field") or "")
            for column in node.get("columns") or ()
            if isinstance(column, dict)
        ]
        window = self.rows.get(str(node.get("id")))
        cells = window.get("rows", []) if isinstance(window, Mapping) else []
        rows = [[self.inline(cell) for cell in row] for row in cells[:DATATABLE_ROWS]]
        total = node.get("total")
        yield self.table([[self.esc(c) for c in columns], *rows])
        if isinstance(total, int) and total > len(rows):
            yield self.esc(f"({total - len(rows)} more rows not shown)")

    def table(self, rows: list[list[str]]) -> str:
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        if not self.md:
            return "\n".join("\t".join(row) for row in rows)
        lines = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join(["---"] * width) + " |"]
        lines.extend("| " + " | ".join(row) + " |" for row in rows[1:])
        return "\n".join(lines)
