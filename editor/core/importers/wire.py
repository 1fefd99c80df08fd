"""Plain-text wire and web copy: date line, masthead, headline (often twice), byline, body.

Copy pasted from a news site carries furniture around the story: the site's name and
section above the headline, the headline printed twice, "See also" links, video and
newsletter prompts, and a teaser for another story at the end. Each such paragraph is
moved into the import notes with the paragraph index it came from, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from editor.core.errors import ValidationError
from editor.core.importers.boilerplate import is_boilerplate, is_marker
from editor.core.importers.common import (
    ParsedArticle,
    clean_byline,
    escape_markdown,
    note,
    parse_date,
)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_CITY = r"[A-Z][A-Z.'’ -]{1,40}"


@dataclass(frozen=True)
class WirePattern:
    """One named shape of wire copy: `kind` says what a match becomes.

    - "byline": group `name` is the byline; the line goes to the notes when it holds more
      (an agency, dates), and a `date` group (or a date among its parts) is the story date.
    - "dateline": matched at the start of the first body paragraph; group `dateline` is
      the field, the match is taken off the paragraph.
    - "credit": a whole paragraph ("(Reporting by ...; Editing by ...)") moved to the notes.
    - "furniture": a whole short paragraph moved to the notes as boilerplate.
    """

    name: str
    kind: str
    pattern: re.Pattern[str]


PATTERN_KINDS = ("byline", "dateline", "credit", "furniture")


def wire_pattern(name: str, kind: str, regex: str) -> WirePattern:
    """A pattern from a name, a kind and a regular expression, or one clear error.

    For a newsroom's own agency formats (the house style file), checked here so a typo
    is reported by its name, not as a failed import.
    """
    if kind not in PATTERN_KINDS:
        raise ValidationError(
            f"Wire pattern {name}: the kind must be one of {', '.join(PATTERN_KINDS)}."
        )
    try:
        pattern = re.compile(regex)
    except re.error as error:
        raise ValidationError(f"Wire pattern {name} is not a valid pattern: {error}.") from None
    needed = {"byline": "name", "dateline": "dateline"}.get(kind)
    if needed and needed not in pattern.groupindex:
        raise ValidationError(f"Wire pattern {name} needs a (?P<{needed}>...) group.")
    return WirePattern(name, kind, pattern)


#: Every wire shape the importer knows, in the order tried. A newsroom adds its own in its
#: house style file (`wire:`), which the import tries first:
#: `parse_wire_text(text, patterns=style.wire + WIRE_PATTERNS)`.
WIRE_PATTERNS: tuple[WirePattern, ...] = (
    # By NAME | Updated: DATE | Created: DATE
    wire_pattern(
        "byline-with-dates",
        "byline",
        r"^(?:By|BY)\s*:?\s+(?P<name>[^|•]+?)\s*[|•]\s*"
        r"(?P<rest>(?:Updated|Created|Published|Posted|Last updated)\b.*)$",
    ),
    # By Jane Doe, By Jane Doe and Li Wei | Reuters
    wire_pattern(
        "byline",
        "byline",
        r"^(?:By|BY|Written by|Words by)\s*:?\s+"
        r"(?P<name>[A-Z][\w.'’ -]+(?:(?:,\s*|\s+and\s+|\s*&\s*)[A-Z][\w.'’ -]+)*)"
        r"(?:\s*[,|•·–—-]\s*(?P<agency>[\w.'’ ]{2,40}))?$",
    ),
    # WASHINGTON, July 17. /TASS/.
    wire_pattern(
        "dateline-slash-agency",
        "dateline",
        rf"^(?P<dateline>{_CITY},\s*{_MONTH}\.?\s+\d{{1,2}})\.?\s*"
        r"/(?P<agency>[A-Z][\w .-]{1,20})/\.?\s+(?=\S)",
    ),
    # LONDON (Reuters) -, MOSCOW, July 17 (AP) —
    wire_pattern(
        "dateline-dash",
        "dateline",
        rf"^(?P<dateline>{_CITY}(?:,\s*[A-Z][A-Za-z.]+(?: \d{{1,2}})?)?"
        r"(?:\s*\((?:[A-Z][\w ]{1,20})\))?)\s+[-–—]\s+(?=\S)",
    ),
    # (Reporting by Jane Doe; Editing by Li Wei)
    wire_pattern(
        "credit-reporting",
        "credit",
        r"^\((?:(?:Additional )?[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled)\b[^()]*"
        r"(?:\([^()]*\)[^()]*)*\)\.?$",
    ),
    wire_pattern(
        "skip-to-content",
        "furniture",
        r"(?i)^(?:skip to (?:main )?content|skip navigation|jump to (?:main )?content)$",
    ),
)

#: How many blocks after the headline may still be byline, date or furniture lines.
_HEADER_BLOCKS = 5
#: At most this many headline-like paragraphs after a final marker are a teaser.
_MAX_TEASER_BLOCKS = 3


def parse_wire_text(text: str, patterns: tuple[WirePattern, ...] = WIRE_PATTERNS) -> ParsedArticle:
    """Plain wire copy, split into fields, body and import notes."""
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text.strip())]
    blocks = [b for b in blocks if b]
    parsed = ParsedArticle()
    if blocks and (found := parse_date(blocks[0])):
        parsed.story_date = found
        blocks.pop(0)
    start = _headline_index(blocks, patterns)
    if start is None:
        return parsed
    for block in blocks[:start]:
        found = parse_date(block)
        if found and parsed.story_date is None:
            parsed.story_date = found
        elif block in blocks[start + 1 :]:
            # The lead printed above the headline as a teaser, and again below it.
            parsed.import_notes.append(note("teaser", escape_markdown(block), 0))
        elif found != parsed.story_date or found is None:
            kind = "boilerplate" if _furniture(block, patterns) else "masthead"
            parsed.import_notes.append(note(kind, escape_markdown(block), 0))
    parsed.headline = blocks[start]
    rest = blocks[start + 1 :]
    rest = _header_lines(parsed, rest, patterns)
    if rest:
        rest[0] = _take_dateline(parsed, rest[0], patterns)
    body: list[str] = []
    for block, kind in zip(rest, _classify(rest, patterns), strict=True):
        if kind is None:
            body.append(escape_markdown(block))
        else:
            parsed.import_notes.append(note(kind, escape_markdown(block), len(body)))
    parsed.body = "\n\n".join(body)
    return parsed


def _of_kind(patterns: tuple[WirePattern, ...], kind: str) -> list[WirePattern]:
    return [p for p in patterns if p.kind == kind]


def _furniture(block: str, patterns: tuple[WirePattern, ...]) -> bool:
    return any(p.pattern.search(block) for p in _of_kind(patterns, "furniture"))


def _byline_match(block: str, patterns: tuple[WirePattern, ...]) -> re.Match[str] | None:
    for pattern in _of_kind(patterns, "byline"):
        if match := pattern.pattern.match(block):
            return match
    return None


def _take_dateline(parsed: ParsedArticle, block: str, patterns: tuple[WirePattern, ...]) -> str:
    """The first paragraph's dateline into its field; the paragraph without it."""
    for pattern in _of_kind(patterns, "dateline"):
        if (match := pattern.pattern.match(block)) and match.end() < len(block):
            parsed.dateline = match.group("dateline").strip()
            agency = match.groupdict().get("agency")
            if agency and agency not in parsed.dateline:
                parsed.import_notes.append(note("byline", escape_markdown(agency.strip()), 0))
            return block[match.end() :]
    return block


def _headline_index(blocks: list[str], patterns: tuple[WirePattern, ...]) -> int | None:
    """The repeated block is the headline (web copy prints it twice); else the first one.

    Without a repetition, leading furniture ("Skip to content", "Menu") is passed over, and
    so is a lead paragraph printed above the headline that comes again below it.
    """
    for index in range(min(len(blocks) - 1, 8)):
        if blocks[index] == blocks[index + 1] and len(blocks[index]) < 300:
            return index
    for index, block in enumerate(blocks[:4]):
        if is_boilerplate(block) is not None or parse_date(block) is not None:
            continue
        if _furniture(block, patterns):
            continue
        if _is_sentence(block) and block in blocks[index + 2 : index + 10]:
            continue  # the teaser of its own lead
        return index
    return 0 if blocks else None


def _header_lines(
    parsed: ParsedArticle, rest: list[str], patterns: tuple[WirePattern, ...]
) -> list[str]:
    """Lift the repeated headline, standfirst, byline, date and agency lines off the top."""
    taken = 0
    while rest and taken < _HEADER_BLOCKS:
        block = rest[0]
        if block == parsed.headline:
            rest.pop(0)  # the headline printed twice: the same words, nothing lost
        elif (byline := _byline_match(block, patterns)) and not parsed.byline:
            _take_byline(parsed, block, byline)
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
        elif _furniture(block, patterns) and len(rest) > 1:
            parsed.import_notes.append(note("boilerplate", escape_markdown(block), 0))
            rest.pop(0)
        elif taken_standfirst(parsed, rest, patterns):
            rest.pop(0)
        elif parsed.byline and _is_short_label(block) and len(rest) > 1:
            # "Reuters", "Staff writer", "Updated 2 hours ago" under the byline.
            parsed.import_notes.append(note("byline", escape_markdown(block), 0))
            rest.pop(0)
        else:
            break
        taken += 1
    return rest


def _take_byline(parsed: ParsedArticle, block: str, byline: re.Match[str]) -> None:
    parsed.byline = clean_byline(byline.group("name")) or byline.group("name").strip()
    groups = byline.groupdict()
    extra = groups.get("agency") or groups.get("rest")
    if groups.get("rest"):
        # "Updated: July 18, 2024 | Created: July 17, 2024": the first the story was filed.
        for part in reversed(re.split(r"\s*[|•]\s*", groups["rest"])):
            value = re.sub(r"^[A-Za-z ]+:\s*", "", part)
            if (found := parse_date(value)) is not None:
                if parsed.story_date is None:
                    parsed.story_date = found
                break
    if extra:
        parsed.import_notes.append(note("byline", escape_markdown(block), 0))


def taken_standfirst(
    parsed: ParsedArticle, rest: list[str], patterns: tuple[WirePattern, ...]
) -> bool:
    """A standfirst directly under the headline: one line before the byline or dateline."""
    if parsed.standfirst or parsed.byline or len(rest) < 2:
        return False
    block, following = rest[0], rest[1]
    if len(block.split()) > 45 or _byline_match(block, patterns):
        return False
    starts_story = _byline_match(following, patterns) is not None or any(
        p.pattern.match(following) for p in _of_kind(patterns, "dateline")
    )
    if not starts_story:
        return False
    parsed.standfirst = block
    return True


def _classify(blocks: list[str], patterns: tuple[WirePattern, ...]) -> list[str | None]:
    """Each body block's furniture kind (None: story); a trailing teaser is found last."""
    credits = _of_kind(patterns, "credit")
    kinds = [
        "credit" if any(p.pattern.match(block) for p in credits) else is_boilerplate(block)
        for block in blocks
    ]
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


def _is_sentence(block: str) -> bool:
    """A paragraph of running text: long, or ending as a sentence ends."""
    return len(block.split()) > 30 or block.endswith((".", "!", "?", "”", '"'))


def _is_short_label(block: str) -> bool:
    return len(block.split()) <= 6 and not block.endswith(_FINAL_PUNCTUATION)
