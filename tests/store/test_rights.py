"""Rights in the database: real PostgreSQL logins, through the app and straight through SQL.

Each test makes throwaway login roles (unique names, dropped at teardown), maps them to
newsroom users in a fresh schema, and connects as them. What the app refuses, the
database refuses too, to anyone with a SQL client.
"""

from __future__ import annotations

import importlib.util
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from editor.core.errors import NewsroomError, PermissionDeniedError, StoreError, TransitionError
from editor.core.model import Role, Status
from editor.services.newsroom import IdentityError, Newsroom
from editor.services.workflow import Action, Situation, action_for, decide, target_status
from editor.store import opening
from editor.store.rights import default_login
from tests.store.conftest import POSTGRES

_MIGRATION = Path(opening.MIGRATIONS) / "versions" / "0004_rights.py"


def _migration():
    spec = importlib.util.spec_from_file_location("rights_migration", _MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_database_state_machine_is_the_workflow_one():
    """The SQL transition table (migration 0004) is `editor.services.workflow`'s, cell by cell."""
    sql = {(a, b): action for a, b, action in _migration().TRANSITIONS}
    core = {
        (status.value, target.value): action.value
        for action in Action
        if action is not Action.EDIT
        for status in Status
        if (target := target_status(action, status)) is not None
    }
    assert sql == core


def test_logins_made_from_names():
    assert default_login("Edna Editor") == "edna_editor"
    assert default_login("Zoë O'Brien") == "zoe_o_brien"
    assert default_login("2nd desk") == "u_2nd_desk"


def as_login(url: str, login: str) -> str:
    """`url` connecting as `login` (trust authentication on the test server)."""
    return make_url(url).set(username=login).render_as_string(hide_password=False)


@dataclass
class Desk:
    """A shared store with an owner session and people who each have their own login."""

    url: str
    owner: Newsroom
    logins: dict[str, str] = field(default_factory=dict)
    rooms: list[Newsroom] = field(default_factory=list)
    engines: list = field(default_factory=list)

    def add(self, name: str, role: str) -> str:
        login = f"nrt_{uuid.uuid4().hex[:10]}_{default_login(name)}"[:63]
        self.owner.add_user(name, role, login=login)
        self.logins[name] = login
        return login

    def room(self, name: str) -> Newsroom:
        """The app, connected as `name`'s login."""
        room = Newsroom.open(as_login(self.url, self.logins[name]), bootstrap=False)
        self.rooms.append(room)
        return room

    def sql(self, name: str):
        """A plain SQL connection as `name`'s login (what psql would be)."""
        engine = create_engine(as_login(self.url, self.logins[name]))
        self.engines.append(engine)
        return engine.connect()


@pytest.fixture
def desk(postgres_url):
    owner = Newsroom.init(postgres_url, "Ada Admin", f"nrt_{uuid.uuid4().hex[:10]}_ada")
    made = Desk(postgres_url, owner)
    made.logins["Ada Admin"] = owner.login_of(owner.user)
    made.add("Rita Reporter", "reporter")
    made.add("Rob Reporter", "reporter")
    made.add("Ed Editor", "editor")
    made.add("Eve Editor", "editor")
    yield made
    for room in made.rooms:
        room.close()
    for engine in made.engines:
        engine.dispose()
    logins = set(made.logins.values())
    logins.update(owner.rights.logins().values())
    owner.close()
    drop_logins(logins)


def drop_logins(logins) -> None:
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for login in logins:
                if login and login.startswith("nrt_"):
                    connection.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
    finally:
        admin.dispose()


def _refused(connection, statement: str, **params) -> str:
    """Run `statement` in a transaction rolled back afterwards (its checks at commit run
    too); the refusal's message, "" when it went through."""
    transaction = connection.begin()
    try:
        connection.execute(text(statement), params)
        connection.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
    except DBAPIError as error:
        return str(error.orig)
    else:
        return ""
    finally:
        transaction.rollback()


def _changed(connection, statement: str, **params) -> int:
    """Rows `statement` changed (rolled back), or -1 when refused."""
    transaction = connection.begin()
    try:
        changed = connection.execute(text(statement), params).rowcount
        connection.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))  # the checks at commit
        return changed
    except DBAPIError:
        return -1
    finally:
        transaction.rollback()


def _sql_step(connection, me: str, article_id: str, action: str, target: str) -> bool:
    """A workflow step done by hand in SQL, as the app does it: the status, a revision
    with the step as its reason, the head moved to it and the event. Rolled back; whether
    the database let all of it through (its checks at commit included)."""
    revision, event = str(uuid.uuid4()), str(uuid.uuid4())
    ids = {"id": article_id, "me": me, "action": action, "to": target, "rev": revision}
    transaction = connection.begin()
    try:
        row = connection.execute(
            text("SELECT status, head_revision_id FROM articles WHERE id = :id"), ids
        ).one()
        moved = connection.execute(
            text("UPDATE articles SET status = :to, version = version + 1 WHERE id = :id"), ids
        ).rowcount
        if moved != 1:
            return False
        connection.execute(
            text(
                "INSERT INTO revisions (id, article_id, parent_id, author_id, created_at, "
                "reason, body, metadata) SELECT :rev, article_id, id, :me, now(), :action, "
                "body, metadata FROM revisions WHERE id = :head"
            ),
            {**ids, "head": row.head_revision_id},
        )
        connection.execute(text("UPDATE articles SET head_revision_id = :rev WHERE id = :id"), ids)
        connection.execute(
            text(
                "INSERT INTO events (id, article_id, actor_id, created_at, action, from_status, "
                "to_status, note, revision_id) VALUES (:event, :id, :me, now(), :action, "
                ":from, :to, 'A note for the log.', :rev)"
            ),
            {**ids, "event": event, "from": row.status},
        )
        connection.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
        return True
    except DBAPIError:
        return False
    finally:
        transaction.rollback()


def _id(desk: Desk, name: str) -> str:
    return desk.owner.store.get_user_by_name(name).id


def test_the_login_is_the_acting_user_and_cannot_be_renamed(desk):
    rita = desk.room("Rita Reporter")
    assert rita.user.name == "Rita Reporter"
    assert rita.fixed_identity
    with pytest.raises(IdentityError, match="you act as your database login"):
        rita.switch_user("Ed Editor")
    with pytest.raises(IdentityError, match="who is Rita Reporter in this newsroom"):
        Newsroom.open(as_login(desk.url, desk.logins["Rita Reporter"]), "Ed Editor")
    # Her own name is fine, in any case.
    same = Newsroom.open(as_login(desk.url, desk.logins["Rita Reporter"]), "rita reporter")
    assert same.user.name == "Rita Reporter"
    same.close()


def test_a_login_that_is_nobody_gets_a_clear_message(desk):
    stranger = f"nrt_{uuid.uuid4().hex[:10]}_stranger"
    member = f"nrt_{uuid.uuid4().hex[:10]}_member"
    desk.logins["stranger"], desk.logins["member"] = stranger, member
    with desk.owner.store.db.engine.begin() as connection:
        connection.execute(text(f'CREATE ROLE "{stranger}" LOGIN'))
        connection.execute(text(f'CREATE ROLE "{member}" LOGIN IN ROLE newsroom_reporter'))
    with pytest.raises(StoreError, match=f"login {stranger} has no rights on .*user add"):
        Newsroom.open(as_login(desk.url, stranger))
    with pytest.raises(IdentityError, match=f"login {member} is not a user of this newsroom"):
        Newsroom.open(as_login(desk.url, member), reader=True)
    # Nor can it write anything through SQL, in anyone's name.
    with desk.sql("member") as sql:
        assert "is not a user of this newsroom" in _refused(
            sql,
            "INSERT INTO articles (id, headline, slug, status, created_by, created_at, "
            "updated_at, version) VALUES ('x', 'x', 'x', 'draft', NULL, now(), now(), 1)",
        )
        assert _changed(sql, "UPDATE articles SET headline = 'x'") == 0


def test_the_workflow_through_the_app_as_each_login(desk, monkeypatch):
    # About rights, not the house style (which has its own tests).
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])
    rita, ed, eve = desk.room("Rita Reporter"), desk.room("Ed Editor"), desk.room("Eve Editor")
    story = rita.create_article("Council votes", "The council voted on Tuesday.")
    story = rita.save_article(story.id, expected_version=story.version, body="The vote.")
    # Autosaves of one session coalesce in the head revision: allowed to its author.
    for text_now in ("The vote was", "The vote was close."):
        story = rita.save_article(
            story.id,
            expected_version=story.version,
            body=text_now,
            reason="autosave",
            session_id="s1",
        )
    assert [r.reason for r in rita.revisions(story.id)] == ["create", "save", "autosave"]
    story = rita.transition(story.id, "submit")
    with pytest.raises(PermissionDeniedError):
        rita.transition(story.id, "approve")
    # Ed edits the submitted text: another editor must approve.
    story = ed.save_article(story.id, expected_version=story.version, body="The vote: 5-4.")
    with pytest.raises(PermissionDeniedError, match="another editor"):
        ed.transition(story.id, "approve")
    story = eve.transition(story.id, "approve")
    story = eve.transition(story.id, "publish")
    assert story.status is Status.PUBLISHED
    story = ed.transition(story.id, "correct", "Vote count fixed", body="The vote: 6-3.")
    assert [e.actor for e in rita.events(story.id)][-4:] == [
        "Rita Reporter",
        "Eve Editor",
        "Eve Editor",
        "Ed Editor",
    ]


def _article_by(desk: Desk, author: str, status: str, headline: str = "A story") -> str:
    """An article created by `author` through the app, put in `status` by the owner."""
    room = desk.room(author)
    article = room.create_article(headline, f"Text of {headline}.")
    with desk.owner.store.db.engine.begin() as connection:
        connection.execute(
            text("UPDATE articles SET status = :s WHERE id = :id"),
            {"s": status, "id": article.id},
        )
    return article.id


def test_a_reporter_with_psql_cannot_approve_publish_or_rewrite_history(desk):
    mine = _article_by(desk, "Rita Reporter", "submitted", "Mine")
    approved = _article_by(desk, "Rita Reporter", "approved", "Approved")
    draft = _article_by(desk, "Rita Reporter", "draft", "My draft")
    theirs = _article_by(desk, "Rob Reporter", "draft", "Rob's")
    ed_id = desk.owner.store.get_user_by_name("Ed Editor").id
    with desk.sql("Rita Reporter") as sql:
        assert "Only an editor can approve" in _refused(
            sql, "UPDATE articles SET status = 'approved' WHERE id = :id", id=mine
        )
        assert "Only an editor can publish" in _refused(
            sql, "UPDATE articles SET status = 'published' WHERE id = :id", id=approved
        )
        assert "read-only until an editor reopens" in _refused(
            sql, "UPDATE articles SET headline = 'Changed' WHERE id = :id", id=approved
        )
        assert "No workflow step leads from draft to published" in _refused(
            sql, "UPDATE articles SET status = 'published' WHERE id = :id", id=draft
        )
        assert "edited by the desk" in _refused(
            sql, "UPDATE articles SET headline = 'Changed' WHERE id = :id", id=mine
        )
        assert "Only an editor can set flags" in _refused(
            sql, "UPDATE articles SET legal_hold = true WHERE id = :id", id=draft
        )
        # Someone else's article is not hers to change: no row is touched.
        assert (
            _changed(sql, "UPDATE articles SET headline = 'Mine now' WHERE id = :id", id=theirs)
            == 0
        )
        # The audit log and the history are append-only.
        assert "permission denied for table events" in _refused(
            sql, "UPDATE events SET note = 'nothing happened'"
        )
        assert "permission denied for table events" in _refused(sql, "DELETE FROM events")
        assert "permission denied for table revisions" in _refused(sql, "DELETE FROM revisions")
        assert "History is append-only" in _refused(
            sql, "UPDATE revisions SET body = 'rewritten' WHERE article_id = :id", id=draft
        )
        # Nothing in someone else's name.
        assert "row-level security" in _refused(
            sql,
            "INSERT INTO events (id, article_id, actor_id, created_at, action, note) "
            "VALUES ('e1', :id, :ed, now(), 'import', '')",
            id=mine,
            ed=ed_id,
        )
        # Nor a false entry in her own: a desk action, or a transition that did not happen.
        rita_id = desk.owner.store.get_user_by_name("Rita Reporter").id
        event = (
            "INSERT INTO events (id, article_id, actor_id, created_at, action, to_status, "
            "note) VALUES ('e2', :id, :me, now(), :action, :to, '')"
        )
        assert "Only an editor can log approve" in _refused(
            sql, event, id=mine, me=rita_id, action="approve", to="approved"
        )
        assert "names the status the article is in" in _refused(
            sql, event, id=draft, me=rita_id, action="submit", to="submitted"
        )
        assert "row-level security" in _refused(
            sql,
            "INSERT INTO revisions (id, article_id, author_id, created_at, reason, body, "
            "metadata) VALUES ('r1', :id, :ed, now(), 'save', 'x', '{}')",
            id=draft,
            ed=ed_id,
        )
        assert "permission denied for table users" in _refused(
            sql, "UPDATE users SET role = 'admin'"
        )
        assert "permission denied for table newsroom_logins" in _refused(
            sql, "INSERT INTO newsroom_logins (login, user_id) VALUES ('x', :ed)", ed=ed_id
        )
        # What she may do, she may do: change her own draft, submit it.
        assert (
            _changed(sql, "UPDATE articles SET headline = 'Better' WHERE id = :id", id=draft) == 1
        )
        assert _sql_step(sql, rita_id, draft, "submit", "submitted")


def test_an_editor_approves_others_text_but_not_their_own(desk, monkeypatch):
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])
    story = _article_by(desk, "Rita Reporter", "draft", "Editor's turn")
    rita = desk.room("Rita Reporter")
    rita.transition(story, "submit")
    ed = desk.room("Ed Editor")
    current = ed.get_article(story)
    ed.save_article(story, expected_version=current.version, body="Ed's better text.")
    with desk.sql("Ed Editor") as sql:
        assert "another editor must approve" in _refused(
            sql, "UPDATE articles SET status = 'approved' WHERE id = :id", id=story
        )
    with desk.sql("Eve Editor") as sql:
        # A status changed without its event is refused at commit: the log is not skipped.
        assert "A workflow step is logged" in _refused(
            sql, "UPDATE articles SET status = 'approved' WHERE id = :id", id=story
        )
        assert _sql_step(sql, _id(desk, "Eve Editor"), story, "approve", "approved")


def test_an_admin_login_provisions_people(desk):
    ada = desk.room("Ada Admin")
    login = f"nrt_{uuid.uuid4().hex[:10]}_nia"
    desk.logins["Nia"] = login
    nia = ada.add_user("Nia New", "reporter", login=login)
    assert ada.login_of(nia) == login
    room = desk.room("Nia")
    assert room.user.name == "Nia New"
    assert room.user.role is Role.REPORTER
    # A reporter adds nobody, neither through the app nor through SQL.
    with pytest.raises(PermissionDeniedError):
        room.add_user("Mallory", "admin", login=f"nrt_{uuid.uuid4().hex[:10]}_mallory")
    with desk.sql("Nia") as sql, pytest.raises(ProgrammingError, match="permission denied"):
        sql.execute(text(f'CREATE ROLE "nrt_{uuid.uuid4().hex[:10]}_mallory" LOGIN'))
    with pytest.raises(NewsroomError, match="already"):
        ada.add_user("Another Nia", "editor", login=login)


#: Who tries, as the database sees them: (role, is the article's author).
_WHO = {
    "reporter, own": ("Rita Reporter", True),
    "reporter, other's": ("Rob Reporter", False),
    "editor": ("Ed Editor", False),
    "admin": ("Ada Admin", False),
}


@pytest.mark.parametrize("who", list(_WHO))
def test_every_status_change_cell_matches_the_workflow(desk, who):
    """Each role x status x transition, straight through SQL as that login: the database
    allows exactly what `editor.services.workflow.decide` allows (the note, copy-desk findings
    and flags are the app's: no flags are set here)."""
    name, owner = _WHO[who]
    role = desk.owner.store.get_user_by_name(name).role
    me = _id(desk, name)
    articles = {s: _article_by(desk, "Rita Reporter", s.value, f"In {s.value}") for s in Status}
    mismatches = []
    with desk.sql(name) as sql:
        for action in Action:
            if action is Action.EDIT:
                continue
            for status, article_id in articles.items():
                target = target_status(action, status)
                if target is None or target is status:
                    continue  # not a status change (a correction of a corrected article)
                allowed = decide(action, Situation(role=role, status=status, is_owner=owner))
                done = _sql_step(sql, me, article_id, action.value, target.value)
                if done != allowed.allowed:
                    mismatches.append((action.value, status.value, done, allowed.reason))
        # A status change that is no transition is refused to everyone.
        for status, article_id in articles.items():
            for other in Status:
                if other is status or action_for(status, other) is not None:
                    continue
                if _sql_step(sql, me, article_id, "submit", other.value):
                    mismatches.append(("none", status.value, other.value, "allowed"))
    assert mismatches == []


@pytest.mark.parametrize("who", list(_WHO))
def test_every_cell_through_the_app_as_that_login(desk, who, monkeypatch):
    """The same cells through the app, connected as that login: what `decide` allows the
    database lets through (no database refusal of a legal step), what it refuses is
    refused; and editing the text in each status, through the app and through SQL."""
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])
    name, owner = _WHO[who]
    room = desk.room(name)
    mismatches = []
    for action in (*(a for a in Action if a is not Action.EDIT), Action.EDIT):
        for status in Status:
            if action is not Action.EDIT and target_status(action, status) is None:
                continue
            article_id = _article_by(desk, "Rita Reporter", status.value, f"{action} {status}")
            expected = decide(action, Situation(role=room.user.role, status=status,
                                                is_owner=owner)).allowed  # fmt: skip
            try:
                if action is Action.EDIT:
                    seen = room.get_article(article_id)
                    room.save_article(article_id, expected_version=seen.version, body="New.")
                else:
                    room.transition(article_id, action, "A note for the log.")
                done = True
            except (PermissionDeniedError, TransitionError):
                done = False
            if done != expected:
                mismatches.append((action.value, status.value, done))
            if action is Action.EDIT:
                with desk.sql(name) as sql:
                    changed = _changed(
                        sql, "UPDATE articles SET headline = 'By SQL' WHERE id = :id", id=article_id
                    )
                if (changed == 1) != expected:
                    mismatches.append(("edit by SQL", status.value, changed))
    assert mismatches == []
