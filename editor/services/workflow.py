"""Workflow: one state machine and one permission check for every face (GUI, CLI, store API).

The rules are pure functions (`decide`, `decide_edit`, `action_for`) over plain values, so
they are tested cell by cell without a store; `WorkflowService` (`newsroom.workflow`)
applies them (`transition`, `allowed_actions`, `set_flags`, `check_edit`).

The state machine (DESIGN.md):

    draft --submit--> submitted --approve--> approved --publish--> published
    submitted --return (note)--> changes_requested --submit--> submitted
    draft | submitted | changes_requested | approved --spike--> spiked
    approved --reopen--> submitted          spiked --reopen--> draft
    published | corrected --correct (note, optional new text)--> corrected

Who: reporters create, edit their own drafts and returned articles and submit them;
editors (and admins, who can also manage users) return, approve, publish, spike, reopen
and correct, and edit any submitted article. An editor may submit a reporter's article
for them with a note (when copy-desk errors block the reporter, say), logged as an
"override" event. Nobody approves an article whose text they wrote in any revision since
its last approval (or since it was created): a transition that changed only the status
does not count as writing, any other revision does. Approved, published, corrected and
spiked articles are read-only; a published article changes only through a correction
(`transition(..., "correct", note, body=...)`), recorded as an event with action
"correct" and the note.

Deleting (a soft delete, undone by restoring) is not a status change: `decide_delete`
says who may. A reporter deletes only their own drafts; editors and admins any article
not yet published; a published or corrected article is never deleted (it is corrected).
Restoring follows the same rule.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

from editor.core.errors import PermissionDeniedError, TransitionError, ValidationError
from editor.core.fields import set_field
from editor.core.model import Article, ArticleQuery, Role, Status
from editor.services.derive import derive_fields

if TYPE_CHECKING:
    from editor.core.model import User
    from editor.services.seat import WorkflowSeat


class Action(enum.StrEnum):
    """What a person can do to an article; `EDIT` is the permission to change its text."""

    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    PUBLISH = "publish"
    SPIKE = "spike"
    REOPEN = "reopen"
    CORRECT = "correct"
    EDIT = "edit"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.SUBMIT: "Submit",
    Action.RETURN: "Return",
    Action.APPROVE: "Approve",
    Action.PUBLISH: "Publish",
    Action.SPIKE: "Spike",
    Action.REOPEN: "Reopen",
    Action.CORRECT: "Correct",
    Action.EDIT: "Edit",
}

#: The status transitions, in button order (EDIT is not a transition).
TRANSITIONS: tuple[Action, ...] = tuple(a for a in Action if a is not Action.EDIT)

#: Where each transition may start, and where it leads from there.
_MOVES: dict[Action, dict[Status, Status]] = {
    Action.SUBMIT: {
        Status.DRAFT: Status.SUBMITTED,
        Status.CHANGES_REQUESTED: Status.SUBMITTED,
    },
    Action.RETURN: {Status.SUBMITTED: Status.CHANGES_REQUESTED},
    Action.APPROVE: {Status.SUBMITTED: Status.APPROVED},
    Action.PUBLISH: {Status.APPROVED: Status.PUBLISHED},
    Action.SPIKE: {
        s: Status.SPIKED
        for s in (Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.APPROVED)
    },
    Action.REOPEN: {Status.APPROVED: Status.SUBMITTED, Status.SPIKED: Status.DRAFT},
    Action.CORRECT: {Status.PUBLISHED: Status.CORRECTED, Status.CORRECTED: Status.CORRECTED},
}

#: Transitions that refuse an empty note.
NOTE_REQUIRED = frozenset({Action.RETURN, Action.CORRECT})

_NOTE_MISSING = {
    Action.RETURN: "A return needs a note saying what to change.",
    Action.CORRECT: "A correction needs a note saying what was corrected; it is printed "
    "at the foot of the article.",
}

#: Revision reasons written by transitions that do not change the text (see `last writer`).
TRANSITION_REASONS = frozenset(a.value for a in TRANSITIONS if a is not Action.CORRECT)

_DESK_ROLES = frozenset({Role.EDITOR, Role.ADMIN})

_ONLY_EDITOR = {
    Action.RETURN: "Only an editor can return an article",
    Action.APPROVE: "Only an editor can approve",
    Action.PUBLISH: "Only an editor can publish",
    Action.SPIKE: "Only an editor can spike an article",
    Action.REOPEN: "Only an editor can reopen an article",
    Action.CORRECT: "Only an editor can publish a correction",
}

_FROM_WORDS = {
    Action.SUBMIT: "Only a draft or a returned article can be submitted",
    Action.RETURN: "Only a submitted article can be returned",
    Action.APPROVE: "Only a submitted article can be approved",
    Action.PUBLISH: "Only an approved article can be published",
    Action.SPIKE: "Only an article not yet published can be spiked",
    Action.REOPEN: "Only an approved or spiked article can be reopened",
    Action.CORRECT: "Only a published article can be corrected",
}

_IS_WORDS = {
    Status.DRAFT: "a draft",
    Status.SUBMITTED: "submitted",
    Status.CHANGES_REQUESTED: "returned",
    Status.APPROVED: "approved",
    Status.PUBLISHED: "published",
    Status.SPIKED: "spiked",
    Status.CORRECTED: "published and corrected",
}

_DOES = {
    Action.SUBMIT: "Send it to the desk for review",
    Action.RETURN: "Send it back to the reporter with a note",
    Action.APPROVE: "Approve it for publication",
    Action.PUBLISH: "Publish it",
    Action.SPIKE: "Kill it before publication (kept, can be reopened)",
    Action.REOPEN: "Reopen it for editing",
    Action.CORRECT: "Publish a correction with a public note",
    Action.EDIT: "Edit the text",
}


class Removal(enum.StrEnum):
    """Deleting an article and undoing it: soft deletes, not workflow transitions."""

    DELETE = "delete"
    RESTORE = "restore"

    @property
    def label(self) -> str:
        return self.value.capitalize()


#: Statuses nobody deletes: the public record changes only through a correction.
_NEVER_DELETED = frozenset({Status.PUBLISHED, Status.CORRECTED})

_AN_ARTICLE = {
    Status.DRAFT: "a draft",
    Status.SUBMITTED: "a submitted article",
    Status.CHANGES_REQUESTED: "a returned article",
    Status.APPROVED: "an approved article",
    Status.PUBLISHED: "a published article",
    Status.SPIKED: "a spiked article",
    Status.CORRECTED: "a corrected article",
}


class Decision(NamedTuple):
    """The answer of the permission check: `(action, allowed, reason)`.

    `reason` says why not when refused ("Only an editor can approve") and what the action
    does when allowed, so the GUI can use it as a button's tooltip either way. `kind` is
    "role", "owner", "state" or "flags" for a refusal ("" when allowed); permission
    refusals (role, owner) raise `PermissionDeniedError`, the others `TransitionError`.
    """

    action: Action | Removal
    allowed: bool
    reason: str
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Situation:
    """Everything the rules look at, as plain values (no store needed).

    `is_owner`: the acting user created the article (an article with no recorded creator
    counts as owned by editors and admins). `wrote_last_revision`: the acting user wrote
    the latest revision that changed the text (transitions do not count). `wrote_text`:
    the acting user wrote any revision since the last approval (or since creation) other
    than a pure workflow one; either refuses their approval.
    """

    role: Role
    status: Status
    is_owner: bool = False
    wrote_last_revision: bool = False
    wrote_text: bool = False
    legal_hold: bool = False
    not_for_publication: bool = False
    embargo_until: datetime | None = None
    now: datetime | None = None


def is_owner(user: User, article: Article) -> bool:
    """Whether `user` created `article`; one with no recorded creator counts as owned by
    editors and admins."""
    return article.created_by == user.id or (
        article.created_by is None and user.role in _DESK_ROLES
    )


def target_status(action: Action | str, status: Status) -> Status | None:
    """Where `action` leads from `status`, or None when it cannot start there."""
    return _MOVES.get(Action(action), {}).get(Status(status))


def action_for(current: Status | str, target: Status | str) -> Action | None:
    """The transition that moves an article from `current` to `target` (for `status --to`)."""
    current, target = Status(current), Status(target)
    for action, moves in _MOVES.items():
        if moves.get(current) == target:
            return action
    return None


def next_statuses(status: Status | str) -> list[Status]:
    """Every status one transition away from `status`, in workflow order."""
    status = Status(status)
    found = {moves[status] for moves in _MOVES.values() if status in moves}
    return [s for s in Status if s in found]


def decide(action: Action | str, situation: Situation) -> Decision:
    """May this person do `action` in this situation? Role first, then state, then the rest."""
    action = Action(action)
    if action is Action.EDIT:
        return decide_edit(situation)
    role, status = situation.role, situation.status
    if action is Action.SUBMIT:
        if status not in _MOVES[action]:
            return _state(action, status)
        if situation.is_owner:
            return Decision(action, True, _DOES[action])
        if role in _DESK_ROLES:
            # The desk may submit for a reporter (whose submit copy-desk errors block, or
            # who is away): allowed, but with a note and logged as an override.
            return Decision(action, True, _SUBMIT_FOR_AUTHOR)
        return Decision(action, False, "Only its author can submit an article", "owner")
    if role not in _DESK_ROLES:
        return Decision(action, False, _ONLY_EDITOR[action], "role")
    if status not in _MOVES[action]:
        return _state(action, status)
    if action is Action.APPROVE and situation.wrote_last_revision:
        return Decision(
            action, False, "You wrote the last revision: another editor must approve", "owner"
        )
    if action is Action.APPROVE and situation.wrote_text:
        return Decision(action, False, SELF_APPROVAL, "owner")
    if action is Action.PUBLISH and (blocked := publication_blocks(situation)):
        return Decision(action, False, blocked, "flags")
    return Decision(action, True, _DOES[action])


#: Why an editor who wrote earlier text (not the last revision) may not approve it.
SELF_APPROVAL = (
    "You wrote some of this text since it was last approved: another editor must approve"
)

_SUBMIT_FOR_AUTHOR = "Submit it for its author: needs a note saying why, logged as an override"

_NOTE_FOR_AUTHOR = (
    "Submitting someone else's article needs a note saying why; it is logged as an override."
)


def needs_note(action: Action | str, situation: Situation) -> bool:
    """Whether `action` is refused without a note in this situation (the GUI asks first).

    Returns and corrections always need one; so does submitting someone else's article.
    """
    action = Action(action)
    if action in NOTE_REQUIRED:
        return True
    return action is Action.SUBMIT and not situation.is_owner


def decide_edit(situation: Situation) -> Decision:
    """May this person change the article's text and metadata now (saves and autosaves)?"""
    role, status = situation.role, situation.status
    if status in (Status.DRAFT, Status.CHANGES_REQUESTED):
        if situation.is_owner:
            return Decision(Action.EDIT, True, _DOES[Action.EDIT])
        what = "A draft" if status is Status.DRAFT else "A returned article"
        return Decision(
            Action.EDIT,
            False,
            f"{what} is edited by its author; the desk edits it once it is submitted",
            "owner",
        )
    if status is Status.SUBMITTED:
        if role in _DESK_ROLES:
            return Decision(Action.EDIT, True, _DOES[Action.EDIT])
        return Decision(
            Action.EDIT,
            False,
            "Submitted articles are edited by the desk: ask an editor to return it to you",
            "role",
        )
    if status in (Status.PUBLISHED, Status.CORRECTED):
        return Decision(
            Action.EDIT,
            False,
            "Published articles are read-only: an editor changes them with a correction",
            "state",
        )
    label = "Approved" if status is Status.APPROVED else "Spiked"
    return Decision(
        Action.EDIT,
        False,
        f"{label} articles are read-only until an editor reopens them",
        "state",
    )


def decide_delete(situation: Situation, *, restore: bool = False) -> Decision:
    """May this person delete the article (or restore it, with `restore`)? One rule both ways.

    Nobody deletes a published or corrected article ("publish a correction instead");
    a reporter deletes only a draft they wrote; editors and admins delete anything else.
    A published article deleted before this rule existed may be restored by the desk:
    that puts the public record back, which is what the rule protects.
    """
    action = Removal.RESTORE if restore else Removal.DELETE
    verb = action.value
    role, status = situation.role, situation.status
    desk = role in _DESK_ROLES
    if status in _NEVER_DELETED and not (restore and desk):
        if restore:
            return Decision(action, False, "Only an editor can restore a published article", "role")
        return Decision(
            action, False, "A published article cannot be deleted: publish a correction instead",
            "state",
        )  # fmt: skip
    if desk:
        return Decision(action, True, _REMOVAL_DOES[action])
    if status is not Status.DRAFT:
        return Decision(action, False, f"Only an editor can {verb} {_AN_ARTICLE[status]}", "role")
    if not situation.is_owner:
        return Decision(action, False, f"A reporter can {verb} only their own drafts", "owner")
    return Decision(action, True, _REMOVAL_DOES[action])


_REMOVAL_DOES = {
    Removal.DELETE: "Delete it: hidden from the lists, kept in the store, can be restored",
    Removal.RESTORE: "Restore it to the lists",
}


def publication_blocks(situation: Situation) -> str:
    """Why the flags forbid publishing now ("" when they do not)."""
    if situation.legal_hold:
        return "On legal hold: it cannot be published until the hold is lifted"
    if situation.not_for_publication:
        return "Marked not for publication"
    embargo = situation.embargo_until
    if embargo is not None:
        now = situation.now or datetime.now(UTC)
        embargo = embargo if embargo.tzinfo else embargo.replace(tzinfo=UTC)
        if embargo > now:
            return f"Embargoed until {embargo.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    return ""


def _state(action: Action, status: Status) -> Decision:
    reason = f"{_FROM_WORDS[action]} (this one is {_IS_WORDS[status]})"
    if action is Action.REOPEN and status in (Status.PUBLISHED, Status.CORRECTED):
        reason += ": publish a correction instead"
    return Decision(action, False, reason, "state")


def refuse(decision: Decision) -> None:
    """Raise the typed error of a refused decision; do nothing when it is allowed."""
    if decision.allowed:
        return
    if decision.kind in ("role", "owner") or decision.action is Action.EDIT:
        raise PermissionDeniedError(f"{decision.reason}.", action=decision.action.value)
    raise TransitionError(f"{decision.reason}.", action=decision.action.value)


def _finding_messages(findings: Sequence[object]) -> str:
    """The findings' messages in order, "a; b" (a finding without `message` as text)."""
    return "; ".join(str(getattr(f, "message", f)).strip().rstrip(".") for f in findings)


def _blocked_text(findings: Sequence[object]) -> str:
    count = len(findings)
    errors = "1 copy-desk error blocks" if count == 1 else f"{count} copy-desk errors block"
    return f"{errors} submitting: {_finding_messages(findings)}."


#: Passed to `set_flags` for a value that stays as it is.
KEEP: object = object()


class WorkflowService:
    """`newsroom.workflow`: the rules applied to the seat's store for its acting user.

    Submitting asks the seat for `blocking_findings`, so a newsroom's own (or a test's
    replaced) copy-desk verdict is the one that counts.
    """

    def __init__(self, seat: WorkflowSeat) -> None:
        self._seat = seat

    def situation(
        self, article: Article, now: datetime | None = None, *, last_writer: bool = True
    ) -> Situation:
        """The acting user's position towards `article`, for `decide`.

        `last_writer=False` skips the history query (editing does not depend on it).
        """
        user: User = self._seat.user
        owner = is_owner(user, article)
        # One history walk answers both: the newest writer first, back to the last approval.
        writers = self._seat.store.workflow.text_writers(article.id) if last_writer else []
        return Situation(
            role=user.role,
            status=article.status,
            is_owner=owner,
            wrote_last_revision=bool(writers) and writers[0] == user.id,
            wrote_text=user.id in writers,
            legal_hold=article.legal_hold,
            not_for_publication=article.not_for_publication,
            embargo_until=article.embargo_until,
            now=now,
        )

    def allowed_actions(self, article: Article) -> list[Decision]:
        """Every action with (allowed, reason) for the acting user: grey buttons, tooltips.

        Transitions come in button order, then EDIT. A note is not checked here: the GUI
        asks for one (`needs_note`) when the button is pressed.
        """
        situation = self.situation(article)
        return [decide(action, situation) for action in (*TRANSITIONS, Action.EDIT)]

    def delete_decision(self, article: Article, *, restore: bool = False) -> Decision:
        """Whether the acting user may delete (or restore) `article`, and why (not)."""
        return decide_delete(self.situation(article, last_writer=False), restore=restore)

    def check_delete(self, article_id: str, *, restore: bool = False) -> Article:
        """The article, or `PermissionDeniedError` / `TransitionError` saying why not.

        Raises `NotFoundError` for an unknown id (a deleted one counts when restoring).
        """
        article = self._seat.store.get_article(article_id, include_deleted=restore)
        refuse(self.delete_decision(article, restore=restore))
        return article

    def check_edit(self, article: Article) -> None:
        """Raise `PermissionDeniedError` unless the acting user may change `article` now."""
        refuse(decide_edit(self.situation(article, last_writer=False)))

    def transition(
        self,
        article_id: str,
        action: Action | str,
        note: str = "",
        expected_version: int | None = None,
        *,
        body: str | None = None,
        changes: dict[str, object] | None = None,
    ) -> Article:
        """Apply a workflow action; returns the article in its new status.

        Raises `PermissionDeniedError` (who) or `TransitionError` (state, flags, copy-desk
        errors), `ValidationError(field="note")` for a missing note, `StaleWriteError`
        when the article changed since `expected_version` (None: the version read now).
        Writes, in one transaction: the new status, a revision with the action as its
        reason and an event (from, to, note, revision). Submitting runs
        `blocking_findings`: errors refuse a reporter; an editor may submit anyway with a
        note, logged as an "override" event. An editor submitting someone else's article
        needs a note too, and it is logged as an override naming the author (with the
        findings overridden, if any). Only "correct" takes `body` and `changes`:
        the corrected text and metadata, written with the correction.
        """
        try:
            action = Action(action)
        except ValueError:
            raise ValidationError(f"'{action}' is not a workflow action.") from None
        if action is Action.EDIT:
            raise ValidationError("'edit' is not a transition: save the article instead.")
        article = self._seat.store.get_article(article_id)
        if expected_version is None:
            expected_version = article.version
        elif expected_version != article.version:
            self._seat.store.workflow.raise_stale(
                article_id, expected_version
            )  # who changed it, and when
        note = (note or "").strip()
        situation = self.situation(article)
        refuse(decide(action, situation))
        if action in NOTE_REQUIRED and not note:
            raise ValidationError(_NOTE_MISSING[action], field="note")
        # `decide` let a desk user submit someone else's article: only with a note.
        for_author = action is Action.SUBMIT and not situation.is_owner
        if for_author and not note:
            raise ValidationError(_NOTE_FOR_AUTHOR, field="note")
        if (body is not None or changes) and action is not Action.CORRECT:
            raise ValidationError(
                "Only a correction changes the text with a transition; save it first."
            )
        extra_events: list[tuple[str, str]] = []
        findings = list(self._seat.blocking_findings(article_id)) if action is Action.SUBMIT else []
        if findings:
            listed = _blocked_text(findings)
            if self._seat.user.role not in _DESK_ROLES:
                error = TransitionError(
                    f"{listed} Fix {'it' if len(findings) == 1 else 'them'}, or ask an editor "
                    "to submit it with a note.",
                    action=action.value,
                )
                error.findings = findings
                raise error
            if not note:
                error = TransitionError(
                    f"{listed} As an editor you may submit anyway with a note saying why.",
                    action=action.value,
                )
                error.findings = findings
                raise error
        if for_author or findings:
            lines = [note]
            if for_author:
                lines.append(f"Submitted for its author, {self._author_name(article)}")
            if findings:
                lines.append(f"Overrode: {_finding_messages(findings)}")
            extra_events.append(("override", "\n".join(lines)))
        updated = replace(article, tags=list(article.tags))
        if action is Action.CORRECT and (body is not None or changes):
            updated = self._apply_changes(article, changes or {}, body)
        updated.status = target_status(action, article.status)
        if action is Action.PUBLISH and updated.published_at is None:
            updated.published_at = datetime.now(UTC)
        return self._seat.store.workflow.record_transition(
            updated,
            expected_version=expected_version,
            actor=self._seat.user,
            action=action.value,
            from_status=article.status,
            note=note,
            extra_events=extra_events,
        )

    def _author_name(self, article: Article) -> str:
        """The name of the user who created `article` ("someone" when unknown)."""
        names = {u.id: u.name for u in self._seat.store.list_users()}
        return names.get(article.created_by or "", "") or "someone"

    def _apply_changes(self, article: Article, changes: dict[str, object], body: str | None):
        """The article with `changes` and `body` applied and derived fields recomputed."""
        updated = replace(article, tags=list(article.tags))
        for name, value in changes.items():
            set_field(updated, name, value)
            if name == "slug":
                updated.slug_locked = bool(updated.slug)
        if body is not None:
            updated.body = body
        derive_fields(self._seat.store, updated, previous_slug=article.slug)
        return updated

    def set_flags(
        self,
        article_id: str,
        *,
        legal_hold: bool | None = None,
        not_for_publication: bool | None = None,
        embargo_until: datetime | str | object | None = KEEP,
        note: str = "",
        expected_version: int | None = None,
    ) -> Article:
        """Set the editors' flags; None (or `KEEP` for the embargo) leaves one as it is.

        `embargo_until=None` lifts the embargo; a naive datetime or ISO text is taken as
        UTC. Each change is logged as a "flags" event whose note says what changed (and
        the person's `note`). Editors and admins only.
        """
        if self._seat.user.role not in _DESK_ROLES:
            raise PermissionDeniedError("Only an editor can set flags.", action="flags")
        article = self._seat.store.get_article(article_id)
        values: dict[str, object] = {}
        said: list[str] = []
        if legal_hold is not None and bool(legal_hold) != article.legal_hold:
            values["legal_hold"] = bool(legal_hold)
            said.append("legal hold " + ("on" if legal_hold else "lifted"))
        if not_for_publication is not None and bool(not_for_publication) != (
            article.not_for_publication
        ):
            values["not_for_publication"] = bool(not_for_publication)
            said.append("not for publication" if not_for_publication else "cleared for publication")
        if embargo_until is not KEEP:
            moment = _parse_moment(embargo_until)
            if moment != article.embargo_until:
                values["embargo_until"] = moment
                said.append(
                    f"embargo until {moment:%Y-%m-%d %H:%M} UTC" if moment else "embargo lifted"
                )
        if not values:
            return article
        text = "; ".join(said).capitalize()
        if note.strip():
            text += f". {note.strip()}"
        return self._seat.store.workflow.record_flags(
            article_id,
            expected_version=article.version if expected_version is None else expected_version,
            actor=self._seat.user,
            values=values,
            note=text,
        )

    def check_manage_users(self) -> None:
        """Only admins add users, once the store has an admin (the first one is free)."""
        if self._seat.user.role is Role.ADMIN:
            return
        if any(u.role is Role.ADMIN for u in self._seat.store.list_users()):
            raise PermissionDeniedError("Only an admin can add users.", action="manage_users")

    def with_desk_user(self, query: ArticleQuery) -> ArticleQuery:
        """`query` with the acting user filled in for the desk views that need one."""
        if query.desk and query.desk_user_id is None:
            if query.desk not in _PERSONAL_DESKS:
                return query  # the shared views need nobody: a reader may list them
            return replace(query, desk_user_id=self._seat.user.id)
        return query


#: Desk views that show one person's articles: they need an acting user.
_PERSONAL_DESKS = frozenset({"my_drafts", "returned_to_me"})


def _parse_moment(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(
                f"'{value}' is not a time: use YYYY-MM-DD HH:MM.", field="embargo_until"
            ) from None
    if not isinstance(value, datetime):
        raise ValidationError("The embargo must be a date and time.", field="embargo_until")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
