"""The body as the person edits it: the rich editor or its Markdown source, one at a time.

`BodyStack` gives the editing session one body whichever editor shows it (`markdown()`,
`is_empty()`, `load_markdown()`), and switches between them keeping the cursor near the
same place: both sides are cut into the same top-level blocks (a paragraph, a heading, a
list item, a table, a code block), the cursor's block is found by its index, and the
offset inside it by lining the block's plain text up with its Markdown. Each editor keeps
its own undo history; coming back to the rich editor without a change in the source keeps
the rich history too, and with a change the new body replaces the old as one undo step of
the rich editor (Ctrl+Z there brings back the text as it was before the source edits).

`install_source_mode` makes the window's writing aids follow the editor shown: counts and
copy-fit (`markdown_counts`), find and replace, and spell check.
"""

from __future__ import annotations

import bisect
import re

from PySide6.QtCore import QEvent, QObject, QUrl, Signal
from PySide6.QtGui import (
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextTable,
)
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from editor.ui.body import markdown_bridge
from editor.ui.body.copyfit import Counts, DocumentCounter
from editor.ui.body.counts import MarkdownCounter
from editor.ui.body.editor import BodyEditor
from editor.ui.body.markdown_writer import cached_markdown, continues
from editor.ui.body.source import SOURCE_LINE_LIMIT, SourceEditor

_MARKER = re.compile(r"^(?:[ ]{0,3}>[ ]?)*[ \t]*(?:#{1,6}[ \t]+|(?:[-*+]|\d+[.)])[ \t]+)?")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]")
_HEADING = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]|$)")
_QUOTE_PREFIX = re.compile(r"^(?:[ ]{0,3}>[ ]?)+")
_LINE_BREAK = "\u2028"
LONG_LINE_MESSAGE = (
    "This body has a paragraph of {length:,} characters: the Markdown source view would "
    "freeze on it, so the formatted view stays open."
)
OPENING_MESSAGE = "The story is still opening: the Markdown source view follows once it is in."
#: How far ahead a character of the plain text is looked for in its Markdown line.
_LOOKAHEAD = 16


class BodyStack(QStackedWidget):
    """The rich `BodyEditor` and a `SourceEditor` of the same body, one shown at a time."""

    #: A person edited the Markdown source (rich edits come from `rich.body_edited`).
    source_edited = Signal()
    #: True when the source is shown.
    mode_changed = Signal(bool)
    #: The source view was not opened (or was left): the message says why.
    source_refused = Signal(str)

    def __init__(self, rich: BodyEditor, source: SourceEditor | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("bodyStack")
        self.rich = rich
        self.source = source or SourceEditor()
        self._entered_with = ""
        self.addWidget(rich)
        self.addWidget(self.source)
        self.setCurrentWidget(rich)
        self.source.body_edited.connect(self.source_edited)
        self.source.long_paste.connect(self._paste_in_rich)
        self.source.setReadOnly(rich.isReadOnly())
        rich.installEventFilter(self)

    # -- the body, from whichever editor shows it ---------------------------

    @property
    def source_mode(self) -> bool:
        return self.currentWidget() is self.source

    def markdown(self) -> str:
        return self.source.markdown() if self.source_mode else self.rich.markdown()

    def is_empty(self) -> bool:
        return self.source.is_empty() if self.source_mode else self.rich.is_empty()

    def load_markdown(self, markdown: str, background_above: int | None = None) -> None:
        """Show another body (an article opened) in both editors; undo starts afresh.

        A body longer than `background_above` opens in the rich editor in the background
        (`BodyEditor.open_markdown`).
        """
        self.rich.open_markdown(markdown, background_above)
        if self.source_mode:
            longest = longest_line(markdown)
            if longest > SOURCE_LINE_LIMIT:
                self.setCurrentWidget(self.rich)
                self.mode_changed.emit(False)
                self.source_refused.emit(LONG_LINE_MESSAGE.format(length=longest))
                return
            self.source.load_markdown(markdown)
            self._entered_with = self.source.markdown()

    def editor(self) -> QWidget:
        """The editor shown now."""
        return self.currentWidget()

    # What the window's Undo/Redo (`UndoRouter`) needs: the history of the editor shown.

    def document(self) -> QTextDocument:
        return self.source.document() if self.source_mode else self.rich.document()

    def undo(self) -> None:
        self.editor().undo()

    def redo(self) -> None:
        self.editor().redo()

    # -- switching ---------------------------------------------------------------

    def set_source_mode(self, on: bool) -> None:
        if on == self.source_mode:
            return
        if on:
            self._to_source()
            if not self.source_mode:
                return  # refused (see `source_refused`)
        else:
            self._to_rich()
        self.mode_changed.emit(on)

    def _to_source(self) -> None:
        if self.rich.opening:
            self.source_refused.emit(OPENING_MESSAGE)
            return
        line_map: list[tuple[int, int]] = []
        text = cached_markdown(self.rich.document(), line_map=line_map)
        longest = longest_line(text)
        if longest > SOURCE_LINE_LIMIT:
            self.source_refused.emit(LONG_LINE_MESSAGE.format(length=longest))
            return
        line, column = rich_to_source(self.rich.textCursor(), text.split("\n"), line_map)
        self.source.load_markdown(text)
        self._entered_with = self.source.markdown()
        self.setCurrentWidget(self.source)
        self.source.set_cursor(line, column)
        self.source.setFocus()

    def _to_rich(self) -> None:
        text = self.source.markdown()
        cursor = self.source.textCursor()
        line, column = cursor.blockNumber(), cursor.positionInBlock()
        if text != self._entered_with:
            # The rich editor's listeners (counts, spelling, checks) learn of the change
            # from its `body_edited`; the session already knows from the source's edits.
            replace_body(self.rich, text)
        position = source_to_rich(self.rich, text.split("\n"), line, column)
        self.setCurrentWidget(self.rich)
        rich_cursor = self.rich.textCursor()
        rich_cursor.setPosition(position)
        self.rich.setTextCursor(rich_cursor)
        self.rich.ensureCursorVisible()
        self.rich.setFocus()

    def _paste_in_rich(self, pasted: str) -> None:
        """A paste that would make a source line too long (see `SourceEditor.long_paste`):
        the Markdown with the paste in place is shown in the formatted view instead, as
        one undo step there, the cursor after the paste. The text is kept, the window free."""
        cursor = self.source.textCursor()
        text = self.source.toPlainText()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        markdown = text[:start] + pasted + text[end:]
        lines_before = markdown[: start + len(pasted)].split("\n")
        replace_body(self.rich, markdown)
        lines = markdown.split("\n")
        position = source_to_rich(self.rich, lines, len(lines_before) - 1, len(lines_before[-1]))
        self.setCurrentWidget(self.rich)
        rich_cursor = self.rich.textCursor()
        rich_cursor.setPosition(min(position, self.rich.document().characterCount() - 1))
        self.rich.setTextCursor(rich_cursor)
        self.rich.ensureCursorVisible()
        self.rich.setFocus()
        self.mode_changed.emit(False)
        self.source_edited.emit()
        self.source_refused.emit(
            "The paste has a paragraph too long for the Markdown source view: it went into "
            "the formatted view."
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.rich and event.type() == QEvent.Type.ReadOnlyChange:
            self.source.setReadOnly(self.rich.isReadOnly())  # approved, nothing open...
        return super().eventFilter(watched, event)


def longest_line(text: str) -> int:
    """The length of the longest line of `text` (fast on a 5 MB one: no split)."""
    longest = 0
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            return max(longest, len(text) - start)
        longest = max(longest, end - start)
        start = end + 1


def replace_body(rich: BodyEditor, markdown: str) -> None:
    """Show `markdown` in `rich` as one undoable edit (`load_markdown` would clear undo).

    The body is read into a scratch document exactly as `load_markdown` reads it, then
    put in place of the whole content inside one edit block, with the reading rhythm.
    Pictures the document does not have yet are fetched from `rich.image_source`.
    While the article's body is still opening in `rich` (the source view had it), the
    person's text replaces it there and then: the body being converted is dropped.
    """
    if rich.opening:
        rich.load_markdown(markdown)  # nothing to undo in it yet
        rich.body_edited.emit()  # counts, spelling and checks: as for an edit
        return
    scratch = QTextDocument()
    scratch.setDefaultFont(rich.document().defaultFont())
    markdown_bridge.load_markdown(scratch, markdown)
    document = rich.document()
    image_type = QTextDocument.ResourceType.ImageResource
    for url in markdown_bridge.image_urls(scratch):
        if rich.image_source is not None and document.resource(image_type, QUrl(url)) is None:
            data = rich.image_source(url)
            if data:
                markdown_bridge.register_image(document, url, data)
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    try:
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.removeSelectedText()
        # What is left is one empty block with the old first block's formats: clear them.
        cursor.setBlockFormat(QTextBlockFormat())
        cursor.setBlockCharFormat(QTextCharFormat())
        cursor.setCharFormat(QTextCharFormat())
        if not scratch.isEmpty():
            cursor.insertFragment(QTextDocumentFragment(scratch))
        # The fragment's first block takes the format of the block it lands in (a rule
        # would be lost): give it its own.
        first, wanted = document.begin(), scratch.begin()
        if first.blockFormat() != wanted.blockFormat() and wanted.textList() is None:
            QTextCursor(first).setBlockFormat(wanted.blockFormat())
        rich._apply_reading_rhythm()
    finally:
        cursor.endEditBlock()


class BodyCounter:
    """Counts of the body in whichever editor shows it; both agree on the same body."""

    def __init__(self, stack: BodyStack, rich: DocumentCounter) -> None:
        self._stack = stack
        self._rich = rich
        self._source = MarkdownCounter(stack.source.document())

    def count(self) -> Counts:
        if self._stack.source_mode:
            return self._source.count()
        if self._stack.rich.opening:  # the document is still empty: the body's counts
            return self._stack.rich.opening_counts or Counts()
        return self._rich.count()


# -- cursor mapping (block index + offset in the block's text) ------------------


def align(markdown_line: str, plain: str) -> list[int]:
    """For each offset 0..len(plain) in a block's plain text, the column in its Markdown.

    Greedy: markup characters (markers, `**`, escapes, link targets) are skipped; a plain
    character not found nearby keeps the column where it is, so one odd character (an
    image, an entity) never throws the rest of the line off.
    """
    column = _MARKER.match(markdown_line).end()
    columns = [column]
    for char in plain:
        found = markdown_line.find(char, column, column + _LOOKAHEAD)
        if found >= 0:
            column = found + 1
        columns.append(column)
    return columns


def chunk_starts(lines: list[str]) -> list[int]:
    """The first line of each top-level block: after a blank line, each list item,
    heading and fence (a fenced block is one block, blank lines and all)."""
    starts: list[int] = []
    blank = True
    fence = ""
    for number, line in enumerate(lines):
        if fence:
            if line.strip().startswith(fence):
                fence = ""
            continue
        inner = _QUOTE_PREFIX.sub("", line)
        if not inner.strip():
            blank = True
            continue
        opening = _FENCE.match(line)
        if blank or opening or _LIST.match(inner) or _HEADING.match(inner):
            starts.append(number)
        if opening:
            fence = opening.group(1)[:3]
        blank = False
    return starts


def _code_offset(lines: list[str], line: int) -> int:
    """1 when `line` opens a fence (the code itself starts on the next line)."""
    return 1 if 0 <= line < len(lines) and _FENCE.match(lines[line]) else 0


def rich_to_source(
    cursor: QTextCursor, lines: list[str], line_map: list[tuple[int, int]]
) -> tuple[int, int]:
    """(line, column) in the Markdown `lines` for a cursor in the rich document."""
    if not line_map:
        return 0, 0
    block = cursor.block()
    number = block.blockNumber()
    index = max(0, bisect.bisect_right([b for _line, b in line_map], number) - 1)
    line, first_block = line_map[index]
    frame = cursor.currentFrame()
    if isinstance(frame, QTextTable):
        row = frame.cellAt(cursor.position()).row()
        return min(line + row + (1 if row else 0), len(lines) - 1), 0
    if number > first_block and continues(block):  # a later piece of a long paragraph
        return _piece_to_source(cursor, lines, line, first_block)
    if number > first_block:  # a later line of a code block
        line += _code_offset(lines, line) + number - first_block
        return min(line, len(lines) - 1), cursor.positionInBlock()
    offset = cursor.positionInBlock()
    parts = block.text().split(_LINE_BREAK)
    while len(parts) > 1 and offset > len(parts[0]):
        offset -= len(parts.pop(0)) + 1
        line += 1
    line = min(line, len(lines) - 1)
    columns = align(lines[line], parts[0])
    return line, columns[min(offset, len(columns) - 1)]


def _align_from(markdown_line: str, plain: str, column: int) -> list[int]:
    """`align` for `plain` starting at `column` of the line (no marker looked for)."""
    columns = [column]
    for char in plain:
        found = markdown_line.find(char, column, column + _LOOKAHEAD)
        if found >= 0:
            column = found + 1
        columns.append(column)
    return columns


def _anchor(markdown_line: str, text: str, at_least: int) -> int:
    """Where a piece's `text` starts in its paragraph's Markdown line (its plain text
    starts `at_least` characters in: markup only adds), or -1 when not found."""
    return markdown_line.find(text[:32], at_least) if text else -1


def _piece_to_source(
    cursor: QTextCursor, lines: list[str], line: int, first_block: int
) -> tuple[int, int]:
    """(line, column) for a cursor in a later piece of a paragraph shown in pieces: only
    the cursor's own piece is lined up with the Markdown (a 5 MB paragraph, once)."""
    block = cursor.block()
    texts: list[str] = []
    earlier = block.previous()
    while earlier.isValid() and earlier.blockNumber() >= first_block:
        texts.append(earlier.text())
        earlier = earlier.previous()
    before = "".join(reversed(texts))
    line += before.count(_LINE_BREAK)
    into_line = len(before) - (before.rfind(_LINE_BREAK) + 1)
    offset = cursor.positionInBlock()
    parts = block.text().split(_LINE_BREAK)
    if len(parts) > 1 and offset > len(parts[0]):
        while len(parts) > 1 and offset > len(parts[0]):
            offset -= len(parts.pop(0)) + 1
            line += 1
        line = min(line, len(lines) - 1)
        columns = align(lines[line], parts[0])
        return line, columns[min(offset, len(columns) - 1)]
    line = min(line, len(lines) - 1)
    markdown_line = lines[line]
    start = _anchor(markdown_line, parts[0], into_line)
    if start < 0:
        return line, min(len(markdown_line), into_line + offset)
    columns = _align_from(markdown_line, parts[0][: offset + 1], start)
    return line, columns[min(offset, len(columns) - 1)]


def source_to_rich(rich: BodyEditor, lines: list[str], line: int, column: int) -> int:
    """The rich document position for (line, column) in the Markdown the rich editor shows."""
    document = rich.document()
    line_map: list[tuple[int, int]] = []
    written = cached_markdown(document, line_map=line_map).split("\n")
    if not line_map:
        return 0
    source_starts, written_starts = chunk_starts(lines), chunk_starts(written)
    chunk = max(0, bisect.bisect_right(source_starts, line) - 1)
    if not source_starts or chunk >= len(written_starts):
        return document.characterCount() - 1 if line else 0
    within = line - source_starts[chunk]
    target = written_starts[chunk]
    index = max(0, bisect.bisect_right([row for row, _b in line_map], target) - 1)
    unit_line, first_block = line_map[index]
    if _code_offset(written, unit_line) and within:
        block = document.findBlockByNumber(first_block + within - 1)
        if block.isValid() and block.blockNumber() >= first_block:
            return block.position() + min(column, block.length() - 1)
    block = document.findBlockByNumber(first_block)
    if not block.isValid():
        return 0
    if continues(block.next()) and line < len(lines):
        found = _source_to_piece(block, lines[line], column)
        if found is not None:
            return found
    text = block.text()
    source_line = lines[line] if line < len(lines) else ""
    columns = align(source_line, text.split(_LINE_BREAK)[0]) if text else [0]
    offset = bisect.bisect_left(columns, column)
    return block.position() + min(offset, max(0, block.length() - 1))


def _source_to_piece(head, source_line: str, column: int) -> int | None:
    """The position for `column` of a paragraph's line when the paragraph is shown in
    pieces: the piece whose text starts last at or before the column, lined up alone."""
    chosen, chosen_start = None, -1
    into = 0
    block = head.next()
    while block.isValid() and continues(block):
        into += len(block.previous().text())
        start = _anchor(source_line, block.text(), into)
        if start < 0 or start > column:
            break
        chosen, chosen_start = block, start
        block = block.next()
    if chosen is None:
        return None
    text = chosen.text().split(_LINE_BREAK)[0]
    columns = _align_from(source_line, text, chosen_start)
    offset = bisect.bisect_left(columns, column)
    return chosen.position() + min(offset, max(0, chosen.length() - 1))


# -- wiring into the main window ---------------------------------------------------


def install_source_mode(window: QMainWindow) -> None:
    """View > Markdown Source (Ctrl+/) and its toolbar button, on `window.body_stack`."""
    stack: BodyStack = window.body_stack
    action = window.actions["view_markdown_source"]
    window.format_toolbar.addSeparator()
    window.format_toolbar.addAction(action)
    stack.source_edited.connect(window.session.note_body_edited)
    stack.source_edited.connect(window.preview.schedule)
    # Counts and copy-fit, find and replace, spell check: on the editor shown.
    window.counter = BodyCounter(stack, window.counter)
    stack.source_edited.connect(window.recount)
    window.editor.opening_counted.connect(window.recount)
    window.editor.body_loaded.connect(window.recount)
    stack.mode_changed.connect(lambda _source: window.recount())
    window.find_bar.follow(stack.editor)
    window.spelling.attach_source(stack.source)
    action.toggled.connect(stack.set_source_mode)

    def on_mode(source: bool) -> None:
        action.setChecked(source)
        article_open = window.session.article is not None
        window.format_controller.set_enabled(article_open and not source)
        window.status.showMessage(
            "Editing the Markdown source. Ctrl+/ goes back to the formatted text."
            if source
            else "Back to the formatted text.",
            4000,
        )

    stack.mode_changed.connect(on_mode)

    def on_refused(message: str) -> None:
        action.setChecked(False)
        window.status.showMessage(message, 8000)

    stack.source_refused.connect(on_refused)
    # The router listens to the rich document; the source's history must refresh it too.
    router = window.undo_router
    stack.source.undoAvailable.connect(lambda _available: router._update())
    stack.source.redoAvailable.connect(lambda _available: router._update())
    stack.mode_changed.connect(lambda _source: router._update())
    window.session.opened.connect(
        lambda article: window.format_controller.set_enabled(
            article is not None and not stack.source_mode
        )
    )
