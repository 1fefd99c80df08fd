"""Importing a web article or a saved page: body found, metadata read, Markdown right."""

from __future__ import annotations

import struct
import zlib
from datetime import date
from pathlib import Path

import pytest

from editor.core.errors import ImportFileError
from editor.core.importers.html import parse_html
from editor.core.importing import parse_file
from editor.core.render import render_body_html


def png(width: int = 3, height: int = 2) -> bytes:
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>Storm closes ports | The Daily</title>
<meta property="og:title" content="Storm closes ports">
<meta property="og:description" content="Ports shut along the coast.">
<meta property="og:site_name" content="The Daily">
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "The Daily"},
 {"@type": "NewsArticle", "headline": "Storm closes ports",
  "datePublished": "2024-07-17T10:00:00Z",
  "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "Li Wei"}],
  "articleSection": "World", "keywords": ["weather", "ports"]}]}
</script>
<style>p { color: red }</style></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<header class="site-header"><div class="logo">The Daily</div></header>
<article>
 <h1>Storm closes ports</h1>
 <p class="byline">By Jane Doe and Li Wei</p>
 <time datetime="2024-07-17T10:00">July 17, 2024</time>
 <div itemprop="articleBody">
  <p>Ports shut on <b>Monday</b> as a <em>storm</em> hit the coast,
     <a href="https://example.com/x">officials said</a>.</p>
  <figure><img src="images/waves.png" alt="Waves at the pier">
   <figcaption>Waves hit the pier. <span class="credit">Photo: J. Smith</span></figcaption>
  </figure>
  <aside class="related"><h3>Related</h3><ul><li><a href="/a">Other story</a></li></ul></aside>
  <h2>What happens next</h2>
  <ul><li>One</li><li>Two<ul><li>Nested</li></ul></li></ul>
  <ol start="3"><li>Three</li><li>Four</li></ol>
  <blockquote><p>We are <i>ready</i>.</p></blockquote>
  <table><tr><th>Port</th><th>Status</th></tr><tr><td>Dover</td><td>Closed | shut</td></tr></table>
  <p>Read more</p>
  <p>- not a list *star* 5 &lt; 6 &amp; co</p>
  <img src="https://cdn.example.com/remote.jpg" alt="Remote">
  <div class="ad-slot">Advertisement</div>
  <script>alert(1)</script>
  <p>Last <span style="display:none">hidden</span>paragraph.</p>
 </div>
</article>
<footer>© 2024 The Daily</footer>
</body></html>"""


@pytest.fixture
def saved_page(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "waves.png").write_bytes(png())
    path = tmp_path / "storm.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_metadata_from_json_ld_opengraph_and_markup(saved_page):
    parsed = parse_file(saved_page)
    assert parsed.headline == "Storm closes ports"
    assert parsed.standfirst == "Ports shut along the coast."
    assert parsed.byline == "Jane Doe and Li Wei"
    assert parsed.section == "World"
    assert parsed.tags == ["weather", "ports"]
    assert parsed.story_date == date(2024, 7, 17)


def test_body_converted_to_our_markdown(saved_page):
    body = parse_file(saved_page).body
    assert body.split("\n\n") == [
        "Ports shut on **Monday** as a *storm* hit the coast, "
        "[officials said](https://example.com/x).",
        "![Waves at the pier](import:img1)",
        "## What happens next",
        "- One\n- Two\n    - Nested",
        "3. Three\n4. Four",
        "> We are *ready*.",
        "| Port | Status |\n| --- | --- |\n| Dover | Closed \\| shut |",
        "\\- not a list \\*star\\* 5 &lt; 6 &amp; co",
        "Last paragraph.",
    ]
    html = render_body_html(body)
    assert "<strong>Monday</strong>" in html and "<em>storm</em>" in html
    assert '<ol start="3">' in html and "<table>" in html and "<blockquote>" in html
    assert "<p>- not a list *star* 5 &lt; 6 &amp; co</p>" in html
    for dropped in ("alert", "color: red", "Home", "The Daily", "hidden", "Storm closes ports"):
        assert dropped not in body


def test_local_image_kept_with_caption_and_credit(saved_page):
    images = parse_file(saved_page).images
    assert len(images) == 1
    image = images[0]
    assert (image.key, image.filename, image.media_type) == ("img1", "waves.png", "image/png")
    assert image.data == png()
    assert (image.alt, image.caption, image.credit) == (
        "Waves at the pier",
        "Waves hit the pier.",
        "Photo: J. Smith",
    )


def test_furniture_and_remote_images_go_to_notes_at_their_place(saved_page):
    notes = parse_file(saved_page).import_notes
    by_kind = {n["kind"]: n for n in notes}
    assert notes[0]["kind"] == "related" and notes[0]["text"] == "### Related\n\n- Other story"
    assert notes[0]["position"] == 2
    read_more = [n for n in notes if n["text"] == "Read more"]
    assert read_more and read_more[0]["position"] == 7
    assert by_kind["image"]["text"] == "![Remote](https://cdn.example.com/remote.jpg)"
    assert by_kind["advert"]["text"] == "Advertisement"


def test_an_image_outside_the_page_folder_is_not_read(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(png())
    folder = tmp_path / "page"
    folder.mkdir()
    html = "<html><body><article><p>Text that is long enough to be the story. " * 5
    html += '</p><img src="../secret.png" alt="x"></article></body></html>'
    parsed = parse_html(html, "page.html", folder)
    assert parsed.images == []
    assert any(n["kind"] == "image" for n in parsed.import_notes)


def test_density_heuristic_without_article_markup():
    story = "".join(
        f"<p>Paragraph {n} of the story, with commas, clauses, and enough words to count.</p>"
        for n in range(6)
    )
    html = (
        "<html><head><title>Bridge reopens after repairs - Town Times</title></head><body>"
        '<div id="menu"><a href="/">Home</a> <a href="/news">News</a></div>'
        '<div class="sidebar"><p>Most popular: <a href="/1">one, two, three stories</a></p></div>'
        f'<div class="content">{story}</div>'
        "<div class='footer'><p>Contact us at the office, any weekday, before noon.</p></div>"
        "</body></html>"
    )
    parsed = parse_html(html, "page.html")
    assert parsed.headline == "Bridge reopens after repairs"
    assert parsed.body.count("\n\n") == 5
    assert parsed.body.startswith("Paragraph 0 of the story")
    assert "Contact us" not in parsed.body and "Most popular" not in parsed.body


def test_declared_charset_and_windows_1252(tmp_path):
    path = tmp_path / "old.htm"
    path.write_bytes(
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        b"</head><body><article><h1>Caf\xe9 \x93owner\x94</h1>"
        + b"<p>The caf\xe9 owner said it was a \x93good day\x94 \x96 for everyone there.</p>" * 4
        + b"</article></body></html>"
    )
    parsed = parse_file(path)
    assert parsed.headline == "Café “owner”"
    assert "“good day” – for" in parsed.body


def test_json_ld_article_body_when_the_markup_has_no_story():
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Quiet night", "articleBody": "Nothing <b>happened</b> at all."}'
        "</script></head><body><div></div></body></html>"
    )
    parsed = parse_html(html, "x.html")
    assert parsed.headline == "Quiet night"
    assert render_body_html(parsed.body) == "<p>Nothing &lt;b&gt;happened&lt;/b&gt; at all.</p>"


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b"\x00\x01\x02\xff" * 500, b"<html></html>", b"<html><body></body></html>"],
)
def test_pages_without_a_story_get_one_message(tmp_path, data):
    path = tmp_path / "page.html"
    path.write_bytes(data)
    with pytest.raises(ImportFileError):
        parse_file(path)


def test_relative_links_resolved_against_the_canonical_url():
    html = (
        '<html><head><link rel="canonical" href="https://news.example/world/story"></head>'
        '<body><article><p>See <a href="/data">the data</a> and <a href="javascript:x()">'
        "this</a> for the long enough text of this story that is here.</p></article></body></html>"
    )
    body = parse_html(html, "x.html").body
    assert "[the data](https://news.example/data)" in body
    assert "javascript" not in body and "this for" in body


def test_data_uri_image_is_kept():
    import base64

    uri = "data:image/png;base64," + base64.b64encode(png()).decode()
    html = f'<html><body><article><p>Story text here.</p><img src="{uri}" alt="Dot"></article>'
    parsed = parse_html(html + "</body></html>", "x.html")
    assert parsed.images[0].data == png()
    assert parsed.body.endswith("![Dot](import:img1)")


def test_shared_samples_folder_html_if_any():
    folder = Path("/work/shared/samples")
    pages = sorted(folder.glob("*.htm*")) if folder.exists() else []
    for page in pages:
        parsed = parse_file(page)
        assert parsed.headline and parsed.body
