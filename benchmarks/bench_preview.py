"""Preview update after editing one paragraph of a 20,000-word article, in the real window.

Measures, offscreen, 30 times: from the end of the typing pause (the moment the preview's
render starts: snapshot of the editor, block split, render of the changed block, diff) to
the page's JavaScript confirming the patch applied. Also the worst GUI-thread stall meanwhile
(a 2 ms heartbeat's lateness). Usage:

    .venv/bin/python benchmarks/bench_preview.py [--edits 30] [--words 20000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_list_gui import Heartbeat, wait_until
from PySide6.QtCore import QSettings
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QSplitter

from editor.core.model import Article
from editor.core.text import word_count
from editor.services.newsroom import Newsroom
from editor.ui.app import make_application
from editor.ui.body.editor import BodyEditor
from editor.ui.main_window import MainWindow
from editor.ui.preview.pane import PreviewPane
from editor.ui.preview.scroll_sync import ScrollSync
from editor.ui.settings import Preferences, WindowState

_SENTENCES = [
    "The council met on Tuesday to discuss the flood defences along the river.",
    "Residents said the water rose faster than at any time in living memory.",
    "Engineers will inspect the harbour wall before the next spring tide.",
    "A spokesperson declined to comment on the cost of the repairs.",
    "Shops on the high street reopened after two days of clearing up.",
]


def long_body(words: int) -> str:
    """About `words` words: paragraphs, subheads every tenth paragraph, a list now and then."""
    blocks: list[str] = []
    total = 0
    n = 0
    while total < words:
        n += 1
        if n % 10 == 0:
            blocks.append(f"## Part {n // 10}")
        if n % 25 == 0:
            blocks.append("- first point\n- second point\n- third point")
        sentences = [_SENTENCES[(n + i) % len(_SENTENCES)] for i in range(3)]
        paragraph = f"Paragraph {n}. " + " ".join(sentences)
        blocks.append(paragraph)
        total += word_count(paragraph)
    return "\n\n".join(blocks) + "\n"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument(
        "--window", action="store_true", help="in the whole MainWindow, with every other panel"
    )
    args = parser.parse_args()

    app = make_application()
    folder = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    newsroom = Newsroom.open(folder / "bench.db")
    body = long_body(args.words)
    article = newsroom.create_article(headline="A very long read", dateline="YORK", body=body)
    if args.window:
        prefs = Preferences(preview_delay_ms=10_000, autosave_delay_ms=600_000)
        window = MainWindow(newsroom, prefs, WindowState(QSettings()))
        window.start(article.id)
        pane, editor, snapshot = window.preview, window.editor, window.session.snapshot
    else:  # the editor and the preview alone, as MainWindow wires them
        window = QSplitter()
        editor = BodyEditor()
        pane = PreviewPane(10_000)
        window.addWidget(editor)
        window.addWidget(pane)
        ScrollSync(editor, pane, window)
        editor.load_markdown(article.body)

        def snapshot() -> Article:
            return replace(article, body=editor.markdown())

        pane.set_source(snapshot)
        pane.refresh_now()
    window.resize(1440, 900)
    window.show()
    wait_until(app, lambda: bool(pane.timings), 60)
    first_load = pane.timings[-1]
    blocks = pane.block_count
    print(f"{word_count(body)} words, {blocks} blocks; first load {first_load * 1000:.0f} ms")

    document = editor.document()
    heartbeat = Heartbeat()
    times: list[float] = []
    stalls: list[float] = []
    for edit in range(args.edits):
        # Type a word into a paragraph spread over the article (one edit = one paragraph).
        number = 3 + (edit * 7919) % (document.blockCount() - 6)
        block = document.findBlockByNumber(number)
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        editor.setTextCursor(cursor)
        editor.insertPlainText(f" edit{edit}")
        app.processEvents()
        shown = len(pane.timings)
        heartbeat.start()
        pane._timer.stop()
        pane._start()  # the end of the pause: what the debounce timer's timeout does
        wait_until(app, lambda shown=shown: len(pane.timings) > shown, 30)
        if pane.patch_error is not None:
            print(f"edit {edit}: the patch failed ({pane.patch_error}); the page was reloaded")
            pane.patch_error = None
        heartbeat.timer.stop()
        times.append(pane.timings[-1] * 1000)
        stalls.append(heartbeat.worst)
    print("each edit (ms):", " ".join(f"{t:.0f}" for t in times))
    p50, p95 = statistics.median(times), percentile(times, 0.95)
    print(f"edit one paragraph -> patched page: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
          f"min {min(times):.1f}, max {max(times):.1f} ms; worst GUI stall "
          f"{max(stalls):.0f} ms (median {statistics.median(stalls):.0f} ms)")  # fmt: skip
    snapshot_times = []
    for _ in range(10):
        start = time.perf_counter()
        snapshot()
        snapshot_times.append((time.perf_counter() - start) * 1000)
    print(f"of which the editor -> Markdown snapshot: {statistics.median(snapshot_times):.1f} ms")
    if args.window:
        window.session.stop()
        window.list_model.shutdown()
    pane.shutdown()
    newsroom.close()


if __name__ == "__main__":
    main()
