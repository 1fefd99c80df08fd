"""The cost of checking and backing up a big store: quick_check, integrity_check, backup.

Builds (once, cached in /tmp) a store of N articles (default 100,000) of ~800 words
with bulk inserts (articles, one revision and one event each, full-text index rebuilt
at the end), then times what opening and backing up a store costs:

- `PRAGMA quick_check` (what `editor.store.integrity` runs on open: before it for a
  store up to 64 MiB, on a thread after it for a bigger one),
- `structure_check` (the fast look a big store gets before it opens),
- `Store.open` of the big store,
- `PRAGMA integrity_check` (what a backup runs on the copy it wrote),
- `editor.store.backup.backup_sqlite` (online backup API + integrity_check of the copy).

Usage: .venv/bin/python benchmarks/bench_integrity.py [--articles N] [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import time
import uuid
from pathlib import Path

from editor.store import backup, integrity
from editor.store.search import fts5_rebuild
from editor.store.store import Store

WORDS = (
    "council flood defences river homes minister budget election harbour police court "
    "energy battery plant jobs school hospital rail strike weather storm market shares "
    "league striker header stadium festival museum theatre drought harvest farmers"
).split()


def build(path: Path, count: int) -> None:
    """A real store (made by the migrations), then articles inserted in bulk."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store.open(path)
    user = store.add_user("bench", _reporter())
    store.close()
    rng = random.Random(7)
    syllables = "ba ke ri to mu sa le po vi na dor tan mel gri fos lun hap ser".split()
    words = WORDS + [
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(5000)
    ]
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    now = "2026-12-01 12:00:00.000000"
    started = time.perf_counter()
    batch = 5000
    for start in range(0, count, batch):
        articles, revisions, events = [], [], []
        for i in range(start, min(start + batch, count)):
            article_id, revision_id = str(uuid.uuid4()), str(uuid.uuid4())
            body = "\n\n".join(
                " ".join(rng.choices(words, k=100)).capitalize() + "." for _ in range(8)
            )
            headline = " ".join(rng.choices(words, k=7)).capitalize() + f" {i}"
            meta = json.dumps({"headline": headline, "slug": f"story-{i}"})
            articles.append(
                (
                    article_id,
                    headline,
                    f"story-{i}",
                    rng.choice(["World", "Local"]),
                    800,
                    revision_id,
                    user.id,
                    now,
                    now,
                    i + 1,
                )
            )
            revisions.append((revision_id, article_id, user.id, now, "save", body, meta))
            events.append((str(uuid.uuid4()), article_id, user.id, now, "create", "draft"))
        with db:
            db.executemany(
                "INSERT INTO articles (id, headline, slug, section, word_count, "
                "head_revision_id, created_by, created_at, updated_at, search_rowid, tags) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]')",
                articles,
            )
            db.executemany(
                "INSERT INTO revisions (id, article_id, author_id, created_at, reason, body, "
                "metadata) VALUES (?, ?, ?, ?, ?, ?, ?)",
                revisions,
            )
            db.executemany(
                "INSERT INTO events (id, article_id, actor_id, created_at, action, to_status) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                events,
            )
        print(f"  {start + batch} articles ({time.perf_counter() - started:.0f} s)", flush=True)
    db.close()
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        fts5_rebuild(connection)
    engine.dispose()
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


def _reporter():
    from editor.core.model import Role

    return Role.REPORTER


def timed(label: str, action) -> float:
    start = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed * 1000:.0f} ms ({result})", flush=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path = Path(f"/tmp/newsroom-bench-integrity-{args.articles}.db")
    if args.rebuild or not path.exists():
        build(path, args.articles)
    size = path.stat().st_size
    print(f"store: {path} {size / 2**20:.0f} MiB, load average {os.getloadavg()}")
    for _ in range(2):  # cold-ish then warm page cache
        timed("quick_check", lambda: integrity.quick_check(path).ok)
    timed(
        "structure_check (what a big store gets before it opens)",
        lambda: integrity.structure_check(path).ok,
    )
    os.environ["NEWSROOM_BACKUP_KEEP"] = "0"  # the open itself, without the daily backup
    timed("Store.open + close", lambda: Store.open(path).close())
    timed("integrity_check", lambda: integrity.integrity_check(path).ok)
    out = Path("/tmp/newsroom-bench-integrity-backup.db")
    out.unlink(missing_ok=True)
    timed("backup + integrity_check of the copy", lambda: backup.backup_sqlite(path, out).name)
    out.unlink(missing_ok=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
