"""Static site export at newsroom scale: full export, then re-export after one change.

Builds (once, cached in /tmp) a store of 10,000 published articles of ~800 words with a
fast bulk insert (SQLAlchemy core, not `create_article` one by one), then times:

1. a full export into an empty folder (all pages rendered, both cores);
2. a re-export with nothing changed;
3. a re-export after changing one article (its body and version, as a correction does).

Targets (issue 4): >= 600 articles/s for the full export on 2 cores; < 2 s for (3).
Usage:

    .venv/bin/python benchmarks/bench_export.py [--articles N] [--rebuild] [--record]

`--record` appends the figures to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, update

from editor.core.site import ExportOptions, export_site
from editor.services.newsroom import Newsroom
from editor.store.models import ArticleRow, RevisionRow, UserRow

SECTIONS = ("World", "Politics", "Business", "Local", "Sport", "Culture", "Science")
WORDS = (
    "council flood defences river homes minister budget election harbour police court "
    "energy battery plant jobs school hospital rail strike weather storm market shares "
    "league striker header stadium festival museum theatre drought harvest farmers the a of "
    "and to in said on for with was that at by from it as its have has were will would"
).split()


def body(rng: random.Random, words: int = 800) -> str:
    """~800 words: paragraphs of 40-80 words, two subheads, a quote, a list and links."""
    paragraphs: list[str] = []
    count = 0
    while count < words:
        n = rng.randint(40, 80)
        text = " ".join(rng.choice(WORDS) for _ in range(n))
        if rng.random() < 0.3:
            text += " [more](https://example.org/story)"
        if rng.random() < 0.2:
            text = "**" + text[:20] + "**" + text[20:]
        paragraphs.append(text.capitalize() + ".")
        count += n
        if len(paragraphs) in (4, 9):
            paragraphs.append("## " + " ".join(rng.choice(WORDS) for _ in range(4)).title())
        if len(paragraphs) == 6:
            paragraphs.append("> " + " ".join(rng.choice(WORDS) for _ in range(15)) + ".")
        if len(paragraphs) == 11:
            paragraphs.append("\n".join("- " + rng.choice(WORDS) for _ in range(4)))
    return "\n\n".join(paragraphs)


def build(path: Path, articles: int) -> None:
    path.unlink(missing_ok=True)
    newsroom = Newsroom.open(path)
    rng = random.Random(4)
    user_id = newsroom.user.id
    start = datetime(2026, 1, 1)
    with newsroom.store.db.write() as session:
        session.execute(select(UserRow.id)).all()
        for first in range(0, articles, 1000):
            article_rows, revision_rows = [], []
            for n in range(first, min(first + 1000, articles)):
                article_id, revision_id = str(uuid.uuid4()), str(uuid.uuid4())
                moment = start + timedelta(minutes=47 * n)
                headline = " ".join(rng.choice(WORDS) for _ in range(7)).capitalize()
                text = body(rng)
                article_rows.append(
                    {
                        "id": article_id,
                        "headline": headline,
                        "standfirst": " ".join(rng.choice(WORDS) for _ in range(20)) + ".",
                        "slug": f"story-{n}",
                        "slug_locked": True,
                        "byline": "Jane Doe",
                        "section": SECTIONS[n % len(SECTIONS)],
                        "tags": ["bench", rng.choice(WORDS)],
                        "dateline": "YORK",
                        "status": "published",
                        "word_count": len(text.split()),
                        "version": 1,
                        "head_revision_id": revision_id,
                        "created_by": user_id,
                        "created_at": moment,
                        "updated_at": moment,
                        "published_at": moment,
                    }
                )
                revision_rows.append(
                    {
                        "id": revision_id,
                        "article_id": article_id,
                        "author_id": user_id,
                        "created_at": moment,
                        "reason": "create",
                        "body": text,
                        "meta": {},
                    }
                )
            session.execute(insert(ArticleRow), article_rows)
            session.execute(insert(RevisionRow), revision_rows)
    newsroom.close()


def change_one(newsroom: Newsroom) -> None:
    with newsroom.store.db.write() as session:
        row = session.execute(select(ArticleRow).limit(1)).scalar_one()
        session.execute(
            update(RevisionRow)
            .where(RevisionRow.id == row.head_revision_id)
            .values(body=f"Changed at {time.time()}.\n\nA corrected paragraph.")
        )
        row.version += 1
        row.updated_at = datetime.now(UTC).replace(tzinfo=None)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--record", action="store_true", help="append to RESULTS.md")
    args = parser.parse_args()
    store = Path(f"/tmp/newsroom-bench-export-{args.articles}.db")
    if args.rebuild or not store.exists():
        started = time.perf_counter()
        build(store, args.articles)
        print(f"built {store} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    out = Path(f"/tmp/newsroom-bench-site-{args.articles}")
    shutil.rmtree(out, ignore_errors=True)
    newsroom = Newsroom.open(store)
    options = ExportOptions(base_url="https://news.example/", site_name="Bench Post")
    try:
        cpu_before = _cpu_seconds()
        load = os.getloadavg()[0]
        full = export_site(newsroom, out, options=options)
        load_after = os.getloadavg()[0]
        rate = full.articles / full.seconds
        cpu = _cpu_seconds() - cpu_before
        cores = os.cpu_count() or 1
        same = export_site(newsroom, out, options=options)
        change_one(newsroom)
        one = export_site(newsroom, out, options=options)
    finally:
        newsroom.close()
    lines = [
        f"- full export: {full.articles} articles, {len(full.written)} files in "
        f"{full.seconds:.2f} s = **{rate:.0f} articles/s** wall (target >= 600); load average "
        f"{load:.1f} when it started, {load_after:.1f} when it ended, on {cores} cores",
        f"- full export CPU time (parent + render processes): {cpu:.1f} s = "
        f"{cpu / full.articles * 1000:.2f} ms per article, i.e. **{full.articles / cpu * cores:.0f}"
        f" articles/s** on {cores} otherwise idle cores",
        f"- re-export, nothing changed: {same.seconds:.2f} s ({same.unchanged} unchanged)",
        f"- re-export after changing one article: **{one.seconds:.2f} s** "
        f"({len(one.written)} files written: {', '.join(one.written)}; target < 2 s)",
    ]
    print("\n".join(lines))
    if args.record:
        results = Path(__file__).with_name("RESULTS.md")
        with results.open("a", encoding="utf-8") as handle:
            handle.write(
                f"\n## Static site export — `benchmarks/bench_export.py` "
                f"({datetime.now().date()})\n\n"
                f"{args.articles:,} published articles of ~800 words (bulk-inserted store), "
                f"{os.cpu_count()} cores, Python {platform.python_version()}, a spawn process "
                "pool rendering while the parent reads bodies in batches of 250; simple "
                "paragraphs, subheads, quotes and lists rendered by editor/core/fastbody.py. "
                "Shared machine: other work was running.\n\n" + "\n".join(lines) + "\n"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
