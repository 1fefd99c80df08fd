"""Font icons (Font Awesome 6 solid `fa6s.*`, Material Design 6 `mdi6.*`), drawn here.

The glyphs are the fonts qtawesome ships; this module reads them from its package folder
without importing qtawesome. Importing qtawesome costs ~150 ms at start-up (its qtpy layer
star-imports QtCore, QtGui, QtWidgets, QtOpenGL and QtDataVisualization, making every
wrapped class) and its first icon ~40-60 ms more (it loads all eleven bundled fonts and
their charmaps). The window's first paint needs two dozen toolbar icons and nothing else
of it, so `icon()` draws them as qtawesome does (the glyph at 0.875 of the icon's height,
centred, in the colour asked for; `color_disabled` for the disabled mode) from one font
loaded on first use, and `Spin` turns a spinner as qtawesome's does.

    from editor.ui import icons
    action.setIcon(icons.icon("fa6s.floppy-disk", color="#3b4252"))
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QWidget

#: prefix -> the start of its font's file names in qtawesome's fonts folder (any version).
FONTS = {
    "fa6s": "fontawesome6-solid-webfont",
    "fa6": "fontawesome6-regular-webfont",
    "mdi6": "materialdesignicons6-webfont",
}


class IconError(ValueError):
    """An icon name with an unknown prefix or glyph (a programming error: say which)."""


def fonts_folder() -> Path:
    """qtawesome's bundled fonts, found without importing (running) the package."""
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        raise IconError("qtawesome (which ships the icon fonts) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


@dataclass(frozen=True)
class IconFont:
    """One loaded icon font: its family for QFont and its glyph names."""

    family: str
    charmap: dict[str, str]
    solid: bool


@cache
def _font(prefix: str) -> IconFont:
    start = FONTS.get(prefix)
    if start is None:
        raise IconError(f"unknown icon font prefix {prefix!r} (known: {', '.join(FONTS)})")
    folder = fonts_folder()
    try:
        ttf = sorted(folder.glob(f"{start}-[0-9]*.ttf"))[-1]
        charmap_file = sorted(folder.glob(f"{start}-charmap-*.json"))[-1]
    except IndexError:
        raise IconError(f"the {prefix} icon font is missing from {folder}") from None
    font_id = QFontDatabase.addApplicationFontFromData(ttf.read_bytes())
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        raise IconError(f"{ttf} is not a font Qt can load")
    codes = json.loads(charmap_file.read_text(encoding="utf-8"))
    charmap = {name: chr(int(code, 16)) for name, code in codes.items()}
    return IconFont(families[0], charmap, solid=prefix.endswith("s"))


def glyph(name: str) -> tuple[IconFont, str]:
    """The font and character of `name` ("fa6s.floppy-disk")."""
    prefix, _, glyph_name = name.partition(".")
    font = _font(prefix)
    char = font.charmap.get(glyph_name)
    if char is None:
        raise IconError(f"no icon {glyph_name!r} in the {prefix} font")
    return font, char


class Spin:
    """Turns an icon drawn in `parent` by `step` degrees every `interval` ms while started
    (qtawesome's `Spin`, same arguments): the icon's painter asks `setup` for the angle."""

    def __init__(self, parent: QWidget, interval: int = 10, step: int = 1,
                 autostart: bool = True) -> None:  # fmt: skip
        self.parent_widget = parent
        self.interval = interval
        self.step = step
        self.autostart = autostart
        self.angle = 0
        self._timer: QTimer | None = None

    def _turn(self) -> None:
        self.angle = (self.angle + self.step) % 360
        self.parent_widget.update()

    def setup(self, painter: QPainter, rect: QRect) -> None:
        """Rotate `painter` about `rect`'s centre; the first paint makes (and starts) the timer."""
        if self._timer is None:
            self._timer = QTimer(self.parent_widget)
            self._timer.timeout.connect(self._turn)
            if self.autostart:
                self._timer.start(self.interval)
            return
        centre = rect.center()
        painter.translate(centre.x() + 0.5, centre.y() + 0.5)
        painter.rotate(self.angle)
        painter.translate(-centre.x() - 0.5, -centre.y() - 0.5)

    def start(self) -> None:
        if self._timer is not None:
            self._timer.start(self.interval)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()


class GlyphIconEngine(QIconEngine):
    """Paints one glyph in a colour per mode (Disabled and Selected may have their own),
    at any size."""

    def __init__(
        self,
        name: str,
        color: QColor,
        disabled: QColor,
        animation: Spin | None = None,
        selected: QColor | None = None,
    ) -> None:
        super().__init__()
        self.name = name
        self.font, self.char = glyph(name)
        self.color = color
        self.disabled = disabled
        self.animation = animation
        self.selected = selected

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.save()
        if mode == QIcon.Mode.Disabled:
            painter.setPen(self.disabled)
        elif mode == QIcon.Mode.Selected and self.selected is not None:
            painter.setPen(self.selected)  # on a selected row of a view, a menu's highlight
        else:
            painter.setPen(self.color)
        font = QFont(self.font.family)
        # 14 px on a 16 px icon, as qtawesome draws them: room for the glyph's bearings.
        font.setPixelSize(max(1, round(0.875 * rect.height())))
        if self.font.solid:
            font.setStyleName("Solid")
        if self.animation is not None:
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self.animation.setup(painter, rect)
        painter.setFont(font)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self.char)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return GlyphIconEngine(self.name, self.color, self.disabled, self.animation, self.selected)


def _palette_text(group: QPalette.ColorGroup) -> QColor:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app.palette().color(group, QPalette.ColorRole.Text)
    return QColor(50, 50, 50)


_cache: dict[tuple, QIcon] = {}


def icon(
    name: str,
    *,
    color: str | QColor | None = None,
    color_disabled: str | QColor | None = None,
    animation: Spin | None = None,
    color_selected: str | QColor | None = None,
) -> QIcon:
    """The icon of glyph `name` in `color` (the palette's text colour if None); disabled, in
    `color_disabled` (the palette's disabled text colour if None); selected (a view's
    selected row), in `color_selected` (`color` if None). The same arguments give the same
    QIcon (cached, as qtawesome's are); an animated one is made each time."""
    key = (name, str(color), str(color_disabled), str(color_selected))
    if animation is None and key in _cache:
        return _cache[key]
    normal = QColor(color) if color is not None else _palette_text(QPalette.ColorGroup.Active)
    disabled = (
        QColor(color_disabled)
        if color_disabled is not None
        else _palette_text(QPalette.ColorGroup.Disabled)
    )
    selected = QColor(color_selected) if color_selected is not None else None
    made = QIcon(GlyphIconEngine(name, normal, disabled, animation, selected))
    if animation is None:
        _cache[key] = made
    return made
