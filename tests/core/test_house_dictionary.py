"""The shipped house dictionary: loaded with the general list, replaceable, never a misspelling."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.resources import resource
from editor.core.spelling import (
    HOUSE_DICTIONARY_ENV,
    SpellChecker,
    WordList,
    WordSet,
    house_dictionary_path,
    in_house_dictionary,
    load_house_words,
    misspellings,
    parse_word_list,
    suggestions,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "editor" / "resources" / "samples"


def shipped_words() -> list[str]:
    return parse_word_list(resource("dictionaries", "house.txt").read_text(encoding="utf-8"))


def test_the_shipped_list_is_packaged_and_clean():
    words = shipped_words()
    assert len(words) > 150
    assert len(words) == len(set(words)), "a word is listed twice"
    assert {"Aurus", "Pongsan", "Senat", "Jong", "Un", "Zelensky", "standfirst"} <= set(words)
    # The wire story's inconsistent spelling is not a house word: "Aurus" is the car.
    assert "Urus" not in words and "urus" not in words


def test_the_samples_proper_names_are_known():
    wire = (SAMPLES / "wire-putin-kim-limousine.txt").read_text(encoding="utf-8")
    assert [word for _s, _e, word in misspellings(wire)] == ["Westside"]  # a masthead line
    plant = (SAMPLES / "brightloom-battery-plant.md").read_text(encoding="utf-8")
    unknown = {word for _s, _e, word in misspellings(plant)}
    assert not unknown & {"Kwame", "Asante", "Lindqvist", "Ribeiro", "carmakers"}
    assert "Brightloom" in unknown  # a newsroom's own names go in its own dictionary


def test_house_words_follow_the_case_rule():
    checker = SpellChecker()
    assert checker.is_correct("Aurus") and checker.is_correct("AURUS")
    assert checker.is_correct("Aurus’s") and checker.is_correct("Aurus's")
    assert not checker.is_correct("aurus")  # a name keeps its capital
    assert checker.is_correct("livestream") and checker.is_correct("Livestream")
    assert in_house_dictionary("Pongsan") and not in_house_dictionary("Urus")


def test_house_names_are_offered_as_suggestions():
    assert suggestions("Aurrus")[0] == "Aurus"
    assert suggestions("Pongsen")[0] == "Pongsan"
    assert suggestions("Zelenksy")[0] == "Zelensky"


def test_the_list_is_loaded_once_with_the_general_list(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("Wendshire\n")
    word_list = WordList(house_path=path)
    assert not word_list.loaded
    assert word_list.knows("Wendshire")
    first = word_list.house
    path.write_text("Porthaven\n")  # read at load time only
    assert word_list.house is first and not word_list.knows("Porthaven")


def test_a_newsroom_replaces_the_shipped_list(tmp_path, monkeypatch):
    own = tmp_path / "our-words.txt"
    own.write_text("# Our newsroom\nWendshire  # the county\n\nporthaven\n", encoding="utf-8")
    monkeypatch.setenv(HOUSE_DICTIONARY_ENV, str(own))
    assert house_dictionary_path() == own
    checker = SpellChecker(word_list=WordList())
    assert checker.check("Wendshire and PORTHAVEN and porthaven") == []
    assert [m.word for m in checker.check("The Aurus left.")] == ["Aurus"]  # not shipped now
    # ...and the newsroom dictionary in the store still adds to it.
    checker.set_dictionary(["Aurus"])
    assert checker.check("The Aurus left.") == []
    monkeypatch.setenv(HOUSE_DICTIONARY_ENV, "")
    assert house_dictionary_path() is None
    monkeypatch.delenv(HOUSE_DICTIONARY_ENV)
    assert house_dictionary_path().name == "house.txt"


def test_no_house_list_and_an_unreadable_one(tmp_path, caplog):
    assert [m.word for m in SpellChecker(word_list=WordList(house_path=None)).check("Aurus")] == [
        "Aurus"
    ]
    assert len(load_house_words(tmp_path / "missing.txt")) == 0
    assert "not read" in caplog.text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("# a comment\nAurus\n\n  Pongsan  \n", ["Aurus", "Pongsan"]),
        ("Kim’s\nKim # a note\n", ["Kim's", "Kim"]),
        ("two words\nbad!\nfine\n", ["fine"]),
    ],
)
def test_parse_word_list(text, words, caplog):
    assert parse_word_list(text) == words


def test_word_set_membership_and_removal():
    words = WordSet(["Aurus", "ceasefire"])
    assert "Aurus" in words and "AURUS" in words and "aurus" not in words
    assert "Ceasefire" in words and "CEASEFIRE" in words
    words.discard("Aurus")
    assert "AURUS" not in words and len(words) == 1
    assert words.near("ceasfire") == ["ceasefire"]
