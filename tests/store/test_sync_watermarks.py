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
        marks = session.scalar(select(func.count()).select_from(sync_module.PEERS))
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
