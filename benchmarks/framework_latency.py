"""Click round trips through each web-framework host, on loopback, with a scripted page.

A thread app's button callback answers ``put_text(f"clicked {n}")``; each sample is the time
from sending the click to receiving that text: over HTTP long polling (Flask, Django under a
threaded WSGI server) and over WebSocket (aiohttp, FastAPI under uvicorn). The scripted pages
and servers are the server tier's (``tests/server/framework_page.py``).

Usage::

    python benchmarks/framework_latency.py            # 100 samples each, after 10 warm-ups
    python benchmarks/framework_latency.py --quick    # 20 samples, 3 warm-ups
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "server")]

from framework_page import (  # noqa: E402
    PollPage,
    SocketPage,
    aiohttp_server,
    uvicorn_server,
    wsgi_server,
)

from pywebio_nb.output import put_buttons, put_text  # noqa: E402


def clicker() -> None:
    count = [0]

    def clicked(_value: object) -> None:
        count[0] += 1
        put_text(f"clicked {count[0]}")

    put_buttons(["go"], onclick=clicked)


def measure(page: PollPage | SocketPage, warmups: int, samples: int) -> list[float]:
    buttons = page.wait_node("buttons")
    times = []
    for n in range(1, warmups + samples + 1):
        start = time.perf_counter()
        page.click(buttons)
        page.wait_text(f"clicked {n}")
        if n > warmups:
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    warmups, samples = (3, 20) if args.quick else (10, 100)

    import django.conf
    from aiohttp import web

    from pywebio_nb.platform import aiohttp as webio_aiohttp
    from pywebio_nb.platform import django as webio_django
    from pywebio_nb.platform import fastapi as webio_fastapi
    from pywebio_nb.platform import flask as webio_flask
    from pywebio_nb.platform._adapter import WebIOAdapter

    def aiohttp_app() -> web.Application:
        app = web.Application()
        adapter = WebIOAdapter(clicker, backend="aiohttp")
        app.add_routes([web.get("/", webio_aiohttp._handler(adapter, None))])
        return app

    django_app = webio_django.wsgi_app(clicker)
    assert django.conf.settings.configured
    runs = {
        "flask (polling)": (wsgi_server(webio_flask.wsgi_app(clicker)), PollPage),
        "django (polling)": (wsgi_server(django_app), PollPage),
        "aiohttp (websocket)": (aiohttp_server(aiohttp_app), SocketPage),
        "fastapi (websocket)": (uvicorn_server(webio_fastapi.asgi_app(clicker)), SocketPage),
    }
    print(f"click -> text, ms over {samples} samples ({warmups} warm-ups), loopback")
    print(f"{'host':<22}{'median':>8}{'p90':>8}{'max':>8}")
    for name, (server, page_class) in runs.items():
        with server as url:
            page = page_class(url)
            times = sorted(measure(page, warmups, samples))
            p90 = times[int(len(times) * 0.9) - 1]
            print(f"{name:<22}{statistics.median(times):>8.1f}{p90:>8.1f}{times[-1]:>8.1f}")
            if isinstance(page, SocketPage):
                page.close()


if __name__ == "__main__":
    main()
