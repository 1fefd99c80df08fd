"""Turning files a newsroom receives into draft articles: plain-text wire copy and Markdown.

`parse_file` reads, decodes and parses one file, or raises `ImportFileError` with one
clear message; it never writes anything. (HTML and DOCX come with the import issue.)
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

from editor.core.errors import ImportFileError

MAX_IMPORT_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}

_DATE_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d",
    "%A, %B %d, %Y",
    "%A %d %B %Y",
    "%d/%m/%Y",
)
_DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.]+(?: \d{1,2})?)?"
    r"(?:\s*\((?:[A-Z][\w ]{1,20})\))?)\s+[-–—]\s+(?=\S)"
)
_BYLINE = re.compile(r"^By\s+(?P<name>[A-Z][\w.'’ -]+(?:\s+and\s+[A-Z][\w.'’ -]+)*)$")


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


def parse_file(path: Path) -> ParsedArticle:
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | MARKDOWN_SUFFIXES:
        raise ImportFileError(
            f"{path.name}: only plain text (.txt) and Markdown (.md) files can be imported."
        )
    text = read_text(path)
    parsed = parse_markdown(text) if suffix in MARKDOWN_SUFFIXES else parse_wire_text(text)
    if not parsed.headline and not parsed.body:
        raise ImportFileError(f"{path.name} holds no text to import.")
    return parsed


def read_text(path: Path) -> str:
    """The file's text with any encoding and line endings made uniform, or one clear error."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ImportFileError(f"{path.name} is a folder, not a file.")
        if size > MAX_IMPORT_BYTES:
            raise ImportFileError(
                f"{path.name} is too large to be an article ({size // (1024 * 1024)} MB; "
                f"the limit is {MAX_IMPORT_BYTES // (1024 * 1024)} MB)."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file.") from None
    except OSError as error:
        raise ImportFileError(f"Cannot read {path.name}: {error.strerror}.") from None
    if not data.strip():
        raise ImportFileError(f"{path.name} is empty.")
    text = decode(data)
    if text is None:
        raise ImportFileError(
            f"{path.name} is not a text file (it looks like binary data); "
            "import plain text or Markdown."
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252; None for binary."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[:8192]:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(2, len(text[:8192]) // 100) or text.count("\ufffd") > len(text) // 50 + 2:
        return None
    return text


def parse_wire_text(text: str) -> ParsedArticle:
    """Plain wire copy: optional date line, masthead lines, headline (often twice), body."""
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text.strip())]
    blocks = [b for b in blocks if b]
    parsed = ParsedArticle()
    if blocks and (found := parse_date(blocks[0])):
        parsed.story_date = found
        blocks.pop(0)
    start = _headline_index(blocks)
    if start is None:
        return parsed
    parsed.headline = blocks[start]
    rest = blocks[start + 1 :]
    while rest and rest[0] == parsed.headline:
        rest.pop(0)
    if rest and (byline := _BYLINE.match(rest[0])):
        parsed.byline = byline.group("name").strip()
        rest.pop(0)
    if rest and (dateline := _DATELINE.match(rest[0])):
        parsed.dateline = dateline.group("dateline").strip()
        rest[0] = rest[0][dateline.end() :]
    parsed.body = "\n\n".join(escape_markdown(b) for b in rest)
    return parsed


def _headline_index(blocks: list[str]) -> int | None:
    """The repeated block is the headline (web copy prints it twice); else the first one."""
    for index in range(min(len(blocks) - 1, 8)):
        if blocks[index] == blocks[index + 1] and len(blocks[index]) < 300:
            return index
    return 0 if blocks else None


def parse_date(line: str) -> date | None:
    candidate = line.strip().rstrip(".")
    if len(candidate) > 40:
        return None
    candidate = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", candidate)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
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


def parse_markdown(text: str) -> ParsedArticle:
    """Markdown with optional YAML front matter (Hugo/Jekyll keys)."""
    meta: dict[str, object] = {}
    body = text
    match = re.match(r"^---\n(.*?)\n(?:---|\.\.\.)\n?", text, re.DOTALL)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as error:
            raise ImportFileError(f"The front matter is not valid YAML: {error}") from None
        if isinstance(loaded, dict):
            meta = {str(k).lower(): v for k, v in loaded.items()}
        body = text[match.end() :]
    body = body.strip("\n")
    headline = _text(meta.get("title"))
    if not headline and (h1 := re.match(r"^#\s+(.+?)\s*#*\s*(?:\n|$)", body)):
        headline = h1.group(1)
        body = body[h1.end() :].lstrip("\n")
    tags = meta.get("tags") or meta.get("keywords") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    story_date = meta.get("date")
    if isinstance(story_date, datetime):
        story_date = story_date.date()
    elif isinstance(story_date, str):
        story_date = parse_date(story_date[:10]) or parse_date(story_date)
    elif not isinstance(story_date, date):
        story_date = None
    return ParsedArticle(
        headline=headline,
        body=body.rstrip() + "\n" if body.strip() else "",
        standfirst=_text(meta.get("description") or meta.get("summary")),
        byline=_text(meta.get("author") or meta.get("byline")),
        dateline=_text(meta.get("dateline")),
        section=_text(meta.get("section") or meta.get("category")),
        tags=[str(t) for t in tags if str(t).strip()] if isinstance(tags, list) else [],
        story_date=story_date,
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())
