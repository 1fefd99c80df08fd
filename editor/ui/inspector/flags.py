"""The editors' flags in the inspector: legal hold, not for publication, embargo until.

It shows an article's flags and reports a person's change as `flags_edited({name: value})`
(the embargo as an aware datetime, or None for "no embargo"); the controller applies it
through `Newsroom.set_flags`. Reporters see the flags but cannot change them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from editor.core.model import Article
from editor.ui import icons


class FlagsPanel(QWidget):
    """Three flags over one article; programmatic updates never echo back as edits."""

    flags_edited = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flagsPanel")
        self._loading = False
        self._embargo: datetime | None = None

        title = QLabel("Flags")
        title.setStyleSheet("font-weight: 600; color: #374151;")
        self.hint = QLabel()
        self.hint.setObjectName("flagsHint")
        self.hint.setStyleSheet("color: #6b7280;")
        self.hint.setWordWrap(True)

        self.legal_hold = QCheckBox("Legal hold")
        self.legal_hold.setObjectName("legalHoldFlag")
        self.legal_hold.setToolTip("Must not be published until the lawyers clear it")
        self.not_for_publication = QCheckBox("Not for publication")
        self.not_for_publication.setObjectName("notForPublicationFlag")
        self.not_for_publication.setToolTip("Kept for reference; never published")
        self.embargo = QCheckBox("Embargo until")
        self.embargo.setObjectName("embargoFlag")
        self.embargo.setToolTip("Must not be published before this time")
        self.embargo_time = QDateTimeEdit()
        self.embargo_time.setObjectName("embargoTime")
        self.embargo_time.setCalendarPopup(True)
        self.embargo_time.setDisplayFormat("d MMM yyyy, HH:mm")
        # The minimum stands for "no embargo", shown in words rather than as a date.
        self.embargo_time.setMinimumDateTime(QDateTime(2000, 1, 1, 0, 0, 0))
        self.embargo_time.setSpecialValueText("No embargo")
        self.embargo_time.setMinimumWidth(170)

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        for row, (name, box) in enumerate(
            (("legal_hold", self.legal_hold), ("not_for_publication", self.not_for_publication),
             ("embargo_until", self.embargo))
        ):  # fmt: skip
            icon = QLabel()
            icon.setPixmap(flag_icon(name).pixmap(QSize(14, 14)))
            icon.setFixedWidth(18)
            grid.addWidget(icon, row, 0)
            grid.addWidget(box, row, 1)
        grid.addWidget(self.embargo_time, 2, 2)
        grid.setColumnStretch(3, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addWidget(self.hint)

        self.legal_hold.toggled.connect(lambda on: self._emit("legal_hold", on))
        self.not_for_publication.toggled.connect(lambda on: self._emit("not_for_publication", on))
        self.embargo.toggled.connect(self._embargo_toggled)
        self.embargo_time.editingFinished.connect(self._embargo_time_edited)
        self.show_article(None, editable=False)

    def show_article(self, article: Article | None, *, editable: bool, reason: str = "") -> None:
        """Show `article`'s flags; only `editable` lets the person change them."""
        self._loading = True
        try:
            current = article or Article(id="")
            self.legal_hold.setChecked(current.legal_hold)
            self.not_for_publication.setChecked(current.not_for_publication)
            self._embargo = current.embargo_until
            self.embargo.setChecked(self._embargo is not None)
            self._show_embargo_time()
            for box in (self.legal_hold, self.not_for_publication, self.embargo):
                box.setEnabled(editable)
            self.embargo_time.setEnabled(editable and self._embargo is not None)
            self.hint.setText("" if editable else reason)
            self.hint.setVisible(bool(reason) and not editable)
        finally:
            self._loading = False

    def embargo_value(self) -> datetime | None:
        """The embargo shown, as an aware UTC datetime (None: no embargo)."""
        if not self.embargo.isChecked():
            return None
        shown = self.embargo_time.dateTime()
        if shown == self.embargo_time.minimumDateTime():
            return None
        return shown.toPython().astimezone(UTC).replace(second=0, microsecond=0)

    def _show_embargo_time(self) -> None:
        if self._embargo is None:
            self.embargo_time.setDateTime(self.embargo_time.minimumDateTime())
            return
        moment = self._embargo if self._embargo.tzinfo else self._embargo.replace(tzinfo=UTC)
        local = moment.astimezone().replace(tzinfo=None)
        self.embargo_time.setDateTime(QDateTime(local))

    def _embargo_toggled(self, on: bool) -> None:
        if self._loading:
            return
        self.embargo_time.setEnabled(on)
        if on:
            # A sensible start: the next full hour tomorrow morning is the usual embargo.
            start = (datetime.now() + timedelta(days=1)).replace(
                hour=6, minute=0, second=0, microsecond=0
            )
            self._loading = True
            try:
                self.embargo_time.setDateTime(QDateTime(start))
            finally:
                self._loading = False
            self.embargo_time.setFocus(Qt.FocusReason.OtherFocusReason)
        self._emit("embargo_until", self.embargo_value())

    def _embargo_time_edited(self) -> None:
        if self.embargo.isChecked():
            self._emit("embargo_until", self.embargo_value())

    def _emit(self, name: str, value: object) -> None:
        if self._loading:
            return
        if name == "embargo_until" and value == self._embargo:
            return
        if name == "embargo_until":
            self._embargo = value  # type: ignore[assignment]
        self.flags_edited.emit({name: value})


def flag_icon(name: str):
    """Icons for the flag rows in the inspector."""
    names = {
        "legal_hold": "fa6s.scale-balanced",
        "not_for_publication": "fa6s.eye-slash",
        "embargo_until": "fa6s.hourglass-half",
    }
    return icons.icon(names[name], color="#4b5563")
