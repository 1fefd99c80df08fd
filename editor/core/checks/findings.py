"""What a check reports: `Finding` (rule, level, position, message, quick fix) and its fingerprint.

Positions are offsets in the body's Markdown text (or a metadata field name), so the CLI
can print line:column and the GUI can find the words again in its document.
"""

from __future__ import annotations

import enum
import hashlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime


class Level(enum.StrEnum):
    """How much a finding matters; errors block Submit for a reporter."""

    ERROR = "error"
    WARNING = "warning"
    SUGGESTION = "suggestion"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for suggestions: the order lists show them in."""
        return _RANKS[self]

    @property
    def label(self) -> str:
        return self.value.capitalize()


_RANKS = {Level.ERROR: 0, Level.WARNING: 1, Level.SUGGESTION: 2}

#: The field name of findings in the body; other findings name a metadata field.
BODY = "body"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the copy desk would flag.

    `start`/`end` are offsets in the body Markdown (for metadata findings: in the field's
    text, often 0/0). `matched` is the text as a reader sees it; `replacement`, when not
    None, is the quick fix for the span. `paragraph` is the index of the body unit (see
    `markdown_units`), `context` that unit's reader text and `context_start` where the
    match begins in it: enough for a GUI to find the words in its own document.
    `choices`, for a finding without one right fix, are the replacements to choose from
    (the two spellings of a name neither dictionary knows).
    """

    rule: str
    level: Level
    message: str
    start: int = 0
    end: int = 0
    field: str = BODY
    matched: str = ""
    replacement: str | None = None
    paragraph: int = -1
    context: str = ""
    context_start: int = 0
    occurrence: int = 0
    line: int = 0
    column: int = 0
    dismissed: bool = False
    choices: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        """Stable across edits elsewhere: matched text and its occurrence among the rule's.

        Long matches (a whole paragraph) are shortened with a hash so the key stays small.
        """
        matched = self.matched
        if len(matched) > 100:
            digest = hashlib.sha1(matched.encode("utf-8")).hexdigest()[:12]
            matched = f"{matched[:60]}…{digest}"
        return f"{self.field}:{matched}#{self.occurrence}"

    @property
    def has_fix(self) -> bool:
        return self.replacement is not None

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "level": self.level.value,
            "message": self.message,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "matched": self.matched,
            "replacement": self.replacement,
            "choices": list(self.choices),
            "fingerprint": self.fingerprint,
            "dismissed": self.dismissed,
        }


@dataclass(frozen=True, slots=True)
class Dismissal:
    """A finding someone dismissed for one article, and why."""

    rule: str
    fingerprint: str
    note: str = ""
    user_id: str | None = None
    created_at: datetime | None = None


def number_occurrences(findings: Iterable[Finding], body: str) -> list[Finding]:
    """Sorted findings with occurrence counters and line/column filled in."""
    ordered = sorted(findings, key=_order)
    line_starts = [0]
    line_starts.extend(i + 1 for i, char in enumerate(body) if char == "\n")
    seen: Counter[tuple[str, str, str]] = Counter()
    numbered = []
    for finding in ordered:
        key = (finding.rule, finding.field, finding.matched)
        occurrence = seen[key]
        seen[key] += 1
        if finding.field == BODY:
            line = bisect_right(line_starts, finding.start)
            column = finding.start - line_starts[line - 1] + 1
        else:
            line, column = 0, 0
        numbered.append(replace(finding, occurrence=occurrence, line=line, column=column))
    return numbered


_FIELD_ORDER = {"headline": 0, "standfirst": 1, "byline": 2, "section": 3, "dateline": 4}


def _order(finding: Finding) -> tuple:
    if finding.field == BODY:
        return (1, 0, finding.start, finding.end, finding.rule)
    return (0, _FIELD_ORDER.get(finding.field, 9), finding.start, finding.end, finding.rule)


def apply_fix(text: str, finding: Finding) -> str:
    """`text` (the body Markdown or the field's value) with the finding's quick fix applied."""
    if finding.replacement is None:
        raise ValueError(f"The finding '{finding.rule}' has no quick fix.")
    start, end = finding.start, finding.end
    whole_lines = (start == 0 or text[start - 1] == "\n") and (
        end == len(text) or text[end] == "\n"
    )
    if finding.replacement == "" and whole_lines and end > start:
        # Removing a whole block: take its blank line with it, not leave two.
        tail = len(text) - len(text[end:].lstrip("\n"))
        if tail < len(text):
            end = tail
        else:
            start = len(text[:start].rstrip("\n"))
    return text[:start] + finding.replacement + text[end:]


def mark_dismissed(findings: Iterable[Finding], dismissals: Iterable[Dismissal]) -> list[Finding]:
    """The findings with `dismissed` set for those whose (rule, fingerprint) was dismissed."""
    keys = {(d.rule, d.fingerprint) for d in dismissals}
    return [replace(f, dismissed=(f.rule, f.fingerprint) in keys) if keys else f for f in findings]
