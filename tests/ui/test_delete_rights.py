"""Article ▸ Delete follows the workflow rule: greyed out with the reason, refusals as messages."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from editor.core.model import Role
from editor.services.newsroom import Newsroom
from editor.ui import dialogs
from tests.ui.conftest import wait_for_list

REPORTER, EDITOR = "Rosa Reporter", "Eddie Editor"


@pytest.fixture(autouse=True)
def no_copy_desk_errors(monkeypatch):
    """The delete rule, not the house style, is under test here."""
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])


@pytest.fixture
def desk(newsroom):
    newsroom.add_user(REPORTER, Role.REPORTER)
    newsroom.add_user(EDITOR, Role.EDITOR)
    newsroom.switch_user(REPORTER)
    return newsroom


@pytest.fixture
def shown(monkeypatch) -> list[tuple[str, str]]:
    """Messages and questions the window puts up, answered without a modal box."""
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: seen.append((title, text)))

    def yes(_parent, title, text, *args):
        seen.append((title, text))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    return seen


def _open(qtbot, window, article_id: str) -> None:
    window.open_article(article_id)
    wait_for_list(qtbot, window.list_model)


def test_delete_is_greyed_out_with_the_reason(make_window, desk, qtbot, shown):
    draft = desk.create_article("Rosa's draft", "Words.")
    filed = desk.transition(desk.create_article("Rosa's filed story", "Words.").id, "submit")
    window = make_window()
    delete = window.actions["article_delete"]

    _open(qtbot, window, draft.id)
    assert delete.isEnabled()
    assert delete.toolTip().startswith("Delete: Delete it")

    _open(qtbot, window, filed.id)
    assert not delete.isEnabled()
    assert delete.toolTip() == "Delete: Only an editor can delete a submitted article"

    assert window.workflow.switch_user(EDITOR)
    assert delete.isEnabled()  # the rights follow the person at once


def test_a_refused_delete_is_a_message_and_deletes_nothing(make_window, desk, qtbot, shown):
    filed = desk.transition(desk.create_article("Filed", "Words.").id, "submit")
    window = make_window()
    _open(qtbot, window, filed.id)
    window.delete_article()  # as if the greyed action were triggered anyway (a shortcut)
    assert shown == [("Delete Article", "Only an editor can delete a submitted article.")]
    assert window.session.article.id == filed.id  # still open, not asked to confirm
    assert window.list_model.row_of(filed.id) is not None
    assert desk.get_article(filed.id).deleted_at is None


def test_a_published_article_is_never_deleted(make_window, desk, qtbot, shown):
    story = desk.transition(desk.create_article("Published", "Words.").id, "submit")
    desk.switch_user(EDITOR)
    desk.transition(story.id, "approve")
    desk.transition(story.id, "publish")
    window = make_window()
    _open(qtbot, window, story.id)
    delete = window.actions["article_delete"]
    assert not delete.isEnabled()
    assert "publish a correction instead" in delete.toolTip()
    window.delete_article()
    assert shown == [
        ("Delete Article", "A published article cannot be deleted: publish a correction instead.")
    ]
    assert desk.get_article(story.id).deleted_at is None


def test_an_allowed_delete_still_asks_and_can_be_undone(make_window, desk, qtbot, shown):
    draft = desk.create_article("Rosa's draft", "Words.")
    window = make_window()
    _open(qtbot, window, draft.id)
    window.actions["article_delete"].trigger()
    assert [title for title, _text in shown] == ["Delete Article"]  # the question only
    wait_for_list(qtbot, window.list_model)
    assert window.list_model.row_of(draft.id) is None
    window.actions["edit_undo_delete"].trigger()
    wait_for_list(qtbot, window.list_model)
    assert window.list_model.row_of(draft.id) is not None
