"""Sync after a week offline: 200 articles changed on each side, half of them on both.

Builds a desk store (SQLite file, or PostgreSQL with --postgres URL) of `--articles`
articles with a little history, copies it to a laptop by a first sync, then makes a
week's work on each side through the real service API: on the laptop, three saves to
each of 200 articles; on the desk, three saves to each of 200 articles, 100 of them the
same as the laptop's (in other paragraphs, so they merge cleanly, and 10 in the same
paragraph, so they conflict), plus a comment on each. Times the one sync that follows,
then a second sync (nothing to do). Usage:

    .venv/bin/python benchmarks/bench_sync.py [--articles N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from editor.services.newsroom import Newsroom
from editor.services.syncing import sync_with

CHANGED = 200
OVERLAP = 100
CONFLICTING = 10


def body(n: int) -> str:
    return "\n\n".join(
        f"Paragraph {p} of story {n}: the council met on Tuesday to discuss the river "
        "defences, the budget and the new school, and the minister said the plans stand."
        for p in range(8)
    )


def save(room: Newsroom, article_id: str, old: str, new: str) -> None:
    current = room.get_article(article_id)
    room.save_article(
        article_id, expected_version=current.version, body=current.body.replace(old, new, 1)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--postgres", metavar="URL", help="desk on PostgreSQL (a fresh schema)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    schema = None
    if args.postgres:
        schema = f"bench_sync_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        desk_url = f"{args.postgres}?options=-csearch_path%3D{schema}"
    else:
        desk_url = str(folder / "desk.db")
    try:
        started = time.perf_counter()
        desk = Newsroom.init(desk_url, "ada")
        desk.add_user("rita", "reporter")
        desk.add_user("ed", "editor")
        desk.switch_user("rita")
        ids = [
            desk.create_article(f"Story {n}", body(n), section="News").id
            for n in range(args.articles)
        ]
        laptop = Newsroom.open(folder / "laptop.db", bootstrap=False, reader=True)
        first = time.perf_counter()
        sync_with(laptop, desk_url)
        first = time.perf_counter() - first
        laptop.switch_user("rita")
        offline = ids[:CHANGED]
        office = ids[CHANGED - OVERLAP : 2 * CHANGED - OVERLAP]
        for n, article_id in enumerate(offline):
            for step in range(3):
                save(laptop, article_id, f"Paragraph {step} ", f"Paragraph {step} (laptop) ")
            _ = n
        desk.switch_user("rita")
        both = set(offline) & set(office)
        for n, article_id in enumerate(office):
            clash = article_id in both and n < CONFLICTING
            for step in range(3):
                paragraph = step if clash else 5 + step
                save(desk, article_id, f"Paragraph {paragraph} ", f"Paragraph {paragraph} (desk) ")
            desk.switch_user("ed")
            desk.add_comment(article_id, "council", 30, body="Which council?")
            desk.switch_user("rita")
        built = time.perf_counter() - started
        moment = time.perf_counter()
        report = sync_with(laptop, desk_url)
        elapsed = time.perf_counter() - moment
        again = time.perf_counter()
        second = sync_with(laptop, desk_url)
        again = time.perf_counter() - again
        engine = "PostgreSQL" if args.postgres else "SQLite"
        print(f"desk on {engine}, {args.articles} articles (built in {built:.0f} s)")
        print(f"first sync (empty laptop gets everything): {first:.2f} s")
        print(
            f"sync after a week offline: {elapsed:.2f} s; {len(report.up)} up, "
            f"{len(report.down)} down, {len(report.merged)} merged, "
            f"{len(report.conflicts)} with conflicts, {len(report.refused)} refused"
        )
        print(f"second sync (nothing to do): {again:.2f} s, changed: {second.changed}")
        laptop.close()
        desk.close()
    finally:
        if schema:
            with admin.connect() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()


if __name__ == "__main__":
    main()
