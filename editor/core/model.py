"""Plain value objects passed between the store, the service seam, the CLI and the GUI."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class Status(enum.StrEnum):
    """Workflow states of DESIGN.md; the transitions come with the workflow issue."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"
    SPIKED = "spiked"
    CORRECTED = "corrected"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.DRAFT: "Draft",
    Status.SUBMITTED: "Submitted",
    Status.CHANGES_REQUESTED: "Returned",
    Status.APPROVED: "Approved",
    Status.PUBLISHED: "Published",
    Status.SPIKED: "Spiked",
    Status.CORRECTED: "Corrected",
}

#: The states whose article is public: exported as itself, not as a marked preview.
PUBLISHABLE = frozenset({Status.APPROVED, Status.PUBLISHED, Status.CORRECTED})


class Role(enum.StrEnum):
    REPORTER = "reporter"
    EDITOR = "editor"
    ADMIN = "admin"


#: Article fields a person edits in the inspector (the body is saved beside them).
METADATA_FIELDS = (
    "headline",
    "standfirst",
    "slug",
    "byline",
    "section",
    "tags",
    "dateline",
    "story_date",
)


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One row of the article list: what listing needs, never the body."""

    id: str
    headline: str
    slug: str
    status: Status
    section: str
    byline: str
    word_count: int
    updated_at: datetime


@dataclass(slots=True)
class Article:
    """The current state of one article, body included."""

    id: str
    headline: str = ""
    standfirst: str = ""
    slug: str = ""
    slug_locked: bool = False
    byline: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    dateline: str = ""
    #: The date the story is dated (the wire date), printed on the page; None: undated.
    story_date: date | None = None
    status: Status = Status.DRAFT
    body: str = ""
    word_count: int = 0
    version: int = 1
    head_revision_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    source_name: str = ""
    priority: int = 0
    #: Not for the web before this moment (aware UTC); None: no embargo.
    embargo_until: datetime | None = None
    legal_hold: bool = False
    not_for_publication: bool = False
    #: The words the desk wants; None: no target.
    length_target: int | None = None
    #: Id of the user who created the article.
    created_by: str | None = None
    #: What the importer moved out of the body: [{"kind", "text", "position"}].
    import_notes: list[dict] = field(default_factory=list)
    #: SHA-256 of the imported file; None when not imported.
    source_hash: str | None = None
    #: Asset id of the image shown at the top of the page.
    featured_asset_id: str | None = None
    #: First publication (aware UTC); None until published.
    published_at: datetime | None = None

    def summary(self) -> ArticleSummary:
        """The article as one row of the article list."""
        return ArticleSummary(
            id=self.id,
            headline=self.headline,
            slug=self.slug,
            status=self.status,
            section=self.section,
            byline=self.byline,
            word_count=self.word_count,
            updated_at=self.updated_at,
        )

    def metadata(self) -> dict[str, object]:
        """The metadata as JSON-ready values (a revision keeps it beside the body)."""
        values = {name: getattr(self, name) for name in METADATA_FIELDS}
        values["story_date"] = self.story_date.isoformat() if self.story_date else None
        return values


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """What the article list asks the store for; sorting and filtering happen in SQL."""

    search: str = ""
    status: Status | None = None
    sort_key: str = "updated_at"
    descending: bool = True
    include_deleted: bool = False
    #: A desk view (`Desk`): my_drafts, waiting, returned_to_me, approved, published, spiked.
    desk: str | None = None
    #: Whose desk "my_drafts" and "returned_to_me" show (`Newsroom` fills in the acting user).
    desk_user_id: str | None = None


class Desk(enum.StrEnum):
    """The list's desk views; `ArticleQuery(desk=...)` filters by them in SQL."""

    MY_DRAFTS = "my_drafts"
    WAITING = "waiting"
    RETURNED_TO_ME = "returned_to_me"
    APPROVED = "approved"
    PUBLISHED = "published"
    SPIKED = "spiked"

    @property
    def label(self) -> str:
        return _DESK_LABELS[self]


_DESK_LABELS = {
    Desk.MY_DRAFTS: "My drafts",
    Desk.WAITING: "Waiting for review",
    Desk.RETURNED_TO_ME: "Returned to me",
    Desk.APPROVED: "Approved",
    Desk.PUBLISHED: "Published",
    Desk.SPIKED: "Spiked",
}


@dataclass(frozen=True, slots=True)
class User:
    id: str
    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class Revision:
    id: str
    article_id: str
    parent_id: str | None
    author: str
    created_at: datetime
    reason: str
    body: str
    metadata: dict


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    article_id: str
    actor: str
    created_at: datetime
    action: str
    from_status: str | None
    to_status: str | None
    note: str
    #: The head revision when it happened: what a reviewer saw when returning or approving.
    revision_id: str | None = None
