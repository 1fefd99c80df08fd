"""The body as Markdown text: a plain-text editor with Markdown highlighting (source mode).

`SourceEditor` has the interface the editing session reads a body through (`markdown()`,
`load_markdown()`, `body_edited`), so `BodyStack` can put it in the rich editor's place.
`MarkdownHighlighter` colours the syntax of the project's dialect line by line; fenced
code is the only construct that spans lines, carried in the block state.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontDatabase,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QFrame, QMenu, QPlainTextEdit, QWidget

from editor.core.spelling import SpellChecker
from editor.ui.body.editor import centre_column
from editor.ui.body.spell_highlighter import SpellHighlighter

#: The longest Markdown line the source view takes. `QPlainTextEdit` lays a whole line out
#: again on every keystroke (about 1 s a key in a 1 MB line, offscreen; its wrap modes do
#: not help), and a source line cannot be cut the way the rich editor cuts a paragraph: a
#: body with a longer line stays in the formatted view (`BodyStack.source_refused`), and a
#: paste that would make one goes there (`long_paste`).
SOURCE_LINE_LIMIT = 20_000
_SOURCE_FONT_FAMILIES = ["DejaVu Sans Mono", "Menlo", "Consolas", "Liberation Mono", "monospace"]
_IN_FENCE = 1


def _format(colour: str, *, bold: bool = False, italic: bool = False,
            background: str | None = None) -> QTextCharFormat:  # fmt: skip
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    if background:
        fmt.setBackground(QColor(background))
    return fmt


#: The palette: quiet markup, readable text (Nord-like, on the editor's white page).
FORMATS = {
    "heading": _format("#1f3a5f", bold=True),
    "marker": _format("#8a6d1f", bold=True),
    "quote": _format("#4c6a55", italic=True),
    "bold": _format("#2e3440", bold=True),
    "italic": _format("#2e3440", italic=True),
    "code": _format("#9a3412", background="#f5f1ea"),
    "fence": _format("#7b8494", background="#f5f1ea"),
    "link_text": _format("#1d5fa8"),
    "link_url": _format("#7b8494"),
    "image": _format("#6b4fa0"),
    "table": _format("#7b8494", bold=True),
    "rule": _format("#7b8494", bold=True),
    "html": _format("#7b8494"),
    "escape": _format("#a0a7b4"),
}

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$).*")
_QUOTE = re.compile(r"^(\s{0,3}>\s?)+")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
# What spell check skips in the source (see `MarkdownSpellHighlighter`).
_NOT_PROSE = re.compile(
    r"(`+).+?\1"  # code spans
    r"|\]\([^)]*\)"  # link and image targets
    r"|<!--.*?-->|</?[A-Za-z][^>]*>|<[^>\s]+>"  # comments, tags, autolinks
    r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"  # entities
    r"|\{[^}]*\}"  # attribute lists
    r"|\[\^[^\]]*\]"  # footnote labels
    r"|^[ ]{0,3}\[[^\]]+\]:[ \t]*\S+"  # a reference definition's label and URL
)
_NOT_PROSE_HINT = re.compile(r"[`(<&{\[]")
_INLINE = (
    ("escape", re.compile(r"\\[\\`*_{}\[\]()#+\-.!|<>&~=]")),
    ("html", re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->")),
    ("bold", re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")),
    ("italic", re.compile(r"(?<![*\w])([*_])(?![*_\s])(.+?)(?<![\s*_])\1(?![*\w])")),
    ("image", re.compile(r"!\[[^\]]*\]\([^)]*\)")),
    ("link", re.compile(r"(?<!!)\[([^\]]*)\]\(([^)]*)\)")),
    ("code", re.compile(r"(`+)(.+?)\1")),
)


class MarkdownColours:
    """The colouring, painted through the `QSyntaxHighlighter` it is given (a document has
    one highlighter, so spelling squiggles and syntax colours come from the same one: see
    `MarkdownSpellHighlighter`)."""

    def __init__(self, highlighter: QSyntaxHighlighter) -> None:
        self._highlighter = highlighter

    def paint(self, text: str) -> None:
        h = self._highlighter
        in_fence = h.previousBlockState() == _IN_FENCE
        if _FENCE.match(text):
            self._set(0, len(text), FORMATS["fence"])
            h.setCurrentBlockState(0 if in_fence else _IN_FENCE)
            return
        if in_fence:
            self._set(0, len(text), FORMATS["code"])
            h.setCurrentBlockState(_IN_FENCE)
            return
        h.setCurrentBlockState(0)
        start = 0
        quote = _QUOTE.match(text)
        if quote:
            start = quote.end()
            self._set(0, len(text), FORMATS["quote"])
            self._set(0, start, FORMATS["marker"])
        rest = text[start:]
        if _HEADING.match(rest):
            self._set(start, len(rest), FORMATS["heading"])
            return
        if _RULE.match(rest):
            self._set(start, len(rest), FORMATS["rule"])
            return
        item = _LIST.match(rest)
        if item:
            self._set(start, item.end(), FORMATS["marker"])
        if "|" in rest:
            if _TABLE_SEPARATOR.match(rest):
                self._set(start, len(rest), FORMATS["table"])
                return
            for match in re.finditer(r"(?<!\\)\|", rest):
                self._set(start + match.start(), 1, FORMATS["table"])
        self._inline(rest, start)

    def _set(self, start: int, length: int, fmt: QTextCharFormat) -> None:
        self._highlighter.setFormat(start, length, fmt)

    def _inline(self, text: str, offset: int) -> None:
        for name, pattern in _INLINE:
            for match in pattern.finditer(text):
                begin = offset + match.start()
                if name == "link":
                    self._set(begin, match.end() - match.start(), FORMATS["link_url"])
                    self._set(begin + 1, len(match.group(1)), FORMATS["link_text"])
                elif name in ("bold", "italic"):
                    self._set(begin, match.end() - match.start(), FORMATS[name])
                    marks = len(match.group(1))
                    self._set(begin, marks, FORMATS["marker"])
                    self._set(offset + match.end() - marks, marks, FORMATS["marker"])
                else:
                    self._set(begin, match.end() - match.start(), FORMATS[name])


class MarkdownHighlighter(QSyntaxHighlighter):
    """Headings, emphasis, code, links, images, lists, quotes, tables and rules."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._colours = MarkdownColours(self)

    def highlightBlock(self, text: str) -> None:
        self._colours.paint(text)


class MarkdownSpellHighlighter(SpellHighlighter):
    """Markdown colours plus the rich editor's spell check (same checker, same steps).

    Only prose is checked: a fenced code block, code spans, link and image targets,
    autolinks, HTML tags, entities, attribute lists and footnote labels are blanked
    before words are looked for. A squiggle is merged into the syntax colour under it.
    """

    def __init__(self, editor: QPlainTextEdit, checker: SpellChecker) -> None:
        super().__init__(editor, checker)
        self._colours = MarkdownColours(self)

    def highlightBlock(self, text: str) -> None:
        self._colours.paint(text)
        super().highlightBlock(text)

    def checked_text(self, text: str) -> str:
        if self.currentBlockState() == _IN_FENCE:
            return ""
        return _not_prose(text)

    def _checked_block_text(self, block: QTextBlock) -> str:
        return "" if block.userState() == _IN_FENCE else _not_prose(block.text())

    def underline(self, start: int, length: int) -> None:
        for position in range(start, start + length):
            fmt = self.format(position)
            fmt.merge(self._format)
            self.setFormat(position, 1, fmt)


def _not_prose(text: str) -> str:
    """`text` with its Markdown syntax that is not prose blanked, offsets unchanged."""
    if not _NOT_PROSE_HINT.search(text):
        return text
    return _NOT_PROSE.sub(lambda m: " " * len(m.group()), text)


class SourceEditor(QPlainTextEdit):
    """Markdown text of the body; `body_edited` fires only for a person's edits."""

    body_edited = Signal()
    #: The text of a paste that would make a line longer than `SOURCE_LINE_LIMIT`: not
    #: inserted here (the stack shows the body with it in the formatted view).
    long_paste = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, point_size: int = 12,
                 max_width: int = 760) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("sourceEditor")
        self._loading = False
        self._menu_providers: list[Callable[[QMenu, QTextCursor], None]] = []
        self._max_width = max_width
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setTabChangesFocus(False)
        self.setPlaceholderText("Write the story in Markdown…")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setFamilies(_SOURCE_FONT_FAMILIES)
        font.setPointSize(point_size)
        self.setFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.document().setDocumentMargin(24)
        self.highlighter = MarkdownHighlighter(self.document())
        self.document().contentsChanged.connect(self._on_contents_changed)

    def load_markdown(self, markdown: str) -> None:
        """Show `markdown` without counting it as an edit; undo starts afresh."""
        self._loading = True
        try:
            self.setPlainText(markdown)
            self.document().clearUndoRedoStacks()
            self.document().setModified(False)
        finally:
            self._loading = False

    def markdown(self) -> str:
        """The text as typed, with exactly one newline at the end (none when empty)."""
        text = self.toPlainText().rstrip()
        return text + "\n" if text else ""

    def is_empty(self) -> bool:
        return not self.toPlainText().strip()

    def _on_contents_changed(self) -> None:
        if not self._loading:
            self.body_edited.emit()

    def insertFromMimeData(self, source: QMimeData) -> None:
        text = source.text() if source.hasText() else ""
        block = self.textCursor().block().length()
        if len(text) + block > SOURCE_LINE_LIMIT:
            lines = text.split("\n")
            if max(len(lines[0]) + block, *(len(line) for line in lines)) > SOURCE_LINE_LIMIT:
                self.long_paste.emit(text.replace("\r\n", "\n").replace("\r", "\n"))
                return
        super().insertFromMimeData(source)

    def use_spell_checker(self, checker: SpellChecker) -> MarkdownSpellHighlighter:
        """Colour and spell-check with one highlighter (a document keeps only one's formats)."""
        self.highlighter.setDocument(None)
        self.highlighter.deleteLater()
        self.highlighter = MarkdownSpellHighlighter(self, checker)
        return self.highlighter

    def add_context_menu_provider(self, provider: Callable[[QMenu, QTextCursor], None]) -> None:
        """`provider(menu, cursor_at_click)` adds entries (spelling) to the context menu."""
        self._menu_providers.append(provider)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        clicked = self.cursorForPosition(event.pos())
        for provider in self._menu_providers:
            provider(menu, clicked)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def set_cursor(self, line: int, column: int) -> None:
        """Put the cursor on `line` (0-based) at `column`, clamped, and show it."""
        document: QTextDocument = self.document()
        block = document.findBlockByNumber(max(0, min(line, document.blockCount() - 1)))
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + max(0, min(column, block.length() - 1)))
        self.setTextCursor(cursor)
        self.centerCursor()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # A readable column, as in the rich editor; margins outside the document.
        centre_column(self, self._max_width)
        super().resizeEvent(event)
