"""Finding, checking and opening a store: location, file sanity, engine, migrations.

Everything that can make a store unusable is found here, before anything is
written, and reported as one typed error with a message fit for a person.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from editor.core.errors import (
    NotAStoreError,
    PasswordRequiredError,
    ReadOnlyStoreError,
    StoreError,
    StoreTooNewError,
)
from editor.store import backup, integrity
from editor.store.location import (  # noqa: F401 - where a store is, said once there
    APP_AUTHOR,
    APP_NAME,
    default_store_location,
    default_store_path,
    is_shared,
    is_url,
)
from editor.store.schema_version import MIGRATIONS, schema_revisions

SQLITE_HEADER = b"SQLite format 3\x00"
#: How long a write waits for another program's lock before giving up.
BUSY_TIMEOUT_MS = 5000


#: Passwords the person typed this session, by store URL without its password.
_PASSWORDS: dict[str, str] = {}


def _password_key(location: str) -> str:
    try:
        return make_url(location).set(password=None).render_as_string(hide_password=False)
    except ArgumentError:
        return location


def supply_password(location: str, password: str | None) -> None:
    """Use `password` for connections to `location` from now on (None forgets it).

    Kept in memory only: never written to a file, to settings or to the store's URL.
    """
    key = _password_key(location)
    if password is None:
        _PASSWORDS.pop(key, None)
    else:
        _PASSWORDS[key] = password


def _connection_login(location: str) -> str | None:
    """Who a PostgreSQL connection to `location` logs in as (the URL, else $PGUSER)."""
    try:
        url = make_url(location)
    except ArgumentError:
        return None
    return url.username or url.query.get("user") or os.environ.get("PGUSER") or None


def password_error(error: DBAPIError, location: str) -> PasswordRequiredError | None:
    """The typed error when `error` is the server asking for a password, else None."""
    message = str(error.orig or error).lower()
    asked = "no password supplied" in message
    rejected = "password authentication failed" in message
    if not (asked or rejected):
        return None
    login = _connection_login(location)
    who = f" for the database login {login}" if login else ""
    shown = (
        make_url(location).render_as_string(hide_password=True) if is_url(location) else location
    )
    if rejected:
        text = f"The server of {shown} refused the password{who}: type it again."
    else:
        text = f"The server of {shown} asks for a password{who}."
    return PasswordRequiredError(text, location=shown, login=login, rejected=rejected)


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
        empty = path.stat().st_size == 0
        # Not while this process has the file open: closing a second descriptor would
        # drop the open connection's POSIX locks (`integrity.open_in_this_process`).
        if not empty and not integrity.open_in_this_process(path):
            with path.open("rb") as handle:
                if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                    raise NotAStoreError(
                        f"{path} is not a Newsroom store (it is not a SQLite database)."
                    )
    except OSError as error:
        raise StoreError(f"Cannot read {path}: {error.strerror}.") from None
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
    if not empty:  # damaged, or a full disk: refused before anything is written
        integrity.check_store(path, backup.latest_good_backup)
        backup.automatic_backup(path)
    return empty


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
    """The engine for a SQLite path or a URL; a PostgreSQL URL needs no host or user: psycopg
    reads a libpq service file (`?service=NAME`) and the `PG*` environment variables."""
    if is_url(location):
        password = _PASSWORDS.get(_password_key(location))
        connect_args = {"password": password} if password is not None else {}
        return create_engine(location, pool_pre_ping=True, connect_args=connect_args)
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
    location = path or engine.url.render_as_string(hide_password=True)
    tables, current = _peek_sqlite(path) if path is not None else _peek(engine, location)
    head, known = schema_revisions()
    if current is None and tables - {"alembic_version"}:
        raise NotAStoreError(
            f"{location} is a database, but not a Newsroom store (tables: "
            f"{', '.join(sorted(tables)[:5])})."
        )
    if current is not None and current not in known:
        raise StoreTooNewError(
            f"{location} was written by a newer version of Newsroom Editor (schema "
            f"{current}); update the app to open it. Nothing was changed."
        )
    if current == head:
        return False
    from alembic import command  # only for an upgrade: importing it costs ~0.3 s
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if current is not None and path is not None:
        _backup(engine, path, current)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except DBAPIError as error:
        if path is None and _refused(error):
            if current is None:
                raise StoreError(
                    f"{location} is not set up as a Newsroom store yet, and the database "
                    f"login {_session_login(engine)} may not create it: whoever runs the "
                    "server sets it up with `newsroom --store URL init --admin NAME`."
                ) from None
            raise StoreError(
                f"{location} needs an upgrade of its schema (from {current} to {head}) that "
                "only the store's owner on the server can make: ask them to open it once "
                "with that login. Nothing was changed."
            ) from None
        raise
    return current is None


def schema_is_current(engine: Engine, location: object) -> bool:
    """Whether the store behind `engine` has the newest schema, read without writing a
    byte (a store read on a full disk). `NotAStoreError` for a foreign database."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    tables, current = _peek(engine, location)
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
    return current == script.get_current_head()


def _refused(error: DBAPIError) -> bool:
    """Whether the server refused for want of a privilege (SQLSTATE 42501)."""
    return getattr(error.orig, "sqlstate", None) == "42501" or "must be owner" in str(error.orig)


def _peek(engine: Engine, location: object) -> tuple[set[str], str | None]:
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                # A schema closed to this login looks empty: say so, create nothing.
                login, usable = connection.exec_driver_sql(
                    "SELECT session_user, "
                    "coalesce(has_schema_privilege(current_schema(), 'USAGE'), false)"
                ).one()
                if not usable:
                    raise StoreError(_no_rights(login, location))
            tables = set(inspect(connection).get_table_names())
            return tables, MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as error:
        location = str(location)
        if (asked := password_error(error, engine.url.render_as_string(False))) is not None:
            raise asked from None
        if _refused(error):
            raise StoreError(_no_rights(_session_login(engine), location)) from None
        raise NotAStoreError(
            f"{location} cannot be opened as a Newsroom store: {error.orig}."
        ) from None


def _no_rights(login: str, location: object) -> str:
    return (
        f"The database login {login} has no rights on {location}: an admin of the newsroom "
        "adds you with `newsroom user add NAME --role reporter|editor|admin --login "
        f"{login}`."
    )


def _session_login(engine: Engine) -> str:
    try:
        with engine.connect() as connection:
            return str(connection.exec_driver_sql("SELECT session_user").scalar())
    except DBAPIError:
        return _connection_login(engine.url.render_as_string(False)) or "you use"


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
    """A checked backup in the store's backup folder (`editor.store.backup`), rotated."""
    raw = engine.raw_connection()
    try:
        return backup.make_backup(path, "before-upgrade", revision, raw.driver_connection).path
    except StoreError as error:
        raise StoreError(f"Cannot back up {path} before upgrading it: {error}") from None
    finally:
        raw.close()
