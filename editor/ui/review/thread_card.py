"""One comment thread as a card of the Review tab: who, when, the quoted passage, the
comment, its replies, Reply and Resolve; `take_draft` carries a reply being typed over to
the card that replaces it when the thread changed (a colleague replied or resolved).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from editor.services.review import Comment
from editor.ui import icons
from editor.ui.articles.model import full_time, short_time

_QUOTE_CHARS = 140
_AVATAR_COLOURS = ("#2563eb", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#4b5563")

PASSAGE_REMOVED = "Passage removed"
PASSAGE_EDITED = "Passage edited"
RESOLVED = "Resolved"


def escape(text: str) -> str:
    """Plain text for a rich-text label."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _initials(name: str) -> str:
    parts = [p for p in name.split() if p[:1].isalnum()]
    return ("".join(p[0] for p in parts[:2]) or "?").upper()


def _avatar(name: str) -> QLabel:
    colour = _AVATAR_COLOURS[sum(map(ord, name)) % len(_AVATAR_COLOURS)]
    label = QLabel(_initials(name))
    label.setFixedSize(26, 26)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet(
        f"background: {colour}; color: white; border-radius: 13px;"
        " font-weight: 600; font-size: 10px;"
    )
    return label


def _when(moment: datetime) -> str:
    return short_time(moment)


def elided_quote(quote: str) -> str:
    """A passage on one line, cut to a card's length."""
    flat = " ".join(quote.split())
    return flat if len(flat) <= _QUOTE_CHARS else flat[: _QUOTE_CHARS - 1].rstrip() + "…"


class ThreadCard(QFrame):
    """One thread: who, when, the quoted passage, the comment, replies, Reply and Resolve."""

    clicked = Signal(str)
    reply_posted = Signal(str, str)  # thread id, text
    resolve_toggled = Signal(str, bool)  # thread id, resolved

    def __init__(self, thread: Comment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thread = thread
        self.setObjectName("threadCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(6)

        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(_avatar(thread.author))
        who = QLabel(f"<b>{escape(thread.author or 'Someone')}</b>")
        when = QLabel(_when(thread.created_at))
        when.setObjectName("commentTime")
        when.setToolTip(full_time(thread.created_at))
        header.addWidget(who)
        header.addWidget(when)
        header.addStretch(1)
        self.state = QLabel()
        self.state.setObjectName("threadState")
        self.state.hide()
        header.addWidget(self.state)
        layout.addLayout(header)

        self.quote = QLabel(escape(elided_quote(thread.quote)))
        self.quote.setObjectName("commentQuote")
        self.quote.setWordWrap(True)
        self.quote.setToolTip(thread.quote)
        layout.addWidget(self.quote)

        self.body = QLabel(escape(thread.body).replace("\n", "<br>"))
        self.body.setObjectName("commentBody")
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.body)

        self.reply_labels: list[QLabel] = []
        for reply in thread.replies:
            label = QLabel(
                f"<b>{escape(reply.author or 'Someone')}</b>"
                f" <span style='color:#6b7280'>· {_when(reply.created_at)}</span><br>"
                + escape(reply.body).replace("\n", "<br>")
            )
            label.setObjectName("commentReply")
            label.setWordWrap(True)
            label.setToolTip(full_time(reply.created_at))
            layout.addWidget(label)
            self.reply_labels.append(label)

        self.reply_edit = QLineEdit()
        self.reply_edit.setObjectName("replyEdit")
        self.reply_edit.setPlaceholderText("Reply… (Enter to send)")
        self.reply_edit.returnPressed.connect(self._post_reply)
        self.reply_edit.hide()
        layout.addWidget(self.reply_edit)

        footer = QHBoxLayout()
        footer.setSpacing(4)
        footer.addStretch(1)
        self.reply_button = QPushButton(icons.icon("fa6s.reply", color="#4b5563"), "Reply")
        self.resolve_button = QPushButton()
        for button in (self.reply_button, self.resolve_button):
            button.setFlat(True)
            button.setObjectName("cardButton")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            footer.addWidget(button)
        if thread.resolved:
            self.resolve_button.setText("Reopen")
            self.resolve_button.setIcon(icons.icon("fa6s.rotate-left", color="#4b5563"))
            self.resolve_button.setToolTip(
                f"Resolved by {thread.resolved_by or 'someone'}, "
                f"{full_time(thread.resolved_at)}: open the thread again"
            )
        else:
            self.resolve_button.setText("Resolve")
            self.resolve_button.setIcon(icons.icon("fa6s.check", color="#059669"))
            self.resolve_button.setToolTip("Mark the thread done (it is hidden, not deleted)")
        self.reply_button.clicked.connect(self.open_reply)
        self.resolve_button.clicked.connect(
            lambda: self.resolve_toggled.emit(thread.id, not thread.resolved)
        )
        layout.addLayout(footer)
        self.set_active(False)

    def open_reply(self) -> None:
        self.reply_edit.show()
        self.reply_edit.setFocus()

    def take_draft(self, other: ThreadCard) -> None:
        """Carry over the reply typed in `other` (this thread's card before it changed):
        its text, whether it is open, its cursor and its focus."""
        edit = other.reply_edit
        if not edit.isVisibleTo(other) and not edit.text():
            return
        self.reply_edit.setText(edit.text())
        self.reply_edit.setCursorPosition(edit.cursorPosition())
        self.reply_edit.show()
        if edit.hasFocus():
            self.reply_edit.setFocus()

    def _post_reply(self) -> None:
        text = self.reply_edit.text().strip()
        if text:
            self.reply_posted.emit(self.thread.id, text)

    def set_state(self, state: str) -> None:
        """ "" (anchored), PASSAGE_EDITED, PASSAGE_REMOVED or RESOLVED: a chip in the header."""
        colours = {
            PASSAGE_REMOVED: ("#b91c1c", "#fef2f2"),
            PASSAGE_EDITED: ("#b45309", "#fffbeb"),
            RESOLVED: ("#047857", "#ecfdf5"),
        }
        self.state.setVisible(bool(state))
        self.state.setText(state)
        if state:
            fg, bg = colours[state]
            self.state.setStyleSheet(
                f"color: {fg}; background: {bg}; border: 1px solid {fg};"
                " border-radius: 8px; padding: 0px 7px; font-size: 11px; font-weight: 600;"
            )
        tips = {
            PASSAGE_REMOVED: "The words this comment was about are no longer in the story.",
            PASSAGE_EDITED: "The passage was changed since the comment; the closest match "
            "is highlighted.",
        }
        self.quote.setProperty("removed", state == PASSAGE_REMOVED)
        self.state.setToolTip(tips.get(state, ""))
        self.style().unpolish(self.quote)
        self.style().polish(self.quote)

    def set_active(self, active: bool) -> None:
        self.setProperty("active", active)
        self.style().unpolish(self)
        self.style().polish(self)

    def set_fresh(self, fresh: bool) -> None:
        """Tinted: a colleague just added or changed this thread."""
        if bool(self.property("fresh")) == fresh:
            return
        self.setProperty("fresh", fresh)
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.thread.id)
        super().mousePressEvent(event)
