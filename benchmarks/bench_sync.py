"""Sync after a week offline: 200 articles changed on each side, half of them on both.

Builds a desk store (SQLite file, or PostgreSQL with --postgres URL) of `--articles`
articles with a little history, copies it to a laptop by a first sync, then makes a
week's work on each side through the real service API: on the laptop, three saves to
each of 200 articles; on the desk, three saves to each of 200 articles, 100 of them the
same as the laptop's (in other paragraphs, so they merge cleanly, and 10 in the same
paragraph, so they conflict), plus a comment on each. Times the one sync that follows,
then syncs with nothing to do (`--repeat` of them: the best and the median; each laptop
keeps a watermark per desk, so these read counts, not history), and how long opening the
desk takes of that. `--as-login` makes the desk's laptop sync with a reporter's own
PostgreSQL login (through the receiver of migration 0007) instead of the owner's.
`--profile FILE` writes cProfile stats of one nothing-to-do sync. Usage:

    .venv/bin/python benchmarks/bench_sync.py [--articles N] [--postgres URL [--as-login]]
        [--repeat N] [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from editor.services.newsroom import Newsroom
from editor.services.syncing import sync_with
from editor.store import sync as sync_module
from editor.store.store import Store

CHANGED = 200
OVERLAP = 100
CONFLICTING = 10


def body(n: int) -> str:
    return "\n\n".join(
        f"Paragraph {p} of story {n}: the council met on Tuesday to discuss the river "
        "defences, the budget and the new school, and the minister said the plans stand."
        for p in range(8)
    )


class _NoWatermarks(sync_module._Watermarks):
    """The sync as it was before the watermarks (every article's history compared)."""

    def __init__(self, *sides) -> None:
        super().__init__(*sides)
        self.usable = False


def nothing_to_do(laptop: Newsroom, url: str, repeat: int, *, marks: bool) -> list[float]:
    """Seconds of `repeat` syncs with nothing to do, with or without the watermarks."""
    kept = sync_module._Watermarks
    sync_module._Watermarks = kept if marks else _NoWatermarks
    try:
        times = []
        for _ in range(max(1, repeat)):
            moment = time.perf_counter()
            if sync_with(laptop, url).changed:
                raise SystemExit("a sync with nothing to do changed something")
            times.append(time.perf_counter() - moment)
        return times
    finally:
        sync_module._Watermarks = kept


def save(room: Newsroom, article_id: str, old: str, new: str) -> None:
    current = room.get_article(article_id)
    room.save_article(
        article_id, expected_version=current.version, body=current.body.replace(old, new, 1)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--postgres", metavar="URL", help="desk on PostgreSQL (a fresh schema)")
    parser.add_argument(
        "--as-login", action="store_true", help="sync with rita's own login (PostgreSQL)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="nothing-to-do syncs to time")
    parser.add_argument("--profile", metavar="FILE", help="cProfile one nothing-to-do sync")
    args = parser.parse_args()
    if args.as_login and not args.postgres:
        parser.error("--as-login needs --postgres URL")
    folder = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    schema = None
    login = None
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
        if args.as_login:
            login = f"bench_{uuid.uuid4().hex[:8]}_rita"
            desk.add_user("rita", "reporter", login=login)
            desk.add_user("ed", "editor", login=f"{login}_ed")
            sync_url = make_url(desk_url).set(username=login).render_as_string(False)
        else:
            desk.add_user("rita", "reporter")
            desk.add_user("ed", "editor")
            sync_url = desk_url
        desk.switch_user("rita")
        ids = [
            desk.create_article(f"Story {n}", body(n), section="News").id
            for n in range(args.articles)
        ]
        laptop = Newsroom.open(folder / "laptop.db", bootstrap=False, reader=True)
        first = time.perf_counter()
        sync_with(laptop, sync_url)
        first = time.perf_counter() - first
        laptop.switch_user("rita")
        offline = ids[:CHANGED]
        office = ids[CHANGED - OVERLAP : 2 * CHANGED - OVERLAP]
        for n, article_id in enumerate(offline):
            for step in range(3):
                save(laptop, article_id, f"Paragraph {step} ", f"Paragraph {step} (laptop) ")
            _ = n
        if not args.as_login:
            desk.switch_user("rita")
        both = set(offline) & set(office)
        for n, article_id in enumerate(office):
            clash = article_id in both and n < CONFLICTING
            for step in range(3):
                paragraph = step if clash else 5 + step
                save(desk, article_id, f"Paragraph {paragraph} ", f"Paragraph {paragraph} (desk) ")
            if args.as_login:  # the owner's session: comments in its admin's name
                desk.add_comment(article_id, "council", 30, body="Which council?")
                continue
            desk.switch_user("ed")
            desk.add_comment(article_id, "council", 30, body="Which council?")
            desk.switch_user("rita")
        built = time.perf_counter() - started
        moment = time.perf_counter()
        report = sync_with(laptop, sync_url)
        elapsed = time.perf_counter() - moment
        times = nothing_to_do(laptop, sync_url, args.repeat, marks=True)
        without = nothing_to_do(laptop, sync_url, args.repeat, marks=False)
        opening = time.perf_counter()
        Store.open(sync_url).close()
        opening = time.perf_counter() - opening
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(sync_with, laptop, sync_url)
            profile.dump_stats(args.profile)
        engine = "PostgreSQL" if args.postgres else "SQLite"
        if args.as_login:
            engine += " (as rita's own login)"
        print(f"desk on {engine}, {args.articles} articles (built in {built:.0f} s)")
        print(f"first sync (empty laptop gets everything): {first:.2f} s")
        print(
            f"sync after a week offline: {elapsed:.2f} s; {len(report.up)} up, "
            f"{len(report.down)} down, {len(report.merged)} merged, "
            f"{len(report.conflicts)} with conflicts, {len(report.refused)} refused"
        )
        for label, seconds in (("with watermarks", times), ("without (before)", without)):
            print(
                f"sync with nothing to do, {label}, {len(seconds)} times: first "
                f"{seconds[0]:.2f} s, best {min(seconds):.2f} s, median "
                f"{statistics.median(seconds):.2f} s"
            )
        print(f"of which opening the desk: {opening:.2f} s")
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        laptop.close()
        desk.close()
    finally:
        if schema:
            with admin.connect() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
                for role in (login, f"{login}_ed") if login else ():
                    connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
            admin.dispose()


if __name__ == "__main__":
    main()
