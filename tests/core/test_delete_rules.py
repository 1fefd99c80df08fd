"""Who may delete and restore an article: every cell of actor x status, without a store.

The expected table is written out by hand (one row per status: delete, restore), so a
change to the rule shows up as a changed cell.
"""

from __future__ import annotations

import pytest

from editor.core.errors import PermissionDeniedError, TransitionError
from editor.core.model import Role, Status
from editor.services.workflow import Removal, Situation, decide_delete, refuse

# Codes: Y allowed; E only an editor; O a reporter deletes only their own drafts;
# P published: never deleted (correct it instead); Q only an editor restores a published one.
# Actors: "*-author" created the article; the others did not.
REPORTER_AUTHOR = {
    "draft":             "Y Y",
    "submitted":         "E E",
    "changes_requested": "E E",
    "approved":          "E E",
    "published":         "P Q",
    "spiked":            "E E",
    "corrected":         "P Q",
}  # fmt: skip
REPORTER_OTHER = {
    "draft":             "O O",
    "submitted":         "E E",
    "changes_requested": "E E",
    "approved":          "E E",
    "published":         "P Q",
    "spiked":            "E E",
    "corrected":         "P Q",
}  # fmt: skip
DESK = {
    "draft":             "Y Y",
    "submitted":         "Y Y",
    "changes_requested": "Y Y",
    "approved":          "Y Y",
    "published":         "P Y",
    "spiked":            "Y Y",
    "corrected":         "P Y",
}  # fmt: skip
ACTORS = {
    "reporter-author": (Role.REPORTER, True, REPORTER_AUTHOR),
    "reporter": (Role.REPORTER, False, REPORTER_OTHER),
    "editor-author": (Role.EDITOR, True, DESK),
    "editor": (Role.EDITOR, False, DESK),
    "admin-author": (Role.ADMIN, True, DESK),
    "admin": (Role.ADMIN, False, DESK),
}
AN_ARTICLE = {
    "submitted": "a submitted article",
    "changes_requested": "a returned article",
    "approved": "an approved article",
    "spiked": "a spiked article",
}


def _cells():
    for actor, (role, author, table) in ACTORS.items():
        for status, row in table.items():
            for removal, code in zip(Removal, row.split(), strict=True):
                yield pytest.param(
                    role, author, Status(status), removal, code,
                    id=f"{actor}-{status}-{removal.value}",
                )  # fmt: skip


def _expected(code: str, removal: Removal, status: str) -> tuple[str, str, type | None]:
    """(reason, kind, error raised by `refuse`)."""
    verb = removal.value
    if code == "Y":
        return "", "", None
    if code == "E":
        return f"Only an editor can {verb} {AN_ARTICLE[status]}", "role", PermissionDeniedError
    if code == "O":
        return f"A reporter can {verb} only their own drafts", "owner", PermissionDeniedError
    if code == "Q":
        return "Only an editor can restore a published article", "role", PermissionDeniedError
    assert code == "P"
    message = "A published article cannot be deleted: publish a correction instead"
    return message, "state", TransitionError


def test_the_table_covers_every_cell():
    assert len(list(_cells())) == len(ACTORS) * len(Status) * len(Removal)
    assert all(set(table) == {s.value for s in Status} for _r, _a, table in ACTORS.values())


@pytest.mark.parametrize(("role", "author", "status", "removal", "code"), list(_cells()))
def test_every_cell(role, author, status, removal, code):
    situation = Situation(role=role, status=status, is_owner=author)
    decision = decide_delete(situation, restore=removal is Removal.RESTORE)
    assert decision.action is removal
    reason, kind, error = _expected(code, removal, status.value)
    assert decision.allowed is (code == "Y")
    assert decision.kind == kind
    if code == "Y":
        assert decision.reason.startswith(("Delete it", "Restore it"))  # a tooltip
        refuse(decision)  # no error
        return
    assert decision.reason == reason
    with pytest.raises(error) as raised:
        refuse(decision)
    assert str(raised.value) == f"{reason}." and raised.value.action == removal.value


def test_flags_and_authorship_of_the_last_revision_do_not_matter():
    for legal_hold in (False, True):
        situation = Situation(
            role=Role.REPORTER,
            status=Status.DRAFT,
            is_owner=True,
            wrote_last_revision=False,
            legal_hold=legal_hold,
            not_for_publication=legal_hold,
        )
        assert decide_delete(situation).allowed


def test_removals_are_not_workflow_transitions():
    from editor.services.workflow import TRANSITIONS

    assert not {r.value for r in Removal} & {a.value for a in TRANSITIONS}
    assert [r.label for r in Removal] == ["Delete", "Restore"]
