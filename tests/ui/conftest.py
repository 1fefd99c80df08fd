"""Fixtures for the GUI tests: real windows over real SQLite stores in tmp, settings in tmp."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication

from editor.services.newsroom import Newsroom
from editor.ui.main_window import MainWindow
from editor.ui.settings import APPLICATION, ORGANISATION, Preferences, WindowState

#: Short delays keep the suite fast; the behaviour under test is the same.
FAST = Preferences(autosave_delay_ms=150, preview_delay_ms=50, search_delay_ms=30)


@pytest.fixture(scope="session", autouse=True)
def _settings_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Never read or write the real user's settings."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Each test starts from empty settings: a preference saved by one test (Preferences
    OK, a remembered toggle) must not change what the next one sees."""
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    qapp.setOrganizationName(ORGANISATION)
    qapp.setApplicationName(APPLICATION)
    return qapp


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "newsroom.db"


@pytest.fixture
def newsroom(store_path: Path) -> Iterator[Newsroom]:
    room = Newsroom.open(store_path)
    yield room
    room.close()


@pytest.fixture
def make_window(app: QApplication, qtbot, newsroom: Newsroom):
    """Build a shown main window over `newsroom`; closed (and so saved) after the test."""
    windows: list[MainWindow] = []

    def make(preferences: Preferences = FAST, room: Newsroom | None = None) -> MainWindow:
        window = MainWindow(room or newsroom, preferences, WindowState(QSettings()))
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.list_model.query_finished, timeout=5000):
            window.start()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.list_model.shutdown()  # before the store closes, even if the test closed it
        if window.isVisible():
            window.close()
        # Delete now, not at interpreter exit: a web page outliving its profile crashes.
        window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def wait_for_list(qtbot, model) -> None:
    """Until the article list has applied every query asked of it."""
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)


@pytest.fixture
def editor(qtbot):
    """A body editor alone, shown at 700x500."""
    from editor.ui.body.editor import BodyEditor

    widget = BodyEditor()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    return widget
