"""The check engine: runs a style's rules over an article, re-checking only what changed.

Unit rules are cached per (rule, unit kind, unit text); article rules recompute from
per-unit data cached the same way. An engine belongs to one style version and one
newsroom dictionary: when either changes, a new engine (and cache) is made.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from editor.core.checks import (
    builtin,  # noqa: F401 - registers the built-in checks
    scanning,
)
from editor.core.checks.findings import BODY, Finding, Level, number_occurrences
from editor.core.checks.markdown_units import Unit, split_units
from editor.core.checks.rules import FIELD_KIND, ArticleContext, Hit, Rule, compile_rule
from editor.core.checks.spec import Style
from editor.core.errors import NewsroomError
from editor.core.model import Article

#: Metadata fields whose text the unit rules (wording, spelling, numbers) also read.
CHECKED_FIELDS = ("headline", "standfirst")
_CACHE_LIMIT = 250_000
_MISS = object()


class CheckStopped(Exception):
    """Raised by `CheckEngine.check` when its `should_stop()` says so (closing, superseded)."""


class CheckEngine:
    """The compiled rules of one style; `check(article)` gives its findings, sorted."""

    def __init__(self, style: Style, dictionary: Iterable[str] = ()) -> None:
        self.style = style
        self.dictionary = frozenset(dictionary)
        self.rules: list[Rule] = [compile_rule(spec) for spec in style.rules]
        for rule in self.rules:
            rule.dictionary = self.dictionary
        self._cache: dict[tuple[str, str, str], object] = {}
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        return self.style.version

    def check(
        self, article: Article, should_stop: Callable[[], bool] | None = None
    ) -> list[Finding]:
        """Every finding on the article (dismissed or not), in reading order.

        `should_stop()` is asked before each rule and every few units: once it says yes
        the check raises `CheckStopped` (a 5 MB paragraph takes tens of seconds to check,
        and nobody should wait for that to close the window).
        """
        stop = should_stop or _never
        scanning.stop_when(should_stop)
        try:
            return self._check(article, stop)
        except scanning.ScanStopped:
            raise CheckStopped from None
        finally:
            scanning.stop_when(None)

    def _check(self, article: Article, stop: Callable[[], bool]) -> list[Finding]:
        units = split_units(article.body)
        fields = [_field_unit(name, getattr(article, name) or "") for name in CHECKED_FIELDS]
        findings: list[Finding] = []
        for rule in self.rules:
            if stop():
                raise CheckStopped
            try:
                if rule.scope == "unit":
                    for number, unit in enumerate(units):
                        if number % 64 == 0 and stop():
                            raise CheckStopped
                        if rule.applies_to(unit):
                            for hit in self._cached(rule, unit, rule.check_unit):
                                findings.append(_body_finding(rule, unit, hit, article.body))
                    for name, unit in zip(CHECKED_FIELDS, fields, strict=True):
                        if rule.applies_to(unit):
                            for hit in rule.check_unit(unit):
                                findings.append(_field_finding(rule, name, unit.prose, hit))
                else:
                    collected = [
                        self._cached(rule, unit, rule.collect) if rule.applies_to(unit) else None
                        for unit in units
                    ]
                    context = ArticleContext(article, units, self.dictionary, collected)
                    for hit in rule.check_article(context):
                        if hit.field == BODY:
                            unit = units[hit.unit]
                            findings.append(_body_finding(rule, unit, hit, article.body))
                        else:
                            text = getattr(article, hit.field, "") or ""
                            findings.append(_field_finding(rule, hit.field, str(text), hit))
            except (NewsroomError, CheckStopped, scanning.ScanStopped):
                raise
            except Exception as error:  # a broken custom check must not hide the others
                findings.append(
                    Finding(
                        rule=rule.id,
                        level=Level.WARNING,
                        message=f"The check '{rule.id}' failed: {error}",
                        field="headline",
                    )
                )
        return number_occurrences(findings, article.body)

    def _cached(self, rule: Rule, unit: Unit, compute) -> object:
        key = (rule.id, unit.kind, unit.text)
        value = self._cache.get(key, _MISS)
        if value is _MISS:
            value = compute(unit)
            if isinstance(value, list) and value and isinstance(value[0], Hit):
                value = tuple(value)
            with self._lock:
                if len(self._cache) > _CACHE_LIMIT:
                    self._cache.clear()
                self._cache[key] = value
        return value

    def cache_size(self) -> int:
        return len(self._cache)


def _never() -> bool:
    return False


def _field_unit(name: str, text: str) -> Unit:
    return Unit(-1, FIELD_KIND, 0, text, text, tuple(range(len(text))),
                tuple(range(1, len(text) + 1)))  # fmt: skip


def _body_finding(rule: Rule, unit: Unit, hit: Hit, body: str) -> Finding:
    start, end = unit.span(hit.start, hit.end)
    matched = unit.prose[hit.start : hit.end]
    replacement = hit.replacement
    if replacement is not None and body[start:end] != matched:
        whole = hit.start == 0 and hit.end >= len(unit.prose.rstrip())
        if replacement == "" and whole:
            start, end = unit.start, unit.start + len(unit.text)  # remove the whole block
        else:
            replacement = None  # Markdown inside the span: no safe plain-text fix
    return Finding(
        rule=rule.id,
        level=rule.level,
        message=hit.message,
        start=start,
        end=end,
        matched=matched,
        replacement=replacement,
        paragraph=unit.index,
        context=unit.prose,
        context_start=hit.start,
        choices=hit.choices,
    )


def _field_finding(rule: Rule, name: str, text: str, hit: Hit) -> Finding:
    return Finding(
        rule=rule.id,
        level=rule.level,
        message=hit.message,
        start=hit.start,
        end=hit.end,
        field=name,
        matched=text[hit.start : hit.end] if hit.end > hit.start else name,
        replacement=hit.replacement,
        context=text,
        context_start=hit.start,
        choices=hit.choices,
    )
