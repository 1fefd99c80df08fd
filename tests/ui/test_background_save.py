"""The pause autosave and the journal write on a worker thread, in order with every other save.

A store whose autosave waits on a gate keeps a write "in flight" for as long as the test
needs; what happens meanwhile (Ctrl+S, switching article, more typing, a write from another
window) must land in order, without a spurious conflict and without losing text.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QTextCursor

from editor.services.newsroom import Newsroom
from editor.ui import dialogs
from editor.ui.dialogs import ConflictChoice
from tests.ui.conftest import FAST


class GatedSaves:
    """Holds the worker's autosave until `release` (then 0.2 s more, so it is still in
    flight when the GUI thread acts); saves on the GUI thread pass straight through."""

    def __init__(self, window, monkeypatch) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls: list[tuple[str, bool]] = []  # (reason, on the worker)
        real = window.newsroom.save_article

        def gated(*args, **kwargs):
            on_worker = threading.current_thread() is not threading.main_thread()
            self.calls.append((kwargs.get("reason", "save"), on_worker))
            if on_worker:
                self.started.set()
                self.release.wait(10)
                time.sleep(0.2)
            return real(*args, **kwargs)

        monkeypatch.setattr(window.newsroom, "save_article", gated)


def _type(qtbot, window, text: str) -> None:
    window.editor.setFocus()
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, text)


def _conflicts(monkeypatch, choice: ConflictChoice) -> list[str]:
    seen: list[str] = []

    def ask(_parent, message: str) -> ConflictChoice:
        seen.append(message)
        return choice

    monkeypatch.setattr(dialogs, "ask_conflict", ask)
    return seen


def _reasons(newsroom, article_id: str) -> list[str]:
    return [r.reason for r in newsroom.revisions(article_id)]


def test_the_pause_autosave_runs_on_the_worker_and_the_gui_thread_stays_free(
    make_window, newsroom, qtbot, monkeypatch
) -> None:
    article = newsroom.create_article("Harbour", "Boats.\n")
    window = make_window()
    window.open_article(article.id)
    gate = GatedSaves(window, monkeypatch)
    _type(qtbot, window, " Ferries.")
    qtbot.waitUntil(gate.started.is_set, timeout=5000)
    # The GUI thread is not waiting for the store: typing goes on while the write waits.
    _type(qtbot, window, " Tugs.")
    assert window.editor.toPlainText().rstrip().endswith("Ferries. Tugs.")
    with qtbot.waitSignal(window.session.saved, timeout=5000):
        gate.release.set()
    # The typing made during the write is still unsaved, and autosaved next.
    qtbot.waitUntil(lambda: not window.isWindowModified(), timeout=5000)
    assert "Boats. Ferries. Tugs." in newsroom.get_article(article.id).body
    assert gate.calls == [("autosave", True), ("autosave", True)]
    assert _reasons(newsroom, article.id) == ["create", "autosave"]


def test_ctrl_s_during_an_autosave_waits_for_it_and_saves_in_order(
    make_window, newsroom, qtbot, monkeypatch
) -> None:
    article = newsroom.create_article("Council", "Vote.\n")
    window = make_window()
    window.open_article(article.id)
    seen = _conflicts(monkeypatch, ConflictChoice.KEEP_EDITING)
    gate = GatedSaves(window, monkeypatch)
    _type(qtbot, window, " Passed.")
    qtbot.waitUntil(gate.started.is_set, timeout=5000)
    _type(qtbot, window, " Narrowly.")
    gate.release.set()
    assert window.session._in_flight is not None  # still being written
    window.actions["file_save"].trigger()

    assert seen == []  # the Ctrl+S used the autosave's new version: no stale write
    assert not window.isWindowModified()
    assert not window.session.in_conflict
    assert [reason for reason, _worker in gate.calls] == ["autosave", "save"]
    assert _reasons(newsroom, article.id) == ["create", "autosave", "save"]
    stored = newsroom.get_article(article.id)
    assert "Vote. Passed. Narrowly." in stored.body
    assert stored.version == window.session.article.version
    assert newsroom.store.journal.list_journal() == []


def test_switching_article_during_an_autosave_loses_nothing(
    make_window, newsroom, qtbot, monkeypatch
) -> None:
    first = newsroom.create_article("First", "A.\n")
    second = newsroom.create_article("Second", "B.\n")
    window = make_window()
    window.open_article(first.id)
    seen = _conflicts(monkeypatch, ConflictChoice.KEEP_EDITING)
    gate = GatedSaves(window, monkeypatch)
    _type(qtbot, window, " Before.")
    qtbot.waitUntil(gate.started.is_set, timeout=5000)
    _type(qtbot, window, " During.")
    gate.release.set()
    window.open_article(second.id)

    assert seen == []
    assert window.session.article.id == second.id
    assert "A. Before. During." in newsroom.get_article(first.id).body
    assert _reasons(newsroom, first.id) == ["create", "autosave"]  # coalesced, in order
    assert newsroom.store.journal.list_journal() == []


def test_a_stale_write_from_another_window_during_an_autosave_shows_the_conflict(
    make_window, newsroom, store_path: Path, qtbot, monkeypatch
) -> None:
    article = newsroom.create_article("Vote", "Original.\n")
    window = make_window()
    window.open_article(article.id)
    seen = _conflicts(monkeypatch, ConflictChoice.KEEP_EDITING)
    gate = GatedSaves(window, monkeypatch)
    _type(qtbot, window, " Mine.")
    qtbot.waitUntil(gate.started.is_set, timeout=5000)
    other = Newsroom.open(store_path)
    try:
        other.save_article(article.id, expected_version=article.version, body="Theirs.\n")
    finally:
        other.close()
    gate.release.set()

    qtbot.waitUntil(lambda: window.session.in_conflict, timeout=5000)
    assert len(seen) == 1 and "after you opened it" in seen[0]
    assert "Mine." in window.editor.toPlainText()
    assert window.isWindowModified()
    assert newsroom.get_article(article.id).body == "Theirs.\n"
    (entry,) = newsroom.store.journal.list_journal()  # recoverable while the person decides
    assert "Mine." in entry.body
    # Settled the usual way: Ctrl+S asks again, and the person takes theirs.
    seen = _conflicts(monkeypatch, ConflictChoice.RELOAD_THEIRS)
    window.actions["file_save"].trigger()
    assert len(seen) == 1
    assert window.editor.toPlainText().strip() == "Theirs."


def test_ctrl_s_during_an_autosave_that_turns_out_stale_asks_once(
    make_window, newsroom, store_path: Path, qtbot, monkeypatch
) -> None:
    article = newsroom.create_article("Vote", "Original.\n")
    window = make_window(replace(FAST, autosave_delay_ms=150))
    window.open_article(article.id)
    seen = _conflicts(monkeypatch, ConflictChoice.RELOAD_THEIRS)
    gate = GatedSaves(window, monkeypatch)
    _type(qtbot, window, " Mine.")
    qtbot.waitUntil(gate.started.is_set, timeout=5000)
    other = Newsroom.open(store_path)
    try:
        other.save_article(article.id, expected_version=article.version, body="Theirs.\n")
    finally:
        other.close()
    gate.release.set()
    window.actions["file_save"].trigger()

    assert len(seen) == 1
    assert window.editor.toPlainText().strip() == "Theirs."
    assert not window.isWindowModified()
    assert newsroom.store.journal.list_journal() == []


def test_the_journal_is_written_on_the_worker(make_window, newsroom, qtbot, monkeypatch) -> None:
    article = newsroom.create_article("Harbour", "Boats.\n")
    window = make_window(replace(FAST, autosave_delay_ms=60_000))
    window.open_article(article.id)
    store = window.newsroom.store
    threads: list[bool] = []
    real = store.journal.write_journal

    def record(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(store.journal, "write_journal", record)
    _type(qtbot, window, " More boats.")
    qtbot.waitUntil(lambda: newsroom.store.journal.list_journal() != [], timeout=3000)
    assert threads == [False]
    assert "More boats." in newsroom.store.journal.list_journal()[0].body
    window.actions["file_save"].trigger()
    assert newsroom.store.journal.list_journal() == []
