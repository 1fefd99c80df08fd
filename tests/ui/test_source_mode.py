"""Markdown source mode: the same body as text, the cursor kept, edits autosaved both ways."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from editor.ui.body_stack import align, chunk_starts
from editor.ui.source_editor import MarkdownHighlighter, SourceEditor

BODY = (
    "Floodwater reached the **harbour wall** at dawn.\n\n"
    "## What the council said\n\n"
    "- sandbags at the quay\n- a pump from the fire service\n\n"
    "| Place | Depth |\n| :--- | ---: |\n| Quay | 40 cm |\n\n"
    "The [council](https://example.com/council) met at noon.\n"
)


def _open(make_window, newsroom, body: str = BODY):
    window = make_window()
    article = newsroom.create_article(headline="Flood", body=body)
    window.open_article(article.id)
    return window


def _to_block(editor, number: int, offset: int) -> None:
    cursor = QTextCursor(editor.document().findBlockByNumber(number))
    cursor.setPosition(cursor.position() + offset)
    editor.setTextCursor(cursor)


def test_toggle_shows_the_same_text_and_keeps_the_cursor_block(make_window, newsroom, qtbot):
    window = _open(make_window, newsroom)
    stack = window.body_stack
    # The cursor in "The council met at noon." after "The coun".
    last = window.editor.document().lastBlock()
    while not last.text():
        last = last.previous()
    _to_block(window.editor, last.blockNumber(), len("The coun"))

    window.actions["view_markdown_source"].trigger()

    assert stack.source_mode and stack.currentWidget() is stack.source
    assert stack.source.toPlainText() == BODY.rstrip("\n") + "\n"
    cursor = stack.source.textCursor()
    line = cursor.block().text()
    assert line.startswith("The [council]")
    assert line[: cursor.positionInBlock()] == "The [coun"
    assert window.actions["view_markdown_source"].isChecked()
    assert not window.actions["format_bold"].isEnabled()  # formatting is for the rich text

    # Back, from the second list item: the cursor goes to that item.
    source_cursor = stack.source.textCursor()
    block = stack.source.document().findBlockByNumber(5)
    assert block.text() == "- a pump from the fire service"
    source_cursor.setPosition(block.position() + len("- a pump"))
    stack.source.setTextCursor(source_cursor)
    window.actions["view_markdown_source"].trigger()

    assert not stack.source_mode and stack.currentWidget() is window.editor
    rich = window.editor.textCursor()
    assert rich.block().text() == "a pump from the fire service"
    assert rich.positionInBlock() == len("a pump")
    assert window.actions["format_bold"].isEnabled()


def test_edits_in_source_are_autosaved_and_shown_back_in_rich(make_window, newsroom, qtbot):
    window = _open(make_window, newsroom)
    article_id = window.session.article.id
    window.body_stack.set_source_mode(True)
    source = window.body_stack.source
    source.moveCursor(QTextCursor.MoveOperation.End)
    with qtbot.waitSignal(window.session.saved, timeout=5000):
        for line in ("", "## Later", "", "Water fell *back* by six."):
            if line:
                qtbot.keyClicks(source, line)
            if not line or line.startswith("#"):
                qtbot.keyClick(source, Qt.Key.Key_Return)

    saved = newsroom.get_article(article_id).body
    assert saved.endswith("## Later\n\nWater fell *back* by six.\n")
    assert saved.startswith("Floodwater reached the **harbour wall** at dawn.")

    window.body_stack.set_source_mode(False)
    assert "Water fell back by six." in window.editor.toPlainText()
    assert window.editor.markdown() == saved
    # Undo in the rich editor starts afresh; source undo was its own.
    assert not window.editor.document().isUndoAvailable()


def test_undo_works_within_source_mode(make_window, newsroom, qtbot):
    window = _open(make_window, newsroom, "One line.\n")
    window.body_stack.set_source_mode(True)
    source = window.body_stack.source
    source.set_cursor(0, len("One line."))
    qtbot.keyClicks(source, " More")
    assert source.markdown() == "One line. More\n"
    qtbot.keyClick(source, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert source.markdown() == "One line.\n"
    # Edit > Undo and Redo act on the source too, never on the hidden rich text.
    rich_before = window.editor.markdown()
    assert window.actions["edit_redo"].isEnabled()
    window.actions["edit_redo"].trigger()
    assert source.markdown() == "One line. More\n"
    window.actions["edit_undo"].trigger()
    assert source.markdown() == "One line.\n"
    assert window.editor.markdown() == rich_before


def test_an_unchanged_trip_keeps_the_rich_undo_history(make_window, newsroom, qtbot):
    window = _open(make_window, newsroom, "One line.\n")
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, " Two")
    window.body_stack.set_source_mode(True)
    window.body_stack.set_source_mode(False)
    window.editor.undo()
    assert window.editor.markdown() == "One line.\n"


def test_opening_another_article_in_source_mode_shows_its_text(make_window, newsroom, qtbot):
    window = _open(make_window, newsroom)
    window.body_stack.set_source_mode(True)
    other = newsroom.create_article(headline="Other", body="Something else.\n")
    window.open_article(other.id)
    assert window.body_stack.source.toPlainText() == "Something else.\n"
    assert window.body_stack.markdown() == "Something else.\n"


def test_the_highlighter_colours_markdown(app, qtbot):
    editor = SourceEditor()
    qtbot.addWidget(editor)
    assert isinstance(editor.highlighter, MarkdownHighlighter)
    editor.load_markdown("## Head\n\n- **bold** and `code`\n\n```\n# not a heading\n```\n")
    document = editor.document()
    heading = document.findBlockByNumber(0).layout().formats()
    assert heading and heading[0].format.fontWeight() >= 700
    item = document.findBlockByNumber(2)
    ranges = [
        (f.start, f.length, f.format.fontWeight(), f.format.fontItalic())
        for f in item.layout().formats()
    ]
    bold = [r for r in ranges if r[0] <= 4 and r[0] + r[1] >= 8]
    assert bold and bold[0][2] >= 700 and not bold[0][3]
    assert any(start == 0 for start, *_rest in ranges)  # the list marker
    fenced = document.findBlockByNumber(5).layout().formats()
    assert fenced and fenced[0].format.fontWeight() < 700  # code, not a heading


def test_block_alignment_helpers():
    assert align("- **bold** text", "bold text") == [2, 5, 6, 7, 8, 11, 12, 13, 14, 15]
    lines = "Para\n\n## H\n- a\n- b\n\n```\nx\n\ny\n```\n\n| a |\n| - |".split("\n")
    assert chunk_starts(lines) == [0, 2, 3, 4, 6, 12]
