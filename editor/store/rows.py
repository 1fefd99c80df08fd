"""Rows <-> domain values: the mappers and time helpers every store module shares.

Times are stored as naive UTC (`as_naive`) and handed out aware (`as_aware`). One place
maps an `ArticleRow` to an `Article`, a select of `SUMMARY_COLUMNS` to an
`ArticleSummary`, and an article to the columns and revision row that store it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from editor.core.errors import NotFoundError, PermissionDeniedError, StaleWriteError
from editor.core.model import Article, ArticleSummary, Revision, Status, User
from editor.store.models import ArticleRow, EventRow, RevisionRow, UserRow

#: The columns an article-list row is read from (`summary_from_row`).
SUMMARY_COLUMNS = (
    ArticleRow.id,
    ArticleRow.headline,
    ArticleRow.slug,
    ArticleRow.status,
    ArticleRow.section,
    ArticleRow.byline,
    ArticleRow.word_count,
    ArticleRow.updated_at,
)


def utc_now() -> datetime:
    """Now, as the columns hold it: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_aware(moment: datetime | None) -> datetime | None:
    """A column's naive UTC value as an aware datetime (None stays None)."""
    return moment.replace(tzinfo=UTC) if moment is not None else None


def as_naive(moment: datetime | None) -> datetime | None:
    """UTC without tzinfo, as the columns hold it (an unzoned value is taken as UTC)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def article_row_fields(article: Article) -> dict[str, object]:
    """The `ArticleRow` columns that hold `article`'s fields (not id, version or times)."""
    return {
        "headline": article.headline,
        "standfirst": article.standfirst,
        "slug": article.slug,
        "slug_locked": article.slug_locked,
        "byline": article.byline,
        "section": article.section,
        "tags": list(article.tags),
        "dateline": article.dateline,
        "story_date": article.story_date,
        "word_count": article.word_count,
        "source_name": article.source_name,
        "priority": article.priority,
        "embargo_until": as_naive(article.embargo_until),
        "legal_hold": article.legal_hold,
        "not_for_publication": article.not_for_publication,
        "length_target": article.length_target,
        "import_notes": list(article.import_notes) or None,
        "source_hash": article.source_hash,
        "featured_asset_id": article.featured_asset_id,
        "published_at": as_naive(article.published_at),
        "status": article.status.value,
    }


def revision_meta(article: Article) -> dict[str, object]:
    """The fields a revision keeps beside the body."""
    return {**article.metadata(), "status": article.status.value}


def new_revision_row(article: Article, **fields: object) -> RevisionRow:
    """A revision holding `article`'s body and fields as they are now (the keywords of
    `revision_fields`)."""
    return RevisionRow(**revision_fields(article, **fields))


def revision_fields(
    article: Article,
    *,
    parent_id: str | None,
    author: User,
    reason: str,
    now: datetime,
    session_id: str | None = None,
    revision_id: str | None = None,
) -> dict[str, object]:
    """The columns of a revision holding `article`'s body and fields as they are now (for
    a bulk insert; `new_revision_row` makes the ORM row)."""
    return {
        "id": revision_id or str(uuid.uuid4()),
        "article_id": article.id,
        "parent_id": parent_id,
        "author_id": author.id,
        "created_at": now,
        "reason": reason,
        "session_id": session_id,
        "body": article.body,
        "meta": revision_meta(article),
    }


def append_revision(session: Session, revision: RevisionRow) -> None:
    """Add `revision` and make it its article's head (the row's version is already swapped)."""
    session.add(revision)
    session.flush()
    session.execute(
        update(ArticleRow)
        .where(ArticleRow.id == revision.article_id)
        .values(head_revision_id=revision.id)
        .execution_options(synchronize_session=False)
    )


def revision_from_row(row: RevisionRow, author: str | None) -> Revision:
    """The revision a row holds, `author` its author's name."""
    return Revision(
        id=row.id,
        article_id=row.article_id,
        parent_id=row.parent_id,
        author=author or "",
        created_at=as_aware(row.created_at),
        reason=row.reason,
        body=row.body,
        metadata=dict(row.meta),
    )


def summary_from_row(row) -> ArticleSummary:
    """One article-list row from a select of `SUMMARY_COLUMNS`."""
    return ArticleSummary(
        id=row.id,
        headline=row.headline,
        slug=row.slug,
        status=Status(row.status),
        section=row.section or "",
        byline=row.byline,
        word_count=row.word_count,
        updated_at=as_aware(row.updated_at),
    )


def article_from_row(row: ArticleRow, body: str) -> Article:
    """The article a row (and its head revision's `body`) holds."""
    return Article(
        id=row.id,
        headline=row.headline,
        standfirst=row.standfirst,
        slug=row.slug,
        slug_locked=row.slug_locked,
        byline=row.byline,
        section=row.section,
        tags=list(row.tags or []),
        dateline=row.dateline,
        story_date=row.story_date,
        status=Status(row.status),
        body=body,
        word_count=row.word_count,
        version=row.version,
        head_revision_id=row.head_revision_id,
        created_at=as_aware(row.created_at),
        updated_at=as_aware(row.updated_at),
        deleted_at=as_aware(row.deleted_at),
        source_name=row.source_name,
        priority=row.priority,
        embargo_until=as_aware(row.embargo_until),
        legal_hold=row.legal_hold,
        not_for_publication=row.not_for_publication,
        length_target=row.length_target,
        created_by=row.created_by,
        import_notes=list(row.import_notes or []),
        source_hash=row.source_hash,
        featured_asset_id=row.featured_asset_id,
        published_at=as_aware(row.published_at),
    )


def read_article(session: Session, article_id: str, include_deleted: bool = False) -> Article:
    """The article with its head revision's body; `NotFoundError` when missing (or deleted)."""
    row = session.get(ArticleRow, article_id)
    if row is None or (row.deleted_at is not None and not include_deleted):
        raise NotFoundError(f"No article with id {article_id}.")
    head = session.get(RevisionRow, row.head_revision_id) if row.head_revision_id else None
    return article_from_row(row, head.body if head else "")


def stale_write_error(
    session: Session, row: ArticleRow, expected: int
) -> StaleWriteError | PermissionDeniedError:
    """The refusal of a stale write, naming who made the latest change and when.

    The latest change is the newer of the head revision (a save, an autosave, a
    transition) and the latest event (a transition, flags, delete, restore): the head
    revision's author alone would name the reporter after an editor's status change.
    A compare-and-swap that missed although the version is the one expected was not
    stale: a shared desk's row-level security hid the row from this login's update.
    """
    session.refresh(row)
    if row.version == expected:
        return PermissionDeniedError(
            "The shared desk refused this: your database login may not change this article."
        )
    head = session.get(RevisionRow, row.head_revision_id) if row.head_revision_id else None
    event = session.scalars(
        select(EventRow)
        .where(EventRow.article_id == row.id)
        .order_by(EventRow.created_at.desc())
        .limit(1)
    ).first()
    who_id, when, what = None, row.updated_at, _CHANGED
    if head is not None:
        who_id, when = head.author_id, head.created_at
        what = _CHANGE_WORDS.get(head.reason, _CHANGED)
    # An event at the same time as the head revision is the transition that wrote it.
    if event is not None and (head is None or event.created_at >= head.created_at):
        who_id, when = event.actor_id, event.created_at
        what = _CHANGE_WORDS.get(event.action, _CHANGED)
    user = session.get(UserRow, who_id) if who_id else None
    who = user.name if user is not None else "someone"
    moment = as_aware(when).astimezone() if when is not None else None
    at = ""
    if moment is not None:
        today = datetime.now(moment.tzinfo).date()
        at = (
            f" at {moment:%H:%M:%S}"
            if moment.date() == today
            else f" on {moment:%Y-%m-%d at %H:%M:%S}"
        )
    return StaleWriteError(
        f"“{row.headline or 'Untitled'}” {what} by {who}{at} after you opened it. "
        "Your change was not written over theirs."
    )


#: How the stale-write message names the latest change, by revision reason or event action:
#: what the article underwent, before "by <who> at <time>".
_CHANGED = "was changed"
_CHANGE_WORDS = {
    "create": "was created",
    "import": "was imported",
    "save": "was edited",
    "autosave": "was edited",
    "restore": "was restored",
    "merge": "was merged",
    "submit": "was submitted",
    "override": "was submitted over copy-desk errors",
    "return": "was returned",
    "approve": "was approved",
    "publish": "was published",
    "spike": "was spiked",
    "reopen": "was reopened",
    "correct": "was corrected",
    "flags": "had its flags changed",
    "delete": "was deleted",
}
