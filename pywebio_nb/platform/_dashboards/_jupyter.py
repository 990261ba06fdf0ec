"""The dashboard routes of the Jupyter server extension (``/webio/<path>.ipynb``).

Registered by ``_extension._load_jupyter_server_extension`` through :func:`dashboard_routes`;
kernels start through the server's own kernel manager, so ``--gateway-url`` places them on a
kernel gateway unchanged.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

from jupyter_server.auth.decorator import allow_unauthenticated, ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from jupyter_server.utils import url_path_join
from tornado import web, websocket

from .._tornado import WebIOServer
from ._handlers import Dashboards, DashboardSocketLogic, send_dashboard
from ._kernels import DashboardKernels
from ._notebooks import Notebook, NotebookFiles

__all__ = ["dashboard_routes"]


class _DashboardPage(JupyterHandler):
    dashboards: Dashboards

    def initialize(self, dashboards: Dashboards) -> None:
        self.dashboards = dashboards

    def _page(self, path: str) -> None:
        base = url_path_join(self.base_url, "webio")
        send_dashboard(
            self,
            self.dashboards,
            path,
            url_path_join(base, "_nb", quote(path)),
            lambda name: url_path_join(base, "_static", name),
            socket_token=self._socket_token(),
        )

    def _socket_token(self) -> str:
        """The user's token for the socket under a JupyterHub that refuses cookies there.

        As ``_extension._WebIOHandler._socket_token``: from the hub's ``page_config_hook``,
        empty elsewhere and for visitors who are not logged in.
        """
        hook = self.settings.get("page_config_hook")
        if hook is None or self.current_user is None:
            return ""
        return str(hook(self, {}).get("token") or "")


class DashboardPageHandler(_DashboardPage):
    """A notebook's page (login required)."""

    @web.authenticated
    def get(self, path: str) -> None:
        self._page(path)


class PublicDashboardPageHandler(_DashboardPage):
    """A notebook's page when anonymous visitors are allowed."""

    @allow_unauthenticated
    def get(self, path: str) -> None:
        self._page(path)


class DashboardSocketHandler(
    DashboardSocketLogic, WebSocketMixin, websocket.WebSocketHandler, JupyterHandler
):
    """A visitor's kernel (login required; Origin checked by ``WebSocketMixin``)."""

    def initialize(self, dashboards: Dashboards) -> None:
        self.dashboards = dashboards
        self.webio = dashboards.webio

    @ws_authenticated
    async def get(self, *args: Any, **kwargs: Any) -> None:
        await super().get(*args, **kwargs)

    async def open(self, path: str = "", *args: Any, **kwargs: Any) -> None:
        super().open(path, *args, **kwargs)
        user = self.current_user
        self.log_user = getattr(user, "username", None) if user else None
        await self.open_dashboard(path)


class PublicDashboardSocketHandler(DashboardSocketHandler):
    """A visitor's kernel when anonymous visitors are allowed (Origin still checked)."""

    @allow_unauthenticated
    async def get(self, *args: Any, **kwargs: Any) -> None:
        await websocket.WebSocketHandler.get(self, *args, **kwargs)


def dashboard_routes(
    serverapp: Any, settings: Any, webio: WebIOServer, root: str, public: bool
) -> list[tuple[str, type[Any], dict[str, Any]]]:
    """The routes of notebook dashboards under ``<base_url>/webio/``; they go before the apps'.

    Example:
        >>> routes = dashboard_routes(serverapp, settings, server, root, False)  # doctest: +SKIP
    """
    files = NotebookFiles(root)
    server_root = os.path.realpath(serverapp.root_dir)

    def kernel_options(notebook: Notebook) -> dict[str, Any]:
        # The kernel manager takes an API path relative to the server's root.
        folder = os.path.realpath(notebook.file.parent)
        relative = os.path.relpath(folder, server_root)
        options: dict[str, Any] = {}
        if not relative.startswith(".."):
            options["path"] = "" if relative == "." else relative.replace(os.sep, "/")
        if notebook.kernel_name:
            options["kernel_name"] = notebook.kernel_name
        return options

    kernels = DashboardKernels(
        serverapp.kernel_manager,
        kernel_options,
        pool_size=settings.dashboard_pool_size,
        max_kernels=settings.max_dashboard_kernels,
        reconnect_timeout=settings.reconnect_timeout,
        idle_timeout=settings.dashboard_idle_timeout,
        debug=settings.debug,
    )
    dashboards = Dashboards(files, kernels, webio, mode=settings.dashboard_mode)
    serverapp.web_app.settings["pywebio_nb_dashboards"] = dashboards
    apps = webio.apps
    if hasattr(apps, "list_file"):
        apps.list_file = files.index_link
    base = url_path_join(serverapp.web_app.settings["base_url"], "webio")
    options = {"dashboards": dashboards}
    return [
        (
            url_path_join(base, r"_nb/(.+\.ipynb)"),
            PublicDashboardSocketHandler if public else DashboardSocketHandler,
            options,
        ),
        (
            url_path_join(base, r"(.+\.ipynb)"),
            PublicDashboardPageHandler if public else DashboardPageHandler,
            options,
        ),
    ]
