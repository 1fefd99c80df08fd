"""British spellings are known words: the general list is American, our copy is not."""

from __future__ import annotations

import pytest

from editor.core.spelling import WordList, american_forms, misspellings

BRITISH = [
    "harbour", "harbours", "defence", "defences", "centre", "centres", "organisation",
    "realised", "colour", "favourite", "analyse", "programme", "labour", "neighbours",
    "metres", "honoured", "cheque", "mould", "travelling", "modelled",
]  # fmt: skip


@pytest.fixture(scope="module")
def words() -> WordList:
    return WordList(house_path=None)


@pytest.mark.parametrize("word", BRITISH)
def test_british_spellings_are_known(words: WordList, word: str) -> None:
    assert words.knows(word)
    assert words.knows(word.capitalize())


@pytest.mark.parametrize("typo", ["harbuor", "defance", "centr", "organisaton", "teh"])
def test_typos_are_still_flagged(words: WordList, typo: str) -> None:
    assert not words.knows(typo)


def test_a_rewrite_only_names_american_forms() -> None:
    assert american_forms("harbour") == ["harbor"]
    assert american_forms("hello") == []


def test_the_council_story_reads_clean_of_british_spellings() -> None:
    text = "The harbour defences, the town centre and the organisation's programme."
    assert misspellings(text) == []
