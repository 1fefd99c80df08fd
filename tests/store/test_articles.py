"""Saving, history, stale writes, deletion, search and listing through the service seam."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from editor.core.errors import StaleWriteError, StoreBusyError, StoreError, ValidationError
from editor.core.model import ArticleQuery, Status
from editor.services.newsroom import Newsroom
from editor.store import opening


def test_create_then_save_writes_revision_and_row_together(newsroom):
    article = newsroom.create_article("Flood defences approved", "First paragraph.")
    assert article.version == 1
    assert article.slug == "flood-defences-approved"
    assert article.byline == newsroom.user.name
    saved = newsroom.save_article(
        article.id, expected_version=1, body="First paragraph.\n\nSecond one."
    )
    assert saved.version == 2
    assert saved.word_count == 4
    revisions = newsroom.revisions(article.id)
    assert [r.reason for r in revisions] == ["create", "save"]
    assert revisions[1].parent_id == revisions[0].id
    assert saved.head_revision_id == revisions[1].id
    assert revisions[1].body == saved.body


def test_saving_nothing_new_writes_nothing(newsroom):
    article = newsroom.create_article("Same", "Body.")
    again = newsroom.save_article(article.id, expected_version=1, body="Body.")
    assert again.version == 1
    assert len(newsroom.revisions(article.id)) == 1


def test_autosaves_of_one_session_share_a_revision(newsroom):
    article = newsroom.create_article("Draft", "a")
    version = article.version
    for text in ("ab", "abc", "abcd"):
        version = newsroom.save_article(
            article.id, expected_version=version, body=text, reason="autosave", session_id="s1"
        ).version
    assert [r.reason for r in newsroom.revisions(article.id)] == ["create", "autosave"]
    newsroom.save_article(article.id, expected_version=version, body="abcde", reason="save")
    version += 1
    newsroom.save_article(
        article.id, expected_version=version, body="x", reason="autosave", session_id="s2"
    )
    revisions = newsroom.revisions(article.id)
    assert [r.reason for r in revisions] == ["create", "autosave", "save", "autosave"]
    assert revisions[1].body == "abcd"
    assert newsroom.get_article(article.id).body == "x"


def test_stale_write_is_refused_and_the_newer_text_kept(location):
    first = Newsroom.open(location)
    second = Newsroom.open(location)
    try:
        article = first.create_article("Shared story", "Original.")
        second.save_article(article.id, expected_version=1, body="Their newer text.")
        with pytest.raises(StaleWriteError, match=r"was edited by .* after you opened it"):
            first.save_article(article.id, expected_version=1, body="My older text.")
        assert first.get_article(article.id).body == "Their newer text."
        assert len(first.revisions(article.id)) == 2
    finally:
        first.close()
        second.close()


def test_concurrent_writers_on_one_version_only_one_wins(location):
    setup = Newsroom.open(location)
    article = setup.create_article("Race", "0")
    setup.close()
    outcomes: list[str] = []

    def write(text: str) -> None:
        room = Newsroom.open(location)
        try:
            room.save_article(article.id, expected_version=1, body=text)
            outcomes.append("saved")
        except StaleWriteError:
            outcomes.append("stale")
        finally:
            room.close()

    threads = [threading.Thread(target=write, args=(f"text {i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved", "stale", "stale", "stale"]


def test_soft_delete_hides_and_restore_brings_back(newsroom):
    article = newsroom.create_article("Doomed", "Text")
    newsroom.delete_article(article.id)
    assert newsroom.count_articles() == 0
    assert newsroom.count_articles(ArticleQuery(include_deleted=True)) == 1
    newsroom.restore_article(article.id)
    assert newsroom.get_article(article.id).body == "Text"
    assert [e.action for e in newsroom.events(article.id)] == ["create", "delete", "restore"]


def test_a_delete_checked_on_an_older_version_is_refused(newsroom):
    """The permission check and the delete see the same version: a change between is stale."""
    article = newsroom.create_article("Doomed", "Text")
    newsroom.save_article(article.id, expected_version=article.version, body="Changed")
    with pytest.raises(StaleWriteError):
        newsroom.store.set_deleted(
            article.id, deleted=True, actor=newsroom.user, expected_version=article.version
        )
    assert newsroom.count_articles() == 1


def test_slug_follows_headline_unique_and_locks_when_set_by_hand(newsroom):
    first = newsroom.create_article("Budget day")
    second = newsroom.create_article("Budget day")
    assert (first.slug, second.slug) == ("budget-day", "budget-day-2")
    renamed = newsroom.save_article(
        second.id, expected_version=1, changes={"headline": "Budget day!"}
    )
    assert renamed.slug == "budget-day-2"  # does not flap back and forth
    renamed = newsroom.save_article(
        second.id, expected_version=2, changes={"headline": "Spending review"}
    )
    assert renamed.slug == "spending-review"
    locked = newsroom.save_article(second.id, expected_version=3, changes={"slug": "spend"})
    locked = newsroom.save_article(
        second.id, expected_version=locked.version, changes={"headline": "Something else"}
    )
    assert locked.slug == "spend"
    with pytest.raises(ValidationError, match="already used"):
        newsroom.save_article(first.id, expected_version=1, changes={"slug": "spend"})
    with pytest.raises(ValidationError, match="not a valid slug"):
        newsroom.save_article(first.id, expected_version=1, changes={"slug": "Bad Slug!"})


def test_metadata_changes_are_saved_and_normalised(newsroom):
    article = newsroom.create_article("Story")
    saved = newsroom.save_article(
        article.id,
        expected_version=1,
        changes={
            "tags": "floods, York, floods , ",
            "section": " Local ",
            "story_date": "2026-11-20",
        },
    )
    assert saved.tags == ["floods", "York"]
    assert saved.section == "Local"
    assert saved.story_date.isoformat() == "2026-11-20"
    with pytest.raises(ValidationError):
        newsroom.save_article(article.id, expected_version=2, changes={"status": "published"})


def test_search_and_sort_run_in_the_store(newsroom):
    newsroom.create_article("Harriers win late", "Okafor scored in stoppage time.")
    newsroom.create_article("Council budget", "The council met on Tuesday.")
    newsroom.create_article("Battery plant", "Brightloom will build a plant.", byline="Ana Ruiz")
    titles = lambda q: [a.headline for a in newsroom.list_articles(q)]  # noqa: E731
    assert titles(ArticleQuery(search="okaf")) == ["Harriers win late"]
    assert titles(ArticleQuery(search="council tues")) == ["Council budget"]
    assert titles(ArticleQuery(search="ruiz")) == ["Battery plant"]
    assert titles(ArticleQuery(search='"; DROP TABLE articles; --')) == []
    assert titles(ArticleQuery(sort_key="headline", descending=False)) == [
        "Battery plant",
        "Council budget",
        "Harriers win late",
    ]
    assert newsroom.count_articles(ArticleQuery(search="plant")) == 1
    assert newsroom.count_articles(ArticleQuery(status=Status.PUBLISHED)) == 0


def test_search_index_follows_edits(newsroom):
    article = newsroom.create_article("Old headline", "old words")
    newsroom.save_article(
        article.id, expected_version=1, changes={"headline": "Fresh"}, body="new words"
    )
    assert newsroom.list_articles(ArticleQuery(search="old")) == []
    assert [a.headline for a in newsroom.list_articles(ArticleQuery(search="new"))] == ["Fresh"]


def test_paging_returns_every_row_once(newsroom):
    for i in range(25):
        newsroom.create_article(f"Story {i:02}")
    query = ArticleQuery(sort_key="headline", descending=False)
    pages = [newsroom.list_articles(query, offset=o, limit=10) for o in (0, 10, 20)]
    assert [len(p) for p in pages] == [10, 10, 5]
    assert [a.headline for p in pages for a in p] == [f"Story {i:02}" for i in range(25)]


def test_full_disk_is_reported_and_nothing_is_lost(sqlite_newsroom, store_path):
    newsroom = sqlite_newsroom
    article = newsroom.create_article("Small", "Short body.")
    with sqlite3.connect(store_path) as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]

    from sqlalchemy import event

    def cap(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    newsroom.store.db.engine.dispose()
    event.listen(newsroom.store.db.engine, "connect", cap)
    with pytest.raises(StoreError, match="full"):
        newsroom.save_article(article.id, expected_version=1, body="x " * 200_000)
    event.remove(newsroom.store.db.engine, "connect", cap)
    newsroom.store.db.engine.dispose()
    assert newsroom.get_article(article.id).body == "Short body."
    assert newsroom.get_article(article.id).version == 1


def test_locked_store_is_reported(sqlite_newsroom, store_path, monkeypatch):
    newsroom = sqlite_newsroom
    article = newsroom.create_article("Locked", "Body.")
    monkeypatch.setattr(opening, "BUSY_TIMEOUT_MS", 50)
    newsroom.store.db.engine.dispose()
    blocker = sqlite3.connect(store_path)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreBusyError, match="locked"):
            newsroom.save_article(article.id, expected_version=1, body="New body.")
    finally:
        blocker.rollback()
        blocker.close()
    assert newsroom.save_article(article.id, expected_version=1, body="New body.").version == 2


def test_users_and_acting_user(location):
    room = Newsroom.open(location)
    only = room.user
    room.add_user("Edna Editor", "editor")
    with pytest.raises(ValidationError, match="already exists"):
        room.add_user("edna editor", "editor")
    with pytest.raises(ValidationError, match="Unknown role"):
        room.add_user("X", "boss")
    room.close()
    room = Newsroom.open(location, "Edna Editor")
    assert room.user.role.value == "editor"
    room.close()
    from editor.core.errors import NewsroomError

    with pytest.raises(NewsroomError, match="several users"):
        Newsroom.open(location)
    with pytest.raises(NewsroomError, match="No user named"):
        Newsroom.open(location, "Nobody")
    assert only.name
