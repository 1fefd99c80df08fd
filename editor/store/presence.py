"""Presence in the store: one row per window that has an article open for editing.

`claim` replaces the window's row (a new article, a new `since`), `heartbeat` renews it,
`release` deletes it; `current` lists the claims renewed within `EXPIRY_SECONDS`, with
the user's name. Times are the store's clock: the server's `now()` on PostgreSQL, so the
laptops of a shared desk need not agree on the time; on a SQLite file, this machine's.
On PostgreSQL the policies of migration 0006 let a person write rows in their own name
only. Presence never travels by sync (`editor.store.sync` knows nothing of it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import DateTime, ForeignKey, String, delete, func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from editor.core.errors import NotFoundError
from editor.core.presence import EXPIRY_SECONDS, Presence
from editor.store.database import Database
from editor.store.models import Base, UserRow
from editor.store.rows import as_aware, utc_now


class PresenceRow(Base):
    """One window's claim on an article (see the module)."""

    __tablename__ = "presence"

    session_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    since: Mapped[datetime] = mapped_column(DateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime)


class PresenceRepository:
    """`presence` rows over one `Database`; see the module."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def _now(self, session: Session) -> datetime:
        """Now by the store's clock, as the columns hold it (naive UTC)."""
        if self._db.dialect == "postgresql":
            return session.execute(select(func.timezone("UTC", func.now()))).scalar_one()
        return utc_now()

    def _cutoff(self, now: datetime) -> ColumnElement[datetime]:
        return literal(now - timedelta(seconds=EXPIRY_SECONDS), DateTime)

    def claim(self, session_id: str, article_id: str, user_id: str) -> Presence:
        """This window has `article_id` open now (replacing what it had); the person's own
        rows gone stale (a killed run of theirs) are swept on the way."""
        try:
            return self._claim(session_id, article_id, user_id)
        except IntegrityError:  # the article went (deleted, purged) meanwhile
            raise NotFoundError("That article is no longer in the store.") from None

    def _claim(self, session_id: str, article_id: str, user_id: str) -> Presence:
        with self._db.write() as session:
            now = self._now(session)
            row = session.get(PresenceRow, session_id)
            if row is not None and row.article_id == article_id and row.user_id == user_id:
                row.heartbeat_at = now  # the same claim again (a reload): keep `since`
            else:
                session.execute(delete(PresenceRow).where(PresenceRow.session_id == session_id))
                row = PresenceRow(
                    session_id=session_id,
                    article_id=article_id,
                    user_id=user_id,
                    since=now,
                    heartbeat_at=now,
                )
                session.add(row)
            session.execute(
                delete(PresenceRow).where(
                    PresenceRow.user_id == user_id,
                    PresenceRow.session_id != session_id,
                    PresenceRow.heartbeat_at < self._cutoff(now),
                )
            )
            session.flush()
            name = session.scalar(select(UserRow.name).where(UserRow.id == user_id)) or ""
            return _presence(row, name)

    def heartbeat(self, session_id: str) -> bool:
        """Renew this window's claim; False when it has none (swept, or never made)."""
        with self._db.write() as session:
            now = self._now(session)
            result = session.execute(
                update(PresenceRow)
                .where(PresenceRow.session_id == session_id)
                .values(heartbeat_at=now)
            )
            return bool(result.rowcount)

    def release(self, session_id: str) -> bool:
        """This window has nothing open any more; False when it had no claim."""
        with self._db.write() as session:
            result = session.execute(
                delete(PresenceRow).where(PresenceRow.session_id == session_id)
            )
            return bool(result.rowcount)

    def current(self, article_ids: list[str] | None = None) -> list[Presence]:
        """The live claims (renewed within `EXPIRY_SECONDS`), of `article_ids` only when
        given, oldest first."""
        with self._db.read() as session:
            now = self._now(session)
            statement = (
                select(PresenceRow, UserRow.name)
                .join(UserRow, UserRow.id == PresenceRow.user_id)
                .where(PresenceRow.heartbeat_at >= self._cutoff(now))
                .order_by(PresenceRow.since, PresenceRow.session_id)
            )
            if article_ids is not None:
                if not article_ids:
                    return []
                statement = statement.where(PresenceRow.article_id.in_(article_ids))
            return [_presence(row, name) for row, name in session.execute(statement)]


def _presence(row: PresenceRow, name: str) -> Presence:
    since, heartbeat = as_aware(row.since), as_aware(row.heartbeat_at)
    assert since is not None and heartbeat is not None
    return Presence(
        session_id=row.session_id,
        article_id=row.article_id,
        user_id=row.user_id,
        user_name=name,
        since=since,
        heartbeat_at=heartbeat,
    )
