"""The window's status bar: save state, counts with reading time, copy-fit and Undo delete."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QStatusBar, QToolButton, QWidget

from editor.ui.copyfit import CopyFit, CopyFitBar, Counts, Fit, copy_fit


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
        self.copy_fit = CopyFitBar(self)
        self.copy_fit.hide()
        self.fit_label = QLabel(self)
        self.fit_label.setObjectName("copyFitLabel")
        self.fit_label.hide()
        self.identity = QLabel(self)
        self.identity.setObjectName("identity")
        self.addWidget(self.identity)
        self.addWidget(self.undo_button)
        self.addPermanentWidget(self.save_state)
        self.addPermanentWidget(self.words)
        self.addPermanentWidget(self.copy_fit)
        self.addPermanentWidget(self.fit_label)

    def show_identity(self, user_name: str, store_name: str) -> None:
        self.identity.setText(f"{user_name} · {store_name}")

    def show_word_count(self, count: int) -> None:
        self.words.setText(f"{count:,} words" if count != 1 else "1 word")

    def show_counts(self, counts: Counts, target: int | None = None) -> CopyFit:
        """Words, characters and reading time; the copy-fit when the article has a target."""
        words = f"{counts.words:,} words" if counts.words != 1 else "1 word"
        minutes = counts.reading_minutes
        reading = f"{minutes} min read" if minutes else "no reading time"
        self.words.setText(f"{words} · {counts.characters:,} characters · {reading}")
        self.words.setToolTip(
            f"{counts.characters_no_spaces:,} characters without spaces; reading time at "
            "230 words a minute"
        )
        fit = copy_fit(counts.words, target)
        self.copy_fit.set_fit(fit)
        self.copy_fit.setVisible(fit.state is not Fit.NONE)
        self.fit_label.setVisible(fit.state is not Fit.NONE)
        self.fit_label.setText(fit.label)
        self.fit_label.setToolTip(f"Length target: {target:,} words" if target else "")
        colour = {Fit.SHORT: "#b45309", Fit.FITS: "#047857", Fit.OVER: "#b91c1c"}
        self.fit_label.setStyleSheet(f"color: {colour.get(fit.state, '#6b7280')};")
        return fit

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
        self.copy_fit.hide()
        self.fit_label.hide()

    def offer_undo_delete(self, headline: str) -> None:
        self.showMessage(f"Deleted “{headline or 'Untitled'}”.", 15000)
        self.undo_button.show()

    def withdraw_undo_delete(self) -> None:
        self.undo_button.hide()
