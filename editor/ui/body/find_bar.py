"""Find and replace in the article body: a bar under the editor (Ctrl+F, Ctrl+H).

Whole word, match case and regular expression options; next and previous wrap around;
Replace All is one undo step. A bad regular expression is reported in the bar itself.
It searches whichever editor shows the body (`follow`): the rich text or its Markdown source.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.ui import icons
from editor.ui.body.markdown_writer import PARAGRAPH_CONTINUES, continues


class FindBar(QWidget):
    """Searches a `QTextEdit` (or `QPlainTextEdit`); hidden until `open_find` or `open_replace`."""

    def __init__(self, editor: QTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._editor_of: Callable[[], QTextEdit | QPlainTextEdit] = lambda: editor
        self.find_field = QLineEdit(placeholderText="Find in the story")
        self.replace_field = QLineEdit(placeholderText="Replace with")
        self.whole_word = QCheckBox("Whole word")
        self.match_case = QCheckBox("Match case")
        self.regex = QCheckBox("Regex")
        self.message = QLabel()
        self.message.setObjectName("findMessage")
        self._previous = self._button(
            "fa6s.chevron-up", "Previous match (Shift+F3)", self.find_previous
        )
        self._next = self._button("fa6s.chevron-down", "Next match (F3)", self.find_next)
        self._close = self._button("fa6s.xmark", "Close (Esc)", self.close_bar)
        self.replace_button = QToolButton(text="Replace")
        self.replace_all_button = QToolButton(text="Replace All")
        self.replace_button.clicked.connect(self.replace)
        self.replace_all_button.clicked.connect(self.replace_all)

        find_row = QHBoxLayout()
        for widget in (self.find_field, self._previous, self._next, self.whole_word,
                       self.match_case, self.regex, self.message, self._close):  # fmt: skip
            find_row.addWidget(widget)
        find_row.setStretch(0, 1)
        self._replace_row = QWidget()
        replace_row = QHBoxLayout(self._replace_row)
        replace_row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.replace_field, self.replace_button, self.replace_all_button):
            replace_row.addWidget(widget)
        replace_row.setStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(find_row)
        layout.addWidget(self._replace_row)

        self.find_field.returnPressed.connect(self.find_next)
        self.find_field.textChanged.connect(lambda _text: self._search_from_selection_start())
        self.replace_field.returnPressed.connect(self.replace)
        for box in (self.whole_word, self.match_case, self.regex):
            box.toggled.connect(lambda _on: self._search_from_selection_start())
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)  # fmt: skip
        QShortcut(QKeySequence("F3"), self, self.find_next,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)  # fmt: skip
        QShortcut(QKeySequence("Shift+F3"), self, self.find_previous,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)  # fmt: skip
        self.hide()

    @property
    def _editor(self) -> QTextEdit | QPlainTextEdit:
        return self._editor_of()

    def follow(self, editor_of: Callable[[], QTextEdit | QPlainTextEdit]) -> None:
        """Search the editor `editor_of()` names at each use (both share the cursor API)."""
        self._editor_of = editor_of

    def _button(self, icon: str, tip: str, slot) -> QToolButton:
        button = QToolButton()
        button.setIcon(icons.icon(icon, color="#3b4252"))
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    # -- opening ---------------------------------------------------------------

    def open_find(self) -> None:
        self._open(replace=False)

    def open_replace(self) -> None:
        self._open(replace=True)

    def _open(self, *, replace: bool) -> None:
        self._replace_row.setVisible(replace)
        selected = self._editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_field.setText(selected)
        self.show()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self._editor.setFocus()

    # -- searching -------------------------------------------------------------

    def pattern(self) -> re.Pattern[str] | None:
        """The search as a regular expression; None (and a message) when it is not valid."""
        text = self.find_field.text()
        self.message.setText("")
        if not text:
            return None
        source = text if self.regex.isChecked() else re.escape(text)
        if self.whole_word.isChecked():
            source = rf"\b(?:{source})\b"
        flags = 0 if self.match_case.isChecked() else re.IGNORECASE
        try:
            return re.compile(source, flags)
        except re.error as error:
            self.message.setText(f"Not a valid pattern: {error.msg}")
            return None

    def _matches(self) -> list[tuple[int, int]]:
        pattern = self.pattern()
        if pattern is None:
            return []
        # Paragraph separators are U+2029 in the document: a match never crosses one. The
        # seams of a paragraph shown in pieces are no separators: searched without them.
        document = self._editor.document()
        text, seams = seamless_text(document)
        if not seams:
            return [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]
        return [
            (m.start() + bisect.bisect_right(seams, m.start()),
             m.end() + bisect.bisect_left(seams, m.end()))
            for m in pattern.finditer(text)
            if m.end() > m.start()
        ]  # fmt: skip

    def find_next(self) -> bool:
        return self._find(forward=True)

    def find_previous(self) -> bool:
        return self._find(forward=False)

    def _search_from_selection_start(self) -> None:
        cursor = self._editor.textCursor()
        cursor.setPosition(cursor.selectionStart())
        self._editor.setTextCursor(cursor)
        self._find(forward=True)

    def _find(self, *, forward: bool) -> bool:
        matches = self._matches()
        if not matches:
            if self.find_field.text() and not self.message.text():
                self.message.setText("Not found")
            return False
        cursor = self._editor.textCursor()
        if forward:
            after = cursor.selectionEnd() if cursor.hasSelection() else cursor.position()
            chosen = next((m for m in matches if m[0] >= after), matches[0])
        else:
            before = cursor.selectionStart()
            chosen = next((m for m in reversed(matches) if m[1] <= before), matches[-1])
        self._select(*chosen)
        index = matches.index(chosen) + 1
        self.message.setText(f"{index} of {len(matches)}")
        return True

    def _select(self, start: int, end: int) -> None:
        cursor = self._editor.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self._editor.setTextCursor(cursor)
        self._editor.ensureCursorVisible()

    # -- replacing -------------------------------------------------------------

    def _replacement(self, matched: str) -> str:
        replacement = self.replace_field.text()
        pattern = self.pattern()
        if self.regex.isChecked() and pattern is not None:
            try:
                return pattern.sub(replacement, matched, count=1)
            except (re.error, IndexError) as error:
                self.message.setText(f"Bad replacement: {error}")
                raise
        return replacement

    def replace(self) -> None:
        """Replace the current match (if the selection is one) and go to the next."""
        if self._editor.isReadOnly():
            return
        cursor = self._editor.textCursor()
        pattern = self.pattern()
        selected = _selected_text(cursor)
        if pattern is not None and cursor.hasSelection() and pattern.fullmatch(selected):
            try:
                cursor.insertText(self._replacement(selected))
            except (re.error, IndexError):
                return
            self._editor.setTextCursor(cursor)
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match as one undo step; returns how many were replaced."""
        if self._editor.isReadOnly():
            return 0
        matches = self._matches()
        if not matches:
            return 0
        document: QTextDocument = self._editor.document()
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        try:
            for start, end in reversed(matches):  # from the end: earlier offsets stay valid
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(self._replacement(_selected_text(cursor)))
        except (re.error, IndexError):
            cursor.endEditBlock()
            document.undo()
            return 0
        cursor.endEditBlock()
        count = len(matches)
        self.message.setText(f"Replaced {count}")
        return count


def seamless_text(document: QTextDocument) -> tuple[str, list[int]]:
    """The document's plain text without the seams of paragraphs shown in pieces (see
    `markdown_bridge.split_long_blocks`), and where each seam was in that text: a
    position `i` of the text is document position `i + bisect_right(seams, i)`."""
    text = document.toPlainText()
    cuts: list[int] = []  # document positions of the seams' separators
    block = document.begin().next()
    while block.isValid():
        if block.blockFormat().intProperty(PARAGRAPH_CONTINUES) and continues(block):
            cuts.append(block.position() - 1)
        block = block.next()
    if not cuts:
        return text, []
    parts, start = [], 0
    for cut in cuts:
        parts.append(text[start:cut])
        start = cut + 1
    parts.append(text[start:])
    return "".join(parts), [cut - number for number, cut in enumerate(cuts)]


def _selected_text(cursor: QTextCursor) -> str:
    """The selection's text as found: a seam inside it is no paragraph break."""
    text = cursor.selectedText()
    if "\u2029" not in text:
        return text
    document = cursor.document()
    out, start = [], cursor.selectionStart()
    block = document.findBlock(start).next()
    pieces = []
    while block.isValid() and block.position() <= cursor.selectionEnd():
        pieces.append(continues(block))
        block = block.next()
    parts = text.split("\u2029")
    out.append(parts[0])
    for seam, part in zip(pieces, parts[1:], strict=False):
        out.append(part if seam else "\u2029" + part)
    return "".join(out)
