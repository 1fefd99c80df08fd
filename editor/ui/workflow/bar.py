"""The workflow strip at the top of the inspector: where the article stands and what next.

It shows the status (colour and icon), who moved it there and when, who else is editing
it (`show_presence`, from the desk watch), the editors' flags, one button per workflow
action that can start from this status (greyed, with the reason as tooltip and under the
buttons, when this person may not do it), the reporter's return note and the read-only
notice. It only shows; `action_requested` asks the controller.
`ReadOnlyBanner` is the bar above the body that says why the text cannot be changed.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from editor.core.model import Article, Event, Status
from editor.services.workflow import TRANSITIONS, Action, Decision, target_status
from editor.ui import icons
from editor.ui.status_style import (
    STATUS_COLOURS,
    STATUS_TINTS,
    action_icon,
    status_chip_css,
    status_icon,
)

#: Buttons that move the article forward get the filled look; Spike looks dangerous.
_PRIMARY = frozenset({Action.SUBMIT, Action.APPROVE, Action.PUBLISH})
_DANGER = frozenset({Action.SPIKE})

_BUTTON_CSS = """
QPushButton#workflowButton {
    padding: 5px 12px; border: 1px solid #d5d8dd; border-radius: 5px; background: #ffffff;
    color: #1f2937; font-weight: 600;
}
QPushButton#workflowButton:hover { background: #f3f5f8; }
QPushButton#workflowButton:disabled { color: #a3a8b0; background: #f8f9fa; border-color: #e5e7eb; }
QPushButton#workflowButton[kind="primary"] {
    background: #1d5fa8; border-color: #1d5fa8; color: #ffffff;
}
QPushButton#workflowButton[kind="primary"]:hover { background: #174f8c; }
QPushButton#workflowButton[kind="primary"]:disabled {
    background: #e8edf3; border-color: #dde3ea; color: #9aa5b1;
}
QPushButton#workflowButton[kind="danger"] { color: #b91c1c; }
QPushButton#workflowButton[kind="danger"]:disabled { color: #d8a8a8; }
"""


def read_only_notice(article: Article, edit: Decision | None) -> str:
    """Why the text cannot be changed now ("" when it can), in the words of the desk."""
    if edit is None or edit.allowed:
        return ""
    status = article.status
    if status is Status.APPROVED:
        return "Approved: read-only until an editor reopens it."
    if status is Status.SPIKED:
        return "Spiked: read-only until an editor reopens it."
    if status in (Status.PUBLISHED, Status.CORRECTED):
        return f"{status.label}: read-only. An editor changes it with a correction."
    if status is Status.SUBMITTED:
        return "Submitted: the desk is editing it. Ask an editor to return it to you."
    return edit.reason.rstrip(".") + "."


def banner_text(article: Article, edit: Decision | None) -> str:
    """The read-only bar's words ("" when the text can be changed): the status, whether
    it is read-only for everyone or for this person, then the workflow's own reason."""
    if edit is None or edit.allowed:
        return ""
    # "role" and "owner" refusals: someone else may edit it (the desk, the author).
    for_you = " for you" if edit.kind in ("role", "owner") else ""
    reason = edit.reason.strip().rstrip(".")
    return f"{article.status.label}: read-only{for_you}. {reason[:1].upper()}{reason[1:]}."


#: The step that makes a read-only article editable again, offered on the bar when allowed.
_UNLOCKS = {
    Status.APPROVED: Action.REOPEN,
    Status.SPIKED: Action.REOPEN,
    Status.PUBLISHED: Action.CORRECT,
    Status.CORRECTED: Action.CORRECT,
}


class ReadOnlyBanner(QFrame):
    """A bar above the headline and body saying why typing does nothing; hidden otherwise.

    Typing into a locked editor changes nothing and says nothing, so the reason is put
    where the person is looking, with the step that unlocks it when they may take it.
    `action_requested(action)` reports that button.
    """

    action_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readOnlyBanner")
        self.setStyleSheet(
            "QFrame#readOnlyBanner { background: #fef3c7; border: none;"
            " border-bottom: 1px solid #f3d98b; }"
            ' QFrame#readOnlyBanner[flash="true"] { background: #fde68a; }'
            " QLabel#readOnlyBannerText { color: #78350f; }"
            " QPushButton#readOnlyBannerButton { padding: 3px 10px; border: 1px solid #d6a73c;"
            " border-radius: 4px; background: #fffbeb; color: #78350f; font-weight: 600; }"
            " QPushButton#readOnlyBannerButton:hover { background: #fef9e7; }"
        )
        self.icon = QLabel()
        self.icon.setPixmap(icons.icon("fa6s.lock", color="#92400e").pixmap(QSize(14, 14)))
        self.text = QLabel()
        self.text.setObjectName("readOnlyBannerText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.button = QPushButton()
        self.button.setObjectName("readOnlyBannerButton")
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.hide()
        self._action: Action | None = None
        self.button.clicked.connect(self._clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 7, 12, 7)
        layout.setSpacing(8)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_state(self, article: Article | None, decisions: dict[Action, Decision]) -> None:
        """Shown with the reason while `article` is read-only for this person."""
        text = "" if article is None else banner_text(article, decisions.get(Action.EDIT))
        if not text:
            self.hide()
            return
        assert article is not None
        lead, _, rest = text.partition(". ")
        self.text.setText(f"<b>{html.escape(lead)}.</b> {html.escape(rest)}")
        self.setToolTip(text)
        unlock = _UNLOCKS.get(article.status)
        decision = decisions.get(unlock) if unlock is not None else None
        self._action = unlock if decision is not None and decision.allowed else None
        if self._action is not None:
            self.button.setText(self._action.label + "…" * _asks(self._action))
            self.button.setToolTip(decision.reason.rstrip(".") + ".")
        self.button.setVisible(self._action is not None)
        self.show()

    def flash(self) -> None:
        """A brief stronger tint: a key was typed into the locked text."""
        self.setProperty("flash", True)
        self.style().unpolish(self)
        self.style().polish(self)
        QTimer.singleShot(450, self._unflash)

    def _unflash(self) -> None:
        self.setProperty("flash", False)
        self.style().unpolish(self)
        self.style().polish(self)

    def plain_text(self) -> str:
        """What the bar says ("" when hidden), for tests and accessibility."""
        return "" if self.isHidden() else _plain(self.text.text())

    def _clicked(self) -> None:
        if self._action is not None:
            self.action_requested.emit(self._action.value)


def _short_time(moment: datetime) -> str:
    local = moment.astimezone() if moment.tzinfo else moment
    today = datetime.now(local.tzinfo).date()
    if local.date() == today:
        return f"today {local:%H:%M}"
    return f"{local.day} {local:%b %Y, %H:%M}"


class WorkflowBar(QFrame):
    """The strip; `show_state` fills it, `action_requested(action)` reports a button press."""

    action_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workflowBar")
        self.setStyleSheet(
            "QFrame#workflowBar { background: #f8f9fb; border: 1px solid #e3e5e8;"
            " border-radius: 8px; }" + _BUTTON_CSS
        )
        self.decisions: dict[Action, Decision] = {}

        self.badge = QLabel()
        self.badge.setObjectName("workflowStatus")
        self.badge_icon = QLabel()
        self.badge_icon.setObjectName("workflowStatusIcon")
        self.meta = QLabel()
        self.meta.setObjectName("workflowMeta")
        self.meta.setStyleSheet("color: #6b7280;")
        self.meta.setWordWrap(True)
        # Who else has the article open for editing (the desk watch fills it in).
        # "Dave is editing since 10:42" beside the pen the banner and the list draw.
        self.presence = QWidget()
        self.presence.setObjectName("workflowPresence")
        self.presence_icon = QLabel()  # its pixmap made when first shown
        self.presence_label = QLabel()
        self.presence_label.setStyleSheet("color: #1e3a8a;")
        self.presence_label.setWordWrap(True)
        presence_row = QHBoxLayout(self.presence)
        presence_row.setContentsMargins(0, 0, 0, 0)
        presence_row.setSpacing(6)
        presence_row.addWidget(self.presence_icon, 0, Qt.AlignmentFlag.AlignTop)
        presence_row.addWidget(self.presence_label, 1)
        self.presence.hide()
        self.flags = QLabel()
        self.flags.setObjectName("workflowFlags")
        self.flags.setTextFormat(Qt.TextFormat.RichText)
        self.flags.setWordWrap(True)

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.badge_icon)
        top.addWidget(self.badge)
        top.addWidget(self.meta, 1)

        self.buttons: dict[Action, QPushButton] = {}
        row = QHBoxLayout()
        row.setSpacing(6)
        for action in TRANSITIONS:
            button = QPushButton(action_icon(action.value), action.label + "…" * _asks(action))
            button.setObjectName("workflowButton")
            button.setIconSize(QSize(14, 14))
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            kind = "primary" if action in _PRIMARY else "danger" if action in _DANGER else ""
            button.setProperty("kind", kind)
            if kind == "primary":
                button.setIcon(action_icon(action.value, "#ffffff"))
            button.clicked.connect(lambda _=False, a=action: self.action_requested.emit(a.value))
            button.hide()
            self.buttons[action] = button
            row.addWidget(button)
        row.addStretch(1)

        self.reasons = QLabel()
        self.reasons.setObjectName("workflowReasons")
        self.reasons.setWordWrap(True)
        self.reasons.setStyleSheet("color: #6b7280;")
        self.notice = QLabel()
        self.notice.setObjectName("readOnlyNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        self.notice.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.presence)
        layout.addWidget(self.flags)
        layout.addLayout(row)
        layout.addWidget(self.reasons)
        layout.addWidget(self.notice)
        self.show_state(None, [], [])

    # -- showing ---------------------------------------------------------

    def show_state(
        self, article: Article | None, decisions: list[Decision], events: list[Event]
    ) -> None:
        """Show `article` as the acting user sees it; `decisions` from `allowed_actions`."""
        self.decisions = {d.action: d for d in decisions}
        if article is None:
            self.hide()
            return
        self.show()
        status = article.status
        self.badge_icon.setPixmap(status_icon(status).pixmap(QSize(16, 16)))
        self.badge.setText(status.label)
        self.badge.setStyleSheet(status_chip_css(status))
        self.meta.setText(self._meta_text(article, events))
        self._show_flags(article)

        refusals = []
        for action, button in self.buttons.items():
            decision = self.decisions.get(action)
            # What this person could do here: allowed, or refused for a reason of the
            # moment (another editor must approve, a flag). Never-in-this-role stays hidden.
            applicable = decision is not None and (
                decision.allowed
                or (target_status(action, status) is not None and decision.kind != "role")
            )
            button.setVisible(applicable)
            if decision is None:
                continue
            button.setEnabled(decision.allowed)
            tip = decision.reason.rstrip(".") + "."
            button.setToolTip(tip if decision.allowed else f"Not available: {tip}")
            if applicable and not decision.allowed:
                refusals.append(f"<b>{action.label}</b>: {html.escape(tip)}")
        self.reasons.setText("<br>".join(refusals))
        self.reasons.setVisible(bool(refusals))
        self._show_notice(article, self.decisions.get(Action.EDIT), events)

    def show_presence(self, line: str) -> None:
        """ "Dave is editing since 10:42" under the status ("" hides it)."""
        if line and self.presence_icon.pixmap().isNull():
            pen = icons.icon("fa6s.user-pen", color="#1d5fa8")
            self.presence_icon.setPixmap(pen.pixmap(QSize(14, 14)))
        self.presence_label.setText(line)
        self.presence.setVisible(bool(line))

    def presence_text(self) -> str:
        """The presence line as shown ("" when hidden), for tests and accessibility."""
        return "" if self.presence.isHidden() else self.presence_label.text()

    def _meta_text(self, article: Article, events: list[Event]) -> str:
        moves = [e for e in events if e.to_status == article.status.value and e.action != "flags"]
        if not moves:
            return ""
        last = moves[-1]
        who = last.actor or "someone"
        return f"by {who} · {_short_time(last.created_at)}"

    def _show_flags(self, article: Article) -> None:
        chips = []
        if article.legal_hold:
            chips.append(_chip("Legal hold", "#b91c1c", "#fef2f2"))
        if article.not_for_publication:
            chips.append(_chip("Not for publication", "#b45309", "#fffbeb"))
        if article.embargo_until is not None:
            embargo = article.embargo_until
            embargo = embargo if embargo.tzinfo else embargo.replace(tzinfo=UTC)
            if embargo > datetime.now(UTC):
                local = embargo.astimezone()
                chips.append(
                    _chip(f"Embargoed until {local.day} {local:%b, %H:%M}", "#1d5fa8", "#eff6ff")
                )
        self.flags.setText("&nbsp;&nbsp;".join(chips))
        self.flags.setVisible(bool(chips))

    def _show_notice(self, article: Article, edit: Decision | None, events: list[Event]) -> None:
        parts = []
        colour, tint = "#374151", "#f3f4f6"
        if article.status is Status.CHANGES_REQUESTED:
            returns = [e for e in events if e.action == "return"]
            if returns:
                last = returns[-1]
                colour = STATUS_COLOURS[Status.CHANGES_REQUESTED]
                tint = STATUS_TINTS[Status.CHANGES_REQUESTED]
                parts.append(
                    f"<b>Returned by {html.escape(last.actor or 'the desk')}:</b> "
                    f"{html.escape(last.note)}"
                )
        notice = read_only_notice(article, edit)
        if notice:
            lock = "🔒 " if article.status is not Status.SUBMITTED else ""
            parts.append(f"{lock}{html.escape(notice)}")
            if not returns_shown(parts):
                colour, tint = "#92400e", "#fef3c7"
        self.notice.setText("<br>".join(parts))
        self.notice.setStyleSheet(
            f"color: {colour}; background: {tint}; border-radius: 5px; padding: 6px 9px;"
        )
        self.notice.setVisible(bool(parts))

    def notice_text(self) -> str:
        """The notice as plain text (tests, accessibility)."""
        if self.notice.isHidden():
            return ""
        return _plain(self.notice.text())


def returns_shown(parts: list[str]) -> bool:
    return any(p.startswith("<b>Returned by") for p in parts)


def _asks(action: Action) -> bool:
    """Whether the button opens a dialog (an ellipsis on its label, as platforms do)."""
    return action in (Action.SUBMIT, Action.RETURN, Action.APPROVE, Action.CORRECT)


def _chip(text: str, colour: str, tint: str) -> str:
    return (
        f"<span style='color:{colour}; background:{tint}; font-weight:600;'>"
        f"&nbsp;⚑ {html.escape(text)}&nbsp;</span>"
    )


def _plain(rich: str) -> str:
    import re

    text = re.sub(r"<br\s*/?>", "\n", rich)
    return html.unescape(re.sub(r"<[^>]+>", "", text))
