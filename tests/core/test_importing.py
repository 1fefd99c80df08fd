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

SAMPLES = Path(__file__).resolve().parents[2] / "editor" / "resources" / "samples"
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


def test_markdown_toml_front_matter_and_extra_keys_kept_in_a_note(tmp_path):
    path = tmp_path / "hugo.md"
    path.write_text(
        '+++\ntitle = "Bridge reopens"\ndate = 2026-03-01T09:00:00Z\n'
        'authors = ["Ana Ribeiro"]\ncategories = ["Local", "Transport"]\n'
        'slug = "bridge-reopens-march"\ndraft = true\nweight = 3\n+++\n\nTraffic flows.\n',
        encoding="utf-8",
    )
    parsed = parse_file(path)
    assert (parsed.headline, parsed.byline, parsed.section) == (
        "Bridge reopens",
        "Ana Ribeiro",
        "Local",
    )
    assert parsed.story_date == date(2026, 3, 1)
    assert parsed.slug == "bridge-reopens-march"
    assert parsed.import_notes == [
        {"kind": "metadata", "text": "draft: True; weight: 3", "position": None}
    ]


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
        ("report.pdf", b"%PDF-1.4", "this kind of file cannot be imported"),
        ("binary.md", b"\x00\x01\x02\x03" * 100, "not a text file"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Word 97-2003"),
        ("empty.html", b"", "is empty"),
        ("empty.docx", b"", "is empty"),
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
    monkeypatch.setattr(importing, "MAX_TEXT_BYTES", 100)
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


# -- wire copy as the web serves it: masthead, repeated headline, furniture --------------

SHARED_WIRE = Path("/work/shared/samples/wire-putin-kim-limousine.txt")


@pytest.mark.parametrize("sample", [WIRE, SHARED_WIRE], ids=["resources", "shared"])
def test_real_wire_sample_furniture_goes_to_notes_not_the_body(sample):
    if not sample.exists():
        pytest.skip(f"{sample} is not on this machine")
    parsed = parse_file(sample)
    assert parsed.headline == HEADLINE
    assert parsed.story_date == date(2024, 7, 17)
    kinds = [(n["kind"], n["text"]) for n in parsed.import_notes]
    assert ("masthead", "Westside People") in kinds
    assert ("masthead", "Complete News World") in kinds
    assert any(k == "related" and t.startswith("See also") for k, t in kinds)
    assert ("video", "Today’s featured video") in kinds
    assert (
        "teaser",
        "An Indian American wins the Democratic primaries in the United States",
    ) in kinds
    for text in ("See also", "featured video", "Indian American", "Westside", "Complete News"):
        assert text not in parsed.body
    assert parsed.body.rstrip().endswith("“alliance.”")  # smart quotes kept
    assert "Russia’s official presidential car" in parsed.body


def test_notes_put_back_rebuild_the_original_order():
    from editor.core.importers.notes import put_back

    text = WIRE.read_text(encoding="utf-8")
    parsed = parse_wire_text(text)
    body, notes = parsed.body, parsed.import_notes
    # Put back in a scrambled order: the result must not depend on it.
    for index in (3, 0, 2, 0, 0):
        body, notes = put_back(body, notes, index)
    assert notes == []
    original = [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]
    rebuilt = body.split("\n\n")
    # Everything after the date line and the printed-twice headline, in order.
    assert rebuilt == [original[1], original[2], *original[5:]]


def test_byline_with_agency_and_boilerplate_in_the_header():
    parsed = parse_wire_text(
        "Menu\n\nStorm closes ports\n\nBy Jane Doe | Reuters\n\n"
        "Published July 17, 2024 10:32 am\n\n"
        "Sign up for our daily newsletter\n\nLONDON (Reuters) - Ports shut on Monday.\n\n"
        "Follow us on Twitter\n\nMore rain is due."
    )
    assert parsed.headline == "Storm closes ports"
    assert parsed.byline == "Jane Doe"
    assert parsed.story_date == date(2024, 7, 17)
    assert parsed.dateline == "LONDON (Reuters)"
    assert parsed.body == "Ports shut on Monday.\n\nMore rain is due."
    kinds = {n["kind"]: n for n in parsed.import_notes}
    assert kinds["newsletter"]["position"] == 0
    assert kinds["social"] == {"kind": "social", "text": "Follow us on Twitter", "position": 1}
    assert kinds["masthead"]["text"] == "Menu"
    assert kinds["byline"]["text"] == "By Jane Doe | Reuters"


def test_a_sentence_after_a_marker_is_story_not_a_teaser():
    parsed = parse_wire_text("Head\n\nFirst.\n\nRead more\n\nThe mayor said the work will go on.")
    assert parsed.body == "First.\n\nThe mayor said the work will go on."
    assert [n["kind"] for n in parsed.import_notes] == ["related"]


@pytest.mark.parametrize(
    ("paragraph", "kind"),
    [
        ("See also: Council votes on budget", "related"),
        ("READ MORE", "related"),
        ("Today's featured video", "video"),
        ("Sign up to our newsletter for the latest news", "newsletter"),
        ("Get the best stories delivered straight to your inbox", "newsletter"),
        ("Follow us on Instagram", "social"),
        ("Advertisement", "advert"),
        ("© 2024 Westside People. All rights reserved.", "boilerplate"),
        ("The council will read more than 40 letters.", None),
        ("Related findings were published in 2020 by the university.", None),
        ("Subscribers said the plan was fair.", None),
    ],
)
def test_is_boilerplate(paragraph, kind):
    from editor.core.importers.boilerplate import is_boilerplate

    assert is_boilerplate(paragraph) == kind


_FURNITURE_WORDS = (
    "sign up subscribe register newsletter inbox briefing alerts delivered straight to your "
    "get our daily follow us on find join like facebook instagram x whatsapp share this "
    "article story email copy link | , · / © (c) copyright all rights reserved skip main "
    "content menu search home log in download the app is was auto-generated said council "
    "[link](https://x.example/) **bold** _it_ # > ` ’ café Zürich"
).split(" ")


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_FURNITURE_WORDS), min_size=1, max_size=14),
    st.sampled_from([str, str.upper, str.title]),
)
def test_is_boilerplate_finds_what_one_ignorecase_pattern_a_kind_finds(words, case):
    """The patterns found anywhere are searched apart (anchored ones, the rest on the
    lowered text): the same answers as each kind's patterns joined with IGNORECASE."""
    import re

    from editor.core.importers import boilerplate as b

    paragraph = case(" ".join(words))
    text = b.normalise(paragraph)
    expected = None
    if text and len(text) <= b.MAX_BOILERPLATE_CHARS:
        expected = next((k for k, p in b._COMPILED_PREFIXES.items() if p.match(text)), None)
        expected = expected or next(
            (
                kind
                for kind, patterns in b._ANYWHERE.items()
                if re.search("|".join(patterns), text, re.IGNORECASE | re.UNICODE)
            ),
            None,
        )
    assert b.is_boilerplate(paragraph) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Naïve café – “quotes”".encode("utf-16-le"), "Naïve café – “quotes”"),  # no BOM
        (codecs.BOM_UTF16_BE + "Zoë’s".encode("utf-16-be"), "Zoë’s"),
        ("Señor Müller".encode("latin-1"), "Señor Müller"),
        ("Smart “quotes” – dash".encode("cp1252"), "Smart “quotes” – dash"),
        (b"caf\xe9 \x81", "café \x81"),  # a byte cp1252 leaves undefined: Latin-1
    ],
)
def test_decode_encodings(data, expected):
    assert importing.decode(data) == expected


def test_old_mac_line_endings_and_mixed(tmp_path):
    path = tmp_path / "mac.txt"
    path.write_bytes(b"Head\r\rFirst line.\r\n\r\nSecond.\n\nThird.")
    parsed = parse_file(path)
    assert parsed.headline == "Head"
    assert parsed.body == "First line.\n\nSecond.\n\nThird."


def test_a_200_mb_file_is_refused_by_its_size_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    opened = []
    real_open = Path.open
    monkeypatch.setattr(
        Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k)
    )
    with pytest.raises(ImportFileError, match=r"too large .*200 MB"):
        parse_file(path)
    assert path not in opened
    docx = tmp_path / "huge.docx"
    with docx.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    with pytest.raises(ImportFileError, match="too large"):
        parse_file(docx)
