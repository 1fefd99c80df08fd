"""The article body as a rich-text writing surface (a `QTextEdit` on a Markdown document).

It knows formatting (bold, headings, lists, quotes, links) and reports what is under the
cursor; it knows nothing about articles or the store. Markdown goes through
`markdown_bridge` so the conversion can be replaced in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QKeySequence,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextListFormat,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QFrame,
    QMenu,
    QStyle,
    QTextEdit,
    QWidget,
)

from editor.ui.background import Background
from editor.ui.body import markdown_bridge
from editor.ui.body import paste as paste_handler
from editor.ui.body import tables as table_commands
from editor.ui.body.markdown_writer import RAW_MARKDOWN, continues, is_code_format

CODE_FONT_FAMILIES = ["DejaVu Sans Mono", "Menlo", "Consolas", "Liberation Mono", "monospace"]
BODY_FONT_FAMILIES = [
    "Georgia",
    "Charter",
    "Source Serif 4",
    "Noto Serif",
    "DejaVu Serif",
    "Liberation Serif",
    "serif",
]
LINK_COLOUR = QColor("#1d5fa8")
_QUOTE_INDENT = 28.0
_HEADING_SIZE_ADJUSTMENT = {2: 2, 3: 1}
_BULLET = QTextListFormat.Style.ListDisc
_NUMBERED = QTextListFormat.Style.ListDecimal


def centre_column(
    editor: QAbstractScrollArea, max_width: int, *, inset: int = 0, top: int = 0, bottom: int = 0
) -> None:
    """Centre a column at most `max_width` wide with margins outside the viewport.

    A scroll area's `resizeEvent` also receives the *viewport's* resizes, whose size
    is the width inside the margins; measuring that one flipped the margins on and
    off without end (a segfault past ~720 px). The widget's own width is the measure,
    and the margins are set only when they change.
    """
    side = max(0, (editor.width() - 2 * editor.frameWidth() - max_width) // 2) + inset
    wanted = (side, top, side, bottom)
    margins = editor.viewportMargins()
    if (margins.left(), margins.top(), margins.right(), margins.bottom()) != wanted:
        editor.setViewportMargins(*wanted)


@dataclass(frozen=True)
class FormatState:
    """What the cursor sits in, for the toolbar's checked buttons."""

    bold: bool = False
    italic: bool = False
    heading_level: int = 0
    bullet_list: bool = False
    numbered_list: bool = False
    block_quote: bool = False
    link: bool = False
    strikethrough: bool = False
    code: bool = False


#: A body longer than this (characters) opens in the background (`open_markdown`):
#: Python-Markdown took 2.4 s of the GUI thread for a 5 MB one.
BACKGROUND_OPEN_ABOVE = 100_000
#: Shown in the empty editor while a long body is being converted.
OPENING_PLACEHOLDER = "Opening the story ({size})…"
WRITING_PLACEHOLDER = "Start writing the story…"


class BodyEditor(QTextEdit):
    """WYSIWYG editor of a Markdown body; `body_edited` fires only for a person's edits."""

    body_edited = Signal()
    format_changed = Signal(object)  # FormatState
    #: A body `open_markdown` converted in the background is in the document now.
    body_loaded = Signal()
    #: The counts of a body opening in the background are known (`opening_counts`).
    opening_counted = Signal()

    def __init__(self, parent: QWidget | None = None, *, point_size: int = 13,
                 max_width: int = 720) -> None:  # fmt: skip
        super().__init__(parent)
        self._loading = False
        #: The body being converted in the background (`open_markdown`), else None; while
        #: it is, the editor is read-only and `markdown()` gives this text.
        self._opening: str | None = None
        self._read_only_wanted = False
        self._opening_counts = None
        self._tasks = Background(self)
        #: Called with the text of each typed key after it is in (smart typography).
        self.typed_hooks: list[Callable[[str], None]] = []
        #: `asset:` URL -> image bytes, so opened articles show their pictures.
        self.image_source: Callable[[str], bytes | None] | None = None
        self._max_width = max_width
        self.setObjectName("bodyEditor")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAcceptRichText(True)
        self.setTabChangesFocus(False)
        # The body wraps: it never needs to scroll sideways. A word or a table cell wider
        # than the column breaks anywhere rather than pushing the page out.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setPlaceholderText(WRITING_PLACEHOLDER)
        font = QFont()
        font.setFamilies(BODY_FONT_FAMILIES)
        font.setPointSize(point_size)
        self.document().setDefaultFont(font)
        self.document().setDocumentMargin(32)
        self._in_rhythm = False
        self._undoing = False
        self.document().contentsChanged.connect(self._on_contents_changed)
        self.document().contentsChange.connect(self._keep_rhythm)
        self.cursorPositionChanged.connect(self._emit_format)
        self.currentCharFormatChanged.connect(self._emit_format)

    # -- content ---------------------------------------------------------

    def load_markdown(
        self, markdown: str, prepared: markdown_bridge.PreparedMarkdown | None = None
    ) -> None:
        """Show `markdown` without counting it as an edit; undo starts afresh."""
        self._stop_opening()
        self._loading = True
        # The cursor waits at the start while the text goes in. Left to move with the
        # insertion it ends at the end, and moving it back (`moveCursor`) made Qt lay the
        # whole document out at once: 1.6 s of the GUI thread for 5 MB, where Qt's own
        # layout goes in idle-time steps of a few tens of milliseconds.
        start = QTextCursor(self.document())
        start.setKeepPositionOnInsert(True)
        self.setTextCursor(start)
        try:
            markdown_bridge.load_markdown(self.document(), markdown, self.image_source, prepared)
            self._apply_reading_rhythm()
            self.document().clearUndoRedoStacks()
        finally:
            start = self.textCursor()
            start.setKeepPositionOnInsert(False)
            start.setPosition(0)
            self.setTextCursor(start)
            self.verticalScrollBar().setValue(0)
            self._loading = False
        self._emit_format()

    def open_markdown(self, markdown: str, background_above: int | None = None) -> None:
        """Show an article's body: as `load_markdown`, but a body longer than
        `background_above` (`BACKGROUND_OPEN_ABOVE`) is converted on a worker first
        (`body_loaded` says when it is in). Meanwhile the editor is empty, read-only and
        says it is opening, and `markdown()` gives the body, so a save, the journal, the
        preview or the checks never see an empty text for it."""
        if len(markdown) <= (
            BACKGROUND_OPEN_ABOVE if background_above is None else background_above
        ):
            self.load_markdown(markdown)
            return
        self.load_markdown("")
        self._opening = markdown
        super().setReadOnly(True)
        self.setPlaceholderText(OPENING_PLACEHOLDER.format(size=_size(len(markdown))))
        self._opening_counts = None

        def prepare(job) -> markdown_bridge.PreparedMarkdown:
            from editor.ui.body.counts import MarkdownCounter

            # The counts first (a second at 5 MB), so the status bar has them at once.
            job.progress(MarkdownCounter(None).count_lines(markdown.split("\n")))
            return markdown_bridge.prepare_markdown(markdown)

        self._tasks.run(
            prepare,
            lane="open",
            success=self._on_prepared,
            failure=lambda _error: self._on_prepared(None),
            progress=self._on_counted,
        )

    def _on_counted(self, counts) -> None:
        self._opening_counts = counts
        self.opening_counted.emit()

    @property
    def opening_counts(self):
        """The counts of the body opening (`Counts`), once the worker has them, else None."""
        return self._opening_counts if self._opening is not None else None

    def _on_prepared(self, prepared: markdown_bridge.PreparedMarkdown | None) -> None:
        markdown = self._opening
        if markdown is None or (prepared is not None and prepared.markdown is not markdown):
            return
        self.load_markdown(markdown, prepared)  # converted here after all if it failed
        self.body_loaded.emit()

    def _stop_opening(self) -> None:
        if self._opening is None:
            return
        self._opening = None
        self._tasks.cancel("open")
        self.setPlaceholderText(WRITING_PLACEHOLDER)
        super().setReadOnly(self._read_only_wanted)

    @property
    def opening(self) -> bool:
        """A long body is being converted for the editor (see `open_markdown`)."""
        return self._opening is not None

    def setReadOnly(self, read_only: bool) -> None:
        """As Qt's, but the editor stays read-only while a body is opening."""
        self._read_only_wanted = read_only
        super().setReadOnly(read_only or self._opening is not None)

    def is_empty(self) -> bool:
        return self._opening is None and self.document().isEmpty()

    def shutdown(self) -> None:
        """Forget a body still opening (the window is closing)."""
        self._tasks.shutdown(1000)

    def markdown(self) -> str:
        if self._opening is not None:
            return self._opening
        return markdown_bridge.document_to_markdown(self.document())

    def _apply_reading_rhythm(self) -> None:
        markdown_bridge.keep_rhythm(self.document())

    def _on_contents_changed(self) -> None:
        if not self._loading:
            self.body_edited.emit()

    def _keep_rhythm(self, position: int, _removed: int, added: int) -> None:
        """Blocks an edit made or moved (Enter, paste, put back, a quote...) get the
        rhythm loaded ones have, in the edit's own undo step: typed and loaded paragraphs
        look the same, and nothing moves when the article is opened again."""
        if self._loading or self._in_rhythm or self._undoing:
            return  # undo and redo bring back states that had their rhythm already
        document = self.document()
        if not document.isUndoRedoEnabled():
            return
        first = document.findBlock(position)
        last = document.findBlock(position + added)
        if not last.isValid():
            last = document.lastBlock()
        first_number = first.blockNumber() if first.isValid() else 0
        last_number = last.blockNumber()
        join = document.availableUndoSteps() > 0
        self._in_rhythm = True
        try:
            # A paragraph grown past the limit (a paste, a join) is cut in pieces, and a
            # piece's mark copied onto a new paragraph (Enter) goes: in the same step.
            last_number += markdown_bridge.split_long_blocks(
                document, first_number, last_number, join=join
            )
            markdown_bridge.normalise_pieces(document, first_number, last_number, join=join)
            markdown_bridge.keep_rhythm(document, first_number, last_number, join=join)
        finally:
            self._in_rhythm = False

    def undo(self) -> None:
        self._undoing = True
        try:
            super().undo()
        finally:
            self._undoing = False

    def redo(self) -> None:
        self._undoing = True
        try:
            super().redo()
        finally:
            self._undoing = False

    # -- formatting ------------------------------------------------------

    def format_state(self) -> FormatState:
        cursor = self.textCursor()
        char = cursor.charFormat()
        block = cursor.blockFormat()
        current_list = cursor.currentList()
        list_style = current_list.format().style() if current_list else None
        return FormatState(
            # In a heading (bold already) only a heavier run is bold (see markdown_writer).
            bold=char.fontWeight() >= (900 if block.headingLevel() else QFont.Weight.DemiBold),
            italic=char.fontItalic(),
            heading_level=block.headingLevel(),
            bullet_list=list_style == _BULLET,
            numbered_list=list_style == _NUMBERED,
            block_quote=bool(block.property(QTextFormat.Property.BlockQuoteLevel)),
            link=char.isAnchor(),
            strikethrough=char.fontStrikeOut(),
            code=is_code_format(char),
        )

    def toggle_bold(self) -> None:
        fmt = QTextCharFormat()
        state = self.format_state()
        base = QFont.Weight.Bold if state.heading_level else QFont.Weight.Normal
        fmt.setFontWeight(base if state.bold else QFont.Weight.Black)
        self._merge_as_one_step(fmt)

    def toggle_italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.format_state().italic)
        self._merge_as_one_step(fmt)

    def toggle_strikethrough(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontStrikeOut(not self.format_state().strikethrough)
        self._merge_as_one_step(fmt)

    def toggle_inline_code(self) -> None:
        """Code is a fixed-pitch run: the Markdown writer and typography both go by that."""
        fmt = QTextCharFormat()
        code = not self.format_state().code
        fmt.setFontFixedPitch(code)
        fmt.setFontFamilies(CODE_FONT_FAMILIES if code else BODY_FONT_FAMILIES)
        self._merge_as_one_step(fmt)

    def _merge_as_one_step(self, fmt: QTextCharFormat) -> None:
        """A character format on the selection (or the word under the cursor): one undo step."""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if not cursor.hasSelection():
            word = QTextCursor(cursor)
            word.select(QTextCursor.SelectionType.WordUnderCursor)
            if word.hasSelection() and word.selectionStart() < cursor.position() < (
                word.selectionEnd()
            ):
                word.mergeCharFormat(fmt)
        self.mergeCurrentCharFormat(fmt)
        cursor.endEditBlock()
        self._emit_format()

    def insert_horizontal_rule(self) -> None:
        """A rule as its own block (Markdown `---`), with the cursor in a paragraph after it."""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.hasSelection():
            cursor.removeSelectedText()
        if cursor.block().length() > 1:
            cursor.insertBlock()
        self._leave_list(cursor)
        rule = QTextBlockFormat()
        rule.setProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth, 1)
        cursor.setBlockFormat(rule)
        plain = QTextBlockFormat()
        plain.setLineHeight(145, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.insertBlock(plain, QTextCharFormat())
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self._emit_format()

    def change_list_indent(self, step: int) -> bool:
        """Nest (+1) or lift (-1) the list item(s) at the cursor; False when not in a list.

        Lifting an item at the outer level takes it out of the list, as word processors do.
        Items join the nearest earlier list at their new depth, so siblings stay one list.
        """
        cursor = self.textCursor()
        doc = self.document()
        first = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        if first.textList() is None:
            return False
        cursor.beginEditBlock()
        block = first
        while block.isValid():
            text_list = block.textList()
            if text_list is not None:
                self._move_item(block, text_list.format().indent() + step)
            if block == last:
                break
            block = block.next()
        cursor.endEditBlock()
        self._emit_format()
        return True

    def _move_item(self, block, indent: int) -> None:
        current = block.textList()
        if indent < 1:
            current.remove(block)
            reset = QTextCursor(block)
            plain = reset.blockFormat()
            plain.setIndent(0)
            reset.setBlockFormat(plain)
            return
        if indent > 1 and current.itemNumber(block) == 0 and current.format().indent() < indent:
            previous = block.previous()
            if not previous.isValid() or previous.textList() is None:
                return  # nothing above to nest under
        earlier = block.previous()
        while earlier.isValid() and earlier.textList() is not None:
            candidate = earlier.textList()
            depth = candidate.format().indent()
            if depth == indent and candidate != current:
                candidate.add(block)
                return
            if depth < indent:
                break
            earlier = earlier.previous()
        fmt = QTextListFormat(current.format())
        fmt.setIndent(indent)
        QTextCursor(block).createList(fmt)

    def set_heading(self, level: int) -> None:
        """Level 2 or 3 makes the block(s) a heading (again: back to a paragraph); 0 = paragraph."""
        if level and self.format_state().heading_level == level:
            level = 0
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if level:
            self._leave_list(cursor)
        block_format = QTextBlockFormat()
        block_format.setHeadingLevel(level)
        cursor.mergeBlockFormat(block_format)
        char = QTextCharFormat()
        char.setProperty(
            QTextFormat.Property.FontSizeAdjustment, _HEADING_SIZE_ADJUSTMENT.get(level, 0)
        )
        char.setFontWeight(QFont.Weight.Bold if level else QFont.Weight.Normal)
        whole = QTextCursor(cursor)
        whole.setPosition(cursor.selectionStart())
        whole.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        whole.setPosition(cursor.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
        whole.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        whole.mergeCharFormat(char)
        cursor.mergeBlockCharFormat(char)
        cursor.endEditBlock()
        self._emit_format()

    def set_paragraph(self) -> None:
        cursor = self.textCursor()
        cursor.beginEditBlock()
        self._leave_list(cursor)
        self._set_quote(cursor, False)
        self.setTextCursor(cursor)
        cursor.endEditBlock()
        self.set_heading(0)

    def toggle_bullet_list(self) -> None:
        self._toggle_list(_BULLET)

    def toggle_numbered_list(self) -> None:
        self._toggle_list(_NUMBERED)

    def _toggle_list(self, style: QTextListFormat.Style) -> None:
        cursor = self.textCursor()
        cursor.beginEditBlock()
        current = cursor.currentList()
        if current is not None and current.format().style() == style:
            self._leave_list(cursor)
        elif current is not None:
            fmt = current.format()
            fmt.setStyle(style)
            current.setFormat(fmt)
        else:
            heading = QTextBlockFormat()
            heading.setHeadingLevel(0)
            cursor.mergeBlockFormat(heading)
            fmt = QTextListFormat()
            fmt.setStyle(style)
            cursor.createList(fmt)
        cursor.endEditBlock()
        self._emit_format()

    def _leave_list(self, cursor: QTextCursor) -> None:
        doc = self.document()
        block = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        while block.isValid():
            if block.textList() is not None:
                block.textList().remove(block)
                reset = QTextCursor(block)
                plain = reset.blockFormat()
                plain.setIndent(0)
                reset.setBlockFormat(plain)
            if block == last:
                break
            block = block.next()

    def toggle_block_quote(self) -> None:
        cursor = self.textCursor()
        cursor.beginEditBlock()
        self._set_quote(cursor, not self.format_state().block_quote)
        cursor.endEditBlock()
        self._emit_format()

    def _set_quote(self, cursor: QTextCursor, quoted: bool) -> None:
        fmt = QTextBlockFormat()
        # QTextMarkdownWriter writes "> " for blocks with a BlockQuoteLevel.
        fmt.setProperty(QTextFormat.Property.BlockQuoteLevel, 1 if quoted else 0)
        fmt.setLeftMargin(_QUOTE_INDENT if quoted else 0)
        fmt.setRightMargin(_QUOTE_INDENT if quoted else 0)
        cursor.mergeBlockFormat(fmt)
        if not quoted:
            doc = self.document()
            block = doc.findBlock(cursor.selectionStart())
            last = doc.findBlock(cursor.selectionEnd())
            while block.isValid():
                clean = QTextCursor(block)
                plain = clean.blockFormat()
                plain.clearProperty(QTextFormat.Property.BlockQuoteLevel)
                clean.setBlockFormat(plain)
                if block == last:
                    break
                block = block.next()

    def link_under_cursor(self) -> str:
        return self.textCursor().charFormat().anchorHref()

    def link_text_under_cursor(self) -> str:
        """The selected text, or the whole text of the link the cursor is in."""
        cursor = self.textCursor()
        if not cursor.hasSelection() and self.format_state().link:
            self._select_link(cursor)
        return cursor.selectedText()

    def set_link(self, url: str, text: str | None = None) -> None:
        """Link the selection (or insert `url` as its own text); an empty url removes the link.

        `text`, when given and different, replaces the linked words: one undo step.
        """
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if not cursor.hasSelection() and self.format_state().link:
            self._select_link(cursor)
        fmt = self._link_format(url)
        if url and text and text != cursor.selectedText():
            # The new words go in with the link's format: inserting them and then changing
            # their format in one undo step makes Qt's redo put the cursor past the end
            # ("QTextCursor::setPosition: Position ... out of range").
            start = cursor.selectionStart()
            cursor.insertText(text, self._merged(cursor.charFormat(), fmt))
            cursor.setPosition(start)
            cursor.setPosition(start + len(text), QTextCursor.MoveMode.KeepAnchor)
            cursor.endEditBlock()
            self.setTextCursor(cursor)
            self._emit_format()
            return
        if cursor.hasSelection():
            cursor.mergeCharFormat(fmt)
        elif url:
            cursor.insertText(url, self._merged(cursor.charFormat(), fmt))
            self._after_link(cursor)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self._emit_format()

    @staticmethod
    def _link_format(url: str) -> QTextCharFormat:
        """The character format that makes a run a link to `url` (none: removes the link)."""
        fmt = QTextCharFormat()
        if url:
            fmt.setAnchor(True)
            fmt.setAnchorHref(url)
            fmt.setForeground(LINK_COLOUR)
            fmt.setFontUnderline(True)
        else:
            fmt.setAnchor(False)
            fmt.setAnchorHref("")
            fmt.clearForeground()
            fmt.setFontUnderline(False)
        return fmt

    @staticmethod
    def _after_link(cursor: QTextCursor) -> None:
        """What is typed after an inserted link is plain text again."""
        plain = QTextCharFormat(cursor.charFormat())
        plain.setAnchor(False)
        plain.setAnchorHref("")
        plain.clearForeground()
        plain.setFontUnderline(False)
        cursor.setCharFormat(plain)

    @staticmethod
    def _merged(base: QTextCharFormat, extra: QTextCharFormat) -> QTextCharFormat:
        merged = QTextCharFormat(base)
        merged.merge(extra)
        return merged

    def _select_link(self, cursor: QTextCursor) -> None:
        href = cursor.charFormat().anchorHref()
        block = cursor.block()
        position = cursor.position()
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            start, end = fragment.position(), fragment.position() + fragment.length()
            if start <= position <= end and fragment.charFormat().anchorHref() == href:
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                return
            iterator += 1

    def _emit_format(self, *_: object) -> None:
        self.format_changed.emit(self.format_state())

    # -- layout ----------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Centre a readable column: the margins sit outside the viewport, so the
        # document (and its undo stack) never changes when the window does.
        centre_column(self, self._max_width)
        super().resizeEvent(event)
        self._fit_wide_content()

    def _fit_wide_content(self) -> None:
        """Pictures no wider than the text column (tables are 100% wide and wrap)."""
        document = self.document()
        margins = self.viewportMargins()
        column = self.width() - 2 * self.frameWidth() - margins.left() - margins.right()
        # The vertical scroll bar may come with the picture: leave room for it anyway.
        column -= self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        markdown_bridge.fit_images(document, int(column - 2 * document.documentMargin()))

    # -- paste (cleaning in editor.core.paste, insertion in paste_handler) ------

    def createMimeDataFromSelection(self) -> QMimeData:
        cursor = self.textCursor()
        document = self.document()
        block = document.findBlock(cursor.selectionStart()).next()
        end = cursor.selectionEnd()
        while block.isValid() and block.position() <= end:
            if continues(block):
                # A long paragraph shown in pieces leaves as one paragraph (else each seam
                # would be a paragraph break in the other program, or in our own paste).
                return paste_handler.mark_as_ours(paste_handler.joined_mime(cursor, document))
            block = block.next()
        return paste_handler.mark_as_ours(super().createMimeDataFromSelection())

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasHtml() or source.hasText() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if paste_handler.is_ours(source):
            if not paste_handler.paste_own(self, source):
                super().insertFromMimeData(source)  # our own formats, exactly as copied
        else:
            paste_handler.paste(self, source)
        self._emit_format()

    def paste_plain_text(self) -> None:
        """Ctrl+Shift+V: the clipboard's text only, in the formatting at the cursor."""
        paste_handler.paste(self, QApplication.clipboard().mimeData(), plain=True)

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
            return
        if event.matches(QKeySequence.StandardKey.Redo):
            self.redo()
            return
        # In a table Tab and Shift+Tab go from cell to cell (Tab in the last cell adds a
        # row), as in every word processor: a tab character means nothing in Markdown.
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and self._tab_in_table(event):
            return
        # Tab and Shift+Tab nest and lift list items (Python-Markdown nesting).
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and (
            self.textCursor().currentList() is not None
        ):
            shifted = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            step = -1 if event.key() == Qt.Key.Key_Backtab or shifted else 1
            if self.change_list_indent(step):
                return
        self._key_press(event)
        text = event.text()
        if text and not self._loading:
            for hook in self.typed_hooks:
                hook(text)

    def _tab_in_table(self, event) -> bool:
        """Tab: the next cell, a new row after the last; Shift+Tab: the previous cell."""
        found = table_commands.current_table(self)
        if found is None or event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            return False
        table, cell = found
        backwards = event.key() == Qt.Key.Key_Backtab or bool(
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        index = cell.row() * table.columns() + cell.column() + (-1 if backwards else 1)
        if index < 0:
            return True  # the first cell: nowhere to go, and no tab character either
        if index >= table.rows() * table.columns():
            if self.isReadOnly():
                return True
            last_row = table.rows() - 1
            cursor = QTextCursor(table.cellAt(last_row, 0).firstCursorPosition())
            self.setTextCursor(cursor)
            table_commands.add_row(self)  # one undo step, the columns' alignment kept
            index = table.rows() * table.columns() - table.columns()
        row, column = divmod(index, table.columns())
        self.setTextCursor(table.cellAt(row, column).firstCursorPosition())
        self._emit_format()
        return True

    def _key_press(self, event) -> None:
        if self._across_seam(event):
            return
        # Leaving a heading with Enter starts a plain paragraph, as word processors do.
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.format_state().heading_level
        ):
            cursor = self.textCursor()
            if cursor.atBlockEnd():
                cursor.beginEditBlock()
                plain_block = QTextBlockFormat(cursor.blockFormat())
                plain_block.setHeadingLevel(0)
                plain_char = QTextCharFormat(cursor.charFormat())
                plain_char.setProperty(QTextFormat.Property.FontSizeAdjustment, 0)
                plain_char.setFontWeight(QFont.Weight.Normal)
                cursor.insertBlock(plain_block, plain_char)
                cursor.endEditBlock()
                self.setTextCursor(cursor)
                return
        # Enter at the end of a protected block (a footnote, raw HTML: Markdown source)
        # starts a plain paragraph; Shift+Enter (a line break) stays in the source.
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            and self.textCursor().atBlockEnd()
            and self.textCursor().blockFormat().boolProperty(RAW_MARKDOWN)
        ):
            cursor = self.textCursor()
            cursor.beginEditBlock()
            plain_block = QTextBlockFormat(cursor.blockFormat())
            plain_block.clearProperty(RAW_MARKDOWN)
            plain_char = QTextCharFormat(cursor.charFormat())
            plain_char.setFontFixedPitch(False)
            cursor.insertBlock(plain_block, plain_char)
            cursor.endEditBlock()
            self.setTextCursor(cursor)
            return
        super().keyPressEvent(event)

    def _across_seam(self, event) -> bool:
        """Backspace at the start of a piece of a long paragraph (see `markdown_bridge`)
        deletes the character before the seam, Delete at a piece's end the one after:
        the seam is no character the person can see, so it never eats the key."""
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier or self.isReadOnly():
            return False
        cursor = self.textCursor()
        if cursor.hasSelection():
            return False
        block = cursor.block()
        if event.key() == Qt.Key.Key_Backspace and cursor.atBlockStart() and continues(block):
            if block.previous().length() <= 1:
                return False  # an empty piece before: joining is all there is to do
            cursor.setPosition(block.position() - 1)
            cursor.deletePreviousChar()
        elif event.key() == Qt.Key.Key_Delete and cursor.atBlockEnd() and continues(block.next()):
            if block.next().length() <= 1:
                return False
            cursor.setPosition(block.next().position())
            cursor.deleteChar()
        else:
            return False
        self.setTextCursor(cursor)
        return True

    # -- context menu ----------------------------------------------------

    def add_context_menu_provider(self, provider: Callable[[QMenu, QTextCursor], None]) -> None:
        """`provider(menu, cursor_at_click)` adds entries (spelling, ...) to the context menu."""
        self._menu_providers = [*getattr(self, "_menu_providers", []), provider]

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        clicked = self.cursorForPosition(event.pos())
        for provider in getattr(self, "_menu_providers", []):
            provider(menu, clicked)
        menu.exec(event.globalPos())
        menu.deleteLater()


def _size(characters: int) -> str:
    if characters >= 1_000_000:
        return f"{characters / 1_000_000:.1f} million characters"
    return f"{characters:,} characters"
