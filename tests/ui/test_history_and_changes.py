"""Changes since review (track changes and side by side) and the history browser's restore."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from editor.services.newsroom import Newsroom
from editor.ui.review import history_dialog
from editor.ui.review.changes_view import DELETE_STYLE, INSERT_STYLE, open_changes, styled
from editor.ui.review.history_dialog import COMPARE_CURRENT, open_history

FIRST = "The council met on Tuesday.\n\nCritics said the budget was not balanced."
SECOND = (
    "The council met on Tuesday.\n\n"
    "Councillor Jane Hill said the budget was not balanced.\n\nA vote is due in May."
)


@pytest.fixture(autouse=True)
def no_copy_desk_errors(monkeypatch):
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])


@pytest.fixture
def story(newsroom: Newsroom):
    """Rita files, Ed returns it, Rita rewrites and files again: Ed reviews in the window."""
    rita = Newsroom(newsroom.store, newsroom.add_user("Rita", "reporter"))
    ed = Newsroom(newsroom.store, newsroom.add_user("Ed", "editor"))
    article = rita.create_article("Budget row", FIRST)
    rita.transition(article.id, "submit")
    ed.transition(article.id, "return", "Name the critic")
    current = rita.get_article(article.id)
    rita.save_article(
        article.id,
        expected_version=current.version,
        body=SECOND,
        changes={"headline": "Budget row deepens"},
    )
    rita.transition(article.id, "submit")
    return ed, rita.get_article(article.id)


def _plain(pane) -> str:
    return pane.toPlainText()


def test_styled_turns_core_markup_into_qt_spans():
    html = styled('a <del>b</del><ins>c</ins> <ins class="break">¶</ins>')
    assert "<ins" not in html and "<del" not in html
    assert html.count(INSERT_STYLE) == 2 and html.count(DELETE_STYLE) == 1


def test_changes_since_my_last_review(make_window, story, qtbot):
    ed, article = story
    window = make_window(room=ed)
    window.open_article(article.id)
    dialog = open_changes(window)
    qtbot.addWidget(dialog)
    assert dialog.heading.text().startswith("Changes since your last review")
    returned = ed.last_reviewed_revision(article.id)
    assert dialog.old_combo.currentData() == returned
    assert dialog.new_combo.currentData() == article.head_revision_id

    html = dialog.view.inline_html()
    text = _plain(dialog.view.inline)
    assert "Critics" in text and "Councillor Jane Hill" in text and "A vote is due in May" in text
    assert "line-through" in html and "underline" in html
    view = dialog.view
    assert "+9 words" in view.summary.text() and "−1 word<" in view.summary.text()
    assert "Budget row deepens" in view.details.text()  # the headline changed too

    view.show_side_by_side()
    assert view.stack.currentWidget() is view.side
    before, after = _plain(view.side.old), _plain(view.side.new)
    assert "Critics" in before and "Councillor" not in before
    assert "Councillor Jane Hill" in after and "Critics" not in after
    # One block per paragraph row on both sides, so the panes scroll in step.
    assert view.side.old.document().blockCount() == view.side.new.document().blockCount()

    # Any two revisions: the first one against the returned one shows no text change.
    first = dialog.revisions[-1].id
    dialog.choose(first, returned)
    assert view.summary.text() == "No changes."
    dialog.swap()
    assert dialog.old_combo.currentData() == returned
    dialog.show_since_review()
    assert dialog.old_combo.currentData() == returned


def test_without_a_review_changes_run_from_the_first_version(make_window, newsroom, qtbot):
    article = newsroom.create_article("Fresh", FIRST)
    window = make_window()
    window.open_article(article.id)
    window.editor.textCursor().insertText("Breaking: ")
    dialog = open_changes(window)  # saves first, so "now" is what is on screen
    qtbot.addWidget(dialog)
    assert "first version" in dialog.heading.text()
    assert "Breaking:" in _plain(dialog.view.inline)
    assert "+1 word<" in dialog.view.summary.text()


def test_history_lists_views_and_diffs_revisions(make_window, story, qtbot):
    ed, article = story
    window = make_window(room=ed)
    window.open_article(article.id)
    dialog = open_history(window)
    qtbot.addWidget(dialog)
    revisions = ed.revisions(article.id)
    assert dialog.tree.topLevelItemCount() == len(revisions)
    top = dialog.tree.topLevelItem(0)
    assert top.text(1) == "Rita" and "current" in top.text(2)
    assert not dialog.restore_button.isEnabled()  # the current one cannot be restored

    oldest = dialog.tree.topLevelItem(dialog.tree.topLevelItemCount() - 1)
    dialog.tree.setCurrentItem(oldest)
    assert "Critics said" in _plain(dialog.text_view)
    assert dialog.restore_button.isEnabled()
    dialog.compare.setCurrentIndex(dialog.compare.findData(COMPARE_CURRENT))
    assert "Councillor Jane Hill" in _plain(dialog.diff_view.inline)
    assert "+9 words" in dialog.diff_view.summary.text()


def test_restore_makes_a_new_revision_and_the_editor_shows_it(
    make_window, story, qtbot, monkeypatch
):
    ed, article = story
    window = make_window(room=ed)
    window.open_article(article.id)
    before = ed.revisions(article.id)
    dialog = open_history(window)
    qtbot.addWidget(dialog)
    oldest = before[0]
    dialog.select_revision(oldest.id)

    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *args, **kwargs: asked.append(args) or QMessageBox.StandardButton.Cancel,
    )
    assert not dialog.ask_restore()  # cancelled: nothing happens
    assert len(ed.revisions(article.id)) == len(before)

    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes
    )
    assert dialog.ask_restore()
    after = ed.revisions(article.id)
    assert len(after) == len(before) + 1
    assert after[-1].reason == "restore" and after[-1].body == FIRST
    assert [r.body for r in after[:-1]] == [r.body for r in before]  # history kept as it was
    assert "Critics said the budget" in window.editor.toPlainText()
    assert window.headline_field.text() == "Budget row"
    assert window.session.article.head_revision_id == after[-1].id
    assert dialog.tree.topLevelItemCount() == len(after)  # the dialog shows the new one
    assert "Restored" in dialog.tree.topLevelItem(0).text(2)


def test_a_refused_restore_says_why(make_window, story, qtbot, monkeypatch):
    ed, article = story
    ed.transition(article.id, "approve")  # approved articles are read-only
    window = make_window(room=ed)
    window.open_article(article.id)
    errors = []
    monkeypatch.setattr(
        history_dialog.dialogs, "show_error", lambda parent, title, text: errors.append(text)
    )
    dialog = open_history(window)
    qtbot.addWidget(dialog)
    revisions = ed.revisions(article.id)
    assert not dialog.restore(revisions[0].id)
    assert errors and "approved" in errors[0].lower()
    assert len(ed.revisions(article.id)) == len(revisions)
