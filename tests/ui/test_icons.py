"""editor.ui.icons draws the bundled font icons as qtawesome does, without importing it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QApplication, QToolButton

from editor.ui import icons


def _pixels(icon: QIcon, size: int, mode: QIcon.Mode = QIcon.Mode.Normal) -> list[int]:
    image = icon.pixmap(QSize(size, size), mode).toImage()
    return [image.pixel(x, y) for y in range(size) for x in range(size)]


@pytest.mark.parametrize(
    "name", ["fa6s.floppy-disk", "fa6s.lock", "fa6s.spinner", "mdi6.format-header-1"]
)
def test_the_same_pixels_as_qtawesome(qapp: QApplication, name: str) -> None:
    import qtawesome

    ours = icons.icon(name, color="#3b4252", color_disabled="#c3c7cd")
    theirs = qtawesome.icon(name, color="#3b4252", color_disabled="#c3c7cd")
    for size in (16, 24, 32):
        assert _pixels(ours, size) == _pixels(theirs, size)
        disabled = QIcon.Mode.Disabled
        assert _pixels(ours, size, disabled) == _pixels(theirs, size, disabled)
    assert any(_pixels(ours, 16)), "the glyph is drawn"


def test_colours_default_to_the_palette_and_icons_are_cached(qapp: QApplication) -> None:
    plain = icons.icon("fa6s.file")
    assert icons.icon("fa6s.file") is plain
    assert icons.icon("fa6s.file", color="#ff0000") is not plain
    red = icons.icon("fa6s.file", color="#ff0000").pixmap(32, 32).toImage()
    painted = {red.pixelColor(x, y).name() for x in range(32) for y in range(32)}
    assert QColor("#ff0000").name() in painted


def test_a_selected_row_may_have_its_own_colour(qapp: QApplication) -> None:
    """A role icon on a dark selected row: grey vanished there, white shows."""
    from editor.core.model import Role
    from editor.ui.status_style import role_icon

    def colours(icon: QIcon, mode: QIcon.Mode) -> set[str]:
        image = icon.pixmap(QSize(32, 32), mode).toImage()
        return {image.pixelColor(x, y).name() for x in range(32) for y in range(32)}

    role = role_icon(Role.ADMIN)
    assert "#ffffff" in colours(role, QIcon.Mode.Selected)
    assert "#ffffff" not in colours(role, QIcon.Mode.Normal)
    plain = icons.icon("fa6s.file", color="#ff0000")
    assert colours(plain, QIcon.Mode.Selected) == colours(plain, QIcon.Mode.Normal)


def test_an_unknown_icon_says_which(qapp: QApplication) -> None:
    with pytest.raises(icons.IconError, match="no icon 'not-a-glyph' in the fa6s font"):
        icons.icon("fa6s.not-a-glyph")
    with pytest.raises(icons.IconError, match="unknown icon font prefix 'zz'"):
        icons.icon("zz.anything")


def test_a_spinner_turns_only_while_started(qapp: QApplication) -> None:
    button = QToolButton()
    spin = icons.Spin(button, interval=5, step=30)
    button.setIcon(icons.icon("fa6s.spinner", color="#6b7280", animation=spin))
    button.resize(40, 40)
    button.grab()  # the first paint makes the timer
    first = spin.angle
    for _ in range(20):
        qapp.processEvents()
        if spin.angle != first:
            break
        QApplication.instance().thread().msleep(5)
    assert spin.angle != first
    spin.stop()
    stopped = spin.angle
    for _ in range(5):
        qapp.processEvents()
        QApplication.instance().thread().msleep(6)
    assert spin.angle == stopped


def test_the_window_modules_do_not_import_qtawesome() -> None:
    """Importing qtawesome (its qtpy layer) was ~150 ms and ~30 MB before the first paint."""
    code = (
        "import sys; import editor.ui.actions, editor.ui.status_style, editor.ui.articles.panel,"
        " editor.ui.review.panel, editor.ui.inspector.panel, editor.ui.checks.panel;"
        " print('qtawesome' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
