"""An in-memory session for unit tests: no kernel, no browser.

:class:`FakeSession` records every batch it would send and replays them into :class:`Mirror`, a
small Python model of what the renderer in ``js/`` keeps, so tests can assert both on the commands
and on what a browser would show.

Example:
    >>> from pywebio_nb._hosts.fake import FakeSession
    >>> from pywebio_nb.output import put_text
    >>> with FakeSession() as session:
    ...     _ = put_text("hi")
    ...     session.flush()
    ...     session.mirror.texts()
    ['hi']
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import Token
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .._core.context import SessionLike
from .._core.context import session_var as _session_var
from .._core.document import Root
from .._core.encoding import encode
from .._core.protocol import PageCommand
from .._core.session import Session
from .._core.waiting import Mailbox

__all__ = ["FakeSession", "Mirror", "find_nodes"]


class Mirror:
    """Applies batches of commands the way the browser does; ``tree`` is the rendered root."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.tree: dict[str, Any] = {}
        self.nodes: dict[int, dict[str, Any]] = {}
        self.parents: dict[int, dict[str, Any]] = {}
        self.seq = 0
        #: datatable rows received, by node id then row index: ``(key, cells)``
        self.rows: dict[int, dict[int, tuple[Any, list[Any]]]] = {}
        self.reset(snapshot)

    def reset(self, snapshot: dict[str, Any]) -> None:
        """Start over from a snapshot message."""
        self.tree = json.loads(json.dumps(snapshot["root"]))
        self.seq = snapshot["seq"]
        self.nodes.clear()
        self.parents.clear()
        self._index(self.tree, None)

    def _index(self, node: Any, parent: dict[str, Any] | None) -> None:
        if isinstance(node, dict):
            if "id" in node and "type" in node:
                self.nodes[node["id"]] = node
                if parent is not None:
                    self.parents[node["id"]] = parent
                parent = node
            for value in node.values():
                self._index(value, parent)
        elif isinstance(node, list):
            for value in node:
                self._index(value, parent)

    def apply(self, seq: int, commands: list[dict[str, Any]]) -> None:
        """Apply one batch; batches must arrive in order."""
        if seq != self.seq + 1:
            raise AssertionError(f"batch {seq} arrived after batch {self.seq}")
        self.seq = seq
        for command in commands:
            getattr(self, "_op_" + command["op"])(command)

    def _op_put(self, command: dict[str, Any]) -> None:
        parent = self.nodes[command["parent"]]
        children = parent["children"]
        children.insert(min(command["index"], len(children)), command["node"])
        self._index(command["node"], parent)

    def _op_remove(self, command: dict[str, Any]) -> None:
        node = self.nodes.pop(command["id"], None)
        parent = self.parents.pop(command["id"], None)
        if node is None or parent is None:
            return
        children = parent.get("children")
        if children is not None and node in children:
            children.remove(node)
        else:
            node.clear()
            node["type"] = "empty"

    def _op_clear(self, command: dict[str, Any]) -> None:
        self.nodes[command["id"]]["children"].clear()

    def _op_update(self, command: dict[str, Any]) -> None:
        node = self.nodes.get(command["id"])
        if node is not None:
            node.update(command["attrs"])

    def _op_append(self, command: dict[str, Any]) -> None:
        self.nodes[command["id"]]["text"] += command["text"]

    def _op_progress(self, command: dict[str, Any]) -> None:
        node = self.nodes[command["id"]]
        node["value"] = command["value"]
        if "label" in command:
            node["label"] = command["label"]

    def _op_rows(self, command: dict[str, Any]) -> None:
        node = self.nodes.get(command["id"])
        if node is None or command["version"] < node.get("version", 0):
            return
        cache = self.rows.setdefault(command["id"], {})
        for offset, row in enumerate(command["rows"]):
            cache[command["start"] + offset] = (command["keys"][offset], row)

    def _op_rows_changed(self, command: dict[str, Any]) -> None:
        node = self.nodes.get(command["id"])
        if node is not None:
            node["total"] = command["total"]
            node["version"] = command["version"]
        self.rows.pop(command["id"], None)

    def _op_scroll(self, command: dict[str, Any]) -> None:
        self.scrolled_to = (command["id"], command["position"])

    def texts(self, node: dict[str, Any] | None = None) -> list[str]:
        """Every ``text`` node's text, in document order."""
        return [
            found["text"] for found in find_nodes(self.tree if node is None else node, type="text")
        ]


def find_nodes(tree: Any, **match: Any) -> list[dict[str, Any]]:
    """Every dict inside ``tree`` whose keys equal ``match``, in document order.

    Example:
        >>> find_nodes({"type": "scope", "children": [{"type": "text", "text": "a"}]}, type="text")
        [{'type': 'text', 'text': 'a'}]
    """
    found: list[dict[str, Any]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if all(value.get(key) == wanted for key, wanted in match.items()):
                found.append(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(tree)
    return found


class FakeSession(Session):
    """A session with one root (like a standalone page) that records what it sends."""

    kind = "test session"

    def __init__(self) -> None:
        super().__init__()
        self.root = self.new_root()
        self.batches: list[tuple[int, list[dict[str, Any]]]] = []
        self.mirror = Mirror(json.loads(self.snapshot(self.root)))
        self._token: Token[SessionLike | None] | None = None
        self.steps: list[Callable[[FakeSession], Any]] = []
        #: Page commands sent (``run_js``, ``eval_js``, ``download``...), with their payload.
        self.page_commands: list[tuple[PageCommand, bytes | None]] = []
        self.tmp: list[Any] = []

    def task_root(self) -> Root:
        """The single root."""
        return self.root

    def deliver(self, root: Root, seq: int, payload: bytes) -> None:
        """Record the batch and apply it to the mirror."""
        # Decode twice: the mirror keeps the nodes it receives, and must not alter the record.
        self.batches.append((seq, json.loads(payload)))
        self.mirror.apply(seq, json.loads(payload))

    def send_page(self, command: PageCommand, payload: bytes | None = None) -> None:
        """Record a page command (after the output queued before it)."""
        encode(command)  # NaN and infinities fail here, as in every host
        self.flush()
        self.page_commands.append((command, payload))

    # -- a scripted browser for forms and pins ---------------------------------------------------

    def answer(self, *steps: Callable[[FakeSession], Any]) -> FakeSession:
        """Script what the "browser" does each time code waits for it, in order.

        Each step gets the session and sends events (:meth:`submit`, :meth:`send_input`...).
        A wait with no step left fails the test instead of hanging.
        """
        self.steps.extend(steps)
        return self

    def block_until(
        self, ready: Callable[[], bool], mailbox: Mailbox, timeout: float | None
    ) -> bool:
        """Run the next scripted step each time the code would wait."""
        while not ready():
            if not self.steps:
                if timeout is not None:
                    return False
                raise AssertionError("the code waited for the browser, but no answer is scripted")
            self.steps.pop(0)(self)
        return True

    async def block_until_async(
        self, ready: Callable[[], bool], mailbox: Mailbox, timeout: float | None
    ) -> bool:
        """Run the next scripted step each time the code would wait."""
        return self.block_until(ready, mailbox, timeout)

    def nodes(self, type_: str) -> list[dict[str, Any]]:
        """Every node of a type the browser shows, in document order."""
        self.flush()
        return find_nodes(self.mirror.tree, type=type_)

    def form(self) -> dict[str, Any]:
        """The last form shown."""
        forms = self.nodes("form")
        assert forms, "no form is shown"
        return forms[-1]

    def field(self, name: str) -> dict[str, Any]:
        """A field of the last form shown."""
        for field in self.form()["fields"]:
            if field.get("name") == name:
                return dict(field)
        raise AssertionError(f"the form has no field {name!r}")

    def send_input(self, node_id: int, buffers: list[Any] | None = None, **content: Any) -> None:
        """Send an ``input`` event for a node, as the renderer does."""
        self.dispatch_input({"kind": "input", "id": node_id, **content}, buffers or [])

    def submit(self, values: dict[str, Any]) -> None:
        """Submit the last form with raw browser values."""
        self.send_input(self.form()["id"], event="submit", values=values)

    def commands(self) -> list[dict[str, Any]]:
        """Every command sent so far, flushing first."""
        self.flush()
        return [command for _, batch in self.batches for command in batch]

    def __enter__(self) -> FakeSession:
        self._token = _session_var.set(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._token is not None:
            _session_var.reset(self._token)
            self._token = None


if TYPE_CHECKING:  # FakeSession satisfies the host interface (checked by mypy)
    from .._core.host import Host

    _fake_session_is_a_host: type[Host] = FakeSession
