# pywebio_nb's opt-in server extension (pywebio_nb/jupyter_nodelay.py), as a user would enable it.
# The server must import pywebio_nb: run the benchmark with PYTHONPATH=<checkout>.
c = get_config()  # type: ignore[name-defined]  # noqa: F821
c.ServerApp.jpserver_extensions = {"pywebio_nb.jupyter_nodelay": True}
