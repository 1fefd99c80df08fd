"""The window on a store whose disk is full: it opens for reading, says so, loses nothing.

A real full disk: a 3 MB tmpfs (root only, else skipped) filled to the last byte.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox

from editor.services.newsroom import Newsroom
from editor.ui import app as gui_app
from editor.ui import dialogs
from editor.ui.session.read_only import NOTICE_NAME
from editor.ui.session.recovery_offer import offer_recovery
from tests.store.test_damaged_store import _fill_disk, _folder, small_disk  # noqa: F401
from tests.ui.conftest import FAST


def _full_store(folder, monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    path = folder / "newsroom.db"
    room = Newsroom.init(path, "Ann")
    article = room.create_article("Flood warning", "The river rose overnight.\n")
    room.close()
    _fill_disk(folder)
    return path, article.id


def test_run_gui_opens_a_store_on_a_full_disk_instead_of_refusing_it(
    app,
    small_disk,  # noqa: F811 - the fixture imported above
    monkeypatch,
):
    path, _article_id = _full_store(small_disk, monkeypatch)
    refused: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: refused.append(text))
    opened: list[tuple[str | None, int]] = []

    def run_window(_app, newsroom, _state):
        try:
            opened.append((newsroom.store.read_only_reason, newsroom.count_articles()))
        finally:
            newsroom.close()  # as the real one does (else the disk stays busy)
        return 0, None

    monkeypatch.setattr(gui_app, "_run_window", run_window)
    assert gui_app.run_gui(str(path), "Ann") == 0
    assert refused == []
    assert len(opened) == 1
    reason, count = opened[0]
    assert count == 1
    assert reason is not None and "full" in reason and "reading only" in reason


def test_the_window_says_so_at_once_and_a_save_is_refused_clearly(
    make_window,
    small_disk,  # noqa: F811
    monkeypatch,
    qtbot,
):
    path, article_id = _full_store(small_disk, monkeypatch)
    room = Newsroom.open(path, "Ann")
    try:
        before = _folder(path)
        window = make_window(replace(FAST, autosave_delay_ms=60_000), room=room)
        assert offer_recovery(window, room, report=window.status.showMessage) is None
        notice = window.findChild(QMessageBox, NOTICE_NAME)
        assert notice is not None and notice.isVisible()
        assert "reading only" in notice.text()
        assert "reading only" in window.status.currentMessage()
        notice.accept()

        window.open_article(article_id)
        assert "The river rose overnight." in window.editor.toPlainText()
        shown: list[str] = []
        monkeypatch.setattr(dialogs, "show_error", lambda _p, _t, text: shown.append(text))
        window.editor.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClicks(window.editor, " Typed on a full disk.")
        window.actions["file_save"].trigger()

        assert len(shown) == 1 and "is full" in shown[0] and "nothing was saved" in shown[0]
        assert "Typed on a full disk." in window.editor.toPlainText()  # still on screen
        assert window.isWindowModified()
        assert room.get_article(article_id).body == "The river rose overnight.\n"
        asked: list[str] = []
        monkeypatch.setattr(
            dialogs, "ask_quit_without_saving", lambda _p, text: asked.append(text) or True
        )
        window.close()  # the question says why; the journal keeps the text for later
        assert len(asked) == 1 and "is full" in asked[0]
        assert _folder(path).get("newsroom.db") == before["newsroom.db"]
    finally:
        room.close()
    (small_disk / "filler").unlink()
    later = Newsroom.open(path, "Ann")  # the next start, with room, offers it back
    try:
        kept = [r.entry.body for r in later.recoverable()]
        assert any("Typed on a full disk." in body for body in kept)
    finally:
        later.close()
