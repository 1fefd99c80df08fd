"""Value types the services hand out and the store reads and writes: assets, review
comments, recovery-journal entries. Plain frozen dataclasses; no store, no Qt.

Their services (`editor.services.assets`, `.review`, `.recovery`) re-export them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.core.model import Article

#: How a body names a stored image: `asset:<id>`.
ASSET_SCHEME = "asset:"


@dataclass(frozen=True, slots=True)
class Asset:
    """An image in the store (its bytes through `Newsroom.asset_data`)."""

    id: str
    article_id: str | None
    filename: str
    media_type: str
    sha256: str
    size: int
    width: int | None
    height: int | None
    alt: str
    caption: str = ""
    credit: str = ""
    created_by: str | None = None
    created_at: datetime | None = None

    @property
    def url(self) -> str:
        """The URL a body uses for it: `asset:<id>`."""
        return ASSET_SCHEME + self.id

    def markdown(self) -> str:
        """The body paragraph that shows it as a figure."""
        alt = " ".join(self.alt.split()).replace("\\", "\\\\")
        alt = alt.replace("[", "\\[").replace("]", "\\]")
        return f"![{alt}]({self.url})"


@dataclass(frozen=True, slots=True)
class Comment:
    """A review comment (or a reply: `parent_id` set, no quote).

    `replies` holds a thread's replies, oldest first, on the comments `list_comments`
    returns. `resolved_at`/`resolved_by` (a name) are None while the thread is open.
    """

    id: str
    article_id: str
    parent_id: str | None
    author: str
    created_at: datetime
    quote: str
    prefix: str
    suffix: str
    position: int | None
    body: str
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    replies: tuple[Comment, ...] = field(default_factory=tuple)

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None


@dataclass(frozen=True)
class JournalEntry:
    """One journal row: what a session had on screen, over the version it loaded."""

    article_id: str
    session_id: str
    user_id: str | None
    base_version: int
    body: str
    #: {"changes": {field: value}}: details edited but not saved.
    meta: dict = field(default_factory=dict)
    written_at: datetime | None = None

    @property
    def changes(self) -> dict[str, object]:
        changes = self.meta.get("changes") if isinstance(self.meta, dict) else None
        return dict(changes) if isinstance(changes, dict) else {}


@dataclass(frozen=True, slots=True)
class MergedSides:
    """The two sides of a stale save settled by merging them, to record as a merge.

    `own` is the person's version as it stood when the save was refused (derived like any
    saved article; its `head_revision_id` is the revision it was edited from), and
    `theirs_head_id` the head revision of the version it was merged with.
    """

    own: Article
    theirs_head_id: str
