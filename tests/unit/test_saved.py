"""The saved copy of a root (issue 11): its data, its self-contained HTML, its plain fallback."""

from __future__ import annotations

import base64
import gzip
import json
import re
from typing import Any

import pytest

from pywebio_nb._core import saved as _saved
from pywebio_nb._core.saved import SAVED_MIME, WIDGET_VIEW_MIME, saved_bundle, saved_data
from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb._hosts.notebook.persist import Persister
from pywebio_nb.output import (
    put_buttons,
    put_collapse,
    put_datatable,
    put_image,
    put_markdown,
    put_processbar,
    put_table,
    put_text,
    set_processbar,
)

pytestmark = pytest.mark.unit

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


def _saved_json(html: str) -> Any:
    found = re.search(
        r'<script type="application/vnd.pywebio-nb.saved\+(json|gzip)">(.*?)</script>', html
    )
    assert found, html[:300]
    if found.group(1) == "gzip":
        return json.loads(gzip.decompress(base64.b64decode(found.group(2))))
    return json.loads(found.group(2))


def test_the_bundle_carries_the_document_once_with_fallbacks(session: FakeSession) -> None:
    put_text("hello </script><script>alert(1)</script>")
    put_markdown("## Title")
    put_table([["Name", "Qty"], ["apple", 3]])
    put_image(PNG, title="dot")
    put_buttons(["Go"], onclick=lambda _: None)
    with put_collapse("More", open=False):
        put_text("inside")
    data = saved_data(session, session.root, "model-1")
    bundle = saved_bundle(data, {"model_id": "model-1", "version_major": 2, "version_minor": 1})
    assert bundle[WIDGET_VIEW_MIME]["model_id"] == "model-1"
    assert bundle[SAVED_MIME] == {"v": 1, "model_id": "model-1", "in": "text/html"}
    html = bundle["text/html"]
    # The script-looking text stays data: no tag of it survives in the page.
    assert "</script><script>alert(1)" not in html
    assert _saved_json(html) == json.loads(json.dumps(data))
    assert "https:" not in html and "http:" not in html
    markdown = bundle["text/markdown"]
    assert "## Title" in markdown
    assert "| Name | Qty |\n| --- | --- |\n| apple | 3 |" in markdown
    assert "![dot](data:image/png;base64," in markdown
    assert "[Go]" in markdown and "**More**" in markdown and "inside" in markdown
    assert "{" not in bundle["text/plain"]


def test_large_saved_data_travels_gzipped(session: FakeSession) -> None:
    for i in range(2000):
        put_text(f"line {i}")
    data = saved_data(session, session.root)
    html = saved_bundle(data, None)["text/html"]
    assert 'type="application/vnd.pywebio-nb.saved+gzip"' in html
    assert _saved_json(html) == data
    assert len(html) < len(json.dumps(data)) / 2 + 70_000  # + the static renderer


def test_datatables_keep_their_first_window_of_rows(session: FakeSession) -> None:
    put_datatable([{"n": i} for i in range(250)], instance_id="t")
    data = saved_data(session, session.root)
    (window,) = data["rows"].values()
    assert window["start"] == 0 and window["total"] == 250
    assert len(window["rows"]) == _saved.ROWS_WINDOW
    markdown = saved_bundle(data, None)["text/markdown"]
    assert "| 99 |" in markdown and "(150 more rows not shown)" in markdown


def test_the_saved_size_follows_what_is_shown_not_the_updates(session: FakeSession) -> None:
    put_processbar("bar")
    for i in range(2000):
        set_processbar("bar", i / 2000)
    many = len(json.dumps(saved_bundle(saved_data(session, session.root), None)))
    put_text("x")
    once = len(json.dumps(saved_bundle(saved_data(session, session.root), None)))
    assert abs(many - once) < 200


class _Widget:
    model_id = "m1"

    def _repr_mimebundle_(self) -> dict[str, Any]:
        return {WIDGET_VIEW_MIME: {"model_id": self.model_id}, "text/plain": "x"}


def _persister(session: FakeSession, stdin: bool) -> tuple[Persister, list[dict[str, Any]]]:
    sent: list[dict[str, Any]] = []
    parent = {"content": {"allow_stdin": stdin}}
    persister = Persister(session, lambda kind, content, _p: sent.append(content), lambda: parent)
    session.root.host = _Widget()
    return persister, sent


def test_written_once_per_change_not_per_update(session: FakeSession) -> None:
    persister, sent = _persister(session, stdin=True)
    bundle, display_id = persister.first_bundle(session.root, session.root.host)
    assert bundle[SAVED_MIME]["model_id"] == "m1" and WIDGET_VIEW_MIME in bundle
    for i in range(100):
        put_text(f"line {i}")
    persister.save_changed()
    persister.save_changed()  # nothing changed since: nothing written
    assert len(sent) == 1
    assert sent[0]["transient"] == {"display_id": display_id}
    assert WIDGET_VIEW_MIME in sent[0]["data"]
    put_text("one more")
    persister.save_changed()
    assert len(sent) == 2 and "one more" in sent[1]["data"]["text/markdown"]


#: Set by Voila in its kernels' environment (one of them is enough, see ``voila.py``).
VOILA_VARIABLES = ("VOILA_REQUEST_URL", "VOILA_PREHEAT", "VOILA_KERNEL_ID", "VOILA_BASE_URL")


def test_headless_runs_save_without_the_view_until_a_frontend_speaks(
    session: FakeSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in VOILA_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    persister, sent = _persister(session, stdin=False)
    persister.first_bundle(session.root, session.root.host)
    put_text("hi")
    persister.save_changed()
    assert WIDGET_VIEW_MIME not in sent[-1]["data"]
    persister.frontend_seen = True
    persister.save_changed()  # written again, now with the view
    assert WIDGET_VIEW_MIME in sent[-1]["data"] and len(sent) == 2


def test_under_voila_nothing_is_saved_and_the_view_stays_alone(
    session: FakeSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOILA_REQUEST_URL", "http://127.0.0.1/voila/render/a.ipynb")
    persister, sent = _persister(session, stdin=False)
    bundle, _display_id = persister.first_bundle(session.root, session.root.host)
    assert WIDGET_VIEW_MIME in bundle and SAVED_MIME not in bundle
    put_text("hi")
    persister.save_changed()
    persister.save_soon()
    assert sent == [] and persister._timer is None


def test_an_answered_form_is_saved_as_its_answers_where_it_stood(session: FakeSession) -> None:
    from pywebio_nb.input import PASSWORD, input, input_group

    put_text("before")
    session.answer(lambda s: s.submit({"name": "Ada", "secret": "s3cret"}))
    answers = input_group(
        "Sign in", [input("Your name", name="name"), input("Secret", name="secret", type=PASSWORD)]
    )
    assert answers == {"name": "Ada", "secret": "s3cret"}
    put_text("after")
    assert session.nodes("form") == []  # live, the form went (as in PyWebIO)
    children = saved_data(session, session.root)["snapshot"]["root"]["children"]
    assert [c["type"] for c in children] == ["text", "answered", "text"]
    assert children[1]["label"] == "Sign in"
    assert children[1]["fields"] == [
        {"label": "Your name", "value": "Ada"},
        {"label": "Secret", "value": "••••••"},
    ]
    bundle = saved_bundle(saved_data(session, session.root), None)
    assert "s3cret" not in json.dumps(bundle)
    assert "**Your name:** Ada" in bundle["text/markdown"]


def test_saved_answers_show_option_labels_never_their_python_values(session: FakeSession) -> None:
    from pywebio_nb.input import actions, checkbox, input_group, radio, select

    session.answer(lambda s: s.submit({"user": 1, "pets": [0, 2], "size": 0, "go": 1}))
    answers = input_group(
        "Choose",
        [
            select("User", [("Alice", "secret-id-1"), ("Bob", "secret-id-2")], name="user"),
            checkbox("Pets", [("Cat", 10), ("Dog", 20), ("Fish", 30)], name="pets"),
            radio("Size", [("Small", {"s": 1}), ("Large", {"l": 2})], name="size"),
            actions(
                "Then",
                [{"label": "Back", "value": "b"}, {"label": "Next", "value": "n"}],
                name="go",
            ),
        ],
    )
    assert answers == {"user": "secret-id-2", "pets": [10, 30], "size": {"s": 1}, "go": "n"}
    (node,) = [c for c in saved_data(session, session.root)["snapshot"]["root"]["children"]]
    assert node["fields"] == [
        {"label": "User", "value": "Bob"},
        {"label": "Pets", "value": "Cat, Fish"},
        {"label": "Size", "value": "Small"},
        {"label": "Then", "value": "Next"},
    ]
    assert "secret-id" not in json.dumps(saved_bundle(saved_data(session, session.root), None))


def test_forms_answered_one_after_another_are_saved_in_their_order(session: FakeSession) -> None:
    from pywebio_nb.input import input

    put_text("before")
    session.answer(lambda s: s.submit({"data": "Ada"}), lambda s: s.submit({"data": "36"}))
    input("Name")
    input("Age")
    children = saved_data(session, session.root)["snapshot"]["root"]["children"]
    assert [c.get("text") or c["fields"][0]["label"] for c in children] == ["before", "Name", "Age"]


def test_clearing_the_page_forgets_its_answered_forms(session: FakeSession) -> None:
    from pywebio_nb.input import input
    from pywebio_nb.output import clear

    session.answer(*[(lambda s, v=v: s.submit({"data": v})) for v in ("one", "two", "three")])
    for _ in range(3):
        clear()  # forms stand at the end of the page (ROOT), as in a loop that starts afresh
        input("Word")
    children = saved_data(session, session.root)["snapshot"]["root"]["children"]
    assert [c["fields"][0]["value"] for c in children] == ["three"]


def test_a_root_that_goes_is_let_go(session: FakeSession) -> None:
    persister, _sent = _persister(session, stdin=True)
    persister.first_bundle(session.root, session.root.host)
    persister.forget(session.root)
    assert not persister.entries
    persister.first_bundle(session.root, session.root.host)
    session.root.closed = True
    persister.save_changed()
    assert not persister.entries
