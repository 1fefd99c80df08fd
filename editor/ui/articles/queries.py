"""Runs the article list's store queries on a worker thread; results come back by signal.

One worker thread, at most one query of each kind (reset, page) in flight, and only the
latest pending reset kept (the person typed more): Ghostwriter's coalescing. Jobs call
the thread-safe `Newsroom` read methods and never touch a widget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from editor.core.errors import NewsroomError
from editor.core.model import ArticleQuery, ArticleSummary
from editor.core.newsroom import Newsroom


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


class _JobSignals(QObject):
    finished = Signal(object)  # ListResult


class _ListJob(QRunnable):
    def __init__(self, newsroom: Newsroom, request: ListRequest, signals: _JobSignals) -> None:
        super().__init__()
        self._newsroom = newsroom
        self._request = request
        self._signals = signals

    def run(self) -> None:
        request = self._request
        try:
            total = self._newsroom.count_articles(request.query) if request.kind == "reset" else 0
            rows = self._newsroom.list_articles(
                request.query, offset=request.offset, limit=request.limit
            )
        except NewsroomError as error:
            result = ListResult(request, error=str(error))
        except Exception as error:  # the GUI must always hear that the query ended
            result = ListResult(request, error=f"The article list could not be loaded: {error}")
        else:
            result = ListResult(request, rows=rows, total=total)
        self._signals.finished.emit(result)


class ListQueryRunner(QObject):
    """Schedules list queries; `reset_ready`/`page_ready` arrive on the GUI thread."""

    reset_ready = Signal(object)  # ListResult
    page_ready = Signal(object)  # ListResult

    def __init__(self, newsroom: Newsroom, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._newsroom = newsroom
        # One thread: SQLite gains nothing from parallel readers here, and a single
        # thread keeps results in request order.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _JobSignals(self)
        self._signals.finished.connect(self._on_finished)
        self._reset_in_flight = False
        self._pending_reset: ListRequest | None = None
        self._page_in_flight = False
        self._closed = False

    @property
    def busy(self) -> bool:
        return self._reset_in_flight or self._pending_reset is not None or self._page_in_flight

    @property
    def reset_waiting(self) -> bool:
        return self._reset_in_flight or self._pending_reset is not None

    def request_reset(self, request: ListRequest) -> None:
        """Run now, or after the reset in flight; a newer request replaces a pending one."""
        if self._reset_in_flight:
            self._pending_reset = request
        else:
            self._start(request)

    def request_page(self, request: ListRequest) -> bool:
        """Start a page query unless one is in flight; False when it was not started."""
        if self._page_in_flight:
            return False
        self._start(request)
        return True

    def _start(self, request: ListRequest) -> None:
        if self._closed:
            return
        if request.kind == "reset":
            self._reset_in_flight = True
        else:
            self._page_in_flight = True
        self._pool.start(_ListJob(self._newsroom, request, self._signals))

    def _on_finished(self, result: ListResult) -> None:
        if result.request.kind == "reset":
            self._reset_in_flight = False
            pending, self._pending_reset = self._pending_reset, None
            if pending is not None:
                self._start(pending)
            self.reset_ready.emit(result)
        else:
            self._page_in_flight = False
            self.page_ready.emit(result)

    def shutdown(self) -> None:
        """Start nothing more and wait for the query in flight (before the store closes)."""
        self._closed = True
        self._pending_reset = None
        self._pool.waitForDone(10_000)
