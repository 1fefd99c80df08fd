"""Per-peer watermarks (migration 0007's `sync_peers`): what a sync skips and what it never
misses. Each test runs with the desk on SQLite and on PostgreSQL (the owner's login)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from editor.services.syncing import sync_with
from editor.store import sync as sync_module
from tests.store.test_sync import BODY, agree, as_user, desk, desk_url, laptop  # noqa: F401
from tests.store.test_sync_support import edit


@pytest.fixture
def looked_at(monkeypatch):
    """The article ids each sync loaded the history of, per side (None: all of them)."""
    calls: list[set[str] | None] = []
    original = sync_module._Side.load_details

    def spy(self, ids, *, loose):
        calls.append(None if ids is None else set(ids))
        return original(self, ids, loose=loose)

    monkeypatch.setattr(sync_module._Side, "load_details", spy)
    return calls


def _sync(laptop, desk_url, looked_at):  # noqa: F811
    looked_at.clear()
    report = sync_with(laptop, desk_url)
    assert len(looked_at) == 2
    return report, looked_at[0]


def test_a_sync_with_nothing_to_do_loads_no_history(laptop, desk, desk_url, looked_at):  # noqa: F811
    a = laptop.create_article("Fire at the mill", BODY, section="Local")
    b = laptop.create_article("Flood on the river", BODY, section="Local")
    report, ids = _sync(laptop, desk_url, looked_at)
    assert sorted(report.up) == sorted([a.id, b.id]) and ids == {a.id, b.id}
    report, ids = _sync(laptop, desk_url, looked_at)
    assert not report.changed and ids == set()
    with laptop.store.db.read() as session:
        marks = session.scalar(
            select(func.count())
            .select_from(sync_module.PEERS)
            .where(sync_module.PEERS.c.article_id != sync_module._MARKS)
        )
    assert marks == 2
    # A change on one side brings that article (only) back into the sync.
    edit(laptop, a.id, "Second", "Second, longer,")
    report, ids = _sync(laptop, desk_url, looked_at)
    assert report.up == [a.id] and ids == {a.id}
    agree(laptop, desk)
    assert _sync(laptop, desk_url, looked_at)[1] == set()


@pytest.mark.parametrize("change", ["comment", "resolution", "event"])
def test_changes_that_leave_the_article_row_alone_are_not_missed(
    laptop,  # noqa: F811
    desk,  # noqa: F811
    desk_url,  # noqa: F811
    looked_at,
    change,
):
    story = laptop.create_article("Fire at the mill", BODY, section="Local")
    laptop.transition(story.id, "submit")
    as_user(desk, "ed")
    first = desk  # the desk's own session adds a comment before the first sync
    _sync(laptop, desk_url, looked_at)
    comment = first.add_comment(story.id, "Second", 0, body="Which mill?")
    _sync(laptop, desk_url, looked_at)
    assert _sync(laptop, desk_url, looked_at)[1] == set()
    if change == "comment":
        desk.reply(comment.id, "The old one.")
    elif change == "resolution":
        desk.resolve(comment.id)
    else:
        desk.set_flags(story.id, legal_hold=True, note="Ask the lawyers.")
    report, ids = _sync(laptop, desk_url, looked_at)
    assert ids == {story.id} and report.changed
    agree(laptop, desk)


def test_a_refused_article_is_looked_at_again_every_time(laptop, desk, desk_url, looked_at):  # noqa: F811
    story = laptop.create_article("Fire at the mill", BODY, section="Local")
    laptop.transition(story.id, "submit")
    _sync(laptop, desk_url, looked_at)
    # An editor made on the laptop only is a reporter to the desk: their approval is
    # refused there, at every sync, and never marked as synced.
    as_user(laptop, "ada")
    laptop.add_user("mallory", "editor")
    as_user(laptop, "mallory")
    laptop.transition(story.id, "approve")
    for _ in range(2):
        report, ids = _sync(laptop, desk_url, looked_at)
        assert [r.article_id for r in report.refused] == [story.id] and ids == {story.id}


def test_a_different_peer_has_its_own_watermarks(laptop, desk, desk_url, tmp_path, looked_at):  # noqa: F811
    from editor.services.newsroom import Newsroom

    story = laptop.create_article("Fire at the mill", BODY, section="Local")
    _sync(laptop, desk_url, looked_at)
    other = Newsroom.init(tmp_path / "other.db", "ada")
    try:
        report, ids = _sync(laptop, str(tmp_path / "other.db"), looked_at)
        assert story.id in ids and story.id in report.up
    finally:
        other.close()


# -- change marks (migration 0010): only what changed since the peer's watermark is read --


@pytest.fixture
def rows_loaded(monkeypatch):
    """The article ids each sync read the rows of, per side (None: all of them)."""
    calls: list[set[str] | None] = []
    original = sync_module._Side.load_articles

    def spy(self, only):
        calls.append(None if only is None else set(only))
        return original(self, only)

    monkeypatch.setattr(sync_module._Side, "load_articles", spy)
    return calls


def test_a_sync_with_little_to_do_reads_only_the_rows_that_changed(
    laptop,  # noqa: F811
    desk,  # noqa: F811
    desk_url,  # noqa: F811
    looked_at,
    rows_loaded,
):
    ids = [laptop.create_article(f"Story {n}", BODY, section="Local").id for n in range(5)]
    _sync(laptop, desk_url, looked_at)
    _sync(laptop, desk_url, looked_at)  # the first sync since the marks: they are set now
    rows_loaded.clear()
    report, looked = _sync(laptop, desk_url, looked_at)
    assert not report.changed and looked == set()
    assert rows_loaded == [set(), set()], "no article row read on either side"
    edit(as_user(desk, "rita"), ids[2], "Second", "Second, from the desk,")
    rows_loaded.clear()
    report, looked = _sync(laptop, desk_url, looked_at)
    assert report.down == [ids[2]] and looked == {ids[2]}
    assert rows_loaded == [{ids[2]}, {ids[2]}]
    agree(laptop, desk)
    rows_loaded.clear()
    assert _sync(laptop, desk_url, looked_at)[1] == set() and rows_loaded == [set(), set()]


def test_a_change_made_outside_the_app_is_not_missed(laptop, desk, desk_url, looked_at):  # noqa: F811
    """The marks are the database's (triggers), not the app's: a row written by SQL, with
    no version or time of the article touched, still brings the article back."""
    from sqlalchemy import text

    story = laptop.create_article("Fire at the mill", BODY, section="Local")
    _sync(laptop, desk_url, looked_at)
    _sync(laptop, desk_url, looked_at)
    assert _sync(laptop, desk_url, looked_at)[1] == set()
    ed = desk.store.get_user_by_name("ed").id
    with desk.store.db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO comments (id, article_id, author_id, created_at, quote, prefix, "
                "suffix, position, body) VALUES ('c-by-sql', :a, :ed, :now, 'mill', '', '', "
                "0, 'Which mill?')"
            ),
            {"a": story.id, "ed": ed, "now": "2026-12-02 10:00:00"},
        )
    report, ids = _sync(laptop, desk_url, looked_at)
    assert ids == {story.id} and report.changed
    assert [c.body for c in laptop.list_comments(story.id)] == ["Which mill?"]


def test_the_dictionary_travels_only_when_it_changed(laptop, desk, desk_url, monkeypatch):  # noqa: F811
    read_loose: list[bool] = []
    original = sync_module._Side.load_details

    def spy(self, ids, *, loose):
        read_loose.append(loose)
        return original(self, ids, loose=loose)

    monkeypatch.setattr(sync_module._Side, "load_details", spy)
    sync_with(laptop, desk_url)
    sync_with(laptop, desk_url)
    read_loose.clear()
    sync_with(laptop, desk_url)
    assert read_loose == [False, False], "no dictionary read when neither side's changed"
    as_user(desk, "rita").add_dictionary_word("Llanfair")
    read_loose.clear()
    sync_with(laptop, desk_url)
    assert read_loose == [True, True]
    assert "llanfair" in {w.lower() for w in laptop.dictionary_words()}


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_migrations_0008_to_0010_go_down_and_up_again(engine, tmp_path, request):
    """Down to 0007 takes away the change marks, the merge check and the guard's reading
    of SQL NULL import notes; up again puts them back (and marks what changes)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from editor.services.newsroom import Newsroom
    from editor.store import opening
    from editor.store.store import Store

    location = tmp_path / "s.db" if engine == "sqlite" else request.getfixturevalue("postgres_url")
    Newsroom.init(location, "ada").close()
    store = Store.open(location)
    config = Config()
    config.set_main_option("script_location", str(opening.MIGRATIONS))

    def present(connection) -> tuple[bool, bool | None, bool | None]:
        table = "sync_changes" in connection.dialect.get_table_names(connection)
        if engine == "sqlite":
            return table, None, None
        merge_check, coalesced = connection.execute(
            text(
                "SELECT to_regprocedure('newsroom_merge_words(varchar)') IS NOT NULL, "
                "position('coalesce(NEW.import_notes' IN "
                "pg_get_functiondef('newsroom_article_guard()'::regprocedure)) > 0"
            )
        ).one()
        return table, merge_check, coalesced

    try:
        for target, expected in (("0007_sync_receiver", False), ("head", True)):
            with store.db.engine.begin() as connection:
                config.attributes["connection"] = connection
                if target == "head":
                    command.upgrade(config, target)
                else:
                    command.downgrade(config, target)
            with store.db.engine.connect() as connection:
                table, merge_check, coalesced = present(connection)
            assert table is expected
            assert merge_check in (None, expected) and coalesced in (None, expected)
        room = Newsroom.open(location, "ada")
        try:
            article = room.create_article("Fire at the mill", BODY)
        finally:
            room.close()
        with store.db.engine.connect() as connection:
            marked = connection.execute(
                text("SELECT count(*) FROM sync_changes WHERE article_id = :a"), {"a": article.id}
            ).scalar()
        assert marked == 1
    finally:
        store.close()
