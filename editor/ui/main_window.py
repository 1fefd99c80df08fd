"""The main window: wires the article list, editor, preview and inspector together.

Panels talk through the editing session and the signal bus; this module only connects
them, lays them out and keeps the window's own state (title, status bar, geometry).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QPaintEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from editor.core.errors import NewsroomError
from editor.core.model import Article
from editor.core.text import counted
from editor.ui import dialogs
from editor.ui.actions import ActionRegistry
from editor.ui.articles.model import ArticleListModel
from editor.ui.articles.panel import ArticleListPanel
from editor.ui.body.copyfit import DocumentCounter
from editor.ui.body.editor import BodyEditor
from editor.ui.body.find_bar import FindBar
from editor.ui.body.focus_mode import FocusMode
from editor.ui.body.format_toolbar import FormatController, SmartTypography, build_format_toolbar
from editor.ui.body.headline import HeadlineEdit
from editor.ui.body.spelling import SpellingController
from editor.ui.body.stack import BodyStack, install_source_mode
from editor.ui.body.table_image_actions import install_tables_and_images
from editor.ui.body.undo import MetadataHistory, UndoRouter
from editor.ui.checks.panel import install_checks_panel
from editor.ui.desk.watch import DeskWatch
from editor.ui.import_export import backup_dialog
from editor.ui.import_export import file_dialogs as operations
from editor.ui.import_export.import_dialog import ImportController
from editor.ui.import_export.notes_panel import apply_note_action
from editor.ui.import_export.sync_actions import install_sync
from editor.ui.inspector.panel import MetadataInspector
from editor.ui.menus import build_main_toolbar, build_menus
from editor.ui.preferences_dialog import install_preferences
from editor.ui.preview.assets import preview_resolver
from editor.ui.preview.pane import PreviewPane
from editor.ui.preview.render import corrections_source
from editor.ui.preview.scroll_sync import ScrollSync
from editor.ui.review.panel import install_review
from editor.ui.session import locked_close
from editor.ui.session.conflict import install_conflict_merge
from editor.ui.session.early_article import EarlyArticle
from editor.ui.session.editing import EditingSession
from editor.ui.session.idle_gc import IdleCollector
from editor.ui.settings import Preferences, PreferenceStore, WindowState
from editor.ui.signals import NewsroomSignals
from editor.ui.status_bar import EditorStatusBar
from editor.ui.timers import debounce_timer
from editor.ui.window_layout import (
    EDITOR_MIN_WIDTH,
    EDITOR_STRETCH,
    LIST_MIN_WIDTH,
    PREVIEW_STRETCH,
    PanelSplitter,
    fit_on_screen,
)
from editor.ui.workflow.bar import ReadOnlyBanner
from editor.ui.workflow.controller import install_workflow

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom

APP_TITLE = "Newsroom Editor"


#: Work waiting for the first paint runs after this long anyway (see `after_first_paint`).
AFTER_PAINT_AT_MOST_MS = 3000

#: `after_close` of a window closed to restore a backup: (RESTORE_BACKUP, chosen file).
RESTORE_BACKUP = "restore_backup"


class MainWindow(QMainWindow):
    """Article list | editor | preview and inspector, over one `Newsroom`."""

    #: A `DamagedStoreError` found after opening (emitted from the checking thread).
    store_damaged = Signal(object)

    def __init__(self, newsroom: Newsroom, preferences: Preferences | None = None,
                 window_state: WindowState | None = None) -> None:  # fmt: skip
        super().__init__()
        self.setObjectName("mainWindow")
        self.newsroom = newsroom
        #: What the app should do once this window has closed (see `app.run_gui`).
        self.after_close: tuple[str, object] | None = None
        # What the person set in Edit > Preferences… (QSettings) over the given defaults.
        self.preferences = prefs = PreferenceStore().load(preferences or Preferences())
        self._window_state = window_state
        self.bus = NewsroomSignals(self)
        self.actions = ActionRegistry(self)
        self._last_deleted: tuple[str, str] | None = None
        self._start_article: str | None = None
        self._close_failures: list[str] | None = None
        self._closed = False  # set once closeEvent has accepted: nothing more starts
        self._painted = False
        self._after_paint: list[Callable[[], None]] = []  # see after_first_paint
        # Work waiting for a store that opens after the first paint (see when_store_open).
        self._store_waiting: list[Callable[[], None]] | None = (
            None if getattr(newsroom, "is_open", True) else []
        )

        # -- panels ------------------------------------------------------
        self.list_model = ArticleListModel(newsroom, prefs.list_page_size, self)
        self.article_list = ArticleListPanel(self.list_model, prefs.search_delay_ms)
        self.editor = BodyEditor(
            point_size=prefs.body_font_point_size, max_width=prefs.body_max_width_px
        )
        self.body_stack = BodyStack(self.editor)  # the rich editor or its Markdown source
        self.headline_field = HeadlineEdit(
            point_size=prefs.body_font_point_size + 9, max_width=prefs.body_max_width_px
        )
        self.format_toolbar = build_format_toolbar(self.actions, self)
        self.format_controller = FormatController(self.actions, self.editor)
        self.find_bar = FindBar(self.editor)
        self.typography = SmartTypography(self.editor, prefs.smart_typography, prefs.dash_style)
        self.preview = PreviewPane(prefs.preview_delay_ms)
        self.inspector = MetadataInspector()
        # Why the text cannot be changed, above it (filled by the workflow controller).
        self.read_only_bar = ReadOnlyBanner()
        self.status = EditorStatusBar(self.actions["edit_undo_delete"], self)
        self.setStatusBar(self.status)
        store = newsroom.store
        self.status.show_identity(newsroom.user.name, store.path.name if store.path else "store")

        self.session = EditingSession(
            newsroom,
            body_source=self.body_stack.markdown,
            resolve_conflict=lambda message: dialogs.ask_conflict(self, message),
            autosave_delay_ms=prefs.autosave_delay_ms,
            parent=self,
            body_is_empty=self.body_stack.is_empty,
        )
        self.session.autosave_on_focus_loss(self)
        self.early = EarlyArticle(self)  # shown before a store that opens after the paint
        self.spelling = SpellingController(
            newsroom, self.editor, self.actions["view_spell_check"], self,
            enabled=prefs.spell_check,
        )  # fmt: skip
        self.counter = DocumentCounter(self.editor.document())
        self.preview.set_source(self.session.snapshot)
        self.preview.set_resolver(preview_resolver(newsroom))  # asset: images, inlined
        self.preview.set_corrections(corrections_source(newsroom))  # printed at the foot
        self.scroll_sync = ScrollSync(self.editor, self.preview, self)
        self.history = MetadataHistory(self)

        self._word_timer = debounce_timer(self, 250, self._count_words)

        self._build_layout()
        build_menus(self, self.actions)
        self.undo_router = UndoRouter(
            self.actions["edit_undo"], self.actions["edit_redo"], self.body_stack, self.history,
            [self.headline_field, self.inspector], self,
        )  # fmt: skip
        main_toolbar = build_main_toolbar(self, self.actions)
        self.focus_mode = FocusMode(
            self, self.editor,
            [self.article_list, self.side_tabs, self.format_toolbar, main_toolbar,
             self.menuBar(), self.statusBar()],
            self.actions["view_focus_mode"], [self.actions[n] for n in self.actions.names()],
        )  # fmt: skip
        self.actions["view_typewriter"].toggled.connect(self.focus_mode.set_typewriter)
        self._connect()
        self.idle_gc = IdleCollector(self)  # full GC passes in idle time, not while typing
        self.session.opened.connect(self.idle_gc.opened)
        self.editor.body_edited.connect(self.idle_gc.active)
        self.review = install_review(self)  # Review tab, changes, history, dashboard
        install_source_mode(self)  # View > Markdown Source
        self.preferences_controller = install_preferences(self)  # Edit > Preferences…
        self.tables, self.images = install_tables_and_images(self)
        self.sync = install_sync(self)  # File > Sync with Desk, story packages
        # Last: it locks an approved article after the others have enabled their tools.
        self.workflow = install_workflow(self)
        self.desk_watch = DeskWatch(self)  # what colleagues change shows here too
        install_conflict_merge(self)  # Merge Both in a stale save: undoable
        self.place_first_window()
        self._show_article(None)

    # -- layout ----------------------------------------------------------

    def _build_layout(self) -> None:
        editor_column = QWidget()
        editor_column.setObjectName("editorColumn")
        column = QVBoxLayout(editor_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.format_toolbar)
        column.addWidget(self.read_only_bar)
        column.addWidget(self.headline_field)
        column.addWidget(self.body_stack, 1)
        column.addWidget(self.find_bar)

        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("sideTabs")
        self.side_tabs.setDocumentMode(True)
        self.side_tabs.addTab(self.preview, "Preview")
        self.side_tabs.addTab(self.inspector, "Details")
        self.checks = install_checks_panel(self)

        # Narrower, the headline wraps a letter a line and the toolbar is all overflow.
        editor_column.setMinimumWidth(EDITOR_MIN_WIDTH)
        self.article_list.setMinimumWidth(LIST_MIN_WIDTH)
        self.editor_column = editor_column

        self.splitter = PanelSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setHandleWidth(1)
        for widget in (self.article_list, editor_column, self.side_tabs):
            self.splitter.addWidget(widget)
        # No panel collapses to nothing: a collapsed list or preview is a 1 px line that
        # looks like a drawing fault, and the panels' minimum widths are what they need.
        self.splitter.setChildrenCollapsible(False)
        for index in range(self.splitter.count()):
            self.splitter.setCollapsible(index, False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, EDITOR_STRETCH)
        self._update_side_stretch()
        self.side_tabs.currentChanged.connect(self._update_side_stretch)
        self._share_splitter(self.preferences.default_window_width)
        self.setCentralWidget(self.splitter)

    def _update_side_stretch(self) -> None:
        """The preview shares a wider window's width; the Details, Review and Checks
        tabs are forms and lists that are as good at the width they have."""
        showing_preview = self.side_tabs.currentWidget() is self.preview
        side = PREVIEW_STRETCH if showing_preview else 0
        self.splitter.setStretchFactor(2, side)
        self.splitter.weights = [0, EDITOR_STRETCH, side]

    def _share_splitter(self, width: int) -> None:
        """Split `width` between the panels by the preferred shares."""
        shares = self.preferences.splitter_shares
        self.splitter.setSizes([int(width * share) for share in shares])

    def _available(self, rect: QRect | None = None) -> QRect | None:
        """The available geometry of the screen `rect` is on (the window's own screen,
        else the primary one); None without a screen."""
        screen = None
        if rect is not None:
            screen = QGuiApplication.screenAt(rect.center())
        screen = screen or self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else None

    def place_first_window(self, available: QRect | None = None) -> None:
        """The preferred first size, made to fit `available` (the screen's available
        geometry) and centred on it: the 1440x900 default was larger than a 1366x768
        screen, and than any screen at QT_SCALE_FACTOR=2, which put the right-hand
        panel off the screen."""
        prefs = self.preferences
        wanted = QRect(0, 0, prefs.default_window_width, prefs.default_window_height)
        available = available or self._available()
        if available is None:  # no screen at all: as asked
            self.resize(wanted.size())
            return
        rect = fit_on_screen(wanted, available, self.minimumSizeHint())
        self.resize(rect.size())
        self.move(rect.topLeft())
        self._share_splitter(rect.width())

    def keep_on_screen(self, available: QRect | None = None) -> None:
        """A normal (not maximised, not full screen) window larger than `available` (its
        screen's available geometry), or partly off it, is made to fit and centred: a
        geometry saved on a larger screen, or at another scale, must not open past the
        screen's edges."""
        if self.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            return
        current = self.geometry()
        available = available or self._available(current)
        if available is None:
            return
        # No margin here: a window the person made as large as the screen stays so.
        rect = fit_on_screen(current, available, self.minimumSizeHint(), margin=0, centre=False)
        if rect != current:
            self.setGeometry(rect)

    def _connect(self) -> None:
        a, session = self.actions, self.session
        a["file_new"].triggered.connect(self.new_article)
        a["file_save"].triggered.connect(lambda: session.save(reason="save"))
        a["file_import"].triggered.connect(self.import_files)
        self.importer = ImportController(self.newsroom, self)
        self.importer.finished.connect(self._on_imported)
        self.article_list.files_dropped.connect(self.import_paths)
        notes = self.inspector.import_notes
        notes.put_back_requested.connect(lambda i: apply_note_action(self, "put_back", i))
        notes.dismiss_requested.connect(lambda i: apply_note_action(self, "dismiss", i))
        a["file_export_html"].triggered.connect(self.export_html)
        a["file_export_site"].triggered.connect(self.export_site)
        a["file_restore_backup"].triggered.connect(lambda _checked=False: self.restore_backup())
        self.store_damaged.connect(self._on_store_damaged)
        a["file_quit"].triggered.connect(self.close)
        a["article_delete"].triggered.connect(self.delete_article)
        a["edit_undo_delete"].triggered.connect(self.undo_delete)
        a["view_find"].triggered.connect(self.article_list.focus_search)
        a["edit_find"].triggered.connect(self.find_bar.open_find)
        a["edit_replace"].triggered.connect(self.find_bar.open_replace)
        a["edit_paste_plain"].triggered.connect(self.editor.paste_plain_text)
        a["format_smart_typography"].setChecked(self.preferences.smart_typography)
        a["format_smart_typography"].toggled.connect(self.typography.set_enabled)
        a["format_apply_typography"].triggered.connect(self.typography.apply_to_body)

        self.article_list.article_activated.connect(self.open_article)
        self.editor.body_edited.connect(session.note_body_edited)
        self.editor.body_edited.connect(self.preview.schedule)
        self.editor.body_edited.connect(self._word_timer.start)
        self.inspector.field_edited.connect(self.edit_field)
        self.headline_field.headline_edited.connect(self._on_headline_typed)
        self.headline_field.return_pressed.connect(self.editor.setFocus)

        session.opened.connect(self.history.reset)
        session.opened.connect(self._show_article)
        session.opened.connect(self.spelling.article_opened)
        self.spelling.message.connect(lambda text: self.status.showMessage(text, 8000))
        self.history.value_restored.connect(self._restore_field)
        session.saved.connect(self._on_saved)
        session.created.connect(self.bus.article_created)
        session.dirty_changed.connect(self._on_dirty_changed)
        session.conflict_changed.connect(self._on_conflict_changed)
        session.field_rejected.connect(self.inspector.show_field_error)
        session.failed.connect(self._on_save_failed)
        session.autosave_failed.connect(self.status.show_save_failed)

        self.bus.article_saved.connect(self.list_model.update_article)
        self.bus.article_created.connect(lambda _article: self.list_model.reload())
        self.bus.article_deleted.connect(self.list_model.remove_article)
        self.bus.article_restored.connect(lambda _id: self.list_model.reload())
        self.bus.articles_reloaded.connect(self.list_model.reload)

    # -- opening and showing ---------------------------------------------

    def start(self, article_id: str | None = None) -> None:
        """Load the list, then open `article_id` if listed (or else the first article)."""
        self._start_article = article_id or ""
        self.list_model.query_finished.connect(
            lambda: self.when_store_open(self._open_at_start),
            Qt.ConnectionType.SingleShotConnection,
        )
        if self._store_waiting is not None and self.newsroom.reads_directly(self.list_model.query):
            # The store opens after the first paint; the list's first rows and the article
            # it opens with, read from its file in a few milliseconds, are in that paint.
            self.list_model.load_now()
            self.early.show(self._article_to_start(self._start_article))
        else:
            self.list_model.reload()
        # What colleagues change is looked for once the window is painted: its first look
        # (and the listening thread) would otherwise share the start-up's CPU and GIL.
        self.after_first_paint(lambda: self.when_store_open(self.desk_watch.start))

    def after_first_paint(self, work: Callable[[], None]) -> None:
        """Run `work` once this window has been painted (on the next turn of the event
        loop after its first paint, so the whole window is drawn first); at once when it
        is not shown or was painted already. Not at all once it has closed: what it
        starts has been shut down."""
        if not self.isVisible() or self._painted:
            work()
            return
        if not self._after_paint:  # a window shown minimised may not paint for a while
            QTimer.singleShot(AFTER_PAINT_AT_MOST_MS, self._run_after_paint)
        self._after_paint.append(work)

    def when_store_open(self, work: Callable[[], None]) -> None:
        """Run `work` now if the store is open, else once `open_store` has opened it."""
        if self._store_waiting is None:
            work()
        else:
            self._store_waiting.append(work)

    def open_store(self) -> None:
        """Open a store that was left to open after the first paint
        (`editor.services.deferred_open`), then run what waited for it; raises what the
        open raises."""
        if self._store_waiting is None:
            return
        self.newsroom.open()
        work, self._store_waiting = self._store_waiting, None
        for each in work:
            if not self._closed:
                each()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._run_after_paint)

    def _run_after_paint(self) -> None:
        work, self._after_paint = self._after_paint, []
        for each in work:
            if not self._closed:
                each()

    def _article_to_start(self, article_id: str | None) -> str | None:
        """`article_id` if listed, else the list's first article (None: the list is empty)."""
        if not article_id or self.list_model.row_of(article_id) is None:
            return self.list_model.summary(0).id if self.list_model.rowCount() else None
        return article_id

    def _open_at_start(self) -> None:
        article_id, self._start_article = self._start_article, None
        if article_id is None or self.session.article is not None:
            return  # the person already opened something
        article_id = self._article_to_start(article_id)
        if self.early.wanted_for(article_id):
            self.early.adopt(wanted=True)
        elif article_id:
            self.open_article(article_id)

    def recovered_at_start(self, article_id: str) -> None:
        """Unsaved work of `article_id` was restored into the store at start: the window
        opens it as the store now holds it, and the list (read for the first paint, before
        the restore) reads its rows again."""
        self.early.restored(article_id)
        self.list_model.reload()
        if self._start_article is not None:
            self._start_article = article_id
        else:
            self.open_article(article_id)

    def open_article(self, article_id: str) -> bool:
        self.early.adopt(wanted=False)  # what was typed before the store opened is kept
        opened = self.session.open(article_id)
        current = self.session.article
        self.article_list.select_article(current.id if current else None)
        return opened

    def _show_article(self, article: Article | None) -> None:
        if not self.early.keeps_text_of(article):  # else its text is in the editor
            self.body_stack.load_markdown(article.body if article else "")
        self.editor.setReadOnly(article is None)
        self.headline_field.setEnabled(article is not None)
        self.headline_field.setText(article.headline if article else "")
        self.format_controller.set_enabled(article is not None)
        for name in ("file_save", "file_export_html", "article_delete"):
            self.actions[name].setEnabled(article is not None)
        self.inspector.show_article(article)
        self.bus.article_opened.emit(article)
        if article is None:
            self.status.show_nothing_open()
        else:
            self.status.show_saved(article.updated_at)
            self.status.show_word_count(article.word_count)
            self._word_timer.start()  # characters, reading time and copy-fit
            self.article_list.select_article(article.id)
        self._update_title()
        self.preview.refresh_now()

    def edit_field(self, name: str, value: object) -> None:
        """A person changed the detail `name` (inspector, headline, a check's fix): undoable."""
        self.history.record(name, value)
        self._apply_field(name, value)

    def recount(self) -> None:
        """Counts, reading time and copy-fit again, after the next pause (250 ms)."""
        self._word_timer.start()

    def _restore_field(self, name: str, value: object) -> None:
        """Undo or redo put a detail back: show it where the person will see it, save it."""
        self.inspector.set_field_value(name, value)
        if name != "headline" and self.side_tabs.currentWidget() is not self.inspector:
            self.side_tabs.setCurrentWidget(self.inspector)
        self._apply_field(name, value)

    def _apply_field(self, name: str, value: object) -> None:
        if name == "headline" and self.headline_field.text() != value:
            self.headline_field.setText(str(value))
        self.session.note_field_edited(name, value)
        self.preview.schedule()
        self._update_title()
        if name == "length_target":
            self._count_words()

    def _on_headline_typed(self, text: str) -> None:
        self.inspector.headline.setText(text)
        self.edit_field("headline", text)

    def _on_saved(self, article: Article) -> None:
        self.inspector.show_saved(article, self.session.pending_fields)
        self.history.note_saved(article, self.session.pending_fields)
        self.status.show_saved(article.updated_at)
        self.bus.article_saved.emit(article)
        self._update_title()

    def _on_save_failed(self, message: str) -> None:
        if self._close_failures is not None:
            self._close_failures.append(message)  # closeEvent asks one question about it
        else:
            dialogs.show_error(self, APP_TITLE, message)

    def _on_dirty_changed(self, dirty: bool) -> None:
        self.setWindowModified(dirty)
        if dirty and not self.session.in_conflict:
            self.status.show_editing()

    def _on_conflict_changed(self, in_conflict: bool) -> None:
        if in_conflict:
            self.status.show_conflict()

    def _count_words(self) -> None:
        if self.session.article is None:
            return
        counts = self.counter.count()
        self.inspector.set_word_count(counts.words)
        target = self.session.field_value("length_target")
        try:
            target = int(str(target or "").replace(",", "")) or None
        except ValueError:
            target = self.session.article.length_target  # not a number (yet): the saved one
        self.status.show_counts(counts, target)

    def _update_title(self) -> None:
        if self.session.article is None:
            self.setWindowTitle(f"{APP_TITLE}[*]")
            return
        headline = self.headline_field.text().strip() or "Untitled"
        self.setWindowTitle(f"{headline}[*] — {APP_TITLE}")

    # -- commands --------------------------------------------------------

    def new_article(self) -> None:
        if self.session.create():
            self.headline_field.setFocus()

    def delete_article(self) -> None:
        article = self.session.article
        if article is None:
            return
        headline = self.headline_field.text().strip()
        decision = self.newsroom.delete_decision(article)
        if not decision.allowed:  # the rule of core.workflow, said before asking anything
            dialogs.show_error(self, "Delete Article", f"{decision.reason}.")
            return
        if not dialogs.confirm_delete(self, headline):
            return
        row = self.list_model.row_of(article.id)
        if not self.session.close_article():
            return
        try:
            self.newsroom.delete_article(article.id)
        except NewsroomError as error:
            dialogs.show_error(self, "Delete Article", str(error))
            self.open_article(article.id)
            return
        self._last_deleted = (article.id, headline)
        self.actions["edit_undo_delete"].setEnabled(True)
        self.status.offer_undo_delete(headline)
        self.bus.article_deleted.emit(article.id)
        count = self.list_model.rowCount()
        if count:
            # Open the neighbour that moved into the deleted row, as mail clients do.
            self.open_article(self.list_model.summary(min(row or 0, count - 1)).id)

    def undo_delete(self) -> None:
        if self._last_deleted is None:
            return
        article_id, _headline = self._last_deleted
        try:
            self.newsroom.restore_article(article_id)
        except NewsroomError as error:
            dialogs.show_error(self, "Undo Delete", str(error))
            return
        self._last_deleted = None
        self.actions["edit_undo_delete"].setEnabled(False)
        self.status.withdraw_undo_delete()
        self.status.clearMessage()
        self.bus.article_restored.emit(article_id)
        self.open_article(article_id)

    def import_files(self) -> None:
        """File > Import: choose files; they are imported off the GUI thread."""
        paths = operations.choose_import_paths(self)
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list) -> None:
        if self.importer.busy:
            self.status.showMessage("An import is already running.", 5000)
            return
        if self.session.save():
            self.importer.start(paths)

    def _on_imported(self, report) -> None:
        self.bus.articles_reloaded.emit()
        done = [*report.imported, *report.updated]
        parts = []
        if count := len(report.imported):
            parts.append(f"imported {count} article{'s' * (count != 1)}")
        if report.updated:
            parts.append(f"updated {len(report.updated)}")
        if report.skipped:
            parts.append(f"skipped {len(report.skipped)} imported before")
        if report.cancelled:
            parts.append(f"cancelled before {counted(len(report.not_started), 'file')}")
        if parts:
            message = "; ".join(parts)
            self.status.showMessage(message[0].upper() + message[1:] + ".", 8000)
        if done:
            self.open_article(done[0].id)

    def export_site(self) -> None:
        """File > Export Site…: the static site, on a worker thread (see export_dialog)."""
        if self.session.article is not None and not self.session.save():
            return
        from editor.ui.import_export.export_dialog import export_site_interactively

        report = export_site_interactively(self, self.newsroom)
        self.preferences_controller.sync_site()  # the dialog may have changed the templates
        if report is not None:
            self.status.showMessage(report.summary_lines()[0], 8000)

    def export_html(self) -> None:
        if not self.session.save():
            return
        if self.session.article is None:
            return
        path = operations.choose_and_export(self, self.session.article, self.newsroom)
        if path is not None:
            self.status.showMessage(f"Exported to {path}", 8000)

    # -- window state ----------------------------------------------------

    def _save_before_closing(self) -> bool:
        """Save; when the store refuses, let the person choose to quit without saving."""
        if self.early.typed_into:  # before the store opened: it opens now, to keep it
            with contextlib.suppress(NewsroomError):  # it would not: said as the app ends
                self.open_store()
        self._close_failures = failures = []
        put_back = self.status.show_saving_before_closing()
        try:
            saved = self.session.save(reason="autosave")
        finally:
            self._close_failures = None
        if saved:
            return True
        locked = locked_close.answer_on_locked_close(self, failures)
        if locked is not None:  # another program's lock: asked at once, nothing lost
            if not locked:
                put_back()
            return locked
        if not failures:
            put_back()
            return False  # e.g. "Keep Editing" in the conflict dialog: stay open
        closing = dialogs.ask_quit_without_saving(self, failures[-1])
        if not closing:
            put_back()
        return closing

    def restore_state(self) -> None:
        if self._window_state is None:
            return
        geometry = self._window_state.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
            self.keep_on_screen()
        splitter = self._window_state.splitter_state()
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self.side_tabs.setCurrentIndex(self._window_state.side_tab())

    def restore_backup(self) -> bool:
        """File > Restore from Backup…: choose one; the window then closes (saved) and the
        app restores it with the store shut, then opens the store again."""
        from editor.services import backups  # the store's half: not before the first paint

        store = self.newsroom.store
        try:
            location = backups.store_file(store.path or store.location)
            found = backups.list_backups(location)
        except NewsroomError as error:
            dialogs.show_error(self, "Restore from Backup", str(error))
            return False
        chosen = backup_dialog.choose_backup(self, location, found)
        if chosen is None:
            return False
        self.after_close = (RESTORE_BACKUP, chosen)
        if not self.close():  # the person kept an unsaved change
            self.after_close = None
            return False
        return True

    def _on_store_damaged(self, error: object) -> None:
        self.status.showMessage("The store is damaged: nothing more is saved", 0)
        dialogs.show_error(
            self,
            "The store is damaged",
            f"{error}\n\nNothing more is written to it. Copy what you need, then use "
            "File > Restore from Backup….",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._save_before_closing():
            event.ignore()
            return
        self._closed = True
        self.session.stop()
        self.preview.shutdown()
        self.importer.shutdown()
        self.sync.shutdown()
        self.desk_watch.shutdown()
        self.checks.shutdown()
        self.list_model.shutdown()
        self.workflow.shutdown()
        self.idle_gc.shutdown()
        if self._window_state is not None:
            current = self.session.article
            self._window_state.save(
                geometry=self.saveGeometry(),
                window_state=self.saveState(),
                splitter_state=self.splitter.saveState(),
                side_tab=self.side_tabs.currentIndex(),
                last_article_id=current.id if current else None,
            )
        event.accept()
