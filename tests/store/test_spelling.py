"""The newsroom dictionary in the store, and the spelling functions the editor and checks share."""

from __future__ import annotations

import pytest

from editor.core.errors import ValidationError
from editor.core.spelling import SpellChecker, checkable_words, misspellings, suggestions


def test_dictionary_words_are_kept_once_sorted_and_removable(newsroom):
    assert newsroom.dictionary_words() == []
    assert newsroom.add_dictionary_word("  Pongsan ") == "Pongsan"
    newsroom.add_dictionary_word("Aurus")
    newsroom.add_dictionary_word("aurus")  # a different entry: any case
    newsroom.add_dictionary_word("Aurus")  # twice is harmless
    assert newsroom.dictionary_words() == ["Aurus", "aurus", "Pongsan"]
    assert newsroom.remove_dictionary_word("aurus") is True
    assert newsroom.remove_dictionary_word("aurus") is False
    assert newsroom.dictionary_words() == ["Aurus", "Pongsan"]


@pytest.mark.parametrize("bad", ["", "   ", "two words", "x" * 101, "Kim!"])
def test_a_dictionary_word_must_be_one_word(sqlite_newsroom, bad):
    with pytest.raises(ValidationError) as error:
        sqlite_newsroom.add_dictionary_word(bad)
    assert error.value.field == "word"
    assert sqlite_newsroom.dictionary_words() == []


def test_the_newsroom_dictionary_silences_names(sqlite_newsroom):
    # "Aurus" comes with the house dictionary; the newsroom adds its own names.
    text = "The Aurus limousine left Wendshire for Porthaven."
    assert [m.word for m in sqlite_newsroom.check_spelling(text)] == ["Wendshire", "Porthaven"]
    sqlite_newsroom.add_dictionary_word("Wendshire")
    sqlite_newsroom.add_dictionary_word("Porthaven")
    assert sqlite_newsroom.check_spelling(text) == []


def test_misspellings_give_spans_into_the_text():
    text = "Teh convoy recieved Kim’s visitors."
    found = misspellings(text)
    assert found == [(0, 3, "Teh"), (11, 19, "recieved")]
    for start, end, word in found:
        assert text[start:end] == word


def test_digits_urls_emails_code_and_acronyms_are_not_checked():
    text = (
        "See https://www.kcna.kp/en/artcle or www.exmple.com, mail desk@newsrom.org, "
        "the 3rd G7 meeting, NATO and KCNA, `codez`, [a link](http://lnk.xx/abcd) "
        "and e.g. U.S. policy"
    )
    assert misspellings(text) == []


def test_apostrophes_straight_and_curly_and_possessives():
    assert misspellings("It's Kim's car; it’s Kim’s car; the drivers' union.") == []
    assert misspellings("Aurus’s maker", ["Aurus"]) == []
    assert misspellings("dont") == [(0, 4, "dont")]


def test_case_rules_of_dictionary_words():
    checker = SpellChecker(["Aurus", "ceasefire"])
    assert checker.is_correct("Aurus") and checker.is_correct("AURUS")
    assert not checker.is_correct("aurus")  # a name keeps its capital
    assert checker.is_correct("Ceasefire") and checker.is_correct("ceasefire")


def test_hyphenated_words_are_checked_part_by_part():
    assert [w for _s, _e, w in checkable_words("well-knwn state-run")] == [
        "well",
        "knwn",
        "state",
        "run",
    ]
    assert misspellings("well-knwn") == [(5, 9, "knwn")]


def test_suggestions_keep_the_case_and_offer_newsroom_names_first():
    assert suggestions("recieve")[0] == "receive"
    assert suggestions("Recieve")[0] == "Receive"
    assert suggestions("Urus", ["Aurus"])[0] == "Aurus"
    assert suggestions("Putim")[0] == "Putin"


def test_ignored_words_and_cached_verdicts():
    checker = SpellChecker()
    assert checker.cached("limousine") is None
    assert checker.resolve(["limousine", "limousinne"]) == ["limousinne"]
    assert checker.cached("limousine") is True
    assert checker.cached("limousinne") is False
    checker.ignore("limousinne")
    assert checker.cached("limousinne") is True
    assert checker.check("limousinne") == []
