"""Who wrote an article's text since its last approval, over the revision DAG (pure).

An article's revisions form a DAG: each has a parent, and a merge made by sync has a
second parent. "Nobody approves their own article" means: nobody who wrote any of the
text the approval would cover, on either branch of a merge. `since_approval` walks
back from the head along every parent, stopping at "approve" revisions (what an approval
covered stays covered); `writers` lists the authors of those that wrote text, newest
first. The store's `text_writers` and the sync's rights check both use them, so the two
can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol


class RevisionNode(Protocol):
    id: str
    parent_id: str | None
    second_parent_id: str | None
    author_id: str | None
    reason: str
    created_at: datetime


def since_approval(head: str | None, revisions: Mapping[str, RevisionNode]) -> list[RevisionNode]:
    """The revisions reachable from `head` without passing an "approve" one, newest first.

    A cycle (a damaged store) or a parent missing from `revisions` ends that branch.
    """
    found: dict[str, RevisionNode] = {}
    waiting = [head] if head else []
    while waiting:
        current = revisions.get(waiting.pop() or "")
        if current is None or current.id in found or current.reason == "approve":
            continue
        found[current.id] = current
        waiting.extend(p for p in (current.parent_id, current.second_parent_id) if p)
    return sorted(found.values(), key=lambda r: (r.created_at, r.id), reverse=True)


def writers(
    path: list[RevisionNode], wrote_text: Callable[[RevisionNode], bool]
) -> list[str | None]:
    """Authors of the revisions of `path` (from `since_approval`) that wrote text, newest
    first, each once (None: unknown). `wrote_text(revision)` is False for a pure workflow
    step (a transition that changed no word or detail of its parent); every other
    revision counts, whatever its reason."""
    found: dict[str | None, None] = {}
    for revision in path:
        if wrote_text(revision):
            found.setdefault(revision.author_id, None)
    return list(found)
