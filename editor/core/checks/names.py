"""Names spelled two ways in one story ("Urus"/"Aurus", "Brightloom"/"Brightlume").

Per unit, `name_occurrences` lists capitalised words and whether they sit mid-sentence
(evidence of a name rather than a sentence's first word); `inconsistent_names` compares
the story's names pairwise, cheaply: only names sharing their first or last three letters.

Which spelling is right is not a vote: the wire story writes "Urus" twice and "Aurus"
once, and "Aurus" is the car. A spelling in the house or newsroom dictionary beats one
that is not; a word of the general list beats an unknown one; when the dictionaries
cannot tell, both spellings are offered and nothing is fixed automatically.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Container, Iterator
from difflib import SequenceMatcher
from typing import NamedTuple

from editor.core.checks import scanning
from editor.core.checks.markdown_units import Unit, sentences

_NAME = re.compile(r"(?<![\w’'-])[A-Z][^\W\d_]*(?:[A-Z][^\W\d_]*)*(?=(['’]s?)?(?![\w]))")
_TITLE_KINDS = frozenset({"heading", "table_row"})
#: Endings that make another word of a name, not another spelling of it.
_DERIVED = ("s", "es", "n", "an", "ian", "ean", "ese", "ish", "i", "ic", "ns", "ans", "ians")
MIN_LENGTH = 4

Occurrence = tuple[str, int, int, bool]  # name, start, end, mid-sentence

#: How much a spelling is worth: in the house or newsroom dictionary, in the general list.
DICTIONARY, KNOWN_WORD, UNKNOWN = 2, 1, 0


class NameVariant(NamedTuple):
    """One place a name is spelled the wrong (or an uncertain) way.

    `spelling` is written at `unit`[start:end] `count` times in the story; `other` is the
    other spelling, written `other_count` times. `fix` is the spelling to use (`other`),
    or None when neither is in a dictionary and the desk must choose. `standing` says
    why the fix is right: DICTIONARY or KNOWN_WORD (UNKNOWN when there is no fix).
    """

    unit: int
    start: int
    end: int
    spelling: str
    other: str
    count: int
    other_count: int
    fix: str | None
    standing: int


def name_occurrences(unit: Unit) -> list[Occurrence]:
    """Capitalised words of a unit (not acronyms), possessive endings left out."""
    prose = unit.prose
    firsts = set()
    for start, _end in sentences(prose):
        while start < len(prose) and not prose[start].isalpha():
            start += 1
        firsts.add(start)
    title = unit.kind in _TITLE_KINDS
    found = []
    for m in scanning.finditer(_NAME, prose):
        word = m.group()
        if len(word) < MIN_LENGTH or word.isupper():
            continue
        mid = not title and m.start() not in firsts
        found.append((word, m.start(), m.end(), mid))
    return found


def _distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance, giving up (limit + 1) once above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _allowed(length: int) -> int:
    return 1 if length <= 6 else 2 if length <= 12 else 3


def _derived(a: str, b: str) -> bool:
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return long.startswith(short) and long[len(short) :] in _DERIVED


def similar_names(a: str, b: str) -> bool:
    """Whether two different names look like one name spelled two ways."""
    la, lb = a.casefold(), b.casefold()
    if la == lb or _derived(la, lb):
        return False
    longest = max(len(la), len(lb))
    if _distance(la, lb, _allowed(longest)) <= _allowed(longest):
        return True
    # Long names keep their stem and garble the ending ("Brightloom"/"Brightlume").
    shorter = min(len(la), len(lb))
    stem = next((i for i in range(shorter) if la[i] != lb[i]), shorter)
    return longest >= 8 and stem >= 5 and SequenceMatcher(None, la, lb).ratio() >= 0.8


def inconsistent_names(
    collected: list[list[Occurrence] | None],
    is_common_word: Callable[[str], bool],
    dictionary: Container[str] | Callable[[str], bool] = frozenset(),
) -> Iterator[NameVariant]:
    """Each occurrence of a spelling that should give way to another one in the story.

    `is_common_word(lower)`: the general word list; `dictionary`: the house and newsroom
    dictionaries (a container or a test). Two spellings both in the dictionary, or both
    ordinary words ("Price", "Prince"), are two different words and not reported. One
    spelling standing higher (dictionary > general list > unknown) is the fix for the
    other; two unknown ones are reported at the rarer spelling, without a fix.
    """
    in_dictionary = dictionary if callable(dictionary) else dictionary.__contains__
    places: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    evidence: set[str] = set()
    for unit_index, occurrences in enumerate(collected):
        for word, start, end, mid in occurrences or ():
            places[word].append((unit_index, start, end))
            if mid:
                evidence.add(word)
    common: dict[str, bool] = {}
    standings: dict[str, int] = {}

    def is_common(word: str) -> bool:
        if word not in common:
            common[word] = is_common_word(word.lower())
        return common[word]

    def standing(word: str) -> int:
        if word not in standings:
            standings[word] = (
                DICTIONARY if in_dictionary(word) else KNOWN_WORD if is_common(word) else UNKNOWN
            )
        return standings[word]

    names = [w for w in places if w in evidence or not is_common(w)]
    buckets: dict[str, set[str]] = defaultdict(set)
    for word in names:
        key = word.casefold()
        buckets["<" + key[:3]].add(word)
        buckets[">" + key[-3:]].add(word)
    pairs: set[tuple[str, str]] = set()
    for group in buckets.values():
        if len(group) < 2:
            continue
        ordered = sorted(group)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if (a, b) not in pairs and similar_names(a, b):
                    if (
                        is_common(a)
                        and is_common(b)
                        and DICTIONARY not in (standing(a), standing(b))
                    ):
                        continue  # two ordinary words ("Price", "Prince")
                    if standing(a) == standing(b) == DICTIONARY:
                        continue  # both names the newsroom knows
                    pairs.add((a, b))
    reported: set[tuple[int, int]] = set()
    for a, b in sorted(pairs):
        count_a, count_b = len(places[a]), len(places[b])
        if standing(a) != standing(b):
            wrong = a if standing(a) < standing(b) else b
        elif count_a == count_b:
            wrong = a if places[a][0] > places[b][0] else b
        else:
            wrong = a if count_a < count_b else b
        right = b if wrong == a else a
        known = standing(right) > standing(wrong)
        for unit_index, start, end in places[wrong]:
            if (unit_index, start) not in reported:
                reported.add((unit_index, start))
                yield NameVariant(
                    unit_index, start, end, wrong, right, len(places[wrong]),
                    len(places[right]), right if known else None,
                    standing(right) if known else UNKNOWN,
                )  # fmt: skip
