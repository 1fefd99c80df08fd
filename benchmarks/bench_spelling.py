"""Spell check cost: `newsroom check` of an article with 800 unknown words (CPU of the process).

    .venv/bin/python benchmarks/bench_spelling.py [--words 800] [--runs 3]

Writes a Markdown file of prose with `--words` distinct made-up words (random letters,
4-10 long, so most have no dictionary word one edit away: the worst case for suggestions)
and runs `newsroom check FILE` on it `--runs` times, printing the median CPU time (user +
system of the child, from getrusage) beside wall time and the load average: the machine is
shared, so CPU is the figure to compare.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWSROOM = ROOT / ".venv" / "bin" / "newsroom"

FILLER = (
    "The council said the harbour would reopen on Monday after the storm, and officials "
    "expected the ferries to run again within the week."
).split()


def made_up_words(count: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    letters = "bcdfghjklmnpqrstvwxz" * 2 + "aeiou"
    seen: set[str] = set()
    while len(seen) < count:
        seen.add("".join(rng.choice(letters) for _ in range(rng.randint(4, 10))))
    return sorted(seen)


def article(count: int) -> str:
    words = made_up_words(count)
    paragraphs = []
    for start in range(0, len(words), 20):
        chunk = words[start : start + 20]
        sentence = []
        for i, word in enumerate(chunk):
            sentence.append(word)
            sentence.append(FILLER[i % len(FILLER)])
        paragraphs.append(" ".join(sentence) + ".")
    return "# Unknown words\n\n" + "\n\n".join(paragraphs) + "\n"


def run_check(path: Path) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [str(NEWSROOM), "check", str(path)], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = done.stdout.count("may be misspelled")
    return cpu, wall, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=800)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "unknown.md"
        path.write_text(article(args.words), encoding="utf-8")
        env_load = os.getloadavg()
        results = [run_check(path) for _ in range(args.runs)]
    cpus = [r[0] for r in results]
    walls = [r[1] for r in results]
    print(f"newsroom check, {args.words} unknown words, {args.runs} runs")
    print(
        f"  CPU  median {statistics.median(cpus):.2f} s  (runs: "
        + ", ".join(f"{c:.2f}" for c in cpus)
        + ")"
    )
    print(f"  wall median {statistics.median(walls):.2f} s")
    print(f"  misspelling findings printed: {results[0][2]}")
    print("  load average at start: " + " ".join(f"{x:.2f}" for x in env_load))
    return 0


if __name__ == "__main__":
    sys.exit(main())
