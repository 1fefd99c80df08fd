"""Control characters never reach a page or the feed: stripped at import, and at render.

The case from issue 14: one U+0001 in a section name reached every page through the
section menu and made `feed.xml` invalid for the whole site.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from editor.core.importers.common import ParsedArticle
from editor.core.importing import parse_file, remove_controls
from editor.core.site import ExportOptions, export_site
from tests.export.conftest import NOW, publish

#: What XML 1.0 forbids, and the C1 controls HTML calls parse errors.
INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def test_an_import_removes_controls_from_every_field_and_says_so(tmp_path: Path):
    path = tmp_path / "story.md"
    path.write_text(
        '---\ntitle: "Storm\\u0001 closes ports"\nsection: "Wor\\u0001ld"\n'
        'byline: "Jane\\u0085 Doe"\ntags: ["wea\\u0007ther", "\\u0002"]\n---\n\n'
        "Ports shut\x01 on Monday.\tThe end.\n\nSecond\x0bparagraph.\n",
        encoding="utf-8",
    )
    parsed = parse_file(path)
    assert parsed.headline == "Storm closes ports"
    assert parsed.section == "World"
    assert parsed.byline == "Jane Doe"
    assert parsed.tags == ["weather"]
    assert parsed.body.strip() == "Ports shut on Monday.\tThe end.\n\nSecond paragraph."
    first = parsed.import_notes[0]
    assert first["kind"] == "control" and first["position"] is None
    assert "removed" in first["text"] and "section" in first["text"]


def test_clean_input_gets_no_note():
    parsed = ParsedArticle(headline="Storm", body="One.\n\n\tTwo.", section="World")
    remove_controls(parsed)
    assert parsed.import_notes == []
    assert parsed.body == "One.\n\n\tTwo."


def test_every_importer_output_is_free_of_controls(tmp_path: Path):
    filler = "The council met on Tuesday to discuss the harbour, and voted. " * 8
    samples = {
        "wire.txt": f"HEADLINE\x01 HERE\n\nBy Jane\x02 Doe\n\nBody\x1b text.\n\n{filler}\n",
        "page.html": (
            "<html><head><title>Storm\x01 | Daily</title></head><body><article>"
            "<h1>Storm\x01</h1><p>Body\x85 text that runs long enough to be a story, "
            "with commas, and words.</p></article></body></html>"
        ),
        "note.md": f"# Head\x03line\n\nBody\x04 text.\n\n{filler}\n",
    }
    for name, text in samples.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        parsed = parse_file(path)
        for value in (parsed.headline, parsed.byline, parsed.section, parsed.body):
            assert not INVALID.search(value), (name, value)


def test_a_control_in_a_section_does_not_break_the_site(newsroom, tmp_path: Path):
    # Stored straight (not through the import): the render side strips it too.
    publish(newsroom, "Flood\x01 defences", "The council\x02 voted.", section="Lo\x01cal")
    publish(newsroom, "Harbour works", "Work starts.", section="Local", byline="A\x1b B")
    out = tmp_path / "site"
    export_site(newsroom, out, options=ExportOptions(base_url="https://news.example/", now=NOW))
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    ET.fromstring(feed)  # well-formed XML
    for page in out.rglob("*"):
        if page.suffix in {".html", ".xml"}:
            assert not INVALID.search(page.read_text(encoding="utf-8")), page
