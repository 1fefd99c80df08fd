"""Plain-text wire and web copy: date line, masthead, headline (often twice), byline, body.

Copy pasted from a news site carries furniture around the story: the site's name and
section above the headline, the headline printed twice, "See also" links, video and
newsletter prompts, and a teaser for another story at the end. Each such paragraph is
moved into the import notes with the paragraph index it came from, never dropped.
"""

from __future__ import annotations

import re

from editor.core.importers.boilerplate import is_boilerplate, is_marker
from editor.core.importers.common import ParsedArticle, escape_markdown, note, parse_date

_DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.]+(?: \d{1,2})?)?"
    r"(?:\s*\((?:[A-Z][\w ]{1,20})\))?)\s+[-–—]\s+(?=\S)"
)
_BYLINE = re.compile(
    r"^(?:By|BY|Written by|Words by)\s*:?\s+"
    r"(?P<name>[A-Z][\w.'’ -]+(?:(?:,\s*|\s+and\s+|\s*&\s*)[A-Z][\w.'’ -]+)*)"
    r"(?:\s*[,|•·–—-]\s*(?P<agency>[\w.'’ ]{2,40}))?$"
)
#: How many blocks after the headline may still be byline, date or furniture lines.
_HEADER_BLOCKS = 5
#: At most this many headline-like paragraphs after a final marker are a teaser.
_MAX_TEASER_BLOCKS = 3


def parse_wire_text(text: str) -> ParsedArticle:
    """Plain wire copy, split into fields, body and import notes."""
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text.strip())]
    blocks = [b for b in blocks if b]
    parsed = ParsedArticle()
    if blocks and (found := parse_date(blocks[0])):
        parsed.story_date = found
        blocks.pop(0)
    start = _headline_index(blocks)
    if start is None:
        return parsed
    for block in blocks[:start]:
        found = parse_date(block)
        if found and parsed.story_date is None:
            parsed.story_date = found
        elif found != parsed.story_date or found is None:
            parsed.import_notes.append(note("masthead", escape_markdown(block), 0))
    parsed.headline = blocks[start]
    rest = blocks[start + 1 :]
    rest = _header_lines(parsed, rest)
    if rest and (dateline := _DATELINE.match(rest[0])):
        parsed.dateline = dateline.group("dateline").strip()
        rest[0] = rest[0][dateline.end() :]
    body: list[str] = []
    for block, kind in zip(rest, _classify(rest), strict=True):
        if kind is None:
            body.append(escape_markdown(block))
        else:
            parsed.import_notes.append(note(kind, escape_markdown(block), len(body)))
    parsed.body = "\n\n".join(body)
    return parsed


def _headline_index(blocks: list[str]) -> int | None:
    """The repeated block is the headline (web copy prints it twice); else the first one.

    Without a repetition, leading furniture ("Skip to content", "Menu") is passed over.
    """
    for index in range(min(len(blocks) - 1, 8)):
        if blocks[index] == blocks[index + 1] and len(blocks[index]) < 300:
            return index
    for index, block in enumerate(blocks[:4]):
        if is_boilerplate(block) is None and parse_date(block) is None:
            return index
    return 0 if blocks else None


def _header_lines(parsed: ParsedArticle, rest: list[str]) -> list[str]:
    """Lift the repeated headline, byline, date and agency lines off the top of the body."""
    taken = 0
    while rest and taken < _HEADER_BLOCKS:
        block = rest[0]
        if block == parsed.headline:
            rest.pop(0)  # the headline printed twice: the same words, nothing lost
        elif (byline := _BYLINE.match(block)) and not parsed.byline:
            parsed.byline = byline.group("name").strip()
            if byline.group("agency"):
                parsed.import_notes.append(note("byline", escape_markdown(block), 0))
            rest.pop(0)
        elif (found := parse_date(block)) is not None:
            if parsed.story_date is None:
                parsed.story_date = found
            elif found != parsed.story_date:
                parsed.import_notes.append(note("byline", escape_markdown(block), 0))
            rest.pop(0)
        elif (kind := is_boilerplate(block)) is not None and len(rest) > 1:
            parsed.import_notes.append(note(kind, escape_markdown(block), 0))
            rest.pop(0)
        elif parsed.byline and _is_short_label(block) and len(rest) > 1:
            # "Reuters", "Staff writer", "Updated 2 hours ago" under the byline.
            parsed.import_notes.append(note("byline", escape_markdown(block), 0))
            rest.pop(0)
        else:
            break
        taken += 1
    return rest


def _classify(blocks: list[str]) -> list[str | None]:
    """Each body block's furniture kind (None: story); a trailing teaser is found last."""
    kinds = [is_boilerplate(block) for block in blocks]
    markers = [i for i, kind in enumerate(kinds) if is_marker(kind)]
    if markers:
        last = markers[-1]
        tail = [i for i in range(last + 1, len(blocks)) if kinds[i] is None]
        if 0 < len(tail) <= _MAX_TEASER_BLOCKS and all(_is_headline_like(blocks[i]) for i in tail):
            for i in tail:
                kinds[i] = "teaser"
    return kinds


_FINAL_PUNCTUATION = tuple(".!?:;\"”’'…)»")


def _is_headline_like(block: str) -> bool:
    """A headline for another story: short, one sentence, no closing full stop."""
    words = block.split()
    return 2 <= len(words) <= 30 and not block.endswith(_FINAL_PUNCTUATION)


def _is_short_label(block: str) -> bool:
    return len(block.split()) <= 6 and not block.endswith(_FINAL_PUNCTUATION)
