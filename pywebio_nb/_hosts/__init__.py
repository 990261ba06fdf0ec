"""Hosts: the places a session's output is shown, one package or module each.

* ``notebook/`` — one session per kernel, one root per cell execution, shown by an anywidget;
  the shell pump lets a cell block while the kernel keeps serving our comms.
* ``app/`` — standalone pages over a WebSocket: one session per visitor, thread or coroutine
  apps, and the binary framing both ways.
* ``fake.py`` — ``FakeSession`` and ``Mirror``: a host in memory for unit tests and doctests.
* ``lookup.py`` — registers the notebook's and script mode's default session with the core.

Each host implements :class:`pywebio_nb._core.host.Host` on top of
:class:`pywebio_nb._core.session.Session`. May import: the core (``pywebio_nb._core``),
``pywebio_nb.exceptions``, the host's own package, and its transport's libraries (ipykernel and
anywidget for the notebook, tornado for apps). A host never imports another host, nor the public
packages (``output``, ``input``, ``pin``, ``session``); only ``lookup`` reaches
``pywebio_nb.platform`` (script mode's server), lazily.
"""
