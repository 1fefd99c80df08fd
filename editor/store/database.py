"""One database: the engine, its sessions and the transaction helper every repository shares.

`Database.write()` is a transaction (committed when the block ends, rolled back when it
raises); `Database.read()` a session for reading. Both turn driver errors into typed
`StoreError`s with a message a person can act on. The store's repositories each take
the one `Database` in their constructor and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from editor.core.errors import (
    PermissionDeniedError,
    ReadOnlyStoreError,
    StoreBusyError,
    StoreError,
)
from editor.store import opening
from editor.store.models import ArticleRow
from editor.store.search import search_index_for


class Database:
    """The engine of one store (a SQLite file or any SQLAlchemy URL) and its sessions."""

    def __init__(self, location: str, path: Path | None) -> None:
        self.location = location
        self.path = path
        self.engine: Engine = opening.create_store_engine(str(path) if path else location)
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
        """A session in a transaction, committed when the block ends."""
        with self.guard(), self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading."""
        with self.guard(), self._sessions() as session:
            yield session

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
            return StoreError(
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
