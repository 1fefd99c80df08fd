"""Plain text and the samples survive a trip through the editor: Markdown -> document -> Markdown.

Typed markup characters must come back escaped so they render as typed; the structured
round-trip properties live in test_markdown_roundtrip.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextDocument

from editor.core.importing import escape_markdown, parse_file
from editor.core.render import render_body_html
from editor.ui.body import markdown_bridge

SAMPLES = sorted(
    (Path(__file__).resolve().parents[2] / "editor" / "resources" / "samples").iterdir()
)


def _through_editor(markdown: str) -> str:
    document = QTextDocument()
    markdown_bridge.load_markdown(document, markdown)
    return markdown_bridge.document_to_markdown(document)


def _rendered(markdown: str) -> str:
    return re.sub(r"\s+", " ", render_body_html(markdown)).strip()


@pytest.mark.parametrize(
    "text",
    [
        "x_y_z and _a_ and snake_case",
        "&copy; 2024 &amp; more & less",
        "<b>tag</b> <script>alert(1)</script> a < b > c",
        "1. Not a list",
        "# not a heading",
        "[not a link](x) and `not code`",
        "5 * 3 = 15 and 2 * 4",
        "a\\b",
        "> not a quote",
        "+ not a bullet",
        "1) not a list either",
        "--- not a rule",
    ],
)
def test_plain_text_survives_the_editor(app, text):
    markdown = escape_markdown(text)
    assert _rendered(_through_editor(markdown)) == _rendered(markdown)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples_survive_the_editor(app, path):
    body = parse_file(path).body
    once = _through_editor(body)
    assert _rendered(once) == _rendered(body)
    assert _through_editor(once) == once  # a second trip changes nothing


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), max_codepoint=0x2FF),
        min_size=1,
        max_size=80,
    ).filter(lambda s: s.strip())
)
def test_any_plain_paragraph_survives_the_editor(app, text):
    markdown = escape_markdown(" ".join(text.split()))
    assert _rendered(_through_editor(markdown)) == _rendered(markdown)
