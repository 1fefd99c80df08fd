"""The article list panel: search box, article count and the table over `ArticleListModel`.

Typing in the search box is debounced and the query runs off the GUI thread; the current
article stays selected across every refresh of the rows, and a re-sort of the same query
keeps its row where it was on screen (the rows around it move, not the one in hand).
Saves do not re-sort (see `article_list`): when they left the order stale, a Re-sort
button shows beside the count, F5 does the same, and opening another story re-sorts.
A query that takes longer than `BUSY_AFTER_MS` shows "Searching…" (or "Loading…") with a
spinner beside the count until its rows are in: a slow search never looks like no search.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QPointF,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QIcon, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.model import ArticleQuery
from editor.ui import icons
from editor.ui.articles.model import (
    HEADERS,
    HIDDEN_BY_DEFAULT,
    ArticleListModel,
    ArticleRole,
    Column,
)
from editor.ui.import_export.import_dialog import FileDropFilter
from editor.ui.timers import debounce_timer

#: A query running longer than this shows the busy state (issue 15: "longer than 150 ms").
BUSY_AFTER_MS = 150


class ArticleListPanel(QWidget):
    """Search box, article count and the table; emits `article_activated` on selection."""

    article_activated = Signal(str)
    #: Local files dropped on the list, to import (see editor.ui.import_export.import_dialog).
    files_dropped = Signal(list)

    def __init__(self, model: ArticleListModel, search_delay_ms: int = 200,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.model = model
        self.setObjectName("articleListPanel")

        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText("Search headlines and text")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(
            icons.icon("fa6s.magnifying-glass", color="#6b7280"),
            QLineEdit.ActionPosition.LeadingPosition,
        )
        self.count_label = QLabel(self)
        self.count_label.setObjectName("articleCount")
        self.resort_action = QAction("Re-sort", self)
        self.resort_action.setObjectName("articleListResort")
        self.resort_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.resort_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.resort_action.setToolTip(
            "Your saves changed the order; the list keeps still until you ask. Sort it again (F5)."
        )
        self.resort_action.triggered.connect(self.model.resort)
        self.addAction(self.resort_action)
        self.resort_button = QToolButton(self)
        self.resort_button.setObjectName("articleListResortButton")
        self.resort_button.setDefaultAction(self.resort_action)
        self.resort_button.setAutoRaise(True)
        self.resort_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.resort_button.setIcon(icons.icon("fa6s.arrow-down-wide-short", color="#374151"))
        # Its room is kept while hidden: showing it must not push the rows down either.
        policy = self.resort_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.resort_button.setSizePolicy(policy)
        self.resort_button.hide()
        self.busy_indicator = QToolButton(self)
        self.busy_indicator.setObjectName("articleListBusy")
        self.busy_indicator.setAutoRaise(True)
        self.busy_indicator.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.busy_indicator.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.busy_indicator.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.busy_indicator.setStyleSheet("color: #6b7280;")
        # Spins only while shown: a hidden spinner's timer would wake the GUI 30 times a second.
        self._spin = icons.Spin(self.busy_indicator, interval=33, step=4)
        self.busy_indicator.setIcon(
            icons.icon("fa6s.spinner", color="#6b7280", animation=self._spin)
        )
        policy = self.busy_indicator.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # appearing must not move the count or the rows
        self.busy_indicator.setSizePolicy(policy)
        self.busy_indicator.hide()

        self.view = QTableView(self)
        self.view.setObjectName("articleTable")
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().hide()
        # Two lines a row: the headline, and its section and byline beneath it.
        self.view.verticalHeader().setDefaultSectionSize(HeadlineDelegate.ROW_HEIGHT)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(Column.HEADLINE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(24)
        # A status dot before the headline, as mail clients mark unread mail.
        header.moveSection(header.visualIndex(Column.STATUS), 0)
        self.view.setItemDelegateForColumn(Column.STATUS, StatusDotDelegate(self.view))
        self.view.setItemDelegateForColumn(Column.HEADLINE, HeadlineDelegate(self.view))
        header.setSectionResizeMode(Column.STATUS, QHeaderView.ResizeMode.Fixed)
        for column, width in ((Column.STATUS, 26), (Column.SECTION, 84), (Column.BYLINE, 110),
                              (Column.UPDATED, 86), (Column.WORDS, 66)):  # fmt: skip
            header.resizeSection(column, width)
        # At a third of the window the headline needs the room: section and byline show
        # under it, and the header's context menu brings their own columns back.
        for column in HIDDEN_BY_DEFAULT:
            header.hideSection(column)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._choose_columns)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # By pixel, so a re-sort can keep the current row exactly where it was on screen.
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # The model sorts through the store; start newest first like the default query.
        header.setSortIndicator(Column.UPDATED, Qt.SortOrder.DescendingOrder)
        self.view.setSortingEnabled(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search_box)
        count_row = QHBoxLayout()
        count_row.setContentsMargins(0, 0, 0, 0)
        count_row.addWidget(self.count_label, 1)
        count_row.addWidget(self.busy_indicator)
        count_row.addWidget(self.resort_button)
        layout.addLayout(count_row)
        layout.addWidget(self.view, 1)
        self._drop_filter = FileDropFilter(self.view, self.files_dropped.emit)

        # One reused single-shot timer debounces typing in the search box.
        self._search_timer = debounce_timer(self, search_delay_ms, self._apply_search)
        self.search_box.textChanged.connect(self._search_timer.start)

        model.count_changed.connect(self._show_count)
        model.query_failed.connect(self._show_failure)
        model.order_stale_changed.connect(self.resort_button.setVisible)
        model.modelAboutToBeReset.connect(self._remember_scroll)
        model.modelReset.connect(self._after_reset)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        # The busy state: shown when a query has run for BUSY_AFTER_MS, hidden when it is in.
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        model.query_busy_changed.connect(self._on_busy_changed)
        self._on_busy_changed(model.query_running)
        self._current_id: str | None = None
        #: Before a reset: the query, the scroll value and the current row's y on screen.
        self._scroll: tuple[ArticleQuery, int, int | None] | None = None

    def _choose_columns(self, position: QPoint) -> None:
        header = self.view.horizontalHeader()
        menu = QMenu(self)
        for column in Column:
            if column == Column.HEADLINE:
                continue
            action = menu.addAction(HEADERS[column])
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda shown, c=column: header.setSectionHidden(c, not shown))
        menu.exec(header.mapToGlobal(position))

    def _apply_search(self) -> None:
        self.model.set_search(self.search_box.text())

    def _show_count(self, total: int) -> None:
        noun = "article" if total == 1 else "articles"
        matching = " matching" if self.model.shown_query.search else ""
        self.count_label.setStyleSheet("")
        self.count_label.setText(f"{total:,}{matching} {noun}")

    def _on_busy_changed(self, busy: bool) -> None:
        if busy:
            if self.busy_indicator.isHidden() and not self._busy_timer.isActive():
                self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self._spin.stop()
            self.busy_indicator.hide()

    def _show_busy(self) -> None:
        searching = bool(self.model.query.search)
        self.busy_indicator.setText("Searching…" if searching else "Loading…")
        self.busy_indicator.setToolTip(
            "The search is still running" if searching else "The articles are being loaded"
        )
        self.busy_indicator.show()
        self._spin.start()  # the first paint starts it; start() again after a stop()

    @property
    def showing_busy(self) -> bool:
        """The busy state is up (a query has been running for over `BUSY_AFTER_MS`)."""
        return not self.busy_indicator.isHidden()

    def _show_failure(self, message: str) -> None:
        self.count_label.setStyleSheet("color: #b91c1c;")
        self.count_label.setText(message)

    def _remember_scroll(self) -> None:
        row = self.model.row_of(self._current_id) if self._current_id else None
        y = self.view.rowViewportPosition(row) if row is not None else -1
        on_screen = 0 <= y < self.view.viewport().height()
        self._scroll = (
            self.model.shown_query,
            self.view.verticalScrollBar().value(),
            y if on_screen else None,
        )

    def _after_reset(self) -> None:
        # A refresh of the same query keeps the place; a new search starts at the top.
        remembered, self._scroll = self._scroll, None
        refresh = remembered is not None and remembered[0] == self.model.shown_query
        if refresh:
            assert remembered is not None
            bar = self.view.verticalScrollBar()
            self.view.updateGeometries()  # the scroll range of the new rows, before setValue
            bar.setValue(remembered[1])
            row = self.model.row_of(self._current_id) if self._current_id else None
            if remembered[2] is not None and row is not None:
                # The story in hand stays under the pointer: scroll by as much as it moved.
                bar.setValue(bar.value() + self.view.rowViewportPosition(row) - remembered[2])
        else:
            self.view.scrollToTop()
        self._reselect(scroll=not refresh)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        article_id = current.data(ArticleRole.ArticleIdRole)
        if article_id and article_id != self._current_id:
            self._current_id = article_id
            self.article_activated.emit(article_id)
            # Opening another story is a natural moment for the order saves left stale;
            # the story just clicked keeps its place on screen (see `_after_reset`).
            if self.model.order_stale:
                self.model.resort()

    def select_article(self, article_id: str | None) -> None:
        """Mark `article_id` as current without emitting `article_activated`."""
        changed = article_id != self._current_id
        self._current_id = article_id
        self._reselect()
        if changed and article_id and self.model.order_stale:
            self.model.resort()  # another story opened from elsewhere (desk view, dashboard)

    def _reselect(self, scroll: bool = True) -> None:
        selection = self.view.selectionModel()
        row = self.model.row_of(self._current_id) if self._current_id else None
        blocked = selection.blockSignals(True)
        try:
            if row is None:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
            else:
                index = self.model.index(row, 0)
                flags = (
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows
                )
                selection.setCurrentIndex(index, flags)
                if scroll:
                    self.view.scrollTo(index)
        finally:
            selection.blockSignals(blocked)
        self.view.viewport().update()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()


class StatusDotDelegate(QStyledItemDelegate):
    """Paints the status column as the status's icon in its colour, centred (a dot without one)."""

    ICON_SIZE = 13

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        colour = index.data(Qt.ItemDataRole.ForegroundRole)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        item.icon = QIcon()
        item.text = ""
        style = item.widget.style() if item.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        if isinstance(icon, QIcon) and not icon.isNull():
            size = self.ICON_SIZE
            target = QRect(0, 0, size, size)
            target.moveCenter(option.rect.center())
            icon.paint(painter, target)
            return
        if not isinstance(colour, QColor):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        centre = QPointF(option.rect.center()) + QPointF(0.5, 0.5)
        painter.drawEllipse(centre, 4.0, 4.0)
        painter.restore()


class HeadlineDelegate(QStyledItemDelegate):
    """The headline on the first line; section and byline, smaller and muted, beneath."""

    ROW_HEIGHT = 46
    _MUTED = QColor("#6b7280")

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        headline = item.text
        item.text = ""
        style = item.widget.style() if item.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        summary = index.data(ArticleRole.SummaryRole)
        details = " · ".join(p for p in (summary.section, summary.byline) if p) if summary else ""
        area = option.rect.adjusted(6, 5, -8, -5)
        painter.save()
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        title_metrics = QFontMetrics(title_font)
        painter.setFont(title_font)
        painter.setPen(QColor("#111827"))
        top = area.top() if details else area.center().y() - title_metrics.height() // 2
        title_rect = QRect(area.left(), top, area.width(), title_metrics.height())
        painter.drawText(
            title_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title_metrics.elidedText(headline, Qt.TextElideMode.ElideRight, area.width()),
        )
        if details:
            small = QFont(option.font)
            small.setPointSizeF(option.font.pointSizeF() * 0.9)
            metrics = QFontMetrics(small)
            painter.setFont(small)
            painter.setPen(self._MUTED)
            painter.drawText(
                QRect(area.left(), title_rect.bottom() + 2, area.width(), metrics.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(details, Qt.TextElideMode.ElideRight, area.width()),
            )
        painter.restore()
