"""Focus mode hides the panels, dims all but the current paragraph, and Esc leaves it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from editor.ui.body.focus_mode import DIM_COLOUR


def test_focus_mode_hides_panels_dims_and_restores(make_window, qtbot) -> None:
    window = make_window()
    window.actions["file_new"].trigger()
    window.editor.load_markdown("First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n")
    cursor = window.editor.textCursor()
    cursor.setPosition(window.editor.document().findBlockByNumber(1).position() + 2)
    window.editor.setTextCursor(cursor)
    window.actions["view_focus_mode"].trigger()
    assert window.focus_mode.active
    for panel in (window.article_list, window.side_tabs, window.format_toolbar,
                  window.menuBar(), window.statusBar()):  # fmt: skip
        assert not panel.isVisible()
    dims = [
        s for s in window.editor.extraSelections() if s.format.foreground().color() == DIM_COLOUR
    ]
    spans = sorted((s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in dims)
    second = window.editor.document().findBlockByNumber(1)
    assert spans[0] == (0, second.position())
    assert spans[1][0] == second.position() + second.length()
    before = window.editor.markdown()
    assert window.editor.document().isUndoAvailable() is False  # dimming is no edit
    assert window.editor.markdown() == before

    window.editor.setFocus()
    qtbot.keyClick(window.editor, Qt.Key.Key_Escape)
    assert not window.focus_mode.active
    assert not window.actions["view_focus_mode"].isChecked()
    assert window.article_list.isVisible() and window.side_tabs.isVisible()
    assert window.menuBar().isVisible()
    assert not [s for s in window.editor.extraSelections()
                if s.format.foreground().color() == DIM_COLOUR]  # fmt: skip


def test_typewriter_scrolling_centres_the_cursor(make_window) -> None:
    window = make_window()
    window.actions["file_new"].trigger()
    window.editor.load_markdown("\n\n".join(f"Paragraph {n}." for n in range(200)) + "\n")
    window.actions["view_focus_mode"].trigger()
    window.actions["view_typewriter"].setChecked(True)
    block = window.editor.document().findBlockByNumber(100)
    cursor = window.editor.textCursor()
    cursor.setPosition(block.position())
    window.editor.setTextCursor(cursor)
    middle = window.editor.viewport().height() // 2
    assert abs(window.editor.cursorRect().center().y() - middle) < 40
    window.editor.moveCursor(QTextCursor.MoveOperation.Down)
    assert abs(window.editor.cursorRect().center().y() - middle) < 40
    window.actions["view_focus_mode"].trigger()
