"""Importing Word documents: structure, images, footnotes; damaged and hostile files refused.

The fixtures are built here with python-docx (and a little zip surgery for footnotes,
which python-docx cannot write), so no binary test files are committed.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from editor.core.errors import ImportFileError
from editor.core.importers import docx as docx_importer
from editor.core.importing import parse_file
from editor.core.render import render_body_html
from tests.core.test_import_html import png

docx = pytest.importorskip("docx")

_FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>{notes}</w:footnotes>"
)
_NOTE = (
    '<w:footnote w:id="{id}"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
    "</w:footnote>"
)
_REF = (
    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
    '<w:footnoteReference w:id="{id}"/></w:r>'
)


def with_footnotes(data: bytes, notes: list[str]) -> bytes:
    """Each `[[n]]` at the end of a run becomes a reference to footnote `notes[n-1]`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "word/document.xml":
                part = re.sub(
                    r"\[\[(\d+)\]\]</w:t></w:r>",
                    lambda m: "</w:t></w:r>" + _REF.format(id=m.group(1)),
                    part.decode(),
                ).encode()
            elif info.filename == "word/_rels/document.xml.rels":
                part = part.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn" Target="footnotes.xml" Type="http://schemas.'
                    b'openxmlformats.org/officeDocument/2006/relationships/footnotes"/>'
                    b"</Relationships>",
                )
            elif info.filename == "[Content_Types].xml":
                part = part.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.'
                    b'openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            target.writestr(info, part)
        body = "".join(_NOTE.format(id=i + 1, text=t) for i, t in enumerate(notes))
        target.writestr("word/footnotes.xml", _FOOTNOTES.format(notes=body))
    return out.getvalue()


def build_story() -> bytes:
    from docx.shared import Inches

    document = docx.Document()
    document.core_properties.author = "Desk Account"
    document.add_paragraph("Council approves flood plan", style="Title")
    document.add_paragraph("Homes protected by new walls.", style="Subtitle")
    document.add_paragraph("By Jane Doe")
    paragraph = document.add_paragraph("The council ")
    paragraph.add_run("approved").bold = True
    paragraph.add_run(" the ")
    paragraph.add_run("plan").italic = True
    paragraph.add_run(" on Thursday[[1]]")
    document.add_heading("Costs", 2)
    document.add_paragraph("first item", style="List Bullet")
    document.add_paragraph("second item", style="List Bullet")
    document.add_paragraph("step one", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {
        (0, 0): "Item",
        (0, 1): "Cost",
        (1, 0): "Walls",
        (1, 1): "£40m",
    }.items():
        table.cell(row, col).text = text
    document.add_picture(io.BytesIO(png(4, 3)), width=Inches(1))
    document.add_paragraph("Sign up for our newsletter")
    document.add_paragraph("“It is a good day,” she said – twice[[2]]")
    buffer = io.BytesIO()
    document.save(buffer)
    return with_footnotes(buffer.getvalue(), ["Council minutes, 20 Nov.", "Interview."])


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.docx"
    path.write_bytes(build_story())
    return path


def test_title_subtitle_byline(story):
    parsed = parse_file(story)
    assert parsed.headline == "Council approves flood plan"
    assert parsed.standfirst == "Homes protected by new walls."
    assert parsed.byline == "Jane Doe"  # the "By" line beats the file's author property


def test_structure_becomes_markdown(story):
    blocks = parse_file(story).body.split("\n\n")
    assert blocks[0] == "The council **approved** the *plan* on Thursday[^1]"
    assert blocks[1] == "## Costs"
    assert blocks[2] == "- first item\n- second item"
    assert blocks[3] == "1. step one"
    assert blocks[4] == "| Item | Cost |\n| --- | --- |\n| Walls | £40m |"
    assert blocks[5] == "![](import:img1)"
    assert blocks[6] == "“It is a good day,” she said – twice[^2]"
    assert blocks[7] == "[^1]: Council minutes, 20 Nov.\n[^2]: Interview."
    html = render_body_html("\n\n".join(blocks))
    assert 'class="footnote"' in html and "Council minutes" in html


def test_image_kept_and_newsletter_prompt_in_notes(story):
    parsed = parse_file(story)
    assert [(i.media_type, i.data) for i in parsed.images] == [("image/png", png(4, 3))]
    assert parsed.import_notes == [
        {"kind": "newsletter", "text": "Sign up for our newsletter", "position": 6}
    ]


def test_author_property_when_there_is_no_byline_line(tmp_path):
    document = docx.Document()
    document.core_properties.author = "Ana Ribeiro"
    document.core_properties.title = "Document1"
    document.add_paragraph("Short headline without a full stop")
    document.add_paragraph("Body text here.")
    path = tmp_path / "plain.docx"
    document.save(path)
    parsed = parse_file(path)
    assert (parsed.headline, parsed.byline, parsed.body) == (
        "Short headline without a full stop",
        "Ana Ribeiro",
        "Body text here.",
    )


def _zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_refused_without_inflating(tmp_path, monkeypatch):
    bomb = _zip({"word/document.xml": b"\x00" * (40 * 1024 * 1024)})
    assert len(bomb) < 200_000
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    import mammoth

    monkeypatch.setattr(mammoth, "convert_to_html", lambda *a, **k: pytest.fail("inflated"))
    with pytest.raises(ImportFileError, match="zip bomb"):
        parse_file(path)


def test_declared_total_too_large(monkeypatch, tmp_path):
    monkeypatch.setattr(docx_importer, "MAX_UNPACKED_BYTES", 1000)
    path = tmp_path / "big.docx"
    path.write_bytes(_zip({"word/document.xml": b"x" * 2000}, zipfile.ZIP_STORED))
    with pytest.raises(ImportFileError, match="would unpack to"):
        parse_file(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            docx_importer.CFB_MAGIC + b"\x00" * 100 + "EncryptionInfo".encode("utf-16-le"),
            "password-protected",
        ),
        (docx_importer.CFB_MAGIC + b"\x00" * 512, "Word 97-2003"),
        (b"PK\x03\x04 this is not really a zip", "damaged"),
        (_zip({"content.xml": b"<x/>"}), "OpenDocument"),
        (_zip({"hello.txt": b"hi"}), "no word/document.xml"),
        (b"just some text", "not a Word document"),
        (b"", "is empty"),
    ],
    ids=["encrypted", "doc97", "corrupt-zip", "odt", "other-zip", "text", "empty"],
)
def test_bad_documents_get_one_clear_message(tmp_path, data, message):
    path = tmp_path / "bad.docx"
    path.write_bytes(data)
    with pytest.raises(ImportFileError, match=message):
        parse_file(path)


def test_truncated_docx_is_refused_cleanly(tmp_path):
    data = build_story()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 30):
        path = tmp_path / f"cut{cut}.docx"
        path.write_bytes(data[:cut])
        with pytest.raises(ImportFileError):
            parse_file(path)


def test_damaged_document_xml(tmp_path):
    path = tmp_path / "broken.docx"
    source = zipfile.ZipFile(io.BytesIO(build_story()))
    entries = {i.filename: source.read(i) for i in source.infolist()}
    entries["word/document.xml"] = entries["word/document.xml"][:500]
    path.write_bytes(_zip(entries))
    with pytest.raises(ImportFileError, match="damaged"):
        parse_file(path)
