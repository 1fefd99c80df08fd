"""The window fits the screen: its first size, a restored geometry, its minimum size, and
how the splitter shares a change of width (the real-window runs found each of these)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtWidgets import QApplication

from editor.ui.body.headline import MAX_LINES, HeadlineEdit
from editor.ui.main_window import MainWindow
from editor.ui.window_layout import EDITOR_MIN_WIDTH, LIST_MIN_WIDTH, fit_on_screen, share_width

LAPTOP = QRect(0, 0, 1366, 768)
SCALE_2_FULL_HD = QRect(0, 0, 960, 540)  # 1920x1080 at QT_SCALE_FACTOR=2, logical pixels
LONG_HEADLINE = "Putin takes Kim Jong Un in a limousine, and later gives him a car"


def _settle(rounds: int = 5) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def test_fit_on_screen_shrinks_and_centres_what_is_too_large() -> None:
    rect = fit_on_screen(QRect(0, 0, 1440, 900), LAPTOP, QSize(900, 300), margin=24)
    assert LAPTOP.adjusted(24, 24, -24, -24).contains(rect)
    assert rect.center() == LAPTOP.adjusted(24, 24, -24, -24).center()


def test_fit_on_screen_keeps_a_window_that_fits_where_it_is() -> None:
    rect = QRect(100, 80, 800, 500)
    assert fit_on_screen(rect, LAPTOP, QSize(600, 300), margin=0, centre=False) == rect
    off = QRect(-400, 500, 800, 500)  # partly off the screen: back on it, centred
    moved = fit_on_screen(off, LAPTOP, QSize(600, 300), margin=0, centre=False)
    assert LAPTOP.contains(moved) and moved.size() == off.size()


def test_fit_on_screen_never_goes_below_the_minimum() -> None:
    rect = fit_on_screen(QRect(0, 0, 1440, 900), QRect(0, 0, 800, 600), QSize(900, 300))
    assert rect.width() == 900 and rect.height() <= 600 - 2 * 24
    assert rect.left() == 0 and rect.top() >= 0  # the title bar stays on the screen


def test_the_first_window_fits_a_laptop_screen_and_a_scaled_one(make_window) -> None:
    window = make_window()
    for screen in (LAPTOP, SCALE_2_FULL_HD):
        window.place_first_window(screen)
        _settle()
        assert screen.contains(window.frameGeometry()), (screen, window.frameGeometry())
        assert window.height() <= screen.height() - 40, "room for the title bar"
        assert sum(window.splitter.sizes()) <= screen.width()


def test_the_minimum_size_fits_small_screens(make_window) -> None:
    window = make_window()
    minimum = window.minimumSizeHint()
    # Less a title bar and a panel: the window at its minimum is all on the screen.
    for screen in (LAPTOP, SCALE_2_FULL_HD):
        assert minimum.width() <= screen.width() - 8, (minimum, screen)
        assert minimum.height() <= screen.height() - 60, (minimum, screen)


def test_a_narrow_window_does_not_grow_with_the_headline(make_window) -> None:
    window = make_window()
    window.headline_field.setText(LONG_HEADLINE * 3)
    window.resize(100, 100)
    _settle()
    size = window.size()
    assert size == window.minimumSizeHint(), "asked for 100x100: at its minimum"
    _settle(10)
    assert window.size() == size, "the headline's wrapping did not grow the window"
    sizes = window.splitter.sizes()
    assert sizes[0] >= LIST_MIN_WIDTH and sizes[1] >= EDITOR_MIN_WIDTH
    headline = window.headline_field
    assert headline.height() <= headline.height_for_lines(MAX_LINES)
    assert window.body_stack.height() > 40, "the body is still there to type in"


def test_the_headline_is_at_most_a_few_lines_then_scrolls(qtbot) -> None:
    headline = HeadlineEdit(point_size=22)
    qtbot.addWidget(headline)
    headline.setText(LONG_HEADLINE * 4)
    headline.resize(420, 400)
    headline.show()
    _settle()
    assert headline.line_count() > MAX_LINES
    assert headline.sizeHint().height() == headline.height_for_lines(MAX_LINES)
    assert headline.verticalScrollBar().maximum() > 0, "the rest scrolls"
    narrow = headline.minimumSizeHint().height()
    headline.resize(200, 400)
    _settle()
    assert headline.minimumSizeHint().height() == narrow, "its minimum does not follow the width"
    headline.setText("Short")
    _settle()
    assert headline.sizeHint().height() == headline.height_for_lines(1)


def test_a_headline_that_fits_does_not_scroll(qtbot) -> None:
    headline = HeadlineEdit(point_size=22)
    qtbot.addWidget(headline)
    headline.setText(LONG_HEADLINE)
    headline.resize(600, headline.sizeHint().height())
    headline.show()
    _settle()
    headline.resize(600, headline.sizeHint().height())  # the hint after the wrap at 600
    _settle()
    assert headline.line_count() <= MAX_LINES
    assert headline.verticalScrollBar().maximum() == 0


def test_share_width_gives_the_editor_most_and_keeps_minimums() -> None:
    assert share_width([300, 360, 900], [260, 360, 312], [0, 2, 1], 1860) == [300, 560, 1000]
    shrunk = share_width([300, 900, 900], [260, 360, 312], [0, 2, 0], 1500)
    assert shrunk[1] == 360 and sum(shrunk) == 1500 and shrunk[0] >= 260


def test_a_wider_window_widens_the_editor_not_the_list(make_window) -> None:
    window = make_window()
    window.resize(1200, 700)
    _settle()
    splitter = window.splitter
    splitter.setSizes([320, EDITOR_MIN_WIDTH, 1200 - 320 - EDITOR_MIN_WIDTH - 2])
    _settle()
    before = splitter.sizes()
    window.resize(1800, 700)
    _settle()
    after = splitter.sizes()
    grown = [b - a for a, b in zip(before, after, strict=True)]
    assert grown[0] == 0, f"the list keeps its width: {before} -> {after}"
    assert grown[1] > grown[2] > 0, f"the editor takes most, the preview the rest: {grown}"
    window.side_tabs.setCurrentWidget(window.inspector)  # Details: keeps its width too
    before = splitter.sizes()
    window.resize(2200, 700)
    _settle()
    after = splitter.sizes()
    assert after[0] == before[0] and after[2] == before[2] and after[1] > before[1]


def test_no_panel_collapses(make_window) -> None:
    window = make_window()
    splitter = window.splitter
    assert not splitter.childrenCollapsible()
    assert not any(splitter.isCollapsible(i) for i in range(splitter.count()))
    splitter.moveSplitter(0, 1)  # the list's handle to the far left
    splitter.moveSplitter(splitter.width(), 2)  # the preview's to the far right
    _settle()
    sizes = splitter.sizes()
    assert sizes[0] >= LIST_MIN_WIDTH and sizes[2] >= window.side_tabs.minimumSizeHint().width()


def test_a_restored_geometry_larger_than_the_screen_is_made_to_fit(make_window) -> None:
    window = make_window()
    available = window.screen().availableGeometry()
    window.setGeometry(QRect(-300, -200, available.width() + 900, available.height() + 700))
    QSettings().setValue("window/geometry", window.saveGeometry())
    again: MainWindow = make_window()
    again.restore_state()
    _settle()
    geometry = again.geometry()
    assert geometry.left() >= available.left() and geometry.top() >= available.top()
    assert geometry.height() <= available.height()
    assert geometry.width() <= max(available.width(), again.minimumSizeHint().width())
