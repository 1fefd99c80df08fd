"""The desk dashboard's aggregates, on SQLite and PostgreSQL: counts, ageing, words filed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from editor.core.model import Status
from editor.services.dashboard import AGE_BUCKETS, FILED_DAYS, NO_SECTION, DeskSelection
from editor.services.newsroom import Newsroom
from editor.store.models import EventRow

NOW = datetime(2025, 3, 12, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_copy_desk_errors(monkeypatch):
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])


@pytest.fixture
def rooms(newsroom):
    rita = Newsroom(newsroom.store, newsroom.add_user("Rita", "reporter"))
    ed = Newsroom(newsroom.store, newsroom.add_user("Ed", "editor"))
    return rita, ed


def _words(n: int) -> str:
    return " ".join(["word"] * n)


def _set_event_times(room: Newsroom, article_id: str, moment: datetime) -> None:
    """Move every event of the article to `moment` (the history a newsroom would have)."""
    with room.store.db.write() as session:
        session.execute(
            update(EventRow)
            .where(EventRow.article_id == article_id)
            .values(created_at=moment.astimezone(UTC).replace(tzinfo=None))
        )


def test_counts_per_status_and_section(rooms):
    rita, ed = rooms
    world = [rita.create_article(f"World {i}", _words(10), section="World") for i in range(4)]
    sport = [rita.create_article(f"Sport {i}", _words(10), section="Sport") for i in range(2)]
    rita.create_article("Loose", _words(5))
    for article in [*world, sport[0]]:
        rita.transition(article.id, "submit")
    ed.transition(world[0].id, "approve")
    ed.transition(world[0].id, "publish")
    ed.transition(world[1].id, "return", "More quotes")
    gone = rita.create_article("Deleted", _words(3), section="World")
    rita.delete_article(gone.id)
    # A section with only published articles, spelt two ways: one section.
    for section in ("Culture", "culture"):
        review = rita.create_article(f"Review {section}", _words(10), section=section)
        rita.transition(review.id, "submit")
        ed.transition(review.id, "approve")
        ed.transition(review.id, "publish")

    stats = ed.desk_stats(now=NOW)

    assert [s.lower() for s in stats.sections] == ["world", "culture", "sport", NO_SECTION]
    assert stats.sections[0] == "World"  # busiest first
    culture = stats.sections[1]
    assert stats.count(culture, Status.PUBLISHED) == 2
    assert stats.count("World", Status.PUBLISHED) == 1
    assert stats.count("World", Status.CHANGES_REQUESTED) == 1
    assert stats.count("World", Status.SUBMITTED) == 2
    assert stats.count("Sport", Status.SUBMITTED) == 1
    assert stats.count("Sport", Status.DRAFT) == 1
    assert stats.count(NO_SECTION, Status.DRAFT) == 1
    assert stats.total == 9  # the deleted one is not counted
    assert stats.statuses() == [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.CHANGES_REQUESTED,
        Status.PUBLISHED,
    ]

    behind = ed.desk_articles(DeskSelection("World submitted", Status.SUBMITTED, "World"))
    assert sorted(a.headline for a in behind) == ["World 2", "World 3"]
    reviews = ed.desk_articles(DeskSelection("Culture", Status.PUBLISHED, culture))
    assert len(reviews) == 2
    loose = ed.desk_articles(DeskSelection("No section", Status.DRAFT, NO_SECTION))
    assert [a.headline for a in loose] == ["Loose"]


def test_ageing_of_articles_waiting_for_review(rooms):
    rita, ed = rooms
    ages = {
        "fresh": timedelta(minutes=20),
        "morning": timedelta(hours=2),
        "today": timedelta(hours=9),
        "yesterday": timedelta(days=2),
        "stale": timedelta(days=6),
        "staler": timedelta(days=40),
    }
    ids = {}
    for name, age in ages.items():
        article = rita.create_article(name, _words(10), section="Local")
        rita.transition(article.id, "submit")
        _set_event_times(rita, article.id, NOW - age)
        ids[name] = article.id
    # Returned and resubmitted: the age counts from the resubmission.
    again = rita.create_article("again", _words(10), section="Local")
    rita.transition(again.id, "submit")
    _set_event_times(rita, again.id, NOW - timedelta(days=5))
    ed.transition(again.id, "return", "Fix the intro")
    rita.transition(again.id, "submit")
    with rita.store.db.write() as session:
        session.execute(
            update(EventRow)
            .where(EventRow.article_id == again.id, EventRow.action != "submit")
            .values(created_at=(NOW - timedelta(days=4)).replace(tzinfo=None))
        )
        last = (NOW - timedelta(minutes=5)).replace(tzinfo=None)
        session.execute(
            update(EventRow)
            .where(
                EventRow.article_id == again.id,
                EventRow.action == "submit",
                EventRow.created_at > (NOW - timedelta(days=1)).replace(tzinfo=None),
            )
            .values(created_at=last)
        )
    # Not waiting: a draft and an approved article do not age in the review queue.
    rita.create_article("draft", _words(10))
    done = rita.create_article("done", _words(10))
    rita.transition(done.id, "submit")
    ed.transition(done.id, "approve")
    _set_event_times(rita, done.id, NOW - timedelta(days=9))

    stats = ed.desk_stats(now=NOW)

    assert [b.label for b in stats.ageing] == [label for label, _low, _high in AGE_BUCKETS]
    assert [b.count for b in stats.ageing] == [2, 1, 1, 1, 2]
    assert stats.waiting == 7
    oldest = stats.ageing[-1]
    assert oldest.oldest is None and oldest.newest == NOW - timedelta(days=3)

    def behind(index: int) -> list[str]:
        bucket = stats.ageing[index]
        selection = DeskSelection(
            bucket.label, submitted_after=bucket.oldest, submitted_before=bucket.newest
        )
        return sorted(a.headline for a in ed.desk_articles(selection))

    assert behind(0) == ["again", "fresh"]
    assert behind(3) == ["yesterday"]
    assert behind(4) == ["stale", "staler"]


def test_words_filed_per_day_counts_first_submissions(rooms):
    rita, ed = rooms
    timeline = {
        "monday": (NOW - timedelta(days=2), 120),
        "monday too": (NOW - timedelta(days=2, hours=1), 80),
        "today": (NOW - timedelta(hours=1), 300),
        "last month": (NOW - timedelta(days=45), 999),
    }
    for name, (moment, words) in timeline.items():
        article = rita.create_article(name, _words(words), section="World")
        rita.transition(article.id, "submit")
        _set_event_times(rita, article.id, moment)
    # Returned and filed again today: still counted once, on the day first filed.
    monday = next(a for a in rita.list_articles() if a.headline == "monday")
    ed.transition(monday.id, "return", "Shorter")
    rita.transition(monday.id, "submit")
    rita.create_article("never filed", _words(50))

    stats = ed.desk_stats(now=NOW, zone=UTC)

    assert len(stats.filed) == FILED_DAYS
    assert stats.filed[-1].day == NOW.date()
    by_day = {d.day: (d.words, d.articles) for d in stats.filed if d.articles}
    assert by_day == {
        (NOW - timedelta(days=2)).date(): (200, 2),
        NOW.date(): (300, 1),
    }
    assert stats.words_filed == 500

    selection = DeskSelection("Monday", filed_on=(NOW - timedelta(days=2)).date())
    assert sorted(a.headline for a in ed.desk_articles(selection)) == ["monday", "monday too"]


def test_days_are_cut_in_local_time(rooms):
    rita, ed = rooms
    article = rita.create_article("late", _words(40))
    rita.transition(article.id, "submit")
    # 23:30 UTC on the 10th is already the 11th in a zone two hours east.
    _set_event_times(rita, article.id, datetime(2025, 3, 10, 23, 30, tzinfo=UTC))
    east = timezone(timedelta(hours=2))
    stats = ed.desk_stats(now=NOW, zone=east)
    filed = {d.day.isoformat(): d.words for d in stats.filed if d.words}
    assert filed == {"2025-03-11": 40}
    assert stats.utc_offset == 7200
    selection = DeskSelection("11th", filed_on=stats.filed[-2].day, utc_offset=stats.utc_offset)
    assert [a.headline for a in ed.desk_articles(selection)] == ["late"]
    utc = ed.desk_stats(now=NOW, zone=UTC)
    assert {d.day.isoformat(): d.words for d in utc.filed if d.words} == {"2025-03-10": 40}


def test_an_empty_store_has_an_empty_dashboard(newsroom):
    stats = newsroom.desk_stats(now=NOW)
    assert stats.total == 0 and stats.sections == [] and stats.waiting == 0
    assert [d.words for d in stats.filed] == [0] * FILED_DAYS
