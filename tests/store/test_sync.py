"""Sync between two stores (SQLite laptop <-> SQLite or PostgreSQL desk) and story packages."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import update

from editor.core.errors import NotAStoreError, StoreTooNewError
from editor.core.merge import has_conflicts
from editor.services.newsroom import Newsroom
from editor.services.syncing import import_story, send_story, sync_with
from editor.store.models import RevisionRow, UserRow
from editor.store.sync import conflicted_articles
from tests.store.test_sync_support import edit, state

BODY = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."


class Dropped(Exception):
    """A connection dropped in the middle of a sync."""


@pytest.fixture
def desk(location):
    """The shared desk (SQLite or PostgreSQL) with a reporter and two editors."""
    room = Newsroom.init(location, "ada")
    for name, role in (("rita", "reporter"), ("ed", "editor"), ("eve", "editor")):
        room.add_user(name, role)
    yield room
    room.close()


@pytest.fixture
def desk_url(desk):
    return str(desk.store.path) if desk.store.path else desk.store.location


@pytest.fixture
def laptop(tmp_path, desk, desk_url):
    """A reporter's laptop: a fresh SQLite store that got its users from the desk."""
    room = Newsroom.open(tmp_path / "laptop.db", bootstrap=False, reader=True)
    sync_with(room, desk_url)
    room.switch_user("rita")
    yield room
    room.close()


def as_user(room, name):
    room.switch_user(name)
    return room


def agree(a, b):
    assert state(a.store) == state(b.store)


def test_a_new_laptop_gets_the_desk_users_with_their_roles(laptop):
    roles = {u.name: u.role.value for u in laptop.users()}
    assert roles == {"ada": "admin", "rita": "reporter", "ed": "editor", "eve": "editor"}


def test_a_draft_goes_up_and_a_second_sync_changes_nothing(laptop, desk, desk_url):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    report = sync_with(laptop, desk_url)
    assert report.up == [article.id] and report.down == []
    assert desk.get_article(article.id).body == BODY
    assert [r.id for r in desk.revisions(article.id)] == [
        r.id for r in laptop.revisions(article.id)
    ]
    agree(laptop, desk)
    again = sync_with(laptop, desk_url)
    assert not again.changed and again.up == [] and again.down == []
    agree(laptop, desk)


def test_a_side_that_only_moved_ahead_is_fast_forwarded(laptop, desk, desk_url):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    sync_with(laptop, desk_url)
    edit(laptop, article.id, "Second", "Second, longer,")
    report = sync_with(laptop, desk_url)
    assert report.up == [article.id] and report.merged == []
    head = desk.get_article(article.id)
    assert "Second, longer," in head.body
    assert head.head_revision_id == laptop.get_article(article.id).head_revision_id
    as_user(desk, "rita")
    edit(desk, article.id, "Third", "Third, from the office,")
    report = sync_with(laptop, desk_url)
    assert report.down == [article.id] and report.merged == []
    assert "Third, from the office," in laptop.get_article(article.id).body
    agree(laptop, desk)


def test_both_sides_changed_different_paragraphs_merge_with_two_parents(laptop, desk, desk_url):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    sync_with(laptop, desk_url)
    edit(laptop, article.id, "First", "First, laptop,", section="News")
    as_user(desk, "rita")
    edit(desk, article.id, "Third", "Third, desk,", tags=["fire"])
    report = sync_with(laptop, desk_url)
    assert report.merged == [article.id] and report.conflicts == []
    merged = laptop.get_article(article.id)
    assert merged.body == (
        "First, laptop, paragraph.\n\nSecond paragraph.\n\nThird, desk, paragraph."
    )
    assert (merged.section, merged.tags) == ("News", ["fire"])
    with laptop.store.db.read() as session:
        head = session.get(RevisionRow, merged.head_revision_id)
        assert head.reason == "merge" and head.parent_id and head.second_parent_id
    agree(laptop, desk)
    assert not sync_with(laptop, desk_url).changed


def test_a_passage_changed_on_both_sides_keeps_both_texts_as_a_visible_conflict(
    laptop, desk, desk_url
):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    sync_with(laptop, desk_url)
    edit(laptop, article.id, "Second paragraph.", "Second, as the laptop has it.")
    as_user(desk, "rita")
    edit(desk, article.id, "Second paragraph.", "Second, as the desk has it.")
    report = sync_with(laptop, desk_url)
    assert [c.what for c in report.conflicts] == ["1 passage changed on both sides"]
    body = laptop.get_article(article.id).body
    assert "Second, as the laptop has it." in body and "Second, as the desk has it." in body
    assert has_conflicts(body)
    assert conflicted_articles(laptop.store) == [(article.id, "Fire at the mill")]
    assert conflicted_articles(desk.store) == [(article.id, "Fire at the mill")]
    agree(laptop, desk)
    # The author resolves it; the resolution travels as a fast-forward.
    resolved = body.split("**CONFLICT")[0] + "Second, agreed.\n\nThird paragraph."
    laptop.save_article(
        article.id, expected_version=laptop.get_article(article.id).version, body=resolved
    )
    sync_with(laptop, desk_url)
    assert not has_conflicts(desk.get_article(article.id).body)
    agree(laptop, desk)


def test_a_headline_changed_on_both_sides_keeps_the_later_and_shows_the_other(
    laptop, desk, desk_url
):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    sync_with(laptop, desk_url)
    edit(laptop, article.id, "First", "First", headline="Mill fire: laptop")
    as_user(desk, "rita")
    edit(desk, article.id, "First", "First", headline="Mill fire: desk")
    report = sync_with(laptop, desk_url)
    assert [c.what for c in report.conflicts] == ["changed on both sides: headline"]
    merged = desk.get_article(article.id)
    assert merged.headline == "Mill fire: desk"  # the later edit
    assert "“Mill fire: laptop”" in merged.body and has_conflicts(merged.body)
    agree(laptop, desk)


def test_a_return_on_the_desk_beats_an_offline_resubmit_and_keeps_the_note(laptop, desk, desk_url):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    sync_with(laptop, desk_url)
    # The desk submits it for Rita (she was away) and returns it with a note...
    as_user(desk, "ed").transition(article.id, "submit", note="For Rita, on the train.")
    desk.transition(article.id, "return", note="Name the mill owner.")
    # ... while Rita, offline, submits it herself.
    laptop.transition(article.id, "submit")
    report = sync_with(laptop, desk_url)
    assert report.refused == []
    for room in (laptop, desk):
        assert room.get_article(article.id).status.value == "changes_requested"
        notes = [e.note for e in room.events(article.id)]
        assert "Name the mill owner." in notes
        merge_notes = [e.note for e in room.events(article.id) if e.action == "merge"]
        assert len(merge_notes) == 1 and "Name the mill owner." in merge_notes[0]
    agree(laptop, desk)
    assert not sync_with(laptop, desk_url).changed


def test_a_return_on_the_desk_beats_an_approval_made_elsewhere(laptop, desk, desk_url):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    laptop.transition(article.id, "submit")
    sync_with(laptop, desk_url)
    as_user(desk, "ed").transition(article.id, "return", note="Name the mill owner.")
    as_user(laptop, "eve").transition(article.id, "approve")
    report = sync_with(laptop, desk_url)
    assert report.refused == []
    for room in (laptop, desk):
        assert room.get_article(article.id).status.value == "changes_requested"
    agree(laptop, desk)


def test_an_approval_does_not_cover_text_merged_in_from_elsewhere(laptop, desk, desk_url):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    laptop.transition(article.id, "submit")
    sync_with(laptop, desk_url)
    as_user(desk, "ed").transition(article.id, "approve")
    as_user(laptop, "eve")
    edit(laptop, article.id, "Third", "Third, tightened by the laptop editor,")
    sync_with(laptop, desk_url)
    for room in (laptop, desk):
        merged = room.get_article(article.id)
        assert merged.status.value == "submitted"
        assert "tightened by the laptop editor" in merged.body
        assert any("back to submitted" in e.note for e in room.events(article.id))
    agree(laptop, desk)


def test_a_published_text_is_never_changed_by_a_sync(laptop, desk, desk_url):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    laptop.transition(article.id, "submit")
    sync_with(laptop, desk_url)
    as_user(desk, "ed").transition(article.id, "approve")
    sync_with(laptop, desk_url)
    desk.transition(article.id, "publish")
    as_user(laptop, "eve").transition(article.id, "reopen")
    edit(laptop, article.id, "Third", "Third, rewritten offline,")
    report = sync_with(laptop, desk_url)
    assert [c.what for c in report.conflicts] == ["changes to a published article kept in history"]
    for room in (laptop, desk):
        merged = room.get_article(article.id)
        assert merged.status.value == "published" and merged.body == BODY
        bodies = [r.body for r in room.revisions(article.id)]
        assert any("rewritten offline" in b for b in bodies)
    agree(laptop, desk)


def test_a_laptop_cannot_push_an_approval_its_user_had_no_right_to_make(laptop, desk, desk_url):
    article = as_user(desk, "ada").create_article("Fire at the mill", BODY, section="Local")
    desk.transition(article.id, "submit")
    sync_with(laptop, desk_url)
    # On her laptop, Rita makes herself an editor and approves the story.
    with laptop.store.db.write() as session:
        session.execute(update(UserRow).where(UserRow.name == "rita").values(role="editor"))
    laptop.switch_user("rita")
    laptop.transition(article.id, "approve")
    before = state(desk.store)
    report = sync_with(laptop, desk_url)
    assert [r.article_id for r in report.refused] == [article.id]
    assert "Only an editor can approve" in report.refused[0].what
    assert state(desk.store) == before
    assert desk.get_article(article.id).status.value == "submitted"
    # Roles come from the desk: Rita is a reporter on her laptop again.
    assert {u.name: u.role.value for u in laptop.users()}["rita"] == "reporter"
    # Refused again next time, still without writing anything at the desk.
    assert [r.article_id for r in sync_with(laptop, desk_url).refused] == [article.id]
    assert state(desk.store) == before


def test_a_reporter_edit_of_a_submitted_story_is_refused_by_the_desk(laptop, desk, desk_url):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    laptop.transition(article.id, "submit")
    sync_with(laptop, desk_url)
    with laptop.store.db.write() as session:  # a laptop that skips the app's check
        session.execute(update(UserRow).where(UserRow.name == "rita").values(role="editor"))
    laptop.switch_user("rita")
    edit(laptop, article.id, "Second", "Second, sneaked in,")
    report = sync_with(laptop, desk_url)
    assert "Submitted articles are edited by the desk" in report.refused[0].what
    assert "sneaked" not in desk.get_article(article.id).body


def test_a_user_made_on_the_laptop_arrives_at_the_desk_as_a_reporter(laptop, desk, desk_url):
    as_user(laptop, "ada").add_user("mallory", "editor")
    sync_with(laptop, desk_url)
    assert {u.name: u.role.value for u in desk.users()}["mallory"] == "reporter"
    assert {u.name: u.role.value for u in laptop.users()}["mallory"] == "reporter"


def test_the_same_person_made_on_both_sides_is_one_user(tmp_path, desk, desk_url):
    laptop = Newsroom.init(tmp_path / "own.db", "rita")  # her own store, her own id
    try:
        article = laptop.create_article("Fire at the mill", BODY, section="Local")
        report = sync_with(laptop, desk_url)
        assert report.refused == []
        desk_rita = desk.store.get_user_by_name("rita")
        assert desk.get_article(article.id).created_by == desk_rita.id
        assert len([u for u in desk.users() if u.name == "rita"]) == 1
        assert {u.name: u.role.value for u in laptop.users()}["rita"] == "reporter"
        assert not sync_with(laptop, desk_url).changed
        agree(laptop, desk)
    finally:
        laptop.close()


@pytest.mark.parametrize(
    "stage", ["loaded", "planned", "remote-written", "local-written", "remote-committed"]
)
def test_a_dropped_connection_leaves_no_half_applied_sync(laptop, desk, desk_url, stage):
    shared = laptop.create_article("Fire at the mill", BODY, section="Local")
    sync_with(laptop, desk_url)
    edit(laptop, shared.id, "First", "First, laptop,")
    fresh = laptop.create_article("Flood", "Water.")
    as_user(desk, "rita")
    edit(desk, shared.id, "Third", "Third, desk,")
    before_laptop, before_desk = state(laptop.store), state(desk.store)

    def drop(at):
        if at == stage:
            raise Dropped(at)

    with pytest.raises(Dropped):
        sync_with(laptop, desk_url, interrupt=drop)
    assert state(laptop.store) == before_laptop
    if stage == "remote-committed":
        assert fresh.id in state(desk.store)["articles"]  # the desk got all of it
    else:
        assert state(desk.store) == before_desk
    sync_with(laptop, desk_url)
    agree(laptop, desk)
    assert "First, laptop," in desk.get_article(shared.id).body
    assert "Third, desk," in laptop.get_article(shared.id).body
    assert not sync_with(laptop, desk_url).changed


def test_comments_and_their_resolution_are_united(laptop, desk, desk_url):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    laptop.transition(article.id, "submit")
    sync_with(laptop, desk_url)
    comment = as_user(desk, "ed").add_comment(article.id, "Second", 18, body="Source?")
    laptop.add_comment(article.id, "Third", 37, body="Check the date")
    sync_with(laptop, desk_url)
    assert {c.body for c in laptop.list_comments(article.id)} == {"Source?", "Check the date"}
    as_user(laptop, "eve").resolve(comment.id)
    sync_with(laptop, desk_url)
    [resolved] = [c for c in desk.list_comments(article.id) if c.id == comment.id]
    assert resolved.resolved_at is not None and resolved.resolved_by == "eve"
    agree(laptop, desk)


def test_two_untitled_articles_get_distinct_slugs_on_both_sides(laptop, desk, desk_url):
    mine = laptop.create_article("", "Laptop text.")
    theirs = as_user(desk, "ed").create_article("", "Desk text.")
    assert mine.slug == theirs.slug
    sync_with(laptop, desk_url)
    slugs = {laptop.get_article(i).slug for i in (mine.id, theirs.id)}
    assert len(slugs) == 2
    agree(laptop, desk)
    assert not sync_with(laptop, desk_url).changed


def test_an_autosave_that_travelled_is_not_rewritten_by_the_next_autosave(laptop, desk, desk_url):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    first = laptop.save_article(
        article.id, expected_version=1, body=BODY + "\n\nMore.", reason="autosave",
        session_id="s1",
    )  # fmt: skip
    sync_with(laptop, desk_url)
    laptop.save_article(
        article.id, expected_version=first.version, body=BODY + "\n\nMore, still.",
        reason="autosave", session_id="s1",
    )  # fmt: skip
    sent = desk.store.workflow.get_revision(first.head_revision_id)
    assert laptop.store.workflow.get_revision(first.head_revision_id).body == sent.body
    sync_with(laptop, desk_url)
    assert desk.get_article(article.id).body.endswith("More, still.")
    agree(laptop, desk)


def test_a_story_package_carries_history_comments_and_assets(tmp_path, laptop, desk, desk_url):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    edit(laptop, article.id, "First", "First, again,")
    laptop.add_comment(article.id, "Second", 20, body="Is this right?")
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
        b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05"
        b"\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    asset = laptop.add_asset(png, alt="The mill", article_id=article.id, filename="mill.png")
    path = send_story(laptop, article.slug, tmp_path / "story")
    assert path.name == "story.nrpkg" and path.is_file()
    assert not any(p.name.startswith(".sending-") for p in tmp_path.iterdir())
    with sqlite3.connect(path) as db:  # only this article's people travel
        names = {r[0] for r in db.execute("SELECT name FROM users")}
    assert names == {"rita"}
    report = import_story(desk, path)
    assert report.down == [article.id]
    assert [r.id for r in desk.revisions(article.id)] == [
        r.id for r in laptop.revisions(article.id)
    ]
    assert [c.body for c in desk.list_comments(article.id)] == ["Is this right?"]
    assert desk.asset_data(asset.id) == png
    assert not import_story(desk, path).changed  # twice is harmless
    assert len(desk.list_articles()) == 1


def test_a_package_from_a_newer_schema_is_refused_clearly(tmp_path, laptop, desk):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    path = send_story(laptop, article.id, tmp_path / "story.nrpkg")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(StoreTooNewError, match=r"story\.nrpkg was written by a newer version"):
        import_story(desk, path)
    assert desk.list_articles() == []
    junk = tmp_path / "junk.nrpkg"
    junk.write_text("not a package")
    with pytest.raises(NotAStoreError, match=r"junk\.nrpkg is not a story package"):
        import_story(desk, junk)


def test_a_package_cannot_bring_an_approval_by_someone_the_desk_does_not_know(tmp_path, desk):
    outside = Newsroom.init(tmp_path / "outside.db", "boss")  # an admin of their own store
    try:
        outside.add_user("writer", "reporter")
        outside.switch_user("writer")
        article = outside.create_article("Scoop", BODY, section="Local")
        outside.transition(article.id, "submit")
        outside.switch_user("boss")
        outside.transition(article.id, "approve")
        path = send_story(outside, article.id, tmp_path / "scoop.nrpkg")
    finally:
        outside.close()
    report = import_story(desk, path)
    assert [r.article_id for r in report.refused] == [article.id]
    assert "Only an editor can approve" in report.refused[0].what
    assert desk.list_articles() == []


def test_a_package_merges_into_an_article_changed_here_meanwhile(tmp_path, laptop, desk, desk_url):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    sync_with(laptop, desk_url)
    edit(laptop, article.id, "First", "First, emailed,")
    path = send_story(laptop, article.id, tmp_path / "fire.nrpkg")
    as_user(desk, "rita")
    edit(desk, article.id, "Third", "Third, at the desk,")
    report = import_story(desk, path)
    assert report.merged == [article.id] and report.up == []
    body = desk.get_article(article.id).body
    assert "First, emailed," in body and "Third, at the desk," in body
    assert not import_story(desk, path).changed


def test_a_delete_travels_and_a_later_restore_wins(laptop, desk, desk_url):
    article = laptop.create_article("Fire at the mill", BODY, section="Local")
    sync_with(laptop, desk_url)
    laptop.delete_article(article.id)
    sync_with(laptop, desk_url)
    assert desk.store.get_article(article.id, include_deleted=True).deleted_at is not None
    as_user(desk, "ed").restore_article(article.id)
    sync_with(laptop, desk_url)
    assert laptop.get_article(article.id).deleted_at is None
    agree(laptop, desk)
