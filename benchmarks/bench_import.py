"""Bulk import: 1,000 wire files into a fresh SQLite store, batched against one by one.

Run: .venv/bin/python benchmarks/bench_import.py [--files N]. Each wire file is the
real sample (~350 words, with its furniture) made unique by a number, so every file is
parsed in full and its duplicate check finds nothing. "one transaction per file" is
the same import with chunks of one file: the figure `create_article` gave before.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from editor.core.newsroom import Newsroom

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "samples" / "wire-putin-kim-limousine.txt"


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


def run(files: list[Path], chunk: int, folder: Path) -> tuple[float, int]:
    newsroom = Newsroom.open(folder / f"bench-{chunk}.db")
    try:
        from editor.core.importers import run as import_run

        started = time.perf_counter()
        report = import_run.import_files(newsroom, files, "copy", chunk_files=chunk)
        elapsed = time.perf_counter() - started
        assert not report.failed, report.failed[:3]
        return elapsed, len(report.imported)
    finally:
        newsroom.close()


def parse_only(files: list[Path]) -> float:
    from editor.core.importing import parse_file

    started = time.perf_counter()
    for path in files:
        parse_file(path)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        files = make_files(folder, args.files)
        parsing = parse_only(files)
        print(f"parse only: {parsing:.2f} s ({len(files) / parsing:.0f} files/s)")
        for label, chunk in (("batched (250 files a transaction)", 250), ("one per file", 1)):
            elapsed, count = run(files, chunk, folder)
            print(f"{label}: {count} files in {elapsed:.2f} s ({count / elapsed:.0f} files/s)")


if __name__ == "__main__":
    main()
