"""Desk views above the article list: My drafts, Waiting for review, Returned to me,
Approved, Published, Spiked, All, each with the number of articles in it.

Choosing a view sets `ArticleQuery.desk` on the list model (filtered in SQL; `Newsroom`
fills in the acting user). The counts are seven cheap COUNT queries, run on a worker
thread after a debounce and coalesced ("in progress / count again"), never on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from editor.core.model import ArticleQuery, Desk
from editor.ui.background import Background
from editor.ui.status_style import desk_icon
from editor.ui.timers import debounce_timer

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom

#: The views in menu order; None is "All articles".
DESK_ORDER: tuple[str | None, ...] = (
    Desk.MY_DRAFTS.value,
    Desk.WAITING.value,
    Desk.RETURNED_TO_ME.value,
    Desk.APPROVED.value,
    Desk.PUBLISHED.value,
    Desk.SPIKED.value,
    None,
)
CountRole = Qt.ItemDataRole.UserRole + 1


def desk_label(desk: str | None) -> str:
    return Desk(desk).label if desk else "All articles"


def _count_desks(newsroom: Newsroom) -> dict[str | None, int]:
    """The seven counts (on the worker thread)."""
    return {desk: newsroom.count_articles(ArticleQuery(desk=desk)) for desk in DESK_ORDER}


class DeskCountDelegate(QStyledItemDelegate):
    """Popup rows: icon and label as usual, the count in a small pill on the right."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        count = index.data(CountRole)
        if count is None:
            return
        text = f"{count:,}"
        font = QFont(option.font)
        font.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.9))
        font.setWeight(QFont.Weight.DemiBold)
        metrics = QFontMetrics(font)
        width = max(22, metrics.horizontalAdvance(text) + 12)
        height = metrics.height() + 2
        rect = QRect(
            option.rect.right() - width - 8,
            option.rect.center().y() - height // 2,
            width,
            height,
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#eef1f5") if count else QColor("#f6f7f9"))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setFont(font)
        painter.setPen(QColor("#374151") if count else QColor("#9ca3af"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex):
        size = super().sizeHint(option, index)
        size.setHeight(max(size.height(), 28))
        size.setWidth(size.width() + 56)
        return size


class DeskViewBar(QWidget):
    """ "View: [Waiting for review ▾]" with counts; `desk_changed(desk or None)`."""

    desk_changed = Signal(object)

    def __init__(self, newsroom: Newsroom, parent: QWidget | None = None,
                 count_delay_ms: int = 300) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("deskViewBar")
        self._newsroom = newsroom
        self.counts: dict[str | None, int] = {}
        self.combo = QComboBox()
        self.combo.setObjectName("deskViewCombo")
        self.combo.setItemDelegate(DeskCountDelegate(self.combo))
        self.combo.setIconSize(QSize(15, 15))
        self.combo.view().setIconSize(QSize(15, 15))
        self.combo.setMinimumContentsLength(16)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        for desk in DESK_ORDER:
            self.combo.addItem(desk_icon(desk), desk_label(desk), desk)
        self.combo.setCurrentIndex(DESK_ORDER.index(None))
        self.combo.setToolTip("Desk view: which articles the list shows")
        label = QLabel("View")
        label.setStyleSheet("color: #6b7280; font-weight: 600;")
        label.setBuddy(self.combo)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(label)
        layout.addWidget(self.combo, 1)

        self._tasks = Background(self)
        self._timer = debounce_timer(self, count_delay_ms, self.count_now)
        self.combo.currentIndexChanged.connect(
            lambda i: self.desk_changed.emit(self.combo.itemData(i))
        )

    @property
    def desk(self) -> str | None:
        return self.combo.currentData()

    def set_desk(self, desk: str | None) -> None:
        self.combo.setCurrentIndex(DESK_ORDER.index(desk))

    @property
    def busy(self) -> bool:
        return self._tasks.busy() or self._timer.isActive()

    def refresh_counts(self) -> None:
        """Count again soon (after a save, a transition, a user switch)."""
        self._timer.start()

    def count_now(self) -> None:
        self._timer.stop()
        # One count in flight; asked again meanwhile, it counts once more after it.
        self._tasks.queue("counts", self._start_count)

    def _start_count(self) -> None:
        newsroom = self._newsroom
        # A count that fails (the store away for a moment) leaves the last counts shown.
        self._tasks.run(lambda _job: _count_desks(newsroom), lane="counts",
                        success=self._apply_counts, failure=lambda _error: None)  # fmt: skip

    def _apply_counts(self, counts: dict[str | None, int]) -> None:
        self.counts = counts
        for row, desk in enumerate(DESK_ORDER):
            count = counts.get(desk)
            self.combo.setItemData(row, count, CountRole)
            tip = f"{desk_label(desk)}: {count:,} article{'s' * (count != 1)}"
            self.combo.setItemData(row, tip, Qt.ItemDataRole.ToolTipRole)
        self.combo.setToolTip(f"Desk view: {self.combo.currentText()}")

    def shutdown(self) -> None:
        """No more counting; wait for the count in flight (before the store closes)."""
        self._timer.stop()
        self._tasks.shutdown(10_000)


def install_desk_views(window) -> DeskViewBar:
    """Put the desk views above the article list's search box and keep their counts fresh."""
    bar = DeskViewBar(window.newsroom, window.article_list)
    layout = window.article_list.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(0, bar)
    bar.desk_changed.connect(window.list_model.set_desk)
    window.list_model.query_finished.connect(bar.refresh_counts)
    bar.count_now()
    return bar
