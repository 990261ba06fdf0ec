"""pywebio_nb: PyWebIO's imperative UI model, Jupyter-first."""
