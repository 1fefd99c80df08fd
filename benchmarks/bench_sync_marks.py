"""A nothing-to-do sync and a one-article sync against a big shared desk (issue 16).

Builds (or, with --reuse, takes again) a PostgreSQL desk of `--articles` articles and a
laptop that has synced them all, then times `--repeat` syncs with nothing to do and
`--repeat` syncs after one save on the desk (one article down), and counts the rows each
kind of sync fetches from both stores (SQLAlchemy's cursor results, summed). With
`--keep` the desk schema and the laptop file stay, so the same stores can be measured
again by another version of the code (`--reuse SCHEMA LAPTOP`: the newer code upgrades
them on open). Usage:

    .venv/bin/python benchmarks/bench_sync_marks.py --postgres URL [--articles N]
        [--repeat N] [--keep | --reuse SCHEMA LAPTOP]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from editor.services.newsroom import Newsroom
from editor.services.syncing import sync_with

_FETCHED = [0]


@event.listens_for(Engine, "after_cursor_execute")
def _count(conn, cursor, statement, parameters, context, executemany) -> None:
    # psycopg gives a SELECT's row count (sqlite3 does not): the rows read from the desk.
    if cursor.description is not None and conn.dialect.name == "postgresql":
        _FETCHED[0] += max(cursor.rowcount or 0, 0)


def body(n: int) -> str:
    return "\n\n".join(f"Paragraph {p} of story {n}: the council met on Tuesday." for p in range(4))


def build(url: str, laptop_path: Path, articles: int) -> None:
    desk = Newsroom.init(url, "ada")
    try:
        desk.add_user("rita", "reporter")
        desk.switch_user("rita")
        for n in range(articles):
            desk.create_article(f"Story {n}", body(n), section="News")
    finally:
        desk.close()
    laptop = Newsroom.open(laptop_path, bootstrap=False, reader=True)
    try:
        sync_with(laptop, url)
    finally:
        laptop.close()


def measure(url: str, laptop_path: Path, repeat: int) -> None:
    laptop = Newsroom.open(laptop_path, bootstrap=False, reader=True)
    desk = Newsroom.open(url, "rita")
    try:
        upgrade = time.perf_counter()
        sync_with(laptop, url)  # after an upgrade, the first sync is a full one
        upgrade = time.perf_counter() - upgrade
        idle, idle_rows, one, one_rows = [], [], [], []
        target = desk.list_articles()[0].id
        for step in range(repeat):
            _FETCHED[0] = 0
            moment = time.perf_counter()
            report = sync_with(laptop, url)
            idle.append(time.perf_counter() - moment)
            idle_rows.append(_FETCHED[0])
            if report.changed:
                raise SystemExit("a sync with nothing to do changed something")
            current = desk.get_article(target)
            desk.save_article(
                target, expected_version=current.version, body=current.body + f" Step {step}."
            )
            _FETCHED[0] = 0
            moment = time.perf_counter()
            report = sync_with(laptop, url)
            one.append(time.perf_counter() - moment)
            one_rows.append(_FETCHED[0])
            if report.down != [target]:
                raise SystemExit(f"the one-article sync moved {report.down} down")
        print(f"first sync on these stores with this code: {upgrade:.2f} s")
        for label, seconds, rows in (
            ("nothing to do", idle, idle_rows),
            ("one article down", one, one_rows),
        ):
            print(
                f"{label}, {len(seconds)} times: best {min(seconds):.3f} s, median "
                f"{statistics.median(seconds):.3f} s; desk rows fetched "
                f"{statistics.median(rows):.0f}"
            )
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        desk.close()
        laptop.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", required=True)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", nargs=2, metavar=("SCHEMA", "LAPTOP"))
    args = parser.parse_args()
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    if args.reuse:
        schema, laptop_path = args.reuse[0], Path(args.reuse[1])
    else:
        schema = f"bench_marks_{uuid.uuid4().hex[:8]}"
        laptop_path = Path(tempfile.mkdtemp(prefix="bench-marks-")) / "laptop.db"
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{args.postgres}?options=-csearch_path%3D{schema}"
    try:
        if not args.reuse:
            started = time.perf_counter()
            build(url, laptop_path, args.articles)
            print(f"built {args.articles} articles in {time.perf_counter() - started:.0f} s")
        measure(url, laptop_path, args.repeat)
        if args.keep or args.reuse:
            print(f"kept: --reuse {schema} {laptop_path}")
    finally:
        if not (args.keep or args.reuse):
            with admin.connect() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
