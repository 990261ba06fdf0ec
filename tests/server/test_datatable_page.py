"""A datatable on a standalone page: the page asks for row windows over the WebSocket."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import tornado.httpclient
import tornado.web
import tornado.websocket
from webio_client import Page

from pywebio_nb.output import put_datatable
from pywebio_nb.platform._tornado import webio_handler

pytestmark = pytest.mark.server


async def test_page_requests_a_row_window_of_a_million_row_table() -> None:
    def main() -> None:
        put_datatable([{"n": i, "name": f"row {i}"} for i in range(1_000_000)])
        import time

        time.sleep(3)  # keep the session open while the page scrolls

    http = tornado.web.Application([(r"/", webio_handler(main))]).listen(0, "127.0.0.1")
    port = next(iter(http._sockets.values())).getsockname()[1]
    try:
        ws = await tornado.websocket.websocket_connect(
            tornado.httpclient.HTTPRequest(f"ws://127.0.0.1:{port}/")
        )
        page = Page(ws)
        await page.until(lambda _m: any(n["type"] == "datatable" for n in page.nodes()))
        (table,) = [n for n in page.nodes() if n["type"] == "datatable"]
        assert table["total"] == 1_000_000
        assert all(len(str(m)) < 5_000 for m in page.messages)  # rows are not in the page
        page.send({"kind": "rows", "id": table["id"], "start": 999_990, "count": 100})

        def has_rows(message: dict[str, Any]) -> bool:
            payload = message.get("payload") if message.get("kind") == "batch" else None
            return bool(payload) and any(c["op"] == "rows" for c in payload)  # type: ignore[union-attr]

        batch = await page.until(has_rows)
        (rows,) = [c for c in batch["payload"] if c["op"] == "rows"]
        assert (rows["start"], len(rows["rows"])) == (999_990, 10)
        assert rows["rows"][-1] == [999_999, "row 999999"]
        ws.close()
        await asyncio.sleep(0.05)
    finally:
        http.stop()
