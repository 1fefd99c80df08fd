"""Import notes in the inspector: what the importer moved out of the body, one click back.

Each note shows its kind ("Related link", "Masthead"...), its text and where it stood;
"Put Back" inserts it into the body at that paragraph, "Dismiss" forgets it. The panel
only asks (`put_back_requested`, `dismiss_requested`); `apply_note_action` does it for
a window through `Newsroom`, after saving what the person typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.errors import NewsroomError
from editor.core.importers.boilerplate import KIND_LABELS
from editor.core.model import Article

_PREVIEW_CHARS = 220


class ImportNotesPanel(QFrame):
    """The notes of one article; hidden when it has none."""

    put_back_requested = Signal(int)
    dismiss_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importNotes")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 8, 0, 0)
        self._layout.setSpacing(8)
        self.title = QLabel()
        self.title.setObjectName("importNotesTitle")
        self.title.setStyleSheet("font-weight: 600;")
        self.hint = QLabel("Moved out of the body when the file was imported.")
        self.hint.setStyleSheet("color: #6b7280;")
        self.hint.setWordWrap(True)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.hint)
        self.rows: list[QWidget] = []
        self.show_article(None)

    def show_article(self, article: Article | None) -> None:
        for row in self.rows:
            self._layout.removeWidget(row)
            row.deleteLater()
        self.rows = []
        notes = article.import_notes if article is not None else []
        self.setVisible(bool(notes))
        self.title.setText(f"Import notes ({len(notes)})")
        for index, note in enumerate(notes):
            row = self._row(index, note)
            self._layout.addWidget(row)
            self.rows.append(row)

    def _row(self, index: int, note: dict) -> QWidget:
        row = QFrame()
        row.setObjectName("importNote")
        row.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(row)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        kind = str(note.get("kind", ""))
        position = note.get("position")
        where = "" if position is None else f" · before paragraph {int(position) + 1}"
        label = QLabel(f"{KIND_LABELS.get(kind, kind.capitalize())}{where}")
        label.setStyleSheet("color: #6b7280; font-size: 11px;")
        text = str(note.get("text", ""))
        shown = text if len(text) <= _PREVIEW_CHARS else text[:_PREVIEW_CHARS].rstrip() + "…"
        body = QLabel(shown)
        body.setObjectName("importNoteText")
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.PlainText)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.setToolTip(text if len(text) > _PREVIEW_CHARS else "")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        if position is not None:
            put_back = QPushButton("Put Back")
            put_back.setObjectName("putBack")
            put_back.setToolTip("Insert this text into the body where it stood")
            put_back.clicked.connect(lambda: self.put_back_requested.emit(index))
            buttons.addWidget(put_back)
        dismiss = QPushButton("Dismiss")
        dismiss.setObjectName("dismissNote")
        dismiss.setToolTip("Forget this note; the body stays as it is")
        dismiss.clicked.connect(lambda: self.dismiss_requested.emit(index))
        buttons.addWidget(dismiss)
        layout.addWidget(label)
        layout.addWidget(body)
        layout.addLayout(buttons)
        return row


def apply_note_action(window, action: str, index: int) -> bool:
    """Put back (`action="put_back"`) or dismiss note `index` of the window's article.

    Saves what the person typed first, writes through `Newsroom`, then reopens the
    article so the editor shows the new body. False (with a message) when refused.
    """
    from editor.ui import dialogs

    session = window.session
    if session.article is None or not session.save():
        return False
    article = session.article
    method = (
        window.newsroom.put_back_import_note
        if action == "put_back"
        else window.newsroom.dismiss_import_note
    )
    try:
        updated = method(article.id, index, expected_version=article.version)
    except NewsroomError as error:
        dialogs.show_error(window, "Import Notes", str(error))
        return False
    if session.close_article():
        window.open_article(updated.id)
    window.bus.article_saved.emit(updated)
    return True
