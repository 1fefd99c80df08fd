"""The desk dashboard: the state of the newsroom as pictures (QtCharts), not a table.

Three charts: live articles per section stacked by status, the ageing of articles
waiting for review, and words first filed per day over four weeks. The numbers come
from `Newsroom.desk_stats()` (a few GROUP BY queries) on a worker thread; clicking a bar
lists the articles behind it (`Newsroom.desk_articles`) and opens the one chosen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QCursor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.core.errors import NewsroomError
from editor.core.model import ArticleSummary, Status
from editor.core.text import counted
from editor.services.dashboard import DONE_STATUSES, NO_SECTION, DeskSelection, DeskStats
from editor.ui import icons
from editor.ui.articles.model import full_time, short_time
from editor.ui.background import Background
from editor.ui.status_style import STATUS_COLOURS, status_icon
from editor.ui.timers import debounce_timer

#: From fresh to stale: the ageing bars warm up as articles wait longer.
AGE_COLOURS = ("#10b981", "#84cc16", "#f59e0b", "#f97316", "#dc2626")
FILED_COLOUR = "#2563eb"
_TEXT = QColor("#374151")
_GRID = QColor("#eceef1")
NO_SECTION_LABEL = "(no section)"
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont()
    font.setPointSize(11)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setTitleBrush(QBrush(QColor("#111827")))
    chart.setBackgroundRoundness(8)
    chart.setBackgroundBrush(QBrush(QColor("white")))
    chart.setBackgroundPen(QPen(QColor("#e5e7eb")))
    chart.setMargins(QMargins(8, 6, 8, 6))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setLabelColor(_TEXT)
    return chart


def _value_axis(maximum: float) -> QValueAxis:
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setRange(0, max(4, maximum))
    axis.applyNiceNumbers()
    axis.setGridLineColor(_GRID)
    axis.setLabelsColor(_TEXT)
    axis.setLinePenColor(_GRID)
    return axis


def _category_axis(labels: list[str]) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append(labels)
    axis.setLabelsColor(_TEXT)
    axis.setGridLineVisible(False)
    axis.setLinePenColor(_GRID)
    return axis


def _bar_set(label: str, colour: str) -> QBarSet:
    bars = QBarSet(label)
    bars.setColor(QColor(colour))
    bars.setBorderColor(QColor(colour))
    bars.setLabelColor(QColor("white"))
    return bars


def section_label(section: str) -> str:
    return section or NO_SECTION_LABEL


def day_labels(days: list) -> list[str]:
    """The day numbers (unique over four weeks); the months are in the chart's title."""
    return [str(d.day) for d in days]


def day_range(days: list) -> str:
    if not days:
        return ""
    first, last = days[0], days[-1]
    start = f"{first.day} {first:%b}" if first.month != last.month else str(first.day)
    return f"{start} – {last.day} {last:%b}"


class _Tile(QFrame):
    """A key number with its caption."""

    def __init__(self, caption: str, icon: str, colour: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 10, 14, 10)
        symbol = QLabel()
        symbol.setPixmap(icons.icon(icon, color=colour).pixmap(26, 26))
        row.addWidget(symbol)
        column = QVBoxLayout()
        column.setSpacing(0)
        self.value = QLabel("–")
        self.value.setObjectName("tileValue")
        self.caption = QLabel(caption)
        self.caption.setObjectName("tileCaption")
        column.addWidget(self.value)
        column.addWidget(self.caption)
        row.addLayout(column, 1)


class DeskDashboard(QWidget):
    """The dashboard window; `refresh()` reloads the numbers on a worker thread."""

    refreshed = Signal(object)  # DeskStats

    def __init__(self, newsroom_source: Callable[[], object],
                 open_article: Callable[[str], object] | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("deskDashboard")
        self.setWindowTitle("Desk Dashboard — Newsroom Editor")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.resize(1180, 780)
        self._newsroom = newsroom_source
        self._open_article = open_article
        self.stats: DeskStats | None = None
        self.status_sets: dict[Status, QBarSet] = {}
        self._status_sections: list[str] = []
        self.age_sets: list[QBarSet] = []
        self.filed_set: QBarSet | None = None
        self.last_dialog: ArticlesDialog | None = None
        self._tasks = Background(self)
        self.refresh_soon = debounce_timer(self, 1500, self.refresh)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 16)
        layout.setSpacing(12)
        header = QHBoxLayout()
        title = QLabel("Desk dashboard")
        title.setObjectName("dashTitle")
        self.updated = QLabel()
        self.updated.setObjectName("dashUpdated")
        header.addWidget(title)
        header.addSpacing(12)
        header.addWidget(self.updated)
        header.addStretch(1)
        self.show_done = QCheckBox("Include published and spiked")
        self.show_done.setObjectName("showDone")
        self.show_done.setToolTip(
            "The archive of finished articles dwarfs the work in progress: shown on request"
        )
        self.show_done.toggled.connect(lambda: self.stats and self._draw_status(self.stats))
        header.addWidget(self.show_done)
        header.addSpacing(8)
        self.refresh_button = QPushButton(
            icons.icon("fa6s.arrows-rotate", color="#374151"), "Refresh"
        )
        self.refresh_button.clicked.connect(self.refresh)
        header.addWidget(self.refresh_button)
        layout.addLayout(header)

        tiles = QHBoxLayout()
        tiles.setSpacing(12)
        self.total_tile = _Tile("live articles", "fa6s.newspaper", "#374151")
        self.waiting_tile = _Tile(
            "waiting for review", "fa6s.inbox", STATUS_COLOURS[Status.SUBMITTED]
        )
        self.stale_tile = _Tile("waiting over a day", "fa6s.hourglass-half", AGE_COLOURS[-1])
        self.words_tile = _Tile("words filed in 4 weeks", "fa6s.pen-nib", FILED_COLOUR)
        for tile in (self.total_tile, self.waiting_tile, self.stale_tile, self.words_tile):
            tiles.addWidget(tile)
        layout.addLayout(tiles)

        grid = QGridLayout()
        grid.setSpacing(12)
        self.status_view = self._view("statusChart")
        self.age_view = self._view("ageChart")
        self.filed_view = self._view("filedChart")
        grid.addWidget(self.status_view, 0, 0, 1, 2)
        grid.addWidget(self.age_view, 1, 0)
        grid.addWidget(self.filed_view, 1, 1)
        grid.setRowStretch(0, 5)
        grid.setRowStretch(1, 4)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        layout.addLayout(grid, 1)
        self.hint = QLabel("Click a bar to see its articles.")
        self.hint.setObjectName("dashHint")
        layout.addWidget(self.hint)
        self.setStyleSheet(
            "#deskDashboard { background: #f5f6f8; }"
            "#dashTitle { font-size: 19px; font-weight: 700; color: #111827; }"
            "#dashUpdated, #dashHint { color: #6b7280; }"
            "#tile { background: white; border: 1px solid #e5e7eb; border-radius: 8px; }"
            "#tileValue { font-size: 20px; font-weight: 700; color: #111827; }"
            "#tileCaption { color: #6b7280; }"
        )

    def _view(self, name: str) -> QChartView:
        view = QChartView()
        view.setObjectName(name)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setStyleSheet("background: transparent;")
        view.setChart(_chart(""))
        return view

    # -- loading -------------------------------------------------------------------

    def refresh(self) -> None:
        self.refresh_soon.stop()
        self.updated.setText("Updating…")
        newsroom = self._newsroom()
        # The newest refresh wins: the answer of one it superseded is dropped.
        self._tasks.run(
            lambda _job: newsroom.desk_stats(),
            lane="stats",
            success=self.show_stats,
            failure=self._on_failed,
        )

    def _on_failed(self, error: BaseException) -> None:
        self.updated.setText(f"Could not load the numbers: {str(error) or type(error).__name__}")

    def shutdown(self) -> None:
        self.refresh_soon.stop()
        self._tasks.wait(5000)

    def show_stats(self, stats: DeskStats) -> None:
        """Draw `stats` (the worker's answer; tests may call it directly)."""
        self.stats = stats
        self.updated.setText(f"Updated {short_time(stats.generated_at)}")
        self.updated.setToolTip(full_time(stats.generated_at))
        stale = sum(b.count for b in stats.ageing[3:])
        self.total_tile.value.setText(f"{stats.total:,}")
        self.waiting_tile.value.setText(f"{stats.waiting:,}")
        self.stale_tile.value.setText(f"{stale:,}")
        self.words_tile.value.setText(f"{stats.words_filed:,}")
        self._draw_status(stats)
        self._draw_ageing(stats)
        self._draw_filed(stats)
        self.refreshed.emit(stats)

    # -- charts ------------------------------------------------------------------------

    def shown_statuses(self) -> list[Status]:
        assert self.stats is not None
        statuses = self.stats.statuses()
        if self.show_done.isChecked():
            return statuses
        return [s for s in statuses if s not in DONE_STATUSES]

    def shown_sections(self) -> list[str]:
        """Sections with articles in the shown statuses, bottom-up (busiest on top)."""
        assert self.stats is not None
        statuses = self.shown_statuses()
        totals = {s: sum(self.stats.count(s, st) for st in statuses) for s in self.stats.sections}
        ordered = sorted((s for s in totals if totals[s]), key=lambda s: -totals[s])
        return list(reversed(ordered))

    def _draw_status(self, stats: DeskStats) -> None:
        everything = self.show_done.isChecked()
        chart = _chart(
            "All articles by section and status"
            if everything
            else "Work in progress by section and status"
        )
        series = QHorizontalStackedBarSeries()
        series.setBarWidth(0.62)
        sections = self.shown_sections()
        self._status_sections = sections
        self.status_sets = {}
        for status in self.shown_statuses():
            bars = _bar_set(status.label, STATUS_COLOURS[status])
            bars.append([stats.count(section, status) for section in sections])
            bars.clicked.connect(lambda index, s=status: self.open_status_bar(s, index))
            bars.hovered.connect(
                lambda on, index, s=status: self._hover(on, self._status_tip(s, index))
            )
            series.append(bars)
            self.status_sets[status] = bars
        chart.addSeries(series)
        totals = [sum(stats.count(s, st) for st in self.shown_statuses()) for s in sections]
        axis_x = _value_axis(max(totals, default=0))
        axis_y = _category_axis([section_label(s) for s in sections])
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        if not sections:
            chart.setTitle(chart.title() + " — nothing yet")
        self._replace_chart(self.status_view, chart)

    def _draw_ageing(self, stats: DeskStats) -> None:
        chart = _chart("Waiting for review, by time waiting")
        series = QStackedBarSeries()
        series.setBarWidth(0.6)
        labels = [b.label for b in stats.ageing]
        self.age_sets = []
        for index, bucket in enumerate(stats.ageing):
            bars = _bar_set(bucket.label, AGE_COLOURS[index % len(AGE_COLOURS)])
            bars.append([bucket.count if i == index else 0 for i in range(len(labels))])
            bars.clicked.connect(lambda _i, b=index: self.open_age_bar(b))
            bars.hovered.connect(
                lambda on, _i, b=index: self._hover(
                    on, f"{stats.ageing[b].count:,} waiting {stats.ageing[b].label.lower()}"
                )
            )
            series.append(bars)
            self.age_sets.append(bars)
        chart.addSeries(series)
        chart.legend().hide()
        axis_x = _category_axis(labels)
        font = axis_x.labelsFont()
        font.setPointSize(max(7, font.pointSize() - 1))
        axis_x.setLabelsFont(font)
        axis_y = _value_axis(max((b.count for b in stats.ageing), default=0))
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        self._replace_chart(self.age_view, chart)

    def _draw_filed(self, stats: DeskStats) -> None:
        span = day_range([d.day for d in stats.filed])
        chart = _chart(f"Words filed per day, {span}" if span else "Words filed per day")
        series = QBarSeries()
        series.setBarWidth(0.75)
        bars = _bar_set("Words filed", FILED_COLOUR)
        bars.append([d.words for d in stats.filed])
        bars.clicked.connect(self.open_filed_bar)
        bars.hovered.connect(lambda on, index: self._hover(on, self._filed_tip(index)))
        series.append(bars)
        self.filed_set = bars
        chart.addSeries(series)
        chart.legend().hide()
        axis_x = _category_axis(day_labels([d.day for d in stats.filed]))
        font = axis_x.labelsFont()
        font.setPointSize(max(7, font.pointSize() - 2))
        axis_x.setLabelsFont(font)
        axis_y = _value_axis(max((d.words for d in stats.filed), default=0))
        axis_y.setLabelFormat("%'d")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        self._replace_chart(self.filed_view, chart)

    def _replace_chart(self, view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()

    def _hover(self, on: bool, text: str) -> None:
        if on:
            QToolTip.showText(QCursor.pos(), text)
        else:
            QToolTip.hideText()

    def _status_tip(self, status: Status, index: int) -> str:
        assert self.stats is not None
        section = self._status_sections[index]
        count = self.stats.count(section, status)
        return f"{section_label(section)}: {count:,} {status.label.lower()}"

    def _filed_tip(self, index: int) -> str:
        assert self.stats is not None
        day = self.stats.filed[index]
        words, articles = counted(day.words, "word"), counted(day.articles, "article")
        return f"{day.day:%a %d %b}: {words} in {articles}"

    # -- clicking a bar ----------------------------------------------------------------

    def selection_for_status_bar(self, status: Status, index: int) -> DeskSelection:
        section = self._status_sections[index]
        title = f"{section_label(section)} · {status.label}"
        return DeskSelection(title, status=status, section=section)

    def selection_for_age_bar(self, index: int) -> DeskSelection:
        assert self.stats is not None
        bucket = self.stats.ageing[index]
        return DeskSelection(
            f"Waiting for review · {bucket.label}",
            submitted_after=bucket.oldest,
            submitted_before=bucket.newest if index else None,
        )

    def selection_for_filed_bar(self, index: int) -> DeskSelection:
        assert self.stats is not None
        day = self.stats.filed[index].day
        return DeskSelection(
            f"Filed on {day:%A %d %B}", filed_on=day, utc_offset=self.stats.utc_offset
        )

    def open_status_bar(self, status: Status, index: int) -> ArticlesDialog | None:
        return self.open_selection(self.selection_for_status_bar(status, index))

    def open_age_bar(self, index: int) -> ArticlesDialog | None:
        return self.open_selection(self.selection_for_age_bar(index))

    def open_filed_bar(self, index: int) -> ArticlesDialog | None:
        return self.open_selection(self.selection_for_filed_bar(index))

    def open_selection(self, selection: DeskSelection) -> ArticlesDialog | None:
        """List the articles behind a bar; one article is opened straight away."""
        try:
            articles = self._newsroom().desk_articles(selection)
        except NewsroomError as error:
            self.hint.setText(str(error))
            return None
        if self.last_dialog is not None:
            self.last_dialog.close()
        dialog = ArticlesDialog(selection.title, articles, self._open_article, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: self._forget(dialog))
        self.last_dialog = dialog
        dialog.show()
        return dialog

    def _forget(self, dialog: ArticlesDialog) -> None:
        if self.last_dialog is dialog:
            self.last_dialog = None


class ArticlesDialog(QDialog):
    """The articles behind one bar; double-click (or Open) opens one in the editor."""

    def __init__(self, title: str, articles: list[ArticleSummary],
                 open_article: Callable[[str], object] | None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("deskArticles")
        self.setWindowTitle(title)
        self.resize(760, 440)
        self.articles = articles
        self._open_article = open_article
        layout = QVBoxLayout(self)
        heading = QLabel(
            f"<b>{_escape(title)}</b> — {len(articles):,} article{'s' * (len(articles) != 1)}"
        )
        layout.addWidget(heading)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Headline", "Status", "Section", "Byline", "Words", "Updated"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        for summary in articles:
            item = QTreeWidgetItem(
                [
                    summary.headline or "Untitled",
                    summary.status.label,
                    section_label(summary.section) if summary.section != NO_SECTION else "",
                    summary.byline,
                    f"{summary.word_count:,}",
                    short_time(summary.updated_at),
                ]
            )
            item.setIcon(1, status_icon(summary.status))
            item.setData(0, ID_ROLE, summary.id)
            item.setTextAlignment(4, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        if articles:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self.tree.itemActivated.connect(lambda *_: self.open_selected())
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = buttons.addButton("Open", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setEnabled(bool(articles) and open_article is not None)
        self.open_button.clicked.connect(self.open_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def open_selected(self) -> str | None:
        item = self.tree.currentItem()
        if item is None or self._open_article is None:
            return None
        article_id = item.data(0, ID_ROLE)
        self._open_article(article_id)
        return article_id


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def open_dashboard(window) -> DeskDashboard:
    """View > Desk Dashboard: one window per main window, refreshed when shown."""
    dashboard = getattr(window, "dashboard", None)
    if dashboard is None:

        def open_article(article_id: str) -> None:
            window.open_article(article_id)
            window.raise_()
            window.activateWindow()

        dashboard = DeskDashboard(lambda: window.newsroom, open_article, window)
        window.dashboard = dashboard
        for signal in (window.bus.article_saved, window.bus.article_created):
            signal.connect(lambda *_: dashboard.isVisible() and dashboard.refresh_soon.start())
        window.bus.article_deleted.connect(
            lambda *_: dashboard.isVisible() and dashboard.refresh_soon.start()
        )
    dashboard.show()
    dashboard.raise_()
    dashboard.activateWindow()
    dashboard.refresh()
    return dashboard
