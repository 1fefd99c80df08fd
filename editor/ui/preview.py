"""The preview pane: the article rendered with the export template, off the GUI thread.

Renders run in a `QThreadPool` worker that only returns HTML by signal; at most one
render is in flight and one pending (Ghostwriter's coalescing). The scroll position
survives each refresh. Without QtWebEngine a `QTextBrowser` stands in, with a notice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QUrl, Signal
from PySide6.QtWidgets import QLabel, QStackedLayout, QTextBrowser, QVBoxLayout, QWidget

from editor.core.errors import NewsroomError
from editor.core.model import Article
from editor.ui.timers import debounce_timer

try:  # QtWebEngine is an optional, heavy component: its absence must never crash us.
    from PySide6.QtWebEngineWidgets import QWebEngineView
except ImportError:  # pragma: no cover - depends on the installation
    QWebEngineView = None  # type: ignore[assignment,misc]


def _render(article: Article) -> str:
    # Imported late so a missing or broken renderer shows as a message in the pane.
    from editor.core.render import render_article_page

    return render_article_page(article, preview=True)


class _RenderSignals(QObject):
    rendered = Signal(int, str)
    failed = Signal(int, str)


class _RenderJob(QRunnable):
    """Turns an `Article` snapshot into HTML; never touches a widget."""

    def __init__(self, ticket: int, article: Article, signals: _RenderSignals) -> None:
        super().__init__()
        self._ticket = ticket
        self._article = article
        self._signals = signals

    def run(self) -> None:
        try:
            html = _render(self._article)
        except (NewsroomError, ImportError, OSError, ValueError) as error:
            self._signals.failed.emit(self._ticket, str(error) or type(error).__name__)
        else:
            self._signals.rendered.emit(self._ticket, html)


class PreviewPane(QWidget):
    """Shows `render_article_page(article, preview=True)`; `schedule()` debounces updates."""

    #: Emitted when a rendered page has been shown (loaded) in the pane.
    page_shown = Signal()

    def __init__(self, delay_ms: int = 400, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPane")
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _RenderSignals(self)
        self._signals.rendered.connect(self._on_rendered)
        self._signals.failed.connect(self._on_failed)
        self._ticket = 0
        self._in_flight = False
        self._again = False
        self._closed = False
        self._source: Callable[[], Article | None] = lambda: None
        self._scroll_y = 0
        self._html = ""
        self._keep_scroll = True
        self._timer = debounce_timer(self, delay_ms, self._start)

        self._message = QLabel(self)
        self._message.setObjectName("previewMessage")
        self._message.setWordWrap(True)
        self._message.hide()
        self._stack = QStackedLayout()
        if QWebEngineView is not None:
            self.web_view = QWebEngineView(self)
            self.web_view.loadFinished.connect(self._on_load_finished)
            self.browser: QTextBrowser | None = None
            self._stack.addWidget(self.web_view)
        else:  # tests replace `QWebEngineView` with None to check this path
            self.web_view = None
            self.browser = QTextBrowser(self)
            self.browser.setOpenExternalLinks(True)
            self._stack.addWidget(self.browser)
            self._show_message(
                "Preview is simplified: QtWebEngine is not installed, so pages are "
                "shown without the web template's full styling."
            )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._message)
        layout.addLayout(self._stack, 1)

    @property
    def has_web_engine(self) -> bool:
        return self.web_view is not None

    def set_source(self, source: Callable[[], Article | None]) -> None:
        """Where snapshots come from; called only when a render actually starts."""
        self._source = source

    def schedule(self) -> None:
        """Render again once typing pauses; bursts of calls cost one render."""
        self._keep_scroll = True
        self._timer.start()

    def refresh_now(self) -> None:
        """Render at once from the top, e.g. for a newly opened article."""
        self._keep_scroll = False
        self._timer.stop()
        self._start()

    def _start(self) -> None:
        if self._closed:
            return
        if self._in_flight:
            self._again = True  # coalesce: one render in flight, one pending
            return
        self._again = False
        article = self._source()
        if article is None:
            self._set_html("")
            return
        snapshot = replace(article, tags=list(article.tags))
        self._ticket += 1
        self._in_flight = True
        self._pool.start(_RenderJob(self._ticket, snapshot, self._signals))

    def _on_rendered(self, ticket: int, html: str) -> None:
        self._in_flight = False
        if ticket == self._ticket:
            if self.web_view is not None:
                self._message.hide()
            self._set_html(html)
        if self._again:
            self._start()

    def _on_failed(self, ticket: int, message: str) -> None:
        self._in_flight = False
        if ticket == self._ticket:
            self._show_message(f"The preview could not be rendered: {message}")
        if self._again:
            self._start()

    @property
    def html(self) -> str:
        """The page last sent to the view (what the person sees, once loaded)."""
        return self._html

    def _set_html(self, html: str) -> None:
        self._html = html
        if self.web_view is None:
            assert self.browser is not None
            bar = self.browser.verticalScrollBar()
            position = bar.value()
            self.browser.setHtml(html)
            bar.setValue(position)
            self.page_shown.emit()
            return
        page = self.web_view.page()
        # Ask the old page where it was scrolled, then load; restored in loadFinished.
        page.runJavaScript("window.scrollY", 0, lambda y, html=html: self._load(html, y))

    def _load(self, html: str, scroll_y: object) -> None:
        # The answer comes back asynchronously: the pane may be closed or gone by then.
        if self._closed or not shiboken6.isValid(self) or not shiboken6.isValid(self.web_view):
            return
        keep = self._keep_scroll and isinstance(scroll_y, int | float)
        self._scroll_y = int(scroll_y) if keep else 0  # type: ignore[arg-type]
        assert self.web_view is not None
        self.web_view.setHtml(html, QUrl("about:blank"))

    def _on_load_finished(self, ok: bool) -> None:
        if self._closed:
            return
        if ok and self._scroll_y and self.web_view is not None:
            self.web_view.page().runJavaScript(f"window.scrollTo(0, {self._scroll_y});")
        self.page_shown.emit()

    def _show_message(self, text: str) -> None:
        self._message.setText(text)
        self._message.show()

    def shutdown(self) -> None:
        """Stop timers and wait for a render in flight, before the window goes away."""
        self._closed = True
        self._timer.stop()
        self._again = False
        self._pool.waitForDone(5000)
