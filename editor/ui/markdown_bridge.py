"""Markdown <-> QTextDocument conversion for the body editor, kept in one replaceable place.

For now Qt's own reader and writer (GitHub dialect) do the work; a later issue swaps in
our own serialiser for the Python-Markdown dialect without touching the widgets.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QTextDocument

_DIALECT = QTextDocument.MarkdownFeature.MarkdownDialectGitHub
# Qt writes adjacent lists with no blank line between them ("- b\n1.  one"); Python-Markdown
# then reads both as one list, so separate a bullet item from a following numbered one.
_LIST_JOIN = re.compile(r"^([-*+] .*)\n(\d+\.\s)", re.MULTILINE)
_NUMBERED_THEN_BULLET = re.compile(r"^(\d+\.\s.*)\n([-*+] )", re.MULTILINE)


def load_markdown(document: QTextDocument, markdown: str) -> None:
    """Replace the document's content with `markdown`, leaving an empty undo stack."""
    document.setMarkdown(markdown, _DIALECT)
    document.clearUndoRedoStacks()
    document.setModified(False)


def document_to_markdown(document: QTextDocument) -> str:
    """The document as Markdown: one trailing newline, no trailing blank lines."""
    text = document.toMarkdown(_DIALECT)
    text = _LIST_JOIN.sub(r"\1\n\n\2", text)
    text = _NUMBERED_THEN_BULLET.sub(r"\1\n\n\2", text)
    text = text.rstrip()
    return text + "\n" if text else ""
