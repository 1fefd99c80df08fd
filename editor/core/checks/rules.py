"""Rule kinds of the house style (in the spirit of Vale) and the registry of custom checks.

A rule either looks at one unit at a time (`check_unit`, cached by the unit's text) or at
the whole article (`check_article`), fed with per-unit data it `collect`s (also cached),
so re-checking after an edit redoes only the units that changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from editor.core.checks import scanning
from editor.core.checks.findings import BODY, Level
from editor.core.checks.markdown_units import RUNNING_TEXT, Unit, sentences
from editor.core.checks.spec import RuleSpec
from editor.core.model import Article

WORD = re.compile(r"[^\W\d_](?:[\w’'-]*[^\W_])?")
#: The kind of the pseudo-units made of the headline and the standfirst.
FIELD_KIND = "field"
PROSE_KINDS = frozenset({"paragraph", "quote", "heading", "list_item", "table_row", FIELD_KIND})


@dataclass(slots=True)
class Hit:
    """What a rule found: a prose span of a unit (or a span of a metadata field)."""

    start: int
    end: int
    message: str
    replacement: str | None = None
    unit: int = -1
    field: str = BODY
    #: Spellings to choose from when there is no single fix ("Aurus" or "Urus").
    choices: tuple[str, ...] = ()


@dataclass
class ArticleContext:
    """What article-level rules see: the article, its units and their collected data."""

    article: Article
    units: list[Unit]
    dictionary: frozenset[str] = frozenset()
    collected: list = field(default_factory=list)


class Rule:
    """A compiled rule. Subclasses set `scope` and implement the matching method."""

    scope = "unit"  # or "article"
    #: The newsroom dictionary, set by the engine (the spelling check needs it).
    dictionary: frozenset[str] = frozenset()
    default_kinds: frozenset[str] = PROSE_KINDS
    default_message = ""

    def __init__(self, spec: RuleSpec) -> None:
        self.spec = spec
        self.id = spec.id
        self.level = Level(spec.level)
        self.options = spec.options
        self.message = spec.message or self.default_message
        kinds = self.options.get("kinds")
        self.kinds = frozenset(kinds) if kinds else self.default_kinds

    def applies_to(self, unit: Unit) -> bool:
        return unit.kind in self.kinds and bool(unit.prose)

    def check_unit(self, unit: Unit) -> list[Hit]:
        return []

    def collect(self, unit: Unit) -> object:
        return None

    def check_article(self, context: ArticleContext) -> list[Hit]:
        return []

    def format(self, **values: object) -> str:
        try:
            return self.message.format(**values)
        except (KeyError, IndexError, ValueError):
            return self.message

    def _option(self, name: str, kind: type, default: object = None) -> object:
        value = self.options.get(name, default)
        if value is None:
            raise self.spec.fail(f"'{name}' is required.")
        if kind is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, kind):
            raise self.spec.fail(f"'{name}' must be a {kind.__name__}.")
        return value

    def _regex(self, pattern: str, flags: int = 0) -> re.Pattern[str]:
        try:
            return re.compile(pattern, flags)
        except re.error as error:
            raise self.spec.fail(
                f"the pattern '{pattern}' is not a valid regex ({error})."
            ) from None


def _flags(rule: Rule) -> int:
    return re.IGNORECASE if rule.options.get("ignorecase", False) else 0


def _bounded(pattern: str, rule: Rule) -> str:
    return pattern if rule.options.get("raw", False) else rf"(?<![\w-])(?:{pattern})(?![\w-])"


def match_case(model: str, replacement: str) -> str:
    """`replacement` capitalised like `model` ("Per cent" -> "Percent")."""
    if model[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class ExistenceRule(Rule):
    """A word or pattern that should not appear (`tokens`: a list of regexes)."""

    default_message = "Avoid “{match}”."

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        tokens = self._option("tokens", list)
        if not tokens or not all(isinstance(t, str) for t in tokens):
            raise spec.fail("'tokens' must be a list of words or patterns.")
        alternatives = "|".join(f"(?:{t})" for t in tokens)
        self.pattern = self._regex(_bounded(alternatives, self), _flags(self))

    def check_unit(self, unit: Unit) -> list[Hit]:
        return [
            Hit(m.start(), m.end(), self.format(match=m.group()))
            for m in scanning.finditer(self.pattern, unit.prose)
            if m.end() > m.start()
        ]


class SubstitutionRule(Rule):
    """Use X, not Y (`swap`: pattern -> replacement, `\\1` allowed): each has a quick fix."""

    default_message = "Use “{replacement}”, not “{match}”."

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        swap = self._option("swap", dict)
        if not swap:
            raise spec.fail("'swap' must map what to avoid to what to use.")
        flags = _flags(self)
        self.swaps = [(self._regex(_bounded(str(k), self), flags), str(v)) for k, v in swap.items()]

    def check_unit(self, unit: Unit) -> list[Hit]:
        hits = []
        for pattern, template in self.swaps:
            for m in scanning.finditer(pattern, unit.prose):
                try:
                    replacement = match_case(m.group(), m.expand(template))
                except (re.error, IndexError):
                    message = f"the replacement '{template}' names a missing group."
                    raise self.spec.fail(message) from None
                if replacement == m.group() or m.end() == m.start():
                    continue
                message = self.format(match=m.group(), replacement=replacement)
                hits.append(Hit(m.start(), m.end(), message, replacement))
        return hits


class ConsistencyRule(Rule):
    """One spelling of a term throughout (`either`: form -> other form)."""

    scope = "article"
    default_message = "“{match}” and “{other}” are both used: keep to one ({other} × {count})."

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        either = self._option("either", dict)
        flags = _flags(self)
        self.pairs = [
            (self._regex(_bounded(str(a), self), flags), self._regex(_bounded(str(b), self), flags))
            for a, b in either.items()
        ]
        self.forms = [(str(a), str(b)) for a, b in either.items()]

    def collect(self, unit: Unit) -> object:
        found = []
        for index, pair in enumerate(self.pairs):
            for side, pattern in enumerate(pair):
                matches = scanning.finditer(pattern, unit.prose)
                found.extend((index, side, m.start(), m.end()) for m in matches)
        return found

    def check_article(self, context: ArticleContext) -> list[Hit]:
        hits = []
        for index, (first, second) in enumerate(self.forms):
            seen = [
                (unit_index, side, start, end)
                for unit_index, data in enumerate(context.collected)
                for (i, side, start, end) in data or ()
                if i == index
            ]
            counts = [sum(1 for s in seen if s[1] == side) for side in (0, 1)]
            if not all(counts):
                continue
            first_seen = {side: next(s for s in seen if s[1] == side) for side in (0, 1)}
            minority = 0 if counts[0] < counts[1] else 1
            if counts[0] == counts[1]:
                minority = 1 if first_seen[0] < first_seen[1] else 0
            other = (first, second)[1 - minority]
            for unit_index, side, start, end in seen:
                if side != minority:
                    continue
                text = context.units[unit_index].prose[start:end]
                message = self.format(match=text, other=other, count=counts[1 - minority])
                hit = Hit(start, end, message, match_case(text, other), unit=unit_index)
                hits.append(hit)
        return hits


class RepetitionRule(Rule):
    """The same token twice in a row ("the the"); `exceptions` lists allowed doubles."""

    default_message = "“{match}” is repeated."

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        self.pattern = self._regex(str(self.options.get("tokens", WORD.pattern)))
        self.exceptions = {str(e).casefold() for e in self.options.get("exceptions", [])}

    def check_unit(self, unit: Unit) -> list[Hit]:
        hits = []
        previous = None
        for m in scanning.finditer(self.pattern, unit.prose):
            if previous is not None:
                gap = unit.prose[previous.end() : m.start()]
                word = m.group().casefold()
                if (
                    gap
                    and not gap.strip()
                    and "\n" not in gap
                    and word == previous.group().casefold()
                    and word not in self.exceptions
                ):
                    message = self.format(match=m.group())
                    hits.append(Hit(previous.end(), m.end(), message, ""))
            previous = m
        return hits


class LengthRule(Rule):
    """Too long (or too short): `scope` sentence, paragraph, headline or standfirst."""

    default_message = "{what} is {count} {unit} long (the house limit is {limit})."

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        self.what = str(self.options.get("scope", "sentence"))
        if self.what not in ("sentence", "paragraph", "headline", "standfirst"):
            raise spec.fail("'scope' must be sentence, paragraph, headline or standfirst.")
        self.unit_name = str(self.options.get("unit", "words"))
        if self.unit_name not in ("words", "characters"):
            raise spec.fail("'unit' must be words or characters.")
        self.max = self.options.get("max")
        self.min = self.options.get("min")
        for name in ("max", "min"):
            value = self.options.get(name)
            if value is not None and not isinstance(value, int):
                raise spec.fail(f"'{name}' must be a whole number.")
        if self.max is None and self.min is None:
            raise spec.fail("give 'max' and/or 'min'.")
        if self.what in ("headline", "standfirst"):
            self.scope = "article"
        if "kinds" not in self.options:
            self.kinds = RUNNING_TEXT | {"list_item"}

    def _measure(self, text: str) -> int:
        return scanning.count(WORD, text) if self.unit_name == "words" else len(text.strip())

    def _judge(self, text: str, what: str) -> str | None:
        count = self._measure(text)
        if self.max is not None and count > self.max:
            limit = f"{self.max} {self.unit_name}"
        elif self.min is not None and 0 < count < self.min:
            limit = f"at least {self.min} {self.unit_name}"
        else:
            return None
        return self.format(what=what, count=count, unit=self.unit_name, limit=limit)

    def check_unit(self, unit: Unit) -> list[Hit]:
        spans = sentences(unit.prose) if self.what == "sentence" else [(0, len(unit.prose))]
        hits = []
        for start, end in spans:
            message = self._judge(unit.prose[start:end], self.what.capitalize())
            if message:
                hits.append(Hit(start, end, message))
        return hits

    def check_article(self, context: ArticleContext) -> list[Hit]:
        text = getattr(context.article, self.what) or ""
        message = self._judge(text, f"The {self.what}")
        return [Hit(0, len(text), message, field=self.what)] if message else []


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """A rough syllable count, as readability formulas need."""
    word = word.lower().strip("'’")
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def flesch_kincaid_grade(text: str) -> tuple[float, int]:
    words = WORD.findall(text)
    if not words:
        return 0.0, 0
    count_sentences = max(1, len(sentences(text)))
    count_syllables = sum(syllables(w) for w in words)
    grade = 0.39 * len(words) / count_sentences + 11.8 * count_syllables / len(words) - 15.59
    return grade, len(words)


class ReadabilityRule(Rule):
    """Paragraphs above a Flesch-Kincaid grade (`max`), ignoring ones under `min_words`."""

    default_message = "Hard to read: grade {grade:.0f} (the house aims for {max} or below)."

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        self.max = self._option("max", float)
        self.min_words = int(self.options.get("min_words", 25))
        if "kinds" not in self.options:
            self.kinds = RUNNING_TEXT

    def check_unit(self, unit: Unit) -> list[Hit]:
        grade, words = flesch_kincaid_grade(unit.prose)
        if words < self.min_words or grade <= self.max:
            return []
        message = self.format(grade=grade, max=f"{self.max:g}")
        return [Hit(0, len(unit.prose), message)]


# -- custom checks ---------------------------------------------------------------------

UnitCheck = Callable[[Unit, "CustomRule"], Iterable[Hit]]
ArticleCheck = Callable[[ArticleContext, "CustomRule"], Iterable[Hit]]


@dataclass(frozen=True)
class RegisteredCheck:
    name: str
    scope: str
    function: Callable
    collect: Callable[[Unit, CustomRule], object] | None = None
    kinds: frozenset[str] = PROSE_KINDS
    message: str = ""


_REGISTRY: dict[str, RegisteredCheck] = {}


def register_check(
    name: str,
    *,
    scope: str = "unit",
    collect: Callable | None = None,
    kinds: Iterable[str] = PROSE_KINDS,
    message: str = "",
) -> Callable[[Callable], Callable]:
    """Make a Python function usable as `kind: custom, check: <name>` in a style file.

    A unit check is `f(unit, rule) -> hits` on prose spans; an article check is
    `f(context, rule) -> hits`, with `collect(unit, rule)` data per unit (cached) in
    `context.collected`. `rule.options` holds the style file's extra keys.
    """
    if scope not in ("unit", "article"):
        raise ValueError("scope is 'unit' or 'article'")

    def decorate(function: Callable) -> Callable:
        _REGISTRY[name] = RegisteredCheck(name, scope, function, collect, frozenset(kinds), message)
        return function

    return decorate


def registered_checks() -> list[str]:
    return sorted(_REGISTRY)


class CustomRule(Rule):
    """A registered Python check, named by `check:` in the style file."""

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        name = self.options.get("check")
        if name not in _REGISTRY:
            known = ", ".join(registered_checks())
            raise spec.fail(f"no custom check named '{name}' (known: {known}).")
        self.check = _REGISTRY[name]
        self.scope = self.check.scope
        self.message = spec.message or self.check.message
        if "kinds" not in self.options:
            self.kinds = self.check.kinds

    def check_unit(self, unit: Unit) -> list[Hit]:
        return list(self.check.function(unit, self))

    def collect(self, unit: Unit) -> object:
        return self.check.collect(unit, self) if self.check.collect else None

    def check_article(self, context: ArticleContext) -> list[Hit]:
        return list(self.check.function(context, self))


KINDS: dict[str, type[Rule]] = {
    "existence": ExistenceRule,
    "substitution": SubstitutionRule,
    "consistency": ConsistencyRule,
    "repetition": RepetitionRule,
    "length": LengthRule,
    "readability": ReadabilityRule,
    "custom": CustomRule,
}


def compile_rule(spec: RuleSpec) -> Rule:
    kind = KINDS.get(spec.kind)
    if kind is None:
        raise spec.fail(f"unknown kind '{spec.kind}' (use one of {', '.join(KINDS)}).")
    return kind(spec)
