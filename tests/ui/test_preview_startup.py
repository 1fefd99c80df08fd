"""The preview costs the first paint nothing: QtWebEngine loads with the view, and the view
has a native window of its own, so the main window is never RHI composed."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from PySide6.QtWidgets import QWidget

from editor.ui.preview.widths import fit_view

_CHILD = """
import os, sys
os.environ.pop("QT_WIDGETS_RHI", None)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from editor.ui import app as app_module
app = app_module.make_application()
from editor.ui.preview.pane import PreviewPane
window = QWidget()
pane = PreviewPane(parent=window)
print("rhi:", os.environ.get("QT_WIDGETS_RHI", "-"))
print("engine before:", "PySide6.QtWebEngineWidgets" in sys.modules)
view = pane.web_view
print("engine after:", "PySide6.QtWebEngineWidgets" in sys.modules)
frame = pane.findChild(QWidget, "previewFrame")
native = frame.testAttribute(Qt.WidgetAttribute.WA_NativeWindow)
print("own window:", view.parentWidget() is frame and native)
pane.shutdown()
"""


def test_the_web_engine_loads_with_the_view_in_a_window_of_its_own() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    done = subprocess.run([sys.executable, "-c", _CHILD], env=env, capture_output=True,
                          text=True, timeout=120, check=True)  # fmt: skip
    lines = dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
    assert lines["rhi"] == "-"  # the main window is not composed through RHI
    assert lines["engine before"] == "False"
    assert lines["engine after"] == "True"
    assert lines["own window"] == "True"


def test_a_width_preset_sizes_the_frame_that_holds_the_view(qtbot) -> None:
    class View(QWidget):
        zoom = 1.0

        def zoomFactor(self) -> float:
            return self.zoom

        def setZoomFactor(self, zoom: float) -> None:
            self.zoom = zoom

    view, frame = View(), QWidget()
    qtbot.addWidget(view)
    qtbot.addWidget(frame)
    assert fit_view(view, 1200, 600, frame=frame)
    assert frame.minimumWidth() == frame.maximumWidth() == 720  # readable zoom 0.6
    assert view.minimumWidth() == 0
    assert view.zoom == 0.6
    assert not fit_view(view, 1200, 600, frame=frame)  # nothing changed the second time


def test_the_web_view_is_made_in_a_pause_of_typing(qtbot, monkeypatch) -> None:
    """Made `WEB_VIEW_AFTER_PAINT_MS` after the paint, or once no edit came for
    `WEB_VIEW_IN_A_PAUSE_MS`: its half a second on the GUI thread never lands between keys
    typed into a just-opened window."""
    from editor.ui.preview import pane as pane_module

    monkeypatch.setattr(pane_module, "WEB_VIEW_AFTER_PAINT_MS", 250)
    monkeypatch.setattr(pane_module, "WEB_VIEW_IN_A_PAUSE_MS", 150)
    made: list[bool] = []
    monkeypatch.setattr(pane_module.PreviewPane, "_make_web_view_now", lambda _p: made.append(1))
    window = QWidget()
    pane = pane_module.PreviewPane(parent=window)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: pane._make_view_timer is not None, timeout=3000)
    for _ in range(4):  # typing, a key every 100 ms: the view waits
        qtbot.wait(100)
        pane.schedule()
    assert not made
    qtbot.waitUntil(lambda: bool(made), timeout=3000)  # the pause came


def test_without_typing_the_web_view_waits_its_time_after_the_paint(qtbot, monkeypatch) -> None:
    from editor.ui.preview import pane as pane_module

    monkeypatch.setattr(pane_module, "WEB_VIEW_AFTER_PAINT_MS", 700)
    monkeypatch.setattr(pane_module, "WEB_VIEW_IN_A_PAUSE_MS", 100)
    made: list[float] = []
    monkeypatch.setattr(
        pane_module.PreviewPane, "_make_web_view_now", lambda _p: made.append(time.monotonic())
    )
    window = QWidget()
    pane = pane_module.PreviewPane(parent=window)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: pane._make_view_timer is not None, timeout=3000)
    started = time.monotonic()
    qtbot.wait(300)  # three pauses' worth, and no key: still not made
    assert not made
    qtbot.waitUntil(lambda: bool(made), timeout=3000)
    assert made[0] - started >= 0.6
