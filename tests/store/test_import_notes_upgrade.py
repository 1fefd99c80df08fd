"""An article from a store made at schema 0001 (import_notes SQL NULL, as 0002 added the
column) moves in the workflow for a person's own login after the upgrade (migration 0008),
through the app and through SQL; and the SQLite upgrade from 0001 still holds."""

from __future__ import annotations

import json
import sqlite3
import sys
import uuid

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from editor.core.model import ArticleQuery, Status
from editor.services.newsroom import Newsroom
from editor.store import opening
from tests.store.test_rights import _refused, as_login, drop_logins

_OLD_ROWS = (
    "INSERT INTO users (id, name, role, created_at) VALUES ('u1', 'Rita Reporter', "
    "'reporter', :now), ('u2', 'Ed Editor', 'editor', :now)",
    "INSERT INTO articles (id, headline, standfirst, slug, slug_locked, byline, section, "
    "tags, dateline, status, priority, legal_hold, not_for_publication, word_count, "
    "source_name, version, created_by, created_at, updated_at, head_revision_id, search_rowid) "
    "VALUES "
    "('a1', 'Harbour wall repaired', '', 'harbour-wall-repaired', false, 'Rita Reporter', "
    "'Local', '[]', '', 'draft', 0, false, false, 3, '', 1, 'u1', :now, :now, 'r1', 1), "
    "('a2', 'Pier reopens', '', 'pier-reopens', false, 'Rita Reporter', 'Local', '[]', '', "
    "'draft', 0, false, false, 6, '', 1, 'u1', :now, :now, 'r2', 2)",
    "INSERT INTO revisions (id, article_id, author_id, created_at, reason, body, metadata) "
    "VALUES ('r1', 'a1', 'u1', :now, 'save', 'Old harbour body.', :m1), "
    "('r2', 'a2', 'u1', :now, 'save', 'The pier opens again on Monday.', :m2)",
)


def _meta(headline: str, slug: str) -> str:
    """A revision's metadata as the app of schema 0001 wrote it (`revision_meta`)."""
    return json.dumps({
        "headline": headline, "standfirst": "", "slug": slug, "byline": "Rita Reporter",
        "section": "Local", "tags": [], "dateline": "", "story_date": None, "status": "draft",
    })  # fmt: skip


_NOW = {
    "now": "2026-01-02 03:04:05",
    "m1": _meta("Harbour wall repaired", "harbour-wall-repaired"),
    "m2": _meta("Pier reopens", "pier-reopens"),
}


def _old_store(url: str) -> None:
    """A store as the app of schema 0001 left it: two of Rita's drafts."""
    config = Config()
    config.set_main_option("script_location", str(opening.MIGRATIONS))
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001_baseline")
            for statement in _OLD_ROWS:
                connection.execute(text(statement), _NOW)
    finally:
        engine.dispose()


def _give_login(url: str, user_id: str, group: str) -> str:
    """A login for a person who was in the store before logins existed."""
    login = f"nrt_{uuid.uuid4().hex[:10]}_{user_id}"
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE ROLE "{login}" LOGIN'))
            connection.execute(text(f'GRANT {group} TO "{login}"'))
            connection.execute(
                text("INSERT INTO newsroom_logins (login, user_id) VALUES (:l, :u)"),
                {"l": login, "u": user_id},
            )
    finally:
        engine.dispose()
    return login


def test_an_article_from_schema_0001_moves_for_a_login_after_the_upgrade(postgres_url):
    _old_store(postgres_url)
    Newsroom.open(postgres_url, "Rita Reporter").close()  # the upgrade, by the owner
    logins = [
        _give_login(postgres_url, "u1", "newsroom_reporter"),
        _give_login(postgres_url, "u2", "newsroom_editor"),
    ]
    engines = []
    try:
        engine = create_engine(postgres_url)
        engines.append(engine)
        with engine.connect() as connection:
            nulls = connection.execute(
                text("SELECT count(*) FROM articles WHERE import_notes IS NULL")
            ).scalar_one()
        assert nulls == 0, "the old rows hold what the app writes for no notes"

        rita = Newsroom.open(as_login(postgres_url, logins[0]), bootstrap=False)
        try:
            assert rita.user.name == "Rita Reporter" and rita.fixed_identity
            moved = rita.transition("a1", "submit")
            assert moved.status is Status.SUBMITTED
            assert rita.get_article("a1").import_notes == []
        finally:
            rita.close()
        ed = Newsroom.open(as_login(postgres_url, logins[1]), bootstrap=False)
        try:
            assert ed.transition("a1", "approve").status is Status.APPROVED
        finally:
            ed.close()

        # A SQL client (or an older app) writing SQL NULL there changes no text: the
        # guard reads it as JSON null, and the status step still goes through.
        sql = create_engine(as_login(postgres_url, logins[0]))
        engines.append(sql)
        with sql.connect() as connection:
            assert _refused(connection, "UPDATE articles SET import_notes = NULL "
                            "WHERE id = 'a2'") == ""  # fmt: skip
            with connection.begin():
                connection.execute(text("UPDATE articles SET import_notes = NULL WHERE id = 'a2'"))
        rita = Newsroom.open(as_login(postgres_url, logins[0]), bootstrap=False)
        try:
            assert rita.transition("a2", "submit").status is Status.SUBMITTED
        finally:
            rita.close()
    finally:
        for engine in engines:
            engine.dispose()
        drop_logins(logins)


def test_sqlite_from_schema_0001_is_backfilled_and_moves(store_path):
    _old_store(f"sqlite:///{store_path}")
    room = Newsroom.open(store_path, "Rita Reporter")
    try:
        assert room.transition("a1", "submit").status is Status.SUBMITTED
        assert room.get_article("a2").import_notes == []
    finally:
        room.close()
    with sqlite3.connect(store_path) as db:
        notes = db.execute("SELECT DISTINCT import_notes FROM articles").fetchall()
        head = db.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert notes == [("null",)]
    assert head == opening.schema_revisions()[0]


def test_no_path_writes_sql_null_import_notes(postgres_url, tmp_path):
    """The app's create, a batch import (with and without notes) and a sync received
    through a person's login all write JSON null (or the notes), never SQL NULL."""
    from editor.services.syncing import sync_with

    owner = Newsroom.init(postgres_url, "Ada Admin", f"nrt_{uuid.uuid4().hex[:10]}_ada")
    logins = [owner.login_of(owner.user)]
    try:
        rita_login = f"nrt_{uuid.uuid4().hex[:10]}_rita"
        owner.add_user("Rita Reporter", "reporter", login=rita_login)
        logins.append(rita_login)
        owner.create_article("Made in the window", "A body.")
        plain = tmp_path / "plain.md"
        plain.write_text("# Imported plainly\n\nA body of text.\n", encoding="utf-8")
        noted = tmp_path / "noted.md"
        noted.write_text("---\ntitle: With notes\nmood: grim\n---\n\nA body.\n", encoding="utf-8")
        owner.import_files([plain, noted])
        laptop = Newsroom.open(tmp_path / "laptop.db", bootstrap=False, reader=True)
        try:
            url = as_login(postgres_url, rita_login)
            sync_with(laptop, url)
            laptop.switch_user("Rita Reporter")
            laptop.create_article("Written on the train", "A body.")
            assert sync_with(laptop, url).refused == []
        finally:
            laptop.close()
        engine = create_engine(postgres_url)
        try:
            with engine.connect() as connection:
                rows = connection.execute(
                    text("SELECT headline, import_notes IS NULL FROM articles ORDER BY headline")
                ).all()
        finally:
            engine.dispose()
        assert len(rows) == 4
        assert [headline for headline, null in rows if null] == []
    finally:
        owner.close()
        drop_logins(logins)


def test_sqlite_from_schema_0001_with_unnumbered_articles_is_indexed(store_path, monkeypatch):
    """Articles an early version left without a search number are each numbered once
    (one UPDATE counting the unnumbered rows gave two of them the same number)."""
    rows = list(_OLD_ROWS)
    rows[1] = rows[1].replace("'r1', 1)", "'r1', NULL)").replace("'r2', 2)", "'r2', NULL)")
    monkeypatch.setattr(sys.modules[__name__], "_OLD_ROWS", tuple(rows))
    _old_store(f"sqlite:///{store_path}")
    room = Newsroom.open(store_path, "Rita Reporter")
    try:
        assert [hit.headline for hit in room.list_articles(ArticleQuery(search="pier"))] == [
            "Pier reopens"
        ]
        assert [hit.headline for hit in room.list_articles(ArticleQuery(search="harbour"))] == [
            "Harbour wall repaired"
        ]
    finally:
        room.close()
    with sqlite3.connect(store_path) as db:
        numbers = sorted(n for (n,) in db.execute("SELECT search_rowid FROM articles"))
    assert numbers == [1, 2]
