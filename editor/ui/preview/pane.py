"""The preview pane: the article through the export template, patched block by block.

The first render of an article loads the whole page (from a temporary file: `setHtml` caps
pages at 2 MB). After that, a worker thread (`editor.ui.background`) re-renders only the
Markdown blocks an edit changed (`preview_render`), and the GUI thread only sends the patch
to the page by JavaScript (`resources/js/preview.js`, run in an isolated world; the page's
own scripts are off): no reload, no jump in scroll position. One render is in flight and
one pending at most (Ghostwriter's coalescing). Without QtWebEngine, or when its process dies, a
`QTextBrowser` stands in, with a notice. The page uses the export's template folder and
site settings (`set_site`); a page whose template lacks `#article-body` is loaded whole.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedLayout,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor.core.model import Article
from editor.core.resources import read_resource_text
from editor.ui.background import Background
from editor.ui.preview.render import BodyPatch, PageLoad, PreviewRenderer
from editor.ui.preview.widths import WIDTH_PRESETS, WidthBar, fit_view
from editor.ui.timers import debounce_timer


def _web_engine_view(parent: QWidget) -> QWidget:
    """A QWebEngineView, its module imported only now: importing QtWebEngine costs ~30 MB
    and ~40 ms, which the window's first paint need not wait for (the view is made after
    it). An installation whose QtWebEngine fails to load raises ImportError here."""
    from PySide6.QtWebEngineWidgets import QWebEngineView as view_class

    return view_class(parent)


def _web_frame_for() -> QWidget:
    """What holds the web view: a widget with a native window of its own.

    A QWebEngineView draws through Qt's RHI (OpenGL; Mesa's llvmpipe on a machine without
    a GPU). Put straight into the main window, the view made after the first paint would
    either tear the window's native window down and make it again (a flash; the window
    manager sees a new window), or, with `QT_WIDGETS_RHI` set from the start as before,
    make every flush of the main window RHI composed: ~60-90 MB of Mesa before the first
    paint and a composition of the whole window per keystroke (keystroke to pixels p50
    50 ms, `bench_real_typing.py`). Behind a native child window only that window is
    composed through RHI; the main window stays a raster window, the same one from start
    to close (p50 14 ms).
    """
    frame = QWidget()
    frame.setObjectName("previewFrame")
    frame.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(0, 0, 0, 0)
    return frame


#: How the web view is made; None when QtWebEngine is not installed (tests set it so). An
#: optional, heavy component: its absence must never crash us. Found without importing it.
QWebEngineView: Callable[[QWidget], QWidget] | None = (
    _web_engine_view if importlib.util.find_spec("PySide6.QtWebEngineWidgets") else None
)


#: JavaScript runs in Chromium's ApplicationWorld (1): isolated from the page's own world.
_WORLD = 1


#: The web view is made this long after the window is painted, or, when the person is
#: typing by then, once no edit came for `WEB_VIEW_IN_A_PAUSE_MS`: its ~0.3-0.5 s on the
#: GUI thread should not land on the first keys typed into a just-opened window.
WEB_VIEW_AFTER_PAINT_MS = 1000
WEB_VIEW_IN_A_PAUSE_MS = 300


class PreviewPane(QWidget):
    """Shows `render_article_page(article, preview=True)`; `schedule()` debounces updates."""

    #: The page shows the latest render (loaded, or patched and confirmed by the page).
    page_shown = Signal()
    #: The person scrolled the preview: (Markdown block index, fraction into that block).
    scrolled = Signal(int, float)
    #: The person clicked in the preview, on the element of this Markdown block.
    block_clicked = Signal(int)

    def __init__(self, delay_ms: int = 400, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPane")
        self._tasks = Background(self)
        self._folder = Path(tempfile.mkdtemp(prefix="newsroom-preview-"))
        self._renderer = PreviewRenderer(self._folder)
        self._generation = 0
        self._need_full = True
        self._closed = False
        self._page_ready = False
        self._queued_js: list[str] = []
        self._expected_url = QUrl()
        self._keep_scroll = True
        self._scroll_y: object = 0
        self._html = ""
        self._engine_notice = ""
        self._patchable = True
        self._source: Callable[[], Article | None] = lambda: None
        self._started_at = 0.0
        #: Why the last patch did not apply (then the page is loaded whole instead).
        self.patch_error: object = None
        #: Seconds from the start of each render (end of the pause) to the page showing it.
        self.timings: list[float] = []
        self._timer = debounce_timer(self, delay_ms, self._start)

        self._message = QLabel(self)
        self._message.setObjectName("previewMessage")
        self._message.setWordWrap(True)
        self._message.hide()
        self.width_bar = WidthBar(self)
        self.width_bar.preset_chosen.connect(lambda _name: self._fit())
        self._stack = QStackedLayout()
        self._web_view = None
        self._web_frame: QWidget | None = None
        #: The web view is made after the window's first paint (Chromium's start costs
        #: hundreds of ms of CPU and its processes ~250 MB): a placeholder stands in until
        #: then, and a page rendered meanwhile waits in `_pending_load`. Asking for
        #: `web_view` makes it at once.
        self._web_wanted = QWebEngineView is not None
        self._pending_load: PageLoad | None = None
        self._waiting_for_paint = False
        self._exposed_checks = 0
        self._make_view_timer: QTimer | None = None  # see _after_show
        self.browser: QTextBrowser | None = None
        if self._web_wanted:
            self._placeholder = QLabel("Preparing the preview…", self)
            self._placeholder.setObjectName("previewPlaceholder")
            self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._placeholder.setEnabled(False)
            self._stack.addWidget(self._placeholder)
        else:  # tests replace `QWebEngineView` with None to check this path
            self._use_browser(
                "Preview is simplified: QtWebEngine is not installed, so pages are "
                "shown without the web template's full styling."
            )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._message)
        layout.addWidget(self.width_bar)
        layout.addLayout(self._stack, 1)

    # -- the two views ---------------------------------------------------

    @property
    def web_view(self):
        """The QWebEngineView (made now if it was still waiting for the first paint)."""
        if self._web_view is None and self._web_wanted and not self._closed:
            self._make_web_view()
        return self._web_view

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._web_view is None and self._web_wanted and not self._waiting_for_paint:
            self._waiting_for_paint = True
            QTimer.singleShot(0, self._after_show)

    def _after_show(self) -> None:
        """Once the window is on screen (exposed, so painted), make the web view."""
        if self._closed or self._web_view is not None or not shiboken6.isValid(self):
            return
        handle = self.window().windowHandle()
        self._exposed_checks += 1
        if handle is not None and not handle.isExposed() and self._exposed_checks < 100:
            QTimer.singleShot(20, self._after_show)
            return
        # Made in a pause: its ~0.5 s on this thread would hold up keys typed meanwhile
        # (the window takes typing from its first paint); each edit postpones it.
        self._make_view_timer = debounce_timer(
            self, WEB_VIEW_IN_A_PAUSE_MS, self._make_web_view_now
        )
        self._make_view_timer.start(WEB_VIEW_AFTER_PAINT_MS)

    def _make_web_view_now(self) -> None:
        if self._closed or not shiboken6.isValid(self) or self.web_view is None:
            return
        pending, self._pending_load = self._pending_load, None
        if pending is not None:
            self._load(pending)

    def _make_web_view(self) -> None:
        assert QWebEngineView is not None
        try:
            from PySide6.QtWebEngineCore import QWebEngineScript, QWebEngineSettings

            from editor.ui.preview.page import PreviewPage

            # The view's own native window (see `_web_frame_for`), made before the view.
            frame = _web_frame_for()
            view = QWebEngineView(frame)
        except ImportError as error:  # pragma: no cover - depends on the installation
            self._web_wanted = False
            self._use_browser(
                f"Preview is simplified: QtWebEngine could not be loaded ({error}), so "
                "pages are shown without the web template's full styling."
            )
            return
        page = PreviewPage(view)
        view.setPage(page)
        settings = page.settings()
        # The page's own scripts stay off; ours run in the isolated world regardless.
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)
        script = QWebEngineScript()
        script.setName("newsroom-preview")
        script.setSourceCode(read_resource_text("js", "preview.js"))
        script.setWorldId(_WORLD)
        script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
        script.setRunsOnSubFrames(False)
        page.scripts().insert(script)
        page.message_received.connect(self._on_page_message)
        page.renderProcessTerminated.connect(self._on_render_process_terminated)
        frame.layout().addWidget(view)
        self._web_view = view
        self._web_frame = frame
        # A holder centres the view when a width preset makes it narrower than the pane,
        # and scrolls sideways when the preset is wider than the pane at a readable zoom.
        self._web_holder = QScrollArea(self)
        self._web_holder.setObjectName("previewHolder")
        self._web_holder.setFrameShape(QFrame.Shape.NoFrame)
        self._web_holder.setWidgetResizable(True)
        self._web_holder.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._web_holder.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        inner = QWidget(self._web_holder)
        row = QHBoxLayout(inner)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(0)
        row.addWidget(frame, 1)
        row.addStretch(0)
        self._web_holder.setWidget(inner)
        self._stack.addWidget(self._web_holder)
        self._stack.setCurrentWidget(self._web_holder)
        self._fit()

    def _use_browser(self, notice: str) -> None:
        if self.browser is None:
            self.browser = QTextBrowser(self)
            self.browser.setOpenExternalLinks(True)
            self._stack.addWidget(self.browser)
        self._stack.setCurrentWidget(self.browser)
        self._engine_notice = notice
        self._show_message(notice)

    def _on_render_process_terminated(self, status: object, code: int) -> None:
        from PySide6.QtWebEngineCore import QWebEnginePage  # loaded: a page emitted this

        if (
            self._closed
            or status == QWebEnginePage.RenderProcessTerminationStatus.NormalTerminationStatus
        ):
            return
        view, self._web_view = self._web_view, None
        self._web_wanted = False
        if view is not None:
            self._web_holder.hide()
            view.deleteLater()
        self._page_ready = False
        self._queued_js.clear()
        self._use_browser(
            "Preview is simplified: the web engine stopped (exit code "
            f"{code}), so pages are shown without the web template's full styling."
        )
        self._need_full = True
        self.schedule()

    @property
    def has_web_engine(self) -> bool:
        """The preview is (or will be, after the first paint) a QtWebEngine page."""
        return self._web_view is not None or (self._web_wanted and not self._closed)

    @property
    def render_count(self) -> int:
        """Markdown blocks rendered so far: an edit of one paragraph adds one."""
        return self._renderer.render_count

    @property
    def block_count(self) -> int:
        """Top-level Markdown blocks in the body the page shows."""
        return self._renderer.block_count

    # -- scheduling ------------------------------------------------------

    def set_resolver(self, resolver: Callable[[str], object] | None) -> None:
        """How `asset:` images get URLs (see `render.resolver_from`); the page reloads."""
        self._tasks.wait(5000)  # the renderer is the worker's while a job runs
        self._renderer.set_resolver(resolver)  # type: ignore[arg-type]
        self._need_full = True
        self.schedule()

    def set_corrections(self, source: Callable[[str], object] | None) -> None:
        """Where the corrections printed at the article's foot come from; the page reloads."""
        self._tasks.wait(5000)  # the renderer is the worker's while a job runs
        self._renderer.set_corrections(source)  # type: ignore[arg-type]
        self._need_full = True
        self.schedule()

    def set_site(self, templates_dir: str | None, site_name: str = "Newsroom",
                 base_url: str = "") -> None:  # fmt: skip
        """Render with the export's template folder and site settings; the page reloads."""
        self._tasks.wait(5000)  # the renderer is the worker's while a job runs
        self._renderer.set_site(templates_dir, site_name, base_url)
        self._need_full = True
        self.schedule()

    @property
    def patchable(self) -> bool:
        """False when the template has no `#article-body`: every edit loads the page whole."""
        return self._patchable

    @property
    def template_notice(self) -> str:
        """Why the built-in templates stand in for the newsroom's ("" when they do not)."""
        return self._renderer.notice

    def set_source(self, source: Callable[[], Article | None]) -> None:
        """Where snapshots come from; called only when a render actually starts."""
        self._source = source

    def schedule(self) -> None:
        """Render again once typing pauses; bursts of calls cost one render."""
        self._keep_scroll = True
        self._timer.start()
        if self._make_view_timer is not None and self._make_view_timer.isActive():
            # Still typing: the web view waits for a pause.
            self._make_view_timer.start(WEB_VIEW_IN_A_PAUSE_MS)

    def refresh_now(self) -> None:
        """Load the page afresh, from the top, e.g. for a newly opened article."""
        self._keep_scroll = False
        self._need_full = True
        self._timer.stop()
        self._start()

    @property
    def _in_flight(self) -> bool:
        """A render is running (or waits for the one running)."""
        return self._tasks.busy("render")

    def _start(self) -> None:
        if self._closed:
            return
        # Coalesce: one render in flight, one pending (the source is read when it starts).
        self._tasks.queue("render", self._begin)

    def _begin(self) -> None:
        article = self._source()
        if article is None:
            self._need_full = True
            self._show_nothing()
            return
        self._started_at = time.perf_counter()
        snapshot = replace(article, tags=list(article.tags))
        renderer = self._renderer
        # A page made before the web view is loaded whole once the view exists.
        if self._need_full or self._web_view is None or not self._patchable:
            self._need_full = False
            self._generation += 1
            work: Callable[[], object] = lambda: renderer.full(snapshot)  # noqa: E731
        else:
            work = lambda: renderer.update(snapshot)  # noqa: E731
        generation = self._generation
        self._tasks.run(
            lambda _job: work(),
            lane="render",
            success=lambda result: self._on_rendered(generation, result),
            failure=lambda error: self._on_failed(generation, error),
        )

    def _on_rendered(self, generation: int, result: object) -> None:
        if self._closed or generation != self._generation:
            return
        if isinstance(result, PageLoad):
            self._load(result)
        elif isinstance(result, BodyPatch):
            self._send_patch(result)

    def _on_failed(self, generation: int, error: BaseException) -> None:
        self._need_full = True  # the renderer's idea of the page may be off now
        if generation == self._generation:
            message = str(error) or type(error).__name__
            self._show_message(f"The preview could not be rendered: {message}")

    # -- showing ---------------------------------------------------------

    @property
    def html(self) -> str:
        """The page last loaded (before patches); see `body_parts` for the body since."""
        return self._html

    def _show_nothing(self) -> None:
        self._html = ""
        self._pending_load = None
        if self._web_view is not None:
            self._page_ready = False
            self._queued_js = []
            self._expected_url = QUrl()
            self._web_view.setHtml("", QUrl("about:blank"))
        elif self.browser is not None:
            self.browser.clear()

    def _load(self, load: PageLoad) -> None:
        if self._web_view is None and self._web_wanted and not self._closed:
            if self._waiting_for_paint or self.isVisible():
                self._pending_load = load  # loaded once the view is made, after the paint
                self._html = load.page_html
                return
            self._make_web_view()  # never shown yet: nothing to wait for
        self._html = load.page_html
        self._patchable = load.patchable
        notices = [text for text in (self._engine_notice, load.notice) if text]
        if notices:
            self._show_message("\n".join(notices))
        else:
            self._message.hide()
        if self._web_view is None:
            assert self.browser is not None
            bar = self.browser.verticalScrollBar()
            position = bar.value()
            if load.path is not None:  # the linked stylesheet resolves beside the page
                self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(load.path)))
            self.browser.setHtml(load.page_html)
            bar.setValue(position)
            self._shown()
            return
        self._page_ready = False
        # Without the body container there is nothing to patch: the page is loaded whole.
        reset = f"window.newsroomPreview.reset({json.dumps(load.parts)})"
        self._queued_js = [reset] if load.patchable else []
        page = self._web_view.page()
        # Ask the old page where it was scrolled, then load; restored once loaded.
        page.runJavaScript("window.scrollY", _WORLD, lambda y: self._navigate(load, y))

    def _navigate(self, load: PageLoad, scroll_y: object) -> None:
        # The answer comes back asynchronously: the pane may be closed or gone by then.
        if self._closed or not shiboken6.isValid(self) or self._web_view is None:
            return
        self._scroll_y = scroll_y if self._keep_scroll else 0
        assert load.path is not None
        self._expected_url = QUrl.fromLocalFile(str(load.path))
        self._web_view.setUrl(self._expected_url)

    def _on_page_ready(self, url: str) -> None:
        """The patcher announced itself in a page: the one we loaded, or a late old one."""
        if self._closed or self._web_view is None or self._page_ready:
            return
        if QUrl(url) != self._expected_url:
            return
        scroll_y = self._scroll_y if isinstance(self._scroll_y, int | float) else 0
        self._queued_js.append(f"window.scrollTo(0, {int(scroll_y)})")
        self._page_ready = True
        self._flush()

    def _send_patch(self, patch: BodyPatch) -> None:
        if patch.empty:
            self._shown()
            return
        calls = []
        if patch.remove or patch.insert:
            insert = json.dumps(patch.insert)
            calls.append(f"window.newsroomPreview.patch({patch.start}, {patch.remove}, {insert})")
        if patch.header_page is not None:
            calls.append(f"window.newsroomPreview.header({json.dumps(patch.header_page)})")
        self._queued_js.append(" && ".join(calls))
        if self._page_ready:
            self._flush()

    def _flush(self) -> None:
        """Send the queued calls as one script; the page's answer confirms the patch."""
        if not self._queued_js or self._web_view is None:
            return
        steps = "; ".join(f"if (({call}) === false) return false" for call in self._queued_js)
        # An exception comes back as its message, for `patch_error`; None means "not run".
        script = (
            f"(() => {{ try {{ {steps}; return true; }} catch (e) {{ return String(e); }} }})()"
        )
        self._queued_js = []
        self._web_view.page().runJavaScript(script, _WORLD, self._on_patched)

    def _on_patched(self, ok: object) -> None:
        if self._closed or not shiboken6.isValid(self):
            return
        if ok is not True:  # e.g. a page without the body container: load it whole
            self.patch_error = ok
            self._need_full = True
            self.schedule()
            return
        self._shown()

    def _shown(self) -> None:
        self.timings.append(time.perf_counter() - self._started_at)
        self.page_shown.emit()

    # -- scroll and clicks -----------------------------------------------

    def _on_page_message(self, message: dict) -> None:
        if "ready" in message:
            self._on_page_ready(str(message["ready"]))
        elif "scrolled" in message:
            position = message["scrolled"]
            if isinstance(position, dict) and int(position.get("block", -1)) >= 0:
                self.scrolled.emit(int(position["block"]), float(position.get("fraction", 0)))
        elif "clicked" in message:
            self.block_clicked.emit(int(message["clicked"]))

    def scroll_to_block(self, index: int, fraction: float = 0.0) -> None:
        """Bring Markdown block `index` to the top of the preview (`fraction` into it)."""
        if self._web_view is not None and self._page_ready:
            script = f"window.newsroomPreview.scrollToBlock({int(index)}, {float(fraction)})"
            self._web_view.page().runJavaScript(script, _WORLD)

    # -- width presets ---------------------------------------------------

    def set_width_preset(self, name: str) -> None:
        """ "fit", "desktop", "tablet" or "phone" (see `WIDTH_PRESETS`)."""
        self.width_bar.choose(name)
        self._fit()

    def _fit(self) -> None:
        # The page keeps its reading position through the new layout by itself
        # (preview.js, on "resize"), and says nothing to scroll sync meanwhile: the
        # reflow is not the person scrolling, so the editor must not follow it.
        if self._web_view is not None:
            fit_view(self._web_view, WIDTH_PRESETS[self.width_bar.current], self.width(),
                     frame=self._web_frame)  # fmt: skip

    @property
    def sideways(self) -> bool:
        """True when the chosen width, at a readable zoom, is wider than the pane."""
        if self._web_view is None:
            return False
        return self._web_holder.horizontalScrollBar().maximum() > 0

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _show_message(self, text: str) -> None:
        self._message.setText(text)
        self._message.show()

    def shutdown(self) -> None:
        """Stop timers and wait for a render in flight, before the window goes away."""
        self._closed = True
        self._timer.stop()
        self._tasks.shutdown(5000)
        shutil.rmtree(self._folder, ignore_errors=True)
