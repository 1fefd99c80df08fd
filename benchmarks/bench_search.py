"""Full-text search on SQLite and PostgreSQL, side by side, on the same articles.

    .venv/bin/python benchmarks/bench_search.py [--articles 100000] [--before]

Builds one store per engine from the same generated articles (bulk inserts, then the
index built the way migration 0003 builds it; PostgreSQL is ANALYZEd as autovacuum
would), then times:

- the first page (200 rows, what the list asks for) of a common word, a word in every
  article, a rare word, a prefix and a phrase: the median of 7 runs after one warm-up,
  through `Store.list_articles`, i.e. with the ranking rule (headline matches first);
- `newsroom list --search WORD --json` for a word in every article, wall time of the
  whole command (start-up included) and the time to its first byte, beside the
  `sqlite3` command running the same match (the pace to keep within 2x);
- the SQLite store's size beside the bodies' own size; with `--before`, also the size
  of the same store built with the index of schema 0002 (FTS5 keeping its own copy).

Bodies are 550-800 words of newsroom prose: paragraphs drawn from the sample stories'
words by frequency (Zipf), with a long tail of generated names. The PostgreSQL server is
the one the tests use (`NEWSROOM_TEST_POSTGRES`); the store is a schema dropped at exit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from editor.core.model import ArticleQuery  # noqa: E402
from editor.store import search  # noqa: E402
from editor.store.store import Store  # noqa: E402

POSTGRES = os.environ.get("NEWSROOM_TEST_POSTGRES", "postgresql+psycopg://root@127.0.0.1/test")
SAMPLES = ROOT / "editor" / "resources" / "samples"
BATCH = 2000

#: name -> query. "every" is a word in every article (the CLI's worst case).
QUERIES = {
    "common word": "plant",
    "very common word": "council",
    "word in every article": "newsroom",
    "rare word": "zorbanek",
    "prefix": "harb",
    "phrase": '"harbour drought"',
}


# -- the articles -------------------------------------------------------------


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    words = Counter()
    for sample in SAMPLES.iterdir():
        words.update(w.lower() for w in re.findall(r"[A-Za-z']+", sample.read_text()))
    ranked = [w for w, _ in words.most_common()]
    syllables = ["ka", "lo", "mar", "ten", "vi", "dor", "sel", "an", "bru", "ith", "ok", "ze"]
    names = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(60_000)}
    ranked += sorted(names - set(ranked))
    weights = [1.0 / (rank + 8) for rank in range(len(ranked))]
    return ranked, weights


def generate(count: int, seed: int = 13) -> list[dict]:
    """`count` articles; the same ones for a given seed."""
    rng = random.Random(seed)
    vocabulary, weights = _vocabulary(rng)
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)

    def sentence(low: int, high: int) -> str:
        chosen = rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(low, high))
        return " ".join(chosen).capitalize()

    def paragraph() -> str:
        return " ".join(sentence(10, 28) + "." for _ in range(rng.randint(3, 5)))

    pool = [paragraph() for _ in range(12_000)]
    people = [f"{a} {b}" for a in ("Ana", "Ben", "Cy", "Dee", "Eli") for b in ("Ruiz", "Okafor")]
    sections = ["News", "Sport", "Business", "World", "Local", "Culture"]
    start = datetime(2026, 1, 1)
    articles = []
    for n in range(count):
        paragraphs = rng.sample(pool, rng.randint(6, 8))
        paragraphs.append(f"Filed to the newsroom by the {rng.choice(sections).lower()} desk.")
        if n % 100 == 7:
            paragraphs.insert(2, "The harbour drought left the quay dry for weeks.")
        if n % 10_000 == 3:
            paragraphs.insert(1, "Mayor Zorbanek said nothing.")
        headline = sentence(5, 9)
        if n % 50 == 1:
            headline = "Harbour council " + headline.lower()
        body = "\n\n".join(paragraphs) + "\n"
        moment = start + timedelta(minutes=n)
        articles.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "headline": headline,
                "standfirst": sentence(14, 24) + ".",
                "slug": f"story-{n}",
                "byline": rng.choice(people),
                "section": rng.choice(sections),
                "tags": [rng.choice(vocabulary[:300]) for _ in range(2)],
                "body": body,
                "word_count": len(body.split()),
                "search_rowid": n + 1,
                "revision_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "at": moment,
            }
        )
    return articles


_ARTICLE_SQL = (
    "INSERT INTO articles (id, headline, standfirst, slug, slug_locked, byline, section, "
    "tags, dateline, status, priority, legal_hold, not_for_publication, word_count, "
    "source_name, version, created_at, updated_at, head_revision_id, search_rowid{extra}) "
    "VALUES (:id, :headline, :standfirst, :slug, false, :byline, :section, :tags_json, '', "
    "'draft', 0, false, false, :word_count, '', 1, :at, :at, :revision_id, :search_rowid"
    "{extra_values})"
)
_REVISION_SQL = (
    "INSERT INTO revisions (id, article_id, created_at, reason, body, metadata) "
    "VALUES (:revision_id, :id, :at, 'create', :body, :meta)"
)


def _rows(articles: list[dict], postgres: bool) -> list[dict]:
    rows = []
    for a in articles:
        meta = {
            "headline": a["headline"],
            "standfirst": a["standfirst"],
            "slug": a["slug"],
            "byline": a["byline"],
            "section": a["section"],
            "tags": a["tags"],
            "dateline": "",
            "story_date": None,
            "status": "draft",
        }
        row = {**a, "tags_json": json.dumps(a["tags"]), "meta": json.dumps(meta)}
        if postgres:
            row.update(
                search.pg_vector_texts(
                    a["headline"], a["standfirst"], a["byline"], a["tags"], a["body"]
                )
            )
        rows.append(row)
    return rows


def load(store: Store, articles: list[dict]) -> float:
    """Bulk-insert the articles and build the index; seconds taken."""
    began = time.perf_counter()
    postgres = store.db.dialect == "postgresql"
    article_sql = _ARTICLE_SQL.format(
        extra=", search_vector" if postgres else "",
        extra_values=f", {search.PG_VECTOR}" if postgres else "",
    )
    with store.db.engine.begin() as connection:
        if postgres:  # psycopg's executemany pipelines the rows: minutes become seconds
            cursor = connection.connection.driver_connection.cursor()
            article_sql, revision_sql = (
                re.sub(r":(\w+)", r"%(\1)s", sql) for sql in (article_sql, _REVISION_SQL)
            )
        for start in range(0, len(articles), BATCH):
            rows = _rows(articles[start : start + BATCH], postgres)
            if postgres:
                cursor.executemany(article_sql, rows)
                cursor.executemany(revision_sql, rows)
            else:
                connection.execute(text(article_sql), rows)
                connection.execute(text(_REVISION_SQL), rows)
        if not postgres:
            search.fts5_rebuild(connection)
    if postgres:
        with store.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("ANALYZE articles")
            c.exec_driver_sql("ANALYZE revisions")
    return time.perf_counter() - began


# -- measuring ---------------------------------------------------------------


def first_page_ms(store: Store, q: str, runs: int = 7) -> tuple[float, float, int]:
    """Median milliseconds for the first page, wall and this process's CPU; the hits."""
    query = ArticleQuery(search=q)
    store.list_articles(query, limit=200)  # warm-up
    hits = store.count_articles(query)
    times, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        store.list_articles(query, limit=200)
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return statistics.median(times), statistics.median(cpu), hits


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_run(location: str, q: str) -> tuple[float, float, float, int]:
    """Wall seconds of `newsroom list --search Q --json`, seconds to its first byte, CPU
    seconds, rows."""
    cpu = _child_cpu()
    command = [sys.executable, "-m", "editor", "--store", location, "list", "--search", q]
    began = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--json"], stdout=subprocess.PIPE, cwd=ROOT, env={**os.environ}
    )
    assert process.stdout is not None
    first = process.stdout.read(1)
    first_byte = time.perf_counter() - began
    rest = process.stdout.read()
    process.wait()
    wall = time.perf_counter() - began
    if process.returncode != 0:
        raise SystemExit(f"newsroom list failed with {process.returncode}")
    return wall, first_byte, _child_cpu() - cpu, len(json.loads(first + rest))


def sqlite3_pace(path: Path, q: str) -> tuple[float, float]:
    """Wall and CPU seconds for the `sqlite3` command to print every hit of the same
    match, sorted."""
    match = search.fts5_expression(search.parse(q))
    sql = (
        "SELECT a.id, a.headline, a.slug, a.status, a.section, a.byline, a.word_count, "
        "a.updated_at FROM articles AS a WHERE a.deleted_at IS NULL AND a.search_rowid IN "
        f"(SELECT rowid FROM articles_fts WHERE articles_fts MATCH '{match}') "
        "ORDER BY a.updated_at DESC, a.id DESC;"
    )
    began, cpu = time.perf_counter(), _child_cpu()
    subprocess.run(["sqlite3", "-json", str(path), sql], stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - began, _child_cpu() - cpu


def sqlite_sizes(path: Path) -> dict[str, float]:
    db = sqlite3.connect(path)
    try:
        mb = 1024 * 1024
        bodies = db.execute("SELECT sum(length(CAST(body AS BLOB))) FROM revisions").fetchone()[0]
        index = db.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'"
        ).fetchone()[0]
        return {
            "file MB": path.stat().st_size / mb,
            "bodies MB": bodies / mb,
            "full-text index MB": index / mb,
        }
    finally:
        db.close()


def before_size(path: Path, articles: list[dict]) -> float:
    """MB of the same store with schema 0002's index (FTS5 with its own copy of the text)."""
    from alembic import command
    from alembic.config import Config

    from editor.store import opening

    config = Config()
    config.set_main_option("script_location", str(opening.MIGRATIONS))
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002_newsroom_tables")
        for start in range(0, len(articles), BATCH):
            rows = _rows(articles[start : start + BATCH], postgres=False)
            connection.execute(text(_ARTICLE_SQL.format(extra="", extra_values="")), rows)
            connection.execute(text(_REVISION_SQL), rows)
        connection.exec_driver_sql(
            "INSERT INTO articles_fts (rowid, headline, standfirst, byline, body) "
            "SELECT a.search_rowid, a.headline, a.standfirst, a.byline, r.body FROM articles "
            "AS a JOIN revisions AS r ON r.id = a.head_revision_id"
        )
    engine.dispose()
    return path.stat().st_size / (1024 * 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--before", action="store_true", help="also size schema 0002's index")
    parser.add_argument("--work", type=Path, help="folder for the SQLite stores (default: temp)")
    parser.add_argument("--engines", default="sqlite,postgresql", help="which to measure")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the stores (WORK/search.db and the schema bench_search) for --reuse",
    )
    parser.add_argument("--reuse", action="store_true", help="measure the stores --keep kept")
    args = parser.parse_args()

    began = time.perf_counter()
    articles = [] if args.reuse and not args.before else generate(args.articles)
    print(f"generated {len(articles)} articles in {time.perf_counter() - began:.1f} s")
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / "search.db"
    kept = args.keep or args.reuse
    schema = "bench_search" if kept else f"bench_search_{os.getpid()}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    if not args.reuse:
        path.unlink(missing_ok=True)
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    pg_url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    try:
        engines = {"sqlite": ("SQLite", str(path)), "postgresql": ("PostgreSQL", pg_url)}
        for key in args.engines.split(","):
            engine_name, location = engines[key]
            store = Store.open(location)
            try:
                if not args.reuse:
                    seconds = load(store, articles)
                    print(f"{engine_name}: loaded in {seconds:.0f} s")
                pages = {name: first_page_ms(store, q) for name, q in QUERIES.items()}
            finally:
                store.close()
            wall, first_byte, cpu, rows = cli_run(location, QUERIES["word in every article"])
            for name, (ms, cpu_ms, hits) in pages.items():
                print(
                    f"{engine_name}: first page, {name} {QUERIES[name]}: {ms:.1f} ms wall, "
                    f"{cpu_ms:.1f} ms CPU here ({hits} hits)"
                )
            print(
                f"{engine_name}: newsroom list --search --json: {wall:.2f} s wall, {cpu:.2f} s "
                f"CPU, first byte after {first_byte * 1000:.0f} ms, {rows} rows"
            )
        if "sqlite" not in args.engines:
            return
        wall, cpu = sqlite3_pace(path, QUERIES["word in every article"])
        print(f"sqlite3 command, same match, every hit: {wall:.2f} s wall, {cpu:.2f} s CPU")
        for name, value in sqlite_sizes(path).items():
            print(f"SQLite store: {name}: {value:.0f}")
        if args.before:
            old = work / "before.db"
            old.unlink(missing_ok=True)
            print(f"SQLite store with schema 0002's index: {before_size(old, articles):.0f} MB")
            old.unlink()
    finally:
        if not kept:
            with admin.connect() as connection:
                connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            if not args.work:
                path.unlink(missing_ok=True)
        admin.dispose()
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
