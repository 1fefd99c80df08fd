"""Scroll sync between the body editor and the preview, by Markdown block, not by percentage.

The preview tags each top-level element with its Markdown block index (`editor.core.blocks`);
here the editor's `QTextDocument` blocks are counted into the same top-level blocks (a list
is one block, so is a table, a quote or a code block) to map one side onto the other. When
the two counts differ (a construct the count does not know), indexes scale proportionally,
so sync degrades to "close by", never to nonsense. Clicking in the preview puts the editor
cursor at the start of that block.
"""

from __future__ import annotations

import bisect
import time

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument, QTextFormat, QTextTable
from PySide6.QtWidgets import QTextEdit

from editor.ui.body.markdown_writer import continues
from editor.ui.preview.pane import PreviewPane
from editor.ui.timers import debounce_timer

_QUIET_S = 0.3  # after we scroll one side, its own scroll events are ours, not the person's
_CODE_FENCE = QTextFormat.Property.BlockCodeFence
_CODE_LANGUAGE = QTextFormat.Property.BlockCodeLanguage
_QUOTE_LEVEL = QTextFormat.Property.BlockQuoteLevel
_END = 1 << 62


def _tables(document: QTextDocument) -> list[tuple[int, int, int]]:
    """(first position, last position, first position) of each table, in document order."""
    found = []
    stack = [document.rootFrame()]
    while stack:
        frame = stack.pop()
        for child in frame.childFrames():
            if isinstance(child, QTextTable):
                found.append((child.firstPosition(), child.lastPosition(), child.firstPosition()))
            else:
                stack.append(child)
    found.sort()
    return found


def _kind(block: QTextBlock, tables: list[tuple[int, int, int]] | None = None) -> str | None:
    """What top-level Markdown construct `block` belongs to; None for an empty paragraph.

    `tables`: the document's `_tables`, worked out once for a walk over every block (a
    cursor per block to ask for its table cost more than the rest of the walk together).
    """
    if tables is None:
        table = QTextCursor(block).currentTable()
        if table is not None:
            return f"table:{table.firstPosition()}"
    elif tables:
        position = block.position()
        index = bisect.bisect_right(tables, (position, _END, _END)) - 1
        if index >= 0 and tables[index][0] <= position <= tables[index][1]:
            return f"table:{tables[index][2]}"
    if block.textList() is not None:
        return "list"
    block_format = block.blockFormat()
    if block_format.hasProperty(_CODE_FENCE) or block_format.hasProperty(_CODE_LANGUAGE):
        return "code"
    if block_format.intProperty(_QUOTE_LEVEL) > 0:
        return "quote"
    if not block.text().strip():
        return None
    return "paragraph"


def editor_block_starts(document: QTextDocument) -> list[int]:
    """For each top-level Markdown block, the number of the `QTextBlock` it begins at.

    A further piece of a long paragraph shown as several blocks (`continues`) is part of
    the paragraph it continues, as it is on the page."""
    starts: list[int] = []
    previous: str | None = None
    tables = _tables(document)
    block = document.begin()
    while block.isValid():
        if previous == "paragraph" and continues(block):
            block = block.next()
            continue
        kind = _kind(block, tables)
        if kind is not None:
            if kind == "paragraph" or kind != previous:
                starts.append(block.blockNumber())
            previous = kind
        block = block.next()
    return starts


def markdown_index(starts: list[int], block_number: int, markdown_count: int) -> int:
    """The Markdown block index shown for editor block `block_number`."""
    if not starts or markdown_count <= 0:
        return 0
    index = max(0, bisect.bisect_right(starts, block_number) - 1)
    if len(starts) != markdown_count:
        index = round(index * (markdown_count - 1) / max(1, len(starts) - 1))
    return min(index, markdown_count - 1)


def editor_start(starts: list[int], index: int, markdown_count: int) -> int:
    """The editor block number where Markdown block `index` begins."""
    if not starts:
        return 0
    if len(starts) != markdown_count and markdown_count > 1:
        index = round(index * (len(starts) - 1) / (markdown_count - 1))
    return starts[max(0, min(index, len(starts) - 1))]


class ScrollSync(QObject):
    """Keeps `editor` and `pane` showing the same block; a click in the pane moves the cursor."""

    def __init__(self, editor: QTextEdit, pane: PreviewPane, parent: QObject | None = None):
        super().__init__(parent or editor)
        self._editor = editor
        self._pane = pane
        self._starts: list[int] = []
        self._revision = -1
        self._quiet_until = 0.0
        self.enabled = True
        self._timer = debounce_timer(self, 30, self._editor_scrolled)
        editor.verticalScrollBar().valueChanged.connect(self._on_editor_scroll)
        pane.scrolled.connect(self.scroll_editor_to)
        pane.block_clicked.connect(self.move_cursor_to)

    def starts(self) -> list[int]:
        document = self._editor.document()
        if document.revision() != self._revision:  # recount only after an edit
            self._starts = editor_block_starts(document)
            self._revision = document.revision()
        return self._starts

    def _block_top(self, number: int) -> float:
        document = self._editor.document()
        block = document.findBlockByNumber(number)
        if not block.isValid():
            return document.size().height()
        return document.documentLayout().blockBoundingRect(block).top()

    def _span(self, index: int) -> tuple[float, float]:
        """Top and bottom (document coordinates) of Markdown block `index` in the editor."""
        starts, count = self.starts(), self._pane.block_count
        first = editor_start(starts, index, count)
        following = [s for s in starts if s > first]
        top = self._block_top(first)
        bottom = (
            self._block_top(following[0]) if following else self._editor.document().size().height()
        )
        return top, max(top + 1.0, bottom)

    # -- editor -> preview -----------------------------------------------

    def _on_editor_scroll(self, _value: int) -> None:
        if self.enabled and time.monotonic() >= self._quiet_until:
            self._timer.start()

    def _editor_scrolled(self) -> None:
        block = self._editor.cursorForPosition(QPoint(0, 0)).block()
        index = markdown_index(self.starts(), block.blockNumber(), self._pane.block_count)
        top, bottom = self._span(index)
        y = self._editor.verticalScrollBar().value()
        fraction = min(1.0, max(0.0, (y - top) / (bottom - top)))
        self._pane.scroll_to_block(index, fraction)

    # -- preview -> editor -----------------------------------------------

    def scroll_editor_to(self, index: int, fraction: float = 0.0) -> None:
        """Show Markdown block `index` (`fraction` into it) at the top of the editor."""
        if not self.enabled:
            return
        top, bottom = self._span(index)
        self._quiet_until = time.monotonic() + _QUIET_S
        self._timer.stop()
        self._editor.verticalScrollBar().setValue(round(top + fraction * (bottom - top)))

    def move_cursor_to(self, index: int) -> None:
        """Put the editor's cursor at the start of Markdown block `index`, and focus it."""
        number = editor_start(self.starts(), index, self._pane.block_count)
        block = self._editor.document().findBlockByNumber(number)
        if not block.isValid():
            return
        self._editor.setTextCursor(QTextCursor(block))
        self._editor.ensureCursorVisible()
        self._editor.setFocus()
