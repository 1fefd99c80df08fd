"""Seeing colleagues' work: the list, the desk counts, the dashboard, the open article and
who has what open follow changes made elsewhere (a colleague on the shared desk, another
window, the command line).

A *look*, off the GUI thread, asks the store for the most recently changed articles, the
article count and the live presence claims: one indexed query each, a few milliseconds on
100,000 articles. When to look depends on the engine:

- PostgreSQL: a worker waits on a `LISTEN` connection of its own (migration 0006 notifies
  on every change of articles, comments and presence) and the watch looks at once when
  news comes, so it shows within a fraction of a second; a safety look every
  `SAFETY_LOOK_MS` catches what no notice tells (a colleague's claim expiring when their
  laptop died). If listening fails (the driver, a dropped connection), the watch polls:
  a look every `WATCH_INTERVAL_MS`, and listening is tried again after `RELISTEN_MS`.
- SQLite: every `TICK_MS` the worker asks `PRAGMA data_version` (microseconds, no table
  read) and looks only when the file changed since; the same safety look applies.

What changed since the last look, and is not this window's own save, is news:

- the list refreshes its rows in place (rows do not jump; the Re-sort button shows when
  the order went stale), the desk views count again and an open dashboard redraws;
- the open article, when someone else saved it: with nothing unsaved here, it is
  reloaded where the person was (cursor and scroll kept; the workflow strip, the rights
  and the audit log follow the reload) and the status bar says so; with unsaved changes,
  the status bar warns, and the next save asks what to keep (the stale-write question),
  so neither version is lost;
- the open article's comments, when a colleague commented, replied or resolved: the look
  reads the open article's threads too (one indexed query) and the Review tab shows what
  changed, keeping its scroll and whatever is being typed (`ReviewPanel.show_threads`);
- presence: "Dave is editing since 10:42" above the headline and on the strip, a pen on
  the row in the list (`editor.ui.desk.presence`, which also keeps this window's claim).

A failed look (a dropped connection to the desk) is retried at the next tick, quietly.
While a menu or a dialog is open, the news waits for the next look: reloading the article
would close the menu under the person's pointer or change the text a dialog is about.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMainWindow

from editor.core.errors import NewsroomError
from editor.core.model import Article, ArticleQuery, ArticleSummary
from editor.core.presence import Presence
from editor.core.values import Comment
from editor.ui.background import Background, Job
from editor.ui.desk.presence import PresenceClaim, PresenceView
from editor.ui.status_style import action_label

if TYPE_CHECKING:
    from editor.services.presence import PostgresListener, SqliteChangeCounter

#: How often the store is looked at when it cannot say that it changed (polling).
WATCH_INTERVAL_MS = 1_500
#: How often the watch asks whether to look: SQLite's change counter, the poll's clock.
TICK_MS = 500
#: A full look at least this often, news or not (presence expiry, a missed notice).
SAFETY_LOOK_MS = 20_000
#: After listening failed, how long the watch polls before trying to listen again.
RELISTEN_MS = 30_000
#: How long one wait for notices lasts (`wake` ends it sooner at shutdown).
LISTEN_WAIT_S = 5.0
#: How many of the most recently changed articles each look compares.
WATCH_ROWS = 50

_NEWEST = ArticleQuery(sort_key="updated_at", descending=True)


@dataclass(frozen=True, slots=True)
class _Look:
    rows: list[ArticleSummary]
    total: int
    presences: list[Presence]
    #: The threads of the article open when the look began (None: none was open), with
    #: the Review tab's generation then: threads it set since are newer than these.
    comments: list[Comment] | None = None
    comments_of: str | None = None
    review_generation: int = -1


class DeskWatch(QObject):
    """Looks at the store when it changed and tells the window; see the module."""

    #: Summaries of the articles someone else changed since the last look.
    changed_elsewhere = Signal(list)
    #: The live presence claims of other windows changed (article id -> claims).
    presence_changed = Signal(dict)
    #: The open article's comments changed elsewhere and the Review tab shows them (id).
    comments_changed_elsewhere = Signal(str)
    #: Whether the watch hears the store's notices (True) or polls (False).
    listening_changed = Signal(bool)

    def __init__(self, window: QMainWindow, interval_ms: int = WATCH_INTERVAL_MS) -> None:
        super().__init__(window)
        self._window = window
        self._interval_s = interval_ms / 1000
        self._tasks = Background(self)
        self._listen_tasks = Background(self)  # the LISTEN loop has a thread of its own
        self._seen: dict[str, datetime] | None = None  # None: before the first look
        self._total = -1
        self._own: dict[str, datetime] = {}  # this window's saves, not news
        self._dirty = False
        #: The change counter (SQLite), made and used on the watch's worker thread.
        self._counter: SqliteChangeCounter | None = None
        self._counter_failed = False
        self._listener: PostgresListener | None = None  # set by the listening thread
        self.listening = False
        self._last_look = 0.0  # monotonic time the last full look started
        self._look_again = False  # news held back (a menu was open): look fully next tick
        self.looks = 0  # full looks made (for tests and the benchmark)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._relisten = QTimer(self)
        self._relisten.setSingleShot(True)
        self._relisten.setInterval(RELISTEN_MS)
        self._relisten.timeout.connect(self._listen)
        self.claim = PresenceClaim(window)
        self.presence = PresenceView(window, self.claim)
        window.session.dirty_changed.connect(self._set_dirty)
        window.session.saved.connect(self._saved_here)
        window.session.created.connect(self._saved_here)
        window.session.opened.connect(lambda _article: self._set_dirty(False))
        #: The status bar's "saving will ask" warning, taken back once it no longer holds.
        self._warning = ""
        window.session.opened.connect(self._take_back_warning)
        window.session.saved.connect(self._take_back_warning)

    def start(self) -> None:
        self._timer.start()
        self.claim.start()
        self.look()
        if self._window.newsroom.presence.can_listen:
            self._listen()

    def look(self) -> None:
        """Look at the store now, fully (one look in flight; asked again meanwhile, once
        more after it)."""
        self._tasks.queue("watch", lambda: self._start_look(force=True))

    def shutdown(self) -> None:
        self._timer.stop()
        self._relisten.stop()
        self._listen_tasks.cancel()  # first the flag, then the wake: the loop sees both
        listener = self._listener
        if listener is not None:
            listener.wake()
        self._listen_tasks.shutdown(5_000)
        self.claim.shutdown()
        self._tasks.shutdown()
        counter, self._counter = self._counter, None
        if counter is not None:
            counter.close()

    # -- when to look -------------------------------------------------------------------

    def _tick(self) -> None:
        self.claim.update()  # a switched user, changed rights: no store call unless it moved
        if self._tasks.busy():
            return
        since = time.monotonic() - self._last_look
        if (self._look_again and since >= self._interval_s) or since * 1000 >= SAFETY_LOOK_MS:
            self.look()
        elif self.listening:
            return  # the notices say when
        elif not self._counter_failed and not self._window.newsroom.presence.can_listen:
            self._tasks.queue("watch", lambda: self._start_look(force=False))
        elif since >= self._interval_s:
            self.look()

    def _start_look(self, force: bool) -> None:
        newsroom = self._window.newsroom
        if force:
            self._last_look = time.monotonic()
        article = self._window.session.article
        open_id = article.id if article is not None else None
        review = getattr(self._window, "review", None)
        generation = review.generation if review is not None else -1

        def work(_job: Job) -> _Look | None:
            if self._counter is None and not self._counter_failed and not self.listening:
                self._open_counter(newsroom)
            counter = self._counter
            # Read the counter first: a commit after it is seen by the next tick.
            moved = counter.moved() if counter is not None else True
            if not (force or moved):
                return None
            return _Look(
                newsroom.list_articles(_NEWEST, limit=WATCH_ROWS),
                newsroom.count_articles(),
                newsroom.presence.current(),
                newsroom.list_comments(open_id) if open_id is not None else None,
                open_id,
                generation,
            )

        self._tasks.run(work, lane="watch", success=self._looked, failure=self._look_failed)

    def _open_counter(self, newsroom) -> None:
        """On the worker: the SQLite change counter (none elsewhere: every tick looks)."""
        from editor.services.presence import SqliteChangeCounter  # after the first paint

        if newsroom.presence.can_listen:
            self._counter_failed = True  # PostgreSQL listens instead
            return
        try:
            feed = newsroom.presence.change_feed()
        except NewsroomError:
            feed = None
        self._counter = feed if isinstance(feed, SqliteChangeCounter) else None
        self._counter_failed = self._counter is None  # poll at every interval instead

    def _look_failed(self, _error: BaseException) -> None:
        self._look_again = True  # retried at the next tick, quietly

    # -- listening (PostgreSQL) ----------------------------------------------------------

    def _listen(self) -> None:
        if self._listen_tasks.busy() or self._listen_tasks.closed:
            return
        newsroom = self._window.newsroom

        def work(job: Job) -> None:
            from editor.services.presence import PostgresListener  # after the first paint

            listener = newsroom.presence.change_feed()
            if not isinstance(listener, PostgresListener):
                raise NewsroomError("This store cannot tell of its changes: polling.")
            self._listener = listener
            try:
                job.progress(None)  # listening from now on
                while not job.should_stop():
                    tables = listener.wait(LISTEN_WAIT_S)
                    if tables and not job.should_stop():
                        job.progress(sorted(tables))
            finally:
                self._listener = None
                listener.close()

        self._listen_tasks.run(
            work, lane="listen", progress=self._heard, failure=self._listen_failed
        )

    def _heard(self, tables: list[str] | None) -> None:
        if tables is None:
            self._set_listening(True)
        self.look()  # the first time too: what changed before LISTEN began

    def _listen_failed(self, _error: BaseException) -> None:
        self._set_listening(False)
        self._relisten.start()
        self.look()  # what a notice may have said as the connection dropped

    def _set_listening(self, listening: bool) -> None:
        if listening != self.listening:
            self.listening = listening
            self.listening_changed.emit(listening)

    # -- what came back ---------------------------------------------------------------

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty

    def _saved_here(self, article: Article | None) -> None:
        if article is not None and article.updated_at is not None:
            self._own[article.id] = article.updated_at

    def _looked(self, result: _Look | None) -> None:
        if result is None:
            return  # the store did not change
        self.looks += 1
        if QApplication.activePopupWidget() is not None or QApplication.activeModalWidget():
            self._look_again = True  # nothing learnt: the next look brings the same news
            return
        self._look_again = False
        if self.presence.show(result.presences):
            self.presence_changed.emit(self.presence.others)
        self._follow_comments(result)
        rows, total = result.rows, result.total
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
        dashboard = getattr(window, "dashboard", None)
        if dashboard is not None and dashboard.isVisible():
            dashboard.refresh()
        self.changed_elsewhere.emit(news)
        article = window.session.article
        theirs = next((row for row in news if article is not None and row.id == article.id), None)
        if theirs is not None:
            self._follow_open_article(theirs)

    def _follow_comments(self, result: _Look) -> None:
        """The open article's threads, when they changed elsewhere (this window's own
        comments are in the Review tab already: its generation moved since the look)."""
        review = getattr(self._window, "review", None)
        article = self._window.session.article
        if (
            review is None
            or result.comments is None
            or article is None
            or article.id != result.comments_of
            or review.article_id != article.id
            or review.generation != result.review_generation
            or review.threads == result.comments
        ):
            return
        before = {t.id: t for t in review.threads}
        review.show_threads(result.comments, from_elsewhere=True)
        self.comments_changed_elsewhere.emit(article.id)
        news = _comment_news(before, result.comments)
        if news:
            self._window.status.showMessage(news, 15_000)

    def _follow_open_article(self, theirs: ArticleSummary) -> None:
        window = self._window
        when = theirs.updated_at.astimezone().strftime("%H:%M") if theirs.updated_at else ""
        if self._dirty or window.session.in_conflict:
            self._warning = (
                f"Someone else saved this story at {when}: saving will ask which version to "
                "keep (yours is not lost)"
            )
            window.status.showMessage(self._warning, 30_000)
            return
        editor = window.editor
        position = editor.textCursor().position()
        scroll = editor.verticalScrollBar().value()
        status_before = window.session.article.status
        if not window.session.reload():  # the strip, rights and audit log follow (opened)
            return
        cursor = editor.textCursor()
        cursor.setPosition(min(position, max(0, editor.document().characterCount() - 1)))
        editor.setTextCursor(cursor)
        editor.verticalScrollBar().setValue(scroll)
        step = self._step_elsewhere(status_before, theirs)
        window.status.showMessage(
            step or f"Updated: someone else saved this story at {when}", 15_000
        )

    def _take_back_warning(self, _article: object = None) -> None:
        """The story was saved or loaded again (the question answered, theirs reloaded):
        the warning that saving will ask is over."""
        warning, self._warning = self._warning, ""
        if warning and self._window.status.currentMessage() == warning:
            self._window.status.clearMessage()

    def _step_elsewhere(self, status_before, theirs: ArticleSummary) -> str:
        """ "Submitted by Dave at 10:42": the workflow step that changed the open story's
        status elsewhere, by its audit log (already read by the reload); "" for a save."""
        if theirs.status == status_before:
            return ""
        events = getattr(self._window.workflow, "events", None) or []
        step = max(events, key=lambda event: event.created_at, default=None)
        if step is None or step.to_status != theirs.status.value:
            return f"Now {theirs.status.label}: changed elsewhere"
        when = step.created_at.astimezone().strftime("%H:%M")
        return f"{action_label(step.action)} by {step.actor or 'someone'} at {when}"


def _comment_news(before: dict[str, Comment], after: list[Comment]) -> str:
    """What the status bar says of the threads that changed: the newest comment, reply or
    resolution and who made it ("" when it cannot tell, e.g. only a deletion)."""
    said: list[tuple[datetime, str]] = []
    for thread in after:
        old = before.get(thread.id)
        if old is None:
            said.append((thread.created_at, f"{thread.author or 'Someone'} commented"))
            continue
        known = {reply.id for reply in old.replies}
        said.extend(
            (reply.created_at, f"{reply.author or 'Someone'} replied to a comment")
            for reply in thread.replies
            if reply.id not in known
        )
        if thread.resolved and not old.resolved and thread.resolved_at is not None:
            who = thread.resolved_by or "Someone"
            said.append((thread.resolved_at, f"{who} resolved a comment"))
        elif old.resolved and not thread.resolved:  # a reopening keeps no time: just now
            said.append((datetime.now(UTC), "A comment was reopened"))
    if not said:
        return ""
    _when, what = max(said, key=lambda item: item[0])
    return f"{what} on this story (Review tab)"
