"""The large headline above the body: one paragraph that wraps, with no line breaks."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QWidget

from editor.ui.body_editor import BODY_FONT_FAMILIES, centre_column

_TEXT_INSET = 28  # lines the headline up with the body's document margin


class HeadlineEdit(QPlainTextEdit):
    """Grows with its text; Enter moves on to the body; `headline_edited` is a person's edit."""

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
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.textChanged.connect(self._on_text_changed)
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

    def _fit_height(self) -> None:
        lines = max(1, self.document().size().height())  # in lines for a plain text layout
        line_height = self.fontMetrics().lineSpacing()
        margins = self.viewportMargins()
        frame = int(self.document().documentMargin() * 2)
        self.setFixedHeight(int(lines * line_height) + frame + margins.top() + margins.bottom())

    def sizeHint(self) -> QSize:
        return QSize(self._max_width, self.height())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.return_pressed.emit()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        # A headline is one paragraph: pasted line breaks become spaces.
        self.insertPlainText(" ".join(source.text().split()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        centre_column(self, self._max_width, inset=_TEXT_INSET, top=22, bottom=2)
        super().resizeEvent(event)
        self._fit_height()
