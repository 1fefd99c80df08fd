"""The body editor on a 20,000-word article, as a reporter feels it, in the real window.

Measures, offscreen, with spell check on:

- opening the article (session open -> editor loaded -> viewport painted);
- keystroke latency: `QTest.keyClick` to the repaint done, for 600 keystrokes typed at a
  fast typist's pace (40 ms apart, so the timers that follow typing — spell steps,
  counts, the recovery journal — run between keystrokes as they would for real). After
  the key, the posted events are delivered (`sendPostedEvents`: the update request that
  paints the changed region, queued signals), as the event loop would before idling; a
  paint event is checked to have happened inside every measured keystroke;
- the longest stall of the GUI thread while typing (a 2 ms heartbeat's worst lateness);
- the work done off the typing path: Markdown serialisation, a journal write, an
  autosave, the counts, and the full spell-check pass after opening (in small steps).

Usage:

    .venv/bin/python benchmarks/bench_editor.py [--words 20000] [--keys 600] [--runs 5]
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

SAMPLES = Path(__file__).resolve().parent.parent / "editor" / "resources" / "samples"
SENTENCE = "The convoy reached Pyongyang before dawn, officials said on Tuesday. "


def long_body(words: int = 20_000) -> str:
    """A Markdown body of about `words` words, made of the sample stories' paragraphs."""
    paragraphs: list[str] = []
    for path in sorted(SAMPLES.glob("*.md")):
        text = path.read_text(encoding="utf-8").split("---", 2)[-1]
        paragraphs += [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    out: list[str] = []
    count = 0
    for index, paragraph in enumerate(itertools.cycle(paragraphs)):
        if count >= words:
            break
        out.append(paragraph)
        count += len(re.findall(r"\w+", paragraph))
        if index % 40 == 39:
            out.append(f"## Part {index // 40 + 2}")
    return "\n\n".join(out) + "\n"


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

    def stop(self) -> None:
        self.timer.stop()

    def _beat(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, now - self._last - 2)
        self._last = now


class PaintCounter(QObject):
    """Counts paint events of the widget it filters."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def pump(app: QApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def wait_until(app: QApplication, condition, timeout_s: float = 60.0) -> float:
    start = time.perf_counter()
    while not condition():
        app.processEvents()
        if time.perf_counter() - start > timeout_s:
            raise TimeoutError("timed out")
        time.sleep(0.0005)
    return time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def type_keys(
    app: QApplication, editor, keys: int, pace_ms: float
) -> tuple[list[float], int, float]:
    """Latencies of `keys` keystrokes, how many painted inside the measurement, worst stall."""
    latencies: list[float] = []
    painted = 0
    paints = PaintCounter()
    editor.viewport().installEventFilter(paints)
    heartbeat = Heartbeat()
    heartbeat.start()
    text = itertools.cycle(" " + SENTENCE)
    for _index in range(keys):
        key = next(text)
        before = paints.count
        start = time.perf_counter()
        QTest.keyClick(editor, key)
        QApplication.sendPostedEvents()
        latencies.append(time.perf_counter() - start)
        painted += paints.count > before
        pump(app, pace_ms / 1000)
    heartbeat.stop()
    editor.viewport().removeEventFilter(paints)
    return latencies, painted, heartbeat.worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--keys", type=int, default=600)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pace-ms", type=float, default=40.0)
    parser.add_argument(
        "--spell-off-too", action="store_true", help="type again with spell check off"
    )
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from editor.core.text import word_count
    from editor.services.newsroom import Newsroom
    from editor.ui.app import make_application
    from editor.ui.main_window import MainWindow
    from editor.ui.settings import Preferences

    app = make_application()
    folder = Path(tempfile.mkdtemp(prefix="bench-editor-"))
    room = Newsroom.open(folder / "bench.db")
    body = long_body(args.words)
    long_article = room.create_article("The long read", body)
    short_article = room.create_article("A brief", "Two short paragraphs.\n\nThe end.\n")
    print(f"article: {word_count(body):,} words, {len(body):,} characters of Markdown")

    window = MainWindow(room, Preferences())
    window.resize(1440, 900)
    window.show()
    highlighter = window.spelling.highlighter
    wait_until(app, lambda: not highlighter.busy)  # the word list, loaded on a worker
    pump(app, 1.0)

    # -- opening ------------------------------------------------------------------
    opens: list[float] = []
    loads: list[float] = []
    passes: list[float] = []
    for _run in range(args.runs):
        window.open_article(short_article.id)
        wait_until(app, lambda: not highlighter.busy)
        pump(app, 0.3)
        start = time.perf_counter()
        window.open_article(long_article.id)
        window.editor.viewport().repaint()
        opens.append(time.perf_counter() - start)
        passes.append(wait_until(app, lambda: not highlighter.busy))
        start = time.perf_counter()
        window.editor.load_markdown(body)
        loads.append(time.perf_counter() - start)
        wait_until(app, lambda: not highlighter.busy)
        pump(app, 0.3)
    print(f"open the article, painted: median {ms(statistics.median(opens))} "
          f"(min {ms(min(opens))}, max {ms(max(opens))}) over {args.runs} runs")  # fmt: skip
    print(f"  BodyEditor.load_markdown alone: median {ms(statistics.median(loads))}")
    print(f"full spell-check pass after opening (background steps): "
          f"median {ms(statistics.median(passes))}")  # fmt: skip

    # -- typing -------------------------------------------------------------------
    editor = window.editor
    editor.setFocus()
    cursor = editor.cursorForPosition(editor.viewport().rect().center())
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    editor.ensureCursorVisible()
    pump(app, 0.5)
    modes = [True, False] if args.spell_off_too else [True]
    for spelling in modes:
        window.actions["view_spell_check"].setChecked(spelling)
        wait_until(app, lambda: not highlighter.busy)
        pump(app, 0.3)
        latencies, painted, stall = type_keys(app, editor, args.keys, args.pace_ms)
        label = "on" if spelling else "off"
        print(f"keystroke to repaint, spell check {label}, {len(latencies)} keys: "
              f"p50 {ms(percentile(latencies, 0.5))}, p95 {ms(percentile(latencies, 0.95))}, "
              f"p99 {ms(percentile(latencies, 0.99))}, max {ms(max(latencies))}")  # fmt: skip
        print(f"  keystrokes whose repaint happened inside the measurement: {painted} of "
              f"{args.keys}; longest GUI-thread stall while typing: {stall:.0f} ms")  # fmt: skip
    window.actions["view_spell_check"].setChecked(True)

    # -- off the typing path -------------------------------------------------------
    serialise = []
    for _run in range(args.runs):
        start = time.perf_counter()
        editor.markdown()
        serialise.append(time.perf_counter() - start)
    counts = []
    for _run in range(args.runs):
        editor.textCursor().insertText("x")
        start = time.perf_counter()
        window.counter.count()
        counts.append(time.perf_counter() - start)
    journal = []
    for _run in range(args.runs):
        editor.textCursor().insertText("y")
        start = time.perf_counter()
        window.session.write_journal()
        journal.append(time.perf_counter() - start)
    autosave = []
    for _run in range(args.runs):
        editor.textCursor().insertText("z")
        start = time.perf_counter()
        window.session.save(reason="autosave")
        autosave.append(time.perf_counter() - start)
    print(f"Markdown serialisation: median {ms(statistics.median(serialise))}")
    print(f"counts after an edit (per-paragraph cache): median {ms(statistics.median(counts))}")
    print(f"recovery journal write (serialise + one row): median {ms(statistics.median(journal))}")
    print(f"autosave (serialise + save): median {ms(statistics.median(autosave))}")

    window.close()
    room.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
