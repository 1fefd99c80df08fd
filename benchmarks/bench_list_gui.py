"""The article list on a 100,000-article store, as the person feels it, in the real window.

Measures, offscreen: start to first page shown; typing a search to results shown;
changing the sort to the new first page; scrolling to the next page; and the longest
stall of the GUI thread meanwhile (a 2 ms heartbeat timer's worst lateness). Uses the
store built by bench_store.py. Usage:

    .venv/bin/python benchmarks/bench_list_gui.py [--articles 100000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from editor.services.newsroom import Newsroom
from editor.ui.app import make_application
from editor.ui.main_window import MainWindow
from editor.ui.settings import Preferences, WindowState


class Heartbeat:
    """Fires every 2 ms; how late it fires is how long the GUI thread was busy."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(2)
        self.timer.timeout.connect(self._beat)
        self.worst = 0.0
        self._last = 0

    def start(self) -> None:
        self.worst = 0.0
        self.clock.start()
        self._last = 0
        self.timer.start()

    def _beat(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, now - self._last - 2)
        self._last = now


def wait_until(app: QApplication, condition, timeout_s: float = 30.0) -> float:
    start = time.perf_counter()
    while not condition():
        app.processEvents()
        if time.perf_counter() - start > timeout_s:
            raise TimeoutError("the list did not answer")
        time.sleep(0.0005)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    path = Path(f"/tmp/newsroom-bench-v2-{args.articles}.db")
    if not path.exists():
        raise SystemExit(f"{path} is missing: run benchmarks/bench_store.py first")
    app = make_application()
    QSettings.setPath(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "/tmp/newsroom-bench-settings"
    )
    newsroom = Newsroom.open(path, "bench")
    beat = Heartbeat()
    prefs = Preferences(search_delay_ms=0)
    window = MainWindow(newsroom, prefs, WindowState())
    window.resize(1440, 900)
    window.show()
    model = window.list_model

    finished = [0]
    model.query_finished.connect(lambda: finished.__setitem__(0, finished[0] + 1))

    def idle() -> bool:
        return not model.busy and model.rowCount() > 0

    def answered(before: int):
        return lambda: finished[0] > before and not model.busy

    beat.start()
    window.start()
    first = wait_until(app, idle)
    print(f"start to first page shown: {first:7.1f} ms  ({model.total:,} articles)")
    # Let the first article's preview finish loading: its page load is GUI-thread work
    # of its own and would be counted against the first search.
    settle = time.perf_counter()
    while time.perf_counter() - settle < 3:
        app.processEvents()
        time.sleep(0.001)

    results: dict[str, list[float]] = {"search": [], "sort": [], "next page": []}
    stalls: dict[str, list[float]] = {name: [] for name in results}
    for term in ("harbour", "drought", "stadium festival", "council", "rail strike"):
        window.article_list.search_box.clear()
        wait_until(app, idle)
        beat.start()
        before = finished[0]
        window.article_list.search_box.setText(term)
        results["search"].append(wait_until(app, answered(before)))
        stalls["search"].append(beat.worst)
    window.article_list.search_box.clear()
    wait_until(app, idle)
    for column in (1, 3, 1, 2):
        beat.start()
        before = finished[0]
        model.sort(column, Qt.SortOrder.AscendingOrder)
        results["sort"].append(wait_until(app, answered(before)))
        stalls["sort"].append(beat.worst)
    for _ in range(5):
        loaded = model.rowCount()
        beat.start()
        model.fetchMore()
        results["next page"].append(wait_until(app, lambda n=loaded: model.rowCount() > n))
        stalls["next page"].append(beat.worst)
    for label, times in results.items():
        print(
            f"{label:<26} median {statistics.median(times):7.1f} ms  "
            f"(min {min(times):.1f}, max {max(times):.1f}, n={len(times)}); "
            f"longest GUI-thread stall {max(stalls[label]):.1f} ms"
        )
    window.list_model.shutdown()
    window.close()
    newsroom.close()


if __name__ == "__main__":
    main()
