"""Three-way merge of two versions of an article against their common ancestor (pure).

Sync (`editor.store.sync`) calls it when both sides changed an article while apart.

- The body merges paragraph by paragraph (blocks separated by blank lines) with the
  `merge3` library: a paragraph changed on one side only takes that side's text; a
  passage changed on both sides (differently) becomes a *conflict block* that keeps both
  texts, nothing dropped, for the author to resolve.
- Metadata merges field by field with the same rule. Tags merge as sets (additions and
  removals of both sides). A field changed differently on both sides keeps the value of
  the later version and puts the other in a conflict block at the top of the body.
- The status follows `merge_status` (the workflow rule for transitions made on both sides).

Conflict block (Python-Markdown dialect of the body: every marker line is a paragraph of
its own in bold, so the preview and the export show it; `has_conflicts` and
`CONFLICT_LINE` find it, for the copy-desk checks):

    **CONFLICT ▶ Alice's version (2026-12-02 10:42 UTC):**

    Alice's paragraphs

    **CONFLICT ▶ Bob's version (2026-12-02 10:40 UTC):**

    Bob's paragraphs

    **CONFLICT ◀ end. Keep one version, then delete the marker lines.**

Metadata conflicts (one line each, in a block at the top of the body):

    **CONFLICT ▶ headline changed on both sides: kept Alice's “A”; Bob's was “B”.**
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import merge3

#: A marker line of a conflict block (start, second version, end, or a field conflict).
CONFLICT_LINE = re.compile(r"^\*\*CONFLICT [▶◀] .*\*\*$", re.MULTILINE)
CONFLICT_START = "**CONFLICT ▶ {label}:**"
CONFLICT_END = "**CONFLICT ◀ end. Keep one version, then delete the marker lines.**"
FIELD_CONFLICT = (
    "**CONFLICT ▶ {name} changed on both sides: kept {kept_label}'s {kept}; "
    "{other_label}'s was {other}.**"
)


def has_conflicts(body: str) -> bool:
    """Whether the body still holds a conflict block left by a merge."""
    return CONFLICT_LINE.search(body or "") is not None


def split_paragraphs(body: str) -> list[str]:
    """The body's blocks (paragraphs, headings, lists...) without the blank lines between.

    A fenced code block stays one block even when it holds blank lines.
    """
    blocks: list[str] = []
    current: list[str] = []
    fenced = False
    for line in (body or "").replace("\r\n", "\n").split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def join_paragraphs(blocks: Sequence[str]) -> str:
    return "\n\n".join(blocks)


@dataclass(frozen=True, slots=True)
class Side:
    """One version in a merge: its body, its metadata and how a conflict names it."""

    body: str
    meta: Mapping[str, object]
    #: Who wrote it, as a conflict names them ("Alice").
    name: str
    #: When, as a conflict shows it ("2026-12-02 10:42 UTC"); may be empty.
    when: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}'s version ({self.when})" if self.when else f"{self.name}'s version"


@dataclass(slots=True)
class MergeResult:
    body: str
    meta: dict[str, object]
    #: Passages changed on both sides (conflict blocks in the body).
    body_conflicts: int = 0
    #: Metadata fields changed differently on both sides.
    field_conflicts: list[str] = field(default_factory=list)

    @property
    def conflicted(self) -> bool:
        return bool(self.body_conflicts or self.field_conflicts)


def merge_body(base: str, first: Side, second: Side) -> tuple[str, int]:
    """The two bodies merged paragraph by paragraph; returns (body, conflicts)."""
    if first.body == second.body:
        return first.body, 0
    if base == first.body:
        return second.body, 0
    if base == second.body:
        return first.body, 0
    base_blocks = split_paragraphs(base)
    a_blocks = split_paragraphs(first.body)
    b_blocks = split_paragraphs(second.body)
    merger = merge3.Merge3(base_blocks, a_blocks, b_blocks)
    out: list[str] = []
    conflicts = 0
    for region in merger.merge_regions():
        kind = region[0]
        if kind == "unchanged":
            out.extend(base_blocks[region[1] : region[2]])
        elif kind in ("a", "same"):
            out.extend(a_blocks[region[1] : region[2]])
        elif kind == "b":
            out.extend(b_blocks[region[1] : region[2]])
        else:  # conflict: zstart, zend, astart, aend, bstart, bend
            ours = a_blocks[region[3] : region[4]]
            theirs = b_blocks[region[5] : region[6]]
            conflicts += 1
            out.append(CONFLICT_START.format(label=first.label))
            out.extend(ours or ["*(deleted this passage)*"])
            out.append(CONFLICT_START.format(label=second.label))
            out.extend(theirs or ["*(deleted this passage)*"])
            out.append(CONFLICT_END)
    return join_paragraphs(out), conflicts


def merge_value(base: object, a: object, b: object) -> tuple[object, bool]:
    """Three-way merge of one value: (merged, conflicted); `a` wins a conflict."""
    if a == b:
        return a, False
    if a == base:
        return b, False
    if b == base:
        return a, False
    return a, True


def merge_tags(base: Sequence[str], a: Sequence[str], b: Sequence[str]) -> list[str]:
    """Tags as sets: both sides' additions kept, both sides' removals applied; a's order."""
    base_set, a_set, b_set = set(base or []), set(a or []), set(b or [])
    removed = (base_set - a_set) | (base_set - b_set)
    kept = [t for t in [*(a or []), *(b or [])] if t not in removed]
    return list(dict.fromkeys(kept))


def shown_value(value: object) -> str:
    """A value as a field-conflict line shows it: quoted, a list joined, nothing as (empty)."""
    if value in (None, ""):
        return "(empty)"
    if isinstance(value, list):
        return "“" + ", ".join(map(str, value)) + "”"
    return f"“{value}”"


def merge_article(
    base_body: str,
    base_meta: Mapping[str, object],
    first: Side,
    second: Side,
    *,
    skip: Sequence[str] = ("status",),
) -> MergeResult:
    """Body and metadata of `first` and `second` merged against the base.

    `first` should be the later version: it wins a metadata conflict (the other value is
    kept in a conflict line at the top of the body). Keys in `skip` are left out (the
    status merges by `merge_status`).
    """
    body, body_conflicts = merge_body(base_body, first, second)
    meta: dict[str, object] = {}
    lines: list[str] = []
    conflicts: list[str] = []
    for name in dict.fromkeys([*first.meta, *second.meta]):
        if name in skip:
            continue
        base_value = base_meta.get(name)
        a, b = first.meta.get(name), second.meta.get(name)
        if name == "tags":
            meta[name] = merge_tags(base_value or [], a or [], b or [])
            continue
        value, conflicted = merge_value(base_value, a, b)
        meta[name] = value
        if conflicted and name != "slug":  # the slug follows the kept headline
            conflicts.append(name)
            lines.append(
                FIELD_CONFLICT.format(
                    name=name,
                    kept_label=first.name,
                    kept=shown_value(a),
                    other_label=second.name,
                    other=shown_value(b),
                )
            )
    if lines:
        body = join_paragraphs([*lines, body]) if body else join_paragraphs(lines)
    return MergeResult(body, meta, body_conflicts, conflicts)


# -- the workflow rule for transitions made on both sides ------------------------------

#: How far each status stands from publication; a spike (a kill) counts as furthest.
_DISTANCE = {
    "spiked": 0,
    "draft": 1,
    "changes_requested": 2,
    "submitted": 3,
    "approved": 4,
    "published": 5,
    "corrected": 6,
}
_PUBLIC = frozenset({"published", "corrected"})


def merge_status(base: str | None, a: str, b: str) -> str:
    """The status after a merge (the rule of DESIGN.md's workflow for sync).

    - Only one side moved the article: that side's status.
    - Both moved it to the same status: that status.
    - Both moved it differently: the status furthest from publication wins (spiked, then
      draft, returned, submitted, approved), so nobody's return or spike is undone by a
      colleague's offline submit, and the article goes through review again; except that
      a published (or corrected) article stays public: publication is never undone.

    `review_guard` then makes sure the merged text was reviewed.
    """
    if a == b:
        return a
    if a == base:
        return b
    if b == base:
        return a
    public = [s for s in (a, b) if s in _PUBLIC]
    if public:
        return max(public, key=lambda s: _DISTANCE[s])
    return min((a, b), key=lambda s: _DISTANCE.get(s, 0))


def review_guard(status: str, merged_differs_from_reviewed: bool) -> str:
    """An approved status survives a merge only when the approved text is the merged text.

    An approval covers the text the editor read; merged-in changes send the article back
    to "submitted" for review. (A published one keeps its published text instead: sync
    never changes a public text, see `editor.store.sync`.)
    """
    if status == "approved" and merged_differs_from_reviewed:
        return "submitted"
    return status


# -- a stale save in the editor: the person's version and a colleague's -----------------

#: The details a person edits that a stale save merges (the body is merged beside them).
EDITED_FIELDS = (
    "headline",
    "standfirst",
    "slug",
    "byline",
    "section",
    "tags",
    "dateline",
    "story_date",
    "length_target",
)


@dataclass(frozen=True, slots=True)
class AlignedRow:
    """One passage of a three-way comparison, the same passage in each version.

    `kind`: "unchanged" (nobody touched it), "first" or "second" (only that side changed
    it), "same" (both made the same change), "conflict" (both changed it differently).
    A side that deleted the passage has an empty tuple.
    """

    kind: str
    base: tuple[str, ...]
    first: tuple[str, ...]
    second: tuple[str, ...]


def align_paragraphs(base: str, first: str, second: str) -> list[AlignedRow]:
    """The three bodies cut into the passages `merge_body` merges, lined up row by row.

    The same `merge3` regions as the merge itself, so what a comparison shows as "changed
    on both sides" is exactly what `merge_edits` calls a conflict. An unchanged run gives
    one row per paragraph; a change gives one row holding the passage in each version,
    except that a merge3 conflict of as many paragraphs in all three versions is split
    into one row per paragraph (`_by_paragraph`).
    """
    base_blocks = split_paragraphs(base)
    a_blocks = split_paragraphs(first)
    b_blocks = split_paragraphs(second)
    # (kind, base range or None, first's passage, second's passage); a one-sided region
    # comes without its base range: it is the gap between the anchored regions around it.
    regions: list[tuple[str, tuple[int, int] | None, tuple[str, ...], tuple[str, ...]]] = []
    for region in merge3.Merge3(base_blocks, a_blocks, b_blocks).merge_regions():
        kind = region[0]
        if kind == "unchanged":
            regions.append((kind, (region[1], region[2]), (), ()))
        elif kind in ("a", "same"):
            regions.append((kind, None, tuple(a_blocks[region[1] : region[2]]), ()))
        elif kind == "b":
            regions.append((kind, None, (), tuple(b_blocks[region[1] : region[2]])))
        else:  # conflict: zstart, zend, astart, aend, bstart, bend
            first_part = tuple(a_blocks[region[3] : region[4]])
            second_part = tuple(b_blocks[region[5] : region[6]])
            regions.append((kind, (region[1], region[2]), first_part, second_part))
    rows: list[AlignedRow] = []
    position = 0  # the first base paragraph not yet placed in a row
    for index, (kind, span, first_part, second_part) in enumerate(regions):
        if span is not None and span[0] > position:
            # Paragraphs both sides deleted: merge3 gives no region for them.
            rows.append(AlignedRow("same", tuple(base_blocks[position : span[0]]), (), ()))
        if span is None:
            following = next((r[1] for r in regions[index + 1 :] if r[1] is not None), None)
            until = following[0] if following is not None else len(base_blocks)
            span = (position, max(position, until))
        was = tuple(base_blocks[span[0] : span[1]])
        position = span[1]
        if kind == "unchanged":
            rows.extend(AlignedRow("unchanged", (p,), (p,), (p,)) for p in was)
        elif kind == "a":
            rows.append(AlignedRow("first", was, first_part, was))
        elif kind == "b":
            rows.append(AlignedRow("second", was, was, second_part))
        elif kind == "same":
            rows.append(AlignedRow("same", was, first_part, first_part))
        elif len(was) == len(first_part) == len(second_part):
            rows.extend(_by_paragraph(was, first_part, second_part))
        else:
            rows.append(AlignedRow("conflict", was, first_part, second_part))
    if position < len(base_blocks):
        rows.append(AlignedRow("same", tuple(base_blocks[position:]), (), ()))
    return rows


@dataclass(frozen=True, slots=True)
class EditMerge:
    """Two versions of one article made from the same base, merged (`merge_edits`).

    `fields` holds every field of `EDITED_FIELDS` as the merged article has it (typed
    values, as on `Article`). The merge is `clean` when no paragraph and no field was
    changed differently on both sides: then `body` and `fields` keep every change of both.
    """

    body: str
    fields: dict[str, object]
    #: Passages changed differently on both sides.
    body_conflicts: int
    #: Fields changed differently on both sides.
    field_conflicts: tuple[str, ...]
    #: What each side changed against the base: field names, and "body" for the text.
    first_changed: tuple[str, ...]
    second_changed: tuple[str, ...]
    #: The bodies lined up passage by passage (first, second), for a comparison.
    rows: tuple[AlignedRow, ...]

    @property
    def clean(self) -> bool:
        return not self.body_conflicts and not self.field_conflicts

    def changed_paragraphs(self, side: str) -> int:
        """How many passages `side` ("first" or "second") changed (conflicts count)."""
        kinds = {side, "same", "conflict"}
        return sum(1 for row in self.rows if row.kind in kinds)


def _by_paragraph(
    base: tuple[str, ...], first: tuple[str, ...], second: tuple[str, ...]
) -> list[AlignedRow]:
    """A merge3 conflict of as many paragraphs on each side, paragraph by paragraph.

    merge3 (like diff3) calls changes of *adjacent* paragraphs a conflict, though each
    paragraph was changed on one side only. When neither side added or removed a
    paragraph there, the paragraphs correspond one to one, and each is merged on its own:
    only a paragraph both sides changed differently stays a conflict.
    """
    rows: list[AlignedRow] = []
    for was, a, b in zip(base, first, second, strict=True):
        if a == b:
            kind = "unchanged" if a == was else "same"
        elif a == was:
            kind = "second"
        elif b == was:
            kind = "first"
        else:
            kind = "conflict"
        rows.append(AlignedRow(kind, (was,), (a,), (b,)))
    return rows


def merge_rows(rows: Sequence[AlignedRow]) -> tuple[list[str], int]:
    """The merged paragraphs of aligned rows, and how many rows are conflicts (whose
    place holds the first side's passage: a caller with conflicts asks a person)."""
    out: list[str] = []
    for row in rows:
        if row.kind == "second":
            out.extend(row.second)
        elif row.kind == "unchanged":
            out.extend(row.base)
        else:  # first, same, conflict
            out.extend(row.first)
    return out, sum(1 for row in rows if row.kind == "conflict")


def merge_edits(base: object, first: object, second: object) -> EditMerge:
    """Three-way merge of two edited versions of one article (`Article`-like objects).

    The body merges paragraph by paragraph along `align_paragraphs` (merge3's regions,
    with adjacent one-sided edits of corresponding paragraphs told apart, which sync's
    `merge_body` leaves as a conflict; no conflict blocks are written: a stale save with
    a conflict asks the person instead), each field of `EDITED_FIELDS` by `merge_value`
    and the tags as sets. The slug is special:
    a side whose slug only followed its new headline (`slug_locked` false) gives way to a
    slug set by hand, so two edits of different fields never conflict on the slug.
    """
    base_body = str(getattr(base, "body", "") or "")
    first_body = str(getattr(first, "body", "") or "")
    second_body = str(getattr(second, "body", "") or "")
    rows = align_paragraphs(base_body, first_body, second_body)
    if first_body == second_body or base_body == second_body:
        body, body_conflicts = first_body, 0
    elif base_body == first_body:
        body, body_conflicts = second_body, 0
    else:
        paragraphs, body_conflicts = merge_rows(rows)
        body = join_paragraphs(paragraphs)
        if body and (first_body.endswith("\n") or second_body.endswith("\n")):
            body += "\n"
    fields: dict[str, object] = {}
    conflicts: list[str] = []
    first_changed: list[str] = ["body"] if first_body != base_body else []
    second_changed: list[str] = ["body"] if second_body != base_body else []
    for name in EDITED_FIELDS:
        was = getattr(base, name, None)
        a, b = getattr(first, name, None), getattr(second, name, None)
        # A slug that only followed its side's new headline is no change of its own.
        if _differs(name, a, was) and (name != "slug" or getattr(first, "slug_locked", False)):
            first_changed.append(name)
        if _differs(name, b, was) and (name != "slug" or getattr(second, "slug_locked", False)):
            second_changed.append(name)
        if name == "tags":
            fields[name] = merge_tags(list(was or []), list(a or []), list(b or []))
            continue
        value, conflicted = merge_value(was, a, b)
        if conflicted and name == "slug":
            a_set = bool(getattr(first, "slug_locked", False))
            b_set = bool(getattr(second, "slug_locked", False))
            if a_set != b_set:
                value, conflicted = (a if a_set else b), False
        fields[name] = value
        if conflicted:
            conflicts.append(name)
    return EditMerge(
        body=body,
        fields=fields,
        body_conflicts=body_conflicts,
        field_conflicts=tuple(conflicts),
        first_changed=tuple(first_changed),
        second_changed=tuple(second_changed),
        rows=tuple(rows),
    )


def _differs(name: str, value: object, base: object) -> bool:
    if name == "tags":
        return list(value or []) != list(base or [])
    return value != base


__all__ = [
    "CONFLICT_END",
    "CONFLICT_LINE",
    "CONFLICT_START",
    "EDITED_FIELDS",
    "FIELD_CONFLICT",
    "AlignedRow",
    "EditMerge",
    "MergeResult",
    "Side",
    "align_paragraphs",
    "has_conflicts",
    "join_paragraphs",
    "merge_article",
    "merge_body",
    "merge_edits",
    "merge_rows",
    "merge_status",
    "merge_tags",
    "merge_value",
    "review_guard",
    "shown_value",
    "split_paragraphs",
]
