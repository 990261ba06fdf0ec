"""put_datatable at scale: what travels, and how long Python takes to serve the rows.

Builds a table of N records in an in-memory session (no kernel, no browser) and measures:

* the time ``put_datatable`` takes and the bytes of its ``put`` command (rows never travel in it);
* the median / p99 time to answer one row-window request (100 rows, random position), which is
  what a scrolling view costs the kernel, and the bytes of one answer;
* the time of ``datatable_update`` (one cell), ``datatable_insert`` (at the top) and
  ``datatable_remove`` (10 rows);
* for comparison, the bytes of all records as one JSON message, which is what a grid that
  receives every row (PyWebIO's ag-grid ``put_datatable``) sends before showing anything.

    python benchmarks/datatable.py --rows 1000000
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from pywebio_nb._fake import FakeSession
from pywebio_nb.output import (
    datatable_insert,
    datatable_remove,
    datatable_update,
    put_datatable,
)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()

    records = [
        {"id": i, "name": f"item {i}", "price": i * 0.5, "size": {"w": i % 7, "h": i % 11}}
        for i in range(args.rows)
    ]
    with FakeSession() as session:
        start = time.perf_counter()
        put_datatable(records, id_field="id", instance_id="bench")
        session.flush()
        put_time = time.perf_counter() - start
        put_bytes = sum(len(json.dumps(batch)) for _, batch in session.batches)
        (node,) = [n for n in session.mirror.tree["children"] if n["type"] == "datatable"]

        durations = []
        answer_bytes = 0
        rng = random.Random(4)
        for _ in range(args.requests):
            first = rng.randrange(0, max(1, args.rows - 100))
            before = len(session.batches)
            t0 = time.perf_counter()
            session.answer_rows(
                session.root, {"kind": "rows", "id": node["id"], "start": first, "count": 100}
            )
            durations.append(time.perf_counter() - t0)
            answer_bytes = len(json.dumps(session.batches[before:]))

        timings = {}
        for label, action in (
            (
                "update one cell",
                lambda: datatable_update("bench", 1, row_id=5, field=("size", "w")),
            ),
            (
                "insert at top",
                lambda: datatable_insert("bench", [{"id": -1, "name": "new"}], row_id=0),
            ),
            ("remove 10 rows", lambda: datatable_remove("bench", list(range(100, 110)))),
        ):
            t0 = time.perf_counter()
            action()
            session.flush()
            timings[label] = time.perf_counter() - t0

    t0 = time.perf_counter()
    all_rows = len(json.dumps(records))
    dump_time = time.perf_counter() - t0

    durations.sort()
    print(f"rows: {args.rows:,}")
    print(f"put_datatable: {_ms(put_time)}, put command {put_bytes:,} bytes")
    print(
        f"row window (100 rows): median {_ms(statistics.median(durations))}, "
        f"p99 {_ms(durations[int(len(durations) * 0.99) - 1])}, {answer_bytes:,} bytes"
    )
    for label, seconds in timings.items():
        print(f"{label}: {_ms(seconds)}")
    print(f"all rows as one JSON message: {all_rows:,} bytes ({_ms(dump_time)} to encode)")


if __name__ == "__main__":
    main()
