"""Runs the article list's store queries on a worker thread; results come back by signal.

One worker thread (`editor.ui.background`), at most one query of each kind (reset, page)
in flight, and only the latest pending reset kept (the person typed more): Ghostwriter's
coalescing. Jobs call the thread-safe `Newsroom` read methods and never touch a widget;
`busy_changed` lets the list show that a query runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, SignalInstance

from editor.core.errors import NewsroomError
from editor.core.model import ArticleQuery, ArticleSummary
from editor.ui.background import Background

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom


@dataclass(frozen=True)
class ListRequest:
    """One store query: `reset` counts and lists from row 0, `page` lists from `offset`."""

    kind: str  # "reset" or "page"
    generation: int
    query: ArticleQuery
    offset: int
    limit: int


@dataclass(frozen=True)
class ListResult:
    request: ListRequest
    rows: list[ArticleSummary] = field(default_factory=list)
    total: int = 0
    error: str = ""


def _run_query(newsroom: Newsroom, request: ListRequest) -> ListResult:
    """The store query (on the worker thread)."""
    total = newsroom.count_articles(request.query) if request.kind == "reset" else 0
    rows = newsroom.list_articles(request.query, offset=request.offset, limit=request.limit)
    return ListResult(request, rows=rows, total=total)


def _failed(request: ListRequest, error: BaseException) -> ListResult:
    if isinstance(error, NewsroomError):
        return ListResult(request, error=str(error))
    return ListResult(request, error=f"The article list could not be loaded: {error}")


class ListQueryRunner(QObject):
    """Schedules list queries; `reset_ready`/`page_ready` arrive on the GUI thread."""

    reset_ready = Signal(object)  # ListResult
    page_ready = Signal(object)  # ListResult
    #: True when a query starts or waits with none before it, False when the last is in.
    busy_changed = Signal(bool)

    def __init__(self, newsroom: Newsroom, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._newsroom = newsroom
        # One thread: SQLite gains nothing from parallel readers here, and a single
        # thread keeps results in request order.
        self._tasks = Background(self)
        self._tasks.busy_changed.connect(self.busy_changed)

    @property
    def busy(self) -> bool:
        return self._tasks.busy()

    @property
    def reset_waiting(self) -> bool:
        return self._tasks.busy("reset")

    def request_reset(self, request: ListRequest) -> None:
        """Run now, or after the reset in flight; a newer request replaces a pending one."""
        self._tasks.queue("reset", lambda: self._start(request, self.reset_ready))

    def run_now(self, request: ListRequest) -> ListResult:
        """The query on this thread: for the first rows of a store read from its file
        before it opens (`editor.services.deferred_open`), a few milliseconds."""
        try:
            return _run_query(self._newsroom, request)
        except Exception as error:
            return _failed(request, error)

    def request_page(self, request: ListRequest) -> bool:
        """Start a page query unless one is in flight; False when it was not started."""
        if self._tasks.busy("page"):
            return False
        self._start(request, self.page_ready)
        return True

    def _start(self, request: ListRequest, ready: SignalInstance) -> None:
        newsroom = self._newsroom
        self._tasks.run(
            lambda _job: _run_query(newsroom, request),
            lane=request.kind,
            success=ready.emit,
            failure=lambda error: ready.emit(_failed(request, error)),
        )

    def shutdown(self) -> None:
        """Start nothing more and wait for the query in flight (before the store closes)."""
        self._tasks.shutdown(10_000)
