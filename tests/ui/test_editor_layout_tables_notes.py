"""Typed blocks look like loaded ones, Tab in tables, Put Back and Undo, wide content,
dialog widths and no cursor warnings from Qt."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, qInstallMessageHandler
from PySide6.QtGui import QColor, QImage, QTextCursor
from PySide6.QtWidgets import QPushButton

from editor.ui.body import tables as table_commands
from editor.ui.body.editor import BodyEditor
from editor.ui.body.format_toolbar import LinkDialog
from editor.ui.body.tables import InsertTableDialog
from editor.ui.import_export.notes_panel import insert_markdown_paragraph

# -- 1. typed and loaded paragraphs share one block format ---------------------------------


def _formats(editor: BodyEditor) -> list[tuple]:
    rows = []
    block = editor.document().begin()
    while block.isValid():
        f = block.blockFormat()
        rows.append((block.text(), f.topMargin(), f.bottomMargin(), f.leftMargin(),
                     f.rightMargin(), f.lineHeight(), f.lineHeightType()))  # fmt: skip
        block = block.next()
    return rows


def _blocks(editor: BodyEditor) -> list:
    blocks, block = [], editor.document().begin()
    while block.isValid():
        blocks.append(block)
        block = block.next()
    return blocks


def _editor(qtbot, markdown: str) -> BodyEditor:
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.resize(800, 600)
    editor.show()
    editor.load_markdown(markdown)
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    return editor


def _enter_and_type(qtbot, editor: BodyEditor, text: str = "Typed") -> None:
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, text)


SCENARIOS = {
    "new article": ("", lambda qtbot, e: (qtbot.keyClicks(e, "One"), _enter_and_type(qtbot, e))),
    "after a heading": ("## Head", lambda qtbot, e: _enter_and_type(qtbot, e)),
    "list, then out of it": (
        "- a\n- b",
        lambda qtbot, e: (
            _enter_and_type(qtbot, e),
            qtbot.keyClick(e, Qt.Key.Key_Return),
            qtbot.keyClick(e, Qt.Key.Key_Return),
            qtbot.keyClicks(e, "After"),
        ),
    ),
    "after a rule": (
        "Para",
        lambda qtbot, e: (e.insert_horizontal_rule(), qtbot.keyClicks(e, "x")),
    ),
    "a quote": ("One\n\nTwo", lambda qtbot, e: (e.toggle_block_quote(), _enter_and_type(qtbot, e))),
    "put back": (
        "One\n\n- a\n- b\n\nTwo",
        lambda qtbot, e: insert_markdown_paragraph(e, "Back", 1),
    ),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_typed_blocks_have_the_format_of_loaded_ones(qtbot, name) -> None:
    markdown, act = SCENARIOS[name]
    editor = _editor(qtbot, markdown)
    act(qtbot, editor)
    typed = _formats(editor)
    reopened = _editor(qtbot, editor.markdown())
    assert typed == _formats(reopened)  # nothing moves when the article is opened again
    in_list = {block.text() for block in _blocks(editor) if block.textList() is not None}
    paragraphs = [
        row for row in typed if row[0] in {"One", "Typed", "Back", "After", "x"} - in_list
    ]
    assert paragraphs and all(row[1] > 0 and row[2] > 0 for row in paragraphs)


def test_the_format_fix_is_part_of_the_edit_for_undo(qtbot) -> None:
    editor = _editor(qtbot, "## Head")
    _enter_and_type(qtbot, editor)
    typed = _formats(editor)
    while editor.document().isUndoAvailable():
        editor.undo()
    assert editor.markdown() == "## Head\n"
    while editor.document().isRedoAvailable():
        editor.redo()
    assert _formats(editor) == typed


# -- 2. Tab in tables --------------------------------------------------------------------


def _cell(editor: BodyEditor) -> tuple[int, int, int]:
    found = table_commands.current_table(editor)
    assert found is not None
    table, cell = found
    return cell.row(), cell.column(), table.rows()


def test_tab_moves_between_cells_and_adds_a_row_after_the_last(qtbot) -> None:
    editor = _editor(qtbot, "Intro.\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n")
    table = editor.document().rootFrame().childFrames()[0]
    editor.setTextCursor(table.cellAt(0, 0).firstCursorPosition())
    before = editor.markdown()
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert _cell(editor) == (0, 1, 2)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert _cell(editor) == (1, 0, 2)
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert _cell(editor) == (0, 1, 2)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert _cell(editor) == (1, 1, 2)
    assert editor.markdown() == before  # no tab characters
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # the last cell: a new row, the cursor in it
    assert _cell(editor) == (2, 0, 3)
    qtbot.keyClicks(editor, "3")
    assert editor.markdown().endswith("| 3 |  |\n")
    assert "\t" not in editor.markdown()
    editor.undo()
    editor.undo()
    assert editor.markdown() == before  # the new row was one undo step


def test_shift_tab_in_the_first_cell_stays_and_tab_still_nests_lists(qtbot) -> None:
    editor = _editor(qtbot, "| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n")
    table = editor.document().rootFrame().childFrames()[0]
    editor.setTextCursor(table.cellAt(0, 0).firstCursorPosition())
    before = editor.markdown()
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert _cell(editor) == (0, 0, 2) and editor.markdown() == before
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.markdown().endswith("- one\n    - two\n")


# -- 3. Put Back, then Undo --------------------------------------------------------------

BODY = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."
NOTES = [
    {"kind": "masthead", "text": "Westside People", "position": 0},
    {"kind": "related", "text": "See also: the other story", "position": 1},
    {"kind": "teaser", "text": "Read more tomorrow", "position": 3},
]


def _open_with_notes(make_window, newsroom):
    article = newsroom.create_article("Notes", BODY)
    article = newsroom.save_article(
        article.id, expected_version=article.version, changes={"import_notes": NOTES}
    )
    window = make_window()
    assert window.open_article(article.id)
    window.side_tabs.setCurrentWidget(window.inspector)
    return window, article


def _shown_notes(window) -> list[str]:
    from PySide6.QtWidgets import QLabel

    return [row.findChild(QLabel, "importNoteText").text() for row in
            window.inspector.import_notes.rows]  # fmt: skip


def test_undo_of_a_put_back_brings_the_note_back(make_window, newsroom, qtbot) -> None:
    window, article = _open_with_notes(make_window, newsroom)
    before = window.editor.markdown()
    window.inspector.import_notes.rows[1].findChild(QPushButton, "putBack").click()
    assert _shown_notes(window) == ["Westside People", "Read more tomorrow"]
    assert newsroom.get_article(article.id).import_notes[1]["position"] == 4

    window.editor.setFocus()
    window.actions["edit_undo"].trigger()
    assert window.editor.markdown() == before
    assert _shown_notes(window) == [n["text"] for n in NOTES]
    assert window.session.save()
    stored = newsroom.get_article(article.id)
    assert stored.body == before and stored.import_notes == NOTES

    window.actions["edit_redo"].trigger()
    assert "See also: the other story" in window.editor.markdown()
    assert _shown_notes(window) == ["Westside People", "Read more tomorrow"]
    assert window.session.save()
    assert newsroom.get_article(article.id).import_notes == [NOTES[0], {**NOTES[2], "position": 4}]


def test_two_put_backs_undone_and_redone_keep_every_note_in_its_place(
    make_window, newsroom, qtbot
) -> None:
    window, article = _open_with_notes(make_window, newsroom)
    before = window.editor.markdown()
    panel = window.inspector.import_notes
    panel.put_back_requested.emit(2)  # "Read more tomorrow" before paragraph 4 (the end)
    panel.put_back_requested.emit(0)  # "Westside People" before paragraph 1
    assert _shown_notes(window) == ["See also: the other story"]
    window.editor.setFocus()
    window.actions["edit_undo"].trigger()
    assert _shown_notes(window) == ["Westside People", "See also: the other story"]
    window.actions["edit_undo"].trigger()
    assert window.editor.markdown() == before
    assert _shown_notes(window) == [n["text"] for n in NOTES]
    # Redo both, then Put Back of the last note still lands before the right paragraph.
    window.actions["edit_redo"].trigger()
    window.actions["edit_redo"].trigger()
    assert window.session.save()
    stored = newsroom.get_article(article.id)
    assert stored.import_notes == [{**NOTES[1], "position": 2}]
    panel.put_back_requested.emit(0)
    assert window.editor.markdown().split("\n\n")[2] == "See also: the other story"


def test_a_new_edit_after_undoing_a_put_back_keeps_the_note(make_window, newsroom, qtbot) -> None:
    window, article = _open_with_notes(make_window, newsroom)
    window.inspector.import_notes.put_back_requested.emit(0)
    window.editor.setFocus()
    window.actions["edit_undo"].trigger()
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, " More.")
    assert _shown_notes(window) == [n["text"] for n in NOTES]
    assert window.session.save()
    assert newsroom.get_article(article.id).import_notes == NOTES


# -- 4. dialogs wide enough for their title ----------------------------------------------


@pytest.mark.parametrize("make", [lambda: InsertTableDialog(), lambda: LinkDialog("", "")])
def test_dialogs_are_wide_enough_for_their_title(qtbot, make) -> None:
    dialog = make()
    qtbot.addWidget(dialog)
    title = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle())
    assert dialog.minimumWidth() >= max(360, title + 150)


# -- 5. no sideways scrolling -------------------------------------------------------------


def _png(width: int) -> bytes:
    image = QImage(width, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


WIDE = (
    "Text\n\n![A wide picture](asset:1)\n\n"
    "| " + " | ".join(["averyveryverylongwordthatcannotbreakanywhere"] * 5) + " |\n"
    "|" + "---|" * 5 + "\n| a | b | c | d | e |\n"
)


@pytest.mark.parametrize("width", [1200, 420, 300])
def test_the_body_never_scrolls_sideways(qtbot, width) -> None:
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.image_source = lambda _url: _png(1600)
    editor.load_markdown(WIDE)
    editor.resize(width, 500)
    editor.show()
    qtbot.waitExposed(editor)
    assert editor.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert editor.document().size().width() <= editor.viewport().width()
    assert editor.horizontalScrollBar().maximum() == 0
    assert editor.markdown() == BodyEditor().markdown() or "asset:1" in editor.markdown()
    assert not editor.document().isUndoAvailable()  # fitting changes no text


# -- 6. no "QTextCursor::setPosition: Position ... out of range" ----------------------------


@pytest.fixture
def qt_warnings() -> Iterator[list[str]]:
    seen: list[str] = []
    previous = qInstallMessageHandler(lambda _mode, _context, message: seen.append(message))
    yield seen
    qInstallMessageHandler(previous)


def test_relinking_new_words_undoes_and_redoes_without_cursor_warnings(qtbot, qt_warnings) -> None:
    editor = _editor(qtbot, "Read the report now.\n")
    cursor = editor.textCursor()
    cursor.setPosition(5)
    cursor.setPosition(15, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    editor.set_link("https://example.org/r", "the full report")
    assert editor.markdown() == "Read [the full report](https://example.org/r) now.\n"
    editor.undo()
    editor.redo()
    assert editor.markdown() == "Read [the full report](https://example.org/r) now.\n"
    assert not [m for m in qt_warnings if "out of range" in m]


def test_editing_with_rhythm_fixes_prints_no_cursor_warnings(qtbot, qt_warnings) -> None:
    editor = _editor(qtbot, "## Head\n\n- a\n- b")
    for _ in range(2):
        _enter_and_type(qtbot, editor)
    editor.insert_horizontal_rule()
    insert_markdown_paragraph(editor, "Back *here*", 0)
    for _ in range(6):
        editor.undo()
    for _ in range(6):
        editor.redo()
    assert not [m for m in qt_warnings if "out of range" in m]
