"""Sessions: who owns the document, the scope registry, callbacks, and when commands are sent.

A :class:`Session` is one user's view of pywebio_nb: in a notebook, the whole kernel (one root per
cell execution); in a standalone app, one visitor's page (one root). Hosts subclass it and
provide the host interface (:class:`pywebio_nb._core.host.Host`): at least
:meth:`Session.task_root` (what ``'ROOT'`` means for the running code) and
:meth:`Session.deliver` (send one encoded batch). Events from views go through the dispatcher
of ``events.py``; waits through ``waiting.py``.

Sending is explicit and batched. Every mutation encodes its command at once (so later changes to a
node cannot alter what was queued) and appends it to its root's queue; a shared flusher thread
sends queued commands a few milliseconds later, one message per root, so a loop of many ``put_*``
calls costs one message per batch, while a lone ``put_text`` before a long computation still shows
at once. Hosts flush synchronously where latency matters (end of a cell, end of a callback, before
a blocking wait).
"""

from __future__ import annotations

import itertools
import re
import secrets
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from typing import Any, cast

from .context import per_session, pop_scope, push_scope
from .context import stack_var as _stack_var
from .context import stores as _stores
from .document import Output, Root, Spec, resolve_index
from .encoding import encode as _encode
from .events import EventsMixin
from .flusher import flusher
from .host import HostDefaults, LocalData
from .log_limit import LogLimit
from .nodes import NodeBody
from .protocol import (
    NAME_PATTERN,
    PROTOCOL_VERSION,
    ClearCommand,
    Command,
    PutCommand,
    RemoveCommand,
    RowsCommand,
    RowsEvent,
    SnapshotMessage,
    UpdateCommand,
)
from .saved import forget_answered
from .waiting import Mailbox, WaitingMixin

__all__ = [
    "Session",
    "per_session",
    "pop_scope",
    "push_scope",
]

_name_ok = re.compile(NAME_PATTERN).match


class Session(HostDefaults, EventsMixin, WaitingMixin):
    """The document, scopes and callbacks of one notebook kernel or one app visitor."""

    #: Shown in error messages ("no scope named 'x' in this notebook").
    kind = "session"

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._send_lock = threading.Lock()
        self._ids = itertools.count(1)
        self.scopes: dict[str, Output] = {}
        self.callbacks: dict[int, tuple[Callable[[Any], Any], Root | None]] = {}
        #: Row windows of large tables by node id: ``source(start, count)`` -> a ``rows`` command.
        self.row_sources: dict[int, tuple[Callable[[int, int], dict[str, Any]], Root]] = {}
        self._dirty: set[Root] = set()
        self._flush_requested = False
        #: The flusher's last wait for this session, and when output was last sent (monotonic).
        self._flush_wait = 0.0
        self._flushed_at = -float("inf")
        #: Whether the session ended (PyWebIO's ``closed()`` asks this).
        self.is_closed = False
        #: node id -> ``sink(content, buffers)`` for ``{"kind": "input"}`` events (forms, pins)
        self.event_sinks: dict[int, Callable[[dict[str, Any], list[Any]], None]] = {}
        self._mailboxes: weakref.WeakSet[Mailbox] = weakref.WeakSet()
        #: Log lines this session's visitor can cause, bounded (see ``log_limit.py``).
        self.log_limit = LogLimit()
        #: Mailboxes of questions to the page (``eval_js``), by answer kind and id.
        self._answers: dict[tuple[str, int], Mailbox] = {}
        self._answer_ids = itertools.count(1)
        #: Per-session attributes (``pywebio_nb.session.local``).
        self.local = LocalData()
        #: ``set_env()`` values (a standalone page applies them; a notebook only keeps them).
        self.env: dict[str, Any] = {}

    # -- what hosts provide -------------------------------------------------------------------

    def task_root(self) -> Root:
        """The root that ``'ROOT'`` means for the running code (created on first use)."""
        raise NotImplementedError

    def deliver(self, root: Root, seq: int, payload: bytes) -> None:
        """Send one batch of encoded commands to the views of ``root``."""
        raise NotImplementedError

    def log_exception(self, message: str) -> None:
        """Record an internal error that cannot be shown to the user (rate-limited)."""
        self.log_limit.exception(message)

    # -- roots --------------------------------------------------------------------------------

    def new_root(self, key: object = None) -> Root:
        """Create an empty root; the host shows it (a notebook displays its widget)."""
        scope = Output(
            self, {"id": next(self._ids), "type": "scope", "name": "ROOT", "children": []}
        )
        scope.children = []
        return Root(scope, key)

    def discard_root(self, root: Root) -> None:
        """Forget a root: its named scopes and the callbacks registered while it was current."""
        with self.lock:
            root.closed = True
            self._dirty.discard(root)
            root.pending = []
            for name, scope in list(self.scopes.items()):
                if scope.find_root() is root:
                    del self.scopes[name]
            for callback_id, (_, owner) in list(self.callbacks.items()):
                if owner is root:
                    del self.callbacks[callback_id]
            for node_id, (_, owner) in list(self.row_sources.items()):
                if owner is root:
                    del self.row_sources[node_id]

    def closed(self) -> bool:
        """Whether the session ended (the visitor left, or the app finished): PyWebIO's method.

        Example:
            >>> from pywebio_nb.session import get_current_session  # doctest: +SKIP
            >>> while not get_current_session().closed():  # doctest: +SKIP
            ...     time.sleep(1)
        """
        return self.is_closed

    def close(self) -> None:
        """The session ended: every wait raises ``SessionClosedException`` (hosts do more)."""
        self.is_closed = True
        self.cancel_waits()

    def drop_state(self) -> None:
        """Remove this session from every :func:`per_session` store (it ended)."""
        for store in _stores:
            store.pop(self, None)

    def snapshot(self, root: Root) -> str:
        """The JSON snapshot of ``root``, taken after sending what is queued (in order)."""
        with self._send_lock:
            with self.lock:
                batches = self._take_batches()
                snapshot = self.snapshot_now(root)
            self._deliver_all(batches)
        return snapshot

    def snapshot_now(self, root: Root) -> str:
        """The JSON snapshot of ``root`` as it is (under :attr:`lock`): the one builder."""
        message: SnapshotMessage = {
            "kind": "snapshot",
            "v": PROTOCOL_VERSION,
            "seq": root.seq,
            "root": root.scope.spec,  # type: ignore[typeddict-item]
        }
        return _encode(message)

    # -- scopes -------------------------------------------------------------------------------

    def check_name(self, name: object, argument: str = "name") -> str:
        """Validate a scope or pin name, raising an error that names the argument."""
        if not isinstance(name, str):
            raise TypeError(f"{argument} must be a str, got {type(name).__name__} {name!r}")
        if not _name_ok(name):
            raise ValueError(
                f"{argument}={name!r} is not a valid name: use only letters, digits, '_' and '-'"
            )
        return name

    def resolve_scope(self, scope: str | int | None, argument: str = "scope") -> Output:
        """The scope node named by ``scope``: a name, an index into the scope stack, or current."""
        if scope is None:
            stack = _stack_var.get()
            if not stack:
                return self.task_root().scope
            scope = stack[-1]
        elif isinstance(scope, int) and not isinstance(scope, bool):
            names = ("ROOT", *_stack_var.get())
            try:
                scope = names[scope]
            except IndexError:
                raise ValueError(
                    f"{argument}={scope} is out of range: the scope stack is {list(names)}"
                ) from None
        elif not isinstance(scope, str):
            raise TypeError(
                f"{argument} must be a scope name or a stack index, got "
                f"{type(scope).__name__} {scope!r}"
            )
        if scope == "ROOT":
            return self.task_root().scope
        node = self.scopes.get(scope)
        if node is None or node.find_root() is None:
            self.check_name(scope, argument)
            raise ValueError(
                f"{argument}={scope!r}: no scope with this name exists in this {self.kind}"
            )
        return node

    def new_scope_name(self) -> str:
        """A fresh scope name for ``use_scope()`` without a name."""
        return "scope-" + secrets.token_hex(5)

    # -- mutations ----------------------------------------------------------------------------

    def put(self, spec: NodeBody, scope: str | int | None = None, position: int = -1) -> Output:
        """Create an output from a node body and place it in a scope."""
        target = self.resolve_scope(scope)
        out = self.make(spec)
        with self.lock:
            self._insert(out, target, position)
        return out

    def detach_all(self, outputs: Iterable[Output]) -> None:
        """Take outputs out of wherever they are shown, before embedding them in a new container.

        Call this before reading their ``spec`` to build the container's spec.
        """
        with self.lock:
            for out in sorted(outputs, key=_queue_position, reverse=True):
                self._detach(out)

    def make(
        self, body: NodeBody, embedded: Iterable[Output] = (), output_class: type[Output] = Output
    ) -> Output:
        """Create an unplaced output; detached ``embedded`` outputs inside ``body`` move into it.

        The body becomes the output's node in place (a ``NodeSpec``: the body and its ``id``).
        A container with a ``children`` list starts empty: fill it with :meth:`adopt_children`.
        ``output_class`` lets a family return its own :class:`Output` subclass (a container
        usable as a context manager).
        """
        spec = cast("Spec", body)
        spec["id"] = next(self._ids)
        out = output_class(self, spec)
        if "children" in spec:
            out.children = []
        for child in embedded:
            child.parent = out
        return out

    def adopt_children(self, container: Output, children: list[Output]) -> None:
        """Make ``children`` (placed anywhere) the child list of a container from :meth:`make`."""
        with self.lock:
            for child in sorted(children, key=_queue_position, reverse=True):
                self._detach(child)
            assert container.children is not None
            container.children.extend(children)
            container.spec["children"].extend(child.spec for child in children)
            for child in children:
                child.parent = container

    def place(self, out: Output, scope: str | int | None = None, position: int = -1) -> Output:
        """Place an output created by :meth:`make` into a scope."""
        target = self.resolve_scope(scope)
        with self.lock:
            self._insert(out, target, position)
        return out

    def _insert(self, out: Output, target: Output, position: int) -> None:
        if out.parent is not None:
            self._detach(out)
        root = target.root or target.find_root()
        if root is None or root.closed:
            raise ValueError("the target scope is no longer shown (its cell was re-run)")
        children = target.children
        assert children is not None, "scope nodes always have a child list"
        spec = out.spec
        length = len(children)
        if position == -1 or position >= length:
            index = length
            children.append(out)
            target.spec["children"].append(spec)
        else:
            index = resolve_index(position, length)
            children.insert(index, out)
            target.spec["children"].insert(index, spec)
        out.parent = target
        pending = root.pending
        out._queued = (pending, len(pending))
        put: PutCommand = {
            "op": "put",
            "parent": target.spec["id"],
            "index": index,
            "node": spec,  # type: ignore[typeddict-item]
        }
        pending.append(_encode(put))
        self._mark_dirty(root)  # hosts decide how a flush is scheduled (thread, event loop)

    def _detach(self, out: Output) -> None:
        """Take ``out`` out of wherever it is shown, cancelling its unsent put when possible."""
        parent = out.parent
        if parent is None:
            return
        root = parent.find_root()
        queued = out._queued
        out._queued = None
        out.parent = None
        if parent.children is not None:
            children = parent.children
            index = len(children) - 1
            while index >= 0 and children[index] is not out:
                index -= 1
            if index >= 0:
                del children[index]
                del parent.spec["children"][index]
        else:
            # Embedded in a fixed slot (a table cell...): leave an empty node in the slot.
            out.spec = dict(out.spec)
            old = parent_slot_spec(parent.spec, out.spec["id"])
            if old is not None:
                old.clear()
                old.update({"type": "empty"})
        if root is None or root.closed:
            return
        if queued is not None and queued[0] is root.pending and queued[1] == len(root.pending) - 1:
            root.pending.pop()  # its put was the last queued command: never send it
            while root.pending and root.pending[-1] is None:
                root.pending.pop()
            return
        remove: RemoveCommand = {"op": "remove", "id": out.spec["id"]}
        self._queue(root, remove)

    def remove(self, out: Output) -> None:
        """Remove an output (and its subtree) from the document."""
        with self.lock:
            self._forget_scopes(out)
            self._detach(out)

    def clear(self, scope: Output) -> None:
        """Remove every child of a scope."""
        with self.lock:
            assert scope.children is not None
            for child in scope.children:
                self._forget_scopes(child)
                child.parent = None
                child._queued = None
            scope.children.clear()
            scope.spec["children"].clear()
            forget_answered(scope)
            root = scope.find_root()
            if root is not None and not root.closed:
                clear: ClearCommand = {"op": "clear", "id": scope.spec["id"]}
                self._queue(root, clear)

    def _forget_scopes(self, out: Output) -> None:
        """Unregister the named scopes (and row sources) inside a subtree that is going away."""
        self.row_sources.pop(out.spec.get("id"), None)  # type: ignore[arg-type]
        # A named scope, or a container entered with ``with`` (its generated scope name).
        name = out.spec.get("name") if out.spec.get("type") == "scope" else out.scope_alias
        if isinstance(name, str) and self.scopes.get(name) is out:
            del self.scopes[name]
        for child in out.children or ():
            self._forget_scopes(child)

    def update_node(self, out: Output, attrs: dict[str, Any]) -> None:
        """Change attributes of a node; re-encodes its put if still unsent, else sends an update."""
        with self.lock:
            out.spec.update(attrs)
            root = out.find_root()
            if root is None or root.closed:
                return
            queued = out._queued
            # Re-encode the put only while it is the last command: after it, a sibling may have
            # moved its index or a put into a scope inside it would arrive a second time.
            if (
                queued is not None
                and queued[0] is root.pending
                and queued[1] == len(root.pending) - 1
            ):
                parent = out.parent
                assert parent is not None
                index = -1 if parent.children is None else _index_of(parent.children, out)
                if index >= 0:
                    put: PutCommand = {
                        "op": "put",
                        "parent": parent.spec["id"],
                        "index": index,
                        "node": out.spec,  # type: ignore[typeddict-item]
                    }
                    root.pending[queued[1]] = _encode(put)
                    return
            update: UpdateCommand = {"op": "update", "id": out.spec["id"], "attrs": attrs}
            self._queue(root, update)

    def command(self, out: Output, command: Command) -> None:
        """Queue a command about ``out`` for the root showing it (no-op when not shown)."""
        with self.lock:
            root = out.find_root()
            if root is not None and not root.closed:
                self._queue(root, command)

    def _queue(self, root: Root, command: Command) -> None:
        root.pending.append(_encode(command))
        self._mark_dirty(root)

    def _mark_dirty(self, root: Root) -> None:
        self._dirty.add(root)
        if not self._flush_requested:
            self._flush_requested = True
            flusher.request(self)

    # -- sending ------------------------------------------------------------------------------

    def next_flush_wait(
        self, now: float, shortest: float, longest: float, pause: float = 0.02
    ) -> float:
        """How long the flusher waits before sending output first queued at ``now`` (seconds).

        ``shortest`` after a pause; twice the last wait while output keeps coming, that is
        while the first put after a flush follows it within that flush's wait (or within
        ``pause``, so that a busy machine's scheduling delays do not count as pauses); at most
        ``longest``.

        Example:
            >>> session = Session()
            >>> session.next_flush_wait(0.0, 0.004, 0.1)
            0.004
            >>> session._flushed_at = 0.004
            >>> session.next_flush_wait(0.005, 0.004, 0.1)
            0.008
        """
        if now - self._flushed_at < max(self._flush_wait, pause):
            self._flush_wait = min(self._flush_wait * 2, longest)
        else:
            self._flush_wait = shortest
        return self._flush_wait

    def flush(self) -> None:
        """Send every queued command now, one batch per root, in order."""
        with self._send_lock:
            with self.lock:
                batches = self._take_batches()
            self._deliver_all(batches)
            if batches:
                self._flushed_at = time.monotonic()

    def _take_batches(self) -> list[tuple[Root, int, list[str]]]:
        self._flush_requested = False
        batches = []
        for root in self._dirty:
            commands = [c for c in root.pending if c is not None]
            root.pending = []
            if commands and not root.closed:
                root.seq += 1
                batches.append((root, root.seq, commands))
        self._dirty.clear()
        return batches

    def _deliver_all(self, batches: list[tuple[Root, int, list[str]]]) -> None:
        for root, seq, commands in batches:
            payload = ("[" + ",".join(commands) + "]").encode()
            try:
                self.deliver(root, seq, payload)
            except Exception:
                self.log_exception(f"sending output to {root!r} failed")

    def register_rows(self, out: Output, source: Callable[[int, int], dict[str, Any]]) -> None:
        """Serve row windows of ``out`` (a large table) to its views; see :meth:`answer_rows`."""
        self.row_sources[out.id] = (source, self.task_root())

    def answer_rows(self, root: Root, event: RowsEvent) -> None:
        """Answer a view's ``rows`` event with a ``rows`` command for that root, sent now."""
        node_id, start, count = event.get("id"), event.get("start"), event.get("count")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (node_id, start, count)):
            return
        entry = self.row_sources.get(node_id)
        if entry is None or root.closed:
            return
        with self.lock:
            window = entry[0](start, count)  # start, total, version, keys, rows
            self._queue(root, cast(RowsCommand, {"op": "rows", "id": node_id, **window}))
        self.flush()

    # -- callbacks ----------------------------------------------------------------------------

    def register_callback(self, callback: Callable[[Any], Any]) -> int:
        """Register ``callback(value)`` and return the id the browser sends back on a click."""
        callback_id = next(self._ids)
        root: Root | None
        try:
            root = self.task_root()
        except Exception:
            root = None
        self.callbacks[callback_id] = (callback, root)
        return callback_id


def _queue_position(out: Output) -> int:
    queued = out._queued
    return -1 if queued is None else queued[1]


def _index_of(children: list[Output], out: Output) -> int:
    for index in range(len(children) - 1, -1, -1):
        if children[index] is out:
            return index
    return -1


def parent_slot_spec(container: Any, node_id: int) -> dict[str, Any] | None:
    """Find the dict with ``id == node_id`` nested anywhere inside a container's spec."""
    if isinstance(container, dict):
        for key, value in container.items():
            if isinstance(value, dict):
                if value.get("id") == node_id:
                    return value
                found = parent_slot_spec(value, node_id)
                if found is not None:
                    return found
            elif isinstance(value, list) and key != "children":
                found = parent_slot_spec(value, node_id)
                if found is not None:
                    return found
    elif isinstance(container, list):
        for value in container:
            if isinstance(value, dict) and value.get("id") == node_id:
                return value
            if isinstance(value, (dict, list)):
                found = parent_slot_spec(value, node_id)
                if found is not None:
                    return found
    return None
