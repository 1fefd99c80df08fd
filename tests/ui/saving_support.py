"""Shared setup of the saving tests (conflicts, a locked store): an article open in a real
window whose autosave waits long enough that only the test's own saves happen, and typing
into its editor."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QTextCursor

from editor.core.model import Article
from editor.services.newsroom import Newsroom
from editor.ui.main_window import MainWindow
from tests.ui.conftest import FAST

#: An autosave delay no test waits for: only the saves a test makes itself.
NO_AUTOSAVE_MS = 60_000


def open_in_window(
    make_window,
    newsroom: Newsroom,
    headline: str,
    body: str,
    *,
    autosave_ms: int = NO_AUTOSAVE_MS,
    **fields: object,
) -> tuple[Article, MainWindow]:
    """A new article (by `newsroom`'s user), open in a new shown window."""
    article = newsroom.create_article(headline, body, **fields)
    window = make_window(replace(FAST, autosave_delay_ms=autosave_ms))
    window.open_article(article.id)
    return article, window


def type_at_end(qtbot, window: MainWindow, text: str) -> None:
    """Type `text` at the end of the body, as a person would."""
    window.editor.setFocus()
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, text)
