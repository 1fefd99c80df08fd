"""Web-page import on real pages: body F1, headline accuracy and the time per page.

Usage:

    .venv/bin/python benchmarks/bench_web_import.py [--cache DIR] [--trafilatura] [-v]

The corpus is the set of real news pages that the newspaper4k project keeps as test
data (tests/data/html/*.html with the expected article text in tests/data/txt/*.txt and
the expected title in tests/data/metadata/*.json: CNN, Time, Wired, Fox 13, cleveland.com,
Yonhap, Nollywood and Blogger posts, pages in Arabic, Chinese, Japanese, Spanish, Thai and
Latvian). The script fetches the newspaper4k 0.9.6 source distribution from PyPI with
`pip download` into the cache dir (default ~/.cache/newsroom-bench) the first time; no page
is kept in this repository. The expected texts were made by that project with its own
extractor and checked by hand there; they are a reference, not a perfect truth.

Body score: the scrapinghub article-extraction-benchmark metric, F1 of word 4-shingles
(tokens are Unicode words; a page in a script without spaces is scored on characters).
Headline: right when it equals the expected title after white space and quotes are made
uniform. `--trafilatura` scores trafilatura's own `extract()` on the same pages beside
ours, for comparison.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

PACKAGE = "newspaper4k"
VERSION = "0.9.6"
DEFAULT_CACHE = Path.home() / ".cache" / "newsroom-bench"


def corpus(cache: Path) -> Path:
    """The folder holding html/, txt/ and metadata/, fetched from PyPI once."""
    data = cache / f"{PACKAGE}-{VERSION}" / "tests" / "data"
    if (data / "html").is_dir():
        return data
    cache.mkdir(parents=True, exist_ok=True)
    archive = cache / f"{PACKAGE}-{VERSION}.tar.gz"
    if not archive.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-binary",
                ":all:",
                "--no-deps",
                "--no-build-isolation",
                f"{PACKAGE}=={VERSION}",
                "-d",
                str(cache),
            ],
            check=True,
        )
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if "/tests/data/" in m.name and m.isfile()]
        tar.extractall(cache, members=members, filter="data")
    return data


_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u1000-\u109f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def tokens(text: str) -> list[str]:
    """Words; characters for scripts written without spaces (Chinese, Japanese, Thai)."""
    words = re.findall(r"\w+", text.lower())
    if words and len(_UNSPACED.findall(text)) * 3 > sum(len(w) for w in words):
        return list("".join(words))
    return words


def shingles(text: str, n: int = 4) -> Counter:
    items = tokens(text)
    if len(items) < n:
        return Counter([tuple(items)]) if items else Counter()
    return Counter(tuple(items[i : i + n]) for i in range(len(items) - n + 1))


def prf(expected: str, got: str) -> tuple[float, float, float]:
    truth, found = shingles(expected), shingles(got)
    if not truth and not found:
        return 1.0, 1.0, 1.0
    common = sum((truth & found).values())
    precision = common / max(1, sum(found.values()))
    recall = common / max(1, sum(truth.values()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def markdown_text(body: str) -> str:
    """The words a reader sees in a Markdown body (links, emphasis, images removed)."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", body)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_#>`|\\]+", " ", text)


def same_title(expected: str, got: str) -> bool:
    def norm(value: str) -> str:
        value = value.replace("\u2019", "'").replace("\u2018", "'")
        value = value.replace("\u201c", '"').replace("\u201d", '"')
        return " ".join(value.split()).casefold()

    return norm(expected) == norm(got)


def pages(data: Path) -> list[tuple[str, Path, str, str | None]]:
    found = []
    for html in sorted((data / "html").glob("*.html")):
        txt = data / "txt" / f"{html.stem}.txt"
        if not txt.exists():
            continue
        meta = data / "metadata" / f"{html.stem}.json"
        title = json.loads(meta.read_text(encoding="utf-8")).get("title") if meta.exists() else None
        found.append((html.stem, html, txt.read_text(encoding="utf-8"), title))
    return found


def ours(path: Path) -> tuple[str, str, list[dict]]:
    from editor.core.importers.html import decode_html, parse_html

    parsed = parse_html(decode_html(path.read_bytes(), path.name), path.name, None)
    return parsed.headline, markdown_text(parsed.body), parsed.import_notes


def theirs(path: Path) -> tuple[str, str, list[dict]]:
    import trafilatura

    html = path.read_text(encoding="utf-8", errors="replace")
    text = trafilatura.extract(html, include_comments=False) or ""
    meta = trafilatura.extract_metadata(html)
    return (meta.title if meta else "") or "", text, []


def score(name: str, extract, items, verbose: bool) -> dict:
    rows = []
    for stem, path, expected, title in items:
        started = time.process_time()
        try:
            headline, body, notes = extract(path)
            error = ""
        except Exception as failure:  # a failed page scores zero and is shown
            headline, body, notes, error = "", "", [], f"{type(failure).__name__}: {failure}"
        elapsed = time.process_time() - started
        precision, recall, f1 = prf(expected, body)
        right = None if title is None else same_title(title, headline)
        warned = any(n.get("kind") == "extraction" for n in notes)
        rows.append((stem, precision, recall, f1, right, elapsed, headline, title, error, warned))
        if verbose:
            mark = "" if right in (None, True) else f"   headline {headline!r} != {title!r}"
            print(
                f"  {name:12} {stem:24} P {precision:.2f} R {recall:.2f} F1 {f1:.2f} "
                f"{elapsed * 1000:6.0f} ms{' WARNED' if warned else ''}{mark} {error}"
            )
    count = len(rows)
    titled = [r for r in rows if r[4] is not None]
    slowest = max(rows, key=lambda r: r[5])
    return {
        "name": name,
        "pages": count,
        "precision": sum(r[1] for r in rows) / count,
        "recall": sum(r[2] for r in rows) / count,
        "f1": sum(r[3] for r in rows) / count,
        "headlines": f"{sum(1 for r in titled if r[4])}/{len(titled)}",
        "under_half": sum(1 for r in rows if r[2] < 0.5),
        "warned_of_those": sum(1 for r in rows if r[2] < 0.5 and r[9]),
        "mean_ms": 1000 * sum(r[5] for r in rows) / count,
        "slowest": f"{slowest[0]} {slowest[5] * 1000:.0f} ms",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--trafilatura", action="store_true", help="also score trafilatura")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per page")
    args = parser.parse_args()
    items = pages(corpus(args.cache))
    results = [score("newsroom", ours, items, args.verbose)]
    if args.trafilatura:
        results.append(score("trafilatura", theirs, items, args.verbose))
    for r in results:
        print(
            f"{r['name']}: {r['pages']} pages, F1 {r['f1']:.3f} (P {r['precision']:.3f}, "
            f"R {r['recall']:.3f}), headlines {r['headlines']}, recall < 0.5 on "
            f"{r['under_half']} (warned: {r['warned_of_those']}), {r['mean_ms']:.0f} ms CPU "
            f"a page, slowest {r['slowest']}"
        )


if __name__ == "__main__":
    main()
