"""The newsroom dictionary as a part of the service seam: list, add and remove its words.

The spelling itself (word lists, the checker) is `editor.core.spelling`, pure Python.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from editor.core.spelling import (
    Misspelling,
    SpellChecker,
    normalise_word,
    straight_apostrophes,
)

if TYPE_CHECKING:  # for type checkers only
    from editor.services.seat import Seat


class DictionaryService:
    """`newsroom.dictionary`: the newsroom's own words, over the seat's store and user."""

    def __init__(self, seat: Seat) -> None:
        self._seat = seat

    def words(self) -> list[str]:
        """The newsroom dictionary, sorted without regard to case."""
        return self._seat.store.dictionary.list_words()

    def add_word(self, word: str) -> str:
        """Add `word` for everyone in this newsroom; adding it twice is harmless."""
        cleaned = normalise_word(word)
        self._seat.store.dictionary.add_word(cleaned, self._seat.user.id)
        return cleaned

    def remove_word(self, word: str) -> bool:
        """False when the word was not in the dictionary."""
        return self._seat.store.dictionary.remove_word(straight_apostrophes(str(word).strip()))

    def spell_checker(self) -> SpellChecker:
        """A checker over the shipped word list and this newsroom's dictionary."""
        return SpellChecker(self.words())

    def check_spelling(self, text: str) -> list[Misspelling]:
        return self.spell_checker().check(text)
