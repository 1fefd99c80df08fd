"""Support for `test_every_action.py`: fixture articles in every workflow state, a window
per (state, role), a recorder of exceptions and Qt warnings, a dialog closer and a
context-menu driver.

Nothing here fixes or stubs the editor: actions run through their real slots, dialogs
are really opened (with `exec()`) and answered by a timer, context menus are built by
the real handlers and only their `QMenu.exec()` is answered without showing a popup.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QEvent,
    QMessageLogContext,
    QObject,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QAction, QContextMenuEvent, QGuiApplication, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QWidget,
)

from editor.core.model import Role, Status
from editor.services import review
from editor.services.newsroom import Newsroom
from editor.ui.main_window import MainWindow
from editor.ui.settings import Preferences, WindowState

#: Short delays: the behaviour is the same, the run is faster.
FAST = Preferences(autosave_delay_ms=150, preview_delay_ms=50, search_delay_ms=30)

STATES: tuple[Status, ...] = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.CHANGES_REQUESTED,
    Status.APPROVED,
    Status.PUBLISHED,
    Status.CORRECTED,
    Status.SPIKED,
)

#: role key -> (user name, role); "author" wrote the fixture article.
ROLES: dict[str, tuple[str, Role]] = {
    "author": ("Rosa Reporter", Role.REPORTER),
    "other_reporter": ("Ray Rival", Role.REPORTER),
    "editor": ("Eddie Editor", Role.EDITOR),
    "admin": ("Ada Admin", Role.ADMIN),
}
#: The desk person who moves the fixture article through the workflow.
DESK = ("Bea Desk", Role.EDITOR)

HEADLINE = "Flood defences hold as river peaks"
FIRST_WORD = "council"  # a plain, correctly spelt word of the first paragraph
MISSPELT = "teh"
TABLE_CELL = "Ayr"
COMMENT_QUOTE = "stay away from the banks"
BODY = (
    "The council leader said the river rose two metres overnight and a spokesman said "
    f"{MISSPELT} water would fall by the weekend.\n"
    "\n"
    "| Town | Level |\n"
    "|:---|---:|\n"
    f"| {TABLE_CELL} | 2.1 |\n"
    "| Troon | 1.8 |\n"
    "\n"
    f"Residents were told to {COMMENT_QUOTE}, the council said.\n"
)
IMPORT_NOTES = [
    {"kind": "related", "text": "See also: River levels at a ten-year high", "position": 1},
    {"kind": "newsletter", "text": "Sign up to our morning newsletter.", "position": None},
]

#: Qt messages of the offscreen platform and of Chromium that say nothing about the
#: editor; anything else from Qt is a finding.
BENIGN_QT_MESSAGES = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
    "This plugin does not support grabbing the keyboard",
    "QFont::setPointSizeF: Point size <= 0",  # refined below if it ever shows up
    # Chromium (the preview's web engine) without a GPU on the offscreen platform.
    "GPUInfo not initialized",
    "QRhiGles2: Failed to create",
    "Failed to create RHI for backend",
    "This plugin does not support createPlatformVulkanInstance",
    "QVulkanInstance: Failed to initialize Vulkan",
    "GBM is not supported",
)


# -- the people and the fixture article ------------------------------------------------


def add_people(newsroom: Newsroom) -> None:
    """The four roles under test and the desk person (the store's first user is admin)."""
    for name, role in (*ROLES.values(), DESK):
        newsroom.add_user(name, role)


def as_user(store_newsroom: Newsroom, name: str) -> Newsroom:
    """Another face on the same store, acting as `name` (the window's user is untouched)."""
    face = Newsroom(store_newsroom.store, store_newsroom.user)
    face.switch_user(name)
    return face


def make_article(newsroom: Newsroom, state: Status) -> str:
    """A fixture article in `state`, written by the author, moved by the desk; its id.

    It has a misspelt word, a table, a comment on a passage and two import notes.
    """
    author = as_user(newsroom, ROLES["author"][0])
    desk = as_user(newsroom, DESK[0])
    article = author.create_article(
        HEADLINE,
        BODY,
        standfirst="The river peaked overnight.",
        section="Local",
        import_notes=IMPORT_NOTES,
    )
    at = BODY.find(COMMENT_QUOTE)
    desk.add_comment(
        article.id,
        **review.selection_anchor(BODY, at, at + len(COMMENT_QUOTE)),
        body="Who told them? Name the source.",
    )

    def step(face: Newsroom, action: str, note: str = "") -> None:
        nonlocal article
        article = face.transition(article.id, action, note, expected_version=article.version)

    if state is Status.SPIKED:
        step(desk, "spike", "Overtaken by events.")
    elif state is not Status.DRAFT:
        step(author, "submit", "Figures checked with the council.")
        if state is Status.CHANGES_REQUESTED:
            step(desk, "return", "Name the spokesman.")
        elif state is not Status.SUBMITTED:
            step(desk, "approve")
            if state in (Status.PUBLISHED, Status.CORRECTED):
                step(desk, "publish")
            if state is Status.CORRECTED:
                step(desk, "correct", "The level at Ayr was 2.1 metres, not 2.4.")
    assert article.status is state, (article.status, state)
    return article.id


# -- recording exceptions and Qt messages ----------------------------------------------


@dataclass
class Recorder:
    """Exceptions (sys.excepthook, threading.excepthook) and Qt warnings while active."""

    problems: list[str] = field(default_factory=list)

    def _excepthook(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        text = "".join(traceback.format_exception(kind, value, tb)).rstrip()
        self.problems.append(f"exception: {text}")

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        text = "".join(
            traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
        ).rstrip()
        self.problems.append(f"exception in thread {args.thread}: {text}")

    def _qt_message(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            return
        if any(message.startswith(benign) for benign in BENIGN_QT_MESSAGES):
            return
        where = f" ({context.file}:{context.line})" if context.file else ""
        # Where in Python it came from: the frames of the editor (a warning names no line).
        frames = [
            f"  {frame.filename.split('/work/main/')[-1]}:{frame.lineno} in {frame.name}"
            for frame in traceback.extract_stack()[:-1]
            if "/editor/" in frame.filename
        ]
        stack = ("\n" + "\n".join(frames[-6:])) if frames else ""
        self.problems.append(f"Qt {kind.name}: {message}{where}{stack}")

    @contextmanager
    def active(self) -> Iterator[Recorder]:
        old_hook, old_thread_hook = sys.excepthook, threading.excepthook
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_hook
        previous = qInstallMessageHandler(self._qt_message)
        try:
            yield self
        finally:
            qInstallMessageHandler(previous)
            sys.excepthook, threading.excepthook = old_hook, old_thread_hook


# -- answering dialogs -----------------------------------------------------------------

ANSWER_TEXT = "Answered by the every-action test."


def _visible_dialogs() -> list[QWidget]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and isinstance(w, QDialog | QMessageBox | QFileDialog | QInputDialog)
    ]


def _describe(widget: QWidget) -> str:
    title = widget.windowTitle() or widget.objectName() or ""
    if isinstance(widget, QMessageBox):
        return f"{type(widget).__name__}({title!r}: {widget.text()!r})"
    return f"{type(widget).__name__}({title!r})"


#: Words in a message that mean a Python value leaked into it (e.g. triggered(bool)).
LEAKED_VALUES = ("'False'", "'True'", "'None'", "“False”", "“None”", "<bound method")


class DialogCloser:
    """A repeating timer that answers every modal (or top-level) dialog that shows up.

    `accept=False` (the default) cancels: file dialogs are rejected, message boxes get
    their escape button, progress dialogs are cancelled, other dialogs rejected.
    `accept=True` answers yes: notes are filled in and the default button is pressed;
    file dialogs and progress dialogs are still rejected and cancelled.
    """

    def __init__(self, accept: bool = False, interval_ms: int = 15, limit: int = 25) -> None:
        self.accept = accept
        self.seen: list[str] = []
        self.problems: list[str] = []
        self._limit = limit
        self._handled: set[int] = set()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    @contextmanager
    def armed(self) -> Iterator[DialogCloser]:
        self._timer.start()
        try:
            yield self
        finally:
            self._timer.stop()

    def _tick(self) -> None:
        target = QApplication.activeModalWidget()
        if target is None or not target.isVisible():
            dialogs = _visible_dialogs()
            target = dialogs[-1] if dialogs else None
        if target is None:
            return
        key = id(target)
        if key in self._handled and target.isVisible():
            # Answered once and still there (an OK refused for an empty field): cancel.
            self._close(target, accept=False)
            return
        self._handled.add(key)
        described = _describe(target)
        self.seen.append(described)
        if isinstance(target, QMessageBox) and any(v in described for v in LEAKED_VALUES):
            self.problems.append(f"a message shows a Python value: {described}")
        if len(self.seen) > self._limit:
            self.problems.append(f"more than {self._limit} dialogs: {self.seen[-5:]}")
            self._timer.stop()
            return
        self._close(target, accept=self.accept)

    @staticmethod
    def _close(widget: QWidget, accept: bool) -> None:
        if isinstance(widget, QFileDialog):
            widget.reject()
        elif isinstance(widget, QProgressDialog):
            widget.cancel()
        elif isinstance(widget, QMessageBox):
            button = widget.defaultButton() if accept else widget.escapeButton()
            if button is None:
                button = widget.escapeButton() or widget.defaultButton()
            if button is not None:
                button.click()
            else:
                widget.reject()
        elif isinstance(widget, QInputDialog):
            if accept:
                widget.setTextValue(ANSWER_TEXT)
                widget.accept()
            else:
                widget.reject()
        elif isinstance(widget, QDialog):
            if accept:
                for note in widget.findChildren(QPlainTextEdit):
                    if note.isEnabled() and not note.isReadOnly() and not note.toPlainText():
                        note.setPlainText(ANSWER_TEXT)
                        break
                widget.accept()
            else:
                widget.reject()
        else:
            widget.close()


class Watchdog:
    """The per-case deadline that fails a case instead of hanging the run.

    A timer of the GUI thread: it runs inside any nested event loop (a modal dialog's
    `exec()`, a menu's popup). Until the deadline it does nothing (the step's own
    `DialogCloser` answers dialogs); after it, every tick notes what was open and closes
    it (dialogs rejected, progress cancelled, popups closed), so the case ends, failed.
    A hang outside any event loop (a loop in Python, a wait in C) is left to the hard
    limit: `faulthandler` dumps every thread's stack and ends the process, so CI never
    stalls on it.
    """

    def __init__(self, seconds: float, hard_seconds: float, interval_ms: int = 200) -> None:
        self.seconds = seconds
        self.hard_seconds = hard_seconds
        self.problems: list[str] = []
        self._deadline = 0.0
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    @property
    def expired(self) -> bool:
        return bool(self._deadline) and time.monotonic() > self._deadline

    @contextmanager
    def armed(self) -> Iterator[Watchdog]:
        import faulthandler

        self._deadline = time.monotonic() + self.seconds
        faulthandler.dump_traceback_later(self.hard_seconds, exit=True)
        self._timer.start()
        try:
            yield self
        finally:
            self._timer.stop()
            faulthandler.cancel_dump_traceback_later()
            self._deadline = 0.0

    def _tick(self) -> None:
        if not self.expired:
            return
        popup = QApplication.activePopupWidget()
        if popup is not None:
            self.problems.append(f"timed out after {self.seconds:.0f} s in a popup menu")
            popup.close()
        for widget in [QApplication.activeModalWidget(), *_visible_dialogs()]:
            if widget is None or not widget.isVisible():
                continue
            self.problems.append(
                f"timed out after {self.seconds:.0f} s with {_describe(widget)} open"
            )
            if isinstance(widget, QProgressDialog):
                widget.cancel()
            if isinstance(widget, QDialog):
                widget.reject()
            widget.close()
        if not self.problems:
            self.problems.append(f"timed out after {self.seconds:.0f} s")


# -- context menus ---------------------------------------------------------------------


def menu_entries(menu: QMenu, prefix: str = "") -> list[tuple[str, QAction]]:
    """Every action of `menu` and its submenus as (path, action), separators left out."""
    entries: list[tuple[str, QAction]] = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        label = prefix + action.text().replace("&", "")
        if action.menu() is not None:
            entries.extend(menu_entries(action.menu(), label + " > "))
        else:
            entries.append((label, action))
    return entries


class MenuDriver(QObject):
    """Answers the real popup of a context menu (`QMenu.exec()` runs as usual).

    An application event filter sees each menu as it is shown and answers that very menu
    once it is the active popup: lists its entries (`last`) and, when `choose` names one,
    activates it as the keyboard does (the entry made current, Return), which closes the
    menu and triggers it; otherwise the menu is closed unanswered. (A timer polling for the
    active popup could meet the menu of the opening before, still closing, and miss this
    one on a busy machine.)
    """

    def __init__(self) -> None:
        super().__init__()
        self.last: list[tuple[str, QAction]] | None = None
        self.choose: str | None = None
        self.chosen: QAction | None = None

    @contextmanager
    def installed(self) -> Iterator[MenuDriver]:
        app = QApplication.instance()
        app.installEventFilter(self)
        try:
            yield self
        finally:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QMenu):
            menu = watched
            QTimer.singleShot(0, menu, lambda: self._answer(menu, tries=200))
        return False

    def _answer(self, menu: QMenu, tries: int) -> None:
        if not menu.isVisible():
            return
        if QApplication.activePopupWidget() is not menu:  # not yet the popup, or a submenu
            if tries > 0 and not isinstance(menu.parentWidget(), QMenu):
                QTimer.singleShot(5, menu, lambda: self._answer(menu, tries - 1))
            return
        entries = menu_entries(menu)
        self.last = entries
        found = [action for label, action in entries if label == self.choose]
        if self.choose is None or not found:
            menu.close()
            return
        action = found[0]
        self.chosen = action
        self.choose = None  # once: a menu the entry opens again is closed
        if not action.isEnabled():
            menu.close()
            return
        menu.setActiveAction(action)
        QTest.keyClick(menu, Qt.Key.Key_Return)
        if menu.isVisible():  # an entry of a submenu: Return on the menu did not take it
            menu.close()


def context_menu_at(widget: QWidget, point: QPoint) -> None:
    """A right-click at `point` of `widget` (a viewport), as the window system sends it."""
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, widget.mapToGlobal(point))
    QApplication.sendEvent(widget, event)


# -- one window per (state, role) ------------------------------------------------------

#: The running case's watchdog (set by the test), which `settle` obeys.
WATCHDOG: Watchdog | None = None


def settle(timeout_s: float = 5.0, until: Callable[[], bool] | None = None) -> bool:
    """Process events until `until()` holds (or a short pause without it); True if held."""
    deadline = time.monotonic() + timeout_s
    if WATCHDOG is not None and WATCHDOG.expired:
        deadline = 0.0  # the case is over: one pass, no waiting
    while True:
        QApplication.processEvents()
        if until is None or until():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)


def responsive(timeout_s: float = 5.0) -> bool:
    """A zero-timer posted now fires: the event loop is not stuck."""
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    return settle(timeout_s, lambda: bool(fired))


def close_window(window: MainWindow) -> None:
    """As the tests' make_window fixture does after a test."""
    window.list_model.shutdown()
    if window.isVisible():
        window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


class Harness:
    """A store with the fixture people, a window acting as one role, and its article."""

    made = 0

    def __init__(self, folder: Path, state: Status, role: str) -> None:
        self.state, self.role = state, role
        self.opened: dict[str, list[str]] = {}  # step -> non-modal windows it opened
        self.fresh_count = 0  # fixture articles opened (a reset that had to start afresh)
        self.menus: dict[str, list[str]] = {}  # context menu -> entries triggered
        self.user_name = ROLES[role][0]
        Harness.made += 1  # a window built again later gets a store of its own
        self.newsroom = Newsroom.open(folder / f"{state.value}-{role}-{Harness.made}.db")
        add_people(self.newsroom)
        self.newsroom.switch_user(self.user_name)
        self.article_id = make_article(self.newsroom, state)
        self.window = self.new_window()
        self.window.side_tabs.setCurrentWidget(self.window.inspector)
        self.open_fresh(self.article_id)

    def new_window(self) -> MainWindow:
        window = MainWindow(self.newsroom, FAST, WindowState(QSettings()))
        window.show()
        window.start(None)
        settle(5, lambda: not window.list_model.busy and window.session.article is not None)
        return window

    @property
    def article(self):
        return self.window.session.article

    def open_fresh(self, article_id: str | None = None) -> None:
        """Open a new fixture article (or `article_id`) and wait for the panels."""
        window = self.window
        self.article_id = article_id or make_article(self.newsroom, self.state)
        window.list_model.reload()
        assert window.open_article(self.article_id), "the fixture article does not open"
        self.version = window.session.article.version
        settle(5, lambda: not window.list_model.busy)
        # What `baseline` compares with: anything else means the last step changed it.
        self.text = window.editor.toPlainText()
        self.comments = self.newsroom.list_comments(self.article_id)
        self.fresh_count += 1

    def baseline(self) -> None:
        """Back to the fixture: the role's user, the article unchanged, the rich editor."""
        window = self.window
        if self.newsroom.user.name != self.user_name:
            window.workflow.switch_user(self.user_name)
        if window.actions["view_focus_mode"].isChecked():
            window.actions["view_focus_mode"].trigger()
        if window.actions["view_markdown_source"].isChecked():
            window.actions["view_markdown_source"].trigger()
        if not window.actions["view_spell_check"].isChecked():
            window.actions["view_spell_check"].trigger()
        window.find_bar.hide()
        checker = window.spelling.checker
        if checker.in_dictionary(MISSPELT):  # Add to Dictionary (for everyone) or Ignore
            self.newsroom.remove_dictionary_word(MISSPELT)
            checker.remove_word(MISSPELT)
            self.open_fresh()  # a new article: nothing ignored, underlined again
        if self.changed():
            self.open_fresh()
        window.activateWindow()

    def changed(self) -> bool:
        """Whether the window no longer shows the fixture as opened: another article, an
        unsaved edit, a save or status change, other text, comments added or resolved.
        Nothing changed (most steps, every step on a read-only story): nothing rebuilt."""
        window = self.window
        current = self.article
        if current is None or current.id != self.article_id or window.session._dirty:
            return True
        try:
            stored = self.newsroom.get_article(self.article_id)
            comments = self.newsroom.list_comments(self.article_id)
        except Exception:  # deleted or gone: a fresh one
            return True
        return (
            stored.status is not self.state
            or stored.version != self.version
            or current.version != self.version
            or comments != self.comments
            or window.editor.toPlainText() != self.text
        )

    # -- where the cursor stands ---------------------------------------------------------

    def cursor_on(self, text: str, select: bool = True, source: bool = False) -> QTextCursor:
        editor = self.window.body_stack.source if source else self.window.editor
        document = editor.document()
        found = document.find(text)
        assert not found.isNull(), f"{text!r} not in the body"
        cursor = QTextCursor(found)
        if not select:
            cursor.setPosition(found.selectionStart() + 1)
        editor.setTextCursor(cursor)
        return cursor

    def point_of(self, cursor: QTextCursor, source: bool = False) -> QPoint:
        editor = self.window.body_stack.source if source else self.window.editor
        editor.ensureCursorVisible()
        plain = QTextCursor(cursor)
        plain.setPosition(cursor.selectionStart() + 1)
        return editor.cursorRect(plain).center()

    def close(self) -> None:
        close_window(self.window)
        self.newsroom.close()


def set_clipboard() -> None:
    QGuiApplication.clipboard().setText("Pasted words from the wire.")


def visible_top_levels() -> list[QWidget]:
    """Visible top-level widgets other than tooltips."""
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible()
        and type(w).__name__ not in {"QTipLabel"}
        and w.windowType() != Qt.WindowType.ToolTip
    ]


def close_leftovers(keep: set[int]) -> list[str]:
    """Close every visible top-level widget not in `keep`; what was open, described."""
    left: list[str] = []
    for widget in visible_top_levels():
        if id(widget) in keep:
            continue
        left.append(_describe(widget))
        if isinstance(widget, QDialog):
            widget.reject()
        widget.close()
    if left:
        settle(0.1)
    return left


def buttons_of(widget: QWidget) -> list[QAbstractButton]:
    return [b for b in widget.findChildren(QAbstractButton) if b.isVisible()]
