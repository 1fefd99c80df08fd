"""The copy-desk check engine: each rule found and not found, the style file, quick fixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.checks import CheckEngine, Finding, Level, apply_fix, load_style
from editor.core.checks.markdown_units import split_units
from editor.core.checks.style import StyleError, parse_style
from editor.core.importing import parse_file
from editor.core.model import Article

SAMPLES = Path(__file__).resolve().parents[2] / "editor" / "resources" / "samples"
HOUSE = load_style()
ENGINE = CheckEngine(HOUSE)
META = {"standfirst": "A short summary.", "byline": "Ana Ribeiro", "section": "World"}


def check(body: str = "", headline: str = "A headline for the story", **fields) -> list[Finding]:
    values = {**META, **fields}
    return ENGINE.check(Article(id="a", headline=headline, body=body, **values))


def rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def only(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def fixed(body: str, rule: str, index: int = 0) -> str:
    return apply_fix(body, only(check(body), rule)[index])


def test_a_clean_story_has_no_findings():
    body = "Councillors approved the plan on Thursday.\n\n“It is good news,” she said."
    assert check(body) == []


@pytest.mark.parametrize(
    ("body", "rule", "matched", "result"),
    [
        ("He saw the the car.", "doubled-word", " the", "He saw the car."),
        ("He saw  the car.", "double-space", "  ", "He saw the car."),
        ("Sales rose 5% last year.", "percent", "5%", "Sales rose 5 percent last year."),
        ("Sales rose 5 per cent.", "percent", "per cent", "Sales rose 5 percent."),
        ("It opens at 9am daily.", "times", "9am", "It opens at 9 a.m. daily."),
        ("It shut at 5:00 p.m. sharp.", "times", "5:00", "It shut at 5 p.m. sharp."),
        ("They own 3 cars.", "numerals", "3", "They own three cars."),
        ("They own twelve cars.", "numerals", "twelve", "They own 12 cars."),
        ("It opens on January 5.", "dates", "January", "It opens on Jan. 5."),
        ("It opens on Aug. 5th.", "dates", "th", "It opens on Aug. 5."),
        ("It opened on Jul. 4.", "dates", "Jul.", "It opened on July 4."),
        ("It opened on Sep. 4.", "dates", "Sep.", "It opened on Sept. 4."),
        ("It opened in Dec. 2024.", "dates", "Dec.", "It opened in December 2024."),
        ("He said so in order to win.", "wording", "in order to", "He said so to win."),
        ("It is done", "final-punctuation", "done", "It is done."),
    ],
)
def test_rules_with_quick_fixes(body, rule, matched, result):
    found = only(check(body), rule)
    assert [f.matched for f in found] == [matched]
    assert apply_fix(body, found[0]) == result


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("He had had enough.", "doubled-word"),
        ("The vote was 41 votes to 6.", "numerals"),
        ("Rates rose 3.5 percent, or £5 million, at 10 a.m. on Dec. 1.", "numerals"),
        ("Rates rose 3.5 percent, or £5 million, at 10 a.m. on Dec. 1.", "times"),
        ("Rates rose 3.5 percent, or £5 million, at 10 a.m. on Dec. 1.", "percent"),
        ("Rates rose 3.5 percent, or £5 million, at 10 a.m. on Dec. 1.", "dates"),
        ("Twelve people came. Nine stayed.", "numerals"),
        ("He was born in March 1990 and moved in January.", "dates"),
        ("“Stop,” he said. (It was late.)", "unbalanced-quote-or-bracket"),
        ("Reuters said, according to reports by Reuters, it rose.", "vague-attribution"),
        ("The list:\n\n- one\n- two", "final-punctuation"),
        ("See the `a  b` code and [link](http://x.org/a%20b) now.", "double-space"),
        ("See the `a  b` code and [link](http://x.org/a%20b) now.", "percent"),
    ],
)
def test_rules_stay_quiet(body, rule):
    assert only(check(body), rule) == []


def test_unbalanced_quotes_and_brackets():
    found = only(check("“He left (for good, she said."), "unbalanced-quote-or-bracket")
    assert sorted(f.matched for f in found) == ["(", "“"]
    assert found[0].level is Level.ERROR


def test_a_quotation_running_into_the_next_paragraph_is_not_unbalanced():
    body = "“We will build it,” she said. “And more.\n\n“It will last.”"
    assert only(check(body), "unbalanced-quote-or-bracket") == []


def test_vague_attribution_and_long_sentence():
    body = "According to reports, sources said it rose. Words " + " ".join(["word"] * 44) + "."
    findings = check(body)
    assert [f.matched for f in only(findings, "vague-attribution")] == [
        "According to reports",
        "sources said",
    ]
    (long,) = only(findings, "long-sentence")
    assert long.matched.startswith("Words word") and "45 words" in long.message


def test_metadata_rules_name_their_field():
    findings = check("Body text.", headline="X" * 100, standfirst="", byline="", section="")
    by_field = {f.rule: f.field for f in findings}
    assert by_field["missing-byline"] == "byline"
    assert by_field["missing-section"] == "section"
    assert by_field["missing-standfirst"] == "standfirst"
    assert by_field["headline-length"] == "headline"
    assert only(findings, "missing-byline")[0].level is Level.ERROR
    assert "missing-headline" in rules(check("Body.", headline=""))


def test_headline_repeated_in_body_is_removed_by_its_fix():
    body = "Putin gives Kim a car\n\nThe story starts here."
    (found,) = only(check(body, headline="Putin gives Kim a car"), "headline-in-body")
    assert apply_fix(body, found) == "The story starts here."


def test_boilerplate_and_trailing_teaser_are_found():
    body = (
        "The story.\n\nSee also  Prince Harry will now have to bow\n\nMore story.\n\n"
        "Today’s featured video\n\nAn Indian American wins the primaries"
    )
    found = only(check(body), "boilerplate")
    assert [f.matched[:8] for f in found] == ["See also", "Today’s ", "An India"]
    assert apply_fix(body, found[0]) == body.replace(
        "See also  Prince Harry will now have to bow\n\n", ""
    )


def test_the_samples_inconsistent_name_is_fixed_to_the_dictionary_spelling():
    # "Urus" is written twice and "Aurus" once: the house dictionary, not the vote, decides.
    parsed = parse_file(SAMPLES / "wire-putin-kim-limousine.txt")
    findings = only(check(parsed.body, headline=parsed.headline), "name-spelled-two-ways")
    assert [(f.matched, f.replacement) for f in findings] == [("Urus", "Aurus")] * 2
    for name in findings:
        assert parsed.body[name.start : name.end] == "Urus"
        assert name.level is Level.ERROR and name.choices == ()
        assert "use “Aurus”, the dictionary spelling" in name.message
    fixed_body = apply_fix(apply_fix(parsed.body, findings[1]), findings[0])
    assert "Urus" not in fixed_body.replace("Aurus", "")
    assert only(check(fixed_body, headline=parsed.headline), "name-spelled-two-ways") == []


def test_two_spellings_neither_dictionary_knows_are_offered_as_a_choice():
    body = (
        "Brightloom said it would build a plant. Shares in Brightloom rose.\n\n"
        "The chief executive of Brightlume spoke. Russia and Russian officials, "
        "Korea and Korean ones, met Hart at the Price Club."
    )
    (found,) = only(check(body), "name-spelled-two-ways")
    assert (found.matched, found.replacement) == ("Brightlume", None)
    assert found.choices == ("Brightloom", "Brightlume") and not found.has_fix
    assert "Neither is in the dictionary: choose one" in found.message
    assert found.to_json()["choices"] == ["Brightloom", "Brightlume"]


def test_the_newsroom_dictionary_decides_against_the_majority():
    body = "Brightlume opened. Shares in Brightlume rose. The Brightloom plant is new."
    engine = CheckEngine(HOUSE, ["Brightloom"])
    article = Article(id="a", headline="A headline for the story", body=body, **META)
    found = only(engine.check(article), "name-spelled-two-ways")
    assert [(f.matched, f.replacement) for f in found] == [("Brightlume", "Brightloom")] * 2
    # Both spellings in the dictionary: two names the newsroom knows, not one misspelled.
    engine = CheckEngine(HOUSE, ["Brightloom", "Brightlume"])
    assert only(engine.check(article), "name-spelled-two-ways") == []


def test_a_known_word_beats_an_unknown_spelling():
    # "Urus" is in the general list, "Urrus" in no list: the known word is the fix.
    body = "The Urrus drove off. Kim sat in the Urus. The Urrus stopped."
    found = only(check(body), "name-spelled-two-ways")
    assert [(f.matched, f.replacement) for f in found] == [("Urrus", "Urus")] * 2
    assert "use “Urus”, a known word" in found[0].message


@pytest.mark.parametrize("name", ["brightloom-battery-plant.md", "council-flood-defences.md",
                                  "harriers-late-winner.md"])  # fmt: skip
def test_consistent_samples_have_no_name_findings(name):
    parsed = parse_file(SAMPLES / name)
    assert only(check(parsed.body, headline=parsed.headline), "name-spelled-two-ways") == []


def test_spelling_uses_the_newsroom_dictionary():
    body = "The council will recieve the plan from Okafor."
    (found,) = only(check(body), "spelling")
    assert found.matched == "recieve" and found.replacement == "receive"
    with_word = CheckEngine(HOUSE, {"recieve"})
    assert only(with_word.check(Article(id="a", body=body)), "spelling") == []


def test_spelling_fixes_are_one_edit_away_and_cheap_for_hundreds_of_unknown_words():
    import random
    import time

    from editor.core.spelling import SpellChecker

    rng = random.Random(5)
    made_up = {"".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(5)) for _ in range(300)}
    body = "\n\n".join(f"The council saw {word} there." for word in sorted(made_up))
    spent = time.process_time()
    found = only(check(body), "spelling")
    spent = time.process_time() - spent
    assert {f.matched for f in found} == made_up
    # Two edits of each word cost 40-150 ms apiece (12-45 s here): no longer done up front.
    assert spent < 6.0, f"{spent:.1f} s of CPU for {len(made_up)} unknown words"
    # "gvvd" has no word one edit away: no fix from the check, the menu still offers some.
    (gvvd,) = only(check("The council said gvvd things."), "spelling")
    assert gvvd.replacement is None
    assert "good" in SpellChecker().suggestions("gvvd")
    # A word one edit away still gets its fix.
    (table,) = only(check("The council put it on the tqble."), "spelling")
    assert table.replacement == "table"


def test_consistency_rule_flags_the_rarer_form():
    body = "The adviser spoke. The adviser left. An advisor came."
    (found,) = only(check(body), "consistent-terms")
    assert found.matched == "advisor" and apply_fix(body, found).endswith("An adviser came.")


def test_positions_are_in_the_markdown_and_skip_code_and_links():
    body = "# Head\n\nSome **bold the the** [text](http://a.b/the%20the) and `x  y`  end.\n"
    findings = check(body)
    doubled = only(findings, "doubled-word")
    assert [body[f.start : f.end] for f in doubled] == [" the"]
    spaces = only(findings, "double-space")
    assert [body[f.start : f.end] for f in spaces] == ["  "]
    assert spaces[0].start == body.index("`  end") + 1
    assert (doubled[0].line, doubled[0].column) == (3, body.splitlines()[2].index("the the") + 4)


def test_readability_and_paragraph_units():
    units = split_units(
        "A para\ncontinued.\n\n- item one\n- item two\n\n> quoted\n\n```\ncode\n```"
    )
    assert [u.kind for u in units] == ["paragraph", "list_item", "list_item", "quote", "code"]
    assert units[0].prose == "A para continued."
    hard = " ".join(["Incomprehensibility characterises institutional communications."] * 12)
    assert only(check(hard), "readability")


def test_fingerprints_count_occurrences():
    found = only(check("One the the. Two the the."), "doubled-word")
    assert [f.fingerprint for f in found] == ["body: the#0", "body: the#1"]


def test_unchanged_paragraphs_come_from_the_cache():
    engine = CheckEngine(HOUSE)
    body = "\n\n".join(f"Paragraph {n} is here and the the end." for n in range(50))
    engine.check(Article(id="a", body=body))
    before = engine.cache_size()
    engine.check(Article(id="a", body=body + "\n\nOne more the the."))
    assert engine.cache_size() - before < 30  # only the new paragraph's entries


# -- the style file ------------------------------------------------------------------


def test_house_style_loads_with_levels():
    assert {s.level for s in HOUSE.rules} == {"error", "warning", "suggestion"}
    assert {s.kind for s in HOUSE.rules} >= {
        "existence", "substitution", "consistency", "repetition", "length", "readability",
        "custom",
    }  # fmt: skip


def test_a_newsroom_style_extends_the_house(tmp_path):
    path = tmp_path / "ours.yml"
    path.write_text(
        "extends: house\nrules:\n  doubled-word: {level: off}\n  long-sentence: {max: 5}\n"
        "  no-very:\n    kind: existence\n    level: error\n    tokens: [very]\n"
    )
    engine = CheckEngine(load_style(path))
    found = engine.check(Article(id="a", body="It was very very good and nice indeed."))
    assert "doubled-word" not in rules(found)
    assert "long-sentence" in rules(found)
    assert [f.level for f in found if f.rule == "no-very"] == [Level.ERROR, Level.ERROR]


def test_style_from_environment(tmp_path, monkeypatch):
    from editor.core.checks.style import style_path_from

    monkeypatch.setenv("NEWSROOM_STYLE", str(tmp_path / "s.yml"))
    assert style_path_from(None) == tmp_path / "s.yml"
    assert style_path_from("other.yml") == Path("other.yml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rules:\n  a: [unclosed\n", "bad.yml, line 3: not valid YAML"),
        ("rules:\n  a:\n    kind: nonsense\n", "bad.yml, line 3: rule 'a': unknown kind"),
        ("rules:\n  a:\n    kind: existence\n    level: fatal\n", "level 'fatal'"),
        ("rules:\n  a:\n    kind: existence\n    tokens: ['(']\n", "not a valid regex"),
        ("rules:\n  a:\n    kind: custom\n    check: nope\n", "no custom check named 'nope'"),
        ("- just a list\n", "a style file is a mapping"),
    ],
)
def test_bad_style_files_say_where(text, expected):
    with pytest.raises(StyleError, match=None) as caught:
        CheckEngine(parse_style(text, "bad.yml"))
    assert expected in str(caught.value)


def test_missing_style_file(tmp_path):
    with pytest.raises(StyleError, match="no such file"):
        load_style(tmp_path / "nope.yml")


def test_custom_python_check(tmp_path):
    from editor.core.checks import Hit, register_check

    @register_check("no_exclamations", message="No exclamation marks.")
    def no_exclamations(unit, rule):
        for index, char in enumerate(unit.prose):
            if char == "!":
                yield Hit(index, index + 1, rule.format(), ".")

    style = parse_style(
        "rules:\n  calm:\n    kind: custom\n    check: no_exclamations\n    level: error\n", "x"
    )
    (found,) = CheckEngine(style).check(Article(id="a", body="Wow!"))
    assert (found.rule, found.matched, apply_fix("Wow!", found)) == ("calm", "!", "Wow.")
