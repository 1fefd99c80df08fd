"""Smart typography: curly quotes by context, the house dash, ellipses; code untouched."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.typography import (
    DashStyle,
    smarten,
    smarten_runs,
    typed_replacement,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ('"Yes," she said.', "“Yes,” she said."),
        ("It's the reporter's 'scoop'.", "It’s the reporter’s ‘scoop’."),
        ("He said: \"'No' is an answer.\"", "He said: “‘No’ is an answer.”"),
        ('("quoted")', "(“quoted”)"),
        ("the '90s", "the ’90s"),
        ("Wait...", "Wait…"),
        ("yes -- and no", "yes — and no"),
        ("1914--1918", "1914—1918"),
        ("a---b", "a—-b"),
        ("no change", "no change"),
    ],
)
def test_smarten_em_house_style(typed: str, expected: str) -> None:
    assert smarten(typed) == expected


def test_en_dash_house_style() -> None:
    assert smarten("yes -- and no", DashStyle.EN) == "yes – and no"
    assert smarten("yes -- and no", "en") == "yes – and no"


def test_typed_replacement_is_what_the_editor_does_per_keystroke() -> None:
    assert typed_replacement('He said "') == (1, "“")
    assert typed_replacement('He said "no"') == (1, "”")
    assert typed_replacement("don'") == (1, "’")
    assert typed_replacement("..") is None
    assert typed_replacement("...") == (3, "…")
    assert typed_replacement("a --", DashStyle.EN) == (2, "–")
    assert typed_replacement("plain") is None
    assert typed_replacement("") is None


def test_quote_after_a_bold_run_closes_and_code_runs_are_untouched() -> None:
    runs = [('"', False), ("Bold", False), ('" and ', False), ('print("x") -- ...', True),
            (" done...", False)]  # fmt: skip
    assert smarten_runs(runs) == ["“", "Bold", "” and ", 'print("x") -- ...', " done…"]


def test_ellipsis_split_across_runs_is_left_alone() -> None:
    assert smarten_runs([("Wait.", False), ("..", False)]) == ["Wait.", ".."]


_TEXT = st.text(alphabet=st.sampled_from(list("ab1 .-\"'(\n“’—")), max_size=40)


@settings(max_examples=500, deadline=None)
@given(_TEXT, st.sampled_from(list(DashStyle)))
def test_smarten_is_idempotent_and_leaves_no_straight_quotes(text: str, style: DashStyle) -> None:
    once = smarten(text, style)
    assert smarten(once, style) == once
    assert '"' not in once and "'" not in once
    assert "--" not in once and "..." not in once
    assert len(once) <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_TEXT, st.booleans()), max_size=6), st.sampled_from(list(DashStyle)))
def test_smarten_runs_never_touches_code(runs: list[tuple[str, bool]], style: DashStyle) -> None:
    converted = smarten_runs(runs, style)
    assert len(converted) == len(runs)
    for (text, is_code), result in zip(runs, converted, strict=True):
        if is_code:
            assert result == text
        else:
            assert smarten(result, style) == result  # already smart: stable
    assert smarten_runs(list(zip(converted, [c for _t, c in runs], strict=True)), style) == (
        converted
    )
