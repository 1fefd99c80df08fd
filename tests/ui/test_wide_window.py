"""The writing column stays centred at any width, without the resize recursion that
segfaulted a maximised 1080p window (margins set from the viewport's own resize)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from editor.ui.body.editor import BodyEditor
from editor.ui.body.headline import HeadlineEdit
from editor.ui.body.source import SourceEditor


@pytest.mark.parametrize("editor_class", [BodyEditor, SourceEditor, HeadlineEdit])
def test_wide_editors_centre_their_column_without_recursing(qtbot, editor_class) -> None:
    editor = editor_class(max_width=720)
    qtbot.addWidget(editor)
    editor.setPlainText("word " * 3000)
    editor.resize(600, 400)
    editor.show()
    calls = 0
    original = editor_class.resizeEvent

    def counting(self, event) -> None:
        nonlocal calls
        calls += 1
        assert calls < 50, "resizeEvent recursed"
        original(self, event)

    editor.resizeEvent = counting.__get__(editor)
    for width in (700, 900, 1400, 1900, 800):
        calls = 0
        editor.resize(width, 500)
        QApplication.processEvents()
        margins = editor.viewportMargins()
        assert margins.left() == margins.right()
        assert margins.left() >= (width - 2 * editor.frameWidth() - 720) // 2


def test_a_maximised_window_keeps_the_column(make_window) -> None:
    window = make_window()
    window.resize(1900, 1000)
    QApplication.processEvents()
    body = window.findChild(BodyEditor)
    assert body is not None
    side = body.viewportMargins().left()
    assert side == body.viewportMargins().right()
    assert body.viewport().width() <= 720 + 2
