"""SIGTERM and SIGHUP save the open article and close the window; a logout's data request
saves without closing (the session manager may still cancel the logout)."""

from __future__ import annotations

import os
import signal
from dataclasses import replace

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from editor.ui.session.end import SessionEnd
from tests.ui.conftest import FAST

SLOW_AUTOSAVE = replace(FAST, autosave_delay_ms=60_000)  # only the signal can save


def _typed_window(make_window, newsroom, qtbot):
    article = newsroom.create_article("Storm", "The wall held.\n")
    window = make_window(SLOW_AUTOSAVE)
    window.open_article(article.id)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, " Then it fell.")
    return window, article


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_an_ending_signal_saves_and_closes(make_window, newsroom, qtbot, number) -> None:
    window, article = _typed_window(make_window, newsroom, qtbot)
    ending = SessionEnd(QApplication.instance(), close=window.close, save=lambda: None)
    try:
        os.kill(os.getpid(), number)
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    finally:
        ending.uninstall()
    assert "Then it fell." in newsroom.get_article(article.id).body


def test_a_logout_saves_without_closing(make_window, newsroom, qtbot) -> None:
    window, article = _typed_window(make_window, newsroom, qtbot)
    app = QApplication.instance()
    ending = SessionEnd(
        app, close=window.close, save=lambda: window.session.save(reason="autosave")
    )
    try:
        ending._on_commit_data(None)  # what commitDataRequest delivers at logout
    finally:
        ending.uninstall()
    assert window.isVisible()
    assert "Then it fell." in newsroom.get_article(article.id).body


def test_uninstall_gives_the_signals_back(app) -> None:
    before = signal.getsignal(signal.SIGTERM)
    SessionEnd(QApplication.instance(), close=lambda: None, save=lambda: None).uninstall()
    assert signal.getsignal(signal.SIGTERM) is before
