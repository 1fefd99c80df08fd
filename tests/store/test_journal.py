"""The recovery journal: unsaved text kept per editing session, offered back, restored."""

from __future__ import annotations

import pytest

from editor.core.errors import ValidationError


@pytest.fixture(autouse=True)
def _journal_in_tmp(tmp_path, monkeypatch):
    """A PostgreSQL store's journal files go to the state folder: here, a tmp one."""
    monkeypatch.setenv("NEWSROOM_RECOVERY_DIR", str(tmp_path / "state"))


def test_journal_is_one_row_per_session_replaced_on_each_write(newsroom):
    article = newsroom.create_article("Harbour", "Saved text.")
    newsroom.journal_unsaved(article.id, "s1", article.version, "Saved text. More")
    newsroom.journal_unsaved(article.id, "s1", article.version, "Saved text. More words",
                             {"headline": "Harbour reopens"})  # fmt: skip
    rows = newsroom.store.journal.list_journal()
    assert len(rows) == 1
    assert rows[0].body == "Saved text. More words"
    assert rows[0].changes == {"headline": "Harbour reopens"}
    assert rows[0].user_id == newsroom.user.id
    assert rows[0].base_version == article.version
    assert rows[0].written_at is not None
    newsroom.journal_unsaved(article.id, "s2", article.version, "Another session")
    assert len(newsroom.store.journal.list_journal()) == 2
    newsroom.discard_unsaved(article.id, "s1")
    assert [r.session_id for r in newsroom.store.journal.list_journal()] == ["s2"]
    newsroom.discard_unsaved(article.id)
    assert newsroom.store.journal.list_journal() == []


def test_recoverable_offers_only_text_that_differs_from_the_store(newsroom):
    same = newsroom.create_article("Same", "Nothing new.")
    changed = newsroom.create_article("Changed", "Old text.")
    newsroom.journal_unsaved(same.id, "a", same.version, "Nothing new.")
    newsroom.journal_unsaved(changed.id, "b", changed.version, "Old text. New paragraph.")
    offers = newsroom.recoverable()
    assert [o.article_id for o in offers] == [changed.id]
    assert offers[0].headline == "Changed"
    assert offers[0].stored_body == "Old text."
    assert not offers[0].changed_since
    # The row that held nothing new is gone.
    assert {r.article_id for r in newsroom.store.journal.list_journal()} == {changed.id}


def test_restore_writes_a_recover_revision_and_clears_the_journal(newsroom):
    article = newsroom.create_article("Flood", "First.")
    newsroom.journal_unsaved(article.id, "s", article.version, "First. Second.",
                             {"headline": "Flood warning", "tags": "weather, rivers"})  # fmt: skip
    (offer,) = newsroom.recoverable()
    restored = newsroom.restore_unsaved(offer)
    assert restored.body == "First. Second."
    assert restored.headline == "Flood warning"
    assert restored.tags == ["weather", "rivers"]
    assert [r.reason for r in newsroom.revisions(article.id)] == ["create", "recover"]
    assert newsroom.revisions(article.id)[0].body == "First."  # the stored text is kept
    assert newsroom.store.journal.list_journal() == []
    assert newsroom.recoverable() == []


def test_restore_over_a_newer_version_keeps_both_in_history(newsroom):
    article = newsroom.create_article("Vote", "Base.")
    newsroom.journal_unsaved(article.id, "s", article.version, "Base. Mine.")
    newsroom.save_article(article.id, expected_version=article.version, body="Base. Theirs.")
    (offer,) = newsroom.recoverable()
    assert offer.changed_since
    restored = newsroom.restore_unsaved(offer)
    assert restored.body == "Base. Mine."
    assert "Base. Theirs." in [r.body for r in newsroom.revisions(article.id)]


def test_a_refused_detail_does_not_stop_the_text_coming_back(sqlite_newsroom):
    room = sqlite_newsroom
    room.create_article("Taken", "x")
    article = room.create_article("Mine", "Text.")
    room.journal_unsaved(article.id, "s", article.version, "Text. More.", {"slug": "taken"})
    restored = room.restore_unsaved(room.recoverable()[0])
    assert restored.body == "Text. More."
    assert restored.slug == "mine"


def test_a_deleted_article_comes_back_as_a_copy(sqlite_newsroom):
    room = sqlite_newsroom
    article = room.create_article("Gone", "Text.")
    room.journal_unsaved(article.id, "s", article.version, "Text. Unsaved.")
    room.delete_article(article.id)
    (offer,) = room.recoverable()
    assert offer.deleted
    copy = room.restore_unsaved(offer)
    assert copy.id != article.id
    assert copy.body == "Text. Unsaved."
    assert room.store.journal.list_journal() == []


def test_length_target_goes_through_the_seam(newsroom):
    article = newsroom.create_article("Short", "One two.")
    saved = newsroom.save_article(article.id, expected_version=1, changes={"length_target": "600"})
    assert saved.length_target == 600
    saved = newsroom.save_article(article.id, expected_version=2, changes={"length_target": 450})
    assert saved.length_target == 450
    cleared = newsroom.save_article(article.id, expected_version=3, changes={"length_target": ""})
    assert cleared.length_target is None
    for bad in ("-5", "0", "many", 2.5, True):
        with pytest.raises(ValidationError) as error:
            newsroom.save_article(article.id, expected_version=4, changes={"length_target": bad})
        assert error.value.field == "length_target"
