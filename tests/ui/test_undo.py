"""Undo in two layers: the body's own history, and one history for the article's details."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from tests.ui.conftest import FAST


def _open(make_window, newsroom, preferences=FAST):
    article = newsroom.create_article(
        headline="Harbour wall holds", body="The tide turned.\n", standfirst="Old standfirst."
    )
    window = make_window(preferences)
    window.open_article(article.id)
    return window, article


def test_undo_restores_the_standfirst_as_one_step_and_saves_it(
    make_window, newsroom, qtbot
) -> None:
    window, article = _open(make_window, newsroom)
    standfirst = window.inspector.standfirst
    window.side_tabs.setCurrentWidget(window.inspector)
    standfirst.setFocus()
    standfirst.moveCursor(QTextCursor.MoveOperation.End)
    with qtbot.waitSignal(window.session.saved, timeout=5000):
        qtbot.keyClicks(standfirst, " More.")
    assert newsroom.get_article(article.id).standfirst == "Old standfirst. More."
    undo = window.actions["edit_undo"]
    assert undo.isEnabled()
    assert undo.text() == "&Undo Standfirst Edit"

    with qtbot.waitSignal(window.session.saved, timeout=5000):
        undo.trigger()  # one step takes back all the typing in the field

    assert standfirst.toPlainText() == "Old standfirst."
    assert newsroom.get_article(article.id).standfirst == "Old standfirst."
    assert not undo.isEnabled()

    with qtbot.waitSignal(window.session.saved, timeout=5000):
        window.actions["edit_redo"].trigger()
    assert standfirst.toPlainText() == "Old standfirst. More."
    assert newsroom.get_article(article.id).standfirst == "Old standfirst. More."


def test_ctrl_z_in_a_field_steps_back_through_the_details(make_window, newsroom, qtbot) -> None:
    window, article = _open(make_window, newsroom, replace(FAST, autosave_delay_ms=60_000))
    inspector = window.inspector
    window.side_tabs.setCurrentWidget(inspector)
    signed = inspector.byline.text()
    inspector.byline.selectAll()
    qtbot.keyClicks(inspector.byline, "Jane Doe")
    qtbot.keyClicks(inspector.dateline, "LONDON -")

    qtbot.keyClick(inspector.dateline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert inspector.dateline.text() == ""
    assert inspector.byline.text() == "Jane Doe"
    qtbot.keyClick(inspector.dateline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert inspector.byline.text() == signed

    window.actions["file_save"].trigger()
    stored = newsroom.get_article(article.id)
    assert (stored.byline, stored.dateline) == (signed, "")


def test_undo_in_the_body_leaves_the_details_alone(make_window, newsroom, qtbot) -> None:
    window, _article = _open(make_window, newsroom, replace(FAST, autosave_delay_ms=60_000))
    window.headline_field.setFocus()
    window.headline_field.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.headline_field, " again")
    window.editor.setFocus()
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, " Then it rained.")

    window.actions["edit_undo"].trigger()

    assert "Then it rained." not in window.editor.toPlainText()
    assert window.headline_field.text() == "Harbour wall holds again"

    window.headline_field.setFocus()
    assert window.actions["edit_undo"].text() == "&Undo Headline Edit"
    window.actions["edit_undo"].trigger()
    assert window.headline_field.text() == "Harbour wall holds"
    assert window.inspector.headline.text() == "Harbour wall holds"


def test_opening_another_article_starts_a_fresh_history(make_window, newsroom, qtbot) -> None:
    window, _article = _open(make_window, newsroom, replace(FAST, autosave_delay_ms=60_000))
    other = newsroom.create_article(headline="Other story")
    qtbot.keyClicks(window.inspector.byline, "Jane Doe")
    assert window.history.stack.count() == 1

    window.open_article(other.id)

    assert window.history.stack.count() == 0
    window.inspector.byline.setFocus()
    assert not window.actions["edit_undo"].isEnabled()
