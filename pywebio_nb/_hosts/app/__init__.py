"""The app host: standalone pages at ``/webio/<app>``, ``start_server()`` and script mode.

* ``session`` — :class:`AppSession`: one visitor's page (one root), its connection, hello and
  the first snapshot, page commands, ending and cleaning up.
* ``kinds`` — PyWebIO's two kinds of app: ``ThreadSession`` (a plain function in its own thread)
  and ``CoroutineSession`` (an ``async def`` app as a task on the server's event loop).
* ``framing`` — binary frames ``[u32 header length][header JSON][payload]`` both ways, and
  ``ProtocolError`` for a page that breaks them.

May import: the core (``pywebio_nb._core``), ``pywebio_nb.exceptions`` and this package. The
HTTP and WebSocket side (tornado, jupyter_server) is ``pywebio_nb.platform``, which imports this
host, never the other way round.
"""
