"""Seeing colleagues' work: the list, the desk counts and the open article follow changes
made elsewhere (a colleague on the shared desk, another window, the command line).

Every 1.5 s (`WATCH_INTERVAL_MS`: news shows within 2 s), off the GUI thread, the watch
asks the store for the most recently changed articles and the article count: one
indexed query each, a few milliseconds on 100,000 articles. What changed since the
last look, and is not this window's own save, is news:

- the list refreshes its rows in place (rows do not jump; the Re-sort button shows when
  the order went stale), and the desk views count again;
- the open article, when someone else saved it: with nothing unsaved here, it is
  reloaded where the person was (cursor and scroll kept) and the status bar says so;
  with unsaved changes, the status bar warns, and the next save asks what to keep (the
  stale-write question), so neither version is lost.

A failed look (a dropped connection to the desk) is retried at the next tick, quietly.
While a menu or a dialog is open, the news waits for the next look: reloading the article
would close the menu under the person's pointer or change the text a dialog is about.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMainWindow

from editor.core.model import Article, ArticleQuery, ArticleSummary
from editor.ui.background import Background

#: How often the store is asked what changed.
WATCH_INTERVAL_MS = 1_500
#: How many of the most recently changed articles each look compares.
WATCH_ROWS = 50

_NEWEST = ArticleQuery(sort_key="updated_at", descending=True)


class DeskWatch(QObject):
    """Polls the store and tells the window what others changed; see the module."""

    #: Summaries of the articles someone else changed since the last look.
    changed_elsewhere = Signal(list)

    def __init__(self, window: QMainWindow, interval_ms: int = WATCH_INTERVAL_MS) -> None:
        super().__init__(window)
        self._window = window
        self._tasks = Background(self)
        self._seen: dict[str, datetime] | None = None  # None: before the first look
        self._total = -1
        self._own: dict[str, datetime] = {}  # this window's saves, not news
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.look)
        window.session.dirty_changed.connect(self._set_dirty)
        window.session.saved.connect(self._saved_here)
        window.session.created.connect(self._saved_here)
        window.session.opened.connect(lambda _article: self._set_dirty(False))

    def start(self) -> None:
        self._timer.start()
        self.look()

    def look(self) -> None:
        """Ask the store now (one look in flight at a time)."""
        if self._tasks.busy():
            return
        newsroom = self._window.newsroom

        def work(_job) -> tuple[list[ArticleSummary], int]:
            return newsroom.list_articles(_NEWEST, limit=WATCH_ROWS), newsroom.count_articles()

        self._tasks.run(work, lane="watch", success=self._looked, failure=lambda _error: None)

    def shutdown(self) -> None:
        self._timer.stop()
        self._tasks.shutdown()

    # -- what came back ---------------------------------------------------------------

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty

    def _saved_here(self, article: Article | None) -> None:
        if article is not None and article.updated_at is not None:
            self._own[article.id] = article.updated_at

    def _looked(self, result: tuple[list[ArticleSummary], int]) -> None:
        if QApplication.activePopupWidget() is not None or QApplication.activeModalWidget():
            return  # nothing learnt: the next look brings the same news
        rows, total = result
        previous, self._seen = self._seen, {row.id: row.updated_at for row in rows}
        count_before, self._total = self._total, total
        if previous is None:
            return  # the first look only learns where things stand
        news = [
            row
            for row in rows
            if previous.get(row.id) != row.updated_at and self._own.get(row.id) != row.updated_at
        ]
        if not news and total == count_before:
            return
        window = self._window
        window.list_model.refresh_soon()
        window.workflow.desk_views.refresh_counts()
        self.changed_elsewhere.emit(news)
        article = window.session.article
        theirs = next((row for row in news if article is not None and row.id == article.id), None)
        if theirs is not None:
            self._follow_open_article(theirs)

    def _follow_open_article(self, theirs: ArticleSummary) -> None:
        window = self._window
        when = theirs.updated_at.astimezone().strftime("%H:%M") if theirs.updated_at else ""
        if self._dirty or window.session.in_conflict:
            window.status.showMessage(
                f"Someone else saved this story at {when}: saving will ask which version to "
                "keep (yours is not lost)",
                30_000,
            )
            return
        editor = window.editor
        position = editor.textCursor().position()
        scroll = editor.verticalScrollBar().value()
        if not window.session.reload():
            return
        cursor = editor.textCursor()
        cursor.setPosition(min(position, max(0, editor.document().characterCount() - 1)))
        editor.setTextCursor(cursor)
        editor.verticalScrollBar().setValue(scroll)
        window.status.showMessage(f"Updated: someone else saved this story at {when}", 15_000)
