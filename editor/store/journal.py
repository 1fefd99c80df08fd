"""The recovery journal table: one row per editing session of an article, upserted."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select

from editor.core.values import JournalEntry
from editor.store.database import Database
from editor.store.models import RecoveryJournalRow
from editor.store.rows import as_aware, utc_now


class JournalRepository:
    """The recovery journal: unsaved text of editing sessions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def write_journal(
        self,
        article_id: str,
        session_id: str,
        user_id: str | None,
        base_version: int,
        body: str,
        meta: dict | None = None,
    ) -> None:
        """Keep the session's unsaved text: one row per (article, session), replaced each time."""
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
            row.written_at = utc_now()

    def list_journal(self, user_id: str | None = None) -> list[JournalEntry]:
        """Journal rows, oldest first; only `user_id`'s when given."""
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

    def discard_journal(self, article_id: str, session_id: str | None = None) -> int:
        """Drop the session's row (every session's with no `session_id`); how many went."""
        statement = delete(RecoveryJournalRow).where(RecoveryJournalRow.article_id == article_id)
        if session_id is not None:
            statement = statement.where(RecoveryJournalRow.session_id == session_id)
        with self._db.write() as session:
            return session.execute(statement).rowcount or 0
