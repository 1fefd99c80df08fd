"""Backups: written with the online backup API, checked, listed, rotated and restored."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from editor.core.errors import NotAStoreError, StoreBusyError, StoreError
from editor.core.model import ArticleQuery
from editor.services.newsroom import Newsroom
from editor.store import backup, integrity
from editor.store.store import Store

TABLES = ("articles", "revisions", "events", "comments", "users")


def _fill(room: Newsroom) -> None:
    """Articles with several revisions, workflow events and review comments."""
    for n in range(6):
        article = room.create_article(f"Story number {n}", f"First body of story {n}.")
        article = room.save_article(
            article.id, expected_version=article.version, body=f"Second body of story {n}."
        )
        if n % 2:
            article = room.transition(article.id, "submit", note=f"filed {n}")
        comment = room.add_comment(article.id, "Second body", 0, body=f"check this {n}")
        room.reply(comment.id, "done")


def _everything(location) -> dict:
    """Every article, revision, event and comment as the service reads them back."""
    room = Newsroom.open(location, reader=True)
    try:
        seen = {}
        for summary in room.list_articles(limit=1000):
            article = room.get_article(summary.id)
            seen[article.id] = (
                article,
                room.revisions(article.id),
                room.events(article.id),
                room.list_comments(article.id),
            )
        return seen
    finally:
        room.close()


def _rows(path) -> dict[str, list[tuple]]:
    """Every row of the tables that hold the newsroom's work, column by column."""
    with sqlite3.connect(path) as db:
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


@pytest.fixture
def filled(store_path):
    room = Newsroom.open(store_path)
    _fill(room)
    room.close()
    return store_path


def test_a_backup_is_a_checked_copy_of_everything(filled, tmp_path):
    before = _everything(filled)
    target = backup.backup_sqlite(filled, tmp_path / "copy.db")
    assert integrity.integrity_check(target).ok
    assert not (tmp_path / "copy.db-wal").exists(), "a backup is one self-contained file"
    assert _rows(target) == _rows(filled)
    assert _everything(target) == before
    assert len(before) == 6


def test_restore_puts_every_article_revision_event_and_comment_back(filled):
    before, rows = _everything(filled), _rows(filled)
    made = backup.make_backup(filled)
    room = Newsroom.open(filled)
    for summary in room.list_articles():
        room.delete_article(summary.id)
    room.create_article("Written after the backup", "Kept aside, not lost.")
    room.close()
    assert _everything(filled) != before

    report = backup.restore_backup(filled, made.path)

    assert _everything(filled) == before
    assert _rows(filled) == rows
    assert report.kept_aside is not None and report.kept_aside.exists()
    kept = _everything(report.kept_aside)
    assert [a.headline for a, *_ in kept.values() if a.deleted_at is None] == [
        "Written after the backup"
    ]
    assert report.kept_aside in [b.path for b in backup.list_backups(filled)]


def test_a_restore_while_another_program_has_the_store_open_changes_nothing(filled):
    made = backup.make_backup(filled)
    other = sqlite3.connect(filled)
    other.execute("SELECT count(*) FROM articles").fetchone()  # WAL reader, still open
    try:
        files = sorted(p.name for p in filled.parent.iterdir())
        with pytest.raises(StoreBusyError, match="open in another program"):
            backup.restore_backup(filled, made.path)
        assert sorted(p.name for p in filled.parent.iterdir()) == files
    finally:
        other.close()


def test_a_damaged_backup_is_not_restored(filled, tmp_path):
    bad = tmp_path / "bad.db"
    data = bytearray(filled.read_bytes())
    data[4096 : 4096 * 2] = os.urandom(4096)
    bad.write_bytes(bytes(data))
    before = _rows(filled)
    with pytest.raises(StoreError, match="damaged"):
        backup.restore_backup(filled, bad)
    assert _rows(filled) == before


def test_another_sqlite_file_is_not_restored(filled, tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(NotAStoreError):
        backup.restore_backup(filled, other)


def test_backups_are_listed_newest_first_with_time_and_size(filled):
    first = backup.make_backup(filled)
    second = backup.make_backup(filled)
    listed = backup.list_backups(filled)
    assert [b.path for b in listed[:2]] == [second.path, first.path]
    assert all(b.size == b.path.stat().st_size > 0 for b in listed)
    assert all(abs(b.made_at - datetime.now(UTC)) < timedelta(minutes=1) for b in listed)
    assert first.path.name.startswith("newsroom.backup-")


def test_the_first_open_of_a_day_makes_one_backup(filled):
    assert backup.list_backups(filled) == []
    Store.open(filled).close()
    daily = [b for b in backup.list_backups(filled) if b.kind == "daily"]
    assert len(daily) == 1
    Store.open(filled).close()
    assert [b for b in backup.list_backups(filled) if b.kind == "daily"] == daily
    assert _rows(daily[0].path) == _rows(filled)


def test_automatic_backups_are_rotated_and_hand_made_ones_kept(filled, monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "3")
    manual = backup.make_backup(filled)
    made = [backup.make_backup(filled, "daily") for _ in range(5)]
    kinds = backup.list_backups(filled)
    assert [b.path for b in kinds if b.kind == "daily"] == [m.path for m in made[::-1][:3]]
    assert manual.path.exists()


def test_keep_zero_turns_the_daily_backup_off(filled, monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    Store.open(filled).close()
    assert backup.list_backups(filled) == []


def test_a_bad_keep_count_says_what_it_wants(monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "seven")
    with pytest.raises(StoreError, match="whole number"):
        backup.keep_count()


def test_backups_go_to_the_folder_the_environment_names(filled, tmp_path, monkeypatch):
    folder = tmp_path / "elsewhere"
    monkeypatch.setenv("NEWSROOM_BACKUPS", str(folder))
    made = backup.make_backup(filled)
    assert made.path.parent == folder
    assert backup.list_backups(filled)[0].path == made.path
    assert backup.resolve_backup(filled, made.path.name) == made.path


def test_a_copy_that_fails_its_check_is_deleted(filled, tmp_path, monkeypatch):
    failing = integrity.CheckResult(tmp_path, False, ["*** page 3 is never used"])
    monkeypatch.setattr(integrity, "integrity_check", lambda path: failing)
    with pytest.raises(StoreError, match="failed its check"):
        backup.make_backup(filled)
    assert backup.list_backups(filled) == []
    assert not list(tmp_path.glob("*.partial"))


def test_a_backup_before_an_upgrade_is_rotated_with_the_others(filled, monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "2")
    for _ in range(3):
        backup.make_backup(filled, "daily")
    backup.make_backup(filled, "before-upgrade", "0001_baseline")
    automatic = [b for b in backup.list_backups(filled) if b.automatic]
    assert len(automatic) == 2
    assert automatic[0].kind == "before-upgrade" and automatic[0].revision == "0001_baseline"


def test_the_latest_good_backup_skips_a_damaged_one(filled):
    good = backup.make_backup(filled)
    newer = backup.make_backup(filled)
    data = bytearray(newer.path.read_bytes())
    data[4096:8192] = os.urandom(4096)
    newer.path.write_bytes(bytes(data))
    assert backup.latest_good_backup(filled) == good.path


def test_postgres_urls_become_libpq_uris_with_their_schema():
    uri, schema = backup.libpq_uri(
        "postgresql+psycopg://root:secret@127.0.0.1/test?options=-csearch_path%3Dnr_abc"
    )
    assert uri.startswith("postgresql://root@127.0.0.1/test?")
    assert "secret" not in uri
    assert schema == "nr_abc"


def test_a_postgres_store_is_dumped_and_the_dump_checked(postgres_url, tmp_path):
    if backup.pg_dump_available() is None:
        pytest.skip("pg_dump is not on PATH")
    room = Newsroom.open(postgres_url)
    room.create_article("On the server", "Body.")
    room.close()
    target = backup.backup_postgres(postgres_url, tmp_path / "store.pgdump")
    assert target.stat().st_size > 0
    assert target.read_bytes()[:5] == b"PGDMP"


def test_without_pg_dump_a_postgres_backup_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(backup, "pg_dump_available", lambda: None)
    with pytest.raises(StoreError, match="pg_dump"):
        backup.backup_postgres("postgresql://x@localhost/db", tmp_path / "x.pgdump")
    assert not list(tmp_path.iterdir())


def _pg_rows(url: str) -> dict[str, list[tuple]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                t: sorted(connection.execute(text(f"SELECT * FROM {t}")).all(), key=repr)
                for t in TABLES
            }
    finally:
        engine.dispose()


def test_a_postgres_dump_restores_every_article_revision_event_and_comment(postgres_url, tmp_path):
    import shutil
    import subprocess

    from sqlalchemy import create_engine, text

    if backup.pg_dump_available() is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not on PATH")
    room = Newsroom.open(postgres_url)
    _fill(room)
    room.close()
    before, rows = _everything(postgres_url), _pg_rows(postgres_url)
    dump = backup.backup_postgres(postgres_url, tmp_path / "store.pgdump")
    uri, schema = backup.libpq_uri(postgres_url)
    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:  # the store lost: the schema and all in it
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()
    restored = subprocess.run(
        ["pg_restore", "--dbname", uri, str(dump)], capture_output=True, text=True
    )
    assert restored.returncode == 0, restored.stderr
    assert _pg_rows(postgres_url) == rows
    assert _everything(postgres_url) == before
    assert len(before) == 6


# -- a store of every released schema: backed up, upgraded, its data intact ----------


def _released_revisions() -> list[str]:
    """Every schema revision before the newest, oldest first."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from editor.store import opening

    config = Config()
    config.set_main_option("script_location", str(opening.MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    revisions = [r.revision for r in script.walk_revisions()][::-1]
    return revisions[:-1]


def _store_at(url: str, revision: str) -> None:
    """A store made by the app at schema `revision`, with a user, an article, its
    revision, an event and (from 0002 on, where they exist) a comment."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, inspect, text

    from editor.store import opening

    config = Config()
    config.set_main_option("script_location", str(opening.MIGRATIONS))
    engine = create_engine(url)
    now = {"now": "2026-01-02 03:04:05"}
    # The rows are written at the first schema and carried up to `revision` by the
    # migrations, as the app's own upgrades carried them (the search index included).
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001_baseline")
        for statement in (
            "INSERT INTO users (id, name, role, created_at) VALUES ('u1', 'Old Ann', "
            "'admin', :now)",
            "INSERT INTO articles (id, headline, standfirst, slug, slug_locked, byline, "
            "section, tags, dateline, status, priority, legal_hold, not_for_publication, "
            "word_count, source_name, version, created_by, created_at, updated_at, "
            "head_revision_id) VALUES ('a1', 'Harbour wall repaired', '', "
            "'harbour-wall-repaired', false, 'Old Ann', 'Local', '[]', '', 'submitted', 0, "
            "false, false, 3, '', 2, 'u1', :now, :now, 'r1')",
            "INSERT INTO revisions (id, article_id, author_id, created_at, reason, body, "
            "metadata) VALUES ('r1', 'a1', 'u1', :now, 'save', 'Old harbour body.', '{}')",
            "INSERT INTO events (id, article_id, actor_id, created_at, action, from_status, "
            "to_status, note) VALUES ('e1', 'a1', 'u1', :now, 'submit', 'draft', "
            "'submitted', 'filed before the upgrade')",
        ):
            connection.execute(text(statement), now)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        if "comments" in inspect(connection).get_table_names():
            connection.execute(
                text(
                    "INSERT INTO comments (id, article_id, author_id, created_at, quote, "
                    "prefix, suffix, position, body) VALUES ('c1', 'a1', 'u1', :now, "
                    "'harbour', '', '', 4, 'source?')"
                ),
                now,
            )
    engine.dispose()


def _intact(room: Newsroom, with_comment: bool) -> None:
    article = room.get_article("a1")
    assert (article.headline, article.body, article.status.value) == (
        "Harbour wall repaired",
        "Old harbour body.",
        "submitted",
    )
    assert [r.id for r in room.revisions("a1")] == ["r1"]
    assert [(e.id, e.note) for e in room.events("a1")] == [("e1", "filed before the upgrade")]
    comments = room.list_comments("a1")
    assert [c.body for c in comments] == (["source?"] if with_comment else [])
    assert [s.id for s in room.list_articles(ArticleQuery(search="harbour"))] == ["a1"]


@pytest.mark.parametrize("revision", _released_revisions())
def test_a_sqlite_store_of_every_released_schema_is_backed_up_and_upgraded(store_path, revision):
    _store_at(f"sqlite:///{store_path}", revision)
    with_comment = revision != "0001_baseline"
    room = Newsroom.open(store_path, "Old Ann")
    try:
        _intact(room, with_comment)
    finally:
        room.close()
    made = [b for b in backup.list_backups(store_path) if b.kind == "before-upgrade"]
    assert [b.revision for b in made] == [revision]
    assert integrity.integrity_check(made[0].path).ok
    with sqlite3.connect(made[0].path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (revision,)
        assert db.execute("SELECT headline FROM articles").fetchall() == [
            ("Harbour wall repaired",)
        ]


@pytest.mark.parametrize("revision", _released_revisions())
def test_a_postgres_store_of_every_released_schema_is_backed_up_and_upgraded(
    postgres_url, tmp_path, revision
):
    _store_at(postgres_url, revision)
    if backup.pg_dump_available() is not None:
        dump = backup.backup_postgres(postgres_url, tmp_path / f"{revision}.pgdump")
        assert dump.read_bytes()[:5] == b"PGDMP"
    room = Newsroom.open(postgres_url)
    try:
        _intact(room, revision != "0001_baseline")
    finally:
        room.close()
