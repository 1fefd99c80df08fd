"""Submit when copy-desk errors block it: the window offers exactly what the rule allows.

A reporter is refused at once, in the rule's words, without typing a note for nothing;
an editor may submit anyway (or submit a reporter's story for them) with a note the
dialog requires, and the step is logged as an override event.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from editor.core.model import Role, Status
from editor.services.newsroom import Newsroom
from editor.services.workflow import Action
from editor.ui import dialogs
from editor.ui.workflow.note_dialog import NoteDialog

REPORTER, EDITOR = "Rosa Reporter", "Eddie Editor"
FINDING = SimpleNamespace(message="“Untied Nations” is not the house spelling")


@pytest.fixture
def desk(newsroom):
    newsroom.add_user(REPORTER, Role.REPORTER)
    newsroom.add_user(EDITOR, Role.EDITOR)
    newsroom.switch_user(REPORTER)
    return newsroom


@pytest.fixture
def errors(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: shown.append((title, text)))
    return shown


@pytest.fixture
def blocked(monkeypatch) -> None:
    """One copy-desk error in every story (the rule asks `blocking_findings`)."""
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [FINDING])


@pytest.fixture
def asked() -> list[tuple]:
    """What the window asked: ("optional", action) or ("required", action, why, ok)."""
    return []


def _window(make_window, asked, answers):
    window = make_window()
    flow = window.workflow
    flow.ask_note = lambda action, headline: (asked.append(("optional", action)), answers.pop(0))[1]
    flow.ask_required_note = lambda action, headline, why, ok: (
        asked.append(("required", action, why, ok)),
        answers.pop(0),
    )[1]
    return window


def test_a_blocked_reporter_is_refused_at_once_in_the_rules_words(
    make_window, desk, qtbot, errors, blocked, asked
) -> None:
    article = desk.create_article("UN summit opens", "The Untied Nations met.", section="World")
    window = _window(make_window, asked, [])
    window.open_article(article.id)
    assert window.workflow.perform("submit") is None
    assert asked == []  # no note typed for a step that cannot happen
    title, text = errors[-1]
    assert title == "Cannot Submit"
    assert "1 copy-desk error blocks submitting" in text
    assert "ask an editor to submit it" in text  # which the rule now allows
    assert window.side_tabs.currentWidget() is window.checks  # what to fix
    assert desk.get_article(article.id).status is Status.DRAFT


def test_an_editor_submits_a_blocked_reporters_story_with_a_required_note(
    make_window, desk, qtbot, errors, blocked, asked
) -> None:
    article = desk.create_article("UN summit opens", "The Untied Nations met.", section="World")
    desk.switch_user(EDITOR)
    window = _window(make_window, asked, [None, "Spelling is in a quote; checked."])
    window.open_article(article.id)
    submit = window.workflow.bar.buttons[Action.SUBMIT]
    assert submit.isVisibleTo(window.workflow.bar) and submit.isEnabled(), submit.toolTip()

    assert window.workflow.perform("submit") is None  # cancelled: nothing happens
    assert desk.get_article(article.id).status is Status.DRAFT
    kind, action, why, ok = asked[-1]
    assert (kind, action) == ("required", Action.SUBMIT)
    assert "1 copy-desk error blocks submitting" in why and "Untied Nations" in why
    assert "override" in why and ok == "Submit Anyway"

    updated = window.workflow.perform("submit")
    assert updated is not None and updated.status is Status.SUBMITTED, errors
    overrides = [e for e in desk.events(article.id) if e.action == "override"]
    assert len(overrides) == 1
    assert "Spelling is in a quote; checked." in overrides[0].note
    assert errors == []


def test_an_editor_submitting_for_the_author_must_say_why(
    make_window, desk, qtbot, errors, asked, monkeypatch
) -> None:
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])
    article = desk.create_article("Tram line approved", "The tram line was approved.")
    desk.switch_user(EDITOR)
    window = _window(make_window, asked, ["Rosa is away; the desk takes it."])
    window.open_article(article.id)
    updated = window.workflow.perform("submit")
    assert updated is not None and updated.status is Status.SUBMITTED, errors
    kind, _action, why, ok = asked[-1]
    assert kind == "required" and ok == "Submit for Author"
    assert "note" in why and "override" in why  # the rule's reason, as the prompt
    assert [e.action for e in desk.events(article.id)].count("override") == 1


def test_the_own_story_without_errors_keeps_the_optional_note(
    make_window, desk, qtbot, errors, asked, monkeypatch
) -> None:
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])
    article = desk.create_article("Tram line approved", "The tram line was approved.")
    window = _window(make_window, asked, [""])
    window.open_article(article.id)
    assert window.workflow.perform("submit") is not None, errors
    assert asked == [("optional", Action.SUBMIT)]


def test_the_required_note_dialog_will_not_take_an_empty_note(qtbot) -> None:
    why = "1 copy-desk error blocks submitting."
    dialog = NoteDialog(Action.SUBMIT, "Summit", required=True, why=why, ok_text="Submit Anyway")
    qtbot.addWidget(dialog)
    assert dialog.prompt.text() == "1 copy-desk error blocks submitting."
    assert dialog.ok_button.text() == "Submit Anyway"
    assert not dialog.ok_button.isEnabled() and dialog.hint.isVisibleTo(dialog)
    dialog.note.setPlainText("Checked.")
    assert dialog.ok_button.isEnabled()
