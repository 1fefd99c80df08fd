"""What the export reads from the store: article fields, bodies in batches, corrections, images.

Read straight from the tables, in chunks, so a large site never loads every body at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from editor.core.model import Article, Status
from editor.core.render import (
    Correction,
)
from editor.core.site.model import Selection


@dataclass(frozen=True, slots=True)
class AssetInfo:
    """One image as the export needs it; `data` only when asked for."""

    id: str
    media_type: str
    sha256: str
    alt: str = ""
    caption: str = ""
    credit: str = ""
    width: int | None = None
    height: int | None = None
    data: bytes | None = None


def aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def read_articles(newsroom, selection: Selection) -> list[Article]:
    """Metadata of the selected live articles, without bodies (those are read in batches)."""
    from sqlalchemy import select

    from editor.store.models import ArticleRow

    columns = (
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
    base = select(*columns).where(ArticleRow.deleted_at.is_(None))
    if selection.status is not None:
        base = base.where(ArticleRow.status == Status(selection.status).value)
    statements = (
        [base]
        if selection.ids is None
        else [base.where(ArticleRow.id.in_(chunk)) for chunk in chunks(selection.ids)]
    )
    articles: list[Article] = []
    with newsroom.store._read() as session:
        for statement in statements:
            for row in session.execute(statement):
                articles.append(
                    Article(
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
                        created_at=aware(row.created_at),
                        updated_at=aware(row.updated_at),
                        embargo_until=aware(row.embargo_until),
                        legal_hold=bool(row.legal_hold),
                        not_for_publication=bool(row.not_for_publication),
                        featured_asset_id=row.featured_asset_id,
                        published_at=aware(row.published_at),
                    )
                )
    return articles


def read_bodies(newsroom, revision_ids: Sequence[str]) -> dict[str, str]:
    from sqlalchemy import select

    from editor.store.models import RevisionRow

    bodies: dict[str, str] = {}
    with newsroom.store._read() as session:
        for chunk in chunks(revision_ids):
            statement = select(RevisionRow.id, RevisionRow.body).where(RevisionRow.id.in_(chunk))
            bodies.update((row.id, row.body or "") for row in session.execute(statement))
    return bodies


def read_corrections(newsroom, article_ids: Iterable[str]) -> dict[str, list[Correction]]:
    """Corrections (events with action "correct") of the given articles, oldest first."""
    from sqlalchemy import select

    from editor.store.models import EventRow

    wanted = set(article_ids)
    found: dict[str, list[Correction]] = {}
    with newsroom.store._read() as session:
        statement = (
            select(EventRow.article_id, EventRow.created_at, EventRow.note)
            .where(EventRow.action == "correct")
            .order_by(EventRow.created_at)
        )
        for row in session.execute(statement):
            if row.article_id in wanted and (row.note or "").strip():
                found.setdefault(row.article_id, []).append(
                    Correction(when=aware(row.created_at), text=row.note)
                )
    return found


def read_assets(
    newsroom, asset_ids: Iterable[str] | None = None, *, with_data: bool = False
) -> dict[str, AssetInfo]:
    """Asset rows by id (all of them when `asset_ids` is None); bytes only with `with_data`."""
    from sqlalchemy import select

    from editor.store.models import AssetRow

    columns = [
        AssetRow.id,
        AssetRow.media_type,
        AssetRow.sha256,
        AssetRow.alt,
        AssetRow.caption,
        AssetRow.credit,
        AssetRow.width,
        AssetRow.height,
    ]
    if with_data:
        columns.append(AssetRow.data)
    base = select(*columns)
    ids = None if asset_ids is None else sorted(set(asset_ids))
    statements = [base] if ids is None else [base.where(AssetRow.id.in_(c)) for c in chunks(ids)]
    assets: dict[str, AssetInfo] = {}
    with newsroom.store._read() as session:
        for statement in statements:
            for row in session.execute(statement):
                assets[row.id] = AssetInfo(
                    id=row.id,
                    media_type=row.media_type or "",
                    sha256=row.sha256 or "",
                    alt=row.alt or "",
                    caption=row.caption or "",
                    credit=row.credit or "",
                    width=row.width,
                    height=row.height,
                    data=bytes(row.data) if with_data and row.data is not None else None,
                )
    return assets
