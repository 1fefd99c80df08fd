"""The GUI entry point: `run_gui` makes the application, opens the store, shows the window."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, MutableMapping
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from editor.core.errors import DamagedStoreError, NewsroomError
from editor.services.deferred_open import DeferredNewsroom
from editor.ui import icons
from editor.ui.background import Background
from editor.ui.import_export import backup_dialog
from editor.ui.main_window import RESTORE_BACKUP, MainWindow
from editor.ui.session.end import SessionEnd
from editor.ui.session.recovery_offer import offer_recovery
from editor.ui.settings import APPLICATION, ORGANISATION, Preferences, WindowState
from editor.ui.theme import apply_theme
from editor.ui.workflow import users_dialog

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom

#: Python's thread switch interval while the store opens on a worker after the first paint.
OPENING_SWITCH_INTERVAL_S = 0.0005

EXIT_STORE_ERROR = 2
EXIT_CANCELLED = 1


#: The one line said on stderr when the preview's sandbox is turned off for root.
ROOT_SANDBOX_WARNING = "newsroom: running as root: the preview's Chromium sandbox is off"


def chromium_flags_for(euid: int | None, flags: str, sandbox_disabled: bool = False) -> str | None:
    """The QTWEBENGINE_CHROMIUM_FLAGS to use, or None to leave them as they are.

    Chromium (Qt WebEngine, the preview) refuses to start as root with its sandbox on,
    and the whole window dies with it. As root (effective uid 0) the sandbox cannot
    protect much anyway, so `--no-sandbox` is added unless the person already said so
    (the flag, or QTWEBENGINE_DISABLE_SANDBOX=1). Anyone else keeps the sandbox.
    """
    if euid != 0 or sandbox_disabled or "--no-sandbox" in flags.split():
        return None
    return f"{flags} --no-sandbox".strip()


def allow_preview_as_root(
    environ: MutableMapping[str, str] | None = None,
    euid: int | None = None,
    warn: TextIO | None = None,
) -> bool:
    """Before QApplication exists: turn the preview's sandbox off for root, saying so once.

    True when the flags were changed. `environ`, `euid` and `warn` default to the
    process's own (tests pass their own).
    """
    environ = os.environ if environ is None else environ
    if euid is None:
        geteuid = getattr(os, "geteuid", None)  # not on Windows, where there is no root
        euid = geteuid() if geteuid is not None else None
    disabled = environ.get("QTWEBENGINE_DISABLE_SANDBOX", "") not in ("", "0")
    flags = chromium_flags_for(euid, environ.get("QTWEBENGINE_CHROMIUM_FLAGS", ""), disabled)
    if flags is None:
        return False
    environ["QTWEBENGINE_CHROMIUM_FLAGS"] = flags
    print(ROOT_SANDBOX_WARNING, file=warn or sys.stderr)
    return True


def make_application() -> QApplication:
    """The one QApplication, named before any QSettings exists."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        # No QT_WIDGETS_RHI: the preview's web view has a native window of its own
        # (`editor.ui.preview.pane._WebHost`), so this window stays raster composed.
        allow_preview_as_root()  # Chromium reads its flags once, when the preview starts
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setWindowIcon(icons.icon("fa6s.newspaper", color="#1d5fa8"))
    apply_theme(app)
    return app


def run_gui(store_location: str | None, user_name: str | None) -> int:
    """Open the editor window on a store; 2 when the store cannot be opened.

    A damaged store is refused with its latest good backup offered; File > Restore from
    Backup… closes the window (saved), restores with the store closed and opens again.
    A local store that knows the person is opened once the window is painted
    (`editor.services.deferred_open`); what that open says comes as it would before.
    """
    app = make_application()
    window_state = WindowState()
    while True:
        try:
            newsroom = _open_as_someone(store_location, user_name, window_state)
            if newsroom is None:
                return EXIT_CANCELLED
            location = newsroom.store.path or newsroom.store.location
            user_name = newsroom.user.name if newsroom.has_user else user_name
            code, after = _run_window(app, newsroom, window_state)
        except DamagedStoreError as error:
            if backup_dialog.offer_backup_for_damaged_store(None, error) is not None:
                continue  # restored: open it again
            return EXIT_STORE_ERROR
        except NewsroomError as error:
            QMessageBox.critical(None, f"{APPLICATION}: cannot open the store", str(error))
            return EXIT_STORE_ERROR
        if after is None or after[0] != RESTORE_BACKUP:
            return code
        chosen = after[1]
        backup_dialog.restore_from_backup(
            None, location, close_store=lambda: True, reopen=lambda: None,
            choose=lambda *_args, chosen=chosen: chosen,
        )  # fmt: skip
        # Round again: the store opens as it now is, restored (or as it was, if that failed).


def _run_window(app: QApplication, newsroom: Newsroom, window_state: WindowState):
    """Show the window until it closes; the exit code and what it asked for after.

    Raises what opening a deferred store raised (the window closes first).
    """
    window: MainWindow | None = None
    ending: SessionEnd | None = None
    stop_watching: list[Callable[[], None]] = []
    failure: list[NewsroomError] = []

    def watch_and_recover() -> str | None:
        """Damage found later is watched for; unsaved work a killed run left is offered
        back (before the window opens an article from the store): the article restored."""
        from editor.services import backups  # the store's half (imported by now)

        stop_watching.append(backups.on_damage(window.store_damaged.emit))  # its thread
        return offer_recovery(window, newsroom, report=window.status.showMessage)

    def open_store() -> None:
        """After the first paint, on a worker: the window's thread takes typing meanwhile.
        The GIL is handed over every 0.5 ms meanwhile (not 5): a key waits for it less."""
        interval = sys.getswitchinterval()
        sys.setswitchinterval(OPENING_SWITCH_INTERVAL_S)

        def open_here(_job: object) -> Newsroom:
            try:
                return newsroom.open_here()
            finally:
                sys.setswitchinterval(interval)

        Background(window).run(open_here, success=store_opened, failure=not_opened)

    def store_opened(_newsroom: object) -> None:
        """What the store left unsaved is offered back, then the window opens its article."""
        if not window.isVisible():
            return  # closed meanwhile
        recovered = watch_and_recover()
        if recovered:
            window.recovered_at_start(recovered)
        window.open_store()

    def not_opened(error: BaseException) -> None:
        if not isinstance(error, NewsroomError):
            raise error
        failure.append(error)
        window.close()

    try:
        window = MainWindow(newsroom, Preferences(), window_state)
        window.restore_state()
        window.show()
        # SIGTERM, SIGHUP and logout save what is open, as closing the window does.
        shown = window
        ending = SessionEnd(
            app, close=shown.close, save=lambda: shown.session.save(reason="autosave")
        )
        if isinstance(newsroom, DeferredNewsroom):
            window.after_first_paint(open_store)
            window.start(window_state.last_article_id())
        else:
            window.start(watch_and_recover() or window_state.last_article_id())
        code = app.exec()
        if failure:
            raise failure[0]
        return code, window.after_close
    finally:
        for stop in stop_watching:
            stop()
        if ending is not None:
            ending.uninstall()
        if window is not None:
            # Delete the window (and its web page) before the store and the web profile go.
            window.deleteLater()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        newsroom.close()


def _open_as_someone(
    store_location: str | None, user_name: str | None, window_state: WindowState
) -> Newsroom | None:
    """Open the store as the named user, the remembered one, or the one the person picks
    (the first start always asks: see `users_dialog.open_as_someone`).

    None when the person declines to say who they are.
    """
    return users_dialog.open_as_someone(store_location, user_name, window_state)
