"""Word-level diff between two texts, rendered as track changes or side by side.

`diff_words(old, new)` returns `DiffOp`s whose texts, joined, give back the old text
(equal + delete) and the new text (equal + insert) exactly, whitespace included.
Rendering is HTML-escaped, so a diff can go into any rich-text widget or page.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

#: A word (with inner apostrophes and hyphens) or one punctuation mark, each with the
#: spaces after it (so the matcher never sees a flood of identical " " tokens, which
#: makes difflib quadratic), or the spaces opening the text.
_TOKEN = re.compile(r"\w+(?:['’-]\w+)*\s*|[^\w\s]\s*|\s+")
#: Paragraphs with the blank lines after them: the coarse pass before the word pass.
_PARAGRAPH = re.compile(r".*?(?:\n[ \t]*\n\s*|$)", re.DOTALL)
_WORD = re.compile(r"\w")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")

Kind = Literal["equal", "insert", "delete"]


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One run of text: kept ("equal"), added ("insert") or removed ("delete")."""

    kind: Kind
    text: str


def tokenize(text: str) -> list[str]:
    """Words, punctuation marks and whitespace runs; joined they give `text` back."""
    return _TOKEN.findall(text)


def diff_words(old: str, new: str) -> list[DiffOp]:
    """The word-level changes from `old` to `new`.

    A replaced run comes as a delete followed by an insert. A lone space between two
    changes is folded into them, so "[-a b-]{+c d+}" reads as one change, not four.
    """
    # Paragraphs first: unchanged ones are matched whole, and only the changed runs
    # are compared word by word (a 20,000-word article diffs in milliseconds).
    a, b = _paragraphs(old), _paragraphs(new)
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        if tag == "equal":
            ops.append(DiffOp("equal", "".join(a[i1:i2])))
        else:
            ops.extend(_word_ops("".join(a[i1:i2]), "".join(b[j1:j2])))
    return _tidy(ops)


def _paragraphs(text: str) -> list[str]:
    return [p for p in _PARAGRAPH.findall(text) if p]


def _opcodes(
    a: list[str], b: list[str], autojunk: bool = False
) -> list[tuple[str, int, int, int, int]]:
    return difflib.SequenceMatcher(None, a, b, autojunk=autojunk).get_opcodes()


def _word_ops(old: str, new: str) -> list[DiffOp]:
    a, b = tokenize(old), tokenize(new)
    # Compare words without their trailing spaces; a token kept whose spacing changed
    # (a space become a line break) is a kept word plus a changed gap.
    ops: list[DiffOp] = []
    # autojunk: in a long run, words as common as "the" do not start a match (matches
    # still run through them); without it difflib is quadratic on long paragraphs.
    keys_a, keys_b = [t.rstrip() for t in a], [t.rstrip() for t in b]
    for tag, i1, i2, j1, j2 in _opcodes(keys_a, keys_b, autojunk=True):
        if tag == "equal":
            for before, after in zip(a[i1:i2], b[j1:j2], strict=True):
                if before == after:
                    ops.append(DiffOp("equal", before))
                    continue
                word = before.rstrip()
                ops.append(DiffOp("equal", word))
                ops.append(DiffOp("delete", before[len(word) :]))
                ops.append(DiffOp("insert", after[len(word) :]))
            continue
        if i2 > i1:
            ops.append(DiffOp("delete", "".join(a[i1:i2])))
        if j2 > j1:
            ops.append(DiffOp("insert", "".join(b[j1:j2])))
    return ops


def _tidy(ops: list[DiffOp]) -> list[DiffOp]:
    # Fold whitespace-only equal runs (without a paragraph break) sitting between changes.
    folded: list[DiffOp] = []
    for index, op in enumerate(ops):
        between = 0 < index < len(ops) - 1
        if (
            op.kind == "equal"
            and between
            and not op.text.strip()
            and "\n\n" not in op.text
            and ops[index - 1].kind != "equal"
            and ops[index + 1].kind != "equal"
        ):
            folded.append(DiffOp("delete", op.text))
            folded.append(DiffOp("insert", op.text))
        else:
            folded.append(op)
    # Within each changed region, all deletes first, then all inserts, each merged.
    result: list[DiffOp] = []
    region: list[DiffOp] = []

    def flush() -> None:
        deleted = "".join(o.text for o in region if o.kind == "delete")
        inserted = "".join(o.text for o in region if o.kind == "insert")
        region.clear()
        # Spacing both sides end with is kept text, not part of the change.
        gap = _common_space_suffix(deleted, inserted) if deleted and inserted else ""
        if gap:
            deleted, inserted = deleted[: -len(gap)], inserted[: -len(gap)]
        if deleted:
            result.append(DiffOp("delete", deleted))
        if inserted:
            result.append(DiffOp("insert", inserted))
        if gap:
            result.append(DiffOp("equal", gap))

    for op in folded:
        if op.kind == "equal":
            flush()
            if result and result[-1].kind == "equal":
                result[-1] = DiffOp("equal", result[-1].text + op.text)
            elif op.text:
                result.append(op)
        else:
            region.append(op)
    flush()
    return result


def _common_space_suffix(a: str, b: str) -> str:
    size = 0
    while size < min(len(a), len(b)) and a[-1 - size] == b[-1 - size] and a[-1 - size].isspace():
        size += 1
    return a[len(a) - size :]


def old_text(ops: Sequence[DiffOp]) -> str:
    return "".join(o.text for o in ops if o.kind != "insert")


def new_text(ops: Sequence[DiffOp]) -> str:
    return "".join(o.text for o in ops if o.kind != "delete")


@dataclass(frozen=True, slots=True)
class DiffStats:
    inserted_words: int
    deleted_words: int

    @property
    def changed(self) -> bool:
        return bool(self.inserted_words or self.deleted_words)


def diff_stats(ops: Sequence[DiffOp]) -> DiffStats:
    """How many words were added and removed (punctuation and spaces not counted)."""

    def words(kind: str) -> int:
        return sum(1 for o in ops if o.kind == kind for t in tokenize(o.text) if _WORD.match(t))

    return DiffStats(inserted_words=words("insert"), deleted_words=words("delete"))


def render_inline_text(ops: Sequence[DiffOp]) -> str:
    """Plain text in the style of `git diff --word-diff`: [-removed-]{+added+}."""
    marks = {"equal": ("", ""), "delete": ("[-", "-]"), "insert": ("{+", "+}")}
    return "".join(f"{marks[o.kind][0]}{o.text}{marks[o.kind][1]}" for o in ops)


def render_inline_html(ops: Sequence[DiffOp]) -> str:
    """Track changes in one text: `<del>` and `<ins>` inside `<p>` paragraphs.

    Blank lines separate paragraphs, as in the Markdown body; a paragraph break that was
    added or removed shows as a marked pilcrow so the change is visible.
    """
    paragraphs: list[str] = [""]
    for op in ops:
        pieces = _PARAGRAPH_BREAK.split(op.text)
        for number, piece in enumerate(pieces):
            if number:
                if op.kind == "equal":
                    paragraphs.append("")
                else:
                    tag = "del" if op.kind == "delete" else "ins"
                    paragraphs[-1] += f'<{tag} class="break">¶</{tag}><br>'
            paragraphs[-1] += _mark(op.kind, piece)
    return "".join(f"<p>{p}</p>" for p in paragraphs if p)


def side_by_side(ops: Sequence[DiffOp]) -> list[tuple[str, str]]:
    """Rows of (old paragraph HTML, new paragraph HTML), aligned at unchanged breaks.

    The old side marks deletions (`<del>`), the new side insertions (`<ins>`); a
    paragraph only on one side leaves the other cell empty.
    """
    rows: list[tuple[str, str]] = []
    left = right = ""
    for op in ops:
        pieces = _PARAGRAPH_BREAK.split(op.text)
        for number, piece in enumerate(pieces):
            if number:
                if op.kind == "equal":
                    if left or right:
                        rows.append((left, right))
                    left = right = ""
                elif op.kind == "delete":
                    left += "<br><br>"
                else:
                    right += "<br><br>"
            if op.kind != "insert":
                left += _mark(op.kind, piece)
            if op.kind != "delete":
                right += _mark(op.kind, piece)
    if left or right:
        rows.append((left, right))
    return rows


def render_side_by_side_html(ops: Sequence[DiffOp]) -> str:
    """`side_by_side` as one two-column HTML table (for a rich-text view or a page)."""
    cells = "".join(
        f'<tr><td class="old">{old}</td><td class="new">{new}</td></tr>'
        for old, new in side_by_side(ops)
    )
    return f'<table class="diff"><tr><th>Before</th><th>After</th></tr>{cells}</table>'


def _mark(kind: str, text: str) -> str:
    if not text:
        return ""
    escaped = html.escape(text)
    if kind == "delete":
        return f"<del>{escaped}</del>"
    if kind == "insert":
        return f"<ins>{escaped}</ins>"
    return escaped
