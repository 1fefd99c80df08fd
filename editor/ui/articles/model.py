"""The article list model: a lazily paged table model over the store.

Sorting and searching are done by the store (`ArticleQuery`) on a worker thread; rows
arrive a page at a time through `canFetchMore`/`fetchMore`, so typing in the search box
never waits for the store and 100,000 articles cost one page of memory.

The person's own saves never move rows. Sorted newest first (the desk's default), every
autosave would lift the story being written to the top and shift the rows under the
pointer, so a click meant for one story opened its neighbour. A save updates its row in
place and the list asks the store again with the rows kept in their order (a story that
no longer matches still leaves); `order_stale` then says the order is not the store's.
The list re-sorts when the person asks: `resort()` (F5 or the Re-sort button), a new
sort, search or desk, opening another story, or a create, delete or import.
"""

from __future__ import annotations

import enum
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from editor.core.model import Article, ArticleQuery, ArticleSummary
from editor.core.text import counted
from editor.ui.articles.queries import ListQueryRunner, ListRequest, ListResult
from editor.ui.status_style import status_colour, status_icon
from editor.ui.timers import debounce_timer

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom

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


HEADERS = {
    Column.HEADLINE: "Headline",
    Column.STATUS: "Status",
    Column.SECTION: "Section",
    Column.BYLINE: "Byline",
    Column.UPDATED: "Updated",
    Column.WORDS: "Words",
}
HIDDEN_BY_DEFAULT = (Column.SECTION, Column.BYLINE)
_SORT_KEYS = {
    Column.HEADLINE: "headline",
    Column.STATUS: "status",
    Column.SECTION: "section",
    Column.BYLINE: "byline",
    Column.UPDATED: "updated_at",
    Column.WORDS: "word_count",
}


class ArticleListModel(QAbstractTableModel):
    """Articles matching one `ArticleQuery`, fetched off the GUI thread a page at a time.

    Every store query runs in a `ListQueryRunner`; a generation counter drops results of
    a query the person has since changed. `query_finished` fires after each result is
    applied (tests wait on it; `busy` says whether more is on its way).
    """

    count_changed = Signal(int)
    #: True when saves left the rows out of the sort order (kept still); False after a re-sort.
    order_stale_changed = Signal(bool)
    query_finished = Signal()
    #: A message for a person: the store could not be queried.
    query_failed = Signal(str)
    #: True while a store query runs (the panel shows "Searching…" past a moment).
    query_busy_changed = Signal(bool)

    def __init__(
        self, newsroom: Newsroom, page_size: int = 200, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._page_size = page_size
        self._query = ArticleQuery()
        self._shown_query = self._query
        self._rows: list[ArticleSummary] = []
        self._total = 0
        self._generation = 0
        #: The generation of a refresh that keeps the rows in their order (after a save).
        self._held_generation = -1
        self._order_stale = False
        self._runner = ListQueryRunner(newsroom, self)
        self._runner.busy_changed.connect(self.query_busy_changed)
        self._runner.reset_ready.connect(self._apply_reset)
        self._runner.page_ready.connect(self._apply_page)
        # A burst of saves (autosave, then Ctrl+S) costs one refresh.
        self._refresh_timer = debounce_timer(self, 250, self._refresh_in_place)

    # -- query -----------------------------------------------------------

    @property
    def query(self) -> ArticleQuery:
        """The query asked for last (its rows may still be on their way)."""
        return self._query

    @property
    def shown_query(self) -> ArticleQuery:
        """The query whose rows the model holds now."""
        return self._shown_query

    @property
    def total(self) -> int:
        return self._total

    @property
    def query_running(self) -> bool:
        """True while a store query runs (`query_busy_changed` says when this changes)."""
        return self._runner.busy

    @property
    def busy(self) -> bool:
        """True while a query is running or about to run."""
        return self._runner.busy or self._refresh_timer.isActive()

    def set_search(self, text: str) -> None:
        text = text.strip()
        if text != self._query.search:
            self._query = _replace(self._query, search=text)
            self._request_reset(self._page_size)

    def set_desk(self, desk: str | None) -> None:
        """Show one desk view (`Desk` value: "waiting", "my_drafts"...), or all articles."""
        if desk != self._query.desk:
            self._query = _replace(self._query, desk=desk)
            self._request_reset(self._page_size)

    @property
    def order_stale(self) -> bool:
        """True when the person's saves changed the sort order and the rows stayed put."""
        return self._order_stale

    def reload(self) -> None:
        """Ask the store again and re-sort (after a create, delete or import), keeping the
        rows loaded so far loaded, so the current article and the scroll position survive."""
        self._refresh_timer.stop()
        self._request_reset(max(self._page_size, len(self._rows)))

    def load_now(self) -> None:
        """The first page read at once, on this thread, instead of `reload`'s worker: so
        that the window's first paint shows it (see `ListQueryRunner.run_now`)."""
        self._refresh_timer.stop()
        self._generation += 1
        request = ListRequest("reset", self._generation, self._query, 0, self._page_size)
        self._apply_reset(self._runner.run_now(request))

    def resort(self) -> None:
        """The person asked for the store's order again (F5, Re-sort, another story)."""
        self.reload()

    def refresh_soon(self) -> None:
        """Refresh the rows after a save, soon, without moving them (see the module)."""
        self._refresh_timer.start()

    def _refresh_in_place(self) -> None:
        self._request_reset(max(self._page_size, len(self._rows)))
        self._held_generation = self._generation

    def _request_reset(self, limit: int) -> None:
        self._generation += 1
        self._runner.request_reset(ListRequest("reset", self._generation, self._query, 0, limit))

    def _apply_reset(self, result: ListResult) -> None:
        if result.request.generation != self._generation:
            return  # the person asked for something else since
        if result.error:
            self.query_failed.emit(result.error)
        elif result.request.generation == self._held_generation:
            self._apply_in_place(result)
        else:
            self.beginResetModel()
            self._rows = list(result.rows)
            self._total = max(result.total, len(self._rows))
            self._shown_query = result.request.query
            self.endResetModel()
            self.count_changed.emit(self._total)
            self._set_order_stale(False)
        self.query_finished.emit()

    def _apply_in_place(self, result: ListResult) -> None:
        """The store's rows, in the order shown: known rows where they were, new ones after.

        The store's first N rows are the rows shown, permuted (a save changes one story),
        so paging on from row N stays right.
        """
        fresh = {summary.id: summary for summary in result.rows}
        kept = [fresh.pop(summary.id) for summary in self._rows if summary.id in fresh]
        rows = kept + [summary for summary in result.rows if summary.id in fresh]
        self._total = max(result.total, len(rows))
        if [s.id for s in rows] == [s.id for s in self._rows]:
            self._rows = rows  # the same rows: repaint them, keep selection and scroll
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(Column) - 1))
        else:  # a story left (or joined) the query: the panel keeps the current one
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        self.count_changed.emit(self._total)
        self._set_order_stale([s.id for s in rows] != [s.id for s in result.rows])

    def _set_order_stale(self, stale: bool) -> None:
        if stale != self._order_stale:
            self._order_stale = stale
            self.order_stale_changed.emit(stale)

    def _apply_page(self, result: ListResult) -> None:
        request = result.request
        if request.generation != self._generation or request.offset != len(self._rows):
            return
        if result.error:
            self.query_failed.emit(result.error)
        elif not result.rows:
            self._total = len(self._rows)  # the store shrank since we counted
            self.count_changed.emit(self._total)
        else:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(result.rows) - 1)
            self._rows.extend(result.rows)
            self.endInsertRows()
        self.query_finished.emit()

    def update_article(self, article: Article) -> None:
        """Show the saved state of `article` in its row at once; the row does not move."""
        row = self.row_of(article.id)
        if row is None:
            return
        summary = article.summary()
        if summary.updated_at is None:
            summary = replace(summary, updated_at=self._rows[row].updated_at)
        self._rows[row] = summary
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
        self.refresh_soon()

    def remove_article(self, article_id: str) -> None:
        """Take a deleted article's row out now; the store is asked again after."""
        row = self.row_of(article_id)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self._total = max(0, self._total - 1)
            self.endRemoveRows()
            self.count_changed.emit(self._total)
        self.reload()

    def row_of(self, article_id: str) -> int | None:
        for row, summary in enumerate(self._rows):
            if summary.id == article_id:
                return row
        return None

    def summary(self, row: int) -> ArticleSummary:
        return self._rows[row]

    def shutdown(self) -> None:
        """Wait for the query in flight; call before the store is closed."""
        self._refresh_timer.stop()
        self._runner.shutdown()

    # -- Qt model --------------------------------------------------------

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    def canFetchMore(self, parent: AnyIndex = _ROOT) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = _ROOT) -> None:
        """Start loading the next page; rows arrive later through `beginInsertRows`."""
        if parent.isValid() or not self.canFetchMore() or self._runner.reset_waiting:
            return  # rows of a query about to be replaced are not worth fetching
        request = ListRequest(
            "page", self._generation, self._shown_query, len(self._rows), self._page_size
        )
        self._runner.request_page(request)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = _SORT_KEYS.get(Column(column), "updated_at")
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self._query.sort_key, self._query.descending):
            self._query = _replace(self._query, sort_key=key, descending=descending)
            self._request_reset(self._page_size)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:  # fmt: skip
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if column == Column.STATUS else HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Sort by {HEADERS[column].lower()}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _RIGHT_ALIGNED:
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
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(summary, column)
        if column == Column.STATUS:
            if role == Qt.ItemDataRole.DecorationRole:
                return status_icon(summary.status)
            if role == Qt.ItemDataRole.ForegroundRole:
                return status_colour(summary.status)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return summary.status.label
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _RIGHT_ALIGNED:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None


_RIGHT_ALIGNED = (Column.WORDS, Column.UPDATED)


def _display(summary: ArticleSummary, column: Column) -> str:
    if column == Column.HEADLINE:
        return summary.headline or "Untitled"
    if column == Column.STATUS:
        return ""  # a coloured dot; the label is in the tooltip
    if column == Column.SECTION:
        return summary.section
    if column == Column.BYLINE:
        return summary.byline
    if column == Column.UPDATED:
        return short_time(summary.updated_at)
    return short_count(summary.word_count)


def short_count(words: int) -> str:
    """A word count that fits the narrow column: 9,876, then 20.3k and 203k (the tooltip
    says the exact count)."""
    if words < 10_000:
        return f"{words:,}"
    if words < 100_000:
        return f"{words / 1000:.1f}k"
    return f"{round(words / 1000):,}k"


def _tooltip(summary: ArticleSummary, column: Column) -> str:
    if column == Column.STATUS:
        return summary.status.label
    if column == Column.UPDATED:
        return f"Updated {full_time(summary.updated_at)}"
    details = " · ".join(
        part
        for part in (summary.status.label, summary.section, summary.byline,
                     counted(summary.word_count, "word"))
        if part
    )  # fmt: skip
    return f"{summary.headline or 'Untitled'}\n{details}"


def _local(moment: datetime) -> datetime:
    return moment.astimezone() if moment.tzinfo else moment


def short_time(moment: datetime, now: datetime | None = None) -> str:
    """ "14:32" today, "Yesterday", "20 Nov" this year, "20 Nov 2023" before."""
    local = _local(moment)
    today = (_local(now) if now else datetime.now(local.tzinfo)).date()
    day = local.date()
    if day == today:
        return f"{local:%H:%M}"
    if day == today - timedelta(days=1):
        return "Yesterday"
    if day.year == today.year:
        return f"{day.day} {day:%b}"
    return f"{day.day} {day:%b %Y}"


def full_time(moment: datetime) -> str:
    local = _local(moment)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def _replace(query: ArticleQuery, **changes: object) -> ArticleQuery:
    fields = {
        "search": query.search,
        "status": query.status,
        "sort_key": query.sort_key,
        "descending": query.descending,
        "include_deleted": query.include_deleted,
        # The acting user is filled in by `Newsroom` per query, so a user switch is seen.
        "desk": query.desk,
    }
    fields.update(changes)
    return ArticleQuery(**fields)  # type: ignore[arg-type]
