"""Review: comments anchored to passages, word-level diffs, history and restore.

A comment keeps its passage as a quote plus a little context before and after and the
offset where it was made (a hint). `anchor(comment, text)` finds the passage again after
the text was edited: the exact quote nearest the hint and best matching the context,
else the closest fuzzy match, else None ("passage gone"). Offsets are in whatever text
the caller anchors against, the same kind of text it commented on: the GUI uses its
editor's plain text, the CLI and tests the Markdown body.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from editor.core.diff import DiffOp, diff_words
from editor.core.errors import NotFoundError, ValidationError
from editor.core.model import METADATA_FIELDS, Article, Revision
from editor.core.values import Comment

if TYPE_CHECKING:  # for type checkers only
    from editor.services.seat import SavingSeat

#: Characters of context kept on each side of a quote.
CONTEXT = 32
#: How much of a quote's words must survive for a fuzzy match to count as the passage.
FUZZY_THRESHOLD = 0.6

_WORD = re.compile(r"\w+(?:['’-]\w+)*")


@dataclass(frozen=True, slots=True)
class RevisionDiff:
    """The changes between two revisions: body ops and changed metadata fields.

    `old` is None when there is nothing earlier to compare with. `metadata` lists
    (field, old value, new value) for every metadata field that differs.
    """

    old: Revision | None
    new: Revision
    ops: list[DiffOp]
    metadata: list[tuple[str, object, object]]


# -- anchoring ---------------------------------------------------------------


def selection_anchor(text: str, start: int, end: int) -> dict[str, object]:
    """The anchor of `text[start:end]`: keyword arguments for `add_comment`."""
    if not 0 <= start < end <= len(text):
        raise ValidationError("Select the passage to comment on.")
    return {
        "quote": text[start:end],
        "position": start,
        "prefix": text[max(0, start - CONTEXT) : start],
        "suffix": text[end : end + CONTEXT],
    }


def anchor(comment: Comment, text: str) -> tuple[int, int] | None:
    """Where `comment`'s passage is in `text` now, as (start, end); None when it is gone."""
    quote = comment.quote
    if not quote:
        return None
    hint = comment.position if comment.position is not None else 0
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    if starts:
        best = max(
            starts,
            key=lambda s: (
                _context_score(text, s, s + len(quote), comment),
                -abs(s - hint),
            ),
        )
        return best, best + len(quote)
    return _fuzzy(comment, text, hint)


def _context_score(text: str, start: int, end: int, comment: Comment) -> int:
    """Characters of the stored prefix and suffix that still sit beside the passage."""
    before = text[max(0, start - len(comment.prefix)) : start]
    after = text[end : end + len(comment.suffix)]
    score = 0
    for a, b in zip(reversed(before), reversed(comment.prefix), strict=False):
        if a != b:
            break
        score += 1
    for a, b in zip(after, comment.suffix, strict=False):
        if a != b:
            break
        score += 1
    return score


def _fuzzy(comment: Comment, text: str, hint: int) -> tuple[int, int] | None:
    """The run of words sharing most of the quote's words in order (FUZZY_THRESHOLD at least).

    Ties go to the tighter run, then to the one nearest the hint; the span is trimmed to
    the first and last shared word, so words added inside the passage are included.
    """
    wanted = [w.lower() for w in _WORD.findall(comment.quote)]
    if not wanted:
        return None
    matches = list(_WORD.finditer(text))
    words = [m.group().lower() for m in matches]
    size = len(wanted)
    need = Counter(wanted)
    best: tuple[int, float, int] | None = None  # (shared, ratio, -distance)
    span = (0, 0)
    for width in range(max(1, size - 2), size + 3):
        if width > len(words):
            break
        window = Counter(words[:width])
        # Words the window shares with the quote (as multisets), kept up to date in O(1)
        # per step: a cheap filter before the real comparison.
        common = sum(min(count, window[w]) for w, count in need.items())
        for first in range(len(words) - width + 1):
            if first:
                gone, new = words[first - 1], words[first + width - 1]
                if window[gone] <= need[gone]:
                    common -= 1
                window[gone] -= 1
                if window[new] < need[new]:
                    common += 1
                window[new] += 1
            if common < FUZZY_THRESHOLD * size:
                continue
            matcher = difflib.SequenceMatcher(
                None, wanted, words[first : first + width], autojunk=False
            )
            blocks = [b for b in matcher.get_matching_blocks() if b.size]
            shared = sum(b.size for b in blocks)
            if shared < FUZZY_THRESHOLD * size:
                continue
            low = first + blocks[0].b
            high = first + blocks[-1].b + blocks[-1].size - 1
            score = (shared, matcher.ratio(), -abs(matches[low].start() - hint))
            if best is None or score > best:
                best, span = score, (matches[low].start(), matches[high].end())
    return span if best is not None else None


# -- the part ------------------------------------------------------------------


class ReviewService:
    """`newsroom.review`: comments, diffs, history and restore; a restore saves through the seat."""

    def __init__(self, seat: SavingSeat) -> None:
        self._seat = seat

    def add_comment(
        self,
        article_id: str,
        quote: str,
        position: int | None,
        prefix: str = "",
        suffix: str = "",
        body: str = "",
    ) -> Comment:
        """A comment on the passage `quote` (see `selection_anchor` to build the anchor)."""
        if not quote.strip():
            raise ValidationError("Select the passage to comment on.", field="quote")
        if not body.strip():
            raise ValidationError("A comment needs some words.", field="body")
        self._seat.store.get_article(article_id)  # NotFoundError for a missing or deleted one
        return self._seat.store.comments.add_comment(
            article_id,
            author=self._seat.user,
            quote=quote,
            position=position,
            prefix=prefix[-CONTEXT * 4 :],
            suffix=suffix[: CONTEXT * 4],
            body=body.strip(),
        )

    def reply(self, comment_id: str, body: str) -> Comment:
        """A reply in the thread of `comment_id` (a reply to a reply joins the same thread)."""
        if not body.strip():
            raise ValidationError("A reply needs some words.", field="body")
        return self._seat.store.comments.add_reply(
            comment_id, author=self._seat.user, body=body.strip()
        )

    def resolve(self, comment_id: str, resolved: bool = True) -> Comment:
        """Mark a thread resolved (or open it again with `resolved=False`)."""
        return self._seat.store.comments.resolve_comment(
            comment_id, actor=self._seat.user, resolved=resolved
        )

    def list_comments(self, article_id: str, include_resolved: bool = True) -> list[Comment]:
        """The article's threads, oldest first, each with its `replies`."""
        threads = self._seat.store.comments.list_comments(article_id)
        return [t for t in threads if include_resolved or not t.resolved]

    def anchor(self, comment: Comment, body_text: str) -> tuple[int, int] | None:
        """See the module function `anchor`."""
        return anchor(comment, body_text)

    # -- diffs and history --------------------------------------------------

    def revision(self, revision_id: str) -> Revision:
        return self._seat.store.workflow.get_revision(revision_id)

    def diff_revisions(self, old_revision_id: str | None, new_revision_id: str) -> RevisionDiff:
        """Word-level changes from one revision to another (any two, any order)."""
        new = self._seat.store.workflow.get_revision(new_revision_id)
        old = self._seat.store.workflow.get_revision(old_revision_id) if old_revision_id else None
        if old is not None and old.article_id != new.article_id:
            raise ValidationError("Those two revisions belong to different articles.")
        return _revision_diff(old, new)

    def last_reviewed_revision(self, article_id: str, user_name: str | None = None) -> str | None:
        """The revision the user saw when they last returned or approved the article."""
        name = (user_name or self._seat.user.name).lower()
        reviewed = [
            e
            for e in self._seat.store.list_events(article_id)
            if e.action in ("return", "approve") and e.actor.lower() == name and e.revision_id
        ]
        return reviewed[-1].revision_id if reviewed else None

    def changes_since_review(self, article_id: str, user_name: str | None = None) -> RevisionDiff:
        """What changed since the user (default: the acting one) last returned or approved.

        Without such a review, the changes since the first revision. `new` is the head.
        """
        article = self._seat.store.get_article(article_id)
        base = self.last_reviewed_revision(article_id, user_name)
        if base is None:
            history = self._seat.store.list_revisions(article_id)
            base = history[0].id if history else None
        return self.diff_revisions(base, article.head_revision_id)

    def restore_revision(self, article_id: str, revision_id: str, expected_version: int) -> Article:
        """Bring back an old revision's body and metadata as a NEW revision ("restore").

        History is never rewritten; the same edit permission as a save applies, and a
        stale `expected_version` is refused.
        """
        old = self._seat.store.workflow.get_revision(revision_id)
        if old.article_id != article_id:
            raise NotFoundError("That revision belongs to another article.")
        current = self._seat.store.get_article(article_id)
        changes: dict[str, object] = {}
        for name in METADATA_FIELDS:
            if name not in old.metadata:
                continue
            value = old.metadata[name]
            if name == "slug" and (not current.slug_locked or not value or value == current.slug):
                continue  # a slug that follows the headline follows the restored one
            if name == "story_date":
                value = value or None
            changes[name] = value if value is not None or name == "story_date" else ""
        return self._seat.save_article(
            article_id,
            expected_version=expected_version,
            changes=changes,
            body=old.body,
            reason="restore",
        )


def _revision_diff(old: Revision | None, new: Revision) -> RevisionDiff:
    ops = diff_words(old.body if old else "", new.body)
    metadata: list[tuple[str, object, object]] = []
    for name in METADATA_FIELDS:
        before = old.metadata.get(name) if old else None
        after = new.metadata.get(name)
        if before != after:
            metadata.append((name, before, after))
    return RevisionDiff(old=old, new=new, ops=ops, metadata=metadata)
