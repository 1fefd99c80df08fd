"""Markdown <-> QTextDocument conversion for the body editor, kept in one replaceable place.

For now Qt's own reader and writer (GitHub dialect) do the work; a later issue swaps in
our own serialiser for the Python-Markdown dialect without touching the widgets.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument, QTextFormat

_DIALECT = QTextDocument.MarkdownFeature.MarkdownDialectGitHub
# Qt writes adjacent lists with no blank line between them ("- b\n1.  one"); Python-Markdown
# then reads both as one list, so separate a bullet item from a following numbered one.
_LIST_JOIN = re.compile(r"^([-*+] .*)\n(\d+\.\s)", re.MULTILINE)
_NUMBERED_THEN_BULLET = re.compile(r"^(\d+\.\s.*)\n([-*+] )", re.MULTILINE)


#: Typed characters Python-Markdown could read as markup, each with a stand-in while Qt
#: writes the Markdown and the escape that replaces it after. Qt escapes some of them,
#: but not all ("0*:*", a backtick opening a paragraph, "_a_", "</b>"), and a ">" opening a
#: paragraph not at all. Qt's own markup (emphasis, code, links) is written by Qt, so
#: only typed characters, outside code, are ever replaced.
_STAND_INS = {
    "`": ("\ue000", "\\`"),
    "*": ("\ue001", "\\*"),
    "_": ("\ue002", "\\_"),
    "[": ("\ue003", "\\["),
    "]": ("\ue004", "\\]"),
    # Qt writes "\<" and "\&", which Python-Markdown reads as a backslash and a tag or
    # an entity (and leaves "</b>" bare); as entities they are always text.
    "<": ("\ue006", "&lt;"),
    "&": ("\ue007", "&amp;"),
}
_QUOTE_SIGN = ("\ue005", "\\>")
_LITERALS = re.compile("[" + re.escape("".join(_STAND_INS)) + "]")


def _with_marked_literals(document: QTextDocument) -> QTextDocument:
    """`document`, or a copy with those typed characters replaced by their stand-ins."""
    plain = document.toPlainText()
    if ">" not in plain and not _LITERALS.search(plain):
        return document
    marks: list[tuple[int, str]] = []
    block = document.begin()
    while block.isValid():
        if block.text().startswith(">") and not block.blockFormat().hasProperty(
            QTextFormat.Property.BlockQuoteLevel
        ):
            marks.append((block.position(), _QUOTE_SIGN[0]))
        fragments = block.begin()
        while not _is_code_block(block) and not fragments.atEnd():
            fragment = fragments.fragment()
            if not fragment.charFormat().fontFixedPitch():
                start = fragment.position()
                marks += [
                    (start + m.start(), _STAND_INS[m.group()][0])
                    for m in _LITERALS.finditer(fragment.text())
                ]
            fragments += 1
        block = block.next()
    if not marks:
        return document
    copy = document.clone()
    cursor = QTextCursor(copy)
    for position, stand_in in marks:
        cursor.setPosition(position)
        cursor.movePosition(
            QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor
        )
        cursor.insertText(stand_in)
    return copy


def _is_code_block(block: QTextBlock) -> bool:
    block_format = block.blockFormat()
    return block_format.hasProperty(
        QTextFormat.Property.BlockCodeFence
    ) or block_format.hasProperty(QTextFormat.Property.BlockCodeLanguage)


def load_markdown(document: QTextDocument, markdown: str) -> None:
    """Replace the document's content with `markdown`, leaving an empty undo stack."""
    document.setMarkdown(markdown, _DIALECT)
    document.clearUndoRedoStacks()
    document.setModified(False)


def document_to_markdown(document: QTextDocument) -> str:
    """The document as Markdown: one trailing newline, no trailing blank lines."""
    text = _with_marked_literals(document).toMarkdown(_DIALECT)
    for stand_in, escaped in (*_STAND_INS.values(), _QUOTE_SIGN):
        text = text.replace(stand_in, escaped)
    text = _LIST_JOIN.sub(r"\1\n\n\2", text)
    text = _NUMBERED_THEN_BULLET.sub(r"\1\n\n\2", text)
    text = text.rstrip()
    return text + "\n" if text else ""
