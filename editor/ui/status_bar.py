"""The window's status bar: save state, counts with reading time, copy-fit and Undo delete.

The Undo Delete offer is a label and a button of its own, side by side, not a transient
message: `QStatusBar` paints a message from its left edge over the normal widgets, so the
button's icon landed on the message's first letters. A message shown meanwhile (Saved
preferences...) hides the offer until it times out, as `QStatusBar` does for its widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStatusBar, QToolButton, QWidget

from editor.core.text import counted
from editor.ui.body.copyfit import CopyFit, CopyFitBar, Counts, Fit, copy_fit

#: Headlines longer than this are shortened in the Undo Delete offer (whole in its tooltip).
_OFFER_HEADLINE = 60


class EditorStatusBar(QStatusBar):
    """Permanent fields on the right; transient messages on the left."""

    def __init__(self, undo_delete: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.undo_offer = QWidget(self)
        self.undo_offer.setObjectName("undoDeleteOffer")
        self.undo_label = QLabel(self.undo_offer)
        self.undo_label.setObjectName("undoDeleteLabel")
        self.undo_button = QToolButton(self.undo_offer)
        self.undo_button.setDefaultAction(undo_delete)
        self.undo_button.setAutoRaise(True)
        # The icon beside its words ("Undo Delete"), never drawn alone over other text.
        self.undo_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        row = QHBoxLayout(self.undo_offer)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.undo_label)
        row.addWidget(self.undo_button)
        self.undo_offer.hide()
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
        self.addWidget(self.undo_offer)
        self.addPermanentWidget(self.save_state)
        self.addPermanentWidget(self.words)
        self.addPermanentWidget(self.copy_fit)
        self.addPermanentWidget(self.fit_label)

    def show_identity(self, user_name: str, store_name: str) -> None:
        self.identity.setText(f"{user_name} · {store_name}")

    def show_word_count(self, count: int) -> None:
        self.words.setText(counted(count, "word"))

    def show_counts(self, counts: Counts, target: int | None = None) -> CopyFit:
        """Words, characters and reading time; the copy-fit when the article has a target."""
        words = counted(counts.words, "word")
        minutes = counts.reading_minutes
        reading = f"{minutes} min read" if minutes else "no reading time"
        characters = counted(counts.characters, "character")
        self.words.setText(f"{words} · {characters} · {reading}")
        self.words.setToolTip(
            f"{counted(counts.characters_no_spaces, 'character')} without spaces; reading "
            "time at 230 words a minute"
        )
        fit = copy_fit(counts.words, target)
        self.copy_fit.set_fit(fit)
        self.copy_fit.setVisible(fit.state is not Fit.NONE)
        self.fit_label.setVisible(fit.state is not Fit.NONE)
        self.fit_label.setText(fit.label)
        self.fit_label.setToolTip(f"Length target: {counted(target, 'word')}" if target else "")
        colour = {Fit.SHORT: "#b45309", Fit.FITS: "#047857", Fit.OVER: "#b91c1c"}
        self.fit_label.setStyleSheet(f"color: {colour.get(fit.state, '#6b7280')};")
        return fit

    def show_saved(self, when: datetime | None = None) -> None:
        moment = (when.astimezone() if when and when.tzinfo else when) or datetime.now()
        self.save_state.setText(f"Saved {moment:%H:%M}")
        self.save_state.setToolTip("")
        self.save_state.setStyleSheet("color: #047857;")

    def show_saving_before_closing(self) -> Callable[[], None]:
        """ "Saving…" painted at once (a long story's last save can take seconds); the
        returned function puts back what was shown, unless something else was since."""
        was = (self.save_state.text(), self.save_state.styleSheet())
        self.save_state.setText("Saving…")
        self.save_state.setStyleSheet("color: #6b7280;")
        self.save_state.repaint()

        def put_back() -> None:
            if self.save_state.text() == "Saving…":
                self.save_state.setText(was[0])
                self.save_state.setStyleSheet(was[1])

        return put_back

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
        """ "Deleted “…”." and the Undo Delete button beside it, until withdrawn."""
        headline = headline or "Untitled"
        short = headline
        if len(short) > _OFFER_HEADLINE:
            short = short[: _OFFER_HEADLINE - 1].rstrip() + "…"
        self.clearMessage()  # a message would be painted over the offer
        self.undo_label.setText(f"Deleted “{short}”.")
        self.undo_label.setToolTip(f"Deleted “{headline}”." if short != headline else "")
        self.undo_offer.show()

    def withdraw_undo_delete(self) -> None:
        self.undo_offer.hide()
