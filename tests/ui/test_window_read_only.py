"""Read-only in the window: a bar above the body says why typing does nothing, the
details stay readable, and the workflow strip follows one's own saves at once."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor

from editor.core.model import Role, Status
from editor.services.workflow import Action
from editor.ui.theme import apply_theme
from tests.ui.conftest import wait_for_list

REPORTER, EDITOR_A, EDITOR_B = "Rosa Reporter", "Eddie Editor", "Bea Editor"


@pytest.fixture
def desk(newsroom, monkeypatch):
    from editor.services.newsroom import Newsroom

    # No copy-desk errors in these stories: Submit goes through.
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])
    newsroom.add_user(REPORTER, Role.REPORTER)
    newsroom.add_user(EDITOR_A, Role.EDITOR)
    newsroom.add_user(EDITOR_B, Role.EDITOR)
    newsroom.switch_user(REPORTER)
    return newsroom


def _as(qtbot, window, name: str) -> None:
    assert window.workflow.switch_user(name)
    wait_for_list(qtbot, window.list_model)
    qtbot.waitUntil(lambda: not window.workflow.desk_views.busy, timeout=5000)


def _submitted(desk) -> str:
    article = desk.create_article("Bridge reopens", "The bridge reopened today.", section="Local")
    desk.transition(article.id, Action.SUBMIT, "")
    return article.id


def test_a_submitted_story_says_why_it_is_read_only_above_the_body(make_window, desk, qtbot):
    article_id = _submitted(desk)
    window = make_window()
    window.open_article(article_id)
    bar = window.read_only_bar
    assert window.editor.isReadOnly()
    assert bar.isVisible()
    text = bar.plain_text()
    assert text.startswith("Submitted: read-only for you.")
    edit = next(d for d in desk.allowed_actions(desk.get_article(article_id))
                if d.action is Action.EDIT)  # fmt: skip
    assert edit.reason.rstrip(".").lower() in text.lower()  # the workflow's own reason
    assert not bar.button.isVisible()  # nothing a reporter can do about it here

    _as(qtbot, window, EDITOR_A)  # the desk edits submitted stories: no bar
    assert not window.editor.isReadOnly()
    assert not bar.isVisible()


def test_an_approved_story_offers_reopen_to_an_editor(make_window, desk, qtbot):
    article_id = _submitted(desk)
    desk.switch_user(EDITOR_A)
    desk.transition(article_id, Action.APPROVE, "")
    window = make_window()
    window.open_article(article_id)
    bar = window.read_only_bar
    assert bar.plain_text().startswith("Approved: read-only.")
    assert "reopen" in bar.plain_text().lower()
    assert bar.button.isVisible() and bar.button.text() == "Reopen"
    window.side_tabs.setCurrentWidget(window.inspector)

    bar.button.click()
    assert desk.get_article(article_id).status is Status.SUBMITTED
    assert not window.editor.isReadOnly()  # editors edit submitted stories
    assert not bar.isVisible()


@pytest.fixture
def themed(app):
    """The window's own look (Fusion, palette, style sheet), put back afterwards."""
    style, palette, sheet = app.style().name(), app.palette(), app.styleSheet()
    apply_theme(app)
    yield app
    app.setStyleSheet(sheet)
    app.setPalette(palette)
    app.setStyle(style)


def _darkest(widget) -> int:
    """The lightness of the darkest pixel drawn: the text, in a field with one line."""
    image = widget.grab().toImage()
    return min(
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), 1)
        for y in range(0, image.height(), 1)
    )


def test_read_only_details_are_drawn_in_the_normal_text_colour(make_window, desk, qtbot, themed):
    article_id = _submitted(desk)
    window = make_window()
    window.side_tabs.setCurrentWidget(window.inspector)
    window.open_article(article_id)
    inspector = window.inspector
    headline, section = inspector.headline, inspector.section
    assert headline.text() == "Bridge reopens" and section.currentText() == "Local"
    assert headline.isReadOnly() and headline.isEnabled()  # not greyed out
    assert _darkest(headline) < 80  # dark text, as in an editable field
    assert _darkest(section) < 80

    _as(qtbot, window, EDITOR_A)  # editable again: the usual look
    assert not headline.isReadOnly() and section.isEnabled()
    assert headline.property("locked") is False


def test_after_ones_own_save_approve_is_greyed_with_the_reason(make_window, desk, qtbot):
    article_id = _submitted(desk)
    desk.switch_user(EDITOR_A)
    window = make_window()
    window.open_article(article_id)
    approve = window.workflow.bar.buttons[Action.APPROVE]
    assert approve.isEnabled()  # a reporter wrote it

    window.editor.setFocus()
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, " Tolls are waived.")
    window.actions["file_save"].trigger()  # no reload: the save alone must refresh it

    decision = next(d for d in desk.allowed_actions(desk.get_article(article_id))
                    if d.action is Action.APPROVE)  # fmt: skip
    assert not decision.allowed
    assert not approve.isEnabled()
    assert decision.reason.rstrip(".") in approve.toolTip()
    assert not window.actions["article_approve"].isEnabled()
    assert decision.reason in window.actions["article_approve"].toolTip()


def test_an_autosave_refreshes_the_strip_too(make_window, desk, qtbot):
    article_id = _submitted(desk)
    desk.switch_user(EDITOR_A)
    window = make_window()
    window.open_article(article_id)
    approve = window.workflow.bar.buttons[Action.APPROVE]
    assert approve.isEnabled()
    window.editor.setFocus()
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, " Tolls are waived.")
    with qtbot.waitSignal(window.session.saved, timeout=5000):
        pass  # the autosave (150 ms in the tests), on its worker thread
    qtbot.waitUntil(lambda: not approve.isEnabled(), timeout=3000)
    assert "another editor must approve" in approve.toolTip()


def test_typing_into_a_locked_story_says_why(make_window, desk, qtbot):
    article_id = _submitted(desk)
    window = make_window()
    window.open_article(article_id)
    window.status.clearMessage()
    before = window.body_stack.markdown()
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "x")
    assert window.body_stack.markdown() == before  # nothing typed
    message = window.status.currentMessage()
    assert message == window.read_only_bar.plain_text()
    assert message.startswith("Submitted: read-only for you.")

    _as(qtbot, window, EDITOR_A)  # editable: the key types, no message
    window.status.clearMessage()
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "x")
    assert window.status.currentMessage() == ""


def test_import_notes_are_greyed_on_a_locked_story(make_window, desk, qtbot):
    from PySide6.QtWidgets import QPushButton

    article = desk.create_article("Bridge reopens", "The bridge reopened today.", section="Local")
    notes = [{"kind": "related", "text": "See also: the old bridge", "position": 1}]
    article = desk.save_article(
        article.id, expected_version=article.version, changes={"import_notes": notes}
    )
    desk.transition(article.id, Action.SUBMIT, "")
    window = make_window()
    window.open_article(article.id)
    buttons = window.inspector.import_notes.rows[0].findChildren(QPushButton)
    assert {b.objectName() for b in buttons} == {"putBack", "dismissNote"}
    assert not any(b.isEnabled() for b in buttons)  # a reporter may not change it now
    assert all(b.toolTip() for b in buttons)  # and is told why

    _as(qtbot, window, EDITOR_A)  # the desk edits submitted stories
    buttons = window.inspector.import_notes.rows[0].findChildren(QPushButton)
    assert all(b.isEnabled() for b in buttons)
