from __future__ import annotations

import base64

import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import put_image

pytestmark = pytest.mark.unit


def test_matplotlib_figure_is_drawn_at_twice_its_css_width(session: FakeSession) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 3), dpi=100)
    figure.add_subplot().plot([1, 3, 2])
    put_image(figure)
    session.flush()
    (node,) = session.mirror.tree["children"]
    png = base64.b64decode(node["src"].split(",", 1)[1])
    pixel_width = int.from_bytes(png[16:20], "big")
    assert node["width"] == f"{pixel_width / 2:g}px"
    assert 300 < pixel_width / 2 <= 400  # about the figure's 400 CSS px (tight bbox trims)


def test_explicit_width_wins_over_the_figure_size(session: FakeSession) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 2))
    put_image(figure, width="50%")
    session.flush()
    assert session.mirror.tree["children"][0]["width"] == "50%"
