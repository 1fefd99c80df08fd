"""The large headline above the body: one paragraph that wraps, with no line breaks.

Its height follows its text up to `MAX_LINES` lines, then it scrolls. The fitted height
is only its size hint; its minimum is one line, whatever the width. It used to be a fixed
height set from the width, and so the window's minimum height: in a narrow window every
wrap grew the window (to 612x2001, one letter a line, the body hidden).
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QWidget

from editor.ui.body.editor import BODY_FONT_FAMILIES, centre_column

_TEXT_INSET = 28  # lines the headline up with the body's document margin
_TOP, _BOTTOM = 22, 2  # the viewport margins above and below the text
#: The most lines the headline shows before it scrolls; real headlines wrap to two or three.
MAX_LINES = 3


class HeadlineEdit(QPlainTextEdit):
    """Grows with its text up to `MAX_LINES` lines, then scrolls; Enter moves on to the
    body; `headline_edited` is a person's edit."""

    headline_edited = Signal(str)
    return_pressed = Signal()

    def __init__(self, parent: QWidget | None = None, *, point_size: int = 22,
                 max_width: int = 720) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("editorHeadline")
        self._loading = False
        self._max_width = max_width
        font = QFont()
        font.setFamilies(BODY_FONT_FAMILIES)
        font.setPointSize(point_size)
        font.setBold(True)
        self.setFont(font)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setPlaceholderText("Headline")
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # Past what it shows the rest scrolls (the wheel, the cursor keys), with a scroll
        # bar to say there is more. The bar makes the text narrower, so more lines, never
        # fewer: it cannot flip on and off.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # As tall as its text (the hint), less in a short window (down to one line).
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self._fitted = 0
        self.textChanged.connect(self._on_text_changed)
        # The layout wraps the text again after a resize, not always inside resizeEvent:
        # fitting on its new line count too keeps the last line from being cut off.
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        if text == self.toPlainText():
            return
        self._loading = True
        try:
            self.setPlainText(text)
        finally:
            self._loading = False
        self._fit_height()

    def _on_text_changed(self) -> None:
        self._fit_height()
        if not self._loading:
            self.headline_edited.emit(self.toPlainText())

    def line_count(self) -> int:
        """The lines the text wraps to at the current width (1 for an empty headline)."""
        return max(1, round(self.document().size().height()))  # lines, for a plain layout

    def height_for_lines(self, lines: int) -> int:
        """The widget's height that shows `lines` lines (at most `MAX_LINES`)."""
        line_height = self.fontMetrics().lineSpacing()
        # The document's margin above and below, and once more: QPlainTextEdit counts the
        # last line as shown only with that much room under it, else it scrolls by a line.
        frame = int(self.document().documentMargin() * 3)
        shown = max(1, min(lines, MAX_LINES))
        return shown * line_height + frame + _TOP + _BOTTOM + 2 * self.frameWidth()

    def _fit_height(self) -> None:
        height = self.height_for_lines(self.line_count())
        if height != self._fitted:
            self._fitted = height
            self.updateGeometry()  # the layout asks sizeHint() again

    def sizeHint(self) -> QSize:
        return QSize(self._max_width, self._fitted or self.height_for_lines(1))

    def minimumSizeHint(self) -> QSize:
        # One line at any width: the editor column sets the narrowest width, and a height
        # that depended on the width would make the window's minimum depend on it too.
        return QSize(0, self.height_for_lines(1))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.return_pressed.emit()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        # A headline is one paragraph: pasted line breaks become spaces.
        self.insertPlainText(" ".join(source.text().split()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        centre_column(self, self._max_width, inset=_TEXT_INSET, top=_TOP, bottom=_BOTTOM)
        super().resizeEvent(event)
        self._fit_height()
