"""The command line's start-up and streaming on a big store, as a person runs it.

    .venv/bin/python benchmarks/bench_cli.py --store /tmp/big/search.db [--runs 10]

Times whole processes (`python -m editor ...`, start-up included), each run after one
warm-up, and prints the median and the minimum wall time of:

- `newsroom --help`;
- `newsroom list | head` (the first page, the reader gone after ten lines);
- `newsroom show SLUG` (the newest article's slug);
- `newsroom list --search WORD | head` (the first page of a word in most articles);
- `newsroom list --search WORD --json` printing every hit of a word in every article,
  beside the `sqlite3` command printing the same hits (the pace to keep within 2x), the
  two in turn, one run each, and the ratio of each pair.

The store is only read. Give a copy: a command still opens it as the editor does.
`--code DIR` runs the `editor` package of another checkout (an older commit, say, from
`git archive`), for a before and after in one run on the same store.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    command: list[str], runs: int, env: dict[str, str], cwd: Path = ROOT
) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of `runs` runs after one warm-up."""
    walls, cpus = [], []
    for i in range(runs + 1):
        began, cpu = time.perf_counter(), child_cpu()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env, check=False, cwd=cwd)  # fmt: skip
        if i:
            walls.append(time.perf_counter() - began)
            cpus.append(child_cpu() - cpu)
    return walls, cpus


def report(name: str, walls: list[float], cpus: list[float]) -> None:
    print(
        f"{name:<48} wall median {statistics.median(walls) * 1000:7.0f} ms, "
        f"min {min(walls) * 1000:7.0f} ms; CPU median {statistics.median(cpus) * 1000:6.0f} ms"
    )


def newest_slug(store: Path) -> str:
    db = sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True)
    try:
        row = db.execute(
            "SELECT slug FROM articles WHERE deleted_at IS NULL ORDER BY updated_at DESC LIMIT 1"
        ).fetchone()
        return row[0]
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--word", default="council", help="a word in most articles")
    parser.add_argument("--every", default="newsroom", help="a word in every article")
    parser.add_argument("--skip-json", action="store_true", help="not the every-hit search")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to run")
    args = parser.parse_args()
    store = args.store.resolve()
    code = args.code.resolve()
    env = {**os.environ, "NEWSROOM_STORE": str(store), "PYTHONPATH": str(code)}
    newsroom = f"{PYTHON} -m editor"
    slug = newest_slug(store)
    cases = {
        "--help": [PYTHON, "-m", "editor", "--help"],
        "list | head": ["sh", "-c", f"{newsroom} list | head"],
        f"show {slug}": [PYTHON, "-m", "editor", "show", slug],
        f"list --search {args.word} | head": [
            "sh", "-c", f"{newsroom} list --search {args.word} | head"
        ],
    }  # fmt: skip
    if not args.skip_json:
        sql = (
            "SELECT a.id, a.headline, a.slug, a.status, a.section, a.byline, a.word_count, "
            "a.updated_at FROM articles AS a WHERE a.deleted_at IS NULL AND a.search_rowid "
            f"IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH '\"{args.every}\"*')"
            " ORDER BY a.updated_at DESC, a.id DESC;"
        )
        cases[f"list --search {args.every} --json (every hit)"] = [
            PYTHON, "-m", "editor", "list", "--search", args.every, "--json"
        ]  # fmt: skip
        cases["sqlite3 -json, same hits"] = ["sqlite3", "-json", str(store), sql]
    print(f"store {store} ({store.stat().st_size / 2**20:.0f} MB), {args.runs} runs each,")
    print(f"code {code}")
    paired = [name for name in cases if "every hit" in name or "sqlite3" in name]
    for name, command in cases.items():
        if name in paired:
            continue
        report(name, *timed(command, args.runs, env, cwd=code))
    if paired:
        # The every-hit search and sqlite3 in turn, run by run: the machine's pace drifts
        # over a minute (a shared VM), and a ratio of two runs apart would carry it.
        results = {name: ([], []) for name in paired}
        for _ in range(args.runs):
            for name in paired:
                walls, cpus = timed(cases[name], 1, env, cwd=code)
                results[name][0].extend(walls)
                results[name][1].extend(cpus)
        for name in paired:
            report(name, *results[name])
        ratios = [a / b for a, b in zip(results[paired[0]][0], results[paired[1]][0], strict=True)]
        print(
            f"every-hit search / sqlite3, run by run: median {statistics.median(ratios):.2f}x "
            f"({min(ratios):.2f}-{max(ratios):.2f}x)"
        )
    print("load average:", Path("/proc/loadavg").read_text().strip())


if __name__ == "__main__":
    main()
