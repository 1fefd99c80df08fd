"""The body Markdown cut into units a reader sees (paragraphs, headings, list items, quotes).

Each `Unit` keeps its raw Markdown, the `prose` a reader sees (markers, link URLs and
code dropped) and, per prose character, where it sits in the Markdown, so a finding made
on prose maps back to exact Markdown offsets. Parsing a unit is cached by its text: an
edit re-parses only the units it touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from editor.core.checks import scanning

#: Stands in the prose for something that is not prose (code, an image, a bare URL).
PLACEHOLDER = "\ufffc"

#: Kinds whose prose is checked as running text (final punctuation, sentences...).
RUNNING_TEXT = frozenset({"paragraph", "quote"})
#: Kinds with no prose at all.
SILENT = frozenset({"code", "html", "figure", "table_rule", "rule"})


@dataclass(frozen=True, slots=True)
class Unit:
    """One block of the body: `start` is its offset in the body, `text` its Markdown."""

    index: int
    kind: str
    start: int
    text: str
    prose: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, prose_start: int, prose_end: int) -> tuple[int, int]:
        """Body Markdown offsets of the prose span [prose_start, prose_end)."""
        if prose_end <= prose_start:
            at = self.start + (self.starts[prose_start] if prose_start < len(self.starts) else 0)
            return at, at
        return self.start + self.starts[prose_start], self.start + self.ends[prose_end - 1]


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
_THEMATIC = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:\s+|$)")
_QUOTE = re.compile(r"^ {0,3}>")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_HTML_BLOCK = re.compile(r"^ {0,3}</?[A-Za-z][A-Za-z0-9-]*(?:\s|/?>|$)|^ {0,3}<!--")
_FIGURE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
_LINE = re.compile(r"[^\n]*\n?")


def split_units(body: str) -> list[Unit]:
    """The body's units in order; blank lines and fences decide where one ends."""
    blocks: list[tuple[str, int, int]] = []  # kind, start, end (end excludes the newline)
    kind: str | None = None
    block_start = block_end = 0
    fence: str | None = None

    def flush() -> None:
        nonlocal kind
        if kind is not None:
            blocks.append((kind, block_start, block_end))
        kind = None

    for match in scanning.finditer(_LINE, body):
        raw = match.group()
        if not raw:
            break
        line = raw.rstrip("\n").rstrip("\r")
        start, end = match.start(), match.start() + len(line)
        if fence is not None:
            block_end = end
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
                flush()
            continue
        opening = _FENCE.match(line)
        if opening:
            flush()
            fence = opening.group(1)
            kind, block_start, block_end = "code", start, end
            continue
        if not line.strip():
            flush()
            continue
        if _HEADING.match(line) or _THEMATIC.match(line):
            flush()
            blocks.append(("heading" if _HEADING.match(line) else "rule", start, end))
            continue
        if line.lstrip().startswith("|"):
            flush()
            blocks.append(("table_rule" if _TABLE_RULE.match(line) else "table_row", start, end))
            continue
        if _LIST_ITEM.match(line) and not (kind == "paragraph" and line[:1].isspace()):
            flush()
            kind, block_start, block_end = "list_item", start, end
            continue
        if _QUOTE.match(line):
            if kind != "quote":
                flush()
                kind, block_start = "quote", start
            block_end = end
            continue
        if kind is None:
            kind = "html" if _HTML_BLOCK.match(line) else "paragraph"
            block_start = start
        block_end = end
    flush()

    units = []
    for index, (block_kind, start, end) in enumerate(blocks):
        text = body[start:end]
        if block_kind == "paragraph" and _FIGURE.match(text):
            block_kind = "figure"
        prose, starts, ends = parse_unit(block_kind, text)
        units.append(Unit(index, block_kind, start, text, prose, starts, ends))
    return units


_PREFIX = {
    "heading": re.compile(r"^ {0,3}#{1,6}[ \t]*"),
    "list_item": re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])[ \t]*"),
    "quote": re.compile(r"^(?: {0,3}>[ \t]?)+|^\s+"),
    "table_row": re.compile(r"^\s*\|?\s*"),
}
_CONTINUATION = re.compile(r"^\s+")
_HEADING_CLOSER = re.compile(r"\s+#+\s*$")

_INLINE = re.compile(
    r"""
    (?P<escape>\\[!-/:-@\[-`{-~])
  | (?P<code>(?P<ticks>`+).+?(?<!`)(?P=ticks)(?!`))
  | (?P<image>!\[[^\]]*\]\((?:[^()\s]|\([^)]*\))*(?:\s+"[^"]*")?\))
  | (?P<link>\[(?P<linktext>[^\]]*)\](?:\((?:[^()\s]|\([^)]*\))*(?:\s+"[^"]*")?\)|\[[^\]]*\]))
  | (?P<autolink><(?:https?|mailto|ftp):[^>\s]+>|<[^@\s>]+@[^@\s>]+>)
  | (?P<url>\bhttps?://[^\s<>]*[^\s<>.,;:!?)"'’”])
  | (?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)
  | (?P<emph>\*+|~~|(?<![^\W_])_+|_+(?![^\W_]))
    """,
    re.VERBOSE,
)


@lru_cache(maxsize=65536)
def parse_unit(kind: str, text: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """(prose, starts, ends) of a unit's Markdown: offsets are relative to the unit."""
    if kind in SILENT:
        return "", (), ()
    prose: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    offset = 0
    first = True
    for raw in text.split("\n"):
        line = raw.rstrip()
        if kind == "quote":
            prefix = _PREFIX["quote"]
        else:
            prefix = _PREFIX.get(kind) if first else _CONTINUATION
        cut = prefix.match(line) if prefix else None
        begin = cut.end() if cut else 0
        stop = len(line)
        if kind == "heading":
            closer = _HEADING_CLOSER.search(line, begin)
            if closer:
                stop = closer.start()
        if kind == "table_row" and line.endswith("|") and stop > begin:
            stop = len(line.rstrip("|").rstrip())
        if begin < stop:
            if prose:
                prose.append(" ")
                starts.append(offset - 1)
                ends.append(offset)
            _scan_inline(line[begin:stop], offset + begin, prose, starts, ends)
        offset += len(raw) + 1
        first = False
    return "".join(prose), tuple(starts), tuple(ends)


def _scan_inline(
    text: str, base: int, prose: list[str], starts: list[int], ends: list[int]
) -> None:
    position = 0
    for match in scanning.finditer(_INLINE, text):
        if match.start() > position:
            _plain(text, position, match.start(), base, prose, starts, ends)
        name = match.lastgroup
        if name == "escape":
            prose.append(match.group()[1])
            starts.append(base + match.start())
            ends.append(base + match.end())
        elif name == "link":
            inner_start = match.start("linktext")
            _scan_inline(match.group("linktext"), base + inner_start, prose, starts, ends)
        elif name in ("code", "image", "autolink", "url"):
            prose.append(PLACEHOLDER)
            starts.append(base + match.start())
            ends.append(base + match.end())
        # emphasis markers and inline tags vanish from the prose
        position = match.end()
    if position < len(text):
        _plain(text, position, len(text), base, prose, starts, ends)


def _plain(
    text: str,
    start: int,
    end: int,
    base: int,
    prose: list[str],
    starts: list[int],
    ends: list[int],
) -> None:
    prose.append(text[start:end])
    starts.extend(range(base + start, base + end))
    ends.extend(range(base + start + 1, base + end + 1))


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st gen gov sen rep lt col sgt capt cmdr rev jr sr inc ltd co corp "
    "jan feb aug sept oct nov dec no vs etc approx dept univ ave blvd fig mt ft".split()
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)")
_NEXT_VISIBLE = re.compile(r"\s*(\S)")


def sentences(prose: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a prose text (abbreviations and initials do not end one)."""
    spans = []
    start = 0
    length = len(prose)
    while start < length and prose[start].isspace():
        start += 1
    for match in scanning.finditer(_SENTENCE_END, prose):
        end = match.end()
        if match.group().startswith(".") and _abbreviation_before(prose, match.start()):
            continue
        # The next visible character, found in place: `prose[end:].lstrip()` copied the
        # rest of the text at every full stop (quadratic: minutes on a 5 MB paragraph).
        following = _NEXT_VISIBLE.match(prose, end)
        first = following.group(1) if following else ""
        if first and not (first.isupper() or first in "\"“‘'(" or first.isdigit()):
            continue
        if end > start:
            spans.append((start, end))
        start = end
        while start < length and prose[start].isspace():
            start += 1
    if start < length:
        spans.append((start, length))
    return spans


def _abbreviation_before(prose: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and (prose[word_start - 1].isalpha() or prose[word_start - 1] == "."):
        word_start -= 1
    word = prose[word_start:dot]
    if not word:
        return False
    if len(word) == 1 and word.isupper():
        return True  # an initial: "George W. Bush"
    if "." in word:
        return True  # "U.S.", "a.m." inside a sentence
    return word.lower() in _ABBREVIATIONS
