"""Counts, reading time and the copy-fit against the article's length target."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtGui import QTextCursor

from editor.ui.body.copyfit import Counts, Fit, copy_fit
from tests.ui.conftest import FAST

QUIET = replace(FAST, autosave_delay_ms=60_000)


@pytest.mark.parametrize(
    ("words", "target", "state", "label"),
    [
        (100, None, Fit.NONE, ""),
        (400, 600, Fit.SHORT, "Short by 200"),
        (540, 600, Fit.FITS, "Fits"),
        (660, 600, Fit.FITS, "Fits"),
        (661, 600, Fit.OVER, "Over by 61"),
        (1_800, 600, Fit.OVER, "Over by 1,200"),
    ],
)
def test_copy_fit_is_within_ten_percent(words, target, state, label) -> None:
    fit = copy_fit(words, target)
    assert fit.state is state
    assert fit.label == label


def test_reading_time_rounds_up_at_230_words_a_minute() -> None:
    assert Counts(0).reading_minutes == 0
    assert Counts(1).reading_minutes == 1
    assert Counts(230).reading_minutes == 1
    assert Counts(231).reading_minutes == 2


def _open(make_window, newsroom, body: str, **fields):
    article = newsroom.create_article("Counts", body)
    if fields:
        article = newsroom.save_article(article.id, expected_version=1, changes=fields)
    window = make_window(QUIET)
    window.open_article(article.id)
    return window, article


def test_status_bar_counts_words_characters_and_reading_time_live(
    make_window, newsroom, qtbot
) -> None:
    window, _ = _open(make_window, newsroom, "One two **three**.\n\nA [link](http://x.org) here.\n")
    qtbot.waitUntil(lambda: "characters" in window.status.words.text(), timeout=3000)
    assert window.status.words.text() == "6 words · 26 characters · 1 min read"
    window.editor.setFocus()
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, " Four more words now")
    qtbot.waitUntil(lambda: window.status.words.text().startswith("10 words"), timeout=3000)
    assert window.inspector.word_count.text() == "10"
    assert not window.status.copy_fit.isVisible()  # no target, no copy-fit


def test_length_target_from_the_inspector_drives_the_copy_fit(make_window, newsroom, qtbot) -> None:
    window, article = _open(make_window, newsroom, "word " * 90)
    window.inspector.length_target.setFocus()
    qtbot.keyClicks(window.inspector.length_target, "100")
    assert window.status.fit_label.text() == "Fits"
    assert window.status.copy_fit.isVisible()
    window.inspector.length_target.clear()
    qtbot.keyClicks(window.inspector.length_target, "200")
    assert window.status.fit_label.text() == "Short by 110"
    assert window.status.copy_fit.fit.state is Fit.SHORT
    window.actions["file_save"].trigger()
    assert newsroom.get_article(article.id).length_target == 200


def test_a_bad_length_target_is_shown_beside_the_field(make_window, newsroom, qtbot) -> None:
    window, article = _open(make_window, newsroom, "Short.\n", length_target="50")
    assert window.inspector.length_target.text() == "50"
    window.inspector.length_target.clear()
    qtbot.keyClicks(window.inspector.length_target, "lots")
    window.actions["file_save"].trigger()
    assert "not a length" in window.inspector.field_error("length_target")
    assert newsroom.get_article(article.id).length_target == 50
    assert window.status.fit_label.text() == "Short by 49"  # the saved target still counts


def test_over_target_shows_red_over(make_window, newsroom, qtbot) -> None:
    window, _ = _open(make_window, newsroom, "word " * 130, length_target=100)
    qtbot.waitUntil(lambda: window.status.fit_label.text() == "Over by 30", timeout=3000)
    assert window.status.copy_fit.fit.state is Fit.OVER
