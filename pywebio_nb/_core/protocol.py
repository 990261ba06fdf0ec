r"""The wire protocol between the Python document model and the renderer in ``js/``.

This module (with :mod:`.nodes`, the node shapes, listed in ``PROTOCOL_PARTS``) is the single
source of the protocol's types: ``js/src/protocol.ts`` is generated from them (``npm run
gen:protocol``, see ``js/gen_protocol.py``; CI fails when the file differs), and the JSON
fixtures in ``tests/fixtures/protocol/`` are checked against both sides. ``PROTOCOL_VERSION``
changes whenever a message or a node shape changes incompatibly; it is independent of the
package version.

Kernel → browser:

* ``SnapshotMessage`` — the whole tree of a root, with the batch sequence number it includes.
  Carried by the widget's synced ``_snapshot`` trait (so a view that loads late, reconnects, or
  renders a saved notebook starts from it) and, on request, as a custom message.
* ``ResyncMessage`` — a snapshot sent on a view's request (JSON in the first binary buffer).
* ``BatchMessage`` — an ordered list of ``Command``\\ s, JSON-encoded in the message's first binary
  buffer. Batches are numbered per root; a view that sees a gap asks for a snapshot.
* Page commands of the session API on the widget's comm: ``RunJsMessage``, ``EvalJsMessage``
  and ``DownloadHeader`` (the file in the first binary buffer). All custom messages a notebook
  view receives form ``WidgetMessage``.

Browser → kernel: ``Event`` messages; forms and pins send ``InputEvent`` (file chunks carry
their bytes in the message's first binary buffer; on a standalone page, in the payload of a
binary frame, see below).

The annotations are evaluated (no ``from __future__ import annotations``) so that ``NotRequired``
shows in ``__required_keys__`` / ``__optional_keys__``, which the protocol tests introspect.
"""

from typing import Any, Literal, TypedDict

from typing_extensions import NotRequired

from .nodes import NodeSpec as NodeSpec

#: Carried by snapshots and batches; a view ignores a snapshot of another version.
PROTOCOL_VERSION = 1

#: Where ``scroll_to()`` puts a node in the viewport.
ScrollPosition = Literal["top", "middle", "bottom"]


#: Modules declaring more of the protocol, each generated into a file of its own
#: (``protocol-nodes.ts``) that ``protocol.ts`` re-exports.
PROTOCOL_PARTS = ("pywebio_nb._core.nodes",)

#: TypedDicts whose messages carry keys beyond the declared ones (a node's type-specific keys).
OPEN_TYPES = (NodeSpec,)


class PutCommand(TypedDict):
    """Insert ``node`` (with its subtree) as child number ``index`` of container ``parent``."""

    op: Literal["put"]
    parent: int
    index: int
    node: NodeSpec


class RemoveCommand(TypedDict):
    """Remove a node and its subtree. Unknown ids are ignored."""

    op: Literal["remove"]
    id: int


class ClearCommand(TypedDict):
    """Remove every child of a container."""

    op: Literal["clear"]
    id: int


class ScrollCommand(TypedDict):
    """Scroll the page or notebook so the node is at the given place in the viewport."""

    op: Literal["scroll"]
    id: int
    position: ScrollPosition


class UpdateCommand(TypedDict):
    """Set attributes of an existing node (``style``, ``click``)."""

    op: Literal["update"]
    id: int
    attrs: dict[str, Any]


class AppendTextCommand(TypedDict):
    """Append text to a ``stream`` node (``print()`` output captured in a callback)."""

    op: Literal["append"]
    id: int
    text: str


class ProgressCommand(TypedDict):
    """Set a ``progressbar`` node's value (0..1) and, optionally, its label."""

    op: Literal["progress"]
    id: int
    value: float
    label: NotRequired[str]


class RowsCommand(TypedDict):
    """A window of a ``datatable`` node's rows, answering a :class:`RowsEvent`.

    Rows are lists of cell values in the node's column order; ``keys`` are the row ids. A view
    ignores a window whose ``version`` is older than the node's.
    """

    op: Literal["rows"]
    id: int
    start: int
    total: int
    version: int
    keys: list[Any]
    rows: list[list[Any]]


class RowsChangedCommand(TypedDict):
    """A ``datatable``'s rows changed: drop cached windows and ask again."""

    op: Literal["rows_changed"]
    id: int
    total: int
    version: int


#: Every command a batch may hold.
Command = (
    PutCommand
    | RemoveCommand
    | ClearCommand
    | ScrollCommand
    | UpdateCommand
    | AppendTextCommand
    | ProgressCommand
    | RowsCommand
    | RowsChangedCommand
)

#: Commands about one node that its renderer handles (the others change the tree).
NodeCommand = ProgressCommand | RowsCommand | RowsChangedCommand


class SnapshotMessage(TypedDict):
    """The complete state of one root."""

    kind: Literal["snapshot"]
    v: int
    seq: int
    root: NodeSpec


class BatchMessage(TypedDict):
    """Header of a batch; the commands travel as JSON in ``buffers[0]``."""

    kind: Literal["batch"]
    v: int
    seq: int


class ResyncMessage(TypedDict):
    """Answer to a :class:`SyncEvent`: a ``SnapshotMessage`` as JSON in ``buffers[0]``."""

    kind: Literal["resync"]


class SyncedMessage(TypedDict):
    """Answer to a :class:`SyncEvent` of a view that is not behind: its kernel is there.

    (A notebook view shows a saved output's live view only once its kernel spoke.)
    """

    kind: Literal["synced"]
    seq: int


class CallbackEvent(TypedDict):
    """A click on a button or a clickable output: ``value`` is a button index or ``None``."""

    kind: Literal["callback"]
    cb: int
    value: Any


class SyncEvent(TypedDict):
    """A view saw a gap in the batch sequence and asks for a snapshot."""

    kind: Literal["sync"]
    seq: int


class RowsEvent(TypedDict):
    """A ``datatable`` view asks for ``count`` rows from ``start`` (answered by a RowsCommand)."""

    kind: Literal["rows"]
    id: int
    start: int
    count: int


class JsResultEvent(TypedDict):
    """The answer of a page or a notebook view to an :class:`EvalJsMessage` of the same id."""

    kind: Literal["js_result"]
    id: int
    value: Any


class AssetEvent(TypedDict):
    """A notebook view asks for a part of the frontend loaded on first use (the code editor).

    The kernel answers with an :class:`AssetMessage` of the same name; names not in its
    allow-list are ignored.
    """

    kind: Literal["asset"]
    name: Literal["editor"]


class AssetMessage(TypedDict):
    """Answer to an :class:`AssetEvent`: the file's bytes (an ES module) in ``buffers[0]``."""

    kind: Literal["asset"]
    name: Literal["editor"]


#: What happened in a form or a pin widget (see :class:`InputEvent`).
InputEventName = Literal["submit", "cancel", "blur", "change", "action", "chunk"]


class InputEvent(TypedDict):
    """An event of a form (``input()``...) or a pin widget; ``id`` is the form's or pin's node.

    * ``submit``: ``values`` maps field names to raw values (text as typed; option and button
      indexes; file descriptors ``{filename, size, mime_type, last_modified}``).
    * ``blur`` / ``change``: ``name`` (forms only) and the field's raw ``value``.
    * ``action``: the ``action`` button of field ``name`` was clicked.
    * ``chunk``: ``buffers[0]`` holds bytes ``offset...`` of file number ``file`` (of ``size``
      bytes) of field ``name``. Python answers with an ``update`` of the field's ``progress``.
    * ``cancel``: the Cancel button of a cancelable ``input_group``.
    """

    kind: Literal["input"]
    id: int
    event: InputEventName
    name: NotRequired[str]
    value: NotRequired[Any]
    values: NotRequired[dict[str, Any]]
    file: NotRequired[int]
    offset: NotRequired[int]
    size: NotRequired[int]


#: Every message from a page or a notebook view to Python (``BrowserEvent`` in TypeScript).
Event = CallbackEvent | SyncEvent | JsResultEvent | RowsEvent | InputEvent | AssetEvent

# Standalone pages (WebSocket): text frames carry the JSON messages below (and
# ``SnapshotMessage``); batches and downloads are binary frames
# ``[u32 header length, big-endian][header JSON][payload]`` whose header is a
# ``BatchMessage`` (payload: the commands' JSON) or a ``DownloadHeader`` (payload: the file).
#
# Page → server: an ``Event`` is a JSON text frame; an event with a buffer (an ``InputEvent``
# ``chunk``) is a binary frame of the same layout whose header is the event and whose payload
# is its one buffer (see ``tests/fixtures/protocol/frame-event-chunk.json``). A binary frame
# shorter than 4 bytes, whose header length runs past its end, or whose header is not a JSON
# object closes the connection with code ``MALFORMED_FRAME_CLOSE_CODE`` and a reason.

#: Close code for a malformed binary frame from the page (1007: invalid frame payload data).
MALFORMED_FRAME_CLOSE_CODE = 1007


class HelloMessage(TypedDict):
    """First message on a connection: the session id (for reconnecting) and the page env."""

    kind: Literal["hello"]
    session: str
    env: dict[str, Any]


class EnvMessage(TypedDict):
    """``set_env()`` values."""

    kind: Literal["env"]
    env: dict[str, Any]


# Page commands (``PageCommand``) go to the page showing the running code: on a standalone page
# as a JSON text frame (a download: a binary frame), in a notebook as a custom message on the
# widget comm of the running cell's root (a download's bytes in ``buffers[0]``). The answer to
# ``eval_js`` comes back as a ``JsResultEvent`` on the same channel.


class RunJsMessage(TypedDict):
    """``run_js()``: code to run with ``args`` as local variables (pages and notebook views)."""

    kind: Literal["run_js"]
    code: str
    args: dict[str, Any]


class EvalJsMessage(TypedDict):
    """``eval_js()``: the page or notebook view answers with a ``JsResultEvent`` of the same id."""

    kind: Literal["eval_js"]
    id: int
    expression: str
    args: dict[str, Any]


class GoAppMessage(TypedDict):
    """``go_app()``: open ``?app=<app>``."""

    kind: Literal["go_app"]
    app: str
    new_window: bool


class EndedMessage(TypedDict):
    """The app finished; the connection closes next and the page must not reconnect."""

    kind: Literal["ended"]
    reason: str


class ErrorMessage(TypedDict):
    """A rejected event (unknown callback id...), logged by the page."""

    kind: Literal["error"]
    message: str


class DownloadHeader(TypedDict):
    """``download()``: the name of a file to save.

    The file's content is the payload of the binary frame (pages) or the message's first binary
    buffer (notebook views).
    """

    kind: Literal["download"]
    name: str


PageCommand = RunJsMessage | EvalJsMessage | DownloadHeader | EnvMessage | GoAppMessage

#: The JSON text frames a standalone page receives.
PageMessage = (
    HelloMessage
    | SnapshotMessage
    | EnvMessage
    | RunJsMessage
    | EvalJsMessage
    | GoAppMessage
    | EndedMessage
    | ErrorMessage
)

#: The headers of the binary frames a standalone page receives.
FrameHeader = BatchMessage | DownloadHeader

#: The custom messages a notebook view receives on its widget's comm.
WidgetMessage = (
    BatchMessage
    | ResyncMessage
    | SyncedMessage
    | AssetMessage
    | RunJsMessage
    | EvalJsMessage
    | DownloadHeader
)


#: Scope and pin names: letters, digits, ``_`` and ``-`` (PyWebIO's rule).
NAME_PATTERN = r"^[A-Za-z0-9_-]+$"
