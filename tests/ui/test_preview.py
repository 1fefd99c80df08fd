"""The preview pane renders the article with the export template and follows edits."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor

from editor.core.newsroom import Newsroom

_H1 = "document.querySelector('h1') ? document.querySelector('h1').textContent.trim() : ''"


def _wait_for_h1(window, qtbot, expected: str) -> None:
    """Ask the page for its <h1> until it reads `expected` (the answer arrives async)."""
    answers: list[object] = []
    page = window.preview.web_view.page()

    def shows_expected() -> bool:
        if answers and answers[-1] == expected:
            return True
        page.runJavaScript(_H1, 0, answers.append)
        qtbot.wait(20)
        return bool(answers) and answers[-1] == expected

    qtbot.waitUntil(shows_expected, timeout=15000)


def test_preview_shows_the_headline_and_follows_edits(make_window, newsroom: Newsroom,
                                                      qtbot) -> None:  # fmt: skip
    newsroom.create_article(headline="Harbour wall holds", body="The tide turned.\n")
    window = make_window()
    if not window.preview.has_web_engine:
        pytest.skip("QtWebEngine is not available")

    _wait_for_h1(window, qtbot, "Harbour wall holds")

    window.headline_field.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.headline_field, " again")
    _wait_for_h1(window, qtbot, "Harbour wall holds again")


def _js(window, qtbot, script: str) -> object:
    answers: list[object] = []
    window.preview.web_view.page().runJavaScript(script, 0, answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    return answers[0]


def test_preview_keeps_its_scroll_position_while_typing(make_window, newsroom: Newsroom,
                                                        qtbot) -> None:  # fmt: skip
    body = "\n\n".join(f"Paragraph {i} of a long story about the harbour." for i in range(200))
    newsroom.create_article(headline="Long read", body=body + "\n")
    window = make_window()
    if not window.preview.has_web_engine:
        pytest.skip("QtWebEngine is not available")
    _wait_for_h1(window, qtbot, "Long read")

    _js(window, qtbot, "window.scrollTo(0, 1500); window.scrollY")
    qtbot.waitUntil(lambda: _js(window, qtbot, "window.scrollY") == 1500, timeout=5000)
    with qtbot.waitSignal(window.preview.page_shown, timeout=15000):
        window.editor.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClicks(window.editor, " More.")
    qtbot.waitUntil(lambda: "More." in window.preview.html, timeout=5000)
    qtbot.waitUntil(lambda: _js(window, qtbot, "window.scrollY") == 1500, timeout=5000)
