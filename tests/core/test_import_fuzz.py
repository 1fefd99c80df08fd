"""Every importer on random and nearly-valid input: a parsed article or ImportFileError.

Random bytes under every suffix, HTML assembled from real tags in random nesting,
Markdown with broken front matter, and real DOCX files with random bytes changed.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core.errors import ImportFileError
from editor.core.importers.html import parse_html
from editor.core.importers.markdown import parse_markdown
from editor.core.importers.notes import paragraphs, put_back
from editor.core.importing import ParsedArticle, SourceFile, parse_file
from editor.core.render import render_body_html

SUFFIXES = [".txt", ".md", ".html", ".docx", ".doc", "", ".xyz"]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _import(name: str, data: bytes) -> ParsedArticle | None:
    try:
        parsed = parse_file(SourceFile(Path("/nonexistent-folder") / name, data))
    except ImportFileError as error:
        assert str(error)  # a message a person can read
        return None
    assert isinstance(parsed.body, str) and isinstance(parsed.headline, str)
    for note in parsed.import_notes:
        assert set(note) == {"kind", "text", "position"}
        assert note["position"] is None or note["position"] >= 0
    return parsed


@FUZZ
@given(st.sampled_from(SUFFIXES), st.binary(max_size=3000))
def test_random_bytes_under_every_suffix(suffix, data):
    _import(f"file{suffix}", data)


_TAGS = [
    "p", "div", "span", "b", "i", "em", "strong", "a", "ul", "ol", "li", "table", "tr",
    "td", "th", "blockquote", "pre", "code", "h1", "h2", "h3", "figure", "figcaption",
    "img", "br", "hr", "article", "aside", "script", "style", "sup", "time", "main",
]  # fmt: skip
_ATTRS = [
    "", ' class="related"', ' class="ad-slot"', ' href="https://x.test/a"', ' href="#footnote-1"',
    ' id="footnote-1"', ' itemprop="articleBody"', ' src="data:image/png;base64,iVBORw0K"',
    ' src="../../etc/passwd"', ' style="display:none"', ' start="-3"', ' colspan="999999"',
    ' datetime="2024-13-45"', ' class="byline"',
]  # fmt: skip
_TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(list('ab *_[]()#>-1.|`\\&<"“”’ \n\t\xa0é')), max_size=30),
    st.sampled_from(["See also", "By X", "Read more", "Advertisement", "&amp;", "&#0;"]),
)


@st.composite
def html_documents(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 5 and draw(st.booleans()):
            tag = draw(st.sampled_from(_TAGS))
            attrs = draw(st.sampled_from(_ATTRS))
            inner = draw(html_documents(depth=depth + 1))
            close = "" if draw(st.integers(0, 5)) == 0 else f"</{tag}>"  # unclosed at times
            parts.append(f"<{tag}{attrs}>{inner}{close}")
        else:
            parts.append(draw(_TEXT))
    return "".join(parts)


@FUZZ
@given(html_documents(), st.booleans())
def test_structured_html(document, wrap):
    text = (
        f"<html><head><title>T</title></head><body>{document}</body></html>" if wrap else document
    )
    try:
        parsed = parse_html(text, "page.html")
    except ImportFileError:
        return
    # A script may survive as text (inside a code block, shown literally), never as markup.
    assert "<script" not in render_body_html(parsed.body).lower()


@FUZZ
@given(html_documents())
def test_html_through_parse_file_in_any_encoding(document):
    for encoding in ("utf-8", "utf-16", "cp1252"):
        _import("page.html", document.encode(encoding, errors="replace"))


@FUZZ
@given(
    st.sampled_from(["---", "+++", "---\n", ""]),
    st.text(max_size=200),
    st.sampled_from(["---", "+++", "...", ""]),
    st.text(max_size=200),
)
def test_markdown_with_near_valid_front_matter(opening, meta, closing, body):
    text = f"{opening}\n{meta}\n{closing}\n{body}"
    with contextlib.suppress(ImportFileError):
        parse_markdown(text)
    _import("story.md", text.encode("utf-8", errors="replace"))


def _small_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Head", 1)
    paragraph = document.add_paragraph("Body ")
    paragraph.add_run("bold").bold = True
    document.add_paragraph("item", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_DOCX = None


def _docx_bytes() -> bytes:
    global _DOCX
    if _DOCX is None:
        _DOCX = _small_docx()
    return _DOCX


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8))
def test_docx_with_random_bytes_changed(changes):
    data = bytearray(_docx_bytes())
    for offset, value in changes:
        data[offset % len(data)] = value
    _import("story.docx", bytes(data))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["word/document.xml", "word/styles.xml"]))
def test_docx_with_a_random_part(content, part):
    source = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == part else source.read(info))
    _import("story.docx", buffer.getvalue())


@FUZZ
@given(
    st.lists(st.text(alphabet="abc \n", min_size=1, max_size=8).filter(str.strip), max_size=8),
    st.lists(
        st.tuples(st.integers(0, 10), st.text(alphabet="xyz", min_size=1, max_size=3)),
        max_size=5,
    ),
    st.randoms(use_true_random=False),
)
def test_put_back_in_any_order_restores_the_document_order(kept, removed, random):
    """Notes removed from a document go back where they were, whatever the order."""
    kept = [" ".join(k.split()) for k in kept]
    removed = sorted((min(p, len(kept)), t) for p, t in removed)
    notes = [{"kind": "boilerplate", "text": t, "position": p} for p, t in removed]
    original = list(kept)
    for offset, (position, text) in enumerate(removed):
        original.insert(position + offset, text)
    body = "\n\n".join(kept)
    while notes:
        body, notes = put_back(body, notes, random.randrange(len(notes)))
    assert paragraphs(body) == original
