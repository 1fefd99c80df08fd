"""Aggregates for the desk dashboard: a few GROUP BY queries, on SQLite and PostgreSQL.

Nothing here loads articles one by one: counts per status and section, the ageing of
articles waiting for review (bucketed in SQL) and the words first filed per local day
come back as a handful of rows whatever the size of the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select, text

from editor.core.model import ArticleSummary, Status
from editor.store.database import Database
from editor.store.models import ArticleRow, EventRow
from editor.store.rows import SUMMARY_COLUMNS, as_naive, summary_from_row

_SUBMITTED = Status.SUBMITTED.value


def _waiting_since() -> ColumnElement:
    """When a waiting article last went into review (its last change, without an event)."""
    entered = (
        select(func.max(EventRow.created_at))
        .where(EventRow.article_id == ArticleRow.id, EventRow.to_status == _SUBMITTED)
        .correlate(ArticleRow)
        .scalar_subquery()
    )
    return func.coalesce(entered, ArticleRow.updated_at)


def _first_submitted() -> ColumnElement:
    """When the article was first submitted (filed); NULL if never."""
    return (
        select(func.min(EventRow.created_at))
        .where(EventRow.article_id == ArticleRow.id, EventRow.action == "submit")
        .correlate(ArticleRow)
        .scalar_subquery()
    )


def _filed_since(since: datetime) -> list[ColumnElement[bool]]:
    """Live articles first submitted at or after `since`.

    A submission writes the article, so its `updated_at` is at least the first filing:
    the (indexed) `updated_at` narrows the search to recent articles before their events
    are read through the events' article index.
    """
    return [_live(), ArticleRow.updated_at >= since, _first_submitted() >= since]


def _live() -> ColumnElement[bool]:
    return ArticleRow.deleted_at.is_(None)


class DashboardQueries:
    """The desk dashboard's aggregates (reads only)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def status_section_counts(self) -> list[tuple[str, str, int]]:
        """(section, status, live articles) for every pair that has any.

        Sections differing only in case are one section (as the list sorts them).
        """
        if self._db.dialect == "sqlite":
            return self._sqlite_status_section_counts()
        key = func.lower(func.coalesce(ArticleRow.section, ""))
        statement = (
            select(func.min(ArticleRow.section), ArticleRow.status, func.count())
            .where(_live())
            .group_by(key, ArticleRow.status)
        )
        with self._db.read() as session:
            rows = session.execute(statement).all()
        return [(section or "", status, count) for section, status, count in rows]

    def _sqlite_status_section_counts(self) -> list[tuple[str, str, int]]:
        """SQLite has no hash aggregate and a GROUP BY over the whole table sorts it (60 ms
        on 100,000 articles), so: live articles per section from the covering section
        index, the few not-published ones per section and status through the status
        index, and published = the rest (25 ms).
        """
        others = [s.value for s in Status if s is not Status.PUBLISHED]
        marks = ", ".join(f":s{i}" for i in range(len(others)))
        with self._db.read() as session:
            totals = dict(
                session.execute(
                    text(
                        "SELECT lower(section), count(*) FROM articles"
                        " INDEXED BY ix_articles_sort_section"
                        " WHERE deleted_at IS NULL GROUP BY lower(section)"
                    )
                ).all()
            )
            rows = session.execute(
                text(
                    "SELECT lower(section), min(section), status, count(*) FROM articles"
                    " INDEXED BY ix_articles_sort_status"
                    f" WHERE deleted_at IS NULL AND status IN ({marks})"
                    " GROUP BY lower(section), status"
                ),
                {f"s{i}": value for i, value in enumerate(others)},
            ).all()
            names = {key: name for key, name, _status, _count in rows}
            for key in totals.keys() - names.keys():
                names[key] = session.scalar(
                    text(
                        "SELECT section FROM articles INDEXED BY ix_articles_sort_section"
                        " WHERE deleted_at IS NULL AND lower(section) = :key LIMIT 1"
                    ),
                    {"key": key},
                )
        result = []
        published = dict(totals)
        for key, _name, status, count in rows:
            result.append((names[key] or "", status, count))
            published[key] -= count
        result.extend(
            (names[key] or "", Status.PUBLISHED.value, count)
            for key, count in published.items()
            if count
        )
        return result

    def waiting_age_counts(self, thresholds: Sequence[datetime]) -> list[int]:
        """Articles waiting for review, bucketed by when they went in (newest bucket first).

        `thresholds` are descending moments: bucket 0 holds those that went in at or after
        `thresholds[0]`, bucket i those in [thresholds[i], thresholds[i-1]), the last one
        those before `thresholds[-1]`: len(thresholds) + 1 counts.
        """
        waiting = (
            select(_waiting_since().label("since"))
            .where(_live(), ArticleRow.status == _SUBMITTED)
            .subquery()
        )
        since = waiting.c.since
        bucket = case(
            *((since >= as_naive(moment), index) for index, moment in enumerate(thresholds)),
            else_=len(thresholds),
        ).label("bucket")
        counts = [0] * (len(thresholds) + 1)
        with self._db.read() as session:
            for index, count in session.execute(
                select(bucket, func.count()).select_from(waiting).group_by(bucket)
            ):
                counts[int(index)] += count
        return counts

    def words_filed_per_day(
        self, since: datetime, utc_offset: int = 0
    ) -> list[tuple[date, int, int]]:
        """(local day, words, articles) of articles first submitted since `since`.

        Days are cut `utc_offset` seconds east of UTC; words are the articles' counts now.
        """
        filed = (
            select(_first_submitted().label("filed"), ArticleRow.word_count)
            .where(*_filed_since(as_naive(since)))
            .subquery()
        )
        day = self._local_day(filed.c.filed, utc_offset).label("day")
        statement = (
            select(day, func.sum(filed.c.word_count), func.count())
            .select_from(filed)
            .group_by(day)
            .order_by(day)
        )
        with self._db.read() as session:
            return [
                (_as_date(value), int(words or 0), count)
                for value, words, count in session.execute(statement)
            ]

    def _local_day(self, moment: ColumnElement, utc_offset: int) -> ColumnElement:
        if self._db.dialect == "sqlite":
            return func.date(moment, f"{utc_offset:+d} seconds")
        return func.date(moment + literal(timedelta(seconds=utc_offset)))

    def dashboard_articles(
        self,
        *,
        status: str | None = None,
        section: str | None = None,
        submitted_after: datetime | None = None,
        submitted_before: datetime | None = None,
        filed_on: date | None = None,
        utc_offset: int = 0,
        limit: int = 500,
    ) -> list[ArticleSummary]:
        """The live articles behind one bar of the dashboard, most recently changed first.

        `section` "" means articles without a section; the submitted bounds select articles
        waiting for review by when they went in; `filed_on` those first submitted that day.
        """
        filters: list[ColumnElement[bool]] = [_live()]
        if status is not None:
            filters.append(ArticleRow.status == status)
        if section is not None:
            filters.append(
                or_(ArticleRow.section == "", ArticleRow.section.is_(None))
                if section == ""
                else func.lower(ArticleRow.section) == section.lower()
            )
        if submitted_after is not None or submitted_before is not None:
            filters.append(ArticleRow.status == _SUBMITTED)
            since = _waiting_since()
            if submitted_after is not None:
                filters.append(since >= as_naive(submitted_after))
            if submitted_before is not None:
                filters.append(since < as_naive(submitted_before))
        if filed_on is not None:
            start = datetime.combine(filed_on, datetime.min.time()) - timedelta(seconds=utc_offset)
            filters.extend(_filed_since(start))
            filters.append(_first_submitted() < start + timedelta(days=1))
        statement = (
            select(*SUMMARY_COLUMNS)
            .where(and_(*filters))
            .order_by(ArticleRow.updated_at.desc(), ArticleRow.id.desc())
            .limit(limit)
        )
        with self._db.read() as session:
            return [summary_from_row(r) for r in session.execute(statement)]


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
