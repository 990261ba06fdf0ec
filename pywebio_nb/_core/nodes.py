"""The nodes of the wire protocol: ``NodeSpec`` and the body of every node type.

Part of the protocol declared in :mod:`.protocol` (which lists this module in
``PROTOCOL_PARTS``): ``js/src/protocol.ts`` is generated from both, this module first. A
``put_*`` builds a body (``TextBody``...), ``Session.make`` turns it into a node by adding its
``id``; the renderer of each ``type`` in ``js/src/outputs/`` and ``js/src/forms/`` reads the
body's keys (``register<TextBody>("text", ...)``).

The annotations are evaluated (no ``from __future__ import annotations``), as in
:mod:`.protocol`.
"""

from typing import Any, Literal, TypedDict

from typing_extensions import NotRequired


class NodeSpec(TypedDict):
    """One rendered node. ``type`` selects the renderer; other keys are type-specific."""

    id: int
    type: str
    style: NotRequired[str]
    click: NotRequired[int]
    children: NotRequired[list["NodeSpec"]]


# Node bodies: what each ``put_*`` builds, one TypedDict per ``type`` the renderer knows (its
# renderer in ``js/src/outputs/`` or ``js/src/forms/`` reads these keys). ``Session.make`` adds
# the ``id`` that turns a body into a ``NodeSpec``; ``update`` commands may add keys later
# (``invalid``, ``error``...). Containers carry their children's nodes in ``children``, set
# when the container is made (``put_container``) and filled by ``Session.adopt_children``.


class NodeBase(TypedDict, total=False):
    """Keys every node may have: a CSS ``style`` and the callback of a ``click``."""

    style: str
    click: int


class TextBody(NodeBase):
    """``put_text``: plain text, in a paragraph or (``inline``) a span."""

    type: Literal["text"]
    text: str
    inline: NotRequired[bool]


class MarkdownBody(NodeBase):
    """``put_markdown``: Markdown source; ``options`` holds marked's ``gfm`` / ``breaks``."""

    type: Literal["markdown"]
    md: str
    sanitize: bool
    options: NotRequired[dict[str, Any]]


class HtmlBody(NodeBase):
    """``put_html``: HTML of the program's author (sanitized when ``sanitize``)."""

    type: Literal["html"]
    html: str
    sanitize: bool


class CodeBody(NodeBase):
    """``put_code``: highlighted source; ``rows`` limits the visible lines."""

    type: Literal["code"]
    code: str
    language: str
    rows: NotRequired[int]


class LinkBody(NodeBase):
    """``put_link``: to a ``url``, or to another ``app`` of the same server."""

    type: Literal["link"]
    text: str
    new_window: bool
    url: NotRequired[str]
    app: NotRequired[str]


class StreamBody(NodeBase):
    """Text a callback printed (``name``: ``stdout`` or ``stderr``), appended to later."""

    type: Literal["stream"]
    name: str
    text: str


class ErrorBody(NodeBase):
    """An error shown to the visitor: a title and, when allowed, the traceback."""

    type: Literal["error"]
    title: str
    traceback: NotRequired[str]


class ButtonItem(TypedDict):
    """One button of a ``buttons`` node (Python keeps its value)."""

    label: str
    color: NotRequired[str]
    disabled: NotRequired[bool]


class ButtonsBody(NodeBase):
    """``put_buttons``: a click sends the button's index to callback ``cb``."""

    type: Literal["buttons"]
    buttons: list[ButtonItem]
    cb: int
    small: NotRequired[bool]
    link: NotRequired[bool]
    outline: NotRequired[bool]
    group: NotRequired[bool]


class TableBody(NodeBase):
    """``put_table``: rows of cells (text or nodes); ``span`` maps ``"row,col"`` to sizes."""

    type: Literal["table"]
    rows: list[list[Any]]
    span: NotRequired[dict[str, list[int]]]


class ImageBody(NodeBase):
    """``put_image``: a URL (a ``data:`` URL for bytes) and CSS sizes."""

    type: Literal["image"]
    src: str
    title: NotRequired[str]
    width: NotRequired[str]
    height: NotRequired[str]


class FileBody(NodeBase):
    """``put_file``: a link that saves ``data`` (base64) as ``name``."""

    type: Literal["file"]
    name: str
    label: str
    mime: str
    data: str


class ScopeBody(NodeBase):
    """A named scope (``put_scope``, ``use_scope``; the root is ``ROOT``)."""

    type: Literal["scope"]
    name: str
    children: NotRequired[list[NodeSpec]]


class OutputBody(NodeBase):
    """``output()``: a placeholder whose content changes later."""

    type: Literal["output"]
    children: NotRequired[list[NodeSpec]]


class EmptyBody(NodeBase):
    """Nothing: a removed node's place, or an empty grid cell."""

    type: Literal["empty"]


class GapBody(NodeBase):
    """A ``None`` in ``put_row`` / ``put_column``: an empty track."""

    type: Literal["gap"]


class LinearBody(NodeBase):
    """``put_row`` / ``put_column``; ``size`` is a CSS grid track list."""

    type: Literal["row", "column"]
    children: NotRequired[list[NodeSpec]]
    size: NotRequired[str]


class GridCell(TypedDict):
    """One cell of a ``grid`` node, spanning ``row`` rows and ``col`` columns."""

    node: NodeSpec | EmptyBody
    row: NotRequired[int]
    col: NotRequired[int]


class GridBody(NodeBase):
    """``put_grid``: CSS grid tracks, the ``flow`` direction and the cells in order."""

    type: Literal["grid"]
    columns: str
    rows: str
    flow: str
    cells: list[GridCell]


class CollapseBody(NodeBase):
    """``put_collapse``: a titled section, ``open`` or not."""

    type: Literal["collapse"]
    title: str
    open: bool
    children: NotRequired[list[NodeSpec]]


class ScrollableBody(NodeBase):
    """``put_scrollable``: a fixed ``height`` or a ``min_height``/``max_height`` pair (px)."""

    type: Literal["scrollable"]
    keep_bottom: bool
    border: bool
    children: NotRequired[list[NodeSpec]]
    height: NotRequired[int]
    min_height: NotRequired[int]
    max_height: NotRequired[int]


class TabPanel(TypedDict):
    """One tab of a ``tabs`` node."""

    title: str
    content: list[NodeSpec]


class TabsBody(NodeBase):
    """``put_tabs``."""

    type: Literal["tabs"]
    tabs: list[TabPanel]


class WidgetBody(NodeBase):
    """``put_widget``: a Mustache template and its data (which may hold nodes)."""

    type: Literal["widget"]
    template: str
    data: Any


class AlertBody(NodeBase):
    """``put_info`` / ``put_success``...: ``kind`` is the color; ``close`` a callback."""

    type: Literal["alert"]
    kind: str
    children: NotRequired[list[NodeSpec]]
    close: NotRequired[int]


class LoadingBody(NodeBase):
    """``put_loading``: a spinner of a ``shape`` and ``color``, around its children."""

    type: Literal["loading"]
    shape: str
    color: str
    children: NotRequired[list[NodeSpec]]


class ProgressBarBody(NodeBase):
    """``put_progressbar``: ``value`` from 0 to 1 (changed by ``progress`` commands)."""

    type: Literal["progressbar"]
    name: str
    value: float
    auto_close: bool
    label: NotRequired[str]


class PopupBody(NodeBase):
    """``popup()``: a dialog; ``close`` is the callback its close button or Escape call."""

    type: Literal["popup"]
    title: str
    size: str
    implicit_close: bool
    closable: bool
    close: int
    children: NotRequired[list[NodeSpec]]


class ToastBody(NodeBase):
    """``toast()``: shown ``duration`` ms (0: until closed); a click calls ``cb``."""

    type: Literal["toast"]
    text: str
    duration: int
    position: str
    color: str
    close: int
    cb: NotRequired[int]


class DataTableColumn(TypedDict):
    """One column of a ``datatable`` node: the row ``field`` it shows."""

    field: str
    header: str
    width: NotRequired[int]


class DataTableBody(NodeBase):
    """``put_datatable``: columns and row count; rows travel in ``rows`` commands."""

    type: Literal["datatable"]
    columns: list[DataTableColumn]
    total: int
    version: int
    height: str
    multiple: bool
    actions: list[str | None]
    cb: int


class FieldOption(TypedDict):
    """One option of a ``select``, ``checkbox`` or ``radio`` field (Python keeps its value)."""

    label: str
    selected: NotRequired[bool]
    disabled: NotRequired[bool]


#: What a form button does: submit the form, reset it, or cancel an ``input_group``.
ButtonType = Literal["submit", "reset", "cancel"]


class FormButton(TypedDict):
    """One button of an ``actions`` field (Python keeps its value)."""

    label: str
    type: ButtonType
    disabled: NotRequired[bool]
    color: NotRequired[str]


class CodeOptions(TypedDict):
    """The editor of a ``textarea`` field with ``code``."""

    language: str
    theme: str


class FieldAction(TypedDict):
    """The button beside an ``input`` field whose click calls its ``action`` callback."""

    label: str


class FieldBody(NodeBase):
    """One field of a ``form`` node (``type: "field"``), or a pin widget (``type: "pin"``).

    ``input`` is the kind (text, number, float, password, url, date, time, color,
    datetime-local, textarea, select, checkbox, radio, slider, actions, file). Options and
    buttons carry labels only; Python keeps their values. Updated later with ``invalid``
    (an error message or null), ``progress`` (bytes received), ``value``, ``options``...
    """

    type: Literal["field", "pin"]
    input: str
    name: NotRequired[str]
    label: NotRequired[str]
    value: NotRequired[Any]
    placeholder: NotRequired[str]
    required: NotRequired[bool]
    readonly: NotRequired[bool]
    help_text: NotRequired[str]
    datalist: NotRequired[list[str]]
    action: NotRequired[FieldAction]
    options: NotRequired[list[FieldOption]]
    multiple: NotRequired[bool]
    inline: NotRequired[bool]
    rows: NotRequired[int]
    code: NotRequired[CodeOptions]
    maxlength: NotRequired[int]
    minlength: NotRequired[int]
    buttons: NotRequired[list[FormButton]]
    accept: NotRequired[str]
    max_size: NotRequired[int]
    max_total_size: NotRequired[int]
    min: NotRequired[float]
    max: NotRequired[float]
    step: NotRequired[float | str]
    onblur: NotRequired[bool]
    onchange: NotRequired[bool]
    invalid: NotRequired[str | None]
    attrs: NotRequired[dict[str, str]]
    progress: NotRequired[int | None]


class FieldNode(FieldBody):
    """A placed field (its ``id`` is the node's)."""

    id: int


class FormBody(NodeBase):
    """A waiting form: its fields, and whether its last ``actions`` field replaces the buttons.

    Updated with ``error`` (a form-level message), ``disabled`` and ``status``
    (``"interrupted"`` or ``"closed"``); removed once its answer is accepted.
    """

    type: Literal["form"]
    fields: list[FieldNode]
    label: NotRequired[str]
    cancelable: NotRequired[bool]
    own_buttons: NotRequired[bool]


#: What ``Session.make`` turns into a node: every body above.
NodeBody = (
    TextBody
    | MarkdownBody
    | HtmlBody
    | CodeBody
    | LinkBody
    | StreamBody
    | ErrorBody
    | ButtonsBody
    | TableBody
    | ImageBody
    | FileBody
    | ScopeBody
    | OutputBody
    | EmptyBody
    | GapBody
    | LinearBody
    | GridBody
    | CollapseBody
    | ScrollableBody
    | TabsBody
    | WidgetBody
    | AlertBody
    | LoadingBody
    | ProgressBarBody
    | PopupBody
    | ToastBody
    | DataTableBody
    | FieldBody
    | FormBody
)

#: The bodies of containers (their ``children`` are filled by ``Session.adopt_children``).
ContainerBody = (
    ScopeBody
    | OutputBody
    | LinearBody
    | CollapseBody
    | ScrollableBody
    | AlertBody
    | LoadingBody
    | PopupBody
)
