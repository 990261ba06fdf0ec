"""Session-mode notebook dashboards: a notebook's cells run as an app session in the server.

``c.WebIO.dashboard_mode = "session"`` (or ``metadata.pywebio_nb.dashboard_mode``) serves a
notebook like a ``.py`` app: each visitor gets a :class:`NotebookAppSession`, a thread app
whose main function runs the notebook's cells top to bottom in a fresh namespace of its own.
As in a kernel: a cell's last expression is displayed, ``display()`` shows objects through
their ``_repr_*_`` methods (converted by ``_core.mimebundle``, as kernel mode converts display
data), ``print()`` goes into the page, and ``input()`` blocks the visitor's thread. IPython
magics and ``!shell`` lines cannot run outside a kernel: the page shows an error naming the
cell and line, and the notebook stops there (as a kernel-mode notebook stops at an error).

It runs in the server process, so it is for trusted notebooks only (the trust ``.py`` apps
need): separate globals keep visitors apart, not a sandbox.
"""

from __future__ import annotations

import ast
import asyncio
import builtins
import inspect
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from ..._core.context import session_var
from ..._core.document import Output
from ..._core.mimebundle import bundle_of, spec_of_bundle
from ..._core.nodes import ErrorBody
from ..._core.protocol import AppendTextCommand
from ..._core.tracebacks import user_traceback
from ...exceptions import SessionClosedException, SessionException
from .kinds import ThreadSession

__all__ = ["Cell", "NotebookAppSession", "compile_cells", "display", "session_factory"]

_MAGIC_HELP = (
    'IPython magics and !shell lines need kernel mode: set dashboard_mode to "kernel" '
    "(notebook metadata pywebio_nb.dashboard_mode, or c.WebIO.dashboard_mode)"
)


@dataclass(frozen=True)
class Cell:
    """One prepared notebook cell.

    Attributes:
        kind: ``"markdown"``, ``"code"`` or ``"error"`` (a cell that cannot run here).
        text: the Markdown source, or the error's message.
        body: the code before the last expression (``None`` for other kinds); a cell with
            top-level ``await`` is one coroutine, its last expression included.
        last: the last expression, displayed when not ``None`` (``None`` if there is none).
        result: in a cell with top-level ``await``: the name its last value is left under.
    """

    kind: str
    text: str = ""
    body: Any = None
    last: Any = None
    result: str = ""


#: Where a cell with top-level ``await`` leaves its last value (taken out after the cell).
_RESULT = "_pywebio_nb_cell_result_"


def _magic_line(source: str) -> tuple[int, str] | None:
    for number, line in enumerate(source.splitlines(), 1):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            return number, stripped
    return None


#: Modules whose ``display`` needs an IPython shell (without one it only prints the object).
_IPYTHON_DISPLAY = {"IPython.display", "IPython.core.display", "IPython.core.display_functions"}
#: The name session-mode code finds this module's :func:`display` under.
_DISPLAY = "_pywebio_nb_display_"


class _OwnDisplay(ast.NodeTransformer):
    """``from IPython.display import display`` gives this module's :func:`display` instead."""

    def visit_ImportFrom(self, node: ast.ImportFrom) -> Any:
        if node.module not in _IPYTHON_DISPLAY:
            return node
        bound = [alias.asname or alias.name for alias in node.names if alias.name == "display"]
        swaps = [
            ast.copy_location(
                ast.Assign([ast.Name(bound_name, ast.Store())], ast.Name(_DISPLAY, ast.Load())),
                node,
            )
            for bound_name in bound
        ]
        return [node, *swaps] if swaps else node


def compile_cells(cells: tuple[tuple[str, str], ...], name: str) -> tuple[Cell, ...]:
    """Prepare a notebook's ``(kind, source)`` cells once; each visitor runs the result.

    Example:
        >>> [c.kind for c in compile_cells((("markdown", "# T"), ("code", "!ls")), "nb")]
        ['markdown', 'error']
        >>> compile_cells((("code", "%time 1"),), "nb")[0].text  # doctest: +ELLIPSIS
        'code cell 1, line 1 (%time 1): IPython magics and !shell lines need kernel mode...'
    """
    prepared: list[Cell] = []
    number = 0
    for kind, source in cells:
        if kind != "code":
            prepared.append(Cell("markdown", source))
            continue
        number += 1
        filename = f"<{name} cell {number}>"
        try:
            tree = ast.parse(source, filename)
        except SyntaxError as error:
            magic = _magic_line(source)
            if magic is not None:
                line, text = magic
                message = f"code cell {number}, line {line} ({text}): {_MAGIC_HELP}"
            else:
                message = f"code cell {number}, line {error.lineno}: SyntaxError: {error.msg}"
            prepared.append(Cell("error", message))
            continue
        tree = ast.fix_missing_locations(_OwnDisplay().visit(tree))
        flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        ends_in_value = bool(tree.body) and isinstance(tree.body[-1], ast.Expr)
        whole = compile(tree, filename, "exec", flags=flags)
        if whole.co_flags & inspect.CO_COROUTINE:
            # One coroutine for the whole cell (as IPython runs it): the last value is kept.
            if ends_in_value:
                value = cast(ast.Expr, tree.body[-1]).value
                keep = ast.Assign([ast.Name(_RESULT, ast.Store())], value)
                tree.body[-1] = ast.copy_location(keep, tree.body[-1])
                ast.fix_missing_locations(tree)
                whole = compile(tree, filename, "exec", flags=flags)
            prepared.append(Cell("code", source, whole, result=_RESULT if ends_in_value else ""))
            continue
        last = None
        if ends_in_value:
            expression = ast.Expression(cast(ast.Expr, tree.body[-1]).value)
            del tree.body[-1]
            last = compile(expression, filename, "eval", flags=flags)
        body = compile(tree, filename, "exec", flags=flags)
        prepared.append(Cell("code", source, body, last))
    return tuple(prepared)


class NotebookAppSession(ThreadSession):
    """One visitor of a session-mode dashboard: the notebook's cells in the session's thread."""

    kind = "dashboard-session"

    def __init__(self, cells: tuple[Cell, ...], **kwargs: Any) -> None:
        super().__init__(self._run_cells, **kwargs)
        self.cells = cells
        self._streams: dict[tuple[int, str], Output] = {}

    def _run_cells(self) -> None:
        namespace: dict[str, Any] = {
            "__name__": "__main__",
            "__builtins__": _BUILTINS,
            "display": display,
            _DISPLAY: display,
        }
        _install_streams()
        loops: list[asyncio.AbstractEventLoop] = []

        def loop() -> asyncio.AbstractEventLoop:
            """The visitor's one event loop for top-level ``await`` (made on first use)."""
            if not loops:
                loops.append(asyncio.new_event_loop())
            return loops[0]

        try:
            self._run_code_cells(namespace, loop)
        finally:
            for made in loops:
                made.close()

    def _run_code_cells(self, namespace: dict[str, Any], loop: LoopOf) -> None:
        for cell in self.cells:
            if cell.kind == "markdown":
                self.put({"type": "markdown", "md": cell.text, "sanitize": True})
                continue
            if cell.kind == "error":
                self.put({"type": "error", "title": cell.text})
                return
            try:
                _run(cell.body, namespace, loop)
                value = None
                if cell.result:
                    value = namespace.pop(cell.result, None)
                elif cell.last is not None:
                    value = _run(cell.last, namespace, loop)
                if value is not None:
                    display(value)
            except SessionException:
                return  # the visitor has gone
            except Exception as error:
                self.show_error(error)
                return
            finally:
                self._streams.clear()  # a new cell's print starts a new text block

    def show_error(self, error: BaseException) -> None:
        """An error box: the error's name and message; its traceback only with ``debug``."""
        spec: ErrorBody = {"type": "error", "title": f"{type(error).__name__}: {error}"}
        if self.debug:
            spec["traceback"] = user_traceback(error)
        self.put(spec)

    def write_stream(self, name: str, text: str) -> None:
        """Show printed text, appended to the thread's last text block when it is still last."""
        key = (threading.get_ident(), name)
        with self.lock:
            scope = self.resolve_scope(None)
            children = scope.children or []
            last = self._streams.get(key)
            if last is not None and children and children[-1] is last:
                last.spec["text"] += text
                append: AppendTextCommand = {"op": "append", "id": last.spec["id"], "text": text}
                self._queue(self.root, append)
                return
            out = self.make({"type": "stream", "name": name, "text": text})
            self._insert(out, scope, -1)
            self._streams[key] = out


def _builtin_input(prompt: Any = "") -> str:
    """Python's ``input()`` would read the server's terminal: a clear error instead."""
    raise RuntimeError(
        "the builtin input() reads the server's terminal, not the visitor's page: "
        "use `from pywebio_nb.input import input`"
    )


#: The builtins of session-mode notebooks (shared, never written): ``input`` refused, as a
#: kernel refuses it to a dashboard (``StdinNotImplementedError``).
_BUILTINS = {**vars(builtins), "input": _builtin_input}


#: Gives the visitor's event loop (made on first use).
LoopOf = Callable[[], asyncio.AbstractEventLoop]


def _run(code: Any, namespace: dict[str, Any], loop: LoopOf) -> Any:
    """Run compiled cell code; code with top-level ``await`` on the visitor's event loop.

    Only code compiled as a coroutine is awaited: a cell whose last value is a coroutine
    object (``fetch()`` not awaited) shows it, as IPython does.
    """
    result = eval(code, namespace)  # the notebook's own code, as a kernel runs it
    if code.co_flags & inspect.CO_COROUTINE:  # a cell with top-level await
        result = loop().run_until_complete(result)
    return result


def display(*objs: Any, raw: bool = False, **_options: Any) -> None:
    """Show objects in a session-mode dashboard as a kernel would (``IPython.display.display``).

    Each object's richest format (``_repr_mimebundle_``, ``_repr_html_``, ``_repr_png_``...,
    else its ``repr``); with ``raw=True`` each object is a mimebundle already.

    Example:
        >>> display({"text/markdown": "**hi**"}, raw=True)  # doctest: +SKIP
    """
    session = session_var.get()
    for obj in objs:
        if not isinstance(session, NotebookAppSession):
            print(repr(obj))
            continue
        shower = getattr(type(obj), "_ipython_display_", None)
        if callable(shower) and not raw:
            obj._ipython_display_()
            continue
        data = obj if raw and isinstance(obj, dict) else bundle_of(obj)
        spec = spec_of_bundle(data)
        if spec is not None:
            session.put(spec)


class _SessionStream:
    """``sys.stdout``/``sys.stderr`` of the server: a session-mode dashboard's text to its page.

    Writes from any other thread go to the stream it replaced, unchanged. A write from a
    session that has ended raises ``SessionClosedException``, as a ``put_*`` call does there,
    so a cell that loops on ``print()`` stops when its visitor has gone.
    """

    def __init__(self, original: Any, name: str) -> None:
        self.original = original
        self.name = name

    def write(self, text: str) -> int:
        session = session_var.get(None)
        if isinstance(session, NotebookAppSession):
            if session.is_closed:
                raise SessionClosedException("the page was closed")
            if text:
                session.write_stream(self.name, text)
            return len(text)
        return int(self.original.write(text))

    def flush(self) -> None:
        session = session_var.get(None)
        if not isinstance(session, NotebookAppSession):
            self.original.flush()

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.original, name)


_install_lock = threading.Lock()


def _install_streams() -> None:
    """Route ``print()`` of session-mode dashboards to their pages (once per process)."""
    with _install_lock:
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            if not isinstance(stream, _SessionStream):
                setattr(sys, name, _SessionStream(stream, name))


def session_factory(cells: tuple[Cell, ...]) -> Callable[..., NotebookAppSession]:
    """A ``cls(app, **options)``-shaped factory for a notebook's sessions (``WebIOServer``).

    Example:
        >>> make = session_factory(())
    """

    def make(_app: Any, **options: Any) -> NotebookAppSession:
        return NotebookAppSession(cells, **options)

    return make
