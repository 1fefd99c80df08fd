"""The audit log of one article in the inspector: every event, who, when, from → to, note.

`audit_entries` turns the store's `Event`s into plain display rows (tested without
widgets); `AuditLogSection` is a collapsible section listing them, newest first.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.model import Event, Status
from editor.ui import icons
from editor.ui.status_style import STATUS_COLOURS, action_icon, action_label


@dataclass(frozen=True)
class AuditEntry:
    """One line of the log as a person reads it."""

    action: str
    title: str  # "Returned by Eddie Editor"
    when: str  # "Tue 3 Mar 2026, 14:32" (local time)
    move: str  # "Submitted → Returned", or "" when the status stayed
    note: str


def _status_label(value: str | None) -> str:
    try:
        return Status(value).label
    except ValueError:
        return value or ""


def _when(moment: datetime) -> str:
    local = moment.astimezone() if moment.tzinfo else moment
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def audit_entries(events: list[Event]) -> list[AuditEntry]:
    """Display rows for `events`, newest first."""
    entries = []
    for event in reversed(events):
        verb = action_label(event.action)
        who = event.actor or "someone no longer in this store"
        move = ""
        if event.from_status and event.to_status and event.from_status != event.to_status:
            move = f"{_status_label(event.from_status)} → {_status_label(event.to_status)}"
        entries.append(
            AuditEntry(event.action, f"{verb} by {who}", _when(event.created_at), move, event.note)
        )
    return entries


class AuditEntryRow(QWidget):
    """An event: its icon, "Returned by X", the time, the move and the note."""

    def __init__(self, entry: AuditEntry, status_to: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.entry = entry
        self.setObjectName("auditEntry")
        icon = QLabel()
        icon.setPixmap(action_icon(entry.action).pixmap(QSize(14, 14)))
        icon.setFixedWidth(18)
        icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        icon.setContentsMargins(0, 2, 0, 0)

        self.title = QLabel(f"<b>{html.escape(entry.title)}</b>")
        self.title.setObjectName("auditTitle")
        self.title.setWordWrap(True)
        colour = STATUS_COLOURS.get(_as_status(status_to), "#6b7280")
        details = html.escape(entry.when)
        if entry.move:
            details += (
                f" &nbsp;·&nbsp; <span style='color:{colour}; font-weight:600'>"
                f"{html.escape(entry.move)}</span>"
            )
        self.details = QLabel(details)
        self.details.setObjectName("auditDetails")
        self.details.setStyleSheet("color: #6b7280;")
        self.details.setWordWrap(True)
        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.details)
        self.note = QLabel(entry.note)
        self.note.setObjectName("auditNote")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setStyleSheet(
            "color: #1f2937; background: #f8f9fb; border-left: 3px solid #d5d8dd;"
            " padding: 4px 8px; margin-top: 2px;"
        )
        self.note.setVisible(bool(entry.note))
        text.addWidget(self.note)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(8)
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text, 1)


def _as_status(value: str | None) -> Status | None:
    try:
        return Status(value)
    except ValueError:
        return None


class AuditLogSection(QWidget):
    """A collapsible "History" section: the article's audit log, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditLog")
        self.entries: list[AuditEntry] = []
        self.header = QToolButton()
        self.header.setObjectName("auditLogHeader")
        self.header.setCheckable(True)
        self.header.setChecked(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setAutoRaise(True)
        self.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.header.setStyleSheet(
            "QToolButton { font-weight: 600; color: #374151; padding: 4px 0; text-align: left;"
            " border: none; }"
        )
        self.header.toggled.connect(self._set_expanded)

        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet("color: #e3e5e8;")
        self.body = QWidget()
        self.rows = QVBoxLayout(self.body)
        self.rows.setContentsMargins(2, 0, 0, 0)
        self.rows.setSpacing(0)
        self.empty = QLabel("No events yet.")
        self.empty.setStyleSheet("color: #6b7280;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(rule)
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        self._set_expanded(True)
        self.show_events([])

    def _set_expanded(self, expanded: bool) -> None:
        self.body.setVisible(expanded)
        name = "fa6s.chevron-down" if expanded else "fa6s.chevron-right"
        self.header.setIcon(icons.icon(name, color="#6b7280"))

    def show_events(self, events: list[Event]) -> None:
        """Replace the rows with `events` (oldest first, as the store lists them)."""
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget()
            if widget is not None and widget is not self.empty:
                widget.setParent(None)  # off screen now, not at the next event loop turn
                widget.deleteLater()
        self.entries = audit_entries(events)
        by_entry = list(reversed(events))
        for entry, event in zip(self.entries, by_entry, strict=True):
            self.rows.addWidget(AuditEntryRow(entry, event.to_status))
        self.rows.addWidget(self.empty)
        self.empty.setVisible(not self.entries)
        count = len(self.entries)
        self.header.setText(f"History · {count} event{'s' * (count != 1)}")

    def row_texts(self) -> list[str]:
        """Each entry as one line of text (tests, accessibility)."""
        return [" | ".join(p for p in (e.title, e.move, e.note) if p) for e in self.entries]
