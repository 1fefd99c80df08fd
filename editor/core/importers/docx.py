"""Word documents (.docx from Word, LibreOffice or Google Docs) through mammoth.

mammoth turns the document into clean semantic HTML (headings, emphasis, lists, links,
tables, images, footnotes), which `htmlmd` turns into our Markdown. Before mammoth sees
the bytes, the container is checked: an encrypted (password-protected) document or an
old binary .doc is an OLE file, not a zip; a zip whose declared sizes or compression
ratio are absurd (a zip bomb) is refused without being inflated.
"""

from __future__ import annotations

import io
import logging
import zipfile

from lxml import etree
from lxml import html as lxml_html

from editor.core.errors import ImportFileError
from editor.core.importers.common import (
    MAX_IMAGE_BYTES,
    MB,
    ParsedArticle,
    clean_tags,
    clean_text,
)
from editor.core.importers.html import lift_furniture
from editor.core.importers.htmlmd import MarkdownConverter, drop_element, element_text

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: All parts of a document together, inflated, may not exceed this.
MAX_UNPACKED_BYTES = 300 * MB
#: One part may not inflate to more than this many times its packed size (when large).
MAX_RATIO = 200
MAX_PARTS = 5000

_STYLE_MAP = """
p[style-name='Title'] => h1.title:fresh
p[style-name='Subtitle'] => p.standfirst:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Caption'] => p.caption:fresh
"""
_CORE = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}


def check_container(data: bytes, name: str) -> zipfile.ZipFile:
    """The document's zip, or one clear message for what it is instead."""
    if not data.strip(b"\x00 \t\r\n"):
        raise ImportFileError(f"{name} is empty.")
    if data.startswith(CFB_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data:
            raise ImportFileError(
                f"{name} is password-protected. Open it in Word, remove the password "
                "(File > Info > Protect Document) and import it again."
            )
        raise ImportFileError(
            f"{name} is an old Word 97-2003 document, not a .docx. Open it in Word or "
            "LibreOffice, save it as .docx and import that."
        )
    if not data.startswith(b"PK"):
        raise ImportFileError(
            f"{name} is not a Word document (.docx): it is damaged or another kind of file."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ImportFileError(
            f"{name} is damaged: it cannot be opened as a Word document."
        ) from None
    if len(infos) > MAX_PARTS:
        raise ImportFileError(f"{name} has too many parts ({len(infos)}) to be a document.")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if ratio > MAX_RATIO and info.file_size > 10 * MB:
            raise ImportFileError(
                f"{name} was refused: one of its parts would unpack to "
                f"{info.file_size // MB} MB from {max(1, info.compress_size // 1024)} KB "
                "(a zip bomb, or a damaged file)."
            )
    if total > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            f"{name} was refused: it would unpack to {total // MB} MB, more than a "
            f"document needs (limit {MAX_UNPACKED_BYTES // MB} MB)."
        )
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        if "content.xml" in names:
            raise ImportFileError(
                f"{name} is an OpenDocument file; save it as .docx and import that."
            )
        raise ImportFileError(f"{name} is not a Word document (it has no word/document.xml).")
    return archive


def parse_docx(data: bytes, name: str) -> ParsedArticle:
    archive = check_container(data, name)
    import mammoth  # imported late: only a DOCX import needs it

    images: dict[str, tuple[bytes, str, str]] = {}

    def keep_image(image) -> dict[str, str]:
        with image.open() as stream:
            content = stream.read(MAX_IMAGE_BYTES + 1)
        if len(content) > MAX_IMAGE_BYTES:
            return {"src": "", "alt": image.alt_text or ""}
        key = f"docx-image:{len(images) + 1}"
        media_type = image.content_type or "application/octet-stream"
        extension = media_type.rsplit("/", 1)[-1].replace("jpeg", "jpg").replace("svg+xml", "svg")
        images[key] = (content, f"image{len(images) + 1}.{extension}", media_type)
        return {"src": key, "alt": image.alt_text or ""}

    logging.getLogger("mammoth").setLevel(logging.ERROR)
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=_STYLE_MAP,
            convert_image=mammoth.images.img_element(keep_image),
        )
    except ImportFileError:
        raise
    except Exception as error:  # a damaged file may fail anywhere in mammoth
        raise ImportFileError(
            f"{name} is damaged and cannot be read as a Word document ({type(error).__name__})."
        ) from None
    parsed = ParsedArticle()
    _core_properties(archive, parsed)
    creator, parsed.byline = parsed.byline, ""  # a "By ..." line in the text comes first
    html = result.value or ""
    if not html.strip():
        if parsed.headline:
            parsed.byline = creator
            return parsed
        raise ImportFileError(f"{name} holds no text to import.")
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        raise ImportFileError(f"{name} could not be converted.") from None
    _expand_spans(root)
    _lift_title(root, parsed)
    _note_struck_text(root, parsed)
    conversion = MarkdownConverter(lambda src: images.get(src)).convert(root)
    parsed.images = conversion.images
    notes = sorted(conversion.notes, key=lambda n: n["position"])
    parsed.body, lifted = lift_furniture(conversion.blocks, notes, parsed)
    parsed.import_notes.extend(lifted)
    parsed.byline = parsed.byline or creator
    return parsed


def _core_properties(archive: zipfile.ZipFile, parsed: ParsedArticle) -> None:
    """Title, author, keywords and date from docProps/core.xml (when sensible)."""
    try:
        info = archive.getinfo("docProps/core.xml")
        if info.file_size > MB:
            return
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        core = etree.fromstring(archive.read(info), parser)
    except Exception:  # a damaged part (bad CRC, bad deflate data, bad XML): no properties
        return
    if core is None:
        return

    def value(path: str) -> str:
        found = core.find(path, _CORE)
        return clean_text(found.text) if found is not None and found.text else ""

    title = value("dc:title")
    if title and not title.lower().startswith(("document", "untitled", "microsoft word")):
        parsed.headline = title
    parsed.byline = value("dc:creator")
    parsed.tags = clean_tags(value("cp:keywords").replace(";", ","))
    parsed.standfirst = value("dc:description")


def _expand_spans(root: etree._Element) -> None:
    """Merged cells (`rowspan`, `colspan`) become the empty cells they cover.

    A Markdown table has one cell per column in every row: without the covered cells,
    the cells after a vertically merged one would shift one column to the left.
    """
    for table in root.iter("table"):
        rows = [row for row in table.iter("tr") if _nearest(row, "table") is table]
        pending: dict[int, int] = {}  # column -> rows it is still covered for
        for row in rows:
            cells = [c for c in row if isinstance(c.tag, str) and c.tag in {"td", "th"}]
            column = 0
            out: list[etree._Element] = []
            queue = list(cells)
            while queue or any(col >= column for col in pending):
                if pending.get(column, 0) > 0:
                    pending[column] -= 1
                    if not pending[column]:
                        del pending[column]
                    out.append(etree.Element("td"))
                    column += 1
                    continue
                if not queue:
                    if not pending:
                        break
                    column += 1
                    continue
                cell = queue.pop(0)
                span = _span(cell.get("colspan"))
                down = _span(cell.get("rowspan"))
                for name in ("colspan", "rowspan"):
                    cell.attrib.pop(name, None)
                out.append(cell)
                for extra in range(span):
                    if extra:
                        out.append(etree.Element(cell.tag))
                    if down > 1:
                        pending[column + extra] = down - 1
                column += span
            for cell in cells:
                row.remove(cell)
            for cell in out:
                row.append(cell)


def _note_struck_text(root: etree._Element, parsed: ParsedArticle) -> None:
    """Struck-out words stay in the body (our Markdown has no strikethrough) and are noted.

    In copy sent to a desk, a strikethrough is often a suggested cut: the editor decides.
    """
    struck = [element_text(e) for e in root.iter("s", "del", "strike") if element_text(e)]
    if struck:
        quoted = "; ".join(f"“{text}”" for text in struck[:20])
        parsed.import_notes.append(
            {
                "kind": "strikethrough",
                "text": f"Struck out in the document (kept in the body as plain text): {quoted}",
                "position": None,
            }
        )


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _nearest(element: etree._Element, tag: str) -> etree._Element | None:
    node = element.getparent()
    while node is not None and node.tag != tag:
        node = node.getparent()
    return node


def _heading_text(element: etree._Element) -> str:
    """The words of a heading without its footnote reference marks ("[1]")."""
    copy = lxml_html.fromstring(etree.tostring(element, encoding="unicode"))
    for ref in copy.xpath(
        './/a[starts-with(@href, "#footnote-") or starts-with(@href, "#endnote-")]'
    ):
        parent = ref.getparent()
        drop_element(parent if parent is not None and parent.tag == "sup" else ref)
    return element_text(copy)


def _has_footnote_ref(element: etree._Element) -> bool:
    return bool(
        element.xpath('.//a[starts-with(@href, "#footnote-") or starts-with(@href, "#endnote-")]')
    )


def _lift_title(root: etree._Element, parsed: ParsedArticle) -> None:
    """The Title paragraph, else the first Heading 1, is the headline; Subtitle the standfirst.

    Without either, a short first paragraph with no full stop is taken as the headline,
    but only when it opens the document (not a table's first cell), more text follows it
    (a one-paragraph document keeps its text, and its emphasis, in the body) and it holds
    no footnote reference; the document properties' title is the last resort (it is often
    "Document1").
    """
    headings = [h for h in root.iter("h1") if element_text(h)]
    titled = [h for h in headings if "title" in (h.get("class") or "")]
    chosen = (titled or headings or [None])[0]
    if chosen is not None:
        parsed.headline = _heading_text(chosen)
        if _has_footnote_ref(chosen):
            # The reference stays in the body, so its footnote keeps a mark to belong to.
            chosen.tag = "p"
        else:
            drop_element(chosen)
    for element in root.iter("p"):
        if "standfirst" in (element.get("class") or ""):
            parsed.standfirst = element_text(element)
            drop_element(element)
            break
    if chosen is None and not parsed.headline:
        first = next((c for c in root if isinstance(c.tag, str)), None)
        if first is None or first.tag != "p" or _has_footnote_ref(first):
            return
        text = element_text(first)
        rest = [c for c in root if c is not first and isinstance(c.tag, str)]
        if not any(element_text(c) or c.tag in {"img", "table"} for c in rest):
            return  # the only paragraph: it is the story, not a headline
        if text and len(text) < 200 and not text.endswith("."):
            parsed.headline = text
            drop_element(first)
