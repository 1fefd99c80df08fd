"""Width presets for the preview: see the responsive page as a desktop, tablet or phone shows it.

A preset lays the page out at that many CSS pixels: the view is at most that wide, and
when the pane is narrower the page is zoomed out so the layout still gets the full width.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QToolButton, QWidget

#: Name -> layout width in CSS pixels (0: the pane's own width).
WIDTH_PRESETS: dict[str, int] = {"fit": 0, "desktop": 1200, "tablet": 768, "phone": 390}
_LABELS = {"fit": "Fit", "desktop": "Desktop", "tablet": "Tablet", "phone": "Phone"}
_TIPS = {
    "fit": "Lay the page out at the width of this pane",
    "desktop": "Show the page as a 1200 px wide desktop browser does",
    "tablet": "Show the page as a 768 px wide tablet does",
    "phone": "Show the page as a 390 px wide phone does",
}
_MIN_ZOOM = 0.25  # Qt WebEngine's lowest zoom factor


class WidthBar(QWidget):
    """A small segmented control above the preview: Fit | Desktop | Tablet | Phone."""

    preset_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewWidthBar")
        self.current = "fit"
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[str, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        layout.addStretch(1)
        for name in WIDTH_PRESETS:
            button = QToolButton(self)
            button.setObjectName(f"previewWidth_{name}")
            button.setText(_LABELS[name])
            button.setToolTip(_TIPS[name])
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setChecked(name == self.current)
            button.clicked.connect(lambda _checked=False, name=name: self.choose(name))
            self._group.addButton(button)
            layout.addWidget(button)
            self.buttons[name] = button
        layout.addStretch(1)

    def choose(self, name: str) -> None:
        if name not in WIDTH_PRESETS:
            raise ValueError(f"Unknown preview width {name!r}: use one of {list(WIDTH_PRESETS)}.")
        self.buttons[name].setChecked(True)
        if name != self.current:
            self.current = name
            self.preset_chosen.emit(name)


def fit_view(view: QWidget, css_width: int, available: int) -> None:
    """Size `view` (a QWebEngineView) so the page lays out `css_width` CSS pixels wide."""
    if css_width <= 0 or available <= 0:
        view.setMaximumWidth(16777215)
        view.setZoomFactor(1.0)
        return
    zoom = max(_MIN_ZOOM, min(1.0, available / css_width))
    view.setMaximumWidth(max(1, round(css_width * zoom)))
    view.setZoomFactor(zoom)
