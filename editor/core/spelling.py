"""Spelling: the general English list (pyspellchecker), the house list and the newsroom's own.

Three layers of words: the general list shipped by pyspellchecker; the **house dictionary**
(`resources/dictionaries/house.txt`: names and newsroom words the general list lacks,
"Aurus", "Pongsan", "Zelensky"), loaded once with the general list and replaceable per
installation with $NEWSROOM_HOUSE_DICTIONARY; and the **newsroom dictionary** in the store,
where each newsroom adds its own words.

`misspellings(text, dictionary_words)` and `suggestions(word)` are the plain functions the
editor's squiggles and the copy-desk checks share; `in_house_dictionary(word)` tells the
names check which of two spellings is the house's. Verdicts are cached per word, so the
editor can look words up on every keystroke and ask the (slower) word list only once.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from editor.core.errors import ValidationError

#: Longest word the newsroom dictionary takes (the column is 200 characters).
MAX_WORD_LENGTH = 100

#: Names a file of words that replaces the shipped house dictionary ("" for none).
HOUSE_DICTIONARY_ENV = "NEWSROOM_HOUSE_DICTIONARY"

_log = logging.getLogger(__name__)

# What is never spell-checked: web addresses, e-mail addresses, Markdown link targets,
# inline code and `asset:` images. Their spans are blanked before words are found.
_SKIPPED = re.compile(
    r"`[^`\n]*`"  # inline code
    r"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # a Markdown link or image target
    r"|<[^>\s]+>"  # an autolink or a tag
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S+"  # URL with a scheme, or www.
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|io|uk|ru|kp|de|fr)\b\S*",  # bare domain
    re.IGNORECASE,
)
# A word: letters and digits, joined by inner apostrophes (straight or curly) and
# periods of abbreviations are not joined; hyphenated words are checked part by part.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_POSSESSIVE = re.compile(r"(?:'s|')$", re.IGNORECASE)
#: British spellings the general (American) list lacks, as rewrites to the American form:
#: a British word is known when its American form is ("harbour" -> "harbor", "defences" ->
#: "defenses", "organisation" -> "organization", "centre" -> "center", "analyse" ->
#: "analyze", "programme" -> "program"). A rewrite only ever accepts a word, never flags one.
_BRITISH = (
    (re.compile(r"our(?=(?:s|ed|ing|ite|ites|able|er|ers|ful|less|hood|ist|ists)?$)"), "or"),
    (re.compile(r"is(?=(?:e|es|ed|ing|ation|ations|er|ers)$)"), "iz"),
    (re.compile(r"ys(?=(?:e|es|ed|ing)$)"), "yz"),
    (re.compile(r"([tb])re(?=(?:s|d)?$)"), r"\1er"),
    (re.compile(r"ence(?=s?$)"), "ense"),
    (re.compile(r"(?<=[^aeiou][aeiou])ll(?=(?:ed|ing|er|ers)$)"), "l"),
    (re.compile(r"(?<=^progra)mme(?=s?$)"), "m"),
    (re.compile(r"(?<=^m)ou(?=ld)"), "o"),
    (re.compile(r"(?<=^che)que(?=s?$)"), "ck"),
)


class Misspelling(NamedTuple):
    """A word the dictionaries do not know, at `text[start:end]`."""

    start: int
    end: int
    word: str


def checkable_words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) of each word worth checking: no digits, URLs, e-mails or acronyms."""
    if _SKIPPED.search(text):
        text = _SKIPPED.sub(lambda m: " " * len(m.group()), text)
    for match in _WORD.finditer(text):
        word = match.group()
        letters = word.replace("'", "").replace("’", "")
        if len(letters) < 2 or not letters.isalpha():
            continue  # single letters ("e.g."), and words with digits ("3rd", "G7")
        if letters.isupper():
            continue  # NATO, KCNA, TASS: acronyms are the copy desk's business
        yield match.start(), match.end(), word


class WordSet:
    """Dictionary words with Hunspell's case rule, for the house and newsroom dictionaries.

    A word with a capital ("Aurus") is accepted as written or in capitals; a lower-case
    one ("ceasefire") in any case. Possessives ("Aurus's") count as their word.
    """

    __slots__ = ("_any_case", "_as_written", "_upper")

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._any_case: set[str] = set()
        self._as_written: set[str] = set()
        self._upper: set[str] = set()
        for word in words:
            self.add(word)

    def add(self, word: str) -> None:
        word = word.strip().translate(_APOSTROPHES)
        if not word:
            return
        if word == word.lower():
            self._any_case.add(word)
        else:
            self._as_written.add(word)
            self._upper.add(word.upper())

    def discard(self, word: str) -> None:
        word = word.strip().translate(_APOSTROPHES)
        self._any_case.discard(word)
        if word in self._as_written:
            self._as_written.discard(word)
            self._upper = {w.upper() for w in self._as_written}

    def clear(self) -> None:
        self._any_case.clear()
        self._as_written.clear()
        self._upper.clear()

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        word = word.translate(_APOSTROPHES)
        if word in self._as_written or word.lower() in self._any_case:
            return True
        if word.isupper() and word in self._upper:
            return True
        base = _POSSESSIVE.sub("", word)
        return bool(base) and base != word and base in self

    def __iter__(self) -> Iterator[str]:
        yield from self._as_written
        yield from self._any_case

    def __len__(self) -> int:
        return len(self._as_written) + len(self._any_case)

    def near(self, word: str) -> list[str]:
        """Words one edit from `word` (case aside), sorted: names offered as suggestions."""
        lower = word.translate(_APOSTROPHES).lower()
        return sorted(
            w for w in self if abs(len(w) - len(lower)) <= 1 and _one_edit(lower, w.lower())
        )


def dictionary_order(words: Iterable[str]) -> list[str]:
    """A newsroom dictionary's words as it lists them: without regard to case, ties by
    case (the same on every database: SQLite and PostgreSQL collate ties differently)."""
    return sorted(words, key=lambda word: (word.lower(), word))


def house_dictionary_path() -> Path | None:
    """The house word list in force: $NEWSROOM_HOUSE_DICTIONARY, else the shipped one."""
    chosen = os.environ.get(HOUSE_DICTIONARY_ENV)
    if chosen is not None:
        return Path(chosen).expanduser() if chosen.strip() else None
    from editor.core.resources import resource

    return Path(str(resource("dictionaries", "house.txt")))


def parse_word_list(text: str) -> list[str]:
    """The words of a house list: one a line, `#` starts a comment, blank lines ignored.

    A line that is not one word (spaces, punctuation) is left out with a warning in the
    log rather than making the whole list unusable.
    """
    words = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        cleaned = line.translate(_APOSTROPHES)
        if len(cleaned) > MAX_WORD_LENGTH or not _WORD.fullmatch(cleaned):
            _log.warning("House dictionary line %d is not one word: %r", number, line)
            continue
        words.append(cleaned)
    return words


def load_house_words(path: Path | None) -> WordSet:
    """The words of the list at `path` (None: no house list); an unreadable file is logged."""
    if path is None:
        return WordSet()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        _log.warning("House dictionary %s not read: %s", path, error)
        return WordSet()
    return WordSet(parse_word_list(text))


class WordList:
    """The general English list and the house list; loading takes ~0.2 s, once, on demand.

    `house_path`: the house list to load with it (by default `house_dictionary_path()`,
    read when the list loads; None for none). Thread-safe to use from a worker and the GUI
    thread: it is only read after loading.
    """

    def __init__(self, language: str = "en", house_path: Path | str | bool | None = True):
        self._language = language
        self._house_path = house_path
        self._checker = None
        self._house: WordSet | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._checker is not None

    def load(self):
        """The pyspellchecker instance, loading it on first use."""
        if self._checker is None:
            with self._lock:
                if self._checker is None:
                    from spellchecker import SpellChecker as _Backend

                    path = self._house_path
                    if path is True:
                        path = house_dictionary_path()
                    self._house = load_house_words(Path(path) if path else None)
                    self._checker = _Backend(language=self._language, distance=1)
        return self._checker

    @property
    def house(self) -> WordSet:
        """The house dictionary's words (loaded with the general list)."""
        self.load()
        assert self._house is not None
        return self._house

    def knows(self, word: str) -> bool:
        """Whether the general or the house list has `word` (possessives and case rules too)."""
        return self.knows_general(word) or word in self.house

    def knows_general(self, word: str) -> bool:
        """Whether the general list has `word` (any case; apostrophes normalised)."""
        backend = self.load()
        lower = word.translate(_APOSTROPHES).lower()
        if lower in backend:
            return True
        base = _POSSESSIVE.sub("", lower)
        if base and base != lower and base in backend:
            return True
        return any(american in backend for american in american_forms(base or lower))

    def candidates(self, word: str, limit: int, *, quick: bool = False) -> list[str]:
        """Known words one edit away (two for short words), commonest first.

        `quick`: one edit only (~1 ms). Two edits of a word with no neighbour one edit away
        cost 40-150 ms of CPU each, so they are for someone asking (the context menu), not
        for every unknown word of an article.
        """
        backend = self.load()
        lower = word.translate(_APOSTROPHES).lower()
        found = backend.known(backend.edit_distance_1(lower))
        if not found and not quick and len(lower) <= 6:  # two edits of a long word: ~0.4 s
            found = backend.known(backend.edit_distance_2(lower))
        ranked = sorted(found, key=lambda w: (-backend.word_usage_frequency(w), w))
        return ranked[:limit]


def american_forms(word: str) -> list[str]:
    """The American spellings a lower-case British `word` may stand for (none if no rule fits)."""
    return [
        rewritten
        for pattern, american in _BRITISH
        if (rewritten := pattern.sub(american, word, count=1)) != word
    ]


_SHARED_WORD_LIST = WordList()


class SpellChecker:
    """The word lists, a newsroom dictionary and words ignored for now, with cached verdicts.

    A dictionary word with a capital ("Aurus") is accepted as written or in capitals;
    a lower-case one ("ceasefire") in any case, as in Hunspell.
    """

    def __init__(self, dictionary_words: Iterable[str] = (), word_list: WordList | None = None):
        self.word_list = word_list or _SHARED_WORD_LIST
        self._verdicts: dict[str, bool] = {}
        self.newsroom = WordSet()
        self._ignored: set[str] = set()
        #: Suggestions already worked out, by (word, limit, quick); cleared with the words.
        self._suggested: dict[tuple[str, int, bool], list[str]] = {}
        self.set_dictionary(dictionary_words)

    # -- the newsroom dictionary and ignored words -------------------------

    def set_dictionary(self, words: Iterable[str]) -> None:
        self.newsroom.clear()
        self._suggested.clear()
        for word in words:
            self.add_word(word)

    def add_word(self, word: str) -> None:
        self.newsroom.add(word)
        self._suggested.clear()  # the new word may be a better suggestion

    def remove_word(self, word: str) -> None:
        self.newsroom.discard(word)
        self._suggested.clear()

    def ignore(self, word: str) -> None:
        """Accept `word` (exactly as written) until this checker is dropped."""
        self._ignored.add(word.translate(_APOSTROPHES))

    def clear_ignored(self) -> None:
        self._ignored.clear()

    def in_dictionary(self, word: str) -> bool:
        """Ignored, or in the newsroom dictionary (the house list comes with the word list)."""
        return word.translate(_APOSTROPHES) in self._ignored or word in self.newsroom

    # -- verdicts ----------------------------------------------------------

    def cached(self, word: str) -> bool | None:
        """True (correct) or False (misspelled) from the cache alone; None: not known yet."""
        if self.in_dictionary(word):
            return True
        return self._verdicts.get(word)

    def is_correct(self, word: str) -> bool:
        verdict = self.cached(word)
        if verdict is None:
            verdict = self._verdicts[word] = self.word_list.knows(word)
        return verdict

    def resolve(self, words: Iterable[str]) -> list[str]:
        """Fill the cache for `words` (e.g. on a worker); returns the misspelled ones."""
        return [word for word in words if not self.is_correct(word)]

    def check(self, text: str) -> list[Misspelling]:
        return [
            Misspelling(start, end, word)
            for start, end, word in checkable_words(text)
            if not self.is_correct(word)
        ]

    def suggestions(self, word: str, limit: int = 6, *, quick: bool = False) -> list[str]:
        """Replacements for `word`, newsroom names first, in the word's own case.

        Worked out when asked (the context menu asks for one word) and remembered per
        word. `quick`: words one edit away only, ~1 ms a word, for a check that proposes a
        fix for every unknown word of an article (see `WordList.candidates`).
        """
        plain = word.translate(_APOSTROPHES)
        key = (plain, limit, quick)
        known = self._suggested.get(key)
        if known is not None:
            return list(known)
        names = self.newsroom.near(plain)
        names += [w for w in self.word_list.house.near(plain) if w not in names]
        general = self.word_list.candidates(plain, limit, quick=quick)
        found = names + [w for w in general if w not in names]
        result = [_same_case(plain, w) for w in found[:limit]]
        if len(self._suggested) >= 4096:
            self._suggested.clear()
        self._suggested[key] = result
        return list(result)


def _one_edit(a: str, b: str) -> bool:
    """Whether `b` is one insertion, deletion, substitution or transposition from `a`."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )  # fmt: skip
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _same_case(model: str, word: str) -> str:
    """`word` in the case of `model`: "Recieve" -> "Receive", "RECIEVE" -> "RECEIVE"."""
    if word != word.lower():
        return word  # a name keeps its own capitals
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# -- plain functions for the copy-desk checks and anything else --------------

_checkers: dict[frozenset[str], SpellChecker] = {}
_checkers_lock = threading.Lock()


def _checker_for(dictionary_words: Iterable[str]) -> SpellChecker:
    key = frozenset(dictionary_words)
    with _checkers_lock:
        checker = _checkers.get(key)
        if checker is None:
            if len(_checkers) > 8:
                _checkers.clear()
            checker = _checkers[key] = SpellChecker(key)
        return checker


def misspellings(text: str, dictionary_words: Iterable[str] = ()) -> list[tuple[int, int, str]]:
    """(start, end, word) of each word neither the word list nor `dictionary_words` knows."""
    return [tuple(m) for m in _checker_for(dictionary_words).check(text)]  # type: ignore[misc]


def suggestions(
    word: str, dictionary_words: Iterable[str] = (), limit: int = 6, *, quick: bool = False
) -> list[str]:
    """Replacements for `word` (see `SpellChecker.suggestions`; `quick`: one edit only)."""
    return _checker_for(dictionary_words).suggestions(word, limit, quick=quick)


def in_house_dictionary(word: str) -> bool:
    """Whether the house dictionary in force has `word` (loads the word lists once)."""
    return word in _SHARED_WORD_LIST.house


def straight_apostrophes(word: str) -> str:
    """The word with curly and modifier apostrophes made straight, as the dictionary keeps it."""
    return word.translate(_APOSTROPHES)


def normalise_word(word: object) -> str:
    """A word fit for the newsroom dictionary, or a `ValidationError` saying why not."""
    if not isinstance(word, str):
        raise ValidationError("A dictionary word must be text.", field="word")
    cleaned = word.strip().translate(_APOSTROPHES)
    if not cleaned:
        raise ValidationError("Type the word to add to the dictionary.", field="word")
    if len(cleaned) > MAX_WORD_LENGTH:
        raise ValidationError(f"“{cleaned[:30]}…” is too long for a dictionary word.", field="word")
    if any(ch.isspace() for ch in cleaned) or not _WORD.fullmatch(cleaned):
        raise ValidationError(
            f"“{cleaned}” is not one word: add names word by word, without spaces or punctuation.",
            field="word",
        )
    return cleaned
