"""The window's status bar: article count, save state, word count and Undo delete."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QStatusBar, QToolButton, QWidget


class EditorStatusBar(QStatusBar):
    """Permanent fields on the right; transient messages on the left."""

    def __init__(self, undo_delete: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.undo_button = QToolButton(self)
        self.undo_button.setDefaultAction(undo_delete)
        self.undo_button.setAutoRaise(True)
        self.undo_button.hide()
        self.save_state = QLabel(self)
        self.save_state.setObjectName("saveState")
        self.words = QLabel(self)
        self.words.setObjectName("statusWords")
        self.identity = QLabel(self)
        self.identity.setObjectName("identity")
        self.addWidget(self.identity)
        self.addWidget(self.undo_button)
        self.addPermanentWidget(self.save_state)
        self.addPermanentWidget(self.words)

    def show_identity(self, user_name: str, store_name: str) -> None:
        self.identity.setText(f"{user_name} · {store_name}")

    def show_word_count(self, count: int) -> None:
        self.words.setText(f"{count:,} words" if count != 1 else "1 word")

    def show_saved(self, when: datetime | None = None) -> None:
        moment = (when.astimezone() if when and when.tzinfo else when) or datetime.now()
        self.save_state.setText(f"Saved {moment:%H:%M}")
        self.save_state.setToolTip("")
        self.save_state.setStyleSheet("color: #047857;")

    def show_editing(self) -> None:
        self.save_state.setText("Editing…")
        self.save_state.setStyleSheet("color: #6b7280;")

    def show_conflict(self) -> None:
        self.save_state.setText("Not saved: changed elsewhere")
        self.save_state.setStyleSheet("color: #b91c1c; font-weight: 600;")

    def show_save_failed(self, message: str) -> None:
        self.save_state.setText("Not saved: will retry")
        self.save_state.setToolTip(message)
        self.save_state.setStyleSheet("color: #b91c1c; font-weight: 600;")
        self.showMessage(message, 15000)

    def show_nothing_open(self) -> None:
        self.save_state.setText("")
        self.words.setText("")

    def offer_undo_delete(self, headline: str) -> None:
        self.showMessage(f"Deleted “{headline or 'Untitled'}”.", 15000)
        self.undo_button.show()

    def withdraw_undo_delete(self) -> None:
        self.undo_button.hide()
