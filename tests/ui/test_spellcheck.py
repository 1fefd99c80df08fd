"""Spell check in the window: squiggles filled in steps, the context menu, the View switch."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QContextMenuEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu

from tests.ui.conftest import FAST

QUIET = replace(FAST, autosave_delay_ms=60_000)


def _squiggled(window) -> list[str]:
    """The words underlined as misspelled, in document order."""
    words: list[str] = []
    block = window.editor.document().begin()
    while block.isValid():
        for fmt in block.layout().formats():
            if fmt.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline:
                words.append(block.text()[fmt.start : fmt.start + fmt.length])
        block = block.next()
    return words


def _settled(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.spelling.highlighter.busy, timeout=10_000)


def _open(make_window, newsroom, qtbot, body: str, preferences=QUIET):
    article = newsroom.create_article("Spelling", body)
    window = make_window(preferences)
    window.open_article(article.id)
    _settled(qtbot, window)
    return window, article


def _menu_at_word(window, word: str) -> QMenu:
    position = window.editor.toPlainText().index(word) + 1
    cursor = QTextCursor(window.editor.document())
    cursor.setPosition(position)
    menu = window.editor.createStandardContextMenu()
    window.spelling.extend_menu(menu, cursor)
    return menu


def test_misspelled_words_are_squiggled_after_opening(make_window, newsroom, qtbot) -> None:
    window, _ = _open(
        make_window, newsroom, qtbot,
        "The Brightlume limousine recieved a new coat.\n\nSee https://example.com/teh and NATO.\n",
    )  # fmt: skip
    assert _squiggled(window) == ["Brightlume", "recieved"]
    assert not window.isWindowModified()  # squiggles are not edits


def test_typing_a_word_checks_it_once_the_cursor_leaves_it(make_window, newsroom, qtbot) -> None:
    window, _ = _open(make_window, newsroom, qtbot, "Filed.\n")
    window.editor.setFocus()
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, " Teh")
    _settled(qtbot, window)
    assert _squiggled(window) == []  # still being typed
    qtbot.keyClicks(window.editor, " convoy")
    qtbot.waitUntil(lambda: _squiggled(window) == ["Teh"], timeout=5000)


def test_suggestion_replaces_the_word_as_one_undo_step(make_window, newsroom, qtbot) -> None:
    window, _ = _open(make_window, newsroom, qtbot, "They recieved it.\n")
    menu = _menu_at_word(window, "recieved")
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == "received"
    assert "Add “recieved” to Dictionary" in texts and "Ignore “recieved”" in texts
    menu.actions()[0].trigger()
    assert window.editor.toPlainText().strip() == "They received it."
    _settled(qtbot, window)
    assert _squiggled(window) == []
    window.editor.undo()
    assert window.editor.toPlainText().strip() == "They recieved it."


def test_add_to_dictionary_is_kept_in_the_store(make_window, newsroom, qtbot) -> None:
    window, _ = _open(make_window, newsroom, qtbot, "The Wendshire plant.\n\nWendshire again.\n")
    assert _squiggled(window) == ["Wendshire", "Wendshire"]
    menu = _menu_at_word(window, "Wendshire")
    next(a for a in menu.actions() if a.objectName() == "spellAddToDictionary").trigger()
    qtbot.waitUntil(lambda: _squiggled(window) == [], timeout=5000)
    assert newsroom.dictionary_words() == ["Wendshire"]
    assert "Added “Wendshire”" in window.status.currentMessage()


def test_ignore_lasts_while_the_article_is_open(make_window, newsroom, qtbot) -> None:
    other = newsroom.create_article("Other", "Kumsusan palace.\n")
    window, _article = _open(make_window, newsroom, qtbot, "Kumsusan palace.\n")
    menu = _menu_at_word(window, "Kumsusan")
    next(a for a in menu.actions() if a.objectName() == "spellIgnore").trigger()
    qtbot.waitUntil(lambda: _squiggled(window) == [], timeout=5000)
    assert newsroom.dictionary_words() == []
    window.open_article(other.id)
    _settled(qtbot, window)
    assert _squiggled(window) == ["Kumsusan"]


def test_no_spelling_entries_on_a_correct_word(make_window, newsroom, qtbot) -> None:
    window, _ = _open(make_window, newsroom, qtbot, "Correct words only.\n")
    menu = _menu_at_word(window, "words")
    assert not any(a.objectName().startswith("spell") for a in menu.actions())


def test_spell_check_can_be_turned_off_from_the_view_menu(make_window, newsroom, qtbot) -> None:
    window, _ = _open(make_window, newsroom, qtbot, "Teh end.\n")
    toggle = window.actions["view_spell_check"]
    assert toggle.isChecked()
    (view,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&View"]
    assert toggle in view.actions()
    assert _squiggled(window) == ["Teh"]
    toggle.trigger()
    _settled(qtbot, window)
    assert _squiggled(window) == []
    assert window.spelling.highlighter.misspelled_at(QTextCursor(window.editor.document())) is None
    toggle.trigger()
    qtbot.waitUntil(lambda: _squiggled(window) == ["Teh"], timeout=5000)


def test_the_editor_context_menu_carries_suggestions(make_window, newsroom, qtbot) -> None:
    window, _ = _open(make_window, newsroom, qtbot, "Teh end.\n")
    shown: list[list[str]] = []

    def read_and_close() -> None:
        menu = QApplication.activePopupWidget()
        shown.append([a.text() for a in menu.actions()] if menu else [])
        if menu:
            menu.close()

    QTimer.singleShot(200, read_and_close)
    rect = window.editor.cursorRect(QTextCursor(window.editor.document()))
    point = rect.center() + QPoint(6, 0)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, window.editor.mapToGlobal(point)
    )
    window.editor.contextMenuEvent(event)
    assert shown and shown[0][0] == "The"
