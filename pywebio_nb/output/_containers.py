"""Containers: collapsible panels, tabs, scrollable areas and template widgets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._core.current import current_session
from .._core.document import Output
from .._core.nodes import CollapseBody, ScrollableBody, TabsBody, WidgetBody
from ._common import as_list, as_output, check_position, check_type, label_text, put_container

__all__ = ["put_collapse", "put_scrollable", "put_tabs", "put_widget"]


def put_collapse(
    title: str,
    content: Any = (),
    open: bool = False,
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a collapsible panel.

    Args:
        title: the always visible summary line.
        content: an output, a string, or a list of them.
        open: expanded at first.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Returns:
        The panel; ``with put_collapse("t"): put_text(...)`` writes into it.

    Example:
        >>> with put_collapse("Details", open=True):  # doctest: +SKIP
        ...     put_text("hidden until expanded")
    """
    title = label_text(title, "title", "put_collapse")
    check_position(position, "put_collapse")
    items = as_list(content, "content", "put_collapse")
    spec: CollapseBody = {"type": "collapse", "title": title, "open": bool(open)}
    return put_container(spec, items, scope, position)


def put_scrollable(
    content: Any = (),
    height: int | tuple[int, int] | None = 400,
    keep_bottom: bool = False,
    border: bool = True,
    scope: str | int | None = None,
    position: int = -1,
    **kwargs: Any,
) -> Output:
    """Output a fixed-height area that scrolls its content.

    Args:
        content: an output, a string, or a list of them.
        height: the height in pixels; a ``(min, max)`` pair lets it grow between the two;
            ``None`` for no limit.
        keep_bottom: follow new content at the bottom (a log), except while the pointer is over
            the area so the reader keeps their place.
        border: draw a border.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.
        **kwargs: ``max_height`` (deprecated) is taken as ``height``.

    Example:
        >>> with put_scrollable(height=200, keep_bottom=True):  # doctest: +SKIP
        ...     for i in range(100):
        ...         put_text(f"line {i}")
    """
    check_position(position, "put_scrollable")
    max_height = kwargs.pop("max_height", None)
    if kwargs:
        raise TypeError(f"put_scrollable(): unexpected arguments {sorted(kwargs)}")
    if max_height is not None:
        height = max_height
    spec: ScrollableBody = {
        "type": "scrollable",
        "keep_bottom": bool(keep_bottom),
        "border": bool(border),
    }
    if isinstance(height, (tuple, list)):
        if len(height) != 2 or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in height
        ):
            raise ValueError(
                f"put_scrollable(): height must be pixels or a (min, max) pair of pixels, "
                f"got {height!r}"
            )
        spec["min_height"], spec["max_height"] = height
    elif height is not None:
        check_type(height, int, "height", "put_scrollable")
        if height <= 0:
            raise ValueError(f"put_scrollable(): height must be positive, got {height}")
        spec["height"] = height
    items = as_list(content, "content", "put_scrollable")
    return put_container(spec, items, scope, position)


def put_tabs(
    tabs: Sequence[Mapping[str, Any]], scope: str | int | None = None, position: int = -1
) -> Output:
    """Output tabs: one visible panel at a time.

    Args:
        tabs: a list of ``{"title": str, "content": ...}``; content is an output, a string, or
            a list of them.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> put_tabs([
        ...     {"title": "Text", "content": "Hello"},
        ...     {"title": "Code", "content": put_code("x = 1", "python")},
        ... ])  # doctest: +SKIP
    """
    check_position(position, "put_tabs")
    if isinstance(tabs, (str, bytes, Mapping)) or not isinstance(tabs, Sequence):
        raise TypeError(f"put_tabs(): tabs must be a list of dicts, got {tabs!r:.80}")
    parsed: list[tuple[str, list[Any]]] = []
    for index, tab in enumerate(tabs):
        if not isinstance(tab, Mapping):
            raise TypeError(
                f"put_tabs(): tabs[{index}] must be a dict with 'title' and 'content', "
                f"got {tab!r:.80}"
            )
        if "title" not in tab:
            raise ValueError(f"put_tabs(): tabs[{index}] has no 'title': {dict(tab)!r:.80}")
        title = label_text(tab["title"], f"tabs[{index}]['title']", "put_tabs")
        parsed.append((title, as_list(tab.get("content"), f"tabs[{index}]['content']", "put_tabs")))
    session = current_session()
    session.resolve_scope(scope)
    panels = [(title, [as_output(session, item) for item in items]) for title, items in parsed]
    children = [out for _, outs in panels for out in outs]
    session.detach_all(children)
    spec: TabsBody = {
        "type": "tabs",
        "tabs": [{"title": title, "content": [out.node for out in outs]} for title, outs in panels],
    }
    out = session.make(spec, children)
    return session.place(out, scope, position)


def _collect_outputs(value: Any, found: list[Output], path: str) -> None:
    if isinstance(value, Output):
        found.append(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"put_widget(): {path} keys must be strings, got {key!r}")
            _collect_outputs(item, found, f"{path}[{key!r}]")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _collect_outputs(item, found, f"{path}[{index}]")
    elif value is not None and not isinstance(value, (str, int, float, bool)):
        raise TypeError(
            f"put_widget(): {path} must be JSON data or put_*() outputs, "
            f"got {type(value).__name__} {value!r:.80}"
        )


def _to_json(value: Any) -> Any:
    if isinstance(value, Output):
        return value.spec
    if isinstance(value, Mapping):
        return {key: _to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(item) for item in value]
    return value


def put_widget(
    template: str,
    data: Mapping[str, Any],
    scope: str | int | None = None,
    position: int = -1,
) -> Output:
    """Output a custom widget from a Mustache template, rendered in the browser.

    The template is HTML written by the program's author (like :func:`put_html`); values from
    ``data`` are escaped by ``{{name}}``. ``{{& pywebio_output_parse}}`` shows the current item:
    a nested ``put_*`` output, or a string as text.

    Args:
        template: a Mustache template (https://mustache.github.io/mustache.5.html).
        data: the values for the template; any value may be (or contain) ``put_*`` outputs.
        scope: see :func:`put_text`.
        position: see :func:`put_text`.

    Example:
        >>> tpl = '<details {{#open}}open{{/open}}><summary>{{title}}</summary>'
        >>> tpl += '{{#contents}}{{& pywebio_output_parse}}{{/contents}}</details>'
        >>> put_widget(tpl, {"open": True, "title": "More", "contents": [
        ...     "text", put_markdown("**md**")]})  # doctest: +SKIP
    """
    check_type(template, str, "template", "put_widget")
    check_position(position, "put_widget")
    if not isinstance(data, Mapping):
        raise TypeError(f"put_widget(): data must be a dict, got {type(data).__name__}")
    outputs: list[Output] = []
    _collect_outputs(data, outputs, "data")
    session = current_session()
    session.resolve_scope(scope)
    session.detach_all(outputs)
    spec: WidgetBody = {"type": "widget", "template": template, "data": _to_json(data)}
    out = session.make(spec, outputs)
    return session.place(out, scope, position)
