"""The three-way merge of sync: paragraphs, fields, tags and the workflow rule."""

from __future__ import annotations

import markdown
from hypothesis import given
from hypothesis import strategies as st

from editor.core.merge import (
    CONFLICT_LINE,
    Side,
    has_conflicts,
    join_paragraphs,
    merge_article,
    merge_body,
    merge_status,
    merge_tags,
    review_guard,
    split_paragraphs,
)
from editor.core.render import render_body_html

BASE = "One.\n\nTwo.\n\nThree."


def side(body, name="Alice", **meta):
    return Side(body, meta, name, "2026-12-02 10:42:00 UTC")


def test_paragraphs_changed_on_one_side_each_merge_cleanly():
    body, conflicts = merge_body(
        BASE, side("One!\n\nTwo.\n\nThree."), side("One.\n\nTwo.\n\nThree!")
    )
    assert (body, conflicts) == ("One!\n\nTwo.\n\nThree!", 0)


def test_the_same_change_on_both_sides_is_no_conflict():
    assert merge_body(BASE, side("One.\n\nTwo!\n\nThree."), side("One.\n\nTwo!\n\nThree.")) == (
        "One.\n\nTwo!\n\nThree.",
        0,
    )


def test_a_passage_changed_on_both_sides_keeps_both_texts_in_a_conflict_block():
    body, conflicts = merge_body(
        BASE, side("One.\n\nTwo, A.\n\nThree.", "Alice"), side("One.\n\nTwo, B.\n\nThree.", "Bob")
    )
    assert conflicts == 1
    blocks = split_paragraphs(body)
    assert blocks[0] == "One." and blocks[-1] == "Three."
    assert blocks[1] == "**CONFLICT ▶ Alice's version (2026-12-02 10:42:00 UTC):**"
    assert blocks[2] == "Two, A."
    assert blocks[3].startswith("**CONFLICT ▶ Bob's version")
    assert blocks[4] == "Two, B."
    assert blocks[5].startswith("**CONFLICT ◀ end")
    assert has_conflicts(body) and not has_conflicts(BASE)
    assert len(CONFLICT_LINE.findall(body)) == 3


def test_a_deletion_against_an_edit_keeps_the_edit_and_says_what_was_deleted():
    body, conflicts = merge_body(BASE, side("One.\n\nThree."), side("One.\n\nTwo, B.\n\nThree."))
    assert conflicts == 1 and "Two, B." in body and "*(deleted this passage)*" in body


def test_the_conflict_block_renders_visibly_in_the_body_dialect():
    body, _ = merge_body(BASE, side("One.\n\nA.\n\nThree."), side("One.\n\nB.\n\nThree.", "Bob"))
    html = render_body_html(body)
    assert "<strong>CONFLICT ▶ Alice" in html and "<strong>CONFLICT ◀ end" in html
    assert "<h1" not in html and "<blockquote" not in html
    plain = markdown.markdown(body)
    assert plain.count("<p><strong>CONFLICT") == 3


def test_fenced_code_with_blank_lines_is_one_block():
    body = "Intro.\n\n```\ncode\n\nmore code\n```\n\nEnd."
    assert split_paragraphs(body) == ["Intro.", "```\ncode\n\nmore code\n```", "End."]


def test_metadata_merges_field_by_field_and_a_double_change_keeps_both():
    base = {"headline": "H", "section": "News", "byline": "Rita", "tags": ["a", "b"]}
    first = side(BASE, "Alice", headline="H1", section="News", byline="Rita", tags=["a", "b", "c"])
    second = side(BASE, "Bob", headline="H2", section="Sport", byline="Rita", tags=["b"])
    result = merge_article(BASE, base, first, second)
    assert result.meta["headline"] == "H1" and result.meta["section"] == "Sport"
    assert result.meta["tags"] == ["b", "c"]
    assert result.field_conflicts == ["headline"]
    assert split_paragraphs(result.body)[0] == (
        "**CONFLICT ▶ headline changed on both sides: kept Alice's “H1”; Bob's was “H2”.**"
    )
    assert has_conflicts(result.body)


def test_tags_merge_as_sets():
    assert merge_tags(["a"], ["a", "x"], ["y"]) == ["x", "y"]


def test_the_workflow_rule_for_statuses_met_in_a_merge():
    assert merge_status("draft", "submitted", "draft") == "submitted"
    assert merge_status("draft", "submitted", "changes_requested") == "changes_requested"
    assert merge_status("submitted", "approved", "changes_requested") == "changes_requested"
    assert merge_status("submitted", "spiked", "approved") == "spiked"
    assert merge_status("approved", "published", "submitted") == "published"
    assert review_guard("approved", True) == "submitted"
    assert review_guard("approved", False) == "approved"


paragraph = st.text(alphabet="abc xyz.", min_size=1, max_size=12).map(str.strip).filter(bool)
bodies = st.lists(paragraph, min_size=0, max_size=6).map(join_paragraphs)


@given(bodies, bodies, bodies)
def test_no_text_changed_on_either_side_is_lost(base, a, b):
    body, _conflicts = merge_body(base, side(a), side(b, "Bob"))
    merged = split_paragraphs(body)
    base_blocks = split_paragraphs(base)
    for blocks in (split_paragraphs(a), split_paragraphs(b)):
        for block in blocks:
            if block not in base_blocks:  # new on that side: must survive
                assert block in merged


@given(bodies, bodies)
def test_merging_with_an_unchanged_side_gives_the_other(base, a):
    assert merge_body(base, side(a), side(base, "Bob")) == (a, 0)
    assert merge_body(base, side(base), side(a, "Bob")) == (a, 0)
