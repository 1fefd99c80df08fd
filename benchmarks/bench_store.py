"""Store listing at newsroom scale: open, count, first page, deep page, sort and search.

Builds (once, cached in /tmp) a store of 100,000 articles of ~800 words through the
real store API, then times the queries the article list runs. Usage:

    .venv/bin/python benchmarks/bench_store.py [--articles N] [--rebuild]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time
import uuid
from pathlib import Path

from editor.core.model import Article, ArticleQuery, Role
from editor.core.text import word_count
from editor.store.store import Store

WORDS = (
    "council flood defences river homes minister budget election harbour police court "
    "energy battery plant jobs school hospital rail strike weather storm market shares "
    "league striker header stadium festival museum theatre drought harvest farmers"
).split()


def vocabulary(rng: random.Random, size: int = 20_000) -> tuple[list[str], list[float]]:
    """News-like words and their cumulative Zipf weights: a few very common, most rare."""
    syllables = "ba ke ri to mu sa le po vi na dor tan mel gri fos lun hap ser quo wy".split()
    words = list(WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    rng.shuffle(words)
    return words, list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))


def build(path: Path, count: int) -> None:
    store = Store.open(path)
    user = store.add_user("bench", Role.REPORTER)
    rng = random.Random(7)
    words, weights = vocabulary(rng)
    started = time.perf_counter()
    for i in range(count):
        body = "\n\n".join(
            " ".join(rng.choices(words, cum_weights=weights, k=100)).capitalize() + "."
            for _ in range(8)
        )
        headline = " ".join(rng.choices(words, cum_weights=weights, k=7)).capitalize()
        store.create_article(
            Article(
                id=str(uuid.uuid4()),
                headline=f"{headline} {i}",
                slug=f"story-{i}",
                byline=rng.choice(["Jane Doe", "Tom Brennan", "Ana Ruiz", "Sam Okoro"]),
                section=rng.choice(["World", "Local", "Sport", "Business"]),
                body=body,
                word_count=word_count(body),
            ),
            author=user,
        )
        if i and i % 10_000 == 0:
            rate = i / (time.perf_counter() - started)
            print(f"  built {i} articles ({rate:.0f}/s)", flush=True)
    store.close()


def timed(label: str, action, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    print(f"{label:<48} median {median:8.1f} ms   (min {min(times):.1f}, max {max(times):.1f})")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path = Path(f"/tmp/newsroom-bench-v2-{args.articles}.db")
    if args.rebuild or not path.exists():
        path.unlink(missing_ok=True)
        print(f"building {path} with {args.articles} articles...")
        build(path, args.articles)
    timed("open store (migrations checked)", lambda: Store.open(path).close(), repeat=5)
    store = Store.open(path)
    newest = ArticleQuery()
    timed("count all", lambda: store.count_articles(newest))
    timed("first page, newest first (200 rows)", lambda: store.list_articles(newest))
    timed("page at offset 50,000", lambda: store.list_articles(newest, offset=50_000))
    by_headline = ArticleQuery(sort_key="headline", descending=False)
    timed("first page sorted by headline", lambda: store.list_articles(by_headline))
    by_section = ArticleQuery(sort_key="section")
    timed("first page sorted by section", lambda: store.list_articles(by_section))
    search = ArticleQuery(search="harbour drought")
    timed("search 'harbour drought' first page", lambda: store.list_articles(search))
    timed("search 'harbour drought' count", lambda: store.count_articles(search))
    # The commonest word of the vocabulary is in nearly every article: the worst case.
    commonest = vocabulary(random.Random(7))[0][0]
    common = ArticleQuery(search=commonest)
    timed(f"search commonest word '{commonest}' first page", lambda: store.list_articles(common))
    timed(f"search commonest word '{commonest}' count", lambda: store.count_articles(common))
    prefix = ArticleQuery(search="stad")
    timed("search prefix 'stad' first page", lambda: store.list_articles(prefix))
    one = store.list_articles(newest, limit=1)[0]
    timed("get one article with body", lambda: store.get_article(one.id))
    store.close()


if __name__ == "__main__":
    main()
