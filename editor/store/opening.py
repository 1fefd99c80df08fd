"""Finding, checking and opening a store: location, file sanity, engine, migrations.

Everything that can make a store unusable is found here, before anything is
written, and reported as one typed error with a message fit for a person.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import DBAPIError

from editor.core.errors import (
    NotAStoreError,
    ReadOnlyStoreError,
    StoreError,
    StoreTooNewError,
)

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS = Path(__file__).parent / "migrations"
APP_NAME = "newsroom-editor"
APP_AUTHOR = "Newsroom"
#: How long a write waits for another program's lock before giving up.
BUSY_TIMEOUT_MS = 5000


def default_store_path() -> Path:
    """The store used when none is named: `NEWSROOM_STORE`, else the user data folder."""
    env = os.environ.get("NEWSROOM_STORE")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path(APP_NAME, APP_AUTHOR) / "newsroom.db"


def is_url(location: str) -> bool:
    return "://" in location


def check_sqlite_file(path: Path) -> bool:
    """Refuse what cannot be a writable store; True when the file must be created."""
    if path.is_dir():
        raise NotAStoreError(f"{path} is a folder, not a Newsroom store file.")
    if not path.exists():
        folder = _existing_ancestor(path.parent)
        if not _writable(folder):
            raise ReadOnlyStoreError(
                f"Cannot create a store at {path}: the folder {folder} is read-only."
            )
        return True
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreError(f"Cannot read {path}: {error.strerror}.") from None
    if header and header != SQLITE_HEADER:
        raise NotAStoreError(f"{path} is not a Newsroom store (it is not a SQLite database).")
    if not _writable(path):
        raise ReadOnlyStoreError(
            f"The store {path} is read-only: Newsroom Editor needs to write to it. "
            "Make it writable or copy it to a writable folder."
        )
    if not _writable(path.parent):
        raise ReadOnlyStoreError(
            f"The folder of the store {path} is read-only: SQLite needs to write its "
            "journal beside the store. Move the store to a writable folder."
        )
    return not header


def _existing_ancestor(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _writable(path: Path) -> bool:
    # os.access says yes to root for any file; a file or folder whose write bits are
    # all cleared was marked read-only on purpose, and we honour that for root too.
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return os.access(path, os.W_OK) and bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def create_store_engine(location: str) -> Engine:
    if is_url(location):
        return create_engine(location, pool_pre_ping=True)
    engine = create_engine(f"sqlite:///{location}")
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def migrate(engine: Engine, path: Path | None) -> bool:
    """Bring the schema to the newest revision; True when the store was empty before.

    A foreign database and a store from a newer version are refused untouched; an
    older store is copied aside before it is upgraded.
    """
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    location = path or engine.url.render_as_string(hide_password=True)
    tables, current = _peek_sqlite(path) if path is not None else _peek(engine, location)
    if current is None and tables - {"alembic_version"}:
        raise NotAStoreError(
            f"{location} is a database, but not a Newsroom store (tables: "
            f"{', '.join(sorted(tables)[:5])})."
        )
    if current is not None and current not in {r.revision for r in script.walk_revisions()}:
        raise StoreTooNewError(
            f"{location} was written by a newer version of Newsroom Editor (schema "
            f"{current}); update the app to open it. Nothing was changed."
        )
    if current == head:
        return False
    if current is not None and path is not None:
        _backup(engine, path, current)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return current is None


def _peek(engine: Engine, location: object) -> tuple[set[str], str | None]:
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            return tables, MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as error:
        raise NotAStoreError(
            f"{location} cannot be opened as a Newsroom store: {error.orig}."
        ) from None


def _peek_sqlite(path: Path) -> tuple[set[str], str | None]:
    """Tables and schema revision, read without writing a byte (no WAL switch yet)."""
    if not path.exists() or path.stat().st_size == 0:
        return set(), None
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            current = None
            if "alembic_version" in tables:
                row = db.execute("SELECT version_num FROM alembic_version").fetchone()
                current = row[0] if row else None
            return tables, current
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise NotAStoreError(
            f"{path} cannot be opened as a Newsroom store: {error} (the file may be damaged)."
        ) from None


def _backup(engine: Engine, path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.stem}.before-upgrade-{revision}-{stamp}{path.suffix}")
    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        with destination:
            raw.driver_connection.backup(destination)
        destination.close()
    except (sqlite3.Error, OSError) as error:
        raise StoreError(f"Cannot back up {path} before upgrading it: {error}.") from None
    finally:
        raw.close()
    shutil.copymode(path, target)
    return target
