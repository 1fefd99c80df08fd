"""Importing wire copy and Markdown: what becomes headline, date and body; bad files refused."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import importing
from editor.core.errors import ImportFileError
from editor.core.importing import escape_markdown, parse_file, parse_wire_text

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
WIRE = SAMPLES / "wire-putin-kim-limousine.txt"
HEADLINE = "Putin takes Kim Jong Un in a limousine, and later gives him a car"


def test_wire_story_headline_date_and_body():
    parsed = parse_file(WIRE)
    assert parsed.headline == HEADLINE
    assert parsed.story_date == date(2024, 7, 17)
    assert HEADLINE not in parsed.body
    assert parsed.body.startswith("A video clip circulated on social media")
    assert "Pongsan dogs" in parsed.body
    assert "Westside People" not in parsed.body


def test_byline_and_dateline_are_lifted_out_of_the_body():
    parsed = parse_wire_text(
        "Storm closes ports\n\nBy Jane Doe\n\nLONDON (Reuters) - Ports shut on Monday.\n\nMore."
    )
    assert parsed.headline == "Storm closes ports"
    assert parsed.byline == "Jane Doe"
    assert parsed.dateline == "LONDON (Reuters)"
    assert parsed.body == "Ports shut on Monday.\n\nMore."


def test_plain_text_that_looks_like_markdown_stays_plain():
    text = "# not a heading *not bold* [not a link](x) <b>tag</b> 1. not a list"
    html = markdown.markdown(escape_markdown(text))
    assert html == (
        "<p># not a heading *not bold* [not a link](x) &lt;b&gt;tag&lt;/b&gt; 1. not a list</p>"
    )
    assert markdown.markdown(escape_markdown("1. Numbered")) == "<p>1. Numbered</p>"
    assert markdown.markdown(escape_markdown("- dash")) == "<p>- dash</p>"


def test_markdown_with_front_matter(tmp_path):
    path = tmp_path / "story.md"
    path.write_text(
        "---\ntitle: Council approves flood plan\ndescription: Homes protected.\n"
        "author: Jane Doe\nsection: Local\ntags: [floods, council]\ndateline: YORK\n"
        "date: 2026-11-20\n---\nThe council **approved** the plan.\n",
        encoding="utf-8",
    )
    parsed = parse_file(path)
    assert parsed.headline == "Council approves flood plan"
    assert (parsed.standfirst, parsed.byline, parsed.section) == (
        "Homes protected.",
        "Jane Doe",
        "Local",
    )
    assert parsed.tags == ["floods", "council"]
    assert parsed.dateline == "YORK"
    assert parsed.story_date == date(2026, 11, 20)
    assert parsed.body == "The council **approved** the plan.\n"


def test_markdown_h1_becomes_the_headline(tmp_path):
    path = tmp_path / "plain.md"
    path.write_text("# Big news\n\nIt happened.\n")
    parsed = parse_file(path)
    assert (parsed.headline, parsed.body) == ("Big news", "It happened.\n")


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "Café “quoted”\n\nBody – text".encode(),
        codecs.BOM_UTF16_LE + "Café “quoted”\r\n\r\nBody – text".encode("utf-16-le"),
        "Café “quoted”\r\rBody – text".encode("cp1252").replace(b"\r\r", b"\r\n\r\n"),
    ],
    ids=["utf8-bom", "utf16", "cp1252"],
)
def test_encodings_and_line_endings(tmp_path, data):
    path = tmp_path / "wire.txt"
    path.write_bytes(data)
    parsed = parse_file(path)
    assert parsed.headline == "Café “quoted”"
    assert parsed.body == "Body – text"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.txt", bytes(range(256)) * 8, "not a text file"),
        ("empty.txt", b"", "is empty"),
        ("blank.md", b"  \n\n \n", "is empty"),
        ("report.pdf", b"%PDF-1.4", "only plain text"),
        ("bad.md", b"---\ntitle: [unclosed\n---\nBody", "not valid YAML"),
    ],
)
def test_bad_files_get_one_clear_message(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportFileError, match=message):
        parse_file(path)


def test_too_large_and_missing_files(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * 1000)
    monkeypatch.setattr(importing, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(ImportFileError, match="too large"):
        parse_file(path)
    with pytest.raises(ImportFileError, match="no such file"):
        parse_file(tmp_path / "missing.txt")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_wire_parser_never_crashes_and_never_repeats_the_headline_first(text):
    parsed = parse_wire_text(text)
    if parsed.headline:
        assert not parsed.body.startswith(escape_markdown(parsed.headline) + "\n")
        assert parsed.body != escape_markdown(parsed.headline)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4000))
def test_decoder_never_crashes(data):
    result = importing.decode(data)
    assert result is None or isinstance(result, str)


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
        min_size=1,
        max_size=200,
    ).filter(lambda s: s.strip())
)
def test_escaped_plain_text_renders_as_typed(text):
    paragraph = " ".join(text.split())
    html = markdown.markdown(escape_markdown(paragraph))
    from html import unescape
    from re import sub

    rendered = unescape(sub(r"<[^>]+>", "", html)).strip()
    assert " ".join(rendered.split()) == paragraph.strip()


@pytest.mark.parametrize("text", ["&copy; 2024 &amp; more", "a\\b", "5 * 3 = 15", "x_y_z"])
def test_entities_and_escapes_render_as_typed(text):
    from html import unescape

    html = markdown.markdown(escape_markdown(text))
    assert unescape(html.removeprefix("<p>").removesuffix("</p>")) == text
