"""The recovery journal: unsaved text of editing sessions, kept beside the store.

Entries are written to the store's side journal (`editor.store.recovery_file`: a small
fsynced file per running editor, next to the store or in the user's state folder), which
needs nothing of the store: text typed while the store is locked, read-only or on a full
disk is kept too. Earlier versions kept the journal in the store's `recovery_journal`
table; its rows are still listed and discarded here, so a store that one of them left
work in offers it back, but nothing new is written there.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, exists, select

from editor.core.values import JournalEntry
from editor.store.database import Database
from editor.store.models import RecoveryJournalRow
from editor.store.recovery_file import SideJournal, journal_directories
from editor.store.rows import as_aware, as_naive, utc_now

_NEVER = datetime.min.replace(tzinfo=UTC)


class JournalRepository:
    """The recovery journal: unsaved text of editing sessions."""

    def __init__(self, db: Database) -> None:
        self._db = db
        #: The files the journal is written to (made on the first write or `prepare`).
        self.side = SideJournal(journal_directories(db.path, db.name))

    def write_journal(
        self,
        article_id: str,
        session_id: str,
        user_id: str | None,
        base_version: int,
        body: str,
        meta: dict | None = None,
    ) -> None:
        """Keep the session's unsaved text, replacing what it kept before; on disk (fsynced)
        when this returns. `StoreError` when the journal file cannot be written."""
        self.side.put(
            JournalEntry(
                article_id=article_id,
                session_id=session_id,
                user_id=user_id,
                base_version=base_version,
                body=body,
                meta=dict(meta or {}),
                written_at=as_aware(utc_now()),
            )
        )

    def prepare(self) -> None:
        """Make this process's journal file now, so that it can be written on a full disk."""
        self.side.prepare()

    def close(self) -> None:
        """Close this process's journal file (removed when it holds nothing)."""
        self.side.close()

    def list_journal(self, user_id: str | None = None) -> list[JournalEntry]:
        """Journal entries, oldest first: this process's, those of runs that ended without
        saving them, and rows an earlier version left in the table; only `user_id`'s when
        given."""
        entries = [
            e for e in self.side.entries() if user_id is None or e.user_id == user_id
        ] + self._table_rows(user_id)
        return sorted(entries, key=lambda e: e.written_at or _NEVER)

    def discard_journal(self, article_id: str, session_id: str | None = None) -> int:
        """Drop the session's entry (every session's with no `session_id`); how many went.

        The table is only written when it holds a row to drop, so a store that is locked
        or read-only does not stop the journal being cleared.
        """
        dropped = self.side.drop(article_id, session_id)
        condition = [RecoveryJournalRow.article_id == article_id]
        if session_id is not None:
            condition.append(RecoveryJournalRow.session_id == session_id)
        with self._db.read() as session:
            if not session.scalar(select(exists().where(*condition))):
                return dropped
        with self._db.write() as session:
            return dropped + (
                session.execute(delete(RecoveryJournalRow).where(*condition)).rowcount or 0
            )

    def write_table_journal(
        self,
        article_id: str,
        session_id: str,
        user_id: str | None,
        base_version: int,
        body: str,
        meta: dict | None = None,
        written_at=None,
    ) -> None:
        """A row in the table as earlier versions wrote it (for reading old stores; tests)."""
        with self._db.write() as session:
            row = session.scalar(
                select(RecoveryJournalRow).where(
                    RecoveryJournalRow.article_id == article_id,
                    RecoveryJournalRow.session_id == session_id,
                )
            )
            if row is None:
                row = RecoveryJournalRow(
                    id=str(uuid.uuid4()), article_id=article_id, session_id=session_id
                )
                session.add(row)
            row.user_id = user_id
            row.base_version = base_version
            row.body = body
            row.meta = dict(meta or {})
            row.written_at = as_naive(written_at) if written_at is not None else utc_now()

    def _table_rows(self, user_id: str | None) -> list[JournalEntry]:
        statement = select(RecoveryJournalRow).order_by(RecoveryJournalRow.written_at)
        if user_id is not None:
            statement = statement.where(RecoveryJournalRow.user_id == user_id)
        with self._db.read() as session:
            return [
                JournalEntry(
                    article_id=r.article_id,
                    session_id=r.session_id,
                    user_id=r.user_id,
                    base_version=r.base_version,
                    body=r.body,
                    meta=dict(r.meta or {}),
                    written_at=as_aware(r.written_at),
                )
                for r in session.scalars(statement)
            ]
