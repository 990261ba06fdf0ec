"""Notebooks as published dashboards at ``<base_url>/webio/<path>.ipynb`` (server side).

* ``_notebooks`` — which notebook a URL means; its code cells, title and mode (runs nothing).
* ``_kernels`` — a kernel per visitor bridged to its page; pool, cap and culling.
* ``_handlers`` — the page GET (or the busy page) and the WebSocket, which lets page events
  through and nothing else.
* ``_jupyter`` — the routes of the Jupyter server extension (imports jupyter_server).

The kernel side is ``pywebio_nb._hosts.notebook.dashboard``, which this package never imports
(it would bring ipykernel into the server): the two share the comm's name and message shapes.
May import: ``pywebio_nb.platform`` (the shared page and socket code, ``.._tornado``), the
app host's framing, the core; tornado, jupyter_client, and jupyter_server in ``_jupyter``.
"""
