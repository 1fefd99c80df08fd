"""Sync into a shared PostgreSQL desk as a person's own login (migration 0007's receiver).

Each laptop is a SQLite store; the desk is a fresh schema with real login roles (made and
dropped as in `test_rights`). A laptop syncs with its person's login, never the owner's:
what that person may do goes up, what they could not have done there is refused, with a
clear message, and nothing is half-applied.
"""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import text

from editor.core.model import ArticleQuery, Status
from editor.services.newsroom import Newsroom
from editor.services.syncing import sync_with
from editor.store.store import Store
from editor.store.sync import SyncInterrupted, SyncRefused, _Sync, accept_all, sync_stores
from tests.store.test_rights import _sql_step, as_login, desk  # noqa: F401  (a fixture)
from tests.store.test_sync_support import edit, state

BODY = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."


@pytest.fixture(autouse=True)
def _no_house_style(monkeypatch):
    # About rights, not the copy desk (which has its own tests).
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])


class Laptops:
    """Each person's laptop and the desk URL with their own login."""

    def __init__(self, shared, folder) -> None:
        self.desk, self.folder = shared, folder
        self.rooms: dict[str, Newsroom] = {}

    def url(self, name: str) -> str:
        return as_login(self.desk.url, self.desk.logins[name])

    def of(self, name: str) -> Newsroom:
        if name not in self.rooms:
            room = Newsroom.open(self.folder / f"{uuid.uuid4().hex[:6]}.db", bootstrap=False,
                                 reader=True)  # fmt: skip
            sync_with(room, self.url(name))
            room.switch_user(name)
            self.rooms[name] = room
        return self.rooms[name]

    def sync(self, name: str):
        return sync_with(self.of(name), self.url(name))


@pytest.fixture
def laptops(desk, tmp_path):  # noqa: F811
    made = Laptops(desk, tmp_path)
    yield made
    for room in made.rooms.values():
        room.close()


def _desk_state(desk):  # noqa: F811
    return state(desk.owner.store)


def test_a_reporters_login_syncs_a_new_story_its_edits_and_its_submission(desk, laptops):  # noqa: F811
    rita = laptops.of("Rita Reporter")
    story = rita.create_article("Fire at the mill", BODY, section="Local")
    edit(rita, story.id, "Second", "Second, longer,")
    rita.transition(story.id, "submit")
    report = laptops.sync("Rita Reporter")
    assert report.up == [story.id] and report.refused == []
    on_desk = desk.owner.get_article(story.id)
    assert on_desk.status is Status.SUBMITTED and "Second, longer," in on_desk.body
    assert [r.id for r in desk.owner.revisions(story.id)] == [
        r.id for r in rita.revisions(story.id)
    ]
    assert {e.actor for e in desk.owner.events(story.id)} == {"Rita Reporter"}
    assert state(rita.store) == _desk_state(desk)
    # Found by the desk's search (the receiver indexes what it writes).
    found = desk.owner.list_articles(ArticleQuery(search="longer"))
    assert [a.id for a in found] == [story.id]
    assert not laptops.sync("Rita Reporter").changed


def test_a_merge_in_the_name_of_the_other_side_goes_up(desk, laptops):  # noqa: F811
    """Rita edits her draft offline while, at the office, she submits it and Ed returns
    it: the sync's merge is in Ed's name (the newer side's author), and her login may
    still send it, since the desk checks that a merge takes only what its parents had."""
    rita = laptops.of("Rita Reporter")
    story = rita.create_article("Fire at the mill", BODY, section="Local")
    laptops.sync("Rita Reporter")
    edit(rita, story.id, "Third", "Third, from the laptop,")
    office = desk.room("Rita Reporter")
    office.transition(story.id, "submit")
    desk.room("Ed Editor").transition(story.id, "return", "Say which mill.")
    report = laptops.sync("Rita Reporter")
    assert report.merged == [story.id] and report.refused == []
    head = desk.owner.get_article(story.id)
    assert "Third, from the laptop," in head.body
    merge = desk.owner.revision(head.head_revision_id)
    assert merge.reason == "merge" and merge.author == "Ed Editor"
    assert state(rita.store) == _desk_state(desk)


def test_an_approval_the_reporter_could_not_make_is_refused_and_the_rest_syncs(
    desk,  # noqa: F811
    laptops,
):
    rita = laptops.of("Rita Reporter")
    story = rita.create_article("Council votes", BODY)
    rita.transition(story.id, "submit")
    laptops.sync("Rita Reporter")
    before = _desk_state(desk)
    # On her laptop anyone can pick "Ed" (a SQLite file has no logins): an approval in
    # Ed's name, carried up under Rita's login.
    rita.switch_user("Ed Editor")
    rita.transition(story.id, "approve")
    rita.switch_user("Rita Reporter")
    other = rita.create_article("Another story", BODY)
    report = laptops.sync("Rita Reporter")
    assert [r.article_id for r in report.refused] == [story.id]
    assert "Ed Editor's revision (approve) cannot be sent under Rita Reporter's login" in (
        report.refused[0].what
    )
    assert desk.owner.get_article(story.id).status is Status.SUBMITTED
    assert report.up == [other.id]
    after = _desk_state(desk)
    assert after["articles"][story.id] == before["articles"][story.id]
    assert {r for r, v in after["revisions"].items() if v[0] == story.id} == {
        r for r, v in before["revisions"].items() if v[0] == story.id
    }


def test_a_client_without_the_check_is_refused_by_the_database_whole(
    desk,  # noqa: F811
    laptops,
    monkeypatch,
):
    """A sync program that skips the app's checks meets the receiver: one refusal, with
    the article and the reason, and neither side keeps any of it."""
    monkeypatch.setattr(_Sync, "foreign_rows", lambda self, *args: None)
    rita = laptops.of("Rita Reporter")
    story = rita.create_article("Council votes", BODY)
    rita.transition(story.id, "submit")
    laptops.sync("Rita Reporter")
    rita.switch_user("Ed Editor")
    rita.transition(story.id, "approve")
    rita.switch_user("Rita Reporter")
    rita.create_article("Another story", BODY)
    desk_before, laptop_before = _desk_state(desk), state(rita.store)
    remote = Store.open(laptops.url("Rita Reporter"))
    try:
        with pytest.raises(SyncRefused) as refused:
            sync_stores(rita.store, remote, checker=accept_all)
    finally:
        remote.close()
    message = str(refused.value)
    assert "“Council votes”" in message and "Nothing was synced" in message
    assert "Ed Editor" in message and "Rita Reporter" in message
    assert _desk_state(desk) == desk_before
    assert state(rita.store) == laptop_before


def test_the_database_refuses_what_the_reporter_could_not_do_there(desk, laptops):  # noqa: F811
    """The receiver's own checks, each on a tampered payload of an honest sync."""
    rita = laptops.of("Rita Reporter")
    story = rita.create_article("Council votes", BODY)
    laptops.sync("Rita Reporter")
    rita_id = desk.owner.store.get_user_by_name("Rita Reporter").id
    ed_id = desk.owner.store.get_user_by_name("Ed Editor").id
    head = desk.owner.get_article(story.id).head_revision_id
    version = desk.owner.get_article(story.id).version

    def receive(payload: str) -> str:
        with desk.sql("Rita Reporter") as sql:
            transaction = sql.begin()
            try:
                sql.execute(text("SELECT newsroom_sync_receive(CAST(:p AS jsonb))"), {"p": payload})
                sql.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
                return ""
            except Exception as error:  # the refusal's words are the point
                return str(getattr(error, "orig", error))
            finally:
                transaction.rollback()

    meta = desk.owner.revision(head).metadata

    def revision(rid, parent, author, reason, status, body="Text."):
        return json.dumps(
            {
                "id": rid,
                "article_id": story.id,
                "parent_id": parent,
                "author_id": author,
                "created_at": "2026-12-02T08:00:00",
                "reason": reason,
                "body": body,
                "metadata": {**meta, "status": status},
            }
        )

    body = desk.owner.get_article(story.id).body
    rev = str(uuid.uuid4())
    # A status moved with no revision.
    assert "status changed without the revision" in receive(
        f'{{"updated_articles": [{{"id": "{story.id}", "_version": {version}, '
        f'"status": "approved"}}]}}'
    )
    # A save in Ed's name.
    assert "arrived under the login of Rita Reporter" in receive(
        f'{{"revisions": [{revision(rev, head, ed_id, "save", "draft")}]}}'
    )
    # A submit that changes the text, then a reporter's approval.
    assert "changed the text" in receive(
        f'{{"revisions": [{revision(rev, head, rita_id, "submit", "submitted")}]}}'
    )
    submit, approve = str(uuid.uuid4()), str(uuid.uuid4())
    assert "only an editor can approve" in receive(
        f'{{"revisions": [{revision(submit, head, rita_id, "submit", "submitted", body)}, '
        f"{revision(approve, submit, rita_id, 'approve', 'approved', body)}]}}"
    )
    # A "merge" in Ed's name that no sync makes (its first parent is not his).
    save, merge = (
        str(uuid.uuid4()),
        json.loads(revision(str(uuid.uuid4()), head, ed_id, "merge", "draft")),
    )
    merge["second_parent_id"] = save
    assert "a merge in the name of Ed Editor that no sync of Rita Reporter" in receive(
        f'{{"revisions": [{revision(save, head, rita_id, "save", "draft")}, {json.dumps(merge)}]}}'
    )
    # An event in Ed's name; a word in Ed's name; a new user.
    assert "an event of Ed Editor" in receive(
        f'{{"events": [{{"id": "{uuid.uuid4()}", "article_id": "{story.id}", '
        f'"actor_id": "{ed_id}", "created_at": "2026-12-02T08:00:00", "action": "import", '
        '"note": ""}]}'
    )
    assert "People are added to the desk by an admin" in receive(
        f'{{"users": [{{"id": "{uuid.uuid4()}", "name": "Mallory", "role": "admin", '
        '"created_at": "2026-12-02T08:00:00"}]}'
    )
    # Her own honest save goes through.
    assert (
        receive(
            f'{{"revisions": [{revision(rev, head, rita_id, "save", "draft")}], '
            f'"updated_articles": [{{"id": "{story.id}", "_version": {version}, '
            f'"head_revision_id": "{rev}"}}]}}'
        )
        == ""
    )
    # Nobody may call it as PUBLIC without a newsroom group either: it is granted to them.
    with desk.sql("Rita Reporter") as sql:
        granted = sql.execute(
            text("SELECT has_function_privilege('newsroom_sync_receive(jsonb)', 'EXECUTE')")
        ).scalar()
    assert granted


def test_an_editors_login_syncs_an_approval_and_a_publication(desk, laptops):  # noqa: F811
    rita = laptops.of("Rita Reporter")
    story = rita.create_article("Council votes", BODY)
    rita.transition(story.id, "submit")
    laptops.sync("Rita Reporter")
    eve = laptops.of("Eve Editor")
    eve.add_comment(story.id, "Second", 0, body="Which council?")
    eve.transition(story.id, "approve")
    eve.transition(story.id, "publish")
    report = laptops.sync("Eve Editor")
    assert report.up == [story.id] and report.refused == []
    assert desk.owner.get_article(story.id).status is Status.PUBLISHED
    assert [e.actor for e in desk.owner.events(story.id)][-2:] == ["Eve Editor", "Eve Editor"]
    assert state(eve.store) == _desk_state(desk)
    # Rita's laptop gets it all back down.
    assert laptops.sync("Rita Reporter").down == [story.id]
    assert state(rita.store) == _desk_state(desk)


def test_an_editor_cannot_approve_text_written_on_a_merges_second_branch(desk, laptops):  # noqa: F811
    """Ed edits a submitted story on his laptop while Eve edits it at the office (later):
    the sync's merge has Eve's head first and Ed's second. The database (0007's trigger,
    both parents) and the app agree that neither may approve it; Ada may."""
    rita = laptops.of("Rita Reporter")
    story = rita.create_article("Council votes", BODY)
    rita.transition(story.id, "submit")
    laptops.sync("Rita Reporter")
    ed = laptops.of("Ed Editor")
    edit(ed, story.id, "First", "First, by Ed,")
    office = desk.room("Eve Editor")
    edit(office, story.id, "Third", "Third, by Eve,")
    report = laptops.sync("Ed Editor")
    assert report.merged == [story.id] and report.refused == []
    head = desk.owner.get_article(story.id)
    merge = desk.owner.revision(head.head_revision_id)
    assert merge.author == "Eve Editor"
    ids = {n: desk.owner.store.get_user_by_name(n).id for n in ("Ed Editor", "Ada Admin")}
    with desk.sql("Ed Editor") as sql:
        assert not _sql_step(sql, ids["Ed Editor"], story.id, "approve", "approved")
    with desk.sql("Ada Admin") as sql:
        assert _sql_step(sql, ids["Ada Admin"], story.id, "approve", "approved")
    with desk.owner.store.db.engine.connect() as connection:
        wrote = connection.execute(
            text("SELECT newsroom_wrote_text(:a, :h, :w)"),
            {"a": story.id, "h": head.head_revision_id, "w": ids["Ed Editor"]},
        ).scalar()
    assert wrote


def test_a_login_that_is_nobody_cannot_sync(desk, laptops, tmp_path):  # noqa: F811
    member = f"nrt_{uuid.uuid4().hex[:10]}_member"
    desk.logins["member"] = member
    with desk.owner.store.db.engine.begin() as connection:
        connection.execute(text(f'CREATE ROLE "{member}" LOGIN IN ROLE newsroom_reporter'))
    room = Newsroom.open(tmp_path / "nobody.db", bootstrap=False, reader=True)
    try:
        with pytest.raises(SyncRefused, match=f"login {member} is not a user"):
            sync_with(room, laptops.url("member"))
    finally:
        room.close()


def test_newsroom_sync_as_a_reporters_login_says_what_was_refused(desk, laptops, capsys):  # noqa: F811
    from editor.cli import main

    rita = laptops.of("Rita Reporter")
    story = rita.create_article("Council votes", BODY)
    rita.transition(story.id, "submit")
    rita.switch_user("Ed Editor")
    rita.transition(story.id, "approve")
    rita.switch_user("Rita Reporter")
    fine = rita.create_article("Bridge reopens", BODY)
    path = str(rita.store.path)
    code = main(
        ["--store", path, "--as", "Rita Reporter", "sync", "--with", laptops.url("Rita Reporter")]
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert out.startswith("Synced ") and ", 1 article up, 0 down" in out
    assert err.strip().splitlines() == [
        f"newsroom: not synced: {story.id[:8]} “Council votes”: Ed Editor's revision (approve) "
        "cannot be sent under Rita Reporter's login: Ed Editor syncs it with their own"
    ]
    on_desk = {a.id for a in desk.owner.list_articles()}
    assert fine.id in on_desk and story.id not in on_desk


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_migration_0007_goes_down_and_up_again(engine, tmp_path, request):
    from alembic import command
    from alembic.config import Config

    from editor.store import opening

    location = tmp_path / "s.db" if engine == "sqlite" else request.getfixturevalue("postgres_url")
    Newsroom.init(location, "ada").close()
    store = Store.open(location)
    config = Config()
    config.set_main_option("script_location", str(opening.MIGRATIONS))

    def receiver_and_table(connection):
        tables = connection.dialect.get_table_names(connection)
        if engine == "sqlite":
            return None, "sync_peers" in tables
        found = connection.execute(
            text("SELECT to_regprocedure('newsroom_sync_receive(jsonb)') IS NOT NULL")
        ).scalar()
        return found, "sync_peers" in tables

    try:
        for target, present in (("0006_presence", False), ("head", True)):
            with store.db.engine.begin() as connection:
                config.attributes["connection"] = connection
                if target == "head":
                    command.upgrade(config, target)
                else:
                    command.downgrade(config, target)
            with store.db.engine.connect() as connection:
                receiver, table = receiver_and_table(connection)
            assert table is present
            assert receiver in (None, present)
    finally:
        store.close()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
    b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05"
    b"\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_a_week_of_ordinary_work_on_two_laptops_syncs_as_each_login(desk, laptops):  # noqa: F811
    """What people do offline goes up under their own logins with nothing refused: a
    reporter's resubmission after a return, her image, reply, resolution, word and deleted
    draft; an editor's flags, approval, publication and correction."""
    rita = laptops.of("Rita Reporter")
    story = rita.create_article("Fire at the mill", BODY, section="Local")
    scrap = rita.create_article("A scrap", BODY)
    rita.transition(story.id, "submit")
    laptops.sync("Rita Reporter")
    ed = desk.room("Ed Editor")
    question = ed.add_comment(story.id, "Second", 0, body="Which mill?")
    ed.transition(story.id, "return", "Name the mill.")
    laptops.sync("Rita Reporter")
    # Offline: Rita answers, resolves, adds an image and a word, deletes her scrap, resubmits.
    rita.reply(question.id, "The old one on the river.")
    rita.resolve(question.id)
    edit(rita, story.id, "First", "First, at the old mill,")
    rita.add_asset(PNG, alt="The mill", article_id=story.id, filename="mill.png")
    rita.add_dictionary_word("Millbrook")
    rita.delete_article(scrap.id)
    rita.transition(story.id, "submit")
    report = laptops.sync("Rita Reporter")
    assert report.refused == [] and report.conflicts == []
    assert desk.owner.get_article(story.id).status is Status.SUBMITTED
    assert "Millbrook" in desk.owner.dictionary_words()
    assert state(rita.store) == _desk_state(desk)
    # Eve, offline: a hold set and lifted, the approval, publication, a correction.
    eve = laptops.of("Eve Editor")
    eve.set_flags(story.id, legal_hold=True, note="Check with the lawyers.")
    eve.set_flags(story.id, legal_hold=False, note="Cleared.")
    eve.transition(story.id, "approve")
    eve.transition(story.id, "publish")
    current = eve.get_article(story.id).body
    eve.transition(story.id, "correct", "The mill's name.", body=current + "\n\nCorrected.")
    report = laptops.sync("Eve Editor")
    assert report.refused == [] and report.up == [story.id]
    assert desk.owner.get_article(story.id).status is Status.CORRECTED
    assert state(eve.store) == _desk_state(desk)
    laptops.sync("Rita Reporter")
    assert state(rita.store) == _desk_state(desk)


@pytest.mark.parametrize("who", ["owner", "login"])
def test_an_article_changed_on_the_desk_while_the_sync_runs_stops_it_whole(
    desk,  # noqa: F811
    laptops,
    who,
):
    rita = laptops.of("Rita Reporter")
    story = rita.create_article("Fire at the mill", BODY)
    laptops.sync("Rita Reporter")
    edit(rita, story.id, "First", "First, from the laptop,")
    office = desk.room("Rita Reporter")

    def meanwhile(stage: str) -> None:
        if stage == "loaded":  # a save at the office, committed after the sync's read
            edit(office, story.id, "Third", "Third, from the office,")

    url = desk.url if who == "owner" else laptops.url("Rita Reporter")
    before = state(rita.store)
    with pytest.raises(SyncInterrupted, match="Run the sync again"):
        sync_with(rita, url, interrupt=meanwhile)
    assert state(rita.store) == before
    assert "First, from the laptop," not in desk.owner.get_article(story.id).body
    # Run again, it finishes the job.
    assert laptops.sync("Rita Reporter").merged == [story.id]
    assert state(rita.store) == _desk_state(desk)
