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


def test_only_code_compiled_as_a_coroutine_is_awaited_on_one_loop_per_visitor() -> None:
    import asyncio

    from pywebio_nb._hosts.app.notebook import _run

    cells = compile_cells(
        (
            ("code", "import asyncio\nasync def fetch():\n    return 7\nfetch()"),
            ("code", "loop_a = asyncio.get_running_loop()\nawait fetch()"),
            ("code", "loop_b = asyncio.get_running_loop()\nawait asyncio.sleep(0)\nloop_b"),
        ),
        "nb.ipynb",
    )
    namespace: dict[str, object] = {}
    loops: list[asyncio.AbstractEventLoop] = []

    def loop() -> asyncio.AbstractEventLoop:
        if not loops:
            loops.append(asyncio.new_event_loop())
        return loops[0]

    try:
        _run(cells[0].body, namespace, loop)
        shown = _run(cells[0].last, namespace, loop)  # a coroutine object: shown, not run
        assert asyncio.iscoroutine(shown)
        shown.close()
        # A cell with top-level await is one coroutine (as IPython runs it), last value kept.
        assert cells[1].last is None and cells[1].result
        _run(cells[1].body, namespace, loop)
        assert namespace.pop(cells[1].result) == 7
        _run(cells[2].body, namespace, loop)
        assert namespace.pop(cells[2].result) is loops[0]
        assert namespace["loop_a"] is namespace["loop_b"] is loops[0]  # one loop for the visitor
    finally:
        for made in loops:
            made.close()


def test_end_when_idle_ends_an_idle_session_and_looks_again_at_an_active_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time
    from typing import Any

    from pywebio_nb.platform._dashboards import _handlers

    class Visitor:
        def __init__(self, idle_for: float) -> None:
            self.last_event = time.monotonic() - idle_for
            self.is_closed = False
            self.ended: list[str] = []

        def end(self, reason: str) -> None:
            self.ended.append(reason)
            self.is_closed = True

    later: list[tuple[float, Any, tuple[Any, ...]]] = []

    class Loop:
        def call_later(self, delay: float, function: Any, *args: Any) -> None:
            later.append((delay, function, args))

    monkeypatch.setattr(_handlers.asyncio, "get_running_loop", Loop)
    idle, active = Visitor(idle_for=120), Visitor(idle_for=0)
    _handlers.end_when_idle(idle, 60)  # type: ignore[arg-type]
    _handlers.end_when_idle(active, 60)  # type: ignore[arg-type]
    assert idle.ended == ["idle for too long"] and active.ended == []
    ((delay, function, args),) = later  # the active one is looked at again when its time is up
    assert 0 < delay <= 60 and args == (active, 60)
    active.last_event -= 120  # no page event since
    function(*args)
    assert active.ended == ["idle for too long"]
    function(*args)  # an ended visitor: nothing more
    assert active.ended == ["idle for too long"] and len(later) == 1


def test_print_from_a_visitor_who_has_gone_stops_the_cell() -> None:
    import asyncio
    import io

    from pywebio_nb._core.context import session_var
    from pywebio_nb._hosts.app.notebook import NotebookAppSession, _SessionStream
    from pywebio_nb.exceptions import SessionClosedException

    loop = asyncio.new_event_loop()
    server_stdout = io.StringIO()
    stream = _SessionStream(server_stdout, "stdout")
    session = NotebookAppSession((), loop=loop)
    token = session_var.set(session)
    try:
        session.close()
        with pytest.raises(SessionClosedException):
            stream.write("tick\n")  # a `while True: print(...)` cell ends here
    finally:
        session_var.reset(token)
        loop.close()
    stream.write("server line\n")  # other threads: the server's own stream
    assert server_stdout.getvalue() == "server line\n"
