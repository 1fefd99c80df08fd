"""`newsroom.presence`: who has which article open for editing, and news of the desk.

A window claims the article it opened for editing (`claim`, in the acting user's name,
under a session id of its own), renews the claim every ~25 s (`heartbeat`) and gives it
up when it switches article or closes (`release`); `current` lists the live claims,
a claim not renewed for 90 s being gone (`editor.core.presence`). Nothing here is the
article's: presence is the desk's state of the moment, never synced, never audited.

`change_feed()` is how a window hears that the store changed without asking for the data
each time: a `PRAGMA data_version` counter on SQLite, a `LISTEN` connection on
PostgreSQL (`editor.store.change_feed`). The window decides when to look; this part only
opens the feed on the right engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from editor.core.presence import Presence
from editor.store.change_feed import PostgresListener, SqliteChangeCounter
from editor.store.presence import PresenceRepository

if TYPE_CHECKING:  # for type checkers only
    from editor.services.seat import Seat

__all__ = ["PostgresListener", "Presence", "PresenceService", "SqliteChangeCounter"]


class PresenceService:
    """Presence and the change feed, over the seat's store and acting user."""

    def __init__(self, seat: Seat) -> None:
        self._seat = seat
        self._rows: PresenceRepository | None = None

    @property
    def _repository(self) -> PresenceRepository:
        if self._rows is None:  # made on first use: a CLI run never needs it
            self._rows = PresenceRepository(self._seat.store.db)
        return self._rows

    def claim(self, article_id: str, session_id: str) -> Presence:
        """The acting user has `article_id` open for editing in the window `session_id`
        (whatever that window had open before is given up in the same transaction)."""
        return self._repository.claim(session_id, article_id, self._seat.user.id)

    def heartbeat(self, session_id: str) -> bool:
        """Renew the window's claim; False when it has none left (swept as stale after a
        long sleep of the laptop: claim again)."""
        return self._repository.heartbeat(session_id)

    def release(self, session_id: str) -> bool:
        """The window has nothing open for editing any more."""
        return self._repository.release(session_id)

    def current(self, article_ids: list[str] | None = None) -> list[Presence]:
        """Every live claim (of `article_ids` only, when given), oldest first."""
        return self._repository.current(article_ids)

    @property
    def can_listen(self) -> bool:
        """Whether the store can tell of its changes as they happen (PostgreSQL)."""
        return self._seat.store.db.dialect == "postgresql"

    def change_feed(self) -> SqliteChangeCounter | PostgresListener | None:
        """A feed of this store's changes, on a connection of its own (close it when
        done): a `PostgresListener` on PostgreSQL, a `SqliteChangeCounter` on a SQLite
        file, None for any other engine (poll). Raises `StoreError` when it cannot open.
        """
        db = self._seat.store.db
        if db.dialect == "postgresql":
            return PostgresListener(db.engine)
        if db.dialect == "sqlite" and db.path is not None:
            return SqliteChangeCounter(db.path)
        return None
