"""Width presets for the preview: see the responsive page as a desktop, tablet or phone shows it.

A preset lays the page out at that many CSS pixels: the view is at most that wide, and
when the pane is narrower the page is zoomed out so the layout still gets the full width,
but never below `MIN_READABLE_ZOOM`: text at a third of its size cannot be read, so past
that point the view keeps its readable width and the pane scrolls sideways instead.
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
#: The smallest zoom at which body text (about 17 px) is still readable: about 10 px.
MIN_READABLE_ZOOM = 0.6


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


def preset_geometry(css_width: int, available: int) -> tuple[int, float]:
    """The view's width in device pixels and its zoom for a `css_width` page in `available`.

    0 for the width means "the pane's own width" (Fit). The width can exceed `available`
    when even `MIN_READABLE_ZOOM` does not fit the layout: then the pane scrolls sideways.
    """
    if css_width <= 0 or available <= 0:
        return 0, 1.0
    zoom = max(MIN_READABLE_ZOOM, min(1.0, available / css_width))
    return max(1, round(css_width * zoom)), zoom


def fit_view(view: QWidget, css_width: int, available: int,
             frame: QWidget | None = None) -> bool:  # fmt: skip
    """Size `view` (a QWebEngineView) so the page lays out `css_width` CSS pixels wide;
    `frame`, when given, is what holds the view in the layout (and takes the width).

    Returns whether the width or zoom changed (the page lays out again then).
    """
    width, zoom = preset_geometry(css_width, available)
    minimum, maximum = (width, width) if width else (0, 16777215)
    sized = view if frame is None else frame
    changed = (
        sized.minimumWidth() != minimum
        or sized.maximumWidth() != maximum
        or abs(view.zoomFactor() - zoom) > 1e-3
    )
    # A fixed width (not just a maximum) so a layout narrower than the view scrolls.
    sized.setMinimumWidth(minimum)
    sized.setMaximumWidth(maximum)
    if abs(view.zoomFactor() - zoom) > 1e-3:
        view.setZoomFactor(zoom)
    return changed
