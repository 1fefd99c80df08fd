"""The newsroom dictionary table: names and terms the spell checker accepts, for everyone."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from editor.core.spelling import dictionary_order
from editor.store.database import Database
from editor.store.models import DictionaryWordRow
from editor.store.rows import utc_now


class DictionaryRepository:
    """The newsroom dictionary: words the spell checker accepts."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_word(self, word: str, user_id: str | None = None) -> bool:
        """Add `word` as written; False when it was already there."""
        try:
            with self._db.write() as session:
                exists = session.scalar(
                    select(DictionaryWordRow.id).where(DictionaryWordRow.word == word)
                )
                if exists is not None:
                    return False
                session.add(
                    DictionaryWordRow(
                        id=str(uuid.uuid4()), word=word, added_by=user_id, created_at=utc_now()
                    )
                )
        except IntegrityError:
            return False  # another window added it at the same moment
        return True

    def remove_word(self, word: str) -> bool:
        """Remove `word` as written; False when it was not there."""
        with self._db.write() as session:
            result = session.execute(
                delete(DictionaryWordRow).where(DictionaryWordRow.word == word)
            )
            return bool(result.rowcount)

    def list_words(self) -> list[str]:
        """Every dictionary word, sorted without regard to case."""
        with self._db.read() as session:
            words = list(session.scalars(select(DictionaryWordRow.word)))
        return dictionary_order(words)
