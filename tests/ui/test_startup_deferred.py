"""Start-up work that waits for the window's first paint (issue 13): it still happens."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from editor.ui.main_window import MainWindow
from editor.ui.settings import WindowState
from tests.ui.conftest import FAST


def test_work_waits_for_the_first_paint_then_runs_once(app, qtbot, newsroom) -> None:
    window = MainWindow(newsroom, FAST, WindowState(QSettings()))
    qtbot.addWidget(window)
    ran: list[str] = []
    window.after_first_paint(lambda: ran.append("hidden"))
    assert ran == ["hidden"], "a window not shown runs it at once"
    window.show()
    window.after_first_paint(lambda: ran.append("shown"))
    assert ran == ["hidden"], "not before the paint"
    qtbot.waitUntil(lambda: ran == ["hidden", "shown"], timeout=5000)
    window.after_first_paint(lambda: ran.append("later"))
    assert ran == ["hidden", "shown", "later"], "after the first paint: at once"
    qtbot.wait(50)
    assert ran == ["hidden", "shown", "later"], "each ran once"
    window.close()


def test_work_waiting_for_a_closed_window_does_not_run(app, qtbot, newsroom) -> None:
    window = MainWindow(newsroom, FAST, WindowState(QSettings()))
    qtbot.addWidget(window)
    window.show()
    ran: list[str] = []
    window.after_first_paint(lambda: ran.append("late"))
    window.close()
    qtbot.wait(100)
    assert ran == []


def test_the_desk_watch_starts_after_the_window_is_painted(make_window, qtbot) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.desk_watch._timer.isActive(), timeout=5000)
