"""Reading screenshots: where the window's splitter handles are, whether the screen is blank.

The main window's splitter handles are one-pixel (device: one per scale unit) vertical
lines in the theme's handle colour (`QSplitter::handle` in `editor/ui/theme.py`) that run
the whole height of the central area, so they are found from the screen alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QColor, QImage

THEME = Path(__file__).resolve().parents[2] / "editor" / "ui" / "theme.py"


def _handle_rgb() -> tuple[int, int, int]:
    """The handle colour of the theme's style sheet (#e3e5e8 when it says none)."""
    found = re.search(r"QSplitter::handle\s*\{[^}]*background:\s*#([0-9a-fA-F]{6})",
                      THEME.read_text(encoding="utf-8"))  # fmt: skip
    value = found[1] if found else "e3e5e8"
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


HANDLE_RGB = _handle_rgb()


def load(path: Path) -> QImage:
    image = QImage(str(path))
    if image.isNull():
        raise AssertionError(f"cannot read the screenshot {path}")
    return image


def _is_handle(image: QImage, x: int, y: int) -> bool:
    colour = QColor(image.pixel(x, y))
    return (colour.red(), colour.green(), colour.blue()) == HANDLE_RGB


def splitter_handles(path: Path, area: tuple[int, int, int, int], margin: int = 24) -> list[int]:
    """Screen x of each vertical handle-coloured line crossing the middle of `area`.

    `area` is the window's client rectangle (x, y, width, height); a line counts when it
    spans every sampled row between 30% and 80% of the height and is more than `margin`
    pixels inside the window (the article list's frame has the same colour). Adjacent
    columns (a handle two device pixels wide at scale 2) are one handle, at its middle.
    """
    image = load(path)
    x0, y0, width, height = area
    x1 = min(x0 + width - margin, image.width())
    x0 += margin
    if y0 == 0 and height == image.height():  # a band already cut to the rows to look at
        rows = [height * share // 100 for share in range(0, 100, 10)]
    else:
        rows = [y0 + height * share // 100 for share in range(30, 81, 5)]
    rows = [y for y in rows if 0 <= y < image.height()]
    columns = [x for x in range(max(x0, 0), x1) if all(_is_handle(image, x, y) for y in rows)]
    handles: list[list[int]] = []
    for x in columns:
        if handles and x - handles[-1][-1] <= 1:
            handles[-1].append(x)
        else:
            handles.append([x])
    return [run[len(run) // 2] for run in handles]


def distinct_colours(path: Path, step: int = 16) -> int:
    """How many colours a sparse grid of the screenshot holds (1-2: blank or black)."""
    image = load(path)
    seen = {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }
    return len(seen)
