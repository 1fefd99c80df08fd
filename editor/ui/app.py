"""The GUI entry point: `run_gui` makes the application, opens the store, shows the window."""

from __future__ import annotations

import sys

import qtawesome
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from editor.core.errors import NewsroomError, UserRequiredError
from editor.core.newsroom import Newsroom
from editor.ui.main_window import MainWindow
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
        window.start(window_state.last_article_id())
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
    """Open the store as the named user, the remembered one, or the one the person picks.

    None when the person declines to say who they are.
    """
    try:
        return Newsroom.open(store_location, user_name)
    except UserRequiredError as error:
        names = error.names
    remembered = window_state.user_name()
    if remembered not in names:
        chosen, ok = QInputDialog.getItem(
            None,
            f"{APPLICATION}: who are you?",
            "Several people use this store. Work as:",
            names,
            0,
            False,
        )
        if not ok:
            return None
        remembered = chosen
    newsroom = Newsroom.open(store_location, remembered)
    window_state.remember_user(remembered)
    return newsroom
