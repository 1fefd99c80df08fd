"""The merge of a stale save: the person's version and a colleague's, from one base."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from editor.core.merge import align_paragraphs, join_paragraphs, merge_edits, split_paragraphs
from editor.core.model import Article

BASE = Article(
    id="a1",
    headline="Harbour wall holds",
    standfirst="The storm passed.",
    slug="harbour-wall-holds",
    tags=["weather", "harbour"],
    body="The tide turned at noon.\n\nBoats stayed in.\n\nThe mayor spoke.\n",
)


def test_edits_of_different_paragraphs_merge_cleanly_with_both_changes():
    mine = replace(
        BASE, body="The tide turned at noon, mine.\n\nBoats stayed in.\n\nThe mayor spoke.\n"
    )
    theirs = replace(
        BASE, body="The tide turned at noon.\n\nBoats stayed in.\n\nThe mayor spoke, theirs.\n"
    )
    merged = merge_edits(BASE, theirs, mine)
    assert merged.clean
    assert "noon, mine." in merged.body and "spoke, theirs." in merged.body
    assert merged.first_changed == ("body",) and merged.second_changed == ("body",)
    assert merged.changed_paragraphs("first") == 1 and merged.changed_paragraphs("second") == 1
    kinds = [row.kind for row in merged.rows]
    assert kinds == ["second", "unchanged", "first"]


def test_edits_of_adjacent_paragraphs_merge_though_merge3_alone_calls_them_a_conflict():
    mine = replace(BASE, body=BASE.body.replace("at noon.", "at noon, mine."))
    theirs = replace(BASE, body=BASE.body.replace("stayed in.", "stayed in, theirs."))
    merged = merge_edits(BASE, theirs, mine)
    assert merged.clean
    assert merged.body == (
        "The tide turned at noon, mine.\n\nBoats stayed in, theirs.\n\nThe mayor spoke.\n"
    )
    assert [row.kind for row in merged.rows] == ["second", "first", "unchanged"]


def test_an_adjacent_edit_beside_an_added_paragraph_stays_a_conflict():
    mine = replace(BASE, body=BASE.body.replace("at noon.", "at noon.\n\nA new one."))
    theirs = replace(BASE, body=BASE.body.replace("stayed in.", "stayed in, theirs."))
    merged = merge_edits(BASE, theirs, mine)
    assert not merged.clean and merged.body_conflicts == 1


def test_an_edit_of_the_same_paragraph_is_a_conflict_and_nothing_is_chosen():
    mine = replace(BASE, body=BASE.body.replace("Boats stayed in.", "Boats stayed in port."))
    theirs = replace(BASE, body=BASE.body.replace("Boats stayed in.", "No boat went out."))
    merged = merge_edits(BASE, theirs, mine)
    assert not merged.clean
    assert merged.body_conflicts == 1
    (row,) = [row for row in merged.rows if row.kind == "conflict"]
    assert row.base == ("Boats stayed in.",)
    assert row.first == ("No boat went out.",) and row.second == ("Boats stayed in port.",)


def test_metadata_against_body_merges_field_by_field():
    mine = replace(BASE, body=BASE.body + "\nA late paragraph.\n", standfirst="Calm again.")
    theirs = replace(BASE, headline="Harbour wall holds firm", tags=["weather", "harbour", "storm"])
    merged = merge_edits(BASE, theirs, mine)
    assert merged.clean
    assert merged.fields["headline"] == "Harbour wall holds firm"
    assert merged.fields["standfirst"] == "Calm again."
    assert merged.fields["tags"] == ["weather", "harbour", "storm"]
    assert "A late paragraph." in merged.body
    assert set(merged.first_changed) == {"headline", "tags"}
    assert set(merged.second_changed) == {"body", "standfirst"}


def test_the_same_field_changed_differently_is_a_field_conflict():
    mine = replace(BASE, headline="Mine")
    theirs = replace(BASE, headline="Theirs")
    merged = merge_edits(BASE, theirs, mine)
    assert merged.field_conflicts == ("headline",)
    assert not merged.clean


def test_a_slug_that_only_followed_its_headline_gives_way_to_one_set_by_hand():
    theirs = replace(BASE, headline="Harbour wall holds firm", slug="harbour-wall-holds-firm")
    mine = replace(BASE, slug="harbour-wall", slug_locked=True)
    merged = merge_edits(BASE, theirs, mine)
    assert merged.clean
    assert merged.fields["slug"] == "harbour-wall"
    assert merged.fields["headline"] == "Harbour wall holds firm"


def test_other_typed_fields_merge_too():
    theirs = replace(BASE, story_date=date(2026, 12, 2))
    mine = replace(BASE, length_target=600)
    merged = merge_edits(BASE, theirs, mine)
    assert merged.clean
    assert merged.fields["story_date"] == date(2026, 12, 2)
    assert merged.fields["length_target"] == 600


def test_rows_line_up_added_and_deleted_paragraphs_with_their_base():
    rows = align_paragraphs("a\n\nb\n\nc\n\nd", "x\n\na\n\nB\n\nc\n\nd", "a\n\nb\n\nc\n\nD\n\ne")
    assert [(r.kind, r.base, r.first, r.second) for r in rows] == [
        ("first", (), ("x",), ()),
        ("unchanged", ("a",), ("a",), ("a",)),
        ("first", ("b",), ("B",), ("b",)),
        ("unchanged", ("c",), ("c",), ("c",)),
        ("second", ("d",), ("d",), ("D", "e")),
    ]


_PARAGRAPHS = st.lists(st.sampled_from(["p1", "p2", "p3", "p4", "p5", "p6"]), max_size=7)


@given(_PARAGRAPHS, _PARAGRAPHS, _PARAGRAPHS)
def test_rows_give_back_every_version_exactly(base, first, second):
    rows = align_paragraphs(join_paragraphs(base), join_paragraphs(first), join_paragraphs(second))
    assert [p for r in rows for p in r.base] == split_paragraphs(join_paragraphs(base))
    assert [p for r in rows for p in r.first] == first
    assert [p for r in rows for p in r.second] == second


@given(_PARAGRAPHS, _PARAGRAPHS, _PARAGRAPHS)
def test_a_clean_merge_keeps_every_paragraph_each_side_added(base, first, second):
    merged = merge_edits(
        replace(BASE, body=join_paragraphs(base)),
        replace(BASE, body=join_paragraphs(first)),
        replace(BASE, body=join_paragraphs(second)),
    )
    if merged.clean:
        kept = split_paragraphs(merged.body)
        for side in (first, second):
            for paragraph in set(side) - set(base):
                assert paragraph in kept
