"""The copy desk's built-in Python checks, registered for `kind: custom` in style files.

Each is small and pure: a unit check sees one unit's prose; an article check sees the
article and the data its `collect` step cached per unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from editor.core.checks import scanning
from editor.core.checks.markdown_units import RUNNING_TEXT, Unit, sentences
from editor.core.checks.names import (
    DICTIONARY,
    inconsistent_names,
    name_occurrences,
    similar_names,
)
from editor.core.checks.rules import (
    PROSE_KINDS,
    ArticleContext,
    CustomRule,
    Hit,
    register_check,
)

# -- spacing, punctuation, quotes --------------------------------------------------------

_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")


@register_check(
    "double_spaces",
    kinds=PROSE_KINDS - {"table_row"},
    message="Two or more spaces between words.",
)
def double_spaces(unit: Unit, rule: CustomRule) -> Iterable[Hit]:
    for m in scanning.finditer(_DOUBLE_SPACE, unit.prose):
        yield Hit(m.start(), m.end(), rule.format(match=m.group()), " ")


_FINAL = re.compile(r"[.!?…:;][\"'”’)\]*_]*\s*$|[\"”’]\s*$|\ufffc\s*$")
_LAST_WORD = re.compile(r"\S+\s*$")


@register_check(
    "final_punctuation",
    kinds=RUNNING_TEXT,
    message="The paragraph does not end with punctuation.",
)
def final_punctuation(unit: Unit, rule: CustomRule) -> Iterable[Hit]:
    prose = unit.prose.rstrip()
    if not prose or _FINAL.search(prose):
        return
    last = _LAST_WORD.search(prose)
    if last:
        word = last.group().rstrip()
        fix = word + "." if word[-1:].isalnum() else None
        yield Hit(last.start(), last.start() + len(word), rule.format(match=word), fix)


_OPENERS = {"(": ")", "[": "]", "{": "}", "“": "”"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}


def _unbalanced_marks(unit: Unit, rule: CustomRule) -> list[tuple[int, str]]:
    """(prose offset, mark) of each bracket or double quote without its partner."""
    stack: list[tuple[int, str]] = []
    lonely: list[tuple[int, str]] = []
    straight: list[int] = []
    for index, char in enumerate(unit.prose):
        if char in _OPENERS:
            stack.append((index, char))
        elif char in _CLOSERS:
            if stack and stack[-1][1] == _CLOSERS[char]:
                stack.pop()
            elif any(opener == _CLOSERS[char] for _, opener in stack):
                while stack and stack[-1][1] != _CLOSERS[char]:
                    lonely.append(stack.pop())
                stack.pop()
            else:
                lonely.append((index, char))
        elif char == '"':
            straight.append(index)
    lonely.extend(stack)
    if len(straight) % 2:
        lonely.append((straight[-1], '"'))
    return sorted(lonely)


@register_check(
    "unbalanced",
    scope="article",
    collect=_unbalanced_marks,
    kinds=PROSE_KINDS,
    message="“{match}” has no partner: an unbalanced quote or bracket.",
)
def unbalanced(context: ArticleContext, rule: CustomRule) -> Iterable[Hit]:
    units = context.units
    for index, marks in enumerate(context.collected):
        for offset, mark in marks or ():
            if mark in ("“", '"') and _quote_continues(units, index, offset, mark):
                continue  # a quotation running on into the next paragraph stays open
            yield Hit(offset, offset + 1, rule.format(match=mark), unit=index)


def _quote_continues(units: list[Unit], index: int, offset: int, mark: str) -> bool:
    unit = units[index]
    if unit.prose.count(mark) == 0 or offset != unit.prose.rfind(mark):
        return False
    later = units[index + 1] if index + 1 < len(units) else None
    return later is not None and later.prose.lstrip().startswith(mark)


# -- numbers and dates (AP style) ------------------------------------------------------

_SMALL = {str(n): w for n, w in enumerate("zero one two three four five six seven eight nine"
                                          .split()) if n}  # fmt: skip
_LONELY_DIGIT = re.compile(
    r"(?<![\w.,:/$£€#+\-–'’])([1-9])"
    r"(?![\w%°'’/:\-–]|[.,]\d|\s*(?:%|percent\b|per cent\b|[ap]\.?m\b|million\b|billion\b"
    r"|trillion\b|years? old\b|-year|km\b|kg\b|cm\b|mm\b|m\b|mph\b|ft\b|lb\b|p\b))"
)
_DIGIT_CONTEXT = re.compile(
    r"(?:\b(?:No|no|page|chapter|section|article|act|scene|game|room|route|grade|level|"
    r"aged|age|ages|version|gate|platform|lane|number|figure|table|step|phase|stage|"
    r"Jan|Feb|Aug|Sept|Oct|Nov|Dec|January|February|March|April|May|June|July|August|"
    r"September|October|November|December|Category|Apollo|Formula|World War)\.?\s*)$",
    re.IGNORECASE,
)
#: A tally or score, "41 votes to 6", "won 3 to 1": figures on both sides.
_TALLY = re.compile(r"\d\s+(?:[a-z]+\s+)?(?:to|-|–|and|or)\s+$")
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_UNITS = "one two three four five six seven eight nine".split()
_SPELLED = re.compile(
    r"\b(?:(?P<tens>" + "|".join(_TENS) + r")(?:[- ](?P<unit>" + "|".join(_UNITS) + r"))?"
    r"|(?P<teen>" + "|".join(_TEENS) + r"))\b(?![- ](?:hundred|thousand|million|billion)\b)"
    r"(?!\s+of\b)",
    re.IGNORECASE,
)


def _value(m: re.Match[str]) -> int:
    if m.group("teen"):
        return 10 + _TEENS.index(m.group("teen").lower())
    value = 20 + 10 * _TENS.index(m.group("tens").lower())
    if m.group("unit"):
        value += 1 + _UNITS.index(m.group("unit").lower())
    return value


def _sentence_starts(prose: str) -> set[int]:
    starts = set()
    for start, _end in sentences(prose):
        while start < len(prose) and not prose[start].isalnum():
            start += 1
        starts.add(start)
    return starts


@register_check(
    "ap_numerals",
    kinds=RUNNING_TEXT | {"list_item"},
    message="AP style: {advice}.",
)
def ap_numerals(unit: Unit, rule: CustomRule) -> Iterable[Hit]:
    prose = unit.prose
    starts = _sentence_starts(prose)
    for m in scanning.finditer(_LONELY_DIGIT, prose):
        before = prose[max(0, m.start() - 40) : m.start()]
        if _DIGIT_CONTEXT.search(before) or _TALLY.search(before) or m.start() in starts:
            continue
        word = _SMALL[m.group(1)]
        advice = f"spell out numbers under 10 (“{word}”)"
        yield Hit(m.start(), m.end(), rule.format(advice=advice, match=m.group()), word)
    for m in scanning.finditer(_SPELLED, prose):
        if m.start() in starts:
            continue  # a number starting a sentence is spelled out
        figure = str(_value(m))
        advice = f"use figures for 10 and above (“{figure}”)"
        yield Hit(m.start(), m.end(), rule.format(advice=advice, match=m.group()), figure)


_ABBREVIATED = {
    "January": "Jan.",
    "February": "Feb.",
    "August": "Aug.",
    "September": "Sept.",
    "October": "Oct.",
    "November": "Nov.",
    "December": "Dec.",
}
_FULL = {v[:-1]: k for k, v in _ABBREVIATED.items()} | {
    "Mar": "March",
    "Apr": "April",
    "Jun": "June",
    "Jul": "July",
    "Sep": "September",
}
_DAY = r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?![:.]\d)"
_LONG_BEFORE_DAY = re.compile(r"\b(" + "|".join(_ABBREVIATED) + r")(?=" + _DAY + ")")
_SHORT_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b(\.?)")
_ORDINAL_DAY = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.?\s+\d{1,2}(st|nd|rd|th)\b"
)


@register_check("ap_dates", kinds=PROSE_KINDS, message="AP style: {advice}.")
def ap_dates(unit: Unit, rule: CustomRule) -> Iterable[Hit]:
    prose = unit.prose
    for m in scanning.finditer(_LONG_BEFORE_DAY, prose):
        short = _ABBREVIATED[m.group(1)]
        advice = f"abbreviate {m.group(1)} before a date (“{short}”)"
        yield Hit(m.start(), m.end(), rule.format(advice=advice, match=m.group()), short)
    for m in scanning.finditer(_SHORT_MONTH, prose):
        name, dot = m.group(1), m.group(2)
        with_day = re.match(_DAY, prose[m.end() :]) is not None
        if name in ("Mar", "Apr", "Jun", "Jul") and (dot or with_day):
            full = _FULL[name]
            advice = f"never abbreviate {full} (“{full}”)"
        elif name == "Sep" and (dot or with_day):
            full = "Sept." if with_day else "September"
            advice = f"September is “{full}”"
        elif with_day and not dot and name != "Sep":
            full = f"{name}."
            advice = f"a month abbreviation takes a period (“{full}”)"
        elif dot and not with_day and name != "Sep":
            full = _FULL[name]
            advice = f"spell out {full} without a day of the month"
        else:
            continue
        yield Hit(m.start(), m.end(), rule.format(advice=advice, match=m.group()), full)
    for m in scanning.finditer(_ORDINAL_DAY, prose):
        advice = f"no “{m.group(1)}” after a date"
        yield Hit(m.start(1), m.end(1), rule.format(advice=advice, match=m.group(1)), "")


# -- names spelled two ways -----------------------------------------------------------


@register_check(
    "names",
    scope="article",
    collect=lambda unit, rule: name_occurrences(unit),
    kinds=PROSE_KINDS,
    message="“{match}” ({match_count}×) is also spelled “{other}” ({count}×) in this story: "
    "{advice}.",
)
def names(context: ArticleContext, rule: CustomRule) -> Iterable[Hit]:
    common = _common_word_test()
    in_dictionary = _dictionary_test(context.dictionary)
    for found in inconsistent_names(context.collected, common, in_dictionary):
        if found.fix is None:
            advice = (
                "one name, two spellings? Neither is in the dictionary: choose one "
                "(and add it to the dictionary)"
            )
            choices = (found.other, found.spelling)
        else:
            why = "the dictionary spelling" if found.standing == DICTIONARY else "a known word"
            advice = f"use “{found.fix}”, {why}"
            choices = ()
        message = rule.format(
            match=found.spelling, match_count=found.count, other=found.other,
            count=found.other_count, advice=advice,
        )  # fmt: skip
        yield Hit(found.start, found.end, message, found.fix, unit=found.unit, choices=choices)


def _dictionary_test(newsroom_words: frozenset[str]):
    """Whether a spelling is in the house or the newsroom dictionary (with their case rule)."""
    try:
        from editor.core.spelling import WordSet, in_house_dictionary
    except ImportError:  # no word lists: the newsroom's words as written
        return newsroom_words.__contains__
    newsroom = WordSet(newsroom_words)
    return lambda word: word in newsroom or in_house_dictionary(word)


def _common_word_test():
    try:
        from editor.core.spelling import SpellChecker

        word_list = SpellChecker().word_list
        word_list.load()
        return word_list.knows_general  # the house list counts as the dictionary
    except (ImportError, AttributeError, OSError):  # the word list is optional here
        return lambda word: False


# -- the story as a whole ---------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")


def _normal(text: str) -> str:
    return _NON_WORD.sub(" ", text.casefold()).strip()


@register_check(
    "headline_in_body",
    scope="article",
    message="The headline is repeated in the body.",
)
def headline_in_body(context: ArticleContext, rule: CustomRule) -> Iterable[Hit]:
    headline = _normal(context.article.headline)
    if len(headline.split()) < 2:
        return
    for unit in context.units:
        if unit.prose and _normal(unit.prose) == headline:
            yield Hit(0, len(unit.prose), rule.format(match=unit.prose), "", unit=unit.index)


_FALLBACK_BOILERPLATE = re.compile(
    r"^(?:see also\b|read more\b|related:|more on this story|today['’]s featured video|"
    r"watch:|sign up (?:for|to) (?:our|the)\b.*newsletter|follow us on\b|share this\b|"
    r"click here\b|advertisement$|subscribe\b)",
    re.IGNORECASE,
)


def _boilerplate_kind(unit: Unit, rule: CustomRule) -> str | None:
    if unit.kind not in RUNNING_TEXT | {"list_item", "heading"} or len(unit.prose) > 240:
        return None
    try:
        from editor.core.importers.boilerplate import is_boilerplate
    except ImportError:  # the importers may not be there; our own short list stands in
        return "boilerplate" if _FALLBACK_BOILERPLATE.match(unit.prose.strip()) else None
    return is_boilerplate(unit.text)


def _kind_label(kind: str) -> str:
    try:
        from editor.core.importers.boilerplate import KIND_LABELS
    except ImportError:
        return kind
    return KIND_LABELS.get(kind, kind).lower()


@register_check(
    "boilerplate",
    scope="article",
    collect=_boilerplate_kind,
    kinds=PROSE_KINDS,
    message="Boilerplate left in the body ({kind}): remove it.",
)
def boilerplate(context: ArticleContext, rule: CustomRule) -> Iterable[Hit]:
    units = context.units
    kinds = context.collected
    marker_seen = False
    for index, kind in enumerate(kinds):
        unit = units[index]
        if kind:
            marker_seen = marker_seen or kind in ("related", "video", "advert", "boilerplate")
            message = rule.format(kind=_kind_label(kind), match=unit.prose)
            yield Hit(0, len(unit.prose), message, "", unit=index)
        elif marker_seen and unit.prose and _is_trailing_teaser(units, kinds, index):
            message = rule.format(kind="a teaser for another story", match=unit.prose)
            yield Hit(0, len(unit.prose), message, "", unit=index)


def _is_trailing_teaser(units: list[Unit], kinds: list, index: int) -> bool:
    """A short unpunctuated last paragraph after a video or "see also" line."""
    unit = units[index]
    if unit.kind != "paragraph" or len(unit.prose.split()) > 25 or _FINAL.search(unit.prose):
        return False
    if index == 0 or not kinds[index - 1]:
        return False
    return all(kinds[u.index] for u in units[index + 1 :] if u.prose)


@register_check("required_field", scope="article", message="The story has no {field}.")
def required_field(context: ArticleContext, rule: CustomRule) -> Iterable[Hit]:
    name = rule.options.get("field", "")
    if name not in ("headline", "standfirst", "byline", "section", "dateline", "tags"):
        raise rule.spec.fail(f"'field' cannot be '{name}'.")
    value = getattr(context.article, name)
    if not (value.strip() if isinstance(value, str) else value):
        yield Hit(0, 0, rule.format(field=name), field=name)


# -- spelling -------------------------------------------------------------------------


@register_check("spelling", kinds=PROSE_KINDS, message="“{match}” may be misspelled.")
def spelling(unit: Unit, rule: CustomRule) -> Iterable[Hit]:
    try:
        from editor.core.spelling import misspellings, suggestions
    except ImportError:  # no word list: nothing to say
        return
    skip_names = rule.options.get("skip_names", True)
    title = unit.kind == "heading"
    starts = _sentence_starts(unit.prose) if skip_names else set()
    for start, end, word in misspellings(unit.prose, rule.dictionary):
        capital = skip_names and word[:1].isupper()
        if capital and start not in starts and not title:
            continue  # a name: the names check compares it with its other spellings
        # One edit away only: a fix for each of hundreds of unknown words must stay cheap
        # (two edits cost 40-150 ms a word); the context menu offers the rest when asked.
        found = suggestions(word, rule.dictionary, 1, quick=True)
        if capital and not (found and similar_names(word, found[0])):
            continue  # a name opening a sentence ("Brightloom said..."), not a typo
        yield Hit(start, end, rule.format(match=word), found[0] if found else None)
