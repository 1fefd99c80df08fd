"""The stale-save comparison on a long article (issue 15): what it costs the GUI thread.

A stale save is decided on the GUI thread (the save that met it was synchronous, or its
result is applied there), so building the dialog's content must stay short. On a
20,000-word article of ~330 paragraphs, where the person changed 5 paragraphs and a
colleague 5 others and the headline:

- `merge_edits` (merge3 paragraph merge, fields, aligned rows),
- `comparison_html` folded (the default view) and whole (Show unchanged paragraphs),
- `ComparisonView` built and laid out offscreen (Qt parsing the HTML table),
- in a real `MainWindow` over a SQLite store: the session's `_conflict_versions` (the
  body snapshot, reading theirs and its revision, the merge), timed inside a stale save.

    .venv/bin/python benchmarks/bench_conflict_merge.py [--runs 7]
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
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from editor.core.merge import merge_edits
from editor.core.model import Article
from editor.services.newsroom import Newsroom
from editor.ui import dialogs
from editor.ui.conflict_dialog import ComparisonView, ConflictVersions, comparison_html
from editor.ui.dialogs import ConflictChoice

WORDS = "the harbour wall held through the night as waves of nine metres broke on it".split()


def _body(paragraphs: int = 330, words: int = 60) -> str:
    out = []
    for n in range(paragraphs):
        text = " ".join(WORDS[(n + i) % len(WORDS)] for i in range(words))
        out.append(f"Paragraph {n}: {text}.")
    return "\n\n".join(out) + "\n"


def _edit(body: str, numbers: range, words: str) -> str:
    paragraphs = body.rstrip("\n").split("\n\n")
    for n in numbers:
        paragraphs[n] = paragraphs[n].rstrip(".") + f", {words}."
    return "\n\n".join(paragraphs) + "\n"


def _median_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    app = QApplication.instance() or QApplication(sys.argv)
    body = _body()
    words = len(body.split())
    base = Article(id="a", headline="Harbour", body=body)
    mine = replace(base, body=_edit(body, range(10, 60, 10), "said the reporter"))
    theirs = replace(
        base, headline="Harbour wall", body=_edit(body, range(200, 250, 10), "said the desk")
    )
    merge = merge_edits(base, theirs, mine)
    assert merge.clean
    versions = ConflictVersions(base, mine, theirs, "Rita", None, merge)
    print(f"article: {words} words, {body.count(chr(10) * 2) + 1} paragraphs")
    print(f"merge_edits: {_median_ms(lambda: merge_edits(base, theirs, mine), runs):.1f} ms")
    print(f"comparison_html folded: {_median_ms(lambda: comparison_html(versions), runs):.1f} ms")
    whole = _median_ms(lambda: comparison_html(versions, whole=True), runs)
    print(f"comparison_html whole: {whole:.1f} ms")

    def view() -> None:
        widget = ComparisonView(versions)
        widget.resize(1000, 500)
        widget.browser.document().size()  # the layout of the HTML table
        widget.deleteLater()

    print(f"ComparisonView built and laid out: {_median_ms(view, runs):.1f} ms")
    print(f"ComparisonView, Show unchanged: {_show_all_ms(versions, runs):.1f} ms")
    print(f"window: session._conflict_versions in a stale save: {_window_ms(app, runs):.1f} ms")


def _show_all_ms(versions: ConflictVersions, runs: int) -> float:
    widget = ComparisonView(versions)
    widget.resize(1000, 500)

    def toggle() -> None:
        widget.whole.setChecked(not widget.whole.isChecked())
        widget.browser.document().size()

    return _median_ms(toggle, runs)


def _window_ms(app: QApplication, runs: int) -> float:
    from editor.ui.main_window import MainWindow
    from editor.ui.settings import Preferences, WindowState

    folder = Path(tempfile.mkdtemp())
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    room = Newsroom.open(folder / "store.db")
    article = room.create_article("Harbour", _body())
    window = MainWindow(room, Preferences(autosave_delay_ms=600_000), WindowState(QSettings()))
    window.show()
    window.open_article(article.id)
    other = Newsroom.open(folder / "store.db")
    times: list[float] = []
    real = window.session._conflict_versions

    def timed():
        started = time.perf_counter()
        versions = real()
        times.append((time.perf_counter() - started) * 1000)
        return versions

    window.session._conflict_versions = timed
    dialogs.ask_conflict = lambda _parent, _message: ConflictChoice.MERGE
    for n in range(runs):
        current = other.get_article(article.id)
        other.save_article(
            article.id,
            expected_version=current.version,
            body=_edit(current.body, range(300, 301), f"desk {n}"),
        )
        cursor = window.editor.textCursor()
        cursor.setPosition(5)
        window.editor.setTextCursor(cursor)
        window.editor.insertPlainText(f"r{n} ")
        assert window.session.save()
        app.processEvents()
    other.close()
    window.session.stop()
    window.close()
    return statistics.median(times)


if __name__ == "__main__":
    main()
