"""HTML -> the body's Markdown dialect (see `editor.core.render`), without Qt.

Used by the HTML importer and, through mammoth, by the DOCX importer. The converter walks
an lxml tree and produces a list of Markdown blocks; furniture it meets (asides, share
bars, related-story boxes, adverts) becomes import notes at the block index where it
stood, images become `![alt](import:<key>)` blocks when the caller can supply the bytes,
and mammoth's footnotes become Markdown footnotes `[^1]`.

What is content at all (hidden, never content, furniture, Word's fallbacks and lists,
styled emphasis, heading levels, links) is decided by `editor.core.htmlclean`, the rules
the paste into the body follows too; `convert` first applies them to the tree
(`htmlclean.prepare_tree`), then writes Markdown.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from lxml import etree

from editor.core import htmlclean
from editor.core.htmlclean import DROPPED_WITH_CONTENT, clean_url, heading_level, inline_marks
from editor.core.importers.common import (
    MAX_IMAGE_BYTES,
    ImportedImage,
    clean_text,
    escape_markdown,
    note,
)

#: Dropped with everything inside them, without a note (the shared rule, `htmlclean`).
DROPPED = DROPPED_WITH_CONTENT
BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3",
        "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table", "figure", "hr",
        "dl", "dt", "dd", "address", "center", "body", "html", "aside", "details",
        "summary", "figcaption", "hgroup", "menu", "form", "fieldset",
    }
)  # fmt: skip
_FOOTNOTE_ID = re.compile(r"^(?P<kind>foot|end)note-(?P<n>\d+)$")
_BR = "\x00br\x00"
_TEXT_ESCAPES = re.compile(r"([\\`*_\[\]])")

ImageResolver = Callable[[str], "tuple[bytes, str, str] | None"]
"""src -> (bytes, filename, media type) for an image the importer may keep, else None."""


@dataclass
class Conversion:
    blocks: list[str] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    images: list[ImportedImage] = field(default_factory=list)

    @property
    def markdown(self) -> str:
        return "\n\n".join(self.blocks)


def escape_text(text: str) -> str:
    """Text from a document, safe inside a Markdown paragraph (not at its start)."""
    return _TEXT_ESCAPES.sub(r"\\\1", text).replace("&", "&amp;").replace("<", "&lt;")


def element_text(element: etree._Element) -> str:
    """The visible words of an element on one line."""
    try:
        return clean_text(" ".join(element.itertext()))
    except ValueError:
        return ""


def furniture_kind(element: etree._Element) -> str | None:
    """The note kind when `element` is page furniture by its tag, role, class or id."""
    return htmlclean.furniture_kind(tag_name(element), element.attrib)


def is_hidden(element: etree._Element) -> bool:
    """Whether the page never shows `element` (the shared rule, `htmlclean.is_hidden`)."""
    return htmlclean.is_hidden(element.attrib)


def _skipped(element: etree._Element, tag: str) -> bool:
    """Not content; `htmlclean.prepare_tree` removed most of it before the walk already."""
    return not tag or htmlclean.is_dropped(tag) or htmlclean.is_hidden(element.attrib)


def tag_name(element: etree._Element) -> str:
    """The element's tag, lower case and without a namespace ("" for comments and the like)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


class MarkdownConverter:
    """One conversion of one tree; `resolve_image` supplies bytes for images to keep."""

    def __init__(self, resolve_image: ImageResolver | None = None, base_url: str = "") -> None:
        self.resolve_image = resolve_image
        self.base_url = base_url
        self.result = Conversion()
        self._footnotes: dict[str, int] = {}
        self._footnote_text: dict[int, str] = {}
        self._deferred: list[tuple[str, str, str]] = []  # (src, alt, caption) of inline images
        self._depth = 0
        self._in_note = False  # inside a note or a footnote: furniture is not looked for
        self._in_heading = False  # a heading is bold already

    # -- entry -----------------------------------------------------------

    def convert(self, root: etree._Element) -> Conversion:
        htmlclean.prepare_tree(root)
        self._collect_footnotes(root)
        self._walk(root, self.result.blocks, notes=True)
        definitions = [f"[^{n}]: {self._footnote_text[n]}" for n in sorted(self._footnote_text)]
        if definitions:
            self.result.blocks.append("\n".join(definitions))
        return self.result

    # -- footnotes (mammoth: <li id="footnote-1">, refs to #footnote-1) ----

    def _collect_footnotes(self, root: etree._Element) -> None:
        holders: set[etree._Element] = set()
        for item in root.iter():
            ident = item.get("id") or "" if isinstance(item.tag, str) else ""
            if tag_name(item) == "li" and _FOOTNOTE_ID.match(ident):
                self._footnotes[ident] = len(self._footnotes) + 1
                parent = item.getparent()
                if parent is not None:
                    holders.add(parent)
        for ident, number in self._footnotes.items():
            item = root.xpath(f'.//li[@id="{ident}"]') if ident.isascii() else []
            if not item:
                continue
            for backref in item[0].xpath('.//a[starts-with(@href, "#")]'):
                if "ref" in (backref.get("href") or ""):
                    drop_element(backref)
            blocks: list[str] = []
            self._in_note = True
            self._walk(item[0], blocks, notes=False)
            self._in_note = False
            self._footnote_text[number] = " ".join(b.replace("\n", " ") for b in blocks).strip()
        for holder in holders:
            drop_element(holder)

    # -- blocks ----------------------------------------------------------

    def _walk(self, element: etree._Element, out: list[str], notes: bool) -> None:
        """Append the Markdown blocks of `element`'s content to `out`."""
        self._depth += 1
        if self._depth > 200:  # absurdly deep markup: keep the words, flat
            text = element_text(element)
            if text:
                out.append(escape_markdown(text))
            self._depth -= 1
            return
        pieces: list[tuple[bool, str]] = []

        def flush() -> None:
            for paragraph in _paragraphs(pieces):
                out.append(paragraph)
            pieces.clear()
            self._flush_images(out, notes)

        if element.text:
            pieces.append((True, element.text))
        for child in element:
            tag = tag_name(child)
            if _skipped(child, tag):
                pass
            elif (kind := self._furniture(child)) is not None:
                if notes and tag in BLOCKS:
                    flush()
                self._note(child, kind, out if notes else None)
            elif tag in BLOCKS:
                flush()
                self._block(child, tag, out, notes)
            elif tag == "img":
                self._image(child)
                flush()
            elif tag == "br":
                pieces.append((False, _BR))
            else:
                pieces.append((False, self._inline(child)))
            if child.tail:
                pieces.append((True, child.tail))
        flush()
        self._depth -= 1

    def _furniture(self, element: etree._Element) -> str | None:
        if self._in_note or not isinstance(element.tag, str):
            return None
        return furniture_kind(element)

    def _note(self, element: etree._Element, kind: str, out: list[str] | None) -> None:
        """`element` as an import note where it stood: at the end of `out`, or (inside a list,
        a cell or a line) where the block being made will go."""
        blocks: list[str] = []
        self._in_note, outer = True, self._in_note
        try:
            self._walk(element, blocks, notes=False)
        finally:
            self._in_note = outer
        text = "\n\n".join(b for b in blocks if b.strip())
        if text:
            position = len(out) if out is not None else len(self.result.blocks)
            self.result.notes.append(note(kind, text, position))

    def _block(self, element: etree._Element, tag: str, out: list[str], notes: bool) -> None:
        if (level := heading_level(tag)) is not None:
            self._in_heading, outer = True, self._in_heading
            try:
                text = self._inline_content(element)
            finally:
                self._in_heading = outer
            if text:
                out.append("#" * level + " " + text.replace("\n", " "))
            self._flush_images(out, notes)
        elif tag == "p" or tag == "dd" or tag == "summary" or tag == "address":
            self._walk(element, out, notes)
        elif tag == "dt":
            text = self._inline_content(element)
            if text:
                out.append(f"**{text}**")
        elif tag in {"ul", "ol", "menu"}:
            text = self._list(element, ordered=tag == "ol", notes=notes)
            if text:
                out.append(text)
        elif tag == "blockquote":
            inner: list[str] = []
            self._walk(element, inner, notes)
            if inner:
                quoted = "\n\n".join(inner)
                out.append("\n".join("> " + line if line else ">" for line in quoted.split("\n")))
        elif tag == "pre":
            for part in list(element.iterdescendants()):
                if (kind := self._furniture(part)) is not None and part.getparent() is not None:
                    self._note(part, kind, out)
                    drop_element(part)
            code = "".join(element.itertext()).strip("\n")
            if code.strip():
                fence = "~~~" if "```" in code else "```"
                out.append(f"{fence}\n{code}\n{fence}")
        elif tag == "table":
            table = self._table(element)
            if table:
                out.append(table)
        elif tag == "figure":
            self._figure(element, out, notes)
        elif tag == "hr":
            out.append("---")
        elif tag == "figcaption":
            text = self._inline_content(element)
            if text:
                out.append(text)
        else:  # div, section, article, li outside a list ...
            self._walk(element, out, notes)

    def _list(self, element: etree._Element, ordered: bool, notes: bool) -> str:
        start = _int(element.get("start"), 1) if ordered else 1
        items: list[str] = []
        for child in element:
            tag = tag_name(child)
            if _skipped(child, tag):
                continue
            if (kind := self._furniture(child)) is not None:
                self._note(child, kind, None)
                continue
            if tag in {"ul", "ol", "menu"} and items:
                # Google Docs puts a nested list straight into its parent: the item before.
                if nested_list := self._list(child, ordered=tag == "ol", notes=False):
                    items[-1] += "\n" + _indent(nested_list, 4)
                continue
            blocks: list[str] = []
            if tag == "li":
                self._walk(child, blocks, notes=False)
            elif tag in BLOCKS:
                self._block(child, tag, blocks, notes=False)
            else:
                blocks.append(self._inline(child))
            blocks = [b for b in blocks if b.strip()]
            if not blocks:
                continue
            marker = f"{start + len(items)}." if ordered else "-"
            text = f"{marker} {_indent(blocks[0], 4).lstrip()}"
            for block in blocks[1:]:
                nested = block.startswith(("- ", "1. ")) or re.match(r"\d+\. ", block)
                text += ("\n" if nested else "\n\n") + _indent(block, 4)
            items.append(text)
        return "\n".join(items)

    def _table(self, element: etree._Element) -> str:
        rows: list[list[str]] = []
        for row in element.iter("tr", "TR"):
            if _nearest_table(row) is not element:
                continue  # a row of a nested table is flattened into its cell
            cells = []
            for cell in row:
                if tag_name(cell) in {"td", "th"}:
                    blocks: list[str] = []
                    self._walk(cell, blocks, notes=False)
                    text = " ".join(b.replace("\n", " ") for b in blocks)
                    text = text.replace("|", "\\|").strip()
                    cells.extend([text] * max(1, min(_int(cell.get("colspan"), 1), 20)))
            if cells:
                rows.append(cells)
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)

    def _figure(self, element: etree._Element, out: list[str], notes: bool) -> None:
        caption_element = next((c for c in element.iter() if tag_name(c) == "figcaption"), None)
        caption, credit = "", ""
        if caption_element is not None:
            for part in caption_element.iter():
                names = f"{part.get('class') or ''} {part.get('itemprop') or ''}".lower()
                if part is not caption_element and ("credit" in names or "copyright" in names):
                    credit = element_text(part)
                    drop_element(part)
            caption = element_text(caption_element)
            drop_element(caption_element)
        images = [c for c in element.iter() if tag_name(c) == "img"]
        if not images:
            self._walk(element, out, notes)
            if caption or credit:
                out.append(escape_markdown(clean_text(f"{caption} {credit}")))
            return
        for image in images:
            self._deferred.append(
                (image.get("src") or image.get("data-src") or "", image.get("alt") or "", caption)
            )
            caption = ""  # one caption for the first image of a gallery
        self._credit = credit
        self._flush_images(out, notes)
        self._credit = ""

    # -- images ------------------------------------------------------------

    _credit = ""

    def _image(self, element: etree._Element) -> None:
        src = element.get("src") or element.get("data-src") or ""
        self._deferred.append((src, element.get("alt") or "", element.get("title") or ""))

    def _flush_images(self, out: list[str], notes: bool) -> None:
        while self._deferred:
            src, alt, caption = self._deferred.pop(0)
            alt = clean_text(alt)
            found = self._fetch(src) if src else None
            if found is not None:
                data, filename, media_type = found
                key = f"img{len(self.result.images) + 1}"
                self.result.images.append(
                    ImportedImage(
                        key=key,
                        data=data,
                        filename=filename,
                        media_type=media_type,
                        alt=alt,
                        caption=clean_text(caption),
                        credit=self._credit,
                    )
                )
                out.append(f"![{escape_text(alt)}](import:{key})")
            elif src and not src.startswith("data:"):
                url = self._url(src) or src
                text = f"![{escape_text(alt)}]({_quote_url(url)})"
                if words := clean_text(f"{caption} {self._credit}"):
                    text += "\n\n" + escape_markdown(words)  # the credit too: nothing lost
                self.result.notes.append(note("image", text, len(out)))

    def _fetch(self, src: str) -> tuple[bytes, str, str] | None:
        if src.startswith("data:"):
            return _data_uri(src)
        if self.resolve_image is None:
            return None
        return self.resolve_image(src)

    # -- inline ------------------------------------------------------------

    def _inline_content(self, element: etree._Element) -> str:
        pieces: list[tuple[bool, str]] = []
        if element.text:
            pieces.append((True, element.text))
        for child in element:
            tag = tag_name(child)
            if not _skipped(child, tag):
                if tag == "img":
                    self._image(child)
                elif tag == "br":
                    pieces.append((True, " "))
                else:
                    pieces.append((False, self._inline(child)))
            if child.tail:
                pieces.append((True, child.tail))
        return " ".join(p.replace("\n", " ") for p in _paragraphs(pieces))

    def _inline(self, element: etree._Element) -> str:
        """Markdown for an inline element and what is inside it."""
        tag = tag_name(element)
        if _skipped(element, tag):
            return ""
        if (kind := self._furniture(element)) is not None:
            self._note(element, kind, None)
            return ""
        if tag == "img":
            self._image(element)
            return ""
        if tag == "br":
            return _BR
        self._depth += 1
        try:
            if self._depth > 200:
                return escape_text(element_text(element))
            inner = self._children_inline(element)
        finally:
            self._depth -= 1
        marks = inline_marks(tag, element.attrib)
        if tag in {"code", "kbd", "samp", "tt"} or "code" in marks:
            code = clean_text("".join(element.itertext()))
            tick = "``" if "`" in code else "`"
            return f"{tick} {code} {tick}" if tick == "``" else f"`{code}`" if code else ""
        if tag in {"em", "i", "cite", "dfn", "var"} or "em" in marks:
            inner = _wrap(inner, "*")
        if (tag in {"strong", "b"} or "strong" in marks) and not (
            self._in_heading or htmlclean.is_unbold_b(tag, element.attrib)
        ):
            inner = _wrap(inner, "**")
        if tag in {"strong", "b", "em", "i", "cite", "dfn", "var", "span", "font"}:
            return inner
        if tag == "a":
            return self._link(element, inner)
        if tag == "sup" and (ref := self._footnote_ref(element)):
            return ref
        if tag == "q":
            return f"“{inner}”"
        if tag in BLOCKS:
            return f" {inner} "
        return inner

    def _children_inline(self, element: etree._Element) -> str:
        parts: list[str] = []
        if element.text:
            parts.append(escape_text(element.text))
        for child in element:
            parts.append(self._inline(child))
            if child.tail:
                parts.append(escape_text(child.tail))
        return "".join(parts)

    def _footnote_ref(self, element: etree._Element) -> str:
        for link in element.iter("a"):
            target = (link.get("href") or "").lstrip("#")
            if target in self._footnotes:
                return f"[^{self._footnotes[target]}]"
        return ""

    def _link(self, element: etree._Element, inner: str) -> str:
        href = (element.get("href") or "").strip()
        target = href.lstrip("#")
        if href.startswith("#") and target in self._footnotes:
            return f"[^{self._footnotes[target]}]"
        if not inner.strip():
            return inner
        url = self._url(href)
        if url is None:
            return inner
        leading = inner[: len(inner) - len(inner.lstrip())]
        trailing = inner[len(inner.rstrip()) :]
        label = _collapse(inner.strip()).replace(_BR, " ")
        return f"{leading}[{label}]({_quote_url(url)}){trailing}"

    def _url(self, href: str) -> str | None:
        """An absolute http(s) or mailto URL for `href`, or None to keep only the text."""
        return clean_url(href, self.base_url)


# -- helpers ---------------------------------------------------------------


def _paragraphs(pieces: list[tuple[bool, str]]) -> list[str]:
    """Inline pieces -> paragraphs; two line breaks in a row start a new paragraph."""
    if not pieces:
        return []
    parts: list[str] = []
    for index, (is_text, value) in enumerate(pieces):
        text = escape_text(value) if is_text else value
        if is_text and index == 0:
            text = text.lstrip()
        parts.append(text)
    joined = _collapse("".join(parts))
    paragraphs = []
    for chunk in re.split(rf"(?:\s*{re.escape(_BR)}\s*){{2,}}", joined):
        chunk = chunk.strip()
        chunk = re.sub(rf"^(?:{re.escape(_BR)}\s*)+|(?:\s*{re.escape(_BR)})+$", "", chunk)
        chunk = re.sub(rf"\s*{re.escape(_BR)}\s*", "  \n", chunk).strip()
        if chunk:
            paragraphs.append(_escape_start(chunk))
    return paragraphs


def _escape_start(paragraph: str) -> str:
    """Escape a leading list, quote or heading marker that came from the text."""
    match = re.match(r"^([#>+\-]|\d+[.)](?=\s|$))", paragraph)
    if not match:
        return paragraph
    marker = match.group(1)
    escaped = marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker
    return escaped + paragraph[len(marker) :]


def _collapse(text: str) -> str:
    return re.sub(r"[ \t\n\r\f\v]+", " ", text)


def _wrap(inner: str, mark: str) -> str:
    core = inner.strip()
    if not core or core.replace(_BR, "").strip() == "":
        return inner
    leading = inner[: len(inner) - len(inner.lstrip())]
    trailing = inner[len(inner.rstrip()) :]
    return f"{leading}{mark}{core}{mark}{trailing}"


def _indent(block: str, width: int) -> str:
    pad = " " * width
    return "\n".join(pad + line if line else line for line in block.split("\n"))


def _int(value: str | None, default: int) -> int:
    try:
        return max(0, int(str(value).strip()))
    except (TypeError, ValueError):
        return default


def _nearest_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and tag_name(parent) != "table":
        parent = parent.getparent()
    return parent


def drop_element(element: etree._Element, *, keep_blank_tail: bool = True) -> None:
    """Remove `element` but keep its tail text in place (a blank tail too, by default)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    parent.remove(element)
    if tail and (keep_blank_tail or tail.strip()):
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _quote_url(url: str) -> str:
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


_IMAGE_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
}


def _data_uri(src: str) -> tuple[bytes, str, str] | None:
    match = re.match(r"data:(?P<type>[\w.+/-]+)?(?:;[\w=.-]+)*?;base64,(?P<data>.*)$", src, re.S)
    if not match or len(src) > MAX_IMAGE_BYTES * 4 // 3 + 100:
        return None
    media_type = (match.group("type") or "").lower()
    if media_type not in _IMAGE_TYPES:
        return None
    try:
        data = base64.b64decode(match.group("data"), validate=False)
    except (binascii.Error, ValueError):
        return None
    if not data:
        return None
    return data, f"image{_IMAGE_TYPES[media_type]}", media_type
