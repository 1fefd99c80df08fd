"""The copy desk on very long text (issue 12): windowed scans, stopping, linear sentences."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.checks import CheckStopped, engine_for, scanning, style_path_from
from editor.core.checks.markdown_units import sentences
from editor.core.model import Article

PATTERNS = [
    r"\bthe\b",
    r"\s+",
    r"x*",
    r"(?<=a)b",
    r"\b\w+\b",
    r"a.{0,5}b",
    r"$",
    r"(?m)^\w",
    r"(?<!\w)th(?!\w)",
    r"[.!?]+(?=\s+|$)",
]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab th e.x \n", max_size=400), st.sampled_from(PATTERNS))
def test_windowed_scan_finds_what_one_scan_finds(text, pattern):
    compiled = re.compile(pattern)
    expected = [m.span() for m in compiled.finditer(text)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scanning, "WINDOW", 40)
        patch.setattr(scanning, "OVERLAP", 12)
        assert [m.span() for m in scanning.finditer(compiled, text)] == expected
        assert scanning.count(compiled, text) == len(compiled.findall(text))


def _old_sentences(prose: str) -> list[tuple[int, int]]:
    """The implementation before (quadratic: it copied the rest at every full stop)."""
    end_re = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)")
    from editor.core.checks.markdown_units import _abbreviation_before

    spans, start, length = [], 0, len(prose)
    while start < length and prose[start].isspace():
        start += 1
    for match in end_re.finditer(prose):
        end = match.end()
        if match.group().startswith(".") and _abbreviation_before(prose, match.start()):
            continue
        following = prose[end:].lstrip()
        if following and not (
            following[0].isupper() or following[0] in "\"“‘'(" or following[0].isdigit()
        ):
            continue
        if end > start:
            spans.append((start, end))
        start = end
        while start < length and prose[start].isspace():
            start += 1
    if start < length:
        spans.append((start, length))
    return spans


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aB. !?\n\t1(“Mr", max_size=300))
def test_sentences_are_cut_as_before(prose):
    assert sentences(prose) == _old_sentences(prose)


def test_a_check_stops_when_asked():
    engine = engine_for(style_path_from(None), frozenset())
    article = Article(id="x", headline="Long", body="The the council met. " * 2000)
    asked = []

    def should_stop() -> bool:
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(CheckStopped):
        engine.check(article, should_stop=should_stop)
    assert engine.check(article)  # without it, it runs to the end


def test_a_check_stops_inside_a_long_paragraph_between_two_windows(monkeypatch):
    engine = engine_for(style_path_from(None), frozenset())
    article = Article(id="y", headline="Long", body="Words of the the story. " * 20_000 + "\n")
    asked = []
    real = scanning._stopping

    def stopping() -> bool:
        asked.append(1)
        return len(asked) > 5  # a few windows in: well inside the first rule

    monkeypatch.setattr(scanning, "_stopping", stopping)
    with pytest.raises(CheckStopped):
        engine.check(article, should_stop=lambda: False)
    monkeypatch.setattr(scanning, "_stopping", real)
    assert getattr(scanning._local, "should_stop", None) is None  # left clean
    assert engine.check(article)


def test_a_scan_asks_its_thread_whether_to_stop_between_windows():
    text = "word " * 100_000
    pattern = re.compile(r"\bword\b")
    scanning.stop_when(lambda: True)
    try:
        with pytest.raises(scanning.ScanStopped):
            list(scanning.finditer(pattern, text))
        assert len(list(scanning.finditer(pattern, "word " * 10))) == 10  # short: one call
    finally:
        scanning.stop_when(None)
    assert scanning.count(pattern, text) == 100_000
