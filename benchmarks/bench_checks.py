"""Copy-desk checks on a 20,000-word article: a full check, then a re-check after one edit.

Run: .venv/bin/python benchmarks/bench_checks.py  (appends its figures to RESULTS.md
with --record). The word list is loaded before timing: it is loaded once per process.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from editor.core.checks import CheckEngine, load_style
from editor.core.checks.markdown_units import parse_unit
from editor.core.importing import parse_file
from editor.core.model import Article

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "resources" / "samples"
WORDS = 20_000


def long_body() -> str:
    """Sample paragraphs, each made unique, until the body has 20,000 words."""
    paragraphs = []
    for path in sorted(SAMPLES.iterdir()):
        paragraphs.extend(p for p in parse_file(path).body.split("\n\n") if p.strip())
    body, count, n = [], 0, 0
    while count < WORDS:
        text = paragraphs[n % len(paragraphs)]
        text = f"{text} Item {n} of the file."
        body.append(text)
        count += len(text.split())
        n += 1
    return "\n\n".join(body)


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    style = load_style()
    body = long_body()
    article = Article(id="bench", headline="A long story", body=body, byline="B", section="S")
    CheckEngine(style).check(Article(id="w", body="Warm the word list up."))

    def full() -> int:
        parse_unit.cache_clear()  # the per-unit Markdown parse is cached process-wide
        return len(CheckEngine(style).check(article))

    engine = CheckEngine(style)
    findings = len(engine.check(article))
    paragraphs = body.split("\n\n")
    edits = iter(range(10_000))

    def recheck() -> int:
        n = next(edits)
        changed = list(paragraphs)
        changed[len(changed) // 2] += f" An edit {n} the the."
        return len(engine.check(Article(id="bench", headline="A long story",
                                        body="\n\n".join(changed))))  # fmt: skip

    full_ms = timed(full, 5)
    recheck_ms = timed(recheck, 7)
    lines = [
        f"## Copy-desk checks — `benchmarks/bench_checks.py` ({time.strftime('%Y-%m-%d')})",
        "",
        f"An article of **{len(body.split()):,} words** in {len(paragraphs)} paragraphs "
        f"(sample paragraphs made unique), house style ({len(style.rules)} rules), "
        f"{findings} findings. The word list is loaded and its per-word verdicts are "
        "warm (as in a running editor); the engine's own caches start empty.",
        "",
        "| what | median | min |",
        "|---|---|---|",
        f"| full check, empty cache (new engine) | {statistics.median(full_ms):.0f} ms "
        f"| {min(full_ms):.0f} ms |",
        f"| re-check after editing one paragraph | {statistics.median(recheck_ms):.0f} ms "
        f"| {min(recheck_ms):.0f} ms |",
        "",
    ]
    print("\n".join(lines))
    if "--record" in sys.argv:
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as results:
            results.write("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
