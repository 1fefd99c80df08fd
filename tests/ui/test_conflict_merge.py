"""A stale save compares the two versions and merges them when they touched different parts.

A colleague (here: the same person in another window, as the desk watch tests do) saves
the open article while the person has unsaved changes; the person's save is refused as
stale and the conflict dialog decides. When the edits touched different paragraphs and
fields, Merge Both saves both; when they touched the same one, only the old choices are
offered, and in both cases the comparison shows both texts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from editor.core.merge import merge_edits
from editor.services.newsroom import Newsroom
from editor.services.syncing import sync_with
from editor.store.models import RevisionRow
from editor.ui import dialogs
from editor.ui.conflict_dialog import (
    ComparisonView,
    ConflictDialog,
    ConflictMessage,
    ConflictVersions,
    comparison_html,
)
from editor.ui.dialogs import ConflictChoice
from tests.store.test_sync_support import state
from tests.ui.saving_support import open_in_window

BODY = (
    "The tide turned at noon.\n\n"
    "Boats stayed in the harbour all afternoon.\n\n"
    "The mayor spoke at six.\n"
)
REAL_ASK = dialogs.ask_conflict


@pytest.fixture
def colleague(store_path: Path, newsroom: Newsroom) -> Iterator[Newsroom]:
    """Someone else on the same store (another window of the same reporter)."""
    newsroom.add_user("rita", "reporter")
    newsroom.switch_user("rita")
    room = Newsroom.open(store_path, "rita")
    yield room
    room.close()


class Answers:
    """Answers `dialogs.ask_conflict` with `choice`, keeping what it was asked."""

    def __init__(self, monkeypatch, choice: ConflictChoice) -> None:
        self.choice = choice
        self.asked: list[ConflictMessage] = []
        monkeypatch.setattr(dialogs, "ask_conflict", self)

    def __call__(self, _parent, message: str) -> ConflictChoice:
        assert isinstance(message, ConflictMessage)
        self.asked.append(message)
        return self.choice

    @property
    def versions(self) -> ConflictVersions:
        assert self.asked and self.asked[-1].versions is not None
        return self.asked[-1].versions


class Pressed:
    """Runs the real dialog, pressing the button `label`; keeps its buttons and text."""

    def __init__(self, monkeypatch, label: str) -> None:
        self.label = label
        self.buttons: list[str] = []
        self.default = ""
        self.comparison = ""
        self.informative = ""
        monkeypatch.setattr(QMessageBox, "exec", lambda box: self._exec(box))

    def _exec(self, box: QMessageBox) -> int:
        assert isinstance(box, ConflictDialog)
        self.buttons = [button.text() for button in box.buttons()]
        self.default = box.defaultButton().text()
        self.comparison = box.comparison.text()
        self.informative = box.informativeText()
        for button in box.buttons():
            if button.text() == self.label:
                button.click()
        return 0


def _settle(monkeypatch, window) -> None:
    """End a test's unresolved conflict (the window saves on closing, and would ask)."""
    monkeypatch.setattr(dialogs, "ask_conflict", REAL_ASK)
    Pressed(monkeypatch, "Reload Theirs")
    assert window.session.save() is True
    assert not window.session.in_conflict


def _open(make_window, newsroom, body: str = BODY, **fields):
    return open_in_window(make_window, newsroom, "Harbour wall holds", body, **fields)


def _type_at_end_of_paragraph(qtbot, window, number: int, text: str) -> None:
    window.editor.setFocus()
    block = window.editor.document().findBlockByNumber(number)
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    window.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor, text)


def _their_save(colleague: Newsroom, article_id: str, **what) -> None:
    theirs = colleague.get_article(article_id)
    colleague.save_article(article_id, expected_version=theirs.version, **what)


def test_edits_of_different_paragraphs_merge_and_both_are_saved(
    make_window, newsroom, colleague, qtbot, monkeypatch
) -> None:
    article, window = _open(make_window, newsroom)
    _their_save(colleague, article.id, body=BODY.replace("at six.", "at six, briefly."))
    _type_at_end_of_paragraph(qtbot, window, 0, " Mine")
    answers = Answers(monkeypatch, ConflictChoice.MERGE)

    assert window.session.save() is True

    assert len(answers.asked) == 1 and "after you opened it" in answers.asked[0]
    assert answers.versions.can_merge
    stored = newsroom.get_article(article.id)
    assert "The tide turned at noon. Mine" in stored.body
    assert "The mayor spoke at six, briefly." in stored.body
    text = window.editor.toPlainText()
    assert "noon. Mine" in text and "six, briefly." in text
    assert not window.isWindowModified() and not window.session.in_conflict
    assert window.session.article.version == stored.version
    assert window.editor.textCursor().blockNumber() == 0  # still where the person typed
    assert "Merged with rita’s changes and saved" in window.status.currentMessage()
    assert [r.reason for r in newsroom.revisions(article.id)][-2:] == ["save", "merge"]
    assert newsroom.store.journal.list_journal() == []  # saved: nothing left to recover


def test_a_merge_is_saved_with_both_parents_and_a_sync_fast_forwards_it(
    make_window, newsroom, colleague, store_path, tmp_path, qtbot, monkeypatch
) -> None:
    article, window = _open(make_window, newsroom)
    laptop = Newsroom.open(tmp_path / "laptop.db", bootstrap=False, reader=True)
    try:
        sync_with(laptop, str(store_path))  # a second store that has the article as loaded
        laptop.switch_user("rita")
        _their_save(colleague, article.id, body=BODY.replace("at six.", "at six, briefly."))
        theirs = colleague.get_article(article.id).head_revision_id
        _type_at_end_of_paragraph(qtbot, window, 0, " Mine")
        Answers(monkeypatch, ConflictChoice.MERGE)

        assert window.session.save() is True

        stored = newsroom.get_article(article.id)
        with newsroom.store.db.read() as session:
            merge = session.get(RevisionRow, stored.head_revision_id)
            own = session.get(RevisionRow, merge.parent_id)
            assert merge.reason == "merge" and merge.second_parent_id == theirs
            assert own.parent_id == article.head_revision_id  # the version the person loaded
            assert "noon. Mine" in own.body and "briefly" not in own.body  # the person's side
            assert "noon. Mine" in merge.body and "six, briefly." in merge.body

        report = sync_with(laptop, str(store_path))
        assert report.down == [article.id] and report.merged == []  # a fast-forward
        assert laptop.get_article(article.id).head_revision_id == stored.head_revision_id
        assert state(laptop.store) == state(newsroom.store)
        later = laptop.get_article(article.id)
        laptop.save_article(
            article.id, expected_version=later.version, body=later.body + "\nLater.\n"
        )
        report = sync_with(laptop, str(store_path))
        assert report.up == [article.id] and report.merged == []  # and back the other way
        assert newsroom.get_article(article.id).body.endswith("Later.\n")
        assert state(laptop.store) == state(newsroom.store)
    finally:
        laptop.close()


def test_undo_after_a_merge_brings_back_the_persons_own_text(
    make_window, newsroom, colleague, qtbot, monkeypatch
) -> None:
    article, window = _open(make_window, newsroom)
    _their_save(colleague, article.id, body=BODY.replace("at six.", "at six, briefly."))
    _type_at_end_of_paragraph(qtbot, window, 0, " Mine")
    Answers(monkeypatch, ConflictChoice.MERGE)
    assert window.session.save() is True

    window.editor.setFocus()
    window.actions["edit_undo"].trigger()

    text = window.editor.toPlainText()
    assert "noon. Mine" in text and "six, briefly." not in text
    assert window.isWindowModified()  # their version stays saved until this is saved
    assert "six, briefly." in newsroom.get_article(article.id).body


def test_a_merge_in_the_markdown_source_view_is_undoable_there_too(
    make_window, newsroom, colleague, qtbot, monkeypatch
) -> None:
    article, window = _open(make_window, newsroom)
    window.body_stack.set_source_mode(True)
    _their_save(colleague, article.id, body=BODY.replace("at six.", "at six, briefly."))
    source = window.body_stack.source
    source.setFocus()
    cursor = QTextCursor(source.document().findBlockByNumber(0))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    source.setTextCursor(cursor)
    qtbot.keyClicks(source, " Mine")
    Answers(monkeypatch, ConflictChoice.MERGE)

    assert window.session.save() is True

    stored = newsroom.get_article(article.id).body
    assert "noon. Mine" in stored and "six, briefly." in stored
    assert "six, briefly." in source.toPlainText()
    source.undo()
    assert "six, briefly." not in source.toPlainText() and "noon. Mine" in source.toPlainText()
    window.body_stack.set_source_mode(False)


def test_a_stale_autosave_on_the_worker_merges_too(
    make_window, newsroom, colleague, qtbot, monkeypatch
) -> None:
    article, window = open_in_window(
        make_window, newsroom, "Harbour wall holds", BODY, autosave_ms=150
    )
    answers = Answers(monkeypatch, ConflictChoice.MERGE)
    _their_save(colleague, article.id, body=BODY.replace("at six.", "at six, briefly."))
    _type_at_end_of_paragraph(qtbot, window, 0, " Mine")

    qtbot.waitUntil(
        lambda: len(answers.asked) == 1 and not window.isWindowModified(), timeout=10000
    )

    stored = newsroom.get_article(article.id).body
    assert "noon. Mine" in stored and "six, briefly." in stored
    assert not window.session.in_conflict


def test_a_colleague_saving_again_while_the_dialog_is_open_is_merged_too(
    make_window, newsroom, colleague, qtbot, monkeypatch
) -> None:
    article, window = _open(make_window, newsroom)
    _their_save(colleague, article.id, body=BODY.replace("at six.", "at six, briefly."))
    _type_at_end_of_paragraph(qtbot, window, 0, " Mine")
    answers = Answers(monkeypatch, ConflictChoice.MERGE)
    asked = answers.__call__

    def ask_then_they_save_again(parent, message: str) -> ConflictChoice:
        if not answers.asked:  # while the first question is open
            current = colleague.get_article(article.id).body
            _their_save(colleague, article.id, body=current.replace("all afternoon", "all day"))
        return asked(parent, message)

    monkeypatch.setattr(dialogs, "ask_conflict", ask_then_they_save_again)

    assert window.session.save() is True

    assert len(answers.asked) == 2  # the merge met their newer version: asked about it
    stored = newsroom.get_article(article.id).body
    assert "noon. Mine" in stored and "six, briefly." in stored and "all day" in stored
    assert not window.isWindowModified()


def test_undo_in_a_detail_after_a_merge_brings_back_the_persons_value(
    make_window, newsroom, colleague, qtbot, monkeypatch
) -> None:
    article, window = _open(make_window, newsroom)
    _their_save(colleague, article.id, changes={"standfirst": "Theirs."})
    window.headline_field.setText("Harbour wall holds, mine")
    window.edit_field("headline", "Harbour wall holds, mine")
    Answers(monkeypatch, ConflictChoice.MERGE)
    assert window.session.save() is True
    stored = newsroom.get_article(article.id)
    assert (stored.headline, stored.standfirst) == ("Harbour wall holds, mine", "Theirs.")
    assert window.inspector.standfirst.toPlainText() == "Theirs."

    window.history.stack.undo()  # their standfirst, put in by the merge

    assert window.inspector.standfirst.toPlainText() == ""
    assert window.headline_field.text() == "Harbour wall holds, mine"


def test_the_real_dialog_offers_merge_both_first_and_merges(
    make_window, newsroom, colleague, qtbot, monkeypatch
) -> None:
    article, window = _open(make_window, newsroom)
    _their_save(colleague, article.id, body=BODY.replace("at six.", "at six, briefly."))
    _type_at_end_of_paragraph(qtbot, window, 0, " Mine")
    pressed = Pressed(monkeypatch, "Merge Both")

    window.actions["file_save"].trigger()

    assert "Merge Both" in pressed.buttons
    assert pressed.default == "Merge Both"
    assert "changed different parts" in pressed.informative
    stored = newsroom.get_article(article.id).body
    assert "noon. Mine" in stored and "six, briefly." in stored
    assert not window.isWindowModified()


def test_the_same_paragraph_changed_on_both_sides_offers_only_the_old_choices(
    make_window, newsroom, colleague, qtbot, monkeypatch
) -> None:
    article, window = _open(make_window, newsroom)
    _their_save(colleague, article.id, body=BODY.replace("at noon.", "at half past noon."))
    _type_at_end_of_paragraph(qtbot, window, 0, " Mine")
    pressed = Pressed(monkeypatch, "Keep Editing")

    assert window.session.save() is False

    assert "Merge Both" not in pressed.buttons
    assert {"Save My Version as a Copy", "Reload Theirs", "Keep Editing"} <= set(pressed.buttons)
    assert pressed.default == "Save My Version as a Copy"
    assert "both changed the same paragraph" in pressed.informative
    # The diff is still there: both texts of the paragraph.
    assert "half past noon." in pressed.comparison and "noon. Mine" in pressed.comparison
    assert "Changed in both versions" in pressed.comparison
    assert window.session.in_conflict and window.isWindowModified()
    assert "noon. Mine" in window.editor.toPlainText()
    assert "half past noon." in newsroom.get_article(article.id).body

    # The old choices work as before: a copy keeps the person's text.
    pressed = Pressed(monkeypatch, "Save My Version as a Copy")
    assert window.session.save() is True
    assert window.session.article.id != article.id
    assert "noon. Mine" in newsroom.get_article(window.session.article.id).body


def test_a_merge_is_never_applied_when_the_dialog_answers_merge_to_a_true_conflict(
    make_window, newsroom, colleague, qtbot, monkeypatch
) -> None:
    article, window = _open(make_window, newsroom)
    _their_save(colleague, article.id, body=BODY.replace("at noon.", "at half past noon."))
    _type_at_end_of_paragraph(qtbot, window, 0, " Mine")
    answers = Answers(monkeypatch, ConflictChoice.MERGE)

    assert window.session.save() is False

    assert not answers.versions.can_merge
    assert newsroom.get_article(article.id).body.startswith("The tide turned at half past")
    assert window.session.in_conflict and "noon. Mine" in window.editor.toPlainText()
    _settle(monkeypatch, window)


def test_their_metadata_and_my_body_merge_field_by_field(
    make_window, newsroom, colleague, qtbot, monkeypatch
) -> None:
    article, window = _open(make_window, newsroom, tags=["harbour"])
    _their_save(
        colleague,
        article.id,
        changes={"headline": "Harbour wall holds firm", "tags": "harbour, storm"},
    )
    _type_at_end_of_paragraph(qtbot, window, 1, " Mine")
    window.inspector.set_field_value("standfirst", "Calm again.")
    window.edit_field("standfirst", "Calm again.")
    answers = Answers(monkeypatch, ConflictChoice.MERGE)

    assert window.session.save() is True

    merge = answers.versions.merge
    assert set(merge.first_changed) == {"headline", "tags"}
    assert set(merge.second_changed) == {"body", "standfirst"}
    stored = newsroom.get_article(article.id)
    assert stored.headline == "Harbour wall holds firm"
    assert stored.tags == ["harbour", "storm"]
    assert stored.standfirst == "Calm again."
    assert "all afternoon. Mine" in stored.body
    assert window.headline_field.text() == "Harbour wall holds firm"
    assert window.inspector.fields["tags"].text() == "harbour, storm"
    assert not window.isWindowModified()


def test_the_same_field_changed_on_both_sides_is_a_true_conflict(
    make_window, newsroom, colleague, qtbot, monkeypatch
) -> None:
    article, window = _open(make_window, newsroom)
    _their_save(colleague, article.id, changes={"headline": "Theirs"})
    window.headline_field.setText("Mine")
    window.edit_field("headline", "Mine")
    pressed = Pressed(monkeypatch, "Keep Editing")

    assert window.session.save() is False

    assert "Merge Both" not in pressed.buttons
    assert "both changed the headline" in pressed.informative
    assert "Headline · changed in both versions" in pressed.comparison
    _settle(monkeypatch, window)


def test_the_comparison_shows_both_texts_side_by_side_with_the_differing_details(app) -> None:
    from editor.core.model import Article

    base = Article(id="a", headline="Harbour", body=BODY, tags=["harbour"])
    theirs = replace(base, headline="Harbour wall", body=BODY.replace("at six.", "at seven."))
    mine = replace(base, body=BODY.replace("at noon.", "at noon, mine."))
    versions = ConflictVersions(base, mine, theirs, "Rita", None, merge_edits(base, theirs, mine))

    view = ComparisonView(versions)
    text = view.text()

    assert "Rita’s version" in text and "Your version (not saved)" in text
    assert "Headline · changed by Rita" in text
    assert "Changed by Rita" in text and "Changed by you" in text
    assert "The mayor spoke at seven." in text and "The mayor spoke at six." in text
    assert "at noon, mine." in text and "The tide turned at noon." in text
    assert (
        view.summary.text() == "Rita changed 1 paragraph and the headline; you changed 1 paragraph."
    )
    # The words only one version has are marked, each in its version's colour.
    page = comparison_html(versions)
    assert "seven" in page and "background-color:#dbeafe" in page
    assert "background-color:#dcfce7" in page


def test_differing_tags_are_listed_with_the_ones_only_one_version_has_marked(app) -> None:
    from editor.core.model import Article

    base = Article(id="a", headline="Harbour", body=BODY, tags=["harbour"])
    theirs = replace(base, tags=["harbour", "storm"])
    versions = ConflictVersions(base, base, theirs, "Rita", None, merge_edits(base, theirs, base))

    page = comparison_html(versions)

    assert "Tags · changed by Rita" in ComparisonView(versions).text()
    assert 'harbour, <span style="background-color:#dbeafe; color:#1e3a8a;">storm</span>' in page


def test_long_runs_of_unchanged_paragraphs_fold_until_asked(app) -> None:
    from editor.core.model import Article

    body = "\n\n".join(f"Paragraph number {n} of the story." for n in range(40))
    base = Article(id="a", headline="Long", body=body)
    mine = replace(base, body=body.replace("number 3 of", "number three of"))
    theirs = replace(base, body=body.replace("number 30 of", "number thirty of"))
    versions = ConflictVersions(base, mine, theirs, "Rita", None, merge_edits(base, theirs, mine))

    view = ComparisonView(versions)
    assert "unchanged paragraphs" in view.text()
    assert "Paragraph number 15 of" not in view.text()
    view.whole.setChecked(True)
    assert "Paragraph number 15 of" in view.text()


def test_a_save_that_only_moved_the_article_on_says_so(app) -> None:
    from editor.core.model import Article, Status

    base = Article(id="a", headline="Harbour", body=BODY)
    theirs = replace(base, status=Status.CHANGES_REQUESTED)
    mine = replace(base, body=BODY.replace("at noon.", "at noon, mine."))
    versions = ConflictVersions(base, mine, theirs, "Ed", None, merge_edits(base, theirs, mine))

    assert versions.can_merge
    assert ComparisonView(versions).summary.text() == (
        "Ed moved it to Returned; you changed 1 paragraph."
    )
    assert versions.merged_article().status is Status.CHANGES_REQUESTED


def test_the_dialog_is_sized_for_two_columns_and_can_be_resized(app, qtbot) -> None:
    from editor.core.model import Article

    base = Article(id="a", headline="Harbour", body=BODY)
    mine = replace(base, body=BODY.replace("at noon.", "at noon, mine."))
    versions = ConflictVersions(base, mine, base, "Rita", None, merge_edits(base, base, mine))
    box = ConflictDialog(None, versions, "Someone else saved this article.", "Details.")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)

    assert box.width() >= 640 and box.height() >= 420
    assert box.maximumWidth() > box.minimumWidth()  # a message box would fix its size
    box.resize(box.width() - 100, box.height() - 50)
    app.processEvents()
    assert box.comparison.isVisible()
    assert box.comparison.geometry().bottom() < box.findChild(QDialogButtonBox).geometry().top()


def test_a_short_comparison_leaves_no_empty_space_and_a_long_one_scrolls(app, qtbot) -> None:
    from editor.core.model import Article

    def shown(base, mine, theirs) -> ConflictDialog:
        versions = ConflictVersions(
            base, mine, theirs, "Rita", None, merge_edits(base, theirs, mine)
        )
        box = ConflictDialog(None, versions, "Someone else saved this article.", "Details.")
        qtbot.addWidget(box)
        box.show()
        qtbot.waitExposed(box)
        app.processEvents()
        return box

    base = Article(id="a", headline="Harbour", body=BODY)
    short = shown(base, replace(base, body=BODY.replace("at noon.", "at noon, mine.")), base)
    browser = short.comparison.browser
    spare = browser.viewport().height() - browser.document().size().height()
    assert spare < 60 or short.height() == short.minimumHeight()

    body = "\n\n".join(f"Paragraph number {n} of a long story, told at length." for n in range(80))
    base = Article(id="b", headline="Long", body=body)
    changed = body.replace("number ", "no. ")
    long = shown(base, replace(base, body=changed), replace(base, headline="Long story"))
    assert long.height() <= 700
    assert long.comparison.browser.verticalScrollBar().maximum() > 0
