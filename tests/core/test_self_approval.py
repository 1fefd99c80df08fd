"""Self-approval and submitting for someone else: the pure rules, without a store.

Nobody approves an article whose text they wrote in any revision since its last approval
(`Situation.wrote_text`), not only the last one; the desk may submit a reporter's article
for them, with a note (`needs_note`).
"""

from __future__ import annotations

import pytest

from editor.core.errors import PermissionDeniedError
from editor.core.model import Role, Status
from editor.services.workflow import SELF_APPROVAL, Action, Situation, decide, needs_note, refuse


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_an_editor_who_wrote_earlier_text_may_not_approve(role):
    situation = Situation(role=role, status=Status.SUBMITTED, is_owner=True, wrote_text=True)
    decision = decide(Action.APPROVE, situation)
    assert (decision.allowed, decision.kind, decision.reason) == (False, "owner", SELF_APPROVAL)
    with pytest.raises(PermissionDeniedError) as refused:
        refuse(decision)
    assert str(refused.value) == (
        "You wrote some of this text since it was last approved: another editor must approve."
    )


def test_the_writer_of_the_last_revision_keeps_the_shorter_message():
    situation = Situation(
        role=Role.EDITOR, status=Status.SUBMITTED, wrote_last_revision=True, wrote_text=True
    )
    assert decide(Action.APPROVE, situation).reason == (
        "You wrote the last revision: another editor must approve"
    )


def test_owning_an_article_is_not_writing_it():
    """An article created by an editor but written by others since its last approval."""
    situation = Situation(role=Role.EDITOR, status=Status.SUBMITTED, is_owner=True)
    assert decide(Action.APPROVE, situation).allowed


@pytest.mark.parametrize("action", [a for a in Action if a is not Action.APPROVE])
def test_having_written_text_changes_no_other_action(action):
    for status in Status:
        base = Situation(role=Role.EDITOR, status=status)
        wrote = Situation(role=Role.EDITOR, status=status, wrote_text=True)
        assert decide(action, base) == decide(action, wrote)


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
@pytest.mark.parametrize("status", [Status.DRAFT, Status.CHANGES_REQUESTED])
def test_the_desk_may_submit_for_the_author_with_a_note(role, status):
    situation = Situation(role=role, status=status, is_owner=False)
    decision = decide(Action.SUBMIT, situation)
    assert decision.allowed and "needs a note" in decision.reason
    assert needs_note(Action.SUBMIT, situation)
    assert not needs_note(Action.SUBMIT, Situation(role=role, status=status, is_owner=True))


def test_a_reporter_still_submits_only_their_own():
    situation = Situation(role=Role.REPORTER, status=Status.DRAFT, is_owner=False)
    decision = decide(Action.SUBMIT, situation)
    assert (decision.allowed, decision.reason) == (False, "Only its author can submit an article")


def test_returns_and_corrections_always_need_a_note():
    situation = Situation(role=Role.EDITOR, status=Status.SUBMITTED)
    assert needs_note("return", situation) and needs_note("correct", situation)
    assert not needs_note("approve", situation) and not needs_note("spike", situation)
