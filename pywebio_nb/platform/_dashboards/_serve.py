"""Notebook dashboards outside Jupyter: ``pywebio-nb serve DIR`` (``path_deploy(notebooks=True)``).

Kernels start through jupyter_client's ``AsyncMultiKernelManager``, in the notebook's folder.
"""

from __future__ import annotations

from typing import Any

from .._tornado import WebIOServer
from ._handlers import Dashboards, dashboard_handler
from ._kernels import DashboardKernels
from ._notebooks import Notebook, NotebookFiles

__all__ = ["tornado_dashboards"]


def tornado_dashboards(
    server: WebIOServer,
    root: str,
    pool_size: int = 0,
    max_kernels: int = 50,
    mode: str = "kernel",
) -> tuple[Dashboards, list[tuple[str, Any]]]:
    """The dashboards of a plain tornado server, and their route (before the apps' route).

    Example:
        >>> dashboards, routes = tornado_dashboards(server, "apps/")  # doctest: +SKIP
    """
    from jupyter_client.multikernelmanager import AsyncMultiKernelManager

    files = NotebookFiles(root)

    def kernel_options(notebook: Notebook) -> dict[str, Any]:
        options: dict[str, Any] = {"cwd": str(notebook.file.parent)}
        if notebook.kernel_name:
            options["kernel_name"] = notebook.kernel_name
        return options

    kernels = DashboardKernels(
        AsyncMultiKernelManager(),
        kernel_options,
        pool_size=pool_size,
        max_kernels=max_kernels,
        reconnect_timeout=server.reconnect_timeout,
        debug=server.debug,
    )
    dashboards = Dashboards(files, kernels, server, mode=mode)
    apps = server.apps
    if hasattr(apps, "list_file"):
        apps.list_file = files.index_link
    return dashboards, [(r"/(.+\.ipynb)", dashboard_handler(dashboards))]
