"""Putting clipboard content into the body editor: cleaned HTML, or plain text on request.

The cleaning is `editor.core.paste.clean_paste_html` (no Qt). Here the clean HTML becomes a
document fragment shaped like text the editor made itself (code as fixed pitch, the body's
line spacing) and goes in at the cursor as one undo step. A copy from our own editor is
marked, so pasting it back keeps its formats exactly (Qt's own HTML is not cleaned).

A paragraph longer than `markdown_bridge.SPLIT_ABOVE` goes in already cut into pieces (see
`markdown_bridge.split_long_blocks`): inserted whole, Qt would lay the huge block out
before the editor could cut it (seconds for a few megabytes). A copy of such a paragraph
leaves as one paragraph (`joined_mime`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData
from PySide6.QtGui import (
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
)

from editor.ui.body import markdown_bridge
from editor.ui.body.markdown_writer import PARAGRAPH_CONTINUES, new_piece_id

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTextEdit

#: Set on what our editor puts on the clipboard; its value is irrelevant.
OWN_FORMAT = "application/x-newsroom-editor-fragment"
_LINE_HEIGHT = 145


def mark_as_ours(data: QMimeData) -> QMimeData:
    data.setData(OWN_FORMAT, b"1")
    return data


def is_ours(data: QMimeData) -> bool:
    return data.hasFormat(OWN_FORMAT)


def paste(editor: QTextEdit, source: QMimeData | None, *, plain: bool = False) -> None:
    """Insert `source` at the editor's cursor, replacing the selection: one undo step."""
    if source is None:
        return
    html = source.html() if source.hasHtml() and not plain else ""
    from editor.core.paste import clean_paste_html  # lxml: at the first paste, not at start

    clean = clean_paste_html(html) if html else ""
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    if clean:
        if cursor.hasSelection():
            cursor.removeSelectedText()
        if not clean.startswith("<p>") and cursor.block().length() > 1:
            # A heading, list or table keeps its own block instead of merging into the
            # paragraph at the cursor (Qt merges a fragment's first block).
            at_start = cursor.atBlockStart()
            cursor.insertBlock()
            if at_start:
                cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
        scratch = _scratch_document(clean, editor.document())
        start = cursor.position()
        cursor.insertFragment(QTextDocumentFragment(scratch))
        first = scratch.begin()
        if first.textList() is None:
            # Qt drops the block format (heading, quote) of a fragment's first block.
            QTextCursor(editor.document().findBlock(start)).setBlockFormat(first.blockFormat())
    elif source.hasText() and source.text():
        text = source.text().replace("\r\n", "\n").replace("\r", "\n")
        if cursor.hasSelection():
            cursor.removeSelectedText()
        _insert_plain(cursor, text, _plain_format(cursor.charFormat()))
    cursor.endEditBlock()
    editor.setTextCursor(cursor)
    editor.ensureCursorVisible()


def _insert_plain(cursor: QTextCursor, text: str, char_format: QTextCharFormat) -> None:
    """`text` at the cursor, a line longer than the split limit in pieces."""
    if len(text) <= markdown_bridge.SPLIT_ABOVE:
        cursor.insertText(text, char_format)
        return
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if number:
            # A new paragraph: never a copy of the piece mark of the block it leaves.
            paragraph = cursor.blockFormat()
            paragraph.clearProperty(PARAGRAPH_CONTINUES)
            cursor.insertBlock(paragraph, char_format)
        room = markdown_bridge.SPLIT_ABOVE - cursor.block().length()
        if len(line) <= max(0, room):
            cursor.insertText(line, char_format)
            continue
        start = 0
        for cut in [*markdown_bridge.cut_points(line), len(line)]:
            if start:
                piece = cursor.blockFormat()
                piece.setProperty(PARAGRAPH_CONTINUES, new_piece_id())
                cursor.insertBlock(piece, char_format)
            cursor.insertText(line[start:cut], char_format)
            start = cut


def paste_own(editor: QTextEdit, source: QMimeData) -> bool:
    """Our own copy of a long paragraph (`joined_mime`: one paragraph) goes in cut into
    pieces, formats exact; False when it is short (Qt's own paste is right for that)."""
    html = source.html() if source.hasHtml() else ""
    if len(html) <= markdown_bridge.SPLIT_ABOVE:
        return False
    scratch = QTextDocument()
    scratch.setDefaultFont(editor.document().defaultFont())
    scratch.setHtml(html)
    markdown_bridge.split_long_blocks(scratch)
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    cursor.insertFragment(QTextDocumentFragment(scratch))
    cursor.endEditBlock()
    editor.setTextCursor(cursor)
    editor.ensureCursorVisible()
    return True


def joined_mime(cursor: QTextCursor, document: QTextDocument) -> QMimeData:
    """The selection as clipboard data, a paragraph shown in pieces as one paragraph."""
    scratch = QTextDocument()
    scratch.setDefaultFont(document.defaultFont())
    QTextCursor(scratch).insertFragment(cursor.selection())
    markdown_bridge.join_pieces(scratch)
    data = QMimeData()
    data.setHtml(scratch.toHtml())
    data.setText(scratch.toPlainText())
    return data


def _plain_format(current: QTextCharFormat) -> QTextCharFormat:
    """The cursor's format without a link: pasted text never extends a link by accident."""
    fmt = QTextCharFormat(current)
    if fmt.isAnchor():
        fmt.setAnchor(False)
        fmt.setAnchorHref("")
        fmt.clearForeground()
        fmt.setFontUnderline(False)
    return fmt


def _scratch_document(clean_html: str, target: QTextDocument) -> QTextDocument:
    scratch = QTextDocument()
    scratch.setDefaultFont(target.defaultFont())
    scratch.setHtml(clean_html)
    cursor = QTextCursor(scratch)
    block = scratch.begin()
    while block.isValid():
        rhythm = QTextBlockFormat()
        rhythm.setLineHeight(
            _LINE_HEIGHT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        )
        QTextCursor(block).mergeBlockFormat(rhythm)
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            families = fragment.charFormat().fontFamilies() or []
            if any("mono" in str(family).lower() for family in families):
                # Qt reads <code> as a monospace family only; the editor's code is fixed pitch.
                cursor.setPosition(fragment.position())
                cursor.setPosition(
                    fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                )
                code = QTextCharFormat()
                code.setFontFixedPitch(True)
                cursor.mergeCharFormat(code)
            fragments += 1
        block = block.next()
    markdown_bridge.split_long_blocks(scratch)
    return scratch
