"""The Review tab: comment on a selection, highlights, anchoring through edits, threads."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from editor.services.newsroom import Newsroom
from editor.ui.review.panel import (
    ACTIVE_HIGHLIGHT,
    HIGHLIGHT,
    PASSAGE_EDITED,
    PASSAGE_REMOVED,
    RESOLVED,
    document_text,
)

BODY = (
    "The council met on Tuesday. The mayor said the budget was balanced.\n\n"
    "Critics said the budget was not balanced at all, and asked for an audit."
)


@pytest.fixture
def window(make_window, newsroom: Newsroom):
    article = newsroom.create_article("Budget row", BODY)
    win = make_window()
    assert win.open_article(article.id)
    return win


def _select(win, passage: str, occurrence: int = 0) -> tuple[int, int]:
    text = document_text(win.editor.document())
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(passage, start + 1)
    cursor = QTextCursor(win.editor.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len(passage), QTextCursor.MoveMode.KeepAnchor)
    win.editor.setTextCursor(cursor)
    return start, start + len(passage)


def _highlighted(win) -> list[str]:
    return [s.cursor.selectedText() for s in win.review.highlighted()]


def _comment(win, qtbot, passage: str, text: str, occurrence: int = 0):
    _select(win, passage, occurrence)
    win.actions["review_comment"].trigger()
    panel = win.review
    assert panel.composer.isVisible()
    qtbot.keyClicks(panel.composer_edit, text)
    qtbot.keyClick(panel.composer_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not panel.composer.isVisible()
    return panel.threads[-1]


def test_comment_on_a_selection_is_stored_highlighted_and_listed(window, qtbot, newsroom):
    panel = window.review
    assert window.side_tabs.tabText(window.side_tabs.indexOf(panel)).startswith("Review")
    thread = _comment(window, qtbot, "the budget was", "Who says so?", occurrence=1)

    stored = newsroom.list_comments(window.session.article.id)
    assert [(t.quote, t.body, t.author) for t in stored] == [
        ("the budget was", "Who says so?", newsroom.user.name)
    ]
    # The second occurrence, in the critics' paragraph, is the one highlighted.
    text = document_text(window.editor.document())
    second = text.index("the budget was", text.index("Critics"))
    assert panel.anchors[thread.id] == (second, second + len("the budget was"))
    assert _highlighted(window) == ["the budget was"]
    selection = panel.highlighted()[0]
    colour = selection.format.background().color()
    assert colour in (HIGHLIGHT, ACTIVE_HIGHLIGHT)
    card = panel.cards[thread.id]
    assert card.body.text() == "Who says so?"
    assert "the budget was" in card.quote.text()
    assert window.side_tabs.tabText(window.side_tabs.indexOf(panel)) == "Review (1)"


def test_comment_needs_a_selection_and_words(window, qtbot):
    panel = window.review
    cursor = window.editor.textCursor()
    cursor.clearSelection()
    window.editor.setTextCursor(cursor)
    messages = []
    panel.message.connect(messages.append)
    assert not panel.begin_comment()
    assert "Select the passage" in messages[-1]
    _select(window, "an audit")
    assert panel.begin_comment()
    assert not panel.post_comment()  # no words yet: said beside the box, nothing lost
    assert not panel.composer_error.isHidden()
    assert "needs some words" in panel.composer_error.text()
    assert panel.threads == []


def test_highlights_merge_with_other_layers(window, qtbot):
    """The checks panel's underlines and ours live side by side."""
    _comment(window, qtbot, "an audit", "Which auditor?")
    window.checks._underline()  # the checks layer redraws: ours must survive
    assert _highlighted(window) == ["an audit"]
    window.review.reanchor()  # and ours redraws without dropping theirs
    underlined = window.checks.underlined()
    window.review.reanchor()
    assert len(window.checks.underlined()) == len(underlined)


def test_edits_around_the_passage_keep_the_anchor(window, qtbot):
    panel = window.review
    thread = _comment(window, qtbot, "asked for an audit", "Which auditor?")
    cursor = QTextCursor(window.editor.document())
    cursor.setPosition(0)
    window.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor, "Late on ")  # typed before the passage
    text = document_text(window.editor.document())
    _select(window, "Critics said")
    window.editor.textCursor().insertText("Opposition councillors said")
    panel.reanchor()
    text = document_text(window.editor.document())
    start, end = panel.anchors[thread.id]
    assert text[start:end] == "asked for an audit"
    assert panel.state_of(thread) == ""
    assert _highlighted(window) == ["asked for an audit"]

    # A word changed inside the passage: still found (fuzzily), and marked edited.
    _select(window, "an audit")
    window.editor.textCursor().insertText("an independent audit")
    panel.reanchor()
    start, end = panel.anchors[thread.id]
    assert "independent audit" in document_text(window.editor.document())[start:end]
    assert panel.cards[thread.id].state.text() == PASSAGE_EDITED

    # Saved and reopened, the comment finds its passage in the saved text.
    assert window.session.save()
    other = window.newsroom.create_article("Other")
    window.open_article(other.id)
    window.open_article(thread.article_id)
    assert "independent audit" in _highlighted(window)[0]


def test_deleting_the_passage_says_passage_removed(window, qtbot):
    panel = window.review
    thread = _comment(window, qtbot, "Critics said the budget was not balanced at all", "Who?")
    _select(window, "Critics said the budget was not balanced at all, and asked for an audit.")
    window.editor.textCursor().insertText("The vote is next week.")
    qtbot.waitUntil(lambda: panel.anchors.get(thread.id, ()) is None, timeout=3000)
    card = panel.cards[thread.id]
    assert not card.state.isHidden() and card.state.text() == PASSAGE_REMOVED
    assert _highlighted(window) == []
    assert not panel.jump_to(thread.id)  # nothing to select: the panel says why


def test_reply_resolve_and_show_resolved(window, qtbot, newsroom):
    panel = window.review
    first = _comment(window, qtbot, "The mayor said", "Name the mayor.")
    second = _comment(window, qtbot, "an audit", "Which auditor?")

    card = panel.cards[first.id]
    card.reply_button.click()
    assert not card.reply_edit.isHidden()
    qtbot.keyClicks(card.reply_edit, "Done: Mayor Jo Bloggs.")
    qtbot.keyClick(card.reply_edit, Qt.Key.Key_Return)
    thread = next(t for t in panel.threads if t.id == first.id)
    assert [r.body for r in thread.replies] == ["Done: Mayor Jo Bloggs."]
    assert "Mayor Jo Bloggs" in panel.cards[first.id].reply_labels[0].text()

    panel.cards[first.id].resolve_button.click()
    assert newsroom.list_comments(first.article_id, include_resolved=False)[0].id == second.id
    assert first.id not in panel.cards  # resolved threads are hidden...
    assert _highlighted(window) == ["an audit"]  # ...and no longer highlighted
    assert panel.show_resolved.isVisible()
    assert "1 open" in panel.count_label.text() and "1 resolved" in panel.count_label.text()
    panel.show_resolved.setChecked(True)  # ...until asked for
    assert panel.cards[first.id].state.text() == RESOLVED
    assert panel.cards[first.id].resolve_button.text() == "Reopen"
    panel.cards[first.id].resolve_button.click()
    assert not next(t for t in panel.threads if t.id == first.id).resolved


def test_clicking_a_comment_selects_its_passage(window, qtbot):
    panel = window.review
    first = _comment(window, qtbot, "The mayor said", "Name the mayor.")
    _comment(window, qtbot, "an audit", "Which auditor?")
    cursor = window.editor.textCursor()
    cursor.setPosition(0)
    window.editor.setTextCursor(cursor)
    card = panel.cards[first.id]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert window.editor.textCursor().selectedText() == "The mayor said"
    assert panel.active_id == first.id
    assert card.property("active") is True
    active = [
        s.cursor.selectedText()
        for s in panel.highlighted()
        if s.format.background().color() == ACTIVE_HIGHLIGHT
    ]
    assert active == ["The mayor said"]


def test_the_context_menu_offers_to_comment(window, qtbot):
    from PySide6.QtWidgets import QMenu

    _select(window, "an audit")
    menu = QMenu()
    clicked = window.editor.textCursor()
    for provider in window.editor._menu_providers:
        provider(menu, clicked)
    texts = [a.text() for a in menu.actions()]
    assert "Comment on Selection…" in texts
    next(a for a in menu.actions() if a.text() == "Comment on Selection…").trigger()
    assert window.review.composer.isVisible()
    assert window.side_tabs.currentWidget() is window.review
