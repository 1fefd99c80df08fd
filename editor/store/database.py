"""One database: the engine, its sessions and the transaction helper every repository shares.

`Database.write()` is a transaction (committed when the block ends, rolled back when it
raises); `Database.read()` a session for reading. Both turn driver errors into typed
`StoreError`s with a message a person can act on. The store's repositories each take
the one `Database` in their constructor and nothing else.

A store opened on a full disk (`Store.open`) reads through a read-only URL
(`integrity.full_disk_reader_url`): `read_only_reason` says why, every `write()` is
refused at once with `StoreFullError`, and the first read or write after space was freed
opens the store normally again. `locked_by_another_program()` and
`waiting_at_most(seconds)` let a caller that must not wait (the window's GUI thread) tell
a lock at once and bound SQLite's busy wait on its own thread.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from editor.core.errors import (
    PermissionDeniedError,
    ReadOnlyStoreError,
    StoreBusyError,
    StoreError,
    StoreFullError,
)
from editor.store import integrity, opening
from editor.store.models import ArticleRow
from editor.store.search import search_index_for

#: How long SQLite waits for another program's lock on this thread (None: the store's
#: `opening.BUSY_TIMEOUT_MS`); set with `Database.waiting_at_most`.
_WAIT_MS: ContextVar[int | None] = ContextVar("newsroom_store_wait_ms", default=None)
#: How often a store read on a full disk looks whether there is room again.
ROOM_LOOK_S = 1.0


class Database:
    """The engine of one store (a SQLite file or any SQLAlchemy URL) and its sessions.

    `reader_url` (with `read_only_reason`): the store is read through that URL, which
    cannot write (a full disk); see the module's docstring.
    """

    def __init__(
        self,
        location: str,
        path: Path | None,
        *,
        reader_url: str | None = None,
        read_only_reason: str | None = None,
    ) -> None:
        self.location = location
        self.path = path
        #: Why this store is open for reading only (a full disk), None when it is not.
        self.read_only_reason = read_only_reason if reader_url else None
        self._room_looked = time.monotonic()
        self._swap_lock = threading.Lock()
        if reader_url:
            self.engine: Engine = create_engine(reader_url)
        else:
            self.engine = opening.create_store_engine(str(path) if path else location)
        self._watch_busy_timeout(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        #: The full-text index of this engine (`editor.store.search`).
        self.search = search_index_for(self.dialect)
        #: SQLite numbers articles for its full-text index (`articles.search_rowid`).
        self.fts = self.dialect == "sqlite"

    @property
    def dialect(self) -> str:
        """The database's dialect name: "sqlite", "postgresql", ..."""
        return self.engine.dialect.name

    @property
    def name(self) -> str:
        """How messages name the store: its file, or its URL without the password."""
        return str(self.path) if self.path else self.engine.url.render_as_string(True)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in a transaction, committed when the block ends.

        On a store open for reading only (a full disk) it is refused before anything
        runs, unless space was freed since: then the store is opened normally first.
        """
        if self.read_only_reason is not None and not self._room_again(force=True):
            raise StoreFullError(
                f"The disk holding the store {self.name} is full, so it is open for reading "
                "only: nothing was saved. Free some space; saving works again as soon as "
                "there is room."
            )
        with self.guard(), self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading."""
        if self.read_only_reason is not None:
            self._room_again()
        with self.guard(), self._sessions() as session:
            yield session

    # -- a full disk: reading only, until there is room again ----------------------

    def _room_again(self, force: bool = False) -> bool:
        """Open the store normally again when its disk has room (looked at most every
        `ROOM_LOOK_S`, or now with `force`); whether it is writable now.

        The read-only URL reads the file as it stands, which is only safe while nobody
        else writes: once there is room another program may, so the switch also keeps
        reads right.
        """
        with self._swap_lock:
            if self.read_only_reason is None:
                return True
            now = time.monotonic()
            if not force and now - self._room_looked < ROOM_LOOK_S:
                return False
            self._room_looked = now
            if self.path is None or integrity.disk_is_full(self.path):
                return False
            engine = opening.create_store_engine(str(self.path))
            try:
                with engine.connect() as connection:
                    connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
            except DBAPIError:
                engine.dispose()
                return False
            old, self.engine = self.engine, engine
            self._watch_busy_timeout(engine)
            self._sessions = sessionmaker(engine, expire_on_commit=False)
            self.read_only_reason = None
        old.dispose()  # a session still using it closes its connection when it ends
        return True

    # -- locks held by another program ---------------------------------------------

    def locked_by_another_program(self, patience_s: float = 0.05) -> bool:
        """Whether a write would have to wait for another program's lock now (SQLite).

        Takes the write lock and gives it back at once, writing nothing (a millisecond).
        A lock given back within `patience_s` does not count: a short write (this
        process's own, say). Other databases: False (they lock rows, not the store).
        """
        if self.path is None or self.dialect != "sqlite" or self.read_only_reason:
            return False
        try:
            probe = sqlite3.connect(
                f"{self.path.as_uri()}?mode=rw",
                uri=True,
                timeout=patience_s,
                isolation_level=None,
            )
        except sqlite3.Error:
            return False  # not there, or not openable: the write itself says why
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.Error as error:
            message = str(error).lower()
            return "locked" in message or "busy" in message
        finally:
            probe.close()

    @staticmethod
    @contextmanager
    def waiting_at_most(seconds: float) -> Iterator[None]:
        """On this thread, SQLite waits at most `seconds` for another program's lock (then
        `StoreBusyError`), instead of `opening.BUSY_TIMEOUT_MS`."""
        token = _WAIT_MS.set(max(0, int(seconds * 1000)))
        try:
            yield
        finally:
            _WAIT_MS.reset(token)

    @staticmethod
    def _watch_busy_timeout(engine: Engine) -> None:
        if engine.dialect.name != "sqlite":
            return

        def checkout(dbapi_connection, record, _proxy) -> None:
            wanted = _WAIT_MS.get()
            wanted = opening.BUSY_TIMEOUT_MS if wanted is None else wanted
            if record.info.get("busy_ms", opening.BUSY_TIMEOUT_MS) != wanted:
                dbapi_connection.execute(f"PRAGMA busy_timeout = {wanted}")
                record.info["busy_ms"] = wanted

        event.listen(engine, "checkout", checkout)

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Turn driver errors into messages a person can act on."""
        try:
            yield
        except OperationalError as error:
            raise self._explain(error) from None
        except IntegrityError:
            raise
        except DBAPIError as error:
            if refusal := _refused_by_database(error):
                raise PermissionDeniedError(refusal) from None
            raise StoreError(f"The store {self.name} cannot be used: {error.orig}.") from None

    def _explain(self, error: DBAPIError) -> StoreError:
        message = str(error.orig).lower()
        if "locked" in message or "busy" in message:
            return StoreBusyError(
                f"The store {self.name} is locked by another program; nothing was "
                "saved. Try again in a moment."
            )
        if "readonly" in message or "read-only" in message:
            return ReadOnlyStoreError(f"The store {self.name} is read-only; nothing was saved.")
        if "full" in message:
            return StoreFullError(
                f"The disk holding {self.name} is full; nothing was saved. "
                "Free some space and save again."
            )
        return StoreError(f"The store {self.name} cannot be used: {error.orig}.")

    def index(self, session: Session, row: ArticleRow, body: str) -> None:
        """Bring the article's full-text entry up to date (`editor.store.search`)."""
        self.search.index(session, row, body)


def _refused_by_database(error: DBAPIError) -> str | None:
    """The shared desk's own refusal (SQLSTATE 42501: a grant, a row-level policy or a
    workflow trigger said no), as one sentence; None for any other error."""
    if getattr(error.orig, "sqlstate", None) != "42501":
        return None
    diag = getattr(error.orig, "diag", None)
    text = (getattr(diag, "message_primary", None) or str(error.orig)).strip().splitlines()[0]
    return f"The shared desk refused this: {text.rstrip('.')}."
