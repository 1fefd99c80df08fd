"""Preview widths: switching keeps the reading position; a narrow pane stays readable."""

from __future__ import annotations

import pytest

from editor.services.newsroom import Newsroom
from editor.ui.preview.widths import MIN_READABLE_ZOOM, preset_geometry

_WORLD = 1


def _js(window, qtbot, script: str) -> object:
    answers: list[object] = []
    window.preview.web_view.page().runJavaScript(script, _WORLD, answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=10000)
    return answers[0]


def _top_text(window) -> str:
    editor = window.editor
    return editor.cursorForPosition(editor.viewport().rect().topLeft()).block().text()


@pytest.mark.parametrize("preset", ["desktop", "tablet", "phone"])
def test_switching_the_width_keeps_the_reading_position(make_window, newsroom: Newsroom,
                                                        qtbot, preset: str) -> None:  # fmt: skip
    body = "\n\n".join(f"Paragraph {i} " + "word " * 40 for i in range(80))
    newsroom.create_article(headline="Widths keep place", body=body + "\n")
    window = make_window()
    if not window.preview.has_web_engine:
        pytest.skip("QtWebEngine is not available")
    window.resize(1400, 900)
    qtbot.waitUntil(
        lambda: _js(window, qtbot, "document.querySelectorAll('[data-block]').length") == 80,
        timeout=15000,
    )
    qtbot.wait(300)  # the first layouts of the page settle
    # The person scrolls the editor to paragraph 40; the preview follows.
    sync = window.scroll_sync
    sync._quiet_until = 0
    block = window.editor.document().findBlockByNumber(sync.starts()[40])
    top = window.editor.document().documentLayout().blockBoundingRect(block).top()
    window.editor.verticalScrollBar().setValue(int(top))
    qtbot.waitUntil(
        lambda: _js(window, qtbot, "window.newsroomPreview.position().block") == 40,
        timeout=10000,
    )
    assert _top_text(window).startswith("Paragraph 40")
    editor_y = window.editor.verticalScrollBar().value()

    window.preview.width_bar.buttons[preset].click()
    qtbot.wait(1200)  # the page lays out again at the new width, then settles

    assert abs(window.editor.verticalScrollBar().value() - editor_y) < 40
    assert _js(window, qtbot, "window.newsroomPreview.position().block") in (39, 40, 41)


@pytest.mark.parametrize(
    ("css_width", "available", "width", "zoom"),
    [
        (1200, 1500, 1200, 1.0),  # room to spare: actual size
        (1200, 900, 900, 0.75),  # a little narrow: zoomed out to fit
        (1200, 500, 720, MIN_READABLE_ZOOM),  # far too narrow: readable, scrolls sideways
        (768, 300, 461, MIN_READABLE_ZOOM),
        (0, 500, 0, 1.0),  # Fit
    ],
)
def test_a_preset_never_zooms_below_readable(css_width: int, available: int, width: int,
                                             zoom: float) -> None:  # fmt: skip
    assert preset_geometry(css_width, available) == (width, pytest.approx(zoom))


def test_a_narrow_pane_scrolls_sideways_at_a_readable_zoom(make_window, newsroom: Newsroom,
                                                           qtbot) -> None:  # fmt: skip
    newsroom.create_article(headline="Narrow pane", body="Text.\n")
    window = make_window()
    if not window.preview.has_web_engine:
        pytest.skip("QtWebEngine is not available")
    qtbot.waitUntil(lambda: _js(window, qtbot, "document.querySelector('h1') !== null"))
    pane = window.preview
    assert pane.width() < 1200 * MIN_READABLE_ZOOM  # the side pane of a default window

    pane.set_width_preset("desktop")
    qtbot.waitUntil(lambda: abs(_js(window, qtbot, "window.innerWidth") - 1200) <= 2)
    assert pane.web_view.zoomFactor() >= MIN_READABLE_ZOOM
    qtbot.waitUntil(lambda: pane.sideways)

    pane.set_width_preset("fit")
    qtbot.waitUntil(lambda: not pane.sideways)
    assert pane.web_view.zoomFactor() == 1.0
