"""The workflow through `Newsroom` on SQLite and PostgreSQL: people, states, log, races."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from editor.core.errors import (
    PermissionDeniedError,
    StaleWriteError,
    TransitionError,
    ValidationError,
)
from editor.core.model import ArticleQuery, Desk, Status
from editor.services.newsroom import Newsroom


@dataclass
class Desk3:
    """A reporter and two editors working on one store."""

    rita: Newsroom
    ed: Newsroom
    eve: Newsroom


@pytest.fixture(autouse=True)
def no_copy_desk_errors(monkeypatch):
    """These tests are about the workflow, not the house style rules (which have their own)."""
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])


@pytest.fixture
def people(newsroom):
    as_user = lambda user: Newsroom(newsroom.store, user)  # noqa: E731
    return Desk3(
        rita=as_user(newsroom.add_user("Rita Reporter", "reporter")),
        ed=as_user(newsroom.add_user("Ed Editor", "editor")),
        eve=as_user(newsroom.add_user("Eve Editor", "editor")),
    )


def _save(room: Newsroom, article, body: str, reason: str = "save", **kw):
    return room.save_article(
        article.id, expected_version=article.version, body=body, reason=reason, **kw
    )


def test_draft_to_corrected_with_two_editors_and_a_reporter(people):
    rita, ed, eve = people.rita, people.ed, people.eve
    story = rita.create_article("Floods hit York", "The river rose overnight.")
    story = rita.transition(story.id, "submit", "Ready for the desk")
    assert story.status is Status.SUBMITTED

    with pytest.raises(PermissionDeniedError, match="Submitted articles are edited by the desk"):
        _save(rita, story, "Sneaky change.")
    with pytest.raises(ValidationError, match="needs a note") as missing:
        ed.transition(story.id, "return")
    assert missing.value.field == "note"
    story = ed.transition(story.id, "return", "Name the river, please")
    assert story.status is Status.CHANGES_REQUESTED

    story = _save(rita, story, "The river Ouse rose overnight.")
    story = rita.transition(story.id, "submit", expected_version=story.version)
    story = _save(ed, story, "The River Ouse rose overnight.")  # the desk edits: tracked
    with pytest.raises(PermissionDeniedError) as self_approval:
        ed.transition(story.id, "approve")
    assert str(self_approval.value) == "You wrote the last revision: another editor must approve."

    story = eve.transition(story.id, "approve", "Good to go")
    assert story.status is Status.APPROVED
    for room in (rita, ed, eve):  # read-only after approval, autosaves included
        with pytest.raises(PermissionDeniedError, match="Approved articles are read-only"):
            _save(room, story, "Late change.", reason="autosave", session_id="s1")
    assert eve.get_article(story.id).body == "The River Ouse rose overnight."

    story = eve.transition(story.id, "publish")
    assert story.status is Status.PUBLISHED and story.published_at is not None
    first_published = story.published_at
    with pytest.raises(PermissionDeniedError, match="Published articles are read-only"):
        _save(eve, story, "Silent fix.")
    with pytest.raises(PermissionDeniedError, match="Only an editor can publish a correction"):
        rita.transition(story.id, "correct", "Fixed the day")
    story = ed.transition(
        story.id,
        "correct",
        "An earlier version said the river rose overnight; it rose on Tuesday.",
        body="The River Ouse rose on Tuesday.",
    )
    assert story.status is Status.CORRECTED
    assert story.body == "The River Ouse rose on Tuesday."
    assert story.published_at == first_published

    events = ed.events(story.id)
    assert [(e.actor, e.action, e.from_status, e.to_status, e.note) for e in events] == [
        ("Rita Reporter", "create", None, "draft", ""),
        ("Rita Reporter", "submit", "draft", "submitted", "Ready for the desk"),
        ("Ed Editor", "return", "submitted", "changes_requested", "Name the river, please"),
        ("Rita Reporter", "submit", "changes_requested", "submitted", ""),
        ("Eve Editor", "approve", "submitted", "approved", "Good to go"),
        ("Eve Editor", "publish", "approved", "published", ""),
        (
            "Ed Editor",
            "correct",
            "published",
            "corrected",
            "An earlier version said the river rose overnight; it rose on Tuesday.",
        ),
    ]
    revisions = {r.id: r for r in ed.revisions(story.id)}
    assert [(r.reason, r.author) for r in ed.revisions(story.id)] == [
        ("create", "Rita Reporter"),
        ("submit", "Rita Reporter"),
        ("return", "Ed Editor"),
        ("save", "Rita Reporter"),
        ("submit", "Rita Reporter"),
        ("save", "Ed Editor"),
        ("approve", "Eve Editor"),
        ("publish", "Eve Editor"),
        ("correct", "Ed Editor"),
    ]
    for event in events[1:]:  # each transition points at the revision it wrote
        assert revisions[event.revision_id].reason == event.action
    approve = next(e for e in events if e.action == "approve")
    assert revisions[approve.revision_id].body == "The River Ouse rose overnight."
    assert events[-1].revision_id == story.head_revision_id


def test_a_stale_transition_is_refused(people):
    rita, ed = people.rita, people.ed
    story = rita.create_article("Council budget", "The council met.")
    loaded = rita.transition(story.id, "submit")
    ed.transition(loaded.id, "return", "More figures", expected_version=loaded.version)
    with pytest.raises(StaleWriteError, match="was returned by Ed Editor"):
        people.eve.transition(loaded.id, "approve", expected_version=loaded.version)
    assert ed.get_article(story.id).status is Status.CHANGES_REQUESTED
    assert [e.action for e in ed.events(story.id)] == ["create", "submit", "return"]


def test_refusals_say_why_and_write_nothing(people, newsroom):
    rita, ed = people.rita, people.ed
    story = rita.create_article("Harriers win late", "Okafor scored.")
    with pytest.raises(PermissionDeniedError, match=r"^Only an editor can approve\.$"):
        rita.transition(story.id, "approve")
    with pytest.raises(TransitionError, match="Only a submitted article can be approved"):
        ed.transition(story.id, "approve")
    with pytest.raises(ValidationError, match="Submitting someone else's article needs a note"):
        ed.transition(story.id, "submit")
    rob = Newsroom(newsroom.store, newsroom.add_user("Rob Reporter", "reporter"))
    with pytest.raises(PermissionDeniedError, match="Only its author can submit"):
        rob.transition(story.id, "submit", "Mine now")
    with pytest.raises(PermissionDeniedError, match="A draft is edited by its author"):
        _save(ed, story, "Not yours.")
    with pytest.raises(ValidationError, match="not a workflow action"):
        ed.transition(story.id, "fly")
    after = newsroom.get_article(story.id)
    assert (after.version, after.status, after.body) == (1, Status.DRAFT, "Okafor scored.")


def test_spike_and_reopen(people):
    rita, ed, eve = people.rita, people.ed, people.eve
    story = rita.transition(rita.create_article("Battery plant", "Plans.").id, "submit")
    story = ed.transition(story.id, "spike", "Story fell through")
    with pytest.raises(PermissionDeniedError, match="Spiked articles are read-only"):
        _save(rita, story, "x")
    story = ed.transition(story.id, "reopen")
    assert story.status is Status.DRAFT
    story = _save(rita, story, "Plans, with figures.")
    story = rita.transition(story.id, "submit")
    story = eve.transition(story.id, "approve")
    story = ed.transition(story.id, "reopen", "One more check")
    assert story.status is Status.SUBMITTED
    story = _save(ed, story, "Plans, with checked figures.")  # editable again by the desk
    assert eve.transition(story.id, "approve").status is Status.APPROVED


def test_allowed_actions_grey_out_with_reasons(people):
    rita, ed = people.rita, people.ed
    story = rita.create_article("Draft", "Words.")
    mine = {a.action.value: (a.allowed, a.reason) for a in rita.allowed_actions(story)}
    assert mine["submit"] == (True, "Send it to the desk for review")
    assert mine["approve"] == (False, "Only an editor can approve")
    assert mine["edit"][0] is True
    story = rita.transition(story.id, "submit")
    desk = {a.action.value: a.allowed for a in ed.allowed_actions(story)}
    assert desk == {
        "submit": False,
        "return": True,
        "approve": True,
        "publish": False,
        "spike": True,
        "reopen": False,
        "correct": False,
        "edit": True,
    }


class _Finding:
    def __init__(self, message: str) -> None:
        self.message = message


def test_copy_desk_errors_block_a_reporter_and_an_editor_overrides_with_a_note(people, monkeypatch):
    rita, ed = people.rita, people.ed
    findings = [_Finding("“Okafor” is spelt “Okafur” twice"), _Finding("No byline")]
    for room in (rita, ed):
        monkeypatch.setattr(room, "blocking_findings", lambda article_id: findings)
    story = rita.create_article("Harriers", "Okafur scored.")
    with pytest.raises(TransitionError) as blocked:
        rita.transition(story.id, "submit")
    assert (
        "2 copy-desk errors block submitting: “Okafor” is spelt “Okafur” twice; No byline."
        in str(blocked.value)
    )
    assert "No byline" in str(blocked.value) and blocked.value.findings == findings

    desk_story = ed.create_article("Desk brief", "Words.")
    with pytest.raises(TransitionError, match="submit anyway with a note"):
        ed.transition(desk_story.id, "submit")
    submitted = ed.transition(desk_story.id, "submit", "Byline follows from the agency")
    assert submitted.status is Status.SUBMITTED
    log = [(e.action, e.note.split("\n")[0]) for e in ed.events(desk_story.id)]
    assert log == [
        ("create", ""),
        ("override", "Byline follows from the agency"),
        ("submit", "Byline follows from the agency"),
    ]
    assert "No byline" in ed.events(desk_story.id)[1].note


def test_editors_set_flags_and_flags_block_publication(people):
    rita, ed, eve = people.rita, people.ed, people.eve
    story = rita.transition(rita.create_article("Court case", "The trial.").id, "submit")
    story = ed.transition(story.id, "approve")
    with pytest.raises(PermissionDeniedError, match="Only an editor can set flags"):
        rita.set_flags(story.id, legal_hold=True)
    story = eve.set_flags(story.id, legal_hold=True, note="Lawyers to read")
    assert story.legal_hold
    with pytest.raises(TransitionError, match="On legal hold"):
        ed.transition(story.id, "publish")
    later = datetime.now(UTC) + timedelta(days=1)
    story = eve.set_flags(story.id, legal_hold=False, embargo_until=later)
    assert story.embargo_until == later.replace(microsecond=story.embargo_until.microsecond)
    with pytest.raises(TransitionError, match="Embargoed until"):
        ed.transition(story.id, "publish")
    story = eve.set_flags(story.id, embargo_until=None)
    assert eve.set_flags(story.id, embargo_until=None).version == story.version  # no change
    assert ed.transition(story.id, "publish").status is Status.PUBLISHED
    notes = [e.note for e in ed.events(story.id) if e.action == "flags"]
    assert notes[0] == "Legal hold on. Lawyers to read"
    assert notes[1].startswith("Legal hold lifted; embargo until ")
    assert notes[2] == "Embargo lifted"


def test_desk_views(people):
    rita, ed, eve = people.rita, people.ed, people.eve
    draft = rita.create_article("Rita draft")
    ed.create_article("Ed draft")
    waiting = rita.transition(rita.create_article("Waiting").id, "submit")
    returned = rita.transition(rita.create_article("Returned").id, "submit")
    ed.transition(returned.id, "return", "Shorter")
    approved = rita.transition(rita.create_article("Approved").id, "submit")
    ed.transition(approved.id, "approve")
    published = rita.transition(rita.create_article("Published").id, "submit")
    eve.transition(eve.transition(published.id, "approve").id, "publish")
    corrected = rita.transition(rita.create_article("Corrected").id, "submit")
    eve.transition(eve.transition(corrected.id, "approve").id, "publish")
    ed.transition(corrected.id, "correct", "Fixed a name")
    ed.transition(rita.create_article("Spiked").id, "spike")

    def view(room: Newsroom, desk: str) -> list[str]:
        rows = room.list_articles(ArticleQuery(desk=desk, sort_key="headline", descending=False))
        assert room.count_articles(ArticleQuery(desk=desk)) == len(rows)
        return [r.headline for r in rows]

    assert view(rita, Desk.MY_DRAFTS) == ["Rita draft"]
    assert view(ed, "my_drafts") == ["Ed draft"]
    assert view(ed, "waiting") == ["Waiting"]
    assert view(rita, "returned_to_me") == ["Returned"]
    assert view(ed, "returned_to_me") == []
    assert view(eve, "approved") == ["Approved"]
    assert view(eve, "published") == ["Corrected", "Published"]
    assert view(eve, "spiked") == ["Spiked"]
    assert draft.id and waiting.id
    with pytest.raises(ValidationError, match="Unknown desk view"):
        ed.list_articles(ArticleQuery(desk="lunch"))


def test_only_admins_add_users_once_there_is_one(people, newsroom):
    with pytest.raises(PermissionDeniedError, match="Only an admin can add users"):
        people.ed.add_user("Mallory", "admin")
    assert newsroom.add_user("Sam", "reporter").role.value == "reporter"  # the admin may
    assert "Mallory" not in {u.name for u in newsroom.users()}


def test_a_correction_may_change_metadata_and_keeps_the_first_publication_time(people):
    rita, ed, eve = people.rita, people.ed, people.eve
    story = rita.transition(
        rita.create_article("Mayor Jo Blogs opens bridge", "Words.").id, "submit"
    )
    story = eve.transition(eve.transition(story.id, "approve").id, "publish")
    fixed = ed.transition(
        story.id,
        "correct",
        "The mayor's name is Bloggs.",
        expected_version=story.version,
        changes={"headline": "Mayor Jo Bloggs opens bridge"},
    )
    assert fixed.headline == "Mayor Jo Bloggs opens bridge"
    assert fixed.slug == "mayor-jo-bloggs-opens-bridge"
    assert fixed.published_at == story.published_at
    again = ed.transition(fixed.id, "correct", "A second fix.", body="Better words.")
    assert again.status.value == "corrected" and again.body == "Better words."
    corrections = [(e.action, e.note) for e in ed.events(story.id) if e.action == "correct"]
    assert corrections == [("correct", "The mayor's name is Bloggs."), ("correct", "A second fix.")]
    with pytest.raises(ValidationError, match="Only a correction changes the text"):
        ed.transition(
            rita.transition(rita.create_article("X", "y").id, "submit").id, "approve", body="z"
        )


def test_delete_and_restore_follow_the_rule(people, newsroom):
    rita, ed, eve = people.rita, people.ed, people.eve
    draft = rita.create_article("Rita's draft", "Words.")
    with pytest.raises(PermissionDeniedError, match=r"^A reporter can delete only their own"):
        Newsroom(newsroom.store, newsroom.add_user("Rob Reporter", "reporter")).delete_article(
            draft.id
        )
    rita.delete_article(draft.id)
    assert [e.action for e in ed.events(draft.id)][-1] == "delete"
    assert rita.delete_decision(newsroom.store.get_article(draft.id, include_deleted=True),
                                restore=True).allowed  # fmt: skip
    rita.restore_article(draft.id)
    assert newsroom.get_article(draft.id).deleted_at is None

    filed = rita.transition(rita.create_article("Filed", "Words.").id, "submit")
    with pytest.raises(PermissionDeniedError, match=r"^Only an editor can delete a submitted"):
        rita.delete_article(filed.id)
    assert newsroom.get_article(filed.id).version == filed.version  # nothing written
    ed.delete_article(filed.id)
    with pytest.raises(PermissionDeniedError, match=r"^Only an editor can restore a submitted"):
        rita.restore_article(filed.id)
    eve.restore_article(filed.id)

    published = ed.transition(eve.transition(filed.id, "approve").id, "publish")
    for room in (rita, ed, eve):
        with pytest.raises(TransitionError) as refused:
            room.delete_article(published.id)
        assert str(refused.value) == (
            "A published article cannot be deleted: publish a correction instead."
        )
    after = newsroom.get_article(published.id)
    assert after.deleted_at is None and after.version == published.version
    decision = rita.delete_decision(after)
    assert (decision.action.value, decision.allowed) == ("delete", False)


# -- nobody approves text they wrote since the last approval -------------------------------


def test_an_editor_who_wrote_the_story_may_not_approve_after_another_editor_edits_it(
    people, newsroom
):
    """The loophole: Bob writes and submits, Carol changes one word, Bob approves his own."""
    bob, carol = people.ed, people.eve  # two editors
    story = bob.create_article("Bridge reopens", "The bridge reopened on Monday.")
    story = bob.transition(story.id, "submit")
    story = _save(carol, story, "The bridge reopened on Tuesday.")
    with pytest.raises(PermissionDeniedError) as refused:
        bob.transition(story.id, "approve")
    assert str(refused.value) == (
        "You wrote some of this text since it was last approved: another editor must approve."
    )
    with pytest.raises(PermissionDeniedError, match="You wrote the last revision"):
        carol.transition(story.id, "approve")
    approve = {d.action: d for d in bob.allowed_actions(story)}["approve"]
    assert not approve.allowed and "You wrote some of this text" in approve.reason
    assert newsroom.get_article(story.id).status is Status.SUBMITTED  # nothing written
    dave = Newsroom(newsroom.store, newsroom.add_user("Dave Desk", "editor"))
    assert dave.transition(story.id, "approve").status is Status.APPROVED


def test_a_reporters_text_edited_by_one_editor_is_approved_by_another(people, newsroom):
    """Rita (reporter) writes, Ed edits, Eve approves; Ed and an editor-author may not."""
    rita, ed, eve = people.rita, people.ed, people.eve
    story = rita.transition(rita.create_article("Mill closes", "The mill closed.").id, "submit")
    story = _save(ed, story, "The old mill closed.")
    with pytest.raises(PermissionDeniedError):
        ed.transition(story.id, "approve")
    with pytest.raises(PermissionDeniedError, match="Only an editor can approve"):
        rita.transition(story.id, "approve")
    assert eve.transition(story.id, "approve").status is Status.APPROVED


def test_pure_workflow_revisions_do_not_count_as_writing(people):
    """Spiking, reopening, returning write revisions with the same text: no authorship."""
    rita, ed = people.rita, people.ed
    story = rita.create_article("Fair opens", "The fair opened.")
    ed.transition(story.id, "spike", "Hold for now")
    ed.transition(story.id, "reopen")
    story = rita.transition(story.id, "submit")
    ed.transition(story.id, "return", "Name the fair")
    story = rita.get_article(story.id)
    story = _save(rita, story, "The Goose Fair opened.")
    story = rita.transition(story.id, "submit")
    assert ed.store.workflow.text_writers(story.id) == [rita.user.id]
    assert ed.transition(story.id, "approve").status is Status.APPROVED


def test_text_written_before_the_last_approval_does_not_count_again(people):
    """After an approval and a reopen, only what is written since counts."""
    rita, ed, eve = people.rita, people.ed, people.eve
    story = rita.transition(rita.create_article("Pier", "The pier.").id, "submit")
    story = _save(ed, story, "The pier reopened.")
    story = eve.transition(story.id, "approve")
    story = eve.transition(story.id, "reopen", "One more look")
    assert ed.store.workflow.text_writers(story.id) == []
    story = _save(eve, story, "The pier reopened on Friday.")
    with pytest.raises(PermissionDeniedError):
        eve.transition(story.id, "approve")
    assert ed.transition(story.id, "approve").status is Status.APPROVED


# -- the desk submits for a reporter -------------------------------------------------------


def test_an_editor_submits_a_reporters_blocked_story_with_a_note_as_an_override(
    people, monkeypatch
):
    rita, ed = people.rita, people.ed
    findings = [_Finding("No byline")]
    for room in (rita, ed):
        monkeypatch.setattr(room, "blocking_findings", lambda article_id: findings)
    story = rita.create_article("Late goal", "Okafor scored.")
    with pytest.raises(TransitionError, match="ask an editor to submit it with a note"):
        rita.transition(story.id, "submit")
    with pytest.raises(ValidationError) as missing:
        ed.transition(story.id, "submit")
    assert missing.value.field == "note"
    submitted = ed.transition(story.id, "submit", "Byline comes from the agency")
    assert submitted.status is Status.SUBMITTED
    events = ed.events(story.id)
    assert [(e.actor, e.action) for e in events] == [
        ("Rita Reporter", "create"),
        ("Ed Editor", "override"),
        ("Ed Editor", "submit"),
    ]
    assert events[1].note == (
        "Byline comes from the agency\nSubmitted for its author, Rita Reporter\nOverrode: No byline"
    )
    assert events[2].note == "Byline comes from the agency"


def test_an_editor_submits_a_clean_story_for_its_author_with_a_logged_note(people):
    rita, ed = people.rita, people.ed
    story = rita.create_article("Clean copy", "Words.")
    submit = {d.action: d for d in ed.allowed_actions(story)}["submit"]
    assert submit.allowed and "needs a note" in submit.reason
    ed.transition(story.id, "submit", "Rita asked by phone")
    override = [e for e in ed.events(story.id) if e.action == "override"]
    assert [e.note for e in override] == [
        "Rita asked by phone\nSubmitted for its author, Rita Reporter"
    ]


# -- a stale write names who made the latest change --------------------------------------


def test_a_stale_save_names_who_set_the_flags_not_the_author_of_the_text(people):
    rita, ed = people.rita, people.ed
    story = rita.create_article("Strike vote", "Members vote today.")
    ed.set_flags(story.id, embargo_until="2030-01-01 09:00")
    with pytest.raises(StaleWriteError) as stale:
        _save(rita, story, "Members voted today.")
    message = str(stale.value)
    assert "had its flags changed by Ed Editor at " in message
    assert "Rita Reporter" not in message
    assert "version" not in message  # version numbers mean nothing to a reporter


def test_a_stale_write_names_the_latest_change_of_several_people(people, newsroom):
    rita, ed, eve = people.rita, people.ed, people.eve
    story = rita.transition(rita.create_article("Bus fares", "Fares rise.").id, "submit")
    loaded = story
    story = _save(ed, story, "Fares rise in May.")
    newsroom.delete_article(story.id)  # the admin deletes it...
    newsroom.restore_article(story.id)  # ...and brings it back
    with pytest.raises(StaleWriteError) as stale:
        eve.transition(loaded.id, "approve", expected_version=loaded.version)
    assert f"was restored by {newsroom.user.name} at " in str(stale.value)
