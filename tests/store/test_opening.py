"""Opening stores: new, existing, and every kind of file that is not a usable store."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from editor.core.errors import NotAStoreError, ReadOnlyStoreError, StoreTooNewError
from editor.services.newsroom import Newsroom
from editor.store import opening
from editor.store.store import Store

HEAD = "0010_sync_changes"


def test_new_store_is_created_migrated_and_in_wal_mode(store_path):
    store = Store.open(store_path)
    try:
        assert store.created
        assert store_path.exists()
    finally:
        store.close()
    with sqlite3.connect(store_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = db.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert {"articles", "revisions", "events", "users", "articles_fts"} <= tables
    assert version == HEAD
    again = Store.open(store_path)
    assert not again.created
    again.close()


def test_foreign_keys_are_enforced(sqlite_newsroom):
    with (
        pytest.raises(Exception, match="FOREIGN KEY"),
        sqlite_newsroom.store.db.engine.begin() as connection,
    ):
        connection.exec_driver_sql(
            "INSERT INTO events (id, article_id, created_at, action, note) "
            "VALUES ('e', 'no-such-article', '2026-01-01', 'x', '')"
        )


def test_nested_folders_are_created(tmp_path):
    store = Store.open(tmp_path / "a" / "b" / "newsroom.db")
    store.close()
    assert (tmp_path / "a" / "b" / "newsroom.db").exists()


def test_a_text_file_is_not_a_store_and_stays_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("my notes, not a database")
    with pytest.raises(NotAStoreError, match="not a Newsroom store"):
        Store.open(path)
    assert path.read_text() == "my notes, not a database"


def test_another_programs_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE contacts (name TEXT)")
    before = path.read_bytes()
    with pytest.raises(NotAStoreError, match="not a Newsroom store"):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_corrupt_store_is_refused(store_path):
    Store.open(store_path).close()
    data = bytearray(store_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    store_path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        store_path.with_name(store_path.name + suffix).unlink(missing_ok=True)
    with pytest.raises(NotAStoreError):
        Store.open(store_path)


def test_a_folder_is_not_a_store(tmp_path):
    with pytest.raises(NotAStoreError, match="folder"):
        Store.open(tmp_path)


def test_store_from_a_newer_version_is_refused_untouched(store_path):
    Store.open(store_path).close()
    with sqlite3.connect(store_path) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = store_path.read_bytes()
    with pytest.raises(StoreTooNewError, match="newer version"):
        Newsroom.open(store_path)
    assert store_path.read_bytes() == before


def test_read_only_store_is_refused_and_unchanged(sqlite_newsroom, store_path):
    sqlite_newsroom.create_article("Kept safe", "Body.")
    sqlite_newsroom.close()
    store_path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        before = store_path.read_bytes()
        with pytest.raises(ReadOnlyStoreError, match="read-only"):
            Newsroom.open(store_path)
        assert store_path.read_bytes() == before
    finally:
        store_path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert Newsroom.open(store_path).count_articles() == 1


def test_store_in_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(ReadOnlyStoreError):
            Store.open(folder / "newsroom.db")
        assert not (folder / "newsroom.db").exists()
    finally:
        folder.chmod(stat.S_IRWXU)


def test_default_location_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSROOM_STORE", str(tmp_path / "env.db"))
    assert opening.default_store_path() == tmp_path / "env.db"
    monkeypatch.delenv("NEWSROOM_STORE")
    assert opening.default_store_path().name == "newsroom.db"


def test_first_open_of_default_store_loads_the_samples(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSROOM_STORE", str(tmp_path / "default.db"))
    room = Newsroom.open()
    try:
        headlines = [a.headline for a in room.list_articles()]
        assert len(headlines) >= 4
        assert "Putin takes Kim Jong Un in a limousine, and later gives him a car" in headlines
    finally:
        room.close()
    room = Newsroom.open()  # the second start imports nothing more
    try:
        assert len(room.list_articles()) == len(headlines)
    finally:
        room.close()


# Neither SQLAlchemy nor Alembic can reflect SQLite expression indexes; they are skipped.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_models_match_the_migrations(sqlite_newsroom):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from editor.store.models import Base

    with sqlite_newsroom.store.db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = [
            d
            for d in compare_metadata(context, Base.metadata)
            if not (d[0] == "remove_table" and d[1].name.startswith("articles_fts"))
        ]
    assert differences == []


def test_backup_before_upgrade_is_a_full_copy(sqlite_newsroom, store_path):
    sqlite_newsroom.create_article("Keep me", "Body.")
    backup = opening._backup(sqlite_newsroom.store.db.engine, store_path, "0001_baseline")
    assert backup.name.startswith("newsroom.before-upgrade-0001_baseline-")
    with sqlite3.connect(backup) as db:
        assert db.execute("SELECT headline FROM articles").fetchall() == [("Keep me",)]


def test_a_store_of_the_first_schema_is_upgraded_after_a_backup(store_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    config = Config()
    config.set_main_option("script_location", str(opening.MIGRATIONS))
    engine = create_engine(f"sqlite:///{store_path}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001_baseline")
        connection.exec_driver_sql(
            "INSERT INTO articles (id, headline, standfirst, slug, slug_locked, byline, "
            "section, tags, dateline, status, priority, legal_hold, not_for_publication, "
            "word_count, source_name, version, created_at, updated_at) VALUES ('a1', "
            "'Old story', '', 'old-story', 0, '', '', '[]', '', 'draft', 0, 0, 0, 0, '', 1, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
    engine.dispose()

    room = Newsroom.open(store_path)
    try:
        article = room.get_article("a1")
        assert article.headline == "Old story"
        assert article.import_notes == []
        assert article.published_at is None
    finally:
        room.close()
    backups = list(store_path.parent.glob("*0001_baseline*"))
    assert backups, "the old store was copied aside before the upgrade"
    with sqlite3.connect(store_path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
