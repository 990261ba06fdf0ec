"""The notebook host: ``put_*`` and ``input()`` in Jupyter notebook cells.

* ``session`` — :class:`NotebookSession`: one per kernel, one root per cell execution, callbacks
  run in the kernel with their prints and errors shown in the clicked cell.
* ``widget`` — the anywidget that shows one root in a cell's output.
* ``persist`` — each root's saved copy written into its cell output once per cell, so a saved
  notebook shows it without a kernel.
* ``threads`` — where a thread started in a cell writes (the ``Thread.start`` hook, undoable).
* ``_pump`` and ``_pump_compat`` — the shell pump: a cell blocks while our comm messages are served
  (and the kernel internals it relies on, per ipykernel version).

May import: the core (``pywebio_nb._core``), ``pywebio_nb.exceptions``, this package, IPython,
ipykernel, anywidget, traitlets, zmq. Never another host or a public package.
"""
