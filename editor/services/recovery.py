"""Recovery journal: unsaved text of an editing session, offered back after a crash.

The editor writes the body (and unsaved details) of the open article to the journal
within half a second of a keystroke, also while typing goes on, and clears it once the
article itself is saved. The journal lives in files beside the store
(`editor.store.recovery_file`, where its format and guarantees are written down), so it
is written when the store is locked or its disk is full. An entry still there at the
next start is work a run did not save: `recoverable()` lists it when it differs from the
stored article (entries an earlier version left in the store's table too),
`restore_unsaved()` writes it back as a new revision (the stored one stays in the
history), `discard_unsaved()` drops it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from editor.core.errors import NotFoundError, ValidationError
from editor.core.values import JournalEntry

if TYPE_CHECKING:  # for type checkers only
    from editor.core.model import Article
    from editor.services.seat import SavingSeat

#: The revision reason of text brought back from the journal.
RECOVER_REASON = "recover"


@dataclass(frozen=True)
class Recovery:
    """Unsaved work worth offering back, beside the article as the store has it."""

    entry: JournalEntry
    headline: str
    stored_body: str
    stored_version: int
    deleted: bool = False

    @property
    def article_id(self) -> str:
        return self.entry.article_id

    @property
    def changed_since(self) -> bool:
        """Someone saved the article after the session loaded it."""
        return self.stored_version != self.entry.base_version


def jsonable_changes(changes: dict[str, object]) -> dict[str, object]:
    """Unsaved field edits as JSON values (dates as ISO text, the rest as text or lists)."""
    result: dict[str, object] = {}
    for name, value in changes.items():
        if isinstance(value, date | datetime):
            result[name] = value.isoformat()
        elif isinstance(value, list | tuple):
            result[name] = [str(v) for v in value]
        elif value is None or isinstance(value, str | int | float | bool):
            result[name] = value
        else:
            result[name] = str(value)
    return result


class RecoveryService:
    """`newsroom.recovery`: the journal of unsaved work; restores write back through the seat."""

    def __init__(self, seat: SavingSeat) -> None:
        self._seat = seat

    def journal_unsaved(
        self,
        article_id: str,
        session_id: str,
        base_version: int,
        body: str,
        changes: dict[str, object] | None = None,
    ) -> None:
        """Keep what the session has on screen until the article itself is saved; on disk
        when this returns (a worker thread calls it while the person types)."""
        meta = {"changes": jsonable_changes(changes or {})}
        self._seat.store.journal.write_journal(
            article_id, session_id, self._seat.user.id, base_version, body, meta
        )

    def prepare_journal(self) -> None:
        """Make this run's journal file now (full size), so later writes need no disk space."""
        self._seat.store.journal.prepare()

    def close_journal(self) -> None:
        """This run is done journaling: its file goes when empty, else stays for the next
        start to offer."""
        self._seat.store.journal.close()

    def discard_unsaved(self, article_id: str, session_id: str | None = None) -> None:
        """Forget the journal of one session (or of every session of the article)."""
        self._seat.store.journal.discard_journal(article_id, session_id)

    def recoverable(self) -> list[Recovery]:
        """The acting user's unsaved work that differs from what the store holds.

        Rows that hold nothing new (the same text as the stored article) are dropped on
        the way; of several sessions of one article, the latest is offered.
        """
        latest: dict[str, JournalEntry] = {}
        for entry in self._seat.store.journal.list_journal():
            if entry.user_id not in (None, self._seat.user.id):
                continue  # someone else's work on a shared store: theirs to recover
            latest[entry.article_id] = entry  # oldest first, so the newest wins
        offers: list[Recovery] = []
        for article_id, entry in latest.items():
            try:
                stored = self._seat.store.get_article(article_id, include_deleted=True)
            except NotFoundError:
                self._seat.store.journal.discard_journal(article_id)
                continue
            if entry.body == stored.body and _same_details(stored, entry.changes):
                self._seat.store.journal.discard_journal(article_id)
                continue
            offers.append(
                Recovery(
                    entry=entry,
                    headline=str(entry.changes.get("headline", stored.headline)),
                    stored_body=stored.body,
                    stored_version=stored.version,
                    deleted=stored.deleted_at is not None,
                )
            )
        return offers

    def restore_unsaved(self, recovery: Recovery) -> Article:
        """Write the journal's text over the article as a new revision; nothing is lost.

        The stored text stays in the history. A deleted article comes back as a new copy.
        Details the store now refuses (say a slug taken meanwhile) are left as stored.
        """
        entry = recovery.entry
        changes = entry.changes
        stored = self._seat.store.get_article(entry.article_id, include_deleted=True)
        if stored.deleted_at is not None:
            copy = self._seat.create_article(
                headline=str(changes.get("headline", stored.headline)), body=entry.body
            )
            self._seat.store.journal.discard_journal(entry.article_id)
            return copy
        while True:
            try:
                restored = self._seat.save_article(
                    entry.article_id,
                    expected_version=stored.version,
                    changes=changes or None,
                    body=entry.body,
                    reason=RECOVER_REASON,
                )
                break
            except ValidationError as error:
                if error.field is None or error.field not in changes:
                    raise
                del changes[error.field]
        self._seat.store.journal.discard_journal(entry.article_id)
        return restored


def _same_details(article: Article, changes: dict[str, object]) -> bool:
    for name, value in changes.items():
        current = getattr(article, name, None)
        if name == "tags":
            current = ", ".join(article.tags)
            value = ", ".join(value) if isinstance(value, list) else value
        elif isinstance(current, date):
            current = current.isoformat()
        if (current or "") != (value or ""):
            return False
    return True
