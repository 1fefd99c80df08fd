"""A stale save settled by merging (the window's Merge Both) is recorded as a merge.

The person's own version becomes a revision on the one they edited, and the merge a
revision with two parents: theirs, and their colleague's head (second), as a sync's
merge has. Sync then treats it as any other part of the history: it fast-forwards, and
merges it again with what another store did meanwhile. On both engines.
"""

from __future__ import annotations

from dataclasses import replace

from editor.services.newsroom import MergedSides
from editor.services.syncing import sync_with
from editor.store.models import RevisionRow
from tests.store.test_sync import as_user, desk, desk_url, laptop  # noqa: F401
from tests.store.test_sync_support import edit, state

BODY = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."


def _rows(room, article_id):
    with room.store.db.read() as session:
        head_id = room.get_article(article_id).head_revision_id
        head = session.get(RevisionRow, head_id)
        own = session.get(RevisionRow, head.parent_id)
        return (
            (head.id, head.reason, head.parent_id, head.second_parent_id, head.body),
            (own.id, own.reason, own.parent_id, own.author_id, own.body),
        )


def _merge_over_theirs(room, article_id, *, theirs_edit, my_edit):
    """What Merge Both saves: the person edited the loaded version (`my_edit`) while a
    colleague saved `theirs_edit`; both go in, over theirs."""
    base = room.get_article(article_id)
    theirs = edit(room, article_id, *theirs_edit)
    mine = replace(base, tags=list(base.tags), body=base.body.replace(*my_edit))
    merged_body = theirs.body.replace(*my_edit)
    saved = room.save_article(
        article_id,
        expected_version=theirs.version,
        body=merged_body,
        merged=MergedSides(mine, theirs.head_revision_id),
    )
    return base, theirs, mine, saved


def test_a_merge_keeps_the_persons_version_and_both_parents(newsroom):
    article = newsroom.create_article("Fire at the mill", BODY)
    base, theirs, mine, saved = _merge_over_theirs(
        newsroom, article.id, theirs_edit=("Third", "Third, theirs,"), my_edit=("First", "Mine:")
    )
    merge, own = _rows(newsroom, article.id)
    assert merge[1:4] == ("merge", own[0], theirs.head_revision_id)
    assert merge[4] == "Mine: paragraph.\n\nSecond paragraph.\n\nThird, theirs, paragraph."
    assert own[1:] == ("save", base.head_revision_id, newsroom.user.id, mine.body)
    assert saved.body == merge[4] and saved.version == theirs.version + 1
    assert [r.reason for r in newsroom.revisions(article.id)][-3:] == ["save", "save", "merge"]


def test_a_merge_over_a_head_that_moved_meanwhile_is_an_ordinary_save(newsroom):
    article = newsroom.create_article("Fire at the mill", BODY)
    base = newsroom.get_article(article.id)
    theirs = edit(newsroom, article.id, "Third", "Third, theirs,")
    stale = MergedSides(replace(base, body=BODY.replace("First", "Mine:")), base.head_revision_id)
    newsroom.save_article(
        article.id, expected_version=theirs.version, body=theirs.body + "\n\nMore.", merged=stale
    )
    with newsroom.store.db.read() as session:
        head = session.get(RevisionRow, newsroom.get_article(article.id).head_revision_id)
        assert (head.reason, head.parent_id, head.second_parent_id) == (
            "save",
            theirs.head_revision_id,
            None,
        )


def test_a_sync_merges_a_merge_with_what_the_other_store_did(laptop, desk, desk_url):  # noqa: F811
    body = "One.\n\nTwo.\n\nThree.\n\nFour.\n\nFive."
    article = laptop.create_article("Fire at the mill", body, section="Local")
    sync_with(laptop, desk_url)
    as_user(desk, "rita")
    _merge_over_theirs(
        desk, article.id, theirs_edit=("Five.", "Five, desk."), my_edit=("One.", "One, mine.")
    )
    edit(laptop, article.id, "Three.", "Three, laptop.")
    report = sync_with(laptop, desk_url)
    assert report.merged == [article.id] and report.conflicts == []
    assert laptop.get_article(article.id).body == (
        "One, mine.\n\nTwo.\n\nThree, laptop.\n\nFour.\n\nFive, desk."
    )
    assert state(laptop.store) == state(desk.store)
    assert not sync_with(laptop, desk_url).changed
