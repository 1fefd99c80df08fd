"""What the desk watch costs each tick, and how fast news travels (SQLite and PostgreSQL).

- SQLite: one `PRAGMA data_version` (the check every tick) against the full look the
  watch makes only when it moved (the 50 newest articles, the count, the live presence),
  on a store of N articles (built once by bulk insert, cached in /tmp).
- PostgreSQL: the full look on a fresh schema of N articles, and the delay from another
  connection's commit to a `LISTEN`ing connection hearing of it (`PostgresListener`).

    .venv/bin/python benchmarks/bench_desk_watch.py [--articles N] [--pg-articles N]
                                                    [--url POSTGRES_URL] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dashboard import build

from editor.core.model import ArticleQuery
from editor.services.newsroom import Newsroom
from editor.store.store import Store

NEWEST = ArticleQuery(sort_key="updated_at", descending=True)


def timed(label: str, action, repeat: int) -> float:
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    print(f"{label:<44} median {median:8.3f} ms  (min {min(times):.3f}, max {max(times):.3f})")
    return median


def full_look(room: Newsroom):
    return lambda: (
        room.list_articles(NEWEST, limit=50),
        room.count_articles(),
        room.presence.current(),
    )


def sqlite_part(count: int, rebuild: bool) -> None:
    path = Path(f"/tmp/newsroom-bench-desk-watch-{count}.db")
    if rebuild and path.exists():
        path.unlink()
    fresh = not path.exists()
    store = Store.open(path)
    if fresh:
        build(store, count)
    room = Newsroom(store, store.list_users()[0])
    counter = room.presence.change_feed()
    print(f"SQLite, {count} articles")
    timed("tick: PRAGMA data_version (nothing moved)", counter.moved, 2000)
    timed("full look (50 newest + count + presence)", full_look(room), 30)
    counter.close()
    store.close()


def postgres_part(url: str, count: int) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    schema = f"nr_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    location = f"{url}?options=-csearch_path%3D{schema}"
    try:
        store = Store.open(location)
        build(store, count)
        room = Newsroom(store, store.list_users()[0])
        other = Newsroom(Store.open(location), room.user)
        print(f"PostgreSQL, {count} articles")
        timed("full look (50 newest + count + presence)", full_look(room), 30)
        listener = room.presence.change_feed()
        listener.wait(0.2)
        after_commit, whole = [], []
        for i in range(30):
            started = time.perf_counter()
            other.create_article(f"News {i}", "Body.")
            committed = time.perf_counter()
            heard: set[str] = set()
            while "articles" not in heard:
                heard |= listener.wait(5)
            arrived = time.perf_counter()
            after_commit.append((arrived - committed) * 1000)
            whole.append((arrived - started) * 1000)
        for label, times in (
            ("NOTIFY: commit -> listener heard", after_commit),
            ("NOTIFY: create_article call -> heard", whole),
        ):
            median = statistics.median(times)
            print(f"{label:<44} median {median:8.3f} ms  (max {max(times):.3f})")
        listener.close()
        other.close()
        store.close()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--pg-articles", type=int, default=20_000)
    parser.add_argument(
        "--url",
        default=os.environ.get(
            "NEWSROOM_TEST_POSTGRES", "postgresql+psycopg://root@127.0.0.1/test"
        ),
    )
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()}")
    sqlite_part(args.articles, args.rebuild)
    postgres_part(args.url, args.pg_articles)
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
