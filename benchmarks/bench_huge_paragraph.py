"""Huge bodies in the editor (issue 12): a 1 MB and a 5 MB single-line paragraph, and a
200,000-word body of ordinary paragraphs.

Two parts, each body in a process of its own (`--body 1mb|5mb|200k`):

- `--part editor`: the rich `BodyEditor` alone, shown at 900x700 offscreen: load time
  (`load_markdown`, then the first paint), how many blocks the body became, the first
  keystroke and 60 more in the middle of the paragraph (p50/p99/max, key press to the
  posted events delivered), the Markdown snapshot after typing (what autosave, journal
  and preview read), whether the body is written back byte for byte, Enter and Backspace
  at a seam, a copy of the whole body and its paste back; then the Markdown source view
  (a `QPlainTextEdit`: one line of 5 MB cannot be cut there) loading the body and a
  keystroke in it; and the preview's worker rendering the body (`PreviewRenderer`).
- `--part window`: the real `MainWindow` over a fresh SQLite store with every panel live
  (spell check, copy desk, preview, autosave, journal): opening the article, 30 keys
  typed 40 ms apart in the middle, the GUI thread's worst stall, how long until the typed
  text is in the store (autosave), and how long Quit (`close()`) takes.

    .venv/bin/python benchmarks/bench_huge_paragraph.py --part editor --body 5mb
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_editor import percentile
from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

WORDS = (
    "the council said on Tuesday that a new bridge would open in spring after years of "
    "delay and cost overruns while residents of the harbour district waited for news"
).split()


def paragraph(characters: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    sentences: list[str] = []
    size = 0
    while size < characters:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25)))
        sentences.append(sentence.capitalize() + ".")
        size += len(sentences[-1]) + 1
    return " ".join(sentences)


def body_for(kind: str) -> str:
    if kind == "1mb":
        return paragraph(1_000_000) + "\n"
    if kind == "5mb":
        return paragraph(5_000_000) + "\n"
    rng = random.Random(2)
    paragraphs = []
    words = 0
    while words < 200_000:
        text = paragraph(rng.randint(300, 900), seed=rng.randint(0, 10**9))
        paragraphs.append(text)
        words += len(text.split())
    return "\n\n".join(paragraphs) + "\n"


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f}"


def pump(app: QApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def wait_until(app: QApplication, condition, timeout_s: float) -> float | None:
    start = time.perf_counter()
    while not condition():
        app.processEvents()
        if time.perf_counter() - start > timeout_s:
            return None
        time.sleep(0.001)
    return time.perf_counter() - start


def key(app: QApplication, widget, which) -> float:
    start = time.perf_counter()
    QTest.keyClick(widget, which)
    QApplication.sendPostedEvents()
    app.processEvents()
    return time.perf_counter() - start


def ms(seconds: float | None) -> str:
    return "timed out" if seconds is None else f"{seconds * 1000:.1f} ms"


class Heartbeat:
    """A 2 ms timer; its worst lateness is the GUI thread's longest stall."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(2)
        self.timer.timeout.connect(self._beat)
        self.worst = 0.0
        self._last = 0

    def start(self) -> None:
        self.clock.start()
        self._last = 0
        self.worst = 0.0
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _beat(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, float(now - self._last - 2))
        self._last = now


def middle_of(editor, body: str) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(min(len(body) // 2, editor.document().characterCount() - 1))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfWord)
    editor.setTextCursor(cursor)
    editor.ensureCursorVisible()


def editor_part(kind: str) -> None:
    from editor.ui.body import markdown_bridge
    from editor.ui.body.editor import BodyEditor
    from editor.ui.body.markdown_writer import continues
    from editor.ui.body.source import SourceEditor

    app = QApplication.instance() or QApplication([])
    body = body_for(kind)
    print(f"[{kind}] {len(body):,} characters, {len(body.split()):,} words; {load()}")
    editor = BodyEditor()
    editor.resize(900, 700)
    editor.show()
    app.processEvents()
    start = time.perf_counter()
    editor.load_markdown(body)
    loaded = time.perf_counter() - start
    app.processEvents()
    painted = time.perf_counter() - start
    document = editor.document()
    longest = max(document.findBlockByNumber(n).length() for n in range(document.blockCount()))
    print(f"load {loaded:.2f} s, painted {painted:.2f} s; {document.blockCount():,} blocks, "
          f"longest {longest - 1:,} characters; {load()}")  # fmt: skip
    # The window's way (`BodyStack.load_markdown`): a long body is converted on a worker.
    opener = BodyEditor()
    opener.resize(900, 700)
    opener.show()
    app.processEvents()
    heartbeat = Heartbeat()
    heartbeat.start()
    start = time.perf_counter()
    opener.open_markdown(body)
    text_in = wait_until(app, lambda: not opener.opening, 300)
    pump(app, 0.5)  # and Qt's idle-time layout after it
    heartbeat.stop()
    print(f"open_markdown (worker, then the GUI half): text in after {ms(text_in)}, worst "
          f"GUI stall {heartbeat.worst:.0f} ms (sync load_markdown above); {load()}")  # fmt: skip
    opener.close()
    start = time.perf_counter()
    identical = editor.markdown() == body
    print(f"written back byte for byte: {identical} ({time.perf_counter() - start:.2f} s)")
    middle_of(editor, body)
    app.processEvents()
    first = key(app, editor, "x")
    # Qt lays the rest of a long document out in idle-time steps of up to 200,000
    # characters (each step ran inside one measured keystroke); finish it first.
    start = time.perf_counter()
    layout = document.documentLayout()
    layout.blockBoundingRect(document.lastBlock())
    print(f"Qt's background layout of the rest: {time.perf_counter() - start:.2f} s at once")
    latencies = [key(app, editor, letter) for letter in "the quick brown fox jumps over" * 2]
    print(f"first keystroke {ms(first)}; next {len(latencies)}: p50 "
          f"{ms(percentile(latencies, 0.5))}, p99 {ms(percentile(latencies, 0.99))}, "
          f"max {ms(max(latencies))}; {load()}")  # fmt: skip
    start = time.perf_counter()
    written = editor.markdown()
    snapshot = time.perf_counter() - start
    typed_in = "xthe quick brown fox jumps overthe quick brown fox jumps over" in written
    print(f"Markdown snapshot after typing {ms(snapshot)} ({len(written):,} characters, "
          f"typed text in it: {typed_in})")  # fmt: skip
    seam = next((b for b in _blocks(document) if continues(b)), None)
    if seam is not None:
        editor.setTextCursor(QTextCursor(seam))
        backspace = key(app, editor, Qt.Key.Key_Backspace)
        enter = key(app, editor, Qt.Key.Key_Return)
        print(f"at a seam: Backspace {ms(backspace)}, Enter {ms(enter)}")
    cursor = editor.textCursor()
    cursor.select(QTextCursor.SelectionType.Document)
    editor.setTextCursor(cursor)
    start = time.perf_counter()
    data = editor.createMimeDataFromSelection()
    copied = time.perf_counter() - start
    editor.load_markdown("")
    start = time.perf_counter()
    editor.insertFromMimeData(data)
    app.processEvents()
    pasted = time.perf_counter() - start
    longest = max(document.findBlockByNumber(n).length() for n in range(document.blockCount()))
    print(f"copy all {copied:.2f} s, paste back {pasted:.2f} s ({document.blockCount():,} "
          f"blocks, longest {longest - 1:,}); {load()}")  # fmt: skip
    middle_of(editor, body)
    app.processEvents()
    layout.blockBoundingRect(document.lastBlock())
    after_paste = [key(app, editor, letter) for letter in "typing after the paste"]
    print(f"keys after the paste: p50 {ms(percentile(after_paste, 0.5))}, "
          f"max {ms(max(after_paste))}")  # fmt: skip
    editor.close()
    del markdown_bridge

    source = SourceEditor()
    source.resize(900, 700)
    source.show()
    app.processEvents()
    start = time.perf_counter()
    source.load_markdown(body)
    app.processEvents()
    source_load = time.perf_counter() - start
    cursor = source.textCursor()
    cursor.setPosition(len(body) // 2)
    source.setTextCursor(cursor)
    source.ensureCursorVisible()
    app.processEvents()
    source_keys = [key(app, source, letter) for letter in "ab"]
    keys_text = ", ".join(ms(k) for k in source_keys)
    print(f"source view: load {source_load:.2f} s, keystrokes {keys_text}; {load()}")
    source.close()

    from editor.core.model import Article
    from editor.ui.preview.render import PreviewRenderer

    renderer = PreviewRenderer()
    start = time.perf_counter()
    renderer.full(Article(id="huge", headline="Huge", body=body))
    full = time.perf_counter() - start
    middle = len(body) // 2
    edited = Article(id="huge", headline="Huge", body=body[:middle] + "x" + body[middle:])
    start = time.perf_counter()
    renderer.update(edited)
    patch = time.perf_counter() - start
    print(f"preview worker: full page {full:.2f} s, patch after one typed key {patch:.2f} s; "
          f"{load()}")  # fmt: skip


def _blocks(document):
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def window_part(kind: str, trace: bool, quit_with: str = "dirty") -> None:
    slots = None
    if trace:
        from bench_window_typing import SlotTimer

        slots = SlotTimer(threshold_ms=100.0)
        slots.install()
    from editor.services.newsroom import Newsroom
    from editor.ui.app import make_application
    from editor.ui.main_window import MainWindow
    from editor.ui.settings import Preferences, WindowState

    app = make_application()
    folder = Path(tempfile.mkdtemp(prefix="bench-huge-paragraph-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    room = Newsroom.open(folder / "bench.db")
    body = body_for(kind)
    article = room.create_article("The huge read", body)
    print(f"[{kind}] window: {len(body):,} characters; {load()}")
    window = MainWindow(room, Preferences(), WindowState(QSettings()))
    window.resize(1440, 900)
    window.show()
    heartbeat = Heartbeat()
    heartbeat.start()
    start = time.perf_counter()
    window.start(article.id)
    opened = wait_until(app, lambda: window.session.article is not None, 300)
    print(f"session open in {ms(opened)}; worst stall {heartbeat.worst:.0f} ms")
    # A long body is converted on a worker (`BodyEditor.open_markdown`): the text is in
    # the editor when it stops opening.
    text_in = wait_until(app, lambda: not getattr(window.editor, "opening", False), 300)
    text_in = (text_in or 0) + (opened or 0)
    print(f"opened (text in the editor) in {ms(text_in)}; worst stall while opening "
          f"{heartbeat.worst:.0f} ms")  # fmt: skip
    settled = wait_until(
        app, lambda: not window.spelling.highlighter.busy and not window.checks.busy, 120
    )
    print(f"spell check and copy desk settled after {ms(settled)}; {load()}")
    pump(app, 1.0)
    editor = window.editor
    editor.setFocus()
    middle_of(editor, body)
    pump(app, 0.2)
    heartbeat.start()
    latencies = []
    typed = "QUOKKA"
    for letter in typed * 5:
        latencies.append(key(app, editor, letter))
        pump(app, 0.04)
    typing_stall = heartbeat.worst
    journal_ms = getattr(window.session, "_journal_cost_ms", float("nan"))
    print(f"journal: the text taken on the GUI thread in {journal_ms:.1f} ms (moving average)")
    last_key = time.perf_counter()
    print(f"30 keys: first {ms(latencies[0])}, p50 {ms(percentile(latencies, 0.5))}, "
          f"p99 {ms(percentile(latencies, 0.99))}, max {ms(max(latencies))}; worst GUI "
          f"stall while typing {typing_stall:.0f} ms; {load()}")  # fmt: skip
    heartbeat.start()
    saved = wait_until(app, lambda: typed * 5 in room.get_article(article.id).body, 120)
    print(f"typed text in the store {ms(saved)} after the last key (autosave); worst "
          f"stall meanwhile {heartbeat.worst:.0f} ms; {load()}")  # fmt: skip
    del last_key
    # Five keys more, then Quit at once: the close path saves them (the real case);
    # `--quit clean` quits with everything saved.
    if quit_with == "dirty":
        for letter in "ZEBRA":
            key(app, editor, letter)
        pump(app, 0.05)
    heartbeat.stop()
    parts = _time_close_parts(window)
    profile = None
    if trace:
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    start = time.perf_counter()
    window.close()
    app.processEvents()
    if profile is not None:
        import pstats

        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    print(f"Quit (window.close, {quit_with}) {time.perf_counter() - start:.2f} s; {load()}")
    print("  of which: " + ", ".join(f"{name} {spent:.2f} s" for name, spent in parts.items()
                                     if spent >= 0.05))  # fmt: skip
    if quit_with == "dirty":
        kept = "ZEBRA" in room.get_article(article.id).body
        print(f"the 5 keys typed just before Quit are in the store: {kept}")
    room.close()
    if slots is not None:
        print("slots over 100 ms on the GUI thread:")
        for _at, spent, what in slots.calls:
            print(f"  {spent:7.0f} ms  {what}")


def _time_close_parts(window) -> dict[str, float]:
    """Time what `closeEvent` calls (the save, then each part's shutdown), by name."""
    spent: dict[str, float] = {}

    def timed(name: str, function):
        def call(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

        return call

    window._save_before_closing = timed("save", window._save_before_closing)
    window.session.stop = timed("session.stop", window.session.stop)
    for name in ("preview", "importer", "sync", "desk_watch", "checks", "list_model",
                 "workflow", "idle_gc"):  # fmt: skip
        part = getattr(window, name, None)
        if part is not None and hasattr(part, "shutdown"):
            part.shutdown = timed(f"{name}.shutdown", part.shutdown)
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["editor", "window"], default="editor")
    parser.add_argument("--body", choices=["1mb", "5mb", "200k"], default="1mb")
    parser.add_argument("--trace", action="store_true", help="list slow slots (window)")
    parser.add_argument(
        "--quit",
        choices=["dirty", "clean"],
        default="dirty",
        help="quit with 5 keys unsaved (default) or all saved (window)",
    )
    args = parser.parse_args()
    if args.part == "editor":
        editor_part(args.body)
    else:
        window_part(args.body, args.trace, args.quit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
