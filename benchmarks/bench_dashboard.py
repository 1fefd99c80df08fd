"""The desk dashboard's aggregate queries on a large store (SQLite, or PostgreSQL by URL).

Builds (once, cached in /tmp for SQLite) a store of N articles with a newsroom's history
by bulk insert: three years of archive (published or spiked, ~3 events each) and the last
two weeks' articles in every state, then times `Newsroom.desk_stats()` and drill-downs. Usage:

    .venv/bin/python benchmarks/bench_dashboard.py [--articles N] [--url URL] [--rebuild]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from editor.core.model import Role, Status
from editor.services.dashboard import DeskSelection
from editor.services.newsroom import Newsroom
from editor.store.models import ArticleRow, EventRow
from editor.store.store import Store

SECTIONS = ["World", "Local", "Sport", "Business", "Culture", "Opinion", ""]
#: Where articles end up, with the events that brought them there.
FATES = [
    (Status.DRAFT, []),
    (Status.SUBMITTED, ["submit"]),
    (Status.CHANGES_REQUESTED, ["submit", "return"]),
    (Status.SUBMITTED, ["submit", "return", "submit"]),
    (Status.APPROVED, ["submit", "approve"]),
    (Status.PUBLISHED, ["submit", "approve", "publish"]),
    (Status.PUBLISHED, ["submit", "approve", "publish"]),
    (Status.SPIKED, ["spike"]),
]
_TO = {
    "submit": "submitted",
    "return": "changes_requested",
    "approve": "approved",
    "publish": "published",
    "spike": "spiked",
}


def build(store: Store, count: int) -> None:
    user = store.add_user("bench", Role.EDITOR)
    rng = random.Random(11)
    now = datetime.now(UTC).replace(tzinfo=None)
    started = time.perf_counter()
    for batch in range(0, count, 5000):
        articles, events = [], []
        for i in range(batch, min(count, batch + 5000)):
            age = rng.randint(0, 3 * 365 * 86400)
            if age < 14 * 86400:
                status, actions = rng.choice(FATES)
            else:
                status, actions = FATES[5] if rng.random() < 0.9 else FATES[7]
            created = now - timedelta(seconds=age)
            article_id = str(uuid.uuid4())
            moment = created
            for action in actions:
                moment = min(now, moment + timedelta(seconds=rng.randint(60, 30 * 3600)))
                events.append(
                    {
                        "id": str(uuid.uuid4()),
                        "article_id": article_id,
                        "actor_id": user.id,
                        "created_at": moment,
                        "action": action,
                        "from_status": None,
                        "to_status": _TO[action],
                        "note": "",
                    }
                )
            articles.append(
                {
                    "id": article_id,
                    "headline": f"Story {i}",
                    "slug": f"story-{i}",
                    "section": rng.choice(SECTIONS),
                    "status": status.value,
                    "word_count": rng.randint(150, 1500),
                    "created_by": user.id,
                    "created_at": created,
                    "updated_at": moment,
                    "tags": [],
                    "deleted_at": now if rng.random() < 0.01 else None,
                }
            )
        with store.db.write() as session:
            session.execute(insert(ArticleRow), articles)
            if events:
                session.execute(insert(EventRow), events)
    print(f"  built {count} articles in {time.perf_counter() - started:.1f}s", flush=True)


def timed(label: str, action, repeat: int = 9) -> float:
    action()  # warm the caches once, as a dashboard opened twice would
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    print(f"{label:<38} median {median:7.1f} ms   (min {min(times):.1f}, max {max(times):.1f})")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--url", help="a SQLAlchemy URL of an empty store (PostgreSQL)")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    location: str | Path = args.url or Path(f"/tmp/newsroom-bench-dashboard-v2-{args.articles}.db")
    if isinstance(location, Path) and args.rebuild and location.exists():
        location.unlink()
    fresh = args.url is not None or not Path(location).exists()
    store = Store.open(location)
    if fresh:
        build(store, args.articles)
    room = Newsroom(store, store.list_users()[0])
    print(f"{args.articles} articles, {store.db.dialect}")
    timed("status x section counts", store.dashboard.status_section_counts)
    stats = room.desk_stats()
    thresholds = [b.newest for b in stats.ageing[1:]]
    timed("ageing of waiting articles", lambda: store.dashboard.waiting_age_counts(thresholds))
    since = datetime.now(UTC) - timedelta(days=28)
    timed("words filed per day (28 days)", lambda: store.dashboard.words_filed_per_day(since, 0))
    timed("desk_stats() (all three)", room.desk_stats)
    bar = DeskSelection("World submitted", Status.SUBMITTED, "World")
    timed("drill-down: World / submitted", lambda: room.desk_articles(bar))
    day = stats.filed[-3]
    pick = DeskSelection("a day", filed_on=day.day, utc_offset=stats.utc_offset)
    timed("drill-down: filed on one day", lambda: room.desk_articles(pick))
    store.close()


if __name__ == "__main__":
    main()
