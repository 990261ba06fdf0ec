"""How long one answered question takes: the frontend submits, the cell resumes, the next form
shows. Measured with a real kernel and jupyter_client as the frontend (no browser), per
ipykernel of ``PYWEBIO_NB_KERNEL_PYTHONS`` (``version=python;...``) or this python.

    python benchmarks/interaction_latency.py [rounds]

Prints median and p90 in milliseconds for a blocking ``input()``, an awaited one, and
``pin_wait_change``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.kernel.frontend import Frontend
from tests.kernel.kernel_harness import kernel_pythons

CELLS = {
    "input()": "for i in range({n}):\n    input(str(i))",
    "await input()": "for i in range({n}):\n    await input(str(i))",
}


def _forms(fe: Frontend, cell, rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    comm_id, form = fe.form(cell)
    for _ in range(rounds - 1):
        start = time.perf_counter()
        fe.send_input(comm_id, form["id"], event="submit", values={"data": "x"})
        previous = form["id"]
        comm_id, form = fe.wait_for(
            lambda previous=previous: next(
                ((c, f) for c in cell.roots for f in fe.nodes(c, "form") if f["id"] != previous),
                None,
            ),
            10,
            "the next form",
        )
        samples.append(time.perf_counter() - start)
    fe.send_input(comm_id, form["id"], event="submit", values={"data": "x"})
    fe.wait_idle(cell, 10)
    return samples


def _pins(fe: Frontend, rounds: int) -> list[float]:
    setup = fe.execute(
        "from pywebio_nb.pin import *\nfrom pywebio_nb.output import *\nput_input('p')"
    )
    root = setup.roots[0]
    node = next(n for n in fe.nodes(root, "pin") if n["name"] == "p")
    cell = fe.execute(
        f"for i in range({rounds}):\n    put_text('got', pin_wait_change('p')['value'])",
        wait=False,
    )
    fe.pump(0.3)
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        fe.send_input(root, node["id"], event="change", value=str(i))
        fe.wait_for(lambda i=i: f"got {i}" in fe.texts(cell.roots[0]), 10, "the answer")
        samples.append(time.perf_counter() - start)
    fe.wait_idle(cell, 10)
    return samples


def _report(label: str, version: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    p90 = ms[int(0.9 * (len(ms) - 1))]
    print(f"{version:>8}  {label:<18} median {statistics.median(ms):7.2f} ms  p90 {p90:7.2f} ms")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    for kernel in kernel_pythons():
        fe = Frontend(python=kernel.python)
        try:
            fe.execute("from pywebio_nb.input import *")
            for label, code in CELLS.items():
                cell = fe.execute(code.format(n=rounds), wait=False)
                _report(label, kernel.label, _forms(fe, cell, rounds))
            _report("pin_wait_change", kernel.label, _pins(fe, rounds))
        finally:
            fe.close()


if __name__ == "__main__":
    main()
