"""The status bar: every icon sits beside its label, never over text, at common sizes."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from editor.services.newsroom import Newsroom
from tests.ui.conftest import wait_for_list


def _settle(qtbot, window, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width, timeout=3000)
    QApplication.processEvents()


def _shown(status) -> list:
    widgets = [status.identity, status.undo_label, status.undo_button, status.save_state,
               status.words, status.copy_fit, status.fit_label]  # fmt: skip
    return [w for w in widgets if w.isVisibleTo(status)]


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_undo_delete_sits_beside_its_message(
    make_window, newsroom: Newsroom, qtbot, monkeypatch, width: int, height: int
) -> None:
    newsroom.create_article(headline="Keep me")
    doomed = newsroom.create_article(
        headline="Harbour wall gives way after the longest night of storms in forty years",
        body="Text.\n",
        length_target=600,
    )
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    window = make_window()
    _settle(qtbot, window, width, height)
    window.open_article(doomed.id)
    window.actions["article_delete"].trigger()
    wait_for_list(qtbot, window.list_model)
    status = window.status
    QApplication.processEvents()

    # No transient message: QStatusBar paints one from its left edge, under the button.
    assert status.currentMessage() == ""
    assert status.undo_label.text().startswith("Deleted “Harbour wall gives way")
    assert status.undo_button.isVisible()
    assert status.undo_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert status.undo_button.text().replace("&", "") == "Undo Delete"
    _assert_apart(status)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_copy_fit_gauge_sits_beside_the_counts(make_window, newsroom: Newsroom, qtbot,
                                               width: int, height: int) -> None:  # fmt: skip
    article = newsroom.create_article(
        headline="Counts", body="One two three four five.\n", length_target=600
    )
    window = make_window()
    _settle(qtbot, window, width, height)
    window.open_article(article.id)
    qtbot.waitUntil(lambda: window.status.fit_label.text().startswith("Short by"), timeout=3000)
    QApplication.processEvents()
    assert window.status.copy_fit.isVisible()
    _assert_apart(window.status)


def _assert_apart(status) -> None:
    """No two shown widgets overlap, and each label has room for all of its text."""
    shown = _shown(status)
    boxes = {w.objectName() or type(w).__name__: _box(status, w) for w in shown}
    for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2):
        assert not box_a.intersects(box_b), f"{a} {box_a} overlaps {b} {box_b}"
    for widget in shown:
        if hasattr(widget, "text") and widget.text():
            assert widget.width() >= widget.sizeHint().width() - 1, widget.objectName()


def _box(status, widget):
    top_left = widget.mapTo(status, widget.rect().topLeft())
    return widget.rect().translated(top_left)


def test_closing_says_saving_while_the_last_save_runs(make_window, newsroom, monkeypatch) -> None:
    """A long story's last save can take seconds after Ctrl+Q: the status says so at once,
    and a close that does not happen puts back what it said."""
    newsroom.create_article("Long read", "Body.")
    window = make_window()
    real_save, seen, outcome = window.session.save, [], {"saved": False}

    def save(**kwargs) -> bool:
        seen.append(window.status.save_state.text())
        return real_save(**kwargs) if outcome["saved"] else False

    monkeypatch.setattr(window.session, "save", save)
    before = window.status.save_state.text()
    assert window._save_before_closing() is False  # not saved, nothing failed: stays open
    assert seen == ["Saving…"] and window.status.save_state.text() == before
    outcome["saved"] = True
    assert window._save_before_closing() is True
    assert seen == ["Saving…", "Saving…"]
