"""Typing in the whole window on a 20,000-word article: keystroke latency and GUI stalls.

The real `MainWindow`, offscreen, with every panel that reacts to body edits live: spell
check, copy-desk checks (underlines), review highlights, counts and copy-fit, the preview
(snapshot + block patch), focus-mode hooks, scroll sync, autosave and the recovery journal,
all at their shipped delays. 600 keystrokes (`QTest.keyClick`, 40 ms apart) are typed in
bursts into several paragraphs, with a pause after each burst long enough for every
debounced timer to fire. Meanwhile a 2 ms heartbeat `QTimer` measures how late the GUI
thread lets it run: every stall over 50 ms is listed with what was running, so a stall is
a finding, not a statistic.

Keystroke latency is from the key press to the repaint done (posted events delivered, as
the event loop would before idling), as in `bench_editor.py`.

    .venv/bin/python benchmarks/bench_window_typing.py [--keys 600] [--bursts 6]
        [--pause-s 3] [--words 20000] [--trace] [--profile FILE]

`--trace` times the slots that react to edits (see TRACED) and lists calls over 10 ms;
`--profile` writes a cProfile of the typing run.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import itertools
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_editor import PaintCounter, long_body, percentile
from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

STALL_MS = 50
SENTENCE = "The convoy reached the port before dawn, officials said on Tuesday. "


#: The slots that react to body edits, typing pauses and results on the GUI thread.
TRACED = {
    "editor.ui.checks.panel:ChecksPanel": ["check_now", "_on_checked", "_underline"],
    "editor.ui.preview.pane:PreviewPane": ["_start", "_on_rendered", "_load", "_flush"],
    "editor.ui.session.editing:EditingSession": [
        "save",
        "write_journal",
        "note_body_edited",
        "_autosave_in_background",
        "_journal_in_background",
        "_on_written",
    ],
    "editor.ui.main_window:MainWindow": ["_count_words"],
    "editor.ui.review.panel:ReviewPanel": ["reanchor", "_update_highlights"],
    "editor.ui.body.spell_highlighter:SpellHighlighter": ["_step", "highlightBlock"],
    "editor.ui.body.focus_mode:FocusMode": ["_update"],
    "editor.ui.preview.scroll_sync:ScrollSync": ["_editor_scrolled", "_on_editor_scroll"],
    "editor.ui.body.editor:BodyEditor": ["markdown"],
}


class SlotTimer:
    """Wraps the TRACED methods (before the window connects them) and keeps slow calls."""

    def __init__(self, threshold_ms: float = 10.0) -> None:
        self.threshold_ms = threshold_ms
        self.calls: list[tuple[float, float, str]] = []  # (start, ms, name)
        self._gc_start = 0.0

    def install(self) -> None:
        import importlib

        gc.callbacks.append(self._gc)

        for target, names in TRACED.items():
            module_name, class_name = target.split(":")
            cls = getattr(importlib.import_module(module_name), class_name, None)
            for name in names if cls is not None else []:
                if hasattr(cls, name):
                    setattr(cls, name, self._wrap(getattr(cls, name), f"{class_name}.{name}"))

    def _gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
            return
        spent = (time.perf_counter() - self._gc_start) * 1000
        if spent > self.threshold_ms:
            label = f"gc generation {info['generation']} ({info['collected']} collected)"
            self.calls.append((self._gc_start, spent, label))

    def _wrap(self, method, label: str):
        @functools.wraps(method)
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent = (time.perf_counter() - start) * 1000
                if spent > self.threshold_ms:
                    self.calls.append((start, spent, label))

        return timed


class Heartbeat:
    """Fires every 2 ms; every lateness over STALL_MS is kept with the time it ended."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(2)
        self.timer.timeout.connect(self._beat)
        self.stalls: list[tuple[float, float]] = []  # (perf_counter at the end, ms late)
        self.worst = 0.0
        self._last = 0

    def start(self) -> None:
        self.clock.start()
        self._last = 0
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _beat(self) -> None:
        now = self.clock.elapsed()
        late = now - self._last - 2
        self._last = now
        self.worst = max(self.worst, late)
        if late > STALL_MS:
            self.stalls.append((time.perf_counter(), float(late)))


def pump(app: QApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def wait_until(app: QApplication, condition, timeout_s: float = 120.0) -> float:
    start = time.perf_counter()
    while not condition():
        app.processEvents()
        if time.perf_counter() - start > timeout_s:
            raise TimeoutError("timed out")
        time.sleep(0.0005)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--keys", type=int, default=600)
    parser.add_argument("--bursts", type=int, default=6)
    parser.add_argument("--pace-ms", type=float, default=40.0)
    parser.add_argument("--pause-s", type=float, default=3.0)
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--profile", metavar="FILE")
    args = parser.parse_args()

    slots = SlotTimer() if args.trace else None
    if slots is not None:
        slots.install()
    from editor.core.text import word_count
    from editor.services.newsroom import Newsroom
    from editor.ui.app import make_application
    from editor.ui.main_window import MainWindow
    from editor.ui.settings import Preferences, WindowState

    app = make_application()
    folder = Path(tempfile.mkdtemp(prefix="bench-window-typing-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    room = Newsroom.open(folder / "bench.db")
    body = long_body(args.words)
    article = room.create_article("The long read", body)
    print(f"article: {word_count(body):,} words, {len(body):,} characters of Markdown")

    window = MainWindow(room, Preferences(), WindowState(QSettings()))
    window.resize(1440, 900)
    window.show()
    start = time.perf_counter()
    window.start(article.id)
    wait_until(app, lambda: window.session.article is not None)
    print(f"opened in {(time.perf_counter() - start) * 1000:.0f} ms (list query + open)")
    # Let everything that follows an open settle: word list, spell pass, checks, preview.
    highlighter = window.spelling.highlighter
    wait_until(app, lambda: bool(window.preview.timings))
    wait_until(app, lambda: not highlighter.busy and not window.checks.busy)
    pump(app, 2.0)
    findings = len(window.checks.findings)
    print(f"settled: {findings} copy-desk findings, {len(window.editor.extraSelections())} "
          f"extra selections")  # fmt: skip

    editor = window.editor
    editor.setFocus()
    document = editor.document()
    paints = PaintCounter()
    editor.viewport().installEventFilter(paints)
    heartbeat = Heartbeat()
    latencies: list[float] = []
    slow_keys: list[tuple[float, float]] = []
    painted = 0
    text = itertools.cycle(SENTENCE)
    per_burst = max(1, args.keys // args.bursts)
    profiler = cProfile.Profile() if args.profile else None
    run_start = time.perf_counter()
    heartbeat.start()
    if profiler is not None:
        profiler.enable()
    typed = 0
    for burst in range(args.bursts):
        # A paragraph spread over the article, brought into view (as a click there would).
        number = 5 + (burst * 7919) % max(1, document.blockCount() - 10)
        block = document.findBlockByNumber(number)
        while block.isValid() and len(block.text()) < 40:
            block = block.next()
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        editor.setTextCursor(cursor)
        editor.ensureCursorVisible()
        pump(app, 0.2)
        keys = per_burst if burst < args.bursts - 1 else args.keys - typed
        for _ in range(keys):
            key = next(text)
            before = paints.count
            t0 = time.perf_counter()
            QTest.keyClick(editor, key)
            QApplication.sendPostedEvents()
            latencies.append(time.perf_counter() - t0)
            if latencies[-1] > 0.016:
                slow_keys.append((t0, latencies[-1] * 1000))
            painted += paints.count > before
            pump(app, args.pace_ms / 1000)
        typed += keys
        pump(app, args.pause_s)  # autosave, journal, checks, preview, counts all fire
    if profiler is not None:
        profiler.disable()
    heartbeat.stop()
    elapsed = time.perf_counter() - run_start
    editor.viewport().removeEventFilter(paints)

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.1f} ms"

    print(f"typed {len(latencies)} keys in {args.bursts} bursts over {elapsed:.1f} s")
    print(f"keystroke to repaint: p50 {ms(percentile(latencies, 0.5))}, "
          f"p95 {ms(percentile(latencies, 0.95))}, p99 {ms(percentile(latencies, 0.99))}, "
          f"max {ms(max(latencies))}; repainted inside the measurement: {painted}/"
          f"{len(latencies)}")  # fmt: skip
    print("keystrokes over 16 ms:", ", ".join(
        f"{at - run_start:.2f} s: {spent:.0f} ms" for at, spent in slow_keys))  # fmt: skip
    stalls = heartbeat.stalls
    print(f"GUI-thread stalls > {STALL_MS} ms: {len(stalls)}; worst {heartbeat.worst:.0f} ms")
    for end, late in stalls:
        print(f"  at {end - run_start:6.2f} s: {late:.0f} ms")
    if slots is not None:
        print(f"traced slots over {slots.threshold_ms:.0f} ms while typing:")
        for at, spent, what in slots.calls:
            if at >= run_start:
                print(f"  at {at - run_start:6.2f} s: {spent:.0f} ms  {what}")
    print(f"session saved {window.session.article.version} times in all; "
          f"checks found {len(window.checks.findings)}")  # fmt: skip
    if profiler is not None:
        profiler.dump_stats(args.profile)
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(35)
    window.close()
    room.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
