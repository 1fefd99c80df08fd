"""The workflow rules without a store: every cell of actor x status x action.

The expected table is written out by hand below (one row per status, one code per
action), so a change to the rules shows up here as a changed cell, not a silent pass.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from editor.core.errors import PermissionDeniedError, TransitionError
from editor.core.model import Role, Status
from editor.services.workflow import (
    NOTE_REQUIRED,
    Action,
    Situation,
    action_for,
    decide,
    next_statuses,
    publication_blocks,
    refuse,
    target_status,
)

ACTIONS = ("submit", "return", "approve", "publish", "spike", "reopen", "correct", "edit")

# Codes: Y allowed; R only an editor; S wrong state; O not the author (submit, edit a
# draft or returned article) or self-approval; D edit: the desk edits submitted
# articles; L edit: read-only until reopened; P edit: published, change by correction.
# Actors: "*-author" created the article and wrote its last revision; the others did not.
# The desk may submit a reporter's article for them (with a note: see `needs_note`).
REPORTER_AUTHOR = {
    "draft":             "Y R R R R R R Y",
    "submitted":         "S R R R R R R D",
    "changes_requested": "Y R R R R R R Y",
    "approved":          "S R R R R R R L",
    "published":         "S R R R R R R P",
    "spiked":            "S R R R R R R L",
    "corrected":         "S R R R R R R P",
}  # fmt: skip
REPORTER_OTHER = {
    "draft":             "O R R R R R R O",
    "submitted":         "S R R R R R R D",
    "changes_requested": "O R R R R R R O",
    "approved":          "S R R R R R R L",
    "published":         "S R R R R R R P",
    "spiked":            "S R R R R R R L",
    "corrected":         "S R R R R R R P",
}  # fmt: skip
DESK_AUTHOR = {
    "draft":             "Y S S S Y S S Y",
    "submitted":         "S Y O S Y S S Y",
    "changes_requested": "Y S S S Y S S Y",
    "approved":          "S S S Y Y Y S L",
    "published":         "S S S S S S Y P",
    "spiked":            "S S S S S Y S L",
    "corrected":         "S S S S S S Y P",
}  # fmt: skip
DESK_OTHER = {
    "draft":             "Y S S S Y S S O",
    "submitted":         "S Y Y S Y S S Y",
    "changes_requested": "Y S S S Y S S O",
    "approved":          "S S S Y Y Y S L",
    "published":         "S S S S S S Y P",
    "spiked":            "S S S S S Y S L",
    "corrected":         "S S S S S S Y P",
}  # fmt: skip
ACTORS = {
    "reporter-author": (Role.REPORTER, True, REPORTER_AUTHOR),
    "reporter": (Role.REPORTER, False, REPORTER_OTHER),
    "editor-author": (Role.EDITOR, True, DESK_AUTHOR),
    "editor": (Role.EDITOR, False, DESK_OTHER),
    "admin-author": (Role.ADMIN, True, DESK_AUTHOR),
    "admin": (Role.ADMIN, False, DESK_OTHER),
}

ONLY_EDITOR = {
    "return": "Only an editor can return an article",
    "approve": "Only an editor can approve",
    "publish": "Only an editor can publish",
    "spike": "Only an editor can spike an article",
    "reopen": "Only an editor can reopen an article",
    "correct": "Only an editor can publish a correction",
}
WRONG_STATE = {
    "submit": "Only a draft or a returned article can be submitted",
    "return": "Only a submitted article can be returned",
    "approve": "Only a submitted article can be approved",
    "publish": "Only an approved article can be published",
    "spike": "Only an article not yet published can be spiked",
    "reopen": "Only an approved or spiked article can be reopened",
    "correct": "Only a published article can be corrected",
}
THIS_ONE = {
    "draft": "a draft",
    "submitted": "submitted",
    "changes_requested": "returned",
    "approved": "approved",
    "published": "published",
    "spiked": "spiked",
    "corrected": "published and corrected",
}
EDIT_REFUSED = {
    "D": "Submitted articles are edited by the desk: ask an editor to return it to you",
    "P": "Published articles are read-only: an editor changes them with a correction",
}


def _cells():
    for actor, (role, author, table) in ACTORS.items():
        for status, row in table.items():
            for action, code in zip(ACTIONS, row.split(), strict=True):
                yield pytest.param(
                    role,
                    author,
                    Status(status),
                    Action(action),
                    code,
                    id=f"{actor}-{status}-{action}",
                )


def _expected_message(code: str, action: str, status: str) -> str:
    if code == "R":
        return ONLY_EDITOR[action]
    if code == "S":
        message = f"{WRONG_STATE[action]} (this one is {THIS_ONE[status]})"
        if action == "reopen" and status in ("published", "corrected"):
            message += ": publish a correction instead"
        return message
    if code == "O":
        if action == "submit":
            return "Only its author can submit an article"
        if action == "approve":
            return "You wrote the last revision: another editor must approve"
        what = "A draft" if status == "draft" else "A returned article"
        return f"{what} is edited by its author; the desk edits it once it is submitted"
    if code == "L":
        label = "Approved" if status == "approved" else "Spiked"
        return f"{label} articles are read-only until an editor reopens them"
    return EDIT_REFUSED[code]


def test_the_table_covers_every_cell():
    assert len(list(_cells())) == len(ACTORS) * len(Status) * len(Action) == 336


@pytest.mark.parametrize(("role", "author", "status", "action", "code"), list(_cells()))
def test_every_cell(role, author, status, action, code):
    situation = Situation(role=role, status=status, is_owner=author, wrote_last_revision=author)
    decision = decide(action, situation)
    assert decision.action is action
    assert decision.allowed is (code == "Y"), decision.reason
    if code == "Y":
        assert decision.reason and decision.kind == ""
        refuse(decision)  # allowed: no error
        if action is not Action.EDIT:
            assert target_status(action, status) is not None
        return
    assert decision.reason == _expected_message(code, action.value, status.value)
    permission = code in ("R", "O") or action is Action.EDIT
    expected_error = PermissionDeniedError if permission else TransitionError
    with pytest.raises(expected_error) as raised:
        refuse(decision)
    assert str(raised.value) == decision.reason + "."
    assert raised.value.action == action.value


def test_transitions_lead_where_the_design_says():
    assert target_status("submit", Status.DRAFT) is Status.SUBMITTED
    assert target_status("submit", Status.CHANGES_REQUESTED) is Status.SUBMITTED
    assert target_status("return", Status.SUBMITTED) is Status.CHANGES_REQUESTED
    assert target_status("approve", Status.SUBMITTED) is Status.APPROVED
    assert target_status("publish", Status.APPROVED) is Status.PUBLISHED
    assert target_status("reopen", Status.APPROVED) is Status.SUBMITTED
    assert target_status("reopen", Status.SPIKED) is Status.DRAFT
    assert target_status("correct", Status.PUBLISHED) is Status.CORRECTED
    assert target_status("correct", Status.CORRECTED) is Status.CORRECTED
    assert target_status("publish", Status.DRAFT) is None
    assert {Action.RETURN, Action.CORRECT} == NOTE_REQUIRED


def test_a_target_status_maps_to_one_action():
    assert action_for("draft", "submitted") is Action.SUBMIT
    assert action_for("approved", "submitted") is Action.REOPEN
    assert action_for("submitted", "changes_requested") is Action.RETURN
    assert action_for("spiked", "draft") is Action.REOPEN
    assert action_for("published", "corrected") is Action.CORRECT
    assert action_for("draft", "published") is None
    assert next_statuses("draft") == [Status.SUBMITTED, Status.SPIKED]
    assert next_statuses("published") == [Status.CORRECTED]


NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"legal_hold": True}, "On legal hold: it cannot be published until the hold is lifted"),
        ({"not_for_publication": True}, "Marked not for publication"),
        (
            {"embargo_until": NOW + timedelta(hours=2)},
            "Embargoed until 2026-03-01 14:00 UTC",
        ),
        ({"embargo_until": NOW - timedelta(minutes=1)}, ""),
        ({"embargo_until": datetime(2026, 3, 1, 13, 0)}, "Embargoed until 2026-03-01 13:00 UTC"),
    ],
)
def test_flags_block_publication(flags, message):
    situation = Situation(role=Role.EDITOR, status=Status.APPROVED, now=NOW, **flags)
    assert publication_blocks(situation) == message
    decision = decide("publish", situation)
    assert decision.allowed is (message == "")
    if message:
        assert decision.reason == message and decision.kind == "flags"
        with pytest.raises(TransitionError):
            refuse(decision)


def test_flags_do_not_matter_to_other_actions():
    situation = Situation(role=Role.EDITOR, status=Status.APPROVED, legal_hold=True, now=NOW)
    assert decide("spike", situation).allowed
    assert decide("reopen", situation).allowed
