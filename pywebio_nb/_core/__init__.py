"""The host-neutral core: what every place that shows pywebio_nb output shares.

Lives here: the wire protocol (``protocol``; its nodes, one body per node type, in ``nodes``),
the document model (``document``), sessions (``session``: scopes, callbacks, batching, the event
dispatcher and the snapshot builder), waiting for the browser (``waiting``: the one answer
mailbox, blocking or awaited calls), the one JSON encoder (``encoding``), the current-session
context (``context``, a leaf module where hosts register their default session), the host
interface (``host``), visitor facts (``info``), the per-session log bound (``log_limit``), user
tracebacks (``tracebacks``) and the saved copy of a root that outlives its session (``saved``,
with its plain fallback in ``fallback``).

May import: the standard library, ``typing_extensions``, ``pywebio_nb.exceptions`` and modules
of this package. Never a host (``pywebio_nb._hosts``), a public package (``output``, ``input``,
``pin``, ``session``, ``platform``) or a Jupyter package (checked by
``tests/unit/test_import_graph.py``).
"""
