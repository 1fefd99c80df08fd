"""Stale writes lose nothing; a store that cannot be opened gives one clear message."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox

from editor.core.errors import StoreError
from editor.core.model import ArticleQuery
from editor.services.newsroom import Newsroom
from editor.ui import app as gui_app
from editor.ui import dialogs
from tests.ui.conftest import FAST


def _press_conflict_button(monkeypatch, label: str, seen: list[str]) -> None:
    """Answer the conflict dialog by pressing one of its real buttons."""

    def exec_and_press(box: QMessageBox) -> int:
        seen.append(box.text() + "\n" + box.informativeText())
        for button in box.buttons():
            if button.text() == label:
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_and_press)


def _edit_elsewhere(store_path: Path, article_id: str) -> None:
    other = Newsroom.open(store_path)
    try:
        theirs = other.get_article(article_id)
        other.save_article(
            article_id, expected_version=theirs.version, body="Their version of events.\n"
        )
    finally:
        other.close()


def _type(qtbot, window, text: str) -> None:
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, text)


def test_stale_write_keeps_my_text_and_saves_it_as_a_copy(
    make_window, newsroom, store_path: Path, qtbot, monkeypatch
) -> None:
    article = newsroom.create_article(headline="Council vote", body="Original.\n")
    window = make_window(replace(FAST, autosave_delay_ms=60_000))
    window.open_article(article.id)
    _edit_elsewhere(store_path, article.id)
    seen: list[str] = []
    _press_conflict_button(monkeypatch, "Save My Version as a Copy", seen)

    _type(qtbot, window, " My late paragraph.")
    window.actions["file_save"].trigger()

    assert len(seen) == 1 and "Someone else saved this article" in seen[0]
    assert newsroom.get_article(article.id).body == "Their version of events.\n"
    copy = window.session.article
    assert copy.id != article.id
    assert "My late paragraph." in newsroom.get_article(copy.id).body
    assert "My late paragraph." in window.editor.toPlainText()
    assert newsroom.count_articles(ArticleQuery()) == 2


def test_keep_editing_after_a_stale_write_keeps_the_text_in_the_editor(
    make_window, newsroom, store_path: Path, qtbot, monkeypatch
) -> None:
    article = newsroom.create_article(headline="Council vote", body="Original.\n")
    window = make_window()
    window.open_article(article.id)
    _edit_elsewhere(store_path, article.id)
    seen: list[str] = []
    _press_conflict_button(monkeypatch, "Keep Editing", seen)

    _type(qtbot, window, " Still mine.")
    qtbot.waitUntil(lambda: window.session.in_conflict, timeout=5000)

    assert len(seen) == 1
    assert "Still mine." in window.editor.toPlainText()
    assert window.isWindowModified()
    assert window.status.save_state.text() == "Not saved: changed elsewhere"

    _press_conflict_button(monkeypatch, "Reload Theirs", seen)
    window.actions["file_save"].trigger()
    assert "Their version of events." in window.editor.toPlainText()
    assert not window.isWindowModified()


def test_a_bad_store_gives_one_critical_message_and_exit_code_2(
    app, tmp_path: Path, monkeypatch
) -> None:
    bad = tmp_path / "not-a-store.db"
    bad.write_bytes(b"this is not a database" * 100)
    messages: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda parent, title, text, *args: messages.append(text)
    )

    assert gui_app.run_gui(str(bad), None) == 2
    assert len(messages) == 1
    assert "Traceback" not in messages[0]


def test_quitting_when_the_store_refuses_to_save_asks_once_and_can_discard(
    make_window, newsroom, qtbot, monkeypatch
) -> None:
    article = newsroom.create_article(headline="Late copy", body="Filed.\n")
    window = make_window(replace(FAST, autosave_delay_ms=60_000))
    window.open_article(article.id)
    _type(qtbot, window, " Unsaveable paragraph.")

    def disk_full(*args, **kwargs):
        raise StoreError("The disk holding the store is full: free some space and save again.")

    monkeypatch.setattr(window.newsroom, "save_article", disk_full)
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: errors.append(text))
    seen: list[str] = []
    _press_conflict_button(monkeypatch, "Keep Window Open", seen)

    window.close()

    assert window.isVisible()
    assert len(seen) == 1 and "disk holding the store is full" in seen[0]
    assert errors == []  # one dialog, not an error box and then a question
    assert "Unsaveable paragraph." in window.editor.toPlainText()

    _press_conflict_button(monkeypatch, "Quit Without Saving", seen)
    window.close()

    assert not window.isVisible()
    assert len(seen) == 2
    assert "Unsaveable" not in newsroom.get_article(article.id).body


def test_keep_window_open_is_the_default_answer(app, monkeypatch) -> None:
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box) or 0)

    assert dialogs.ask_quit_without_saving(None, "The store is locked.") is False
    assert boxes[0].defaultButton().text() == "Keep Window Open"
    assert boxes[0].escapeButton().text() == "Keep Window Open"


def test_a_failing_autosave_is_reported_quietly_and_retried(
    make_window, newsroom, qtbot, monkeypatch
) -> None:
    from editor.ui.session import editing as editing_session

    monkeypatch.setattr(editing_session, "AUTOSAVE_RETRY_MS", 100)
    article = newsroom.create_article(headline="Disk trouble", body="Filed.\n")
    window = make_window()
    window.open_article(article.id)
    real_save = window.newsroom.save_article
    failures: list[str] = []

    def full_then_fine(*args, **kwargs):
        if len(failures) < 2:
            failures.append(kwargs.get("reason", ""))
            raise StoreError("The disk holding the store is full; nothing was saved.")
        return real_save(*args, **kwargs)

    monkeypatch.setattr(window.newsroom, "save_article", full_then_fine)
    dialogs_shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, _t, text: dialogs_shown.append(text))
    _type(qtbot, window, " Kept through a full disk.")

    qtbot.waitUntil(lambda: "Not saved" in window.status.save_state.text(), timeout=5000)
    assert "disk holding the store is full" in window.status.save_state.toolTip()
    # Retried on its own, without another keystroke, until the store takes it.
    qtbot.waitUntil(lambda: window.status.save_state.text().startswith("Saved"), timeout=5000)
    assert failures == ["autosave", "autosave"]
    assert dialogs_shown == []
    assert "Kept through a full disk." in newsroom.get_article(article.id).body


def test_a_store_with_several_users_asks_who_you_are_once(app, store_path, monkeypatch) -> None:
    from PySide6.QtCore import QSettings

    from editor.ui.settings import WindowState
    from editor.ui.workflow import users_dialog

    setup = Newsroom.open(store_path)
    first_user = setup.user.name
    setup.add_user("Edna Editor", "editor")
    setup.close()
    settings = QSettings()
    settings.remove("session/user_name")
    state = WindowState(settings)
    asked: list[list[str]] = []

    def pick(room, first_start=False):
        asked.append(sorted(u.name for u in room.users()))
        return next(u for u in room.users() if u.name == "Edna Editor")

    monkeypatch.setattr(users_dialog, "choose_user", pick)
    room = gui_app._open_as_someone(str(store_path), None, state)
    assert room.user.name == "Edna Editor"
    room.close()
    assert asked == [sorted([first_user, "Edna Editor"])]

    room = gui_app._open_as_someone(str(store_path), None, state)  # remembered: no question
    assert room.user.name == "Edna Editor" and len(asked) == 1
    room.close()

    settings.remove("session/user_name")
    monkeypatch.setattr(users_dialog, "choose_user", lambda *args, **kwargs: None)
    assert gui_app._open_as_someone(str(store_path), None, state) is None
