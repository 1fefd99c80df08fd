"""The workflow in the window: one article walks from draft to published with three people.

A reporter writes and submits, editor A returns it with a note, the reporter fixes and
resubmits, editor A edits it and so may not approve it, editor B approves and publishes.
On the way: the strip's buttons and the Article menu follow each person's rights, the
text is read-only once approved, the audit log lists every step with its note and the
desk views show the article where it stands. Screenshots go to /tmp for a person to look at.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCursor

from editor.core.model import Role, Status
from editor.services.workflow import Action
from editor.ui import dialogs
from editor.ui.desk.views import DESK_ORDER
from editor.ui.settings import WindowState
from editor.ui.workflow import users_dialog
from editor.ui.workflow.note_dialog import CorrectionDialog, NoteDialog
from editor.ui.workflow.users_dialog import ChooseUserDialog, UsersDialog
from tests.ui.conftest import wait_for_list

REPORTER, EDITOR_A, EDITOR_B = "Rosa Reporter", "Eddie Editor", "Bea Editor"
HEADLINE = "Flood defences hold as river peaks"


@pytest.fixture
def desk(newsroom):
    """A newsroom with a reporter and two editors; the reporter is at the keyboard."""
    newsroom.add_user(REPORTER, Role.REPORTER)
    newsroom.add_user(EDITOR_A, Role.EDITOR)
    newsroom.add_user(EDITOR_B, Role.EDITOR)
    newsroom.switch_user(REPORTER)
    return newsroom


@pytest.fixture
def errors(monkeypatch) -> list[tuple[str, str]]:
    """The messages the window shows instead of tracebacks, collected (no modal box)."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "show_error", lambda _parent, title, text: shown.append((title, text))
    )
    return shown


def _settle(qtbot, window) -> None:
    wait_for_list(qtbot, window.list_model)
    qtbot.waitUntil(lambda: not window.workflow.desk_views.busy, timeout=5000)


def _as(qtbot, window, name: str) -> None:
    assert window.workflow.switch_user(name)
    _settle(qtbot, window)


def _type_body(qtbot, window, text: str) -> None:
    window.editor.setFocus()
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, text)


def _listed(qtbot, window, desk: str | None) -> list[str]:
    window.workflow.desk_views.set_desk(desk)
    _settle(qtbot, window)
    model = window.list_model
    return [model.summary(row).headline for row in range(model.rowCount())]


def _enabled(window) -> set[str]:
    return {a.value for a in Action if a is not Action.EDIT
            and window.actions[f"article_{a.value}"].isEnabled()}  # fmt: skip


def _click(qtbot, window, action: Action) -> None:
    button = window.workflow.bar.buttons[action]
    assert button.isVisible() and button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_an_article_walks_from_draft_to_published(make_window, desk, qtbot, errors) -> None:
    window = make_window()
    window.side_tabs.setCurrentWidget(window.inspector)
    flow = window.workflow
    notes: list[str] = []
    flow.ask_note = lambda action, headline: notes.pop(0)

    # -- the reporter writes and submits, with a note --------------------------------
    window.actions["file_new"].trigger()
    article_id = window.session.article.id
    qtbot.keyClicks(window.inspector.headline, HEADLINE)
    qtbot.keyClicks(window.inspector.section.lineEdit(), "Local")
    _type_body(qtbot, window, "The river rose two metres overnight, the council said.")
    window.actions["file_save"].trigger()
    _settle(qtbot, window)
    assert "Rosa Reporter (Reporter)" in window.status.identity.text()
    assert _enabled(window) == {"submit"}
    assert not window.editor.isReadOnly()
    assert _listed(qtbot, window, "my_drafts") == [HEADLINE]
    assert window.workflow.desk_views.counts["my_drafts"] == 1

    notes.append("Figures checked with the council.")
    _click(qtbot, window, Action.SUBMIT)
    assert desk.get_article(article_id).status is Status.SUBMITTED, errors
    assert window.workflow.bar.badge.text() == "Submitted"
    assert window.editor.isReadOnly()  # the desk edits it now
    assert "the desk is editing it" in window.workflow.bar.notice_text()
    assert _listed(qtbot, window, "my_drafts") == []
    assert _listed(qtbot, window, "waiting") == [HEADLINE]

    # -- editor A: a return needs a note ------------------------------------------------
    _as(qtbot, window, EDITOR_A)
    assert "Eddie Editor (Editor)" in window.status.identity.text()
    assert _enabled(window) == {"return", "approve", "spike"}
    dialog = NoteDialog(Action.RETURN, HEADLINE)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled() and dialog.hint.isVisibleTo(dialog)
    dialog.note.setPlainText("Source?")
    assert dialog.ok_button.isEnabled()

    assert flow.perform("return", note="") is None
    assert errors[-1] == ("Cannot Return", "A return needs a note saying what to change.")
    assert desk.get_article(article_id).status is Status.SUBMITTED
    notes.append("Second source for the flood figures, please.")
    window.actions["article_return"].trigger()
    assert desk.get_article(article_id).status is Status.CHANGES_REQUESTED
    assert _listed(qtbot, window, "returned_to_me") == []  # not his article

    # -- the reporter sees the note, fixes and resubmits ------------------------------
    _as(qtbot, window, REPORTER)
    assert _listed(qtbot, window, "returned_to_me") == [HEADLINE]
    notice = window.workflow.bar.notice_text()
    assert "Returned by Eddie Editor: Second source for the flood figures, please." in notice
    assert not window.editor.isReadOnly()
    _type_body(qtbot, window, " The Environment Agency confirmed the level.")
    notes.append("")
    window.actions["article_submit"].trigger()
    assert desk.get_article(article_id).status is Status.SUBMITTED
    assert "Environment Agency" in desk.get_article(article_id).body  # saved before submitting

    # -- editor A edits the text himself: he may no longer approve --------------------
    _as(qtbot, window, EDITOR_A)
    assert _listed(qtbot, window, "waiting") == [HEADLINE]
    assert not window.editor.isReadOnly()
    _type_body(qtbot, window, " Roads stay closed.")
    window.actions["file_save"].trigger()
    window.session.reload()
    refusal = "You wrote the last revision: another editor must approve"
    approve = window.workflow.bar.buttons[Action.APPROVE]
    assert approve.isVisible() and not approve.isEnabled()
    assert refusal in approve.toolTip()
    assert refusal in window.workflow.bar.reasons.text()
    assert not window.actions["article_approve"].isEnabled()
    assert flow.perform("approve", note="") is None
    assert errors[-1] == ("Cannot Approve", f"{refusal}.")

    # -- editor B approves and publishes ------------------------------------------------
    _as(qtbot, window, EDITOR_B)
    assert "approve" in _enabled(window)
    notes.append("Legal read it; fine to run.")
    _click(qtbot, window, Action.APPROVE)
    assert desk.get_article(article_id).status is Status.APPROVED
    assert window.editor.isReadOnly() and window.headline_field.isReadOnly()
    # Locked, yet readable: text fields read-only (not greyed out), the section box off.
    assert window.inspector.is_read_only()
    assert all(f.isReadOnly() for f in window.inspector.fields.values() if hasattr(f, "isReadOnly"))
    assert not window.inspector.section.isEnabled()
    assert window.read_only_bar.plain_text().startswith("Approved: read-only.")
    assert "Approved: read-only until an editor reopens it." in window.workflow.bar.notice_text()
    assert not window.actions["format_bold"].isEnabled()
    assert _listed(qtbot, window, "approved") == [HEADLINE]
    assert _enabled(window) == {"publish", "spike", "reopen"}

    _click(qtbot, window, Action.PUBLISH)
    published = desk.get_article(article_id)
    assert published.status is Status.PUBLISHED and published.published_at is not None
    assert _listed(qtbot, window, "approved") == []
    assert _listed(qtbot, window, "published") == [HEADLINE]
    assert _enabled(window) == {"correct"}
    assert window.editor.isReadOnly()
    assert errors[-1][0] == "Cannot Approve"  # nothing failed since

    # -- the audit log lists every step, newest first, with its notes ----------------
    rows = window.workflow.audit.row_texts()
    assert rows == [
        "Published by Bea Editor | Approved → Published",
        "Approved by Bea Editor | Submitted → Approved | Legal read it; fine to run.",
        "Submitted by Rosa Reporter | Returned → Submitted",
        "Returned by Eddie Editor | Submitted → Returned | "
        "Second source for the flood figures, please.",
        "Submitted by Rosa Reporter | Draft → Submitted | Figures checked with the council.",
        "Created by Rosa Reporter",
    ]
    assert window.workflow.audit.header.text() == "History · 6 events"
    window.workflow.desk_views.set_desk(None)
    _settle(qtbot, window)


def test_switching_user_changes_what_can_be_done(make_window, desk, qtbot, errors) -> None:
    article = desk.create_article(
        "Council agrees budget", "The council agreed the budget.", section="Local"
    )
    window = make_window()
    window.open_article(article.id)
    assert _enabled(window) == {"submit"}
    assert not window.actions["file_users"].isEnabled()

    _as(qtbot, window, EDITOR_A)
    # A reporter's draft: an editor may submit it for its author, with a note (an override).
    assert _enabled(window) == {"submit", "spike"}
    submit = window.actions["article_submit"]
    assert "override" in submit.statusTip() and "note" in submit.statusTip()
    assert window.editor.isReadOnly()  # drafts are edited by their author
    assert not window.actions["file_users"].isEnabled()
    assert window.workflow.flags.legal_hold.isEnabled()

    admin = next(u for u in desk.users() if u.role is Role.ADMIN)  # made with the store
    _as(qtbot, window, admin.name)
    assert window.actions["file_users"].isEnabled()

    _as(qtbot, window, REPORTER)
    assert not window.workflow.flags.legal_hold.isEnabled()
    assert "Only an editor sets the flags." in window.workflow.flags.hint.text()
    assert WindowState(QSettings()).user_name() == REPORTER  # remembered for next time


def test_editors_set_flags_and_a_hold_stops_publication(make_window, desk, qtbot, errors) -> None:
    article = desk.create_article("Court case opens", "The trial began on Monday.", section="Local")
    desk.transition(article.id, "submit")
    desk.switch_user(EDITOR_A)
    desk.transition(article.id, "approve")
    window = make_window()
    window.open_article(article.id)
    window.side_tabs.setCurrentWidget(window.inspector)
    flags = window.workflow.flags

    flags.legal_hold.click()
    assert desk.get_article(article.id).legal_hold
    publish = window.workflow.bar.buttons[Action.PUBLISH]
    assert not publish.isEnabled() and "On legal hold" in publish.toolTip()
    assert "Legal hold" in window.workflow.bar.flags.text()

    flags.embargo.click()  # "no embargo" -> tomorrow morning
    embargo = desk.get_article(article.id).embargo_until
    assert embargo is not None and embargo > datetime.now(UTC)
    later = (datetime.now() + timedelta(days=3)).replace(hour=9, minute=30, second=0, microsecond=0)
    flags.embargo_time.setDateTime(later)
    flags.embargo_time.editingFinished.emit()
    assert desk.get_article(article.id).embargo_until == later.astimezone(UTC)
    assert "Embargoed until" in window.workflow.bar.flags.text()
    flags.embargo.click()
    assert desk.get_article(article.id).embargo_until is None
    assert flags.embargo_time.text() == "No embargo"

    flags.legal_hold.click()
    assert not desk.get_article(article.id).legal_hold
    assert publish.isEnabled()
    log = window.workflow.audit.row_texts()
    assert log[0] == "Flags changed by Eddie Editor | Legal hold lifted"
    assert any("Legal hold on" in row for row in log)
    assert not errors


def _published_in_window(make_window, desk):
    """A reporter's story, approved and published by an editor, open in a window."""
    article = desk.create_article(
        "Mayor opens bridge", "Mayor Ann Smyth opened the bridge.", section="Local"
    )
    desk.transition(article.id, "submit")
    desk.switch_user(EDITOR_A)
    desk.transition(article.id, "approve")
    desk.transition(article.id, "publish")
    window = make_window()
    window.open_article(article.id)
    window.side_tabs.setCurrentWidget(window.inspector)
    return article, window


def test_a_correction_after_publication_needs_a_note(make_window, desk, qtbot, errors) -> None:
    article, window = _published_in_window(make_window, desk)

    dialog = CorrectionDialog("Mayor opens bridge", article.body)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    assert dialog.corrected_body() is None
    dialog.body.setPlainText(article.body.replace("Smyth", "Smith"))
    dialog.note.setPlainText("An earlier version misspelt the mayor's name.")
    assert dialog.ok_button.isEnabled()
    window.workflow.ask_correction = lambda _h, _b: (dialog.text(), dialog.corrected_body())

    _click(qtbot, window, Action.CORRECT)
    corrected = desk.get_article(article.id)
    assert corrected.status is Status.CORRECTED
    assert "Ann Smith" in corrected.body
    assert "Ann Smith" in window.editor.toPlainText()
    assert window.workflow.audit.row_texts()[0] == (
        "Corrected by Eddie Editor | Published → Corrected | "
        "An earlier version misspelt the mayor's name."
    )
    assert _listed(qtbot, window, "published") == ["Mayor opens bridge"]


def test_desk_views_count_and_spiked_articles_leave_the_desk(make_window, desk, qtbot) -> None:
    kept = desk.create_article("Harbour wall repaired", "Work finished on Friday.", section="Local")
    gone = desk.create_article("Fete cancelled", "Rain stopped the fete.", section="Local")
    desk.transition(kept.id, "submit")
    desk.transition(gone.id, "submit")
    desk.switch_user(EDITOR_A)
    desk.transition(gone.id, "spike", "Overtaken by events.")
    window = make_window()
    _settle(qtbot, window)
    counts = window.workflow.desk_views.counts
    assert counts["waiting"] == 1 and counts["spiked"] == 1 and counts[None] == 2
    assert counts["my_drafts"] == 0
    combo = window.workflow.desk_views.combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "My drafts", "Waiting for review", "Returned to me", "Approved", "Published", "Spiked",
        "All articles",
    ]  # fmt: skip
    assert len(DESK_ORDER) == combo.count()
    assert _listed(qtbot, window, "spiked") == ["Fete cancelled"]
    assert _listed(qtbot, window, "waiting") == ["Harbour wall repaired"]
    combo.showPopup()
    qtbot.wait(50)
    combo.hidePopup()


def test_who_are_you_on_first_start_and_admins_add_people(app, store_path, qtbot) -> None:
    from editor.services.newsroom import Newsroom

    settings = QSettings()
    settings.remove("session/user_name")
    state = WindowState(settings)
    seen: list[list[str]] = []

    def choose(room):
        dialog = ChooseUserDialog(room, first_start=True)
        qtbot.addWidget(dialog)
        seen.append([dialog.model.users[r].name for r in range(dialog.model.rowCount())])
        assert dialog.add_button.isEnabled() is False  # until a name is typed
        dialog.new_name.setText("Rosa Reporter")
        dialog.new_role.setCurrentIndex(dialog.new_role.findData("reporter"))
        added = dialog.add_person()
        assert added is not None and dialog.selected_user() == added
        assert dialog.ok_button.text() == "Work as Rosa Reporter"
        return dialog.selected_user()

    room = users_dialog.open_as_someone(str(store_path), None, state, choose)
    try:
        assert room.user.name == "Rosa Reporter" and room.user.role is Role.REPORTER
        assert len(seen[0]) == 1  # the admin a new store starts with
        assert state.user_name() == "Rosa Reporter"
        manage = UsersDialog(room)
        qtbot.addWidget(manage)
        assert not manage.new_name.isEnabled()
        assert "Only an admin" in manage.message.text()
    finally:
        room.close()
    again = users_dialog.open_as_someone(str(store_path), None, state, lambda _r: pytest.fail())
    try:
        assert again.user.name == "Rosa Reporter"  # remembered: not asked again
        admin = next(u for u in again.users() if u.role is Role.ADMIN)
        again.switch_user(admin)
        manage = UsersDialog(again)
        qtbot.addWidget(manage)
        manage.new_name.setText("Bea Editor")
        manage.new_role.setCurrentIndex(manage.new_role.findData("editor"))
        manage.add_button.click()
        assert {u.name for u in Newsroom.users(again)} >= {"Rosa Reporter", "Bea Editor"}
        manage.new_name.setText("bea editor")
        manage.add_button.click()
        assert "already exists" in manage.message.text()
    finally:
        again.close()


def test_the_preview_prints_corrections_as_the_export_does(
    make_window, desk, qtbot, errors
) -> None:
    _, window = _published_in_window(make_window, desk)
    note = "An earlier version misspelt the mayor's name."
    window.workflow.ask_correction = lambda _h, body: (note, body.replace("Smyth", "Smith"))

    _click(qtbot, window, Action.CORRECT)
    qtbot.waitUntil(lambda: "misspelt the mayor" in window.preview.html, timeout=15000)
    assert "Ann Smith" in window.preview.html
