"""The ``pywebio-nb`` command: ``serve DIR`` (path_deploy) and ``run FILE`` (one script or app)."""

from __future__ import annotations

import argparse
import runpy
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pywebio-nb", description="Serve pywebio_nb apps outside Jupyter."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="serve every .py app with a main(), and every notebook as a dashboard, under DIR",
    )
    serve.add_argument("dir", help="the folder of apps")
    serve.add_argument(
        "--dashboard-mode",
        choices=("kernel", "session"),
        default="kernel",
        help="notebooks: a kernel per visitor (default), or their cells in this process "
        "(session: light, trusted notebooks only)",
    )
    run = commands.add_parser("run", help="run FILE: a script, or the main() it defines")
    run.add_argument("file", help="a .py file")
    for sub in (serve, run):
        sub.add_argument("--port", type=int, default=0, help="port (default: a free one)")
        sub.add_argument("--host", default="127.0.0.1", help="interface (default: 127.0.0.1)")
        sub.add_argument("--debug", action="store_true", help="show tracebacks to visitors")
        sub.add_argument(
            "--reconnect-timeout", type=float, default=0, help="seconds a dropped page may resume"
        )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``pywebio-nb`` command.

    Example:
        >>> main(["serve", "apps/", "--port", "8080"])  # doctest: +SKIP
    """
    args = _parser().parse_args(argv)
    from .platform import path_deploy, start_server

    if args.command == "serve":
        if not Path(args.dir).is_dir():
            raise SystemExit(f"pywebio-nb serve: {args.dir!r} is not a folder")
        path_deploy(
            args.dir,
            port=args.port,
            host=args.host,
            debug=args.debug,
            reconnect_timeout=args.reconnect_timeout,
            notebooks=True,
            dashboard_mode=args.dashboard_mode,
        )
        return
    file = Path(args.file)
    if not file.is_file():
        raise SystemExit(f"pywebio-nb run: {args.file!r} is not a file")
    sys.argv = [str(file)]
    sys.path.insert(0, str(file.resolve().parent))
    from ._core import context

    namespace = runpy.run_path(str(file), run_name="__main__")
    app = namespace.get("main")
    if context.default_session() is None and callable(app):
        start_server(
            app,
            port=args.port,
            host=args.host,
            debug=args.debug,
            reconnect_timeout=args.reconnect_timeout,
            auto_open_webbrowser=True,
        )
