"""The article list: a lazily paged table model over the store, its view and a search box.

Sorting and searching are done by the store (`ArticleQuery`); rows arrive a page at a
time through `canFetchMore`/`fetchMore`, so 100,000 articles cost one page of memory.
"""

from __future__ import annotations

import enum
from datetime import datetime

import qtawesome
from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from editor.core.model import Article, ArticleQuery, ArticleSummary
from editor.core.newsroom import Newsroom
from editor.ui.status_style import status_colour, status_icon

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ArticleRole(enum.IntEnum):
    """Custom data roles of `ArticleListModel`."""

    ArticleIdRole = Qt.ItemDataRole.UserRole + 1
    StatusRole = Qt.ItemDataRole.UserRole + 2
    SummaryRole = Qt.ItemDataRole.UserRole + 3


class Column(enum.IntEnum):
    HEADLINE = 0
    STATUS = 1
    SECTION = 2
    BYLINE = 3
    UPDATED = 4
    WORDS = 5


_HEADERS = {
    Column.HEADLINE: "Headline",
    Column.STATUS: "Status",
    Column.SECTION: "Section",
    Column.BYLINE: "Byline",
    Column.UPDATED: "Updated",
    Column.WORDS: "Words",
}
_HIDDEN_BY_DEFAULT = (Column.SECTION, Column.BYLINE)
_SORT_KEYS = {
    Column.HEADLINE: "headline",
    Column.STATUS: "status",
    Column.SECTION: "section",
    Column.BYLINE: "byline",
    Column.UPDATED: "updated_at",
    Column.WORDS: "word_count",
}


class ArticleListModel(QAbstractTableModel):
    """Articles matching one `ArticleQuery`, fetched from the store a page at a time."""

    count_changed = Signal(int)

    def __init__(
        self, newsroom: Newsroom, page_size: int = 200, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._newsroom = newsroom
        self._page_size = page_size
        self._query = ArticleQuery()
        self._rows: list[ArticleSummary] = []
        self._total = 0

    # -- query -----------------------------------------------------------

    @property
    def query(self) -> ArticleQuery:
        return self._query

    @property
    def total(self) -> int:
        return self._total

    def set_search(self, text: str) -> None:
        text = text.strip()
        if text != self._query.search:
            self._query = _replace(self._query, search=text)
            self.reload()

    def reload(self) -> None:
        """Ask the store again (after a search, sort, create, delete or import)."""
        self.beginResetModel()
        self._total = self._newsroom.count_articles(self._query)
        self._rows = self._newsroom.list_articles(self._query, offset=0, limit=self._page_size)
        self.endResetModel()
        self.count_changed.emit(self._total)

    def update_article(self, article: Article) -> None:
        """Show the saved state of `article` in its row, if that row is loaded."""
        row = self.row_of(article.id)
        if row is None:
            return
        self._rows[row] = ArticleSummary(
            id=article.id,
            headline=article.headline,
            slug=article.slug,
            status=article.status,
            section=article.section,
            byline=article.byline,
            word_count=article.word_count,
            updated_at=article.updated_at or self._rows[row].updated_at,
        )
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def row_of(self, article_id: str) -> int | None:
        for row, summary in enumerate(self._rows):
            if summary.id == article_id:
                return row
        return None

    def summary(self, row: int) -> ArticleSummary:
        return self._rows[row]

    # -- Qt model --------------------------------------------------------

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    def canFetchMore(self, parent: AnyIndex = _ROOT) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = _ROOT) -> None:
        if parent.isValid():
            return
        page = self._newsroom.list_articles(
            self._query, offset=len(self._rows), limit=self._page_size
        )
        if not page:
            self._total = len(self._rows)  # the store shrank since we counted
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = _SORT_KEYS.get(Column(column), "updated_at")
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self._query.sort_key, self._query.descending):
            self._query = _replace(self._query, sort_key=key, descending=descending)
            self.reload()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:  # fmt: skip
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[Column(section)]
        if role == Qt.ItemDataRole.TextAlignmentRole and section == Column.WORDS:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        summary = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(summary, column)
        if role == ArticleRole.ArticleIdRole:
            return summary.id
        if role == ArticleRole.StatusRole:
            return summary.status
        if role == ArticleRole.SummaryRole:
            return summary
        if column == Column.STATUS:
            if role == Qt.ItemDataRole.DecorationRole:
                return status_icon(summary.status)
            if role == Qt.ItemDataRole.ForegroundRole:
                return status_colour(summary.status)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.HEADLINE:
            return summary.headline or "Untitled"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.WORDS:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None


def _display(summary: ArticleSummary, column: Column) -> str:
    if column == Column.HEADLINE:
        return summary.headline or "Untitled"
    if column == Column.STATUS:
        return summary.status.label
    if column == Column.SECTION:
        return summary.section
    if column == Column.BYLINE:
        return summary.byline
    if column == Column.UPDATED:
        return _when(summary.updated_at)
    return f"{summary.word_count:,}"


def _when(moment: datetime) -> str:
    local = moment.astimezone() if moment.tzinfo else moment
    now = datetime.now(local.tzinfo)
    if local.date() == now.date():
        return local.strftime("%H:%M")
    if local.year == now.year:
        return local.strftime("%d %b")
    return local.strftime("%d %b %Y")


def _replace(query: ArticleQuery, **changes: object) -> ArticleQuery:
    fields = {
        "search": query.search,
        "status": query.status,
        "sort_key": query.sort_key,
        "descending": query.descending,
        "include_deleted": query.include_deleted,
    }
    fields.update(changes)
    return ArticleQuery(**fields)  # type: ignore[arg-type]


class ArticleListPanel(QWidget):
    """Search box, article count and the table; emits `article_activated` on selection."""

    article_activated = Signal(str)

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
            qtawesome.icon("fa6s.magnifying-glass", color="#6b7280"),
            QLineEdit.ActionPosition.LeadingPosition,
        )
        self.count_label = QLabel(self)
        self.count_label.setObjectName("articleCount")

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
        self.view.verticalHeader().setDefaultSectionSize(30)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(Column.HEADLINE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        for column, width in ((Column.STATUS, 100), (Column.SECTION, 84), (Column.BYLINE, 110),
                              (Column.UPDATED, 80), (Column.WORDS, 62)):  # fmt: skip
            header.resizeSection(column, width)
        # At a third of the window the headline needs the room; the header's context
        # menu brings the other columns back.
        for column in _HIDDEN_BY_DEFAULT:
            header.hideSection(column)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._choose_columns)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The model sorts through the store; start newest first like the default query.
        header.setSortIndicator(Column.UPDATED, Qt.SortOrder.DescendingOrder)
        self.view.setSortingEnabled(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search_box)
        layout.addWidget(self.count_label)
        layout.addWidget(self.view, 1)

        # One reused single-shot timer debounces typing in the search box.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(search_delay_ms)
        self._search_timer.timeout.connect(self._apply_search)
        self.search_box.textChanged.connect(self._search_timer.start)

        model.count_changed.connect(self._show_count)
        model.modelReset.connect(self._reselect)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self._current_id: str | None = None
        self._show_count(model.total)

    def _choose_columns(self, position: QPoint) -> None:
        header = self.view.horizontalHeader()
        menu = QMenu(self)
        for column in Column:
            if column == Column.HEADLINE:
                continue
            action = menu.addAction(_HEADERS[column])
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda shown, c=column: header.setSectionHidden(c, not shown))
        menu.exec(header.mapToGlobal(position))

    def _apply_search(self) -> None:
        self.model.set_search(self.search_box.text())

    def _show_count(self, total: int) -> None:
        noun = "article" if total == 1 else "articles"
        matching = " matching" if self.model.query.search else ""
        self.count_label.setText(f"{total:,}{matching} {noun}")

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        article_id = current.data(ArticleRole.ArticleIdRole)
        if article_id and article_id != self._current_id:
            self._current_id = article_id
            self.article_activated.emit(article_id)

    def select_article(self, article_id: str | None) -> None:
        """Mark `article_id` as current without emitting `article_activated`."""
        self._current_id = article_id
        self._reselect()

    def _reselect(self) -> None:
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
                self.view.scrollTo(index)
        finally:
            selection.blockSignals(blocked)
        self.view.viewport().update()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()
