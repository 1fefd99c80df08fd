"""GUI stall while the copy-desk checks run on a worker: spell-check suggestions up front or not.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_spelling_stall.py [--words 120]

The window runs the checks of an article on a worker thread; the worker holds the GIL in
pure Python while it works, so the GUI thread's timers run late. A 2 ms heartbeat timer on
the GUI thread records its gaps while a worker checks an article of `--words` made-up
words, once with the old behaviour (every unknown word's suggestions worked out in full,
two edits deep) and once as the checks do now (one edit only; the rest when asked), side
by side in one run. Prints the worker's CPU time, the longest gap and the p99 gap, and
the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.bench_spelling import article
from editor.core import spelling
from editor.core.checks import CheckEngine, load_style
from editor.core.model import Article


def measure(app: QApplication, body: str, *, up_front: bool) -> dict[str, float]:
    original = spelling.SpellChecker.suggestions
    spelling._checkers.clear()  # no suggestions remembered from the other variant

    def full(self, word, limit=6, *, quick=False):
        return original(self, word, limit, quick=False)

    if up_front:
        spelling.SpellChecker.suggestions = full
    engine = CheckEngine(load_style())
    gaps: list[float] = []
    last = [time.perf_counter()]
    cpu = [0.0]
    done = threading.Event()

    def beat() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now
        if done.is_set():
            app.quit()

    def work() -> None:
        start = time.thread_time()
        engine.check(Article(id="a", headline="Unknown words", body=body))
        cpu[0] = time.thread_time() - start
        done.set()

    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(beat)
    timer.start()
    worker = threading.Thread(target=work)
    QTimer.singleShot(0, worker.start)
    last[0] = time.perf_counter()
    app.exec()
    worker.join()
    timer.stop()
    spelling.SpellChecker.suggestions = original
    gaps.sort()
    return {
        "cpu": cpu[0],
        "max": gaps[-1],
        "p99": gaps[int(len(gaps) * 0.99) - 1],
        "median": statistics.median(gaps),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=120)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    body = article(args.words)
    spelling.WordList.load(spelling._SHARED_WORD_LIST)  # the word list loads once, apart
    load = os.getloadavg()
    print(f"checks of an article with {args.words} unknown words on a worker, 2 ms heartbeat")
    for up_front in (True, False):
        r = measure(app, body, up_front=up_front)
        name = "suggestions up front (before)" if up_front else "one edit only (now)       "
        print(
            f"  {name}: worker CPU {r['cpu']:.2f} s, heartbeat gap max {r['max']:.0f} ms, "
            f"p99 {r['p99']:.0f} ms, median {r['median']:.1f} ms"
        )
    print("  load average at start: " + " ".join(f"{x:.2f}" for x in load))
    return 0


if __name__ == "__main__":
    sys.exit(main())
