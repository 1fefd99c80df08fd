"""Bulk import: wire or Markdown files into a fresh SQLite store, batched and one by one.

Run: .venv/bin/python benchmarks/bench_import.py [--files N] [--kind wire|markdown]
[--profile] [--cli].

Each wire file is the real sample (~350 words, with its furniture) made unique by a
number, so every file is parsed in full and its duplicate check finds nothing; each
Markdown file is a Hugo-style story (YAML front matter with title, date, author, section
and tags, ~350 words of body). "one transaction per file" is the same import with chunks
of one file: the figure `create_article` gave before. Times are wall time and process
CPU time; `--profile` prints the top functions of the batched import. With `--cli` the
files are imported by the `newsroom import FOLDER` command in its own process instead
(start-up, folder walk and output included), with the child's CPU (user + system).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from editor.services.newsroom import Newsroom

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "editor" / "resources" / "samples" / "wire-putin-kim-limousine.txt"


def make_files(folder: Path, count: int) -> list[Path]:
    text = SAMPLE.read_text(encoding="utf-8")
    headline = "Putin takes Kim Jong Un in a limousine, and later gives him a car"
    files = []
    for number in range(count):
        path = folder / f"wire-{number:05d}.txt"
        path.write_text(
            text.replace(headline, f"{headline} ({number})")
            + f"\n\nFile {number} of the wire feed.",
            encoding="utf-8",
        )
        files.append(path)
    return files


_PARAGRAPH = (
    "The council voted on Tuesday to close the north quay for repairs, a decision that "
    "will move the ferry service to the south pier for at least six months. Engineers "
    "found cracks in three of the quay's concrete piles during an inspection in March, "
    "and the chair said the structure could no longer be trusted."
)


def make_markdown(folder: Path, count: int) -> list[Path]:
    files = []
    sections = ("World", "Politics", "Business", "Local", "Sport")
    for number in range(count):
        path = folder / f"story-{number:05d}.md"
        body = "\n\n".join(f"{_PARAGRAPH} ({number}.{i})" for i in range(6))
        path.write_text(
            f"---\ntitle: Quay {number} to close for repairs\ndate: 2024-07-{number % 28 + 1:02d}"
            f"\nauthor: Jane Doe\nsection: {sections[number % 5]}\ntags: [harbour, ferry]\n"
            f"---\n\n{body}\n\n## What happens next\n\n- Works start in *spring*\n"
            f"- A [consultation](https://example.com/{number}) opens\n",
            encoding="utf-8",
        )
        files.append(path)
    return files


def run(files: list[Path], chunk: int, folder: Path, profile: bool = False):
    newsroom = Newsroom.open(folder / f"bench-{chunk}.db")
    try:
        from editor.services import import_run

        profiler = cProfile.Profile() if profile else None
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        report = import_run.import_files(newsroom, files, "copy", chunk_files=chunk)
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        elapsed, used = time.perf_counter() - started, time.process_time() - cpu
        assert not report.failed, report.failed[:3]
        return elapsed, used, len(report.imported)
    finally:
        newsroom.close()


def run_cli(folder: Path, files: list[Path]) -> tuple[float, float, int]:
    """`newsroom import FOLDER` in its own process: wall, CPU of the child, files imported."""
    store = folder / "cli.db"
    command = [str(Path(sys.executable).with_name("newsroom")), "--store", str(store)]
    subprocess.run([*command, "init", "--admin", "Bench"], check=True, capture_output=True)
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "--as", "Bench", "import", "--duplicates", "copy", str(files[0].parent)],
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return elapsed, cpu, done.stdout.count("imported ")


def parse_only(files: list[Path]) -> tuple[float, float]:
    from editor.core.importing import parse_file

    started, cpu = time.perf_counter(), time.process_time()
    for path in files:
        parse_file(path)
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=None, help="default 1000 wire, 2000 md")
    parser.add_argument("--kind", choices=("wire", "markdown"), default="wire")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--cli", action="store_true", help="through `newsroom import FOLDER`")
    args = parser.parse_args()
    count = args.files or (2000 if args.kind == "markdown" else 1000)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        make = make_markdown if args.kind == "markdown" else make_files
        (folder / "copy").mkdir()
        files = make(folder / "copy", count)
        if args.cli:
            elapsed, used, n = run_cli(folder, files)
            assert n == count, n
            print(
                f"newsroom import FOLDER: {n} files in {elapsed:.2f} s ({n / elapsed:.0f} "
                f"files/s, {1000 * used / n:.2f} ms CPU a file), load {os.getloadavg()[0]:.1f}"
            )
            return
        wall, cpu = parse_only(files)
        print(
            f"parse only: {wall:.2f} s ({len(files) / wall:.0f} files/s, "
            f"{1000 * cpu / len(files):.2f} ms CPU a file)"
        )
        for label, chunk in (("batched (250 files a transaction)", 250), ("one per file", 1)):
            elapsed, used, n = run(files, chunk, folder, args.profile and chunk == 250)
            print(
                f"{label}: {n} files in {elapsed:.2f} s ({n / elapsed:.0f} files/s, "
                f"{1000 * used / n:.2f} ms CPU a file)"
            )


if __name__ == "__main__":
    main()
