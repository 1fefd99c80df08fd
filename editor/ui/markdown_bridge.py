"""Markdown <-> QTextDocument conversion for the body editor, kept in one replaceable place.

For now Qt's own reader and writer (GitHub dialect) do the work; a later issue swaps in
our own serialiser for the Python-Markdown dialect without touching the widgets.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QTextCursor, QTextDocument, QTextFormat

_DIALECT = QTextDocument.MarkdownFeature.MarkdownDialectGitHub
# Qt writes adjacent lists with no blank line between them ("- b\n1.  one"); Python-Markdown
# then reads both as one list, so separate a bullet item from a following numbered one.
_LIST_JOIN = re.compile(r"^([-*+] .*)\n(\d+\.\s)", re.MULTILINE)
_NUMBERED_THEN_BULLET = re.compile(r"^(\d+\.\s.*)\n([-*+] )", re.MULTILINE)


#: Stands in for a typed ">" at the start of a paragraph while Qt writes the Markdown:
#: Qt does not escape it, and Python-Markdown would read a block quote.
_QUOTE_SIGN = "\ue000"


def _with_marked_quote_signs(document: QTextDocument) -> QTextDocument:
    """`document`, or a copy whose paragraphs starting with ">" start with the stand-in."""
    starts = []
    block = document.begin()
    while block.isValid():
        if block.text().startswith(">") and not block.blockFormat().hasProperty(
            QTextFormat.Property.BlockQuoteLevel
        ):
            starts.append(block.position())
        block = block.next()
    if not starts:
        return document
    copy = document.clone()
    cursor = QTextCursor(copy)
    for position in starts:
        cursor.setPosition(position)
        cursor.movePosition(
            QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor
        )
        cursor.insertText(_QUOTE_SIGN)
    return copy


def load_markdown(document: QTextDocument, markdown: str) -> None:
    """Replace the document's content with `markdown`, leaving an empty undo stack."""
    document.setMarkdown(markdown, _DIALECT)
    document.clearUndoRedoStacks()
    document.setModified(False)


def document_to_markdown(document: QTextDocument) -> str:
    """The document as Markdown: one trailing newline, no trailing blank lines."""
    text = _python_markdown_escapes(_with_marked_quote_signs(document).toMarkdown(_DIALECT))
    text = text.replace(_QUOTE_SIGN, "\\>")
    text = _LIST_JOIN.sub(r"\1\n\n\2", text)
    text = _NUMBERED_THEN_BULLET.sub(r"\1\n\n\2", text)
    text = text.rstrip()
    return text + "\n" if text else ""


# Qt escapes for CommonMark; Python-Markdown reads some of those escapes differently:
# "\<b>" is a backslash and a bold tag there (and "</b>", which Qt leaves bare, a tag),
# "\&" a backslash and an entity, and a
# literal "_a_" (which Qt leaves alone, writing its own emphasis with "*") is emphasis.
# Code spans and link targets are left as they are. The editor issue replaces all this
# with a serialiser that works from the document structure.
_PROTECTED = re.compile(r"(`+).+?\1|\]\([^)]*\)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_NEEDS_ESCAPES = re.compile(r"[<&_]")


def _python_markdown_escapes(markdown: str) -> str:
    lines = markdown.split("\n")
    in_fence = False
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and _NEEDS_ESCAPES.search(line) and not line.startswith("    "):
            lines[number] = _escape_outside_code(line)
    return "\n".join(lines)


def _escape_outside_code(line: str) -> str:
    parts: list[str] = []
    position = 0
    for match in _PROTECTED.finditer(line):
        parts.append(_escape_text(line[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(_escape_text(line[position:]))
    return "".join(parts)


def _escape_text(text: str) -> str:
    # Qt writes no HTML of its own, so every "<" outside code is text.
    text = text.replace("\\<", "<").replace("<", "&lt;").replace("\\&", "&amp;")
    return re.sub(r"(?<!\\)_", r"\\_", text)
