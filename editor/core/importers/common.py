"""What every importer shares: the parsed article, reading bytes safely, decoding text."""

from __future__ import annotations

import codecs
import functools
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from editor.core.errors import ImportFileError

MB = 1024 * 1024
#: Text, Markdown and HTML files larger than this are not articles.
MAX_TEXT_BYTES = 20 * MB
#: A DOCX may carry photos; beyond this it is refused before being read.
MAX_DOCX_BYTES = 60 * MB
#: One image taken from a document or from beside an HTML page.
MAX_IMAGE_BYTES = 25 * MB


@dataclass
class ImportedImage:
    """An image to keep as an asset; the body refers to it as `![alt](import:<key>)`."""

    key: str
    data: bytes
    filename: str
    media_type: str
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass
class ParsedArticle:
    headline: str = ""
    body: str = ""
    standfirst: str = ""
    byline: str = ""
    dateline: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    story_date: date | None = None
    #: A slug the source asked for (front matter); empty: follow the headline.
    slug: str = ""
    #: What was moved out of the body: {"kind", "text", "position"} (see import_notes).
    import_notes: list[dict] = field(default_factory=list)
    images: list[ImportedImage] = field(default_factory=list)


def note(kind: str, text: str, position: int | None) -> dict:
    """One import note: `position` is the body paragraph index to put `text` back at."""
    return {"kind": kind, "text": text, "position": position}


def read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, refused by size before reading, or one clear error."""
    try:
        if path.is_dir():
            raise ImportFileError(f"{path.name} is a folder, not a file.")
        # Non-blocking open, then look at what was opened: a pipe or a device would
        # otherwise block the whole batch (a FIFO with no writer waits forever).
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            info = os.fstat(descriptor)
            if stat.S_ISDIR(info.st_mode):
                raise ImportFileError(f"{path.name} is a folder, not a file.")
            if not stat.S_ISREG(info.st_mode):
                raise ImportFileError(
                    f"{path.name} is not an ordinary file (a pipe, socket or device); "
                    "only files can be imported."
                )
            if info.st_size > limit:
                raise ImportFileError(
                    f"{path.name} is too large to be an article ({_size(info.st_size)}; "
                    f"the limit for this kind of file is {_size(limit)})."
                )
            handle = os.fdopen(descriptor, "rb")
        except BaseException:
            os.close(descriptor)
            raise
        with handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file.") from None
    except PermissionError:
        raise ImportFileError(f"{path.name} cannot be read: permission denied.") from None
    except OSError as error:
        raise ImportFileError(f"Cannot read {path.name}: {error.strerror or error}.") from None
    if len(data) > limit:  # grew while we looked
        raise ImportFileError(f"{path.name} is too large to be an article.")
    return data


def _size(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{max(1, size // 1024)} KB"


def decode(data: bytes) -> str | None:
    """UTF-8 (BOM or not), UTF-16/32 with BOM, else Windows-1252 or Latin-1; None for binary."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return text if not _looks_binary(text) else None
    if b"\x00" in data[:8192]:
        return _utf16_without_bom(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _single_byte(data)
    return None if _looks_binary(text) else text


def _single_byte(data: bytes) -> str:
    """Windows-1252 (what Word and most wire systems write); Latin-1 for its five gaps."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a BOM: every other byte of Latin text is zero."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0) / len(sample[0::2])
    odd_zero = sample[1::2].count(0) / max(1, len(sample[1::2]))
    for encoding, zeros in (("utf-16-le", odd_zero), ("utf-16-be", even_zero)):
        if zeros > 0.6:
            try:
                text = data[: len(data) // 2 * 2].decode(encoding)
            except UnicodeDecodeError:
                return None
            return None if _looks_binary(text) else text
    return None


_BINARY_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = len(_BINARY_CONTROLS.findall(sample))
    return controls > max(2, len(sample) // 100) or text.count("\ufffd") > len(text) // 50 + 2


def read_text(path: Path, data: bytes | None = None) -> str:
    """The file's text with any encoding and line endings made uniform, or one clear error."""
    if data is None:
        data = read_bytes(path, MAX_TEXT_BYTES)
    if not data.strip():
        raise ImportFileError(f"{path.name} is empty.")
    text = decode(data)
    if text is None:
        raise ImportFileError(
            f"{path.name} is not a text file (it looks like binary data); "
            "import plain text, Markdown, HTML or Word (.docx)."
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    if not text.strip():
        raise ImportFileError(f"{path.name} is empty.")
    return text


_DATE_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d",
    "%A, %B %d, %Y",
    "%A %B %d, %Y",
    "%A, %d %B %Y",
    "%A %d %B %Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
)
_WORD_FORMATS = tuple(f for f in _DATE_FORMATS if "%B" in f or "%b" in f)
_DATE_PREFIX = re.compile(
    r"^(?:published|updated|posted|last updated|first published)\s*(?:on|:)?\s*", re.IGNORECASE
)
_TIME_SUFFIX = re.compile(
    r"(?:\s*[,|•·-]?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*(?:[A-Z]{2,4}|UTC[+-]?\d*|GMT[+-]?\d*))?)\s*$",
    re.IGNORECASE,
)


_DIGIT = re.compile(r"\d")
_DATE_SHAPES: dict[str, tuple[str, ...]] = {
    "iso": ("%Y-%m-%d",),
    "slash": ("%d/%m/%Y",),
    "dot": ("%d.%m.%Y",),
}


def parse_date(line: str) -> date | None:
    """A date written out on a line of its own ("July 17, 2024", "2024-07-17" ...)."""
    if len(line) > 200 or not _DIGIT.search(line):  # every format has a year
        return None
    candidate = " ".join(line.split()).strip().rstrip(".")
    if len(candidate) > 60:
        return None
    return _parse_date_text(candidate)


@functools.lru_cache(maxsize=4096)
def _parse_date_text(candidate: str) -> date | None:
    candidate = _DATE_PREFIX.sub("", candidate)
    candidate = _TIME_SUFFIX.sub("", candidate).strip().rstrip(",")
    candidate = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", candidate)
    candidate = candidate.replace("Sept.", "Sep.").replace("Sept ", "Sep ")
    for fmt in _formats_for(candidate):
        try:
            return datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
    return None


def _formats_for(candidate: str) -> tuple[str, ...]:
    """Only the formats the text's shape allows: all digits, or a month written out."""
    if not re.search(r"[A-Za-z]", candidate):
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", candidate):
            return _DATE_SHAPES["iso"]
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", candidate):
            return _DATE_SHAPES["slash"]
        if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", candidate):
            return _DATE_SHAPES["dot"]
        return ()
    return _WORD_FORMATS


def parse_iso_date(value: object) -> date | None:
    """A date from metadata: a date, a datetime or text starting with YYYY-MM-DD."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
        return parse_date(text)
    return None


_LEADING_MARKER = re.compile(r"^(\s*)([#>+\-*]|\d+[.)](?=\s|$))()")


def escape_markdown(paragraph: str) -> str:
    """Plain text made safe to store as Markdown: it renders exactly as typed."""
    escaped = re.sub(r"([\\`*_\[\]])", r"\\\1", paragraph)
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;")
    return _LEADING_MARKER.sub(
        lambda m: f"{m.group(1)}{_escape_marker(m.group(2))}{m.group(3)}", escaped
    )


def _escape_marker(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker


def clean_text(value: object) -> str:
    """A metadata value as one line of text."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(clean_text(v) for v in value if clean_text(v))
    if isinstance(value, dict):
        return clean_text(value.get("name") or value.get("title") or "")
    return " ".join(str(value).split())


def clean_tags(value: object) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return []
    tags: list[str] = []
    for item in value:
        tag = clean_text(item)
        if tag and tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    return tags


_BYLINE_LEAD = re.compile(
    r"^(?:about the author|posted|written|words|reporting|story|text|report(?:ed)?)?\s*"
    r"(?:by|:)\s*:?\s+|^about the author\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_BYLINE_SPLIT = re.compile(
    r"\s*(?:[|•·]|\s[-–—]\s|\bon\s(?=\w+\.? \d)|,\s(?=(?:updated|published|posted)\b))\s*",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    r"^(?:updated|published|posted|last updated|first published|created|modified)\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{1,2}:\d{2}\b"
    r"|\b(?:\d+\s+(?:minutes?|hours?|days?)\s+ago)\b",
    re.IGNORECASE,
)


def clean_byline(value: str) -> str:
    """A byline as the names: no "By"/"Posted by"/"About the author", dates or dashes.

    "Posted by Jane Doe | Updated: July 17, 2024 –" -> "Jane Doe".
    """
    text = " ".join((value or "").split())
    if not text:
        return ""
    for _ in range(2):
        text = _BYLINE_LEAD.sub("", text).strip()
    parts = [p for p in _BYLINE_SPLIT.split(text) if p and p.strip()]
    kept = [p.strip() for p in parts if not _DATE_WORDS.search(p) and not parse_date(p)]
    text = " ".join(kept[:1]) if kept else ""
    text = _BYLINE_LEAD.sub("", text).strip()
    return text.strip(" \t-–—|:,;·•").strip()
