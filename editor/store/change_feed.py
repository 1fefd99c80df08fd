"""News of changes to a store, cheaper than asking for the data: for the desk watch.

Two kinds, one for each engine:

- `SqliteChangeCounter`: `PRAGMA data_version` on a connection of its own. SQLite moves
  that number whenever another connection (another window, another process, the command
  line, this process's own pool) commits to the file; asking costs microseconds and
  reads no table, so a window can ask every second and run the real query only when it
  moved.
- `PostgresListener`: a connection of its own, detached from the pool (the same login,
  password and search_path as the store's), that `LISTEN`s on the channel migration 0006
  notifies. `wait(timeout)` blocks until news of this store arrives (other stores in
  the same database, other schemas, are ignored), the timeout passes or `wake()` is
  called from another thread (a window closing does not wait out the timeout).

Both are used from one worker thread at a time; `wake()` and `close()` may come from
another. Driver errors come out as `StoreError`: the caller falls back to polling.
"""

from __future__ import annotations

import contextlib
import select
import socket
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import Engine

from editor.core.errors import StoreError

#: The channel of migration 0006.
CHANNEL = "newsroom_desk"


class SqliteChangeCounter:
    """Whether a SQLite store changed since the last call to `moved` (see the module)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        try:
            # Its own connection: data_version only moves for commits of *other*
            # connections, and a pooled one would be a different connection each time.
            self._db: sqlite3.Connection | None = sqlite3.connect(
                str(path), check_same_thread=False, timeout=1.0
            )
            self._last = self._version()
        except sqlite3.Error as error:
            raise StoreError(f"Cannot watch {path} for changes: {error}.") from None

    def _version(self) -> int:
        assert self._db is not None
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def moved(self) -> bool:
        """True when someone committed to the file since the last call (or the first)."""
        with self._lock:
            if self._db is None:
                raise StoreError("The change counter is closed.")
            try:
                version = self._version()
            except sqlite3.Error as error:
                raise StoreError(f"Cannot watch {self._path} for changes: {error}.") from None
            moved, self._last = version != self._last, version
            return moved

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


class PostgresListener:
    """`LISTEN` for this store's news on a connection of its own (see the module)."""

    def __init__(self, engine: Engine) -> None:
        self._closed = False
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        try:
            raw = engine.raw_connection()
        except Exception as error:  # the server away, the login refused
            self._close_wake()
            raise StoreError(f"Cannot listen for the desk's news: {error}.") from None
        try:
            connection = raw.driver_connection
            raw.detach()  # ours for good: never handed back to the pool, LISTEN and all
            if not hasattr(connection, "notifies"):  # psycopg 3 only (not psycopg2)
                raise StoreError("Listening needs the psycopg 3 driver (postgresql+psycopg).")
            connection.rollback()
            connection.autocommit = True
            self.schema: str = connection.execute("SELECT current_schema()").fetchone()[0]
            connection.execute(f"LISTEN {CHANNEL}")
        except StoreError:
            raw.close()
            self._close_wake()
            raise
        except Exception as error:
            raw.close()
            self._close_wake()
            raise StoreError(f"Cannot listen for the desk's news: {error}.") from None
        self._raw = raw
        self._connection = connection

    def wait(self, timeout: float) -> set[str]:
        """The tables of this store that changed (by the notices that arrived), waiting
        up to `timeout` seconds for the first; an empty set when none came or `wake()`."""
        if self._closed:
            raise StoreError("The listener is closed.")
        try:
            ready, _, _ = select.select([self._connection.fileno(), self._wake_r], [], [], timeout)
            if self._wake_r in ready:
                self._drain_wake()
            tables: set[str] = set()
            if self._closed:
                return tables
            # Poll once even when only woken: notices may be in the buffer already.
            for notice in self._connection.notifies(timeout=0):
                schema, _, table = notice.payload.rpartition(":")
                if schema == self.schema:
                    tables.add(table)
            return tables
        except StoreError:
            raise
        except Exception as error:  # the connection dropped: the caller polls instead
            raise StoreError(f"Stopped listening for the desk's news: {error}.") from None

    def wake(self) -> None:
        """Make a `wait` in another thread return now."""
        with contextlib.suppress(OSError):  # closed already: nothing waits
            self._wake_w.send(b"x")

    def close(self) -> None:
        """Stop listening (the connection goes; call after the waiting thread is done)."""
        if self._closed:
            return
        self._closed = True
        self.wake()
        with contextlib.suppress(Exception):  # a dropped connection cannot be closed more
            self._raw.close()
        self._close_wake()

    def _drain_wake(self) -> None:
        try:
            while self._wake_r.recv(64):
                pass
        except (BlockingIOError, OSError):
            pass

    def _close_wake(self) -> None:
        for end in (self._wake_r, self._wake_w):
            end.close()
