"""The desk dashboard's numbers: articles per status per section, review ageing, words filed.

The store answers with a few GROUP BY queries (see `editor.store.dashboard`), so the
dashboard of a 100,000-article store costs tens of milliseconds. A `DeskSelection`
names one bar of a chart; `desk_articles` lists the articles behind it, so clicking a
bar can open them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from editor.core.model import ArticleSummary, Status

if TYPE_CHECKING:  # for type checkers only
    from editor.services.seat import Seat

HOUR = 3600
DAY = 24 * HOUR

#: Ageing of articles waiting for review: (label, from seconds, to seconds or None).
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0–1 h", 0, HOUR),
    ("1–4 h", HOUR, 4 * HOUR),
    ("4–24 h", 4 * HOUR, DAY),
    ("1–3 days", DAY, 3 * DAY),
    ("3+ days", 3 * DAY, None),
)

#: The days of "words filed per day" (four weeks).
FILED_DAYS = 28

#: The statuses in the order the stacked bars show them (the workflow's order).
STATUS_ORDER: tuple[Status, ...] = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.CHANGES_REQUESTED,
    Status.APPROVED,
    Status.PUBLISHED,
    Status.CORRECTED,
    Status.SPIKED,
)

#: Statuses where work is finished: the archive, which dwarfs the work in progress.
DONE_STATUSES = frozenset({Status.PUBLISHED, Status.CORRECTED, Status.SPIKED})

#: How an article without a section is shown (and asked for: `DeskSelection.section`).
NO_SECTION = ""


@dataclass(frozen=True, slots=True)
class AgeBucket:
    label: str
    #: Submitted between these moments (aware UTC); `oldest` None: no lower limit.
    oldest: datetime | None
    newest: datetime
    count: int


@dataclass(frozen=True, slots=True)
class FiledDay:
    """Articles first submitted on `day` (local) and their words (as they stand now)."""

    day: date
    words: int
    articles: int


@dataclass(frozen=True, slots=True)
class DeskStats:
    """Everything the dashboard draws, computed at `generated_at`."""

    generated_at: datetime
    #: Sections in the order shown (busiest first); NO_SECTION for articles without one.
    sections: list[str]
    #: (section, status) -> live articles.
    counts: dict[tuple[str, Status], int]
    ageing: list[AgeBucket]
    filed: list[FiledDay]
    #: Seconds east of UTC of the local time the days were cut in.
    utc_offset: int = 0

    def count(self, section: str, status: Status) -> int:
        return self.counts.get((section, status), 0)

    def statuses(self) -> list[Status]:
        """The statuses that have at least one article, in workflow order."""
        present = {status for _section, status in self.counts}
        return [s for s in STATUS_ORDER if s in present]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def waiting(self) -> int:
        return sum(bucket.count for bucket in self.ageing)

    @property
    def words_filed(self) -> int:
        return sum(day.words for day in self.filed)


@dataclass(frozen=True, slots=True)
class DeskSelection:
    """One bar of the dashboard: the articles behind it (any combination of the fields)."""

    title: str
    status: Status | None = None
    #: None: any section; NO_SECTION: articles without one.
    section: str | None = None
    #: Waiting for review, submitted in [submitted_after, submitted_before).
    submitted_after: datetime | None = None
    submitted_before: datetime | None = None
    #: First submitted on this local day (days cut at `utc_offset` seconds east of UTC).
    filed_on: date | None = None
    utc_offset: int = 0


def local_offset(zone: tzinfo | None, moment: datetime) -> int:
    """Seconds east of UTC of `zone` (the machine's when None) at `moment`."""
    local = moment.astimezone(zone) if zone is not None else moment.astimezone()
    offset = local.utcoffset()
    return int(offset.total_seconds()) if offset else 0


class DashboardService:
    """`newsroom.dashboard`: the desk dashboard's numbers, from the seat's store."""

    def __init__(self, seat: Seat) -> None:
        self._seat = seat

    def desk_stats(
        self, now: datetime | None = None, zone: tzinfo | None = None, days: int = FILED_DAYS
    ) -> DeskStats:
        """The dashboard's numbers now (or at `now`): see `DeskStats`.

        Days are cut in `zone` (default: the machine's local time).
        """
        now = (now or datetime.now(UTC)).astimezone(UTC)
        offset = local_offset(zone, now)
        raw = self._seat.store.dashboard.status_section_counts()
        counts: dict[tuple[str, Status], int] = {}
        totals: dict[str, int] = {}
        for section, status, count in raw:
            try:
                key = (section or NO_SECTION, Status(status))
            except ValueError:
                continue  # a status this version does not know: not drawn
            counts[key] = counts.get(key, 0) + count
            totals[key[0]] = totals.get(key[0], 0) + count
        sections = sorted(totals, key=lambda s: (-totals[s], s == NO_SECTION, s.lower()))

        edges = [now - timedelta(seconds=low) for _label, low, _high in AGE_BUCKETS]
        bucket_counts = self._seat.store.dashboard.waiting_age_counts(edges[1:])
        ageing = []
        for index, (label, _low, high) in enumerate(AGE_BUCKETS):
            oldest = now - timedelta(seconds=high) if high is not None else None
            ageing.append(AgeBucket(label, oldest, edges[index], bucket_counts[index]))

        today = (now + timedelta(seconds=offset)).date()
        first = today - timedelta(days=days - 1)
        since = datetime.combine(first, datetime.min.time(), UTC) - timedelta(seconds=offset)
        per_day = {
            day: (words, n)
            for day, words, n in self._seat.store.dashboard.words_filed_per_day(since, offset)
        }
        filed = [
            FiledDay(day, *per_day.get(day, (0, 0)))
            for day in (first + timedelta(days=i) for i in range(days))
        ]
        return DeskStats(now, sections, counts, ageing, filed, offset)

    def desk_articles(self, selection: DeskSelection, limit: int = 500) -> list[ArticleSummary]:
        """The live articles behind one bar of the dashboard, most recently changed first."""
        return self._seat.store.dashboard.dashboard_articles(
            status=selection.status.value if selection.status else None,
            section=selection.section,
            submitted_after=selection.submitted_after,
            submitted_before=selection.submitted_before,
            filed_on=selection.filed_on,
            utc_offset=selection.utc_offset,
            limit=limit,
        )
