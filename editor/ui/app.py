"""The GUI entry point: `run_gui` makes the application, opens the store, shows the window."""

from __future__ import annotations

import sys

import qtawesome
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from editor.core.errors import NewsroomError
from editor.core.newsroom import Newsroom
from editor.ui import users_dialog
from editor.ui.main_window import MainWindow
from editor.ui.recovery_offer import offer_recovery
from editor.ui.settings import APPLICATION, ORGANISATION, Preferences, WindowState
from editor.ui.theme import apply_theme

EXIT_STORE_ERROR = 2
EXIT_CANCELLED = 1


def make_application() -> QApplication:
    """The one QApplication, named before any QSettings exists."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setWindowIcon(qtawesome.icon("fa6s.newspaper", color="#1d5fa8"))
    apply_theme(app)
    return app


def run_gui(store_location: str | None, user_name: str | None) -> int:
    """Open the editor window on a store; 2 when the store cannot be opened."""
    app = make_application()
    window_state = WindowState()
    try:
        newsroom = _open_as_someone(store_location, user_name, window_state)
    except NewsroomError as error:
        QMessageBox.critical(None, f"{APPLICATION}: cannot open the store", str(error))
        return EXIT_STORE_ERROR
    if newsroom is None:
        return EXIT_CANCELLED
    window: MainWindow | None = None
    try:
        window = MainWindow(newsroom, Preferences(), window_state)
        window.restore_state()
        window.show()
        # Work a killed or crashed run did not save is offered back before anything opens.
        recovered = offer_recovery(window, newsroom, report=window.status.showMessage)
        window.start(recovered or window_state.last_article_id())
        return app.exec()
    finally:
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
