"""HTML -> the body's Markdown dialect (see `editor.core.render`), without Qt.

Used by the HTML importer and, through mammoth, by the DOCX importer. The converter walks
an lxml tree and produces a list of Markdown blocks; furniture it meets (asides, share
bars, related-story boxes, adverts) becomes import notes at the block index where it
stood, images become `![alt](import:<key>)` blocks when the caller can supply the bytes,
and mammoth's footnotes become Markdown footnotes `[^1]`.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from lxml import etree

from editor.core.importers.common import (
    MAX_IMAGE_BYTES,
    ImportedImage,
    clean_text,
    escape_markdown,
    note,
)

#: Dropped with everything inside them, without a note: code, chrome and embeds.
DROPPED = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
        "canvas", "form", "button", "input", "select", "textarea", "nav", "link", "meta",
        "head", "title", "video", "audio", "source", "track", "map", "dialog", "picture-source",
    }
)  # fmt: skip
BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3",
        "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table", "figure", "hr",
        "dl", "dt", "dd", "address", "center", "body", "html", "aside", "details",
        "summary", "figcaption", "hgroup", "menu",
    }
)  # fmt: skip
#: Class or id words that mark page furniture, and the note kind each gives.
_FURNITURE = re.compile(
    r"(?:^|[-_\s])(?P<word>ads?|advert\w*|advertisement|sponsor\w*|promo\w*|newsletter\w*|"
    r"share|sharing|social|related|recommended|outbrain|taboola|comments?|cookie\w*|"
    r"subscribe|subscription|paywall|breadcrumbs?|sidebar|most-?read|popular|tags?-?list)"
    r"(?=$|[-_\s])",
    re.IGNORECASE,
)
_KIND_BY_WORD = {
    "ad": "advert", "ads": "advert", "advert": "advert", "sponsor": "advert", "promo": "advert",
    "newsletter": "newsletter", "subscribe": "newsletter", "subscription": "newsletter",
    "share": "social", "sharing": "social", "social": "social",
    "related": "related", "recommended": "related", "outbrain": "related",
    "taboola": "related", "most": "related", "popular": "related",
}  # fmt: skip
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
    tag = tag_name(element)
    if tag == "aside":
        return "related"
    role = (element.get("role") or "").lower()
    if role in {"complementary", "navigation", "banner", "contentinfo", "search"}:
        return "boilerplate"
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    if tag in {"body", "html", "article", "main"} or not names.strip():
        return None
    match = _FURNITURE.search(names)
    if match is None:
        return None
    word = match.group("word").lower()
    for prefix, kind in _KIND_BY_WORD.items():
        if word.startswith(prefix):
            return kind
    return "boilerplate"


def is_hidden(element: etree._Element) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


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

    # -- entry -----------------------------------------------------------

    def convert(self, root: etree._Element) -> Conversion:
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
            self._walk(item[0], blocks, notes=False)
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
            if not tag or tag in DROPPED or is_hidden(child):
                pass
            elif notes and (kind := furniture_kind(child)) is not None:
                flush()
                self._note(child, kind, out)
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

    def _note(self, element: etree._Element, kind: str, out: list[str]) -> None:
        blocks: list[str] = []
        self._walk(element, blocks, notes=False)
        text = "\n\n".join(b for b in blocks if b.strip())
        if text:
            self.result.notes.append(note(kind, text, len(out)))

    def _block(self, element: etree._Element, tag: str, out: list[str], notes: bool) -> None:
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            text = self._inline_content(element)
            if text:
                level = max(2, int(tag[1]))
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
            if not tag or tag in DROPPED or is_hidden(child):
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
            if caption:
                out.append(escape_markdown(caption))
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
                if caption:
                    text += "\n\n" + escape_markdown(clean_text(caption))
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
            if tag and tag not in DROPPED and not is_hidden(child):
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
        if not tag or tag in DROPPED or is_hidden(element):
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
        if tag in {"strong", "b"}:
            return _wrap(inner, "**")
        if tag in {"em", "i", "cite", "dfn", "var"}:
            return _wrap(inner, "*")
        if tag in {"code", "kbd", "samp", "tt"}:
            code = clean_text("".join(element.itertext()))
            tick = "``" if "`" in code else "`"
            return f"{tick} {code} {tick}" if tick == "``" else f"`{code}`" if code else ""
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
        if not href or href.startswith("#"):
            return None
        if self.base_url:
            try:
                href = urljoin(self.base_url, href)
            except ValueError:
                return None
        try:
            scheme = urlsplit(href).scheme.lower()
        except ValueError:
            return None
        return href if scheme in {"http", "https", "mailto"} else None


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
