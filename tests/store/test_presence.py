"""Presence on the desk and news of changes, on SQLite and PostgreSQL.

A window's claim is made, renewed, moved and given up; a claim not renewed for 90 s is
gone; presence never travels by sync or in a story package; on PostgreSQL a reporter's
login cannot write presence in anyone else's name, and a change made by another
connection reaches a listener within 2 s (a heartbeat stays quiet).
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError

from editor.core.errors import NotFoundError
from editor.core.presence import EXPIRY_SECONDS, Presence, editing_elsewhere, editing_line
from editor.services.newsroom import Newsroom
from editor.services.syncing import import_story, send_story, sync_with
from editor.store.presence import PresenceRow
from tests.store.test_rights import Desk, desk  # noqa: F401  (the fixture)


def _age(room: Newsroom, session_id: str, seconds: int) -> None:
    """Make a claim look `seconds` old (a laptop that died that long ago)."""
    with room.store.db.write() as session:
        row = session.get(PresenceRow, session_id)
        session.execute(
            update(PresenceRow)
            .where(PresenceRow.session_id == session_id)
            .values(heartbeat_at=row.heartbeat_at - timedelta(seconds=seconds))
        )


def test_a_claim_is_listed_renewed_moved_and_given_up(newsroom):
    first = newsroom.create_article("Harbour wall holds", "The tide turned.")
    second = newsroom.create_article("Mill fire", "Smoke over the valley.")
    claim = newsroom.presence.claim(first.id, "window-1")
    assert (claim.article_id, claim.user_name) == (first.id, newsroom.user.name)
    assert claim.since == claim.heartbeat_at
    assert abs(claim.since - datetime.now(UTC)) < timedelta(minutes=1)
    assert [p.session_id for p in newsroom.presence.current()] == ["window-1"]

    again = newsroom.presence.claim(first.id, "window-1")  # a reload: the same claim
    assert again.since == claim.since and again.heartbeat_at >= claim.heartbeat_at
    assert newsroom.presence.heartbeat("window-1")

    newsroom.presence.claim(second.id, "window-1")  # switching article moves the claim
    assert [p.article_id for p in newsroom.presence.current()] == [second.id]
    assert newsroom.presence.current([first.id]) == []
    assert newsroom.presence.current([]) == []

    assert newsroom.presence.release("window-1")
    assert newsroom.presence.current() == []
    assert not newsroom.presence.release("window-1")  # twice is harmless
    assert not newsroom.presence.heartbeat("window-1")  # nothing left to renew


def test_a_claim_not_renewed_for_90_seconds_is_gone_and_swept_by_its_owner(newsroom):
    article = newsroom.create_article("Harbour wall holds", "The tide turned.")
    newsroom.presence.claim(article.id, "dead-laptop")
    newsroom.presence.claim(article.id, "this-window")
    _age(newsroom, "dead-laptop", EXPIRY_SECONDS - 30)
    assert {p.session_id for p in newsroom.presence.current()} == {"dead-laptop", "this-window"}
    _age(newsroom, "dead-laptop", 60)
    assert [p.session_id for p in newsroom.presence.current()] == ["this-window"]
    newsroom.presence.claim(article.id, "this-window")  # the owner's next claim sweeps it
    with newsroom.store.db.read() as session:
        assert session.get(PresenceRow, "dead-laptop") is None


def test_an_article_that_is_gone_cannot_be_claimed(newsroom):
    with pytest.raises(NotFoundError):
        newsroom.presence.claim(str(uuid.uuid4()), "window-1")
    assert newsroom.presence.current() == []


def test_the_line_names_the_others_and_the_person_s_own_other_window():
    at = datetime(2026, 12, 2, 9, 42, tzinfo=UTC)
    local = at.astimezone().strftime("%H:%M")

    def claim(session: str, user: str, name: str, minutes: int = 0) -> Presence:
        moment = at + timedelta(minutes=minutes)
        return Presence(session, "a1", user, name, moment, moment)

    assert editing_line([]) == ""
    assert editing_line([claim("s1", "u-dave", "Dave")], "u-me") == f"Dave is editing since {local}"
    two = [
        claim("s2", "u-rita", "Rita", 5),
        claim("s1", "u-dave", "Dave"),
        claim("s3", "u-dave", "Dave", 9),
    ]
    assert editing_line(two, "u-me") == f"Dave and Rita are editing (since {local})"
    assert editing_line([claim("s4", "u-me", "Me")], "u-me") == (
        f"You have it open in another window too (since {local})"
    )
    assert editing_line([claim("s1", "u-dave", "Dave"), claim("s4", "u-me", "Me")], "u-me") == (
        f"Dave and you (another window) are editing (since {local})"
    )
    assert [p.session_id for p in editing_elsewhere(two, "s1")] == ["s2", "s3"]


def test_presence_never_travels_by_sync_or_in_a_story_package(tmp_path, newsroom, location):
    desk_url = str(location)
    article = newsroom.create_article("Harbour wall holds", "The tide turned.")
    newsroom.presence.claim(article.id, "desk-window")
    laptop = Newsroom.open(tmp_path / "laptop.db", bootstrap=False, reader=True)
    try:
        sync_with(laptop, desk_url)
        laptop.switch_user(newsroom.user.name)
        assert laptop.get_article(article.id).headline == "Harbour wall holds"
        assert laptop.presence.current() == []
        laptop.presence.claim(article.id, "laptop-window")
        sync_with(laptop, desk_url)
        assert [p.session_id for p in newsroom.presence.current()] == ["desk-window"]
        package = send_story(laptop, article.id, tmp_path / "story")
        with sqlite3.connect(package) as db:  # a story package is a store: it has the table
            assert db.execute("SELECT count(*) FROM presence").fetchone() == (0,)
        import_story(newsroom, package)
        assert [p.session_id for p in newsroom.presence.current()] == ["desk-window"]
    finally:
        laptop.close()


# -- news of changes ---------------------------------------------------------------------


def test_the_sqlite_change_counter_moves_for_any_other_connections_commit(store_path):
    room = Newsroom.open(store_path)
    other = Newsroom.open(store_path)
    counter = room.presence.change_feed()
    try:
        assert not counter.moved()
        other.create_article("Mill fire", "Smoke.")
        assert counter.moved()
        assert not counter.moved()  # once per change
        room.create_article("Harbour", "Tide.")  # the window's own pool is another connection
        assert counter.moved()
        with sqlite3.connect(store_path) as db:  # the command line, another process's sqlite
            db.execute("UPDATE articles SET headline = 'By hand'")
        assert counter.moved()
    finally:
        counter.close()
        other.close()
        room.close()


def test_a_change_elsewhere_reaches_a_postgres_listener_within_two_seconds(postgres_url):
    room = Newsroom.open(postgres_url)
    other = Newsroom.open(postgres_url)
    listener = room.presence.change_feed()
    try:
        assert room.presence.can_listen
        assert listener.wait(0.05) == set()
        started = time.monotonic()
        article = other.create_article("Mill fire", "Smoke over the valley.")
        heard: set[str] = set()
        while "articles" not in heard and time.monotonic() - started < 2:
            heard |= listener.wait(0.5)
        assert "articles" in heard and time.monotonic() - started < 2

        other.presence.claim(article.id, "their-window")
        assert "presence" in _drain(listener)
        other.presence.heartbeat("their-window")  # renewing is no news
        assert "presence" not in _drain(listener)
        other.add_comment(article.id, "Smoke", 0, body="Which valley?")
        assert "comments" in _drain(listener)

        threading.Timer(0.1, listener.wake).start()  # a closing window does not wait it out
        started = time.monotonic()
        assert listener.wait(30) == set()
        assert time.monotonic() - started < 5
    finally:
        listener.close()
        other.close()
        room.close()


def _refused(connection, statement: str, params: dict) -> str:
    """The refusal's message of `statement` (rolled back), "" when it went through."""
    try:
        with connection.begin():
            connection.execute(text(statement), params)
    except DBAPIError as error:
        return str(error.orig)
    return ""


def _drain(listener, seconds: float = 1.0) -> set[str]:
    heard: set[str] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        heard |= listener.wait(max(0.0, deadline - time.monotonic()))
    return heard


def test_another_store_in_the_same_database_is_not_news(postgres_url):
    from sqlalchemy import create_engine

    from tests.store.conftest import POSTGRES

    schema = f"nr_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    room = Newsroom.open(postgres_url)
    elsewhere = Newsroom.open(f"{POSTGRES}?options=-csearch_path%3D{schema}")
    listener = room.presence.change_feed()
    try:
        elsewhere.create_article("Another paper's story", "Not ours.")
        assert _drain(listener) == set()
    finally:
        listener.close()
        elsewhere.close()
        room.close()
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


# -- rights on the shared desk -------------------------------------------------------------


def test_a_reporter_writes_presence_in_their_own_name_only(desk: Desk):  # noqa: F811
    rita, ed = desk.room("Rita Reporter"), desk.room("Ed Editor")
    article = rita.create_article("Mill fire", "Smoke over the valley.")
    rita.presence.claim(article.id, "rita-window")  # through the app, as herself
    assert rita.presence.heartbeat("rita-window")  # renewed under her login's rights
    assert rita.presence.claim(article.id, "rita-window").user_name == "Rita Reporter"
    ed.presence.claim(article.id, "ed-window")
    assert {p.user_name for p in rita.presence.current()} == {"Rita Reporter", "Ed Editor"}

    params = {"a": article.id, "u": ed.user.id, "t": datetime.now(UTC).replace(tzinfo=None)}
    with desk.sql("Rita Reporter") as sql:  # what psql would do
        forged = (
            "INSERT INTO presence (session_id, article_id, user_id, since, heartbeat_at) "
            "VALUES ('forged', :a, :u, :t, :t)"
        )
        assert "row-level security" in _refused(sql, forged, params)
        with sql.begin():
            renewed = sql.execute(
                text("UPDATE presence SET heartbeat_at = :t WHERE session_id = 'ed-window'"),
                params,
            ).rowcount
            removed = sql.execute(
                text("DELETE FROM presence WHERE session_id = 'ed-window'")
            ).rowcount
        assert (renewed, removed) == (0, 0)  # Ed's row is not hers to touch
        # A claim's time is not rewritten (a new claim is a new row), nor is her row
        # handed to someone else: only the heartbeat changes.
        assert "permission denied" in _refused(sql, "UPDATE presence SET since = :t", params)
        handed = "UPDATE presence SET heartbeat_at = :t, user_id = :u"
        assert "permission denied" in _refused(sql, handed, params)
    assert {p.session_id for p in ed.presence.current()} == {"rita-window", "ed-window"}
    assert rita.presence.release("rita-window")
    assert [p.session_id for p in ed.presence.current()] == ["ed-window"]
