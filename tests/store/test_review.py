"""Review through `Newsroom`: anchored comments, word diffs, changes since review, restore."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.diff import (
    DiffOp,
    diff_stats,
    diff_words,
    new_text,
    old_text,
    render_inline_html,
    render_inline_text,
    render_side_by_side_html,
    side_by_side,
)
from editor.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from editor.services.newsroom import Newsroom
from editor.services.review import anchor, selection_anchor

BODY = (
    "The council met on Tuesday. The mayor said the budget was balanced.\n\n"
    "Critics said the budget was not balanced at all, and asked for an audit."
)


@pytest.fixture(autouse=True)
def no_copy_desk_errors(monkeypatch):
    """Submitting here is about review, not the house style rules (which have their own)."""
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])


@pytest.fixture
def rooms(newsroom):
    rita = Newsroom(newsroom.store, newsroom.add_user("Rita", "reporter"))
    ed = Newsroom(newsroom.store, newsroom.add_user("Ed", "editor"))
    return rita, ed


def _comment_on(room, article, passage: str, body: str, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = article.body.index(passage, start + 1)
    return room.add_comment(
        article.id, body=body, **selection_anchor(article.body, start, start + len(passage))
    )


def _edit(room, article, body: str):
    return room.save_article(article.id, expected_version=article.version, body=body)


def test_comments_follow_their_passage_through_edits(rooms):
    rita, ed = rooms
    story = rita.create_article("Budget", BODY)
    second = _comment_on(ed, story, "the budget was", "Who says?", occurrence=1)
    mayor = _comment_on(ed, story, "The mayor said", "Name the mayor")
    critics = BODY.index("Critics said the budget was") + len("Critics said ")
    assert anchor(second, story.body) == (critics, critics + len("the budget was"))

    # Text added before both passages: the offsets move, the passages are found.
    edited = "BREAKING: " + BODY.replace("The council", "The city council")
    story = _edit(rita, story, edited)
    start, end = anchor(mayor, story.body)
    assert story.body[start:end] == "The mayor said"
    start, end = ed.anchor(second, story.body)
    assert story.body[start:end] == "the budget was"
    assert start == story.body.index("Critics said the budget was") + len("Critics said ")

    # The quote itself edited a little: the fuzzy match still finds it.
    story = _edit(rita, story, story.body.replace("The mayor said", "The mayor, Jo Bloggs, said"))
    start, end = anchor(mayor, story.body)
    assert story.body[start:end] == "The mayor, Jo Bloggs, said"

    # The passage deleted: reported as gone.
    story = _edit(rita, story, story.body.split("\n\n")[1])
    assert anchor(mayor, story.body) is None
    assert anchor(second, story.body) is not None


def test_the_same_words_twice_are_told_apart_by_context():
    text = "Rain fell. The river rose. Later, the wind dropped and the river rose again."
    start = text.index("the river rose")
    comment = _fake_comment(text, start, start + len("the river rose"))
    edited = "Overnight: " + text
    found = anchor(comment, edited)
    assert found == (edited.index("the river rose"), edited.index("the river rose") + 14)
    assert edited[found[0] - 4 : found[0]] == "and "


def _fake_comment(text: str, start: int, end: int):
    from datetime import UTC, datetime

    from editor.services.review import Comment

    return Comment(
        id="c",
        article_id="a",
        parent_id=None,
        author="Ed",
        created_at=datetime.now(UTC),
        body="note",
        **selection_anchor(text, start, end),
    )


def test_replies_and_resolution(rooms):
    rita, ed = rooms
    story = rita.create_article("Budget", BODY)
    thread = _comment_on(ed, story, "balanced at all", "Source?")
    rita.reply(thread.id, "The opposition leader, on the record.")
    reply = ed.reply(thread.id, "Then name her.")
    rita.reply(reply.id, "Done.")  # a reply to a reply joins the thread
    with pytest.raises(ValidationError, match="needs some words"):
        rita.reply(thread.id, "  ")
    with pytest.raises(ValidationError, match="Select the passage"):
        ed.add_comment(story.id, quote="", position=0, body="Vague")
    with pytest.raises(NotFoundError):
        ed.reply("no-such-comment", "hello")

    [listed] = ed.list_comments(story.id)
    assert (listed.author, listed.quote, listed.body) == ("Ed", "balanced at all", "Source?")
    assert [(r.author, r.body) for r in listed.replies] == [
        ("Rita", "The opposition leader, on the record."),
        ("Ed", "Then name her."),
        ("Rita", "Done."),
    ]
    assert not listed.resolved
    resolved = ed.resolve(thread.id)
    assert resolved.resolved and resolved.resolved_by == "Ed"
    assert ed.list_comments(story.id, include_resolved=False) == []
    assert ed.resolve(thread.id, resolved=False).resolved_at is None


def test_word_diff_round_trips_and_renders():
    old = "The river rose overnight.\n\nResidents left their homes."
    new = "The River Ouse rose on Tuesday.\n\nResidents left their homes & shops."
    ops = diff_words(old, new)
    assert old_text(ops) == old and new_text(ops) == new
    assert ops[:3] == [
        DiffOp("equal", "The "),
        DiffOp("delete", "river"),
        DiffOp("insert", "River Ouse"),
    ]
    assert render_inline_text(ops) == (
        "The [-river-]{+River Ouse+} rose [-overnight-]{+on Tuesday+}.\n\n"
        "Residents left their homes{+ & shops+}."
    )
    html = render_inline_html(ops)
    assert html.startswith("<p>The <del>river</del><ins>River Ouse</ins> rose")
    assert "<ins> &amp; shops</ins>" in html and html.count("<p>") == 2
    rows = side_by_side(ops)
    assert len(rows) == 2
    assert rows[0] == (
        "The <del>river</del> rose <del>overnight</del>.",
        "The <ins>River Ouse</ins> rose <ins>on Tuesday</ins>.",
    )
    assert "<table" in render_side_by_side_html(ops)
    stats = diff_stats(ops)
    assert (stats.inserted_words, stats.deleted_words) == (5, 2)
    assert diff_words("same", "same") == [DiffOp("equal", "same")]
    assert not diff_stats(diff_words("same", "same")).changed


def test_changes_since_the_editor_last_reviewed(rooms):
    rita, ed = rooms
    story = rita.create_article("Floods", "The river rose.")
    story = rita.transition(story.id, "submit")
    assert ed.last_reviewed_revision(story.id) is None
    since_start = ed.changes_since_review(story.id)
    assert since_start.old.reason == "create" and not diff_stats(since_start.ops).changed

    story = ed.transition(story.id, "return", "Which river?")
    story = _edit(rita, story, "The river Ouse rose.")
    story = rita.transition(story.id, "submit")
    changes = ed.changes_since_review(story.id)
    assert changes.old.reason == "return" and changes.new.id == story.head_revision_id
    assert render_inline_text(changes.ops) == "The river {+Ouse +}rose."
    assert rita.changes_since_review(story.id, user_name="Ed").ops == changes.ops

    # Any two revisions, metadata included.
    story = ed.save_article(story.id, expected_version=story.version, changes={"headline": "Ouse"})
    history = ed.revisions(story.id)
    diff = ed.diff_revisions(history[0].id, history[-1].id)
    assert ("headline", "Floods", "Ouse") in diff.metadata


def test_restore_is_a_new_revision(rooms):
    rita, _ = rooms
    story = rita.create_article("First headline", "First words.", section="Local")
    story = rita.save_article(
        story.id,
        expected_version=story.version,
        changes={"headline": "Second headline", "section": "World"},
        body="Second words.",
    )
    first = rita.revisions(story.id)[0]
    restored = rita.restore_revision(story.id, first.id, expected_version=story.version)
    assert (restored.headline, restored.section, restored.body) == (
        "First headline",
        "Local",
        "First words.",
    )
    history = rita.revisions(story.id)
    assert [r.reason for r in history] == ["create", "save", "restore"]
    assert history[1].body == "Second words."  # the past is untouched
    assert history[2].parent_id == history[1].id
    assert not restored.slug_locked


def test_restore_obeys_the_workflow(rooms):
    rita, ed = rooms
    story = rita.create_article("Headline", "Words.")
    story = _edit(rita, story, "More words.")
    first = rita.revisions(story.id)[0]
    with pytest.raises(PermissionDeniedError):
        ed.restore_revision(story.id, first.id, expected_version=story.version)
    other = rita.create_article("Other", "Other words.")
    with pytest.raises(NotFoundError, match="another article"):
        rita.restore_revision(other.id, first.id, expected_version=other.version)


_PIECES = st.sampled_from([*"ab cd,.\n'-é", "the ", "\n\n", "river", "  "])
_TEXTS = st.lists(_PIECES, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(old=_TEXTS, new=_TEXTS)
def test_a_diff_gives_back_both_texts(old, new):
    ops = diff_words(old, new)
    assert old_text(ops) == old and new_text(ops) == new
    assert all(op.text for op in ops)
    assert all(a.kind != b.kind or a.kind != "equal" for a, b in pairwise(ops))
    if old == new:
        assert not diff_stats(ops).changed
