"""Text-like outputs: put_text, put_markdown, put_html, put_code, put_link."""

from __future__ import annotations

import pandas as pd
import pytest

from pywebio_nb._hosts.fake import FakeSession
from pywebio_nb.output import put_code, put_html, put_link, put_markdown, put_text

from .helpers import ops, root_children


def test_put_text_joins_objects_with_sep(session: FakeSession) -> None:
    put_text("a", 1, None, sep="-")
    assert root_children(session)[0]["text"] == "a-1-None"
    assert session.mirror.texts() == ["a-1-None"]


def test_put_text_is_a_block_unless_inline(session: FakeSession) -> None:
    put_text("block")
    put_text("inline", inline=True)
    block, inline = root_children(session)
    assert "inline" not in block
    assert inline["inline"] is True


def test_put_text_keeps_markup_as_text(session: FakeSession) -> None:
    payload = "<img src=x onerror=alert(1)>"
    put_text(payload)
    (node,) = root_children(session)
    assert node == {"id": node["id"], "type": "text", "text": payload}


def test_put_text_sends_one_put_command_with_the_node(session: FakeSession) -> None:
    out = put_text("hello")
    assert session.commands() == [
        {
            "op": "put",
            "parent": session.root.scope.id,
            "index": 0,
            "node": {"id": out.id, "type": "text", "text": "hello"},
        }
    ]


def test_put_markdown_strips_common_indentation_by_default(session: FakeSession) -> None:
    put_markdown(
        """
        # Title
          indented
        text
        """
    )
    (node,) = root_children(session)
    assert node["md"] == "\n# Title\n  indented\ntext\n"
    assert node["sanitize"] is True


def test_put_markdown_strips_the_lines_after_a_first_line_that_follows_the_quotes(
    session: FakeSession,
) -> None:
    # PyWebIO's demos write `put_markdown("""# Title` and indent the rest with the code.
    put_markdown(
        """# BMI calculator
        [source](https://example.org)

        | a | b |
        |---|---|
        ## Part
            indented code
        """
    )
    (node,) = root_children(session)
    assert node["md"] == (
        "# BMI calculator\n[source](https://example.org)\n\n| a | b |\n|---|---|\n"
        "## Part\n    indented code\n"
    )


def test_put_markdown_lstrip_keeps_a_single_line_and_mixed_runs_as_pywebio(
    session: FakeSession,
) -> None:
    put_markdown("    one line")
    put_markdown("first\n\t\tx\n\ty")
    one, tabs = root_children(session)
    assert one["md"] == "    one line"
    assert tabs["md"] == "first\n\tx\ny"


def test_put_markdown_lstrip_false_keeps_indentation(session: FakeSession) -> None:
    put_markdown("    code block", lstrip=False)
    assert root_children(session)[0]["md"] == "    code block"


def test_put_markdown_sanitize_and_options_reach_the_spec(session: FakeSession) -> None:
    put_markdown("*a*", sanitize=False, options={"breaks": False})
    (node,) = root_children(session)
    assert node["sanitize"] is False
    assert node["options"] == {"breaks": False}


def test_put_html_is_raw_and_unsanitized_by_default(session: FakeSession) -> None:
    put_html("<b>bold</b>")
    put_html("<i>safe</i>", sanitize=True)
    raw, safe = root_children(session)
    assert (raw["type"], raw["html"], raw["sanitize"]) == ("html", "<b>bold</b>", False)
    assert safe["sanitize"] is True


def test_put_html_renders_a_dataframe_through_repr_html(session: FakeSession) -> None:
    frame = pd.DataFrame({"name": ["Ada"], "score": [36]})
    put_html(frame)
    (node,) = root_children(session)
    assert node["html"] == frame._repr_html_()
    assert "<table" in node["html"] and "Ada" in node["html"]


def test_put_html_prefers_dunder_html(session: FakeSession) -> None:
    class Markup:
        def __html__(self) -> str:
            return "<em>markup</em>"

        def _repr_html_(self) -> str:
            return "<em>repr</em>"

    put_html(Markup())
    assert root_children(session)[0]["html"] == "<em>markup</em>"


def test_put_code_language_and_rows(session: FakeSession) -> None:
    put_code("print(1)", language="python", rows=3)
    put_code("plain")
    highlighted, plain = root_children(session)
    assert highlighted["code"] == "print(1)"
    assert highlighted["language"] == "python"
    assert highlighted["rows"] == 3
    assert plain["language"] == "" and "rows" not in plain


def test_put_code_shows_str_of_anything_that_is_not_a_string(session: FakeSession) -> None:
    put_code({"a": 1}, language="json")
    put_code(3.5)
    as_dict, number = root_children(session)
    assert as_dict["code"] == "{'a': 1}"
    assert number["code"] == "3.5"


def test_put_link_url_and_new_window(session: FakeSession) -> None:
    put_link("docs", url="https://example.org", new_window=True)
    put_link("other app", app="other")
    url_link, app_link = root_children(session)
    assert url_link["url"] == "https://example.org"
    assert url_link["text"] == "docs"
    assert url_link["new_window"] is True
    assert app_link["app"] == "other" and "url" not in app_link
    assert app_link["new_window"] is False


@pytest.mark.parametrize(
    "put",
    [
        lambda: put_text("x"),
        lambda: put_markdown("x"),
        lambda: put_html("x"),
        lambda: put_code("x"),
        lambda: put_link("x", url="/"),
    ],
)
def test_every_text_output_takes_style_and_onclick(session: FakeSession, put: object) -> None:
    clicked: list[bool] = []
    out = put().style("color: red").onclick(lambda: clicked.append(True))  # type: ignore[operator]
    (node,) = root_children(session)
    assert node["style"] == "color: red"
    session.callbacks[node["click"]][0](None)
    assert clicked == [True]
    assert ops(session.commands()) == ["put"]
    assert out.id == node["id"]
