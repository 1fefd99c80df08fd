"""Bulk reads for the static-site export: columns straight from the tables, in chunks.

A site of tens of thousands of articles is read without ORM objects and without
loading every body at once; the export (`editor.core.site.reading`) shapes the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from editor.core.model import Article, Status
from editor.store.database import Database
from editor.store.models import ArticleRow, AssetRow, EventRow, RevisionRow

if TYPE_CHECKING:
    pass

#: Ids per `IN (...)` list: well under the bound-parameter limits of SQLite and PostgreSQL.
CHUNK = 500


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


_ARTICLE_COLUMNS = (
    ArticleRow.id,
    ArticleRow.headline,
    ArticleRow.standfirst,
    ArticleRow.slug,
    ArticleRow.byline,
    ArticleRow.section,
    ArticleRow.tags,
    ArticleRow.dateline,
    ArticleRow.story_date,
    ArticleRow.status,
    ArticleRow.version,
    ArticleRow.head_revision_id,
    ArticleRow.word_count,
    ArticleRow.created_at,
    ArticleRow.updated_at,
    ArticleRow.embargo_until,
    ArticleRow.legal_hold,
    ArticleRow.not_for_publication,
    ArticleRow.featured_asset_id,
    ArticleRow.published_at,
)

_ASSET_COLUMNS = (
    AssetRow.id,
    AssetRow.media_type,
    AssetRow.sha256,
    AssetRow.alt,
    AssetRow.caption,
    AssetRow.credit,
    AssetRow.width,
    AssetRow.height,
)


class ExportReads:
    """Bulk reads for the static-site export (reads only)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def export_articles(self, status: str | None, ids: Sequence[str] | None) -> list[Article]:
        """Live articles (of `status`, or among `ids` when given), without their bodies."""
        base = select(*_ARTICLE_COLUMNS).where(ArticleRow.deleted_at.is_(None))
        if status is not None:
            base = base.where(ArticleRow.status == Status(status).value)
        statements = (
            [base] if ids is None else [base.where(ArticleRow.id.in_(c)) for c in _chunks(ids)]
        )
        articles: list[Article] = []
        with self._db.read() as session:
            for statement in statements:
                articles.extend(_article(row) for row in session.execute(statement))
        return articles

    def revision_bodies(self, revision_ids: Sequence[str]) -> dict[str, str]:
        """Body Markdown by revision id."""
        bodies: dict[str, str] = {}
        with self._db.read() as session:
            for chunk in _chunks(revision_ids):
                statement = select(RevisionRow.id, RevisionRow.body).where(
                    RevisionRow.id.in_(chunk)
                )
                bodies.update((row.id, row.body or "") for row in session.execute(statement))
        return bodies

    def correction_notes(self, article_ids: Iterable[str]) -> list[tuple[str, datetime, str]]:
        """(article id, when, note) of the "correct" events of those articles, oldest first."""
        ids = sorted(set(article_ids))
        found: list[tuple[str, datetime, str]] = []
        with self._db.read() as session:
            for chunk in _chunks(ids):
                statement = (
                    select(EventRow.article_id, EventRow.created_at, EventRow.note)
                    .where(EventRow.action == "correct", EventRow.article_id.in_(chunk))
                    .order_by(EventRow.created_at)
                )
                found.extend(
                    (row.article_id, _aware(row.created_at), row.note or "")
                    for row in session.execute(statement)
                )
        found.sort(key=lambda item: item[1])
        return found

    def asset_rows(self, asset_ids: Iterable[str] | None, *, with_data: bool) -> list[dict]:
        """Asset columns by row (all assets when `asset_ids` is None); bytes with `with_data`."""
        columns = [*_ASSET_COLUMNS, AssetRow.data] if with_data else list(_ASSET_COLUMNS)
        base = select(*columns)
        ids = None if asset_ids is None else sorted(set(asset_ids))
        statements = (
            [base] if ids is None else [base.where(AssetRow.id.in_(c)) for c in _chunks(ids)]
        )
        rows: list[dict] = []
        with self._db.read() as session:
            for statement in statements:
                rows.extend(dict(row._mapping) for row in session.execute(statement))
        return rows


def _article(row) -> Article:
    return Article(
        id=row.id,
        headline=row.headline or "",
        standfirst=row.standfirst or "",
        slug=row.slug or "",
        byline=row.byline or "",
        section=row.section or "",
        tags=list(row.tags or []),
        dateline=row.dateline or "",
        story_date=row.story_date,
        status=Status(row.status),
        version=row.version,
        head_revision_id=row.head_revision_id,
        word_count=row.word_count or 0,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        embargo_until=_aware(row.embargo_until),
        legal_hold=bool(row.legal_hold),
        not_for_publication=bool(row.not_for_publication),
        featured_asset_id=row.featured_asset_id,
        published_at=_aware(row.published_at),
    )
