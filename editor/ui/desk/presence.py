"""Presence in the window: this window's claim on the article it edits, and who else has
the open article (or a listed one) open for editing.

`PresenceClaim` claims the open article when the person may edit it (the workflow's
rights, asked after every opening and save), renews the claim every `HEARTBEAT_SECONDS`
and gives it up on switching article, on a read-only one and at close; every write runs
off the GUI thread, in order, on one worker. A failed write is retried at the next
heartbeat, quietly: presence is a courtesy to colleagues, never in the person's way.

What others have open comes with the desk watch's looks (`show`): the line "Dave is
editing since 10:42" above the headline (`PresenceBar`, under the read-only bar) and on
the workflow strip, and a small pen on the article's row in the list
(`PresenceHeadlineDelegate`, with the same line as its tooltip).
"""

from __future__ import annotations

import html
import time
import uuid

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QIcon, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QStyleOptionViewItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from editor.core.errors import NewsroomError
from editor.core.model import Article
from editor.core.presence import (
    HEARTBEAT_SECONDS,
    Presence,
    by_article,
    editing_elsewhere,
    editing_line,
)
from editor.ui import icons
from editor.ui.articles.model import ArticleRole, Column
from editor.ui.articles.panel import HeadlineDelegate
from editor.ui.background import Background

#: After a failed claim, how long before the next try.
_RETRY_SECONDS = 5.0
_PEN = "fa6s.user-pen"
_COLOUR = "#1d5fa8"


class PresenceClaim(QObject):
    """This window's claim on the article it has open for editing (see the module)."""

    def __init__(self, window, heartbeat_ms: int = HEARTBEAT_SECONDS * 1000) -> None:
        super().__init__(window)
        self._window = window
        #: This window's own id in `presence` (one row per window, whoever acts).
        self.session_id = str(uuid.uuid4())
        #: (article id, user id) this window claims, as last asked of the store.
        self.claimed: tuple[str, str] | None = None
        self._retry_at = 0.0  # after a failed write, not before (monotonic seconds)
        self._ever_claimed = False  # a row of ours may be in the store: release at close
        self._tasks = Background(self)
        self._timer = QTimer(self)
        self._timer.setInterval(heartbeat_ms)
        self._timer.timeout.connect(self.heartbeat)
        # Connected after the workflow controller's own slots: its rights are in by then.
        window.session.opened.connect(lambda _article: self.update())
        window.session.saved.connect(lambda _article: self.update())

    def start(self) -> None:
        self._timer.start()
        self.update()

    def wanted(self) -> tuple[str, str] | None:
        """What this window should claim now: the open article, if this person may edit it."""
        window = self._window
        article: Article | None = window.session.article
        if article is None or not window.newsroom.has_user:
            return None
        workflow = getattr(window, "workflow", None)
        if workflow is not None and not workflow.can_edit():
            return None  # reading a published story is not editing it
        return article.id, window.newsroom.user.id

    def update(self) -> None:
        """Claim, move or give up the claim to match `wanted()` (off the GUI thread)."""
        wanted = self.wanted()
        if wanted == self.claimed or time.monotonic() < self._retry_at:
            return
        self.claimed = wanted
        presence = self._window.newsroom.presence
        session_id = self.session_id
        if wanted is None:
            work = lambda _job: presence.release(session_id)  # noqa: E731
        else:
            article_id = wanted[0]
            work = lambda _job: presence.claim(article_id, session_id)  # noqa: E731
            self._ever_claimed = True
        # No lane: one worker runs the writes in the order asked (claim, then release).
        self._tasks.run(work, failure=self._failed)

    def heartbeat(self) -> None:
        """Renew the claim (or claim again: a failed write, a sweep after a long sleep,
        a switched user)."""
        if self.claimed != self.wanted():
            self.update()
            return
        if self.claimed is None or self._tasks.busy():
            return
        presence, session_id = self._window.newsroom.presence, self.session_id
        article_id = self.claimed[0]

        def work(_job) -> None:
            if not presence.heartbeat(session_id):
                presence.claim(article_id, session_id)

        self._tasks.run(work, failure=self._failed)

    def _failed(self, _error: BaseException) -> None:
        # The store away for a moment, the article deleted: the next heartbeat tries
        # again (not at every tick of the watch). Nothing to tell the person; their
        # colleagues see no line meanwhile.
        self.claimed = None
        self._retry_at = time.monotonic() + _RETRY_SECONDS

    def shutdown(self) -> None:
        """Give up the claim and wait for the writes (before the store closes)."""
        self._timer.stop()
        if self._ever_claimed:  # even after a failed write: the row may be there
            presence, session_id = self._window.newsroom.presence, self.session_id
            self.claimed = None
            self._tasks.run(lambda _job: presence.release(session_id), failure=self._failed)
        self._tasks.shutdown(5_000)


class PresenceBar(QFrame):
    """The line above the headline saying who else has this article open for editing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presenceBar")
        self.setStyleSheet(
            "QFrame#presenceBar { background: #eff6ff; border: none;"
            " border-bottom: 1px solid #dbeafe; }"
            " QLabel#presenceBarText { color: #1e3a8a; }"
        )
        self.icon = QLabel()  # its pixmap made when first shown: nothing at start-up
        self.text = QLabel()
        self.text.setObjectName("presenceBarText")
        self.text.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 5, 12, 5)
        layout.setSpacing(8)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.text, 1)
        self.hide()

    def show_line(self, line: str) -> None:
        if line and self.icon.pixmap().isNull():
            self.icon.setPixmap(icons.icon(_PEN, color=_COLOUR).pixmap(QSize(14, 14)))
        self.text.setText(line)
        self.setToolTip(
            f"{line}. Saving asks which version to keep if you both change it." if line else ""
        )
        self.setVisible(bool(line))

    def plain_text(self) -> str:
        """What the bar says ("" when hidden), for tests and accessibility."""
        return "" if self.isHidden() else self.text.text()


class PresenceHeadlineDelegate(HeadlineDelegate):
    """The list's headline cell with a small pen when someone else has the article open;
    hovering it says who and since when."""

    _ICON = 14

    def __init__(self, parent: QAbstractItemView) -> None:
        super().__init__(parent)
        #: Article id -> the line shown for it ("Dave is editing since 10:42").
        self.lines: dict[str, str] = {}
        #: The pen, blue and (on a selected row) dark blue; made when first needed.
        self._icons: dict[bool, QIcon] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        line = self.lines.get(index.data(ArticleRole.ArticleIdRole) or "")
        if not line:
            super().paint(painter, option, index)
            return
        # The row's background across the whole cell, then the text beside the pen.
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        style = item.widget.style() if item.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        narrower = QStyleOptionViewItem(option)
        narrower.rect = option.rect.adjusted(0, 0, -(self._ICON + 8), 0)
        super().paint(painter, narrower, index)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        icon = self._icons.get(selected)
        if icon is None:
            # The selected row is light (dark text): a darker blue, not white, shows there.
            icon = icons.icon(_PEN, color="#1e3a8a" if selected else _COLOUR)
            self._icons[selected] = icon
        icon.paint(painter, self._icon_rect(option.rect))

    def _icon_rect(self, cell: QRect) -> QRect:
        return QRect(cell.right() - self._ICON - 6, cell.top() + 7, self._ICON, self._ICON)

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView,
                  option: QStyleOptionViewItem, index: QModelIndex) -> bool:  # fmt: skip
        line = self.lines.get(index.data(ArticleRole.ArticleIdRole) or "")
        if line and event.type() == QEvent.Type.ToolTip:
            QToolTip.showText(event.globalPos(), html.escape(line), view)
            return True
        return super().helpEvent(event, view, option, index)


class PresenceView(QObject):
    """What the window shows of others' presence, refreshed by the desk watch (`show`)."""

    def __init__(self, window, claim: PresenceClaim) -> None:
        super().__init__(window)
        self._window = window
        self._claim = claim
        #: Other windows' live claims by article id (this window's own left out).
        self.others: dict[str, list[Presence]] = {}
        self.bar = PresenceBar()
        column = window.editor_column.layout()
        assert isinstance(column, QVBoxLayout)
        # Just above the headline (under the read-only bar, when that shows).
        column.insertWidget(column.indexOf(window.headline_field), self.bar)
        self.delegate = PresenceHeadlineDelegate(window.article_list.view)
        window.article_list.view.setItemDelegateForColumn(Column.HEADLINE, self.delegate)
        window.session.opened.connect(lambda _article: self._show_open())

    def show(self, presences: list[Presence]) -> bool:
        """Show the live claims (all of the store's); True when what is shown changed."""
        mine = self._claim.session_id
        others = by_article(editing_elsewhere(presences, mine))
        mine_id = self._user_id()
        lines = {article_id: editing_line(claims, mine_id) for article_id, claims in others.items()}
        self.others = others  # renewed heartbeats, which change no line, are kept too
        if lines == self.delegate.lines:
            return False
        self.delegate.lines = lines
        self._window.article_list.view.viewport().update()
        self._show_open()
        return True

    def line_for(self, article_id: str | None) -> str:
        if article_id is None:
            return ""
        return editing_line(self.others.get(article_id, []), self._user_id())

    def _user_id(self) -> str:
        newsroom = self._window.newsroom
        try:
            return newsroom.user.id if newsroom.has_user else ""
        except NewsroomError:
            return ""

    def _show_open(self) -> None:
        article = self._window.session.article
        line = self.line_for(article.id if article is not None else None)
        self.bar.show_line(line)
        workflow = getattr(self._window, "workflow", None)
        if workflow is not None and hasattr(workflow.bar, "show_presence"):
            workflow.bar.show_presence(line)
