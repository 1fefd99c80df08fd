"""Bugs the every-action test found, each pinned by a focused test of its own."""

from __future__ import annotations

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

from editor.core.model import Role
from editor.services import review
from editor.services.newsroom import Newsroom
from editor.ui.review.panel import HIGHLIGHT

LONG_BODY = (
    "The council leader said the river rose two metres overnight and would fall by the "
    "weekend, and residents were told to stay away from the banks, the council said."
)
SHORT_BODY = "Short."


def _warnings_while(run) -> list[str]:
    seen: list[str] = []

    def handler(kind, _context, message):
        if kind not in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            seen.append(message)

    previous = qInstallMessageHandler(handler)
    try:
        run()
    finally:
        qInstallMessageHandler(previous)
    return seen


def test_opening_an_article_after_one_with_comments_draws_no_stale_anchor(
    make_window, newsroom, qtbot
):
    commented = newsroom.create_article("Flood", LONG_BODY)
    at = LONG_BODY.find("stay away from the banks")
    newsroom.add_comment(
        commented.id,
        **review.selection_anchor(LONG_BODY, at, at + len("stay away from the banks")),
        body="Who told them?",
    )
    short = newsroom.create_article("Short", SHORT_BODY)
    window = make_window()
    assert window.open_article(commented.id)
    assert window.review.highlighted()
    warnings = _warnings_while(lambda: window.open_article(short.id))
    assert not [w for w in warnings if "out of range" in w], warnings
    assert window.review.threads == [] and window.review.anchors == {}
    assert window.review.highlighted() == []


def test_a_highlight_past_the_end_of_shortened_text_is_clamped(make_window, newsroom, qtbot):
    article = newsroom.create_article("Flood", LONG_BODY)
    window = make_window()
    window.open_article(article.id)
    panel = window.review
    warnings = _warnings_while(
        lambda: panel._update_highlights([panel._selection(5, 900, HIGHLIGHT, "")])
    )
    assert not [w for w in warnings if "out of range" in w], warnings


def _read_only_draft(newsroom: Newsroom, body: str) -> str:
    """A draft by one reporter, the window's user being another reporter (read-only)."""
    newsroom.add_user("Rosa Reporter", Role.REPORTER)
    newsroom.add_user("Ray Rival", Role.REPORTER)
    author = Newsroom(newsroom.store, newsroom.user)
    author.switch_user("Rosa Reporter")
    article = author.create_article("Flood", body)
    newsroom.switch_user("Ray Rival")
    return article.id


def test_a_quick_fix_on_a_read_only_story_is_refused_and_leaves_no_save(
    make_window, newsroom, qtbot
):
    body = "He saw the the river rise.\n\nIt rose 5% in a day."
    article_id = _read_only_draft(newsroom, body)
    window = make_window()
    assert window.open_article(article_id)
    assert window.editor.isReadOnly()
    panel = window.checks
    qtbot.waitUntil(lambda: not panel.busy and bool(panel.findings), timeout=10000)
    fixable = [f for f in panel.findings if f.has_fix]
    assert fixable
    for action in panel.finding_actions(fixable[0], panel):
        if action.objectName() in ("checkFix", "checkChoice"):
            assert not action.isEnabled()
    assert panel.apply_fix(fixable[0]) is False
    assert "read-only" in panel.summary.text()
    assert window.session.article.body == body
    assert not window.session._dirty
    # Switching to another article saves nothing (before: a refused autosave, a dialog).
    failures: list[str] = []
    window.session.failed.connect(failures.append)
    other = newsroom.create_article("Mine", "My own words.")
    assert window.open_article(other.id)
    assert failures == []


def test_a_read_only_session_never_becomes_dirty(make_window, newsroom, qtbot):
    article_id = _read_only_draft(newsroom, "The river rose.")
    window = make_window()
    assert window.open_article(article_id)
    session = window.session
    refused: list[bool] = []
    session.edit_refused.connect(lambda: refused.append(True))
    session.note_field_edited("headline", "Changed")
    session.note_body_edited()
    assert refused and not session._dirty and session.pending_fields == set()
    assert session.save(reason="autosave")
    # The refused edit is not left on screen either: the stored text is shown again.
    cursor = window.editor.textCursor()
    cursor.insertText("typed anyway ")
    qtbot.waitUntil(lambda: "typed anyway" not in window.editor.toPlainText(), timeout=3000)
    assert not session._dirty
