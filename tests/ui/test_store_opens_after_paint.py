"""A window over a store that opens after its first paint (`editor.services.deferred_open`):
the article it opens with is shown from the file, editable only when the person may
change it, and nothing typed before the store opens is lost, whatever happens next."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from editor.services.deferred_open import open_soon
from editor.services.newsroom import Newsroom
from editor.ui import dialogs
from editor.ui.dialogs import ConflictChoice
from editor.ui.main_window import MainWindow
from editor.ui.settings import WindowState

from .conftest import FAST


@pytest.fixture
def stories(store_path, newsroom) -> dict[str, str]:
    """Ada's draft (the newest) and an editor's approved story, by name."""
    older = newsroom.create_article("Someone else's", "Not yours to change.", sign=False)
    newsroom.add_user("Rita Reporter", "reporter")
    newsroom.switch_user("Rita Reporter")
    mine = newsroom.create_article("Rita's draft", "The text as filed.", sign=False)
    return {"mine": mine.id, "other": older.id}


@pytest.fixture
def deferred_window(app, qtbot, store_path, stories) -> Iterator:
    windows: list[tuple[MainWindow, object]] = []

    def make(user: str = "Rita Reporter", start: str | None = None) -> MainWindow:
        soon = open_soon(store_path, user)
        assert soon is not None
        window = MainWindow(soon, FAST, WindowState(QSettings()))
        qtbot.addWidget(window)
        window.show()  # not painted yet: no event loop has run
        window.start(start)  # the list and the article from the file, nothing opened
        windows.append((window, soon))
        return window

    yield make
    for window, soon in windows:
        window.list_model.shutdown()
        if window.isVisible():
            window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        soon.close()


def test_the_article_is_shown_and_typed_into_before_the_store_opens(
    deferred_window, stories, store_path
):
    window = deferred_window()
    assert not window.newsroom.is_open
    assert window.headline_field.text() == "Rita's draft"
    assert window.editor.toPlainText() == "The text as filed."
    assert not window.editor.isReadOnly() and window.session.article is None
    QTest.keyClicks(window.editor, "Now: ")
    assert not window.newsroom.is_open  # typing needs no store
    window.open_store()
    assert window.session.article.id == stories["mine"]
    assert window.editor.toPlainText() == "Now: The text as filed."  # not loaded again
    assert window.session.save(reason="save")
    room = Newsroom.open(store_path, "Rita Reporter")
    try:
        assert room.get_article(stories["mine"]).body.strip() == "Now: The text as filed."
    finally:
        room.close()


def test_what_the_person_may_not_change_is_shown_read_only(deferred_window, stories):
    window = deferred_window(start=stories["other"])
    assert window.headline_field.text() == "Someone else's"  # the one asked for
    assert window.editor.isReadOnly()  # an admin's draft, not Rita's to change
    window.open_store()
    assert window.session.article.id == stories["other"] and window.editor.isReadOnly()


def test_another_article_opened_first_keeps_what_was_typed(deferred_window, stories, store_path):
    window = deferred_window()
    QTest.keyClicks(window.editor, "Typed early. ")
    assert window.open_article(stories["other"])  # a click in the list, store not open yet
    assert window.session.article.id == stories["other"]
    room = Newsroom.open(store_path, "Rita Reporter")
    try:
        assert room.get_article(stories["mine"]).body.startswith("Typed early. The text")
    finally:
        room.close()


def test_a_version_saved_meanwhile_is_a_conflict_not_an_overwrite(
    deferred_window, stories, store_path, monkeypatch
):
    window = deferred_window()
    QTest.keyClicks(window.editor, "Mine. ")
    other = Newsroom.open(store_path, "Rita Reporter")  # another window saves it first
    try:
        article = other.get_article(stories["mine"])
        other.save_article(article.id, expected_version=article.version, body="Theirs.")
    finally:
        other.close()
    asked: list[object] = []

    def ask(_parent, message):
        asked.append(message)
        return ConflictChoice.SAVE_COPY

    monkeypatch.setattr(dialogs, "ask_conflict", ask)
    window.open_store()
    assert window.session.save(reason="save")
    assert asked  # the stale save was said, not written over theirs silently
    room = Newsroom.open(store_path, "Rita Reporter")
    try:
        assert room.get_article(stories["mine"]).body.strip() == "Theirs."
        bodies = [room.get_article(s.id).body.strip() for s in room.list_articles()]
        assert "Mine. The text as filed." in bodies  # kept as a copy
    finally:
        room.close()


def test_a_restore_at_start_shows_the_restored_text(deferred_window, stories, store_path, qtbot):
    window = deferred_window()
    assert window.editor.toPlainText() == "The text as filed."
    other = Newsroom.open(store_path, "Rita Reporter")  # what Restore writes, at start
    try:
        article = other.get_article(stories["mine"])
        other.save_article(
            article.id, expected_version=article.version, body="Recovered.",
            changes={"headline": "Recovered headline"},
        )  # fmt: skip
    finally:
        other.close()
    window.newsroom.open()
    window.recovered_at_start(stories["mine"])
    window.open_store()
    assert window.session.article.body == "Recovered."
    assert window.editor.toPlainText() == "Recovered."  # not the text shown before
    model = window.list_model  # the list read before the restore says it too, soon
    qtbot.waitUntil(
        lambda: model.summary(model.row_of(stories["mine"])).headline == "Recovered headline"
    )


def test_closed_before_the_store_opened_what_was_typed_is_saved(
    deferred_window, stories, store_path
):
    window = deferred_window()
    QTest.keyClicks(window.editor, "Quick. ")
    assert not window.newsroom.is_open and window.early.typed_into
    window.close()  # the store opens now, to keep it
    room = Newsroom.open(store_path, "Rita Reporter")
    try:
        assert room.get_article(stories["mine"]).body.strip() == "Quick. The text as filed."
    finally:
        room.close()
