"""Turning files a newsroom receives into draft articles: wire text, Markdown, HTML, DOCX.

`parse_file` reads, decodes and parses one file, or raises `ImportFileError` with one
clear message; it never writes anything. Each format lives in `editor.core.importers`;
this module picks the importer by the file's name and, when the name says nothing, by
its first bytes. Every failure of a parser on hostile input ends as `ImportFileError`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from editor.core.errors import ImportFileError
from editor.core.importers import (
    DOCX_SUFFIXES,
    HTML_SUFFIXES,
    IMPORT_SUFFIXES,
    MARKDOWN_SUFFIXES,
    TEXT_SUFFIXES,
)
from editor.core.importers.common import (
    MAX_DOCX_BYTES,
    MAX_TEXT_BYTES,
    ImportedImage,
    ParsedArticle,
    decode,
    escape_markdown,
    parse_date,
    read_bytes,
    read_text,
)
from editor.core.importers.markdown import parse_markdown
from editor.core.importers.wire import WIRE_PATTERNS, WirePattern, parse_wire_text

__all__ = [
    "IMPORT_SUFFIXES",
    "ImportedImage",
    "ParsedArticle",
    "SourceFile",
    "decode",
    "escape_markdown",
    "parse_date",
    "parse_file",
    "parse_markdown",
    "parse_wire_text",
    "read_source",
]

#: For file dialogs: the patterns of everything `parse_file` reads.
FILE_PATTERNS = " ".join(f"*{s}" for s in sorted(IMPORT_SUFFIXES))


@dataclass(frozen=True)
class SourceFile:
    """A file's bytes as read once: parsed from them and identified by their SHA-256."""

    path: Path
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_source(path: Path) -> SourceFile:
    """Read a file to import, refusing it by size before reading a byte."""
    limit = MAX_DOCX_BYTES if path.suffix.lower() in DOCX_SUFFIXES else MAX_TEXT_BYTES
    return SourceFile(path, read_bytes(path, limit))


def parse_file(path: Path | SourceFile, wire: tuple[WirePattern, ...] = ()) -> ParsedArticle:
    """One file -> a parsed article, or `ImportFileError` with one clear message.

    `wire`: the newsroom's own agency formats (the house style's `wire:`), tried on plain
    wire copy before the shapes the importer knows.
    """
    source = path if isinstance(path, SourceFile) else read_source(Path(path))
    name = source.path.name
    try:
        parsed = _parse(source, wire)
    except ImportFileError:
        raise
    except RecursionError:
        raise ImportFileError(f"{name} is nested too deeply to be read.") from None
    except MemoryError:
        raise ImportFileError(f"{name} is too large to be read.") from None
    remove_controls(parsed)
    if not parsed.headline.strip() and not parsed.body.strip():
        raise ImportFileError(f"{name} holds no text to import.")
    return parsed


#: C0 and C1 control characters, DEL, lone surrogates and the non-characters U+FFFE/U+FFFF:
#: no page or feed may hold them. Tab and newline are kept in the body and notes only.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_METADATA = ("headline", "standfirst", "byline", "dateline", "section", "slug")


def remove_controls(parsed: ParsedArticle) -> ParsedArticle:
    """Control characters out of every field, the body and the notes, with a note saying so.

    One U+0001 in a section name would reach every page through the section menu and make
    the whole site's feed invalid XML. Vertical tab and form feed become a space (they
    separate words); the rest go. Tab and newline stay in the body and the notes.
    """
    found: dict[str, int] = {}

    def clean(value: str, where: str, one_line: bool) -> str:
        if not value:
            return value
        spaced = value.replace("\x0b", " ").replace("\x0c", " ")
        if one_line:  # tab and newline in a one-line field are white space, not news
            spaced = spaced.replace("\t", " ").replace("\n", " ").replace("\r", " ")
        result, count = _CONTROLS.subn("", spaced)
        count += value.count("\x0b") + value.count("\x0c")
        if count:
            found[where] = found.get(where, 0) + count
        return " ".join(result.split()) if one_line and result != value else result

    for name in _METADATA:
        setattr(parsed, name, clean(getattr(parsed, name), name, True))
    parsed.tags = [t for t in (clean(tag, "tags", True) for tag in parsed.tags) if t]
    parsed.body = clean(parsed.body, "body", False)
    for item in parsed.import_notes:
        item["text"] = clean(item.get("text") or "", "import notes", False)
    for image in parsed.images:
        for name in ("alt", "caption", "credit", "filename"):
            setattr(image, name, clean(getattr(image, name), "image " + name, True))
    if found:
        total = sum(found.values())
        places = ", ".join(found)
        parsed.import_notes.insert(
            0,
            {
                "kind": "control",
                "text": f"{total} control character{'s' if total != 1 else ''} removed "
                f"(from {places}): they cannot appear in a web page or a feed.",
                "position": None,
            },
        )
    return parsed


def _parse(source: SourceFile, wire: tuple[WirePattern, ...]) -> ParsedArticle:
    path, data = source.path, source.data
    name = path.name
    suffix = path.suffix.lower()
    kind = _kind(suffix, data)
    if kind == "docx":
        from editor.core.importers.docx import parse_docx

        return parse_docx(data, name)
    if kind == "html":
        from editor.core.importers.html import decode_html, parse_html

        return parse_html(decode_html(data, name), name, folder=path.parent)
    if kind is None:
        raise ImportFileError(
            f"{name}: this kind of file cannot be imported; import plain text (.txt), "
            "Markdown (.md), a web page (.html) or a Word document (.docx)."
        )
    text = read_text(path, data)
    if kind == "markdown":
        return parse_markdown(text)
    return parse_wire_text(text, wire + WIRE_PATTERNS)


def _kind(suffix: str, data: bytes) -> str | None:
    """The importer for a file: by its name, else by what its first bytes look like."""
    if suffix in DOCX_SUFFIXES or suffix == ".doc":
        return "docx"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in {"", ".eml", ".nws"}:
        head = data[:1024].lstrip().lower()
        if head.startswith(b"pk\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
            return "docx"
        if head.startswith((b"<!doctype html", b"<html")):
            return "html"
        if head.startswith((b"---\n", b"---\r\n", b"+++\n", b"+++\r\n")):
            return "markdown"
        return "text"
    return None
