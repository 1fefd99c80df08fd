"""Presence in the window: its own claim, and who else has the open article (or a listed
one) open for editing, shown within 2 s without a look being asked for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from editor.services.newsroom import Newsroom
from editor.store.presence import PresenceRow
from editor.ui.articles.model import ArticleRole, Column

#: The brief: news shows within 2 s of the change elsewhere.
NEWS_MS = 2_000


@pytest.fixture
def dave(store_path: Path, newsroom: Newsroom) -> Iterator[Newsroom]:
    """An editor on the same store, in another window of his own."""
    newsroom.add_user("Dave", "editor")
    room = Newsroom.open(store_path, "Dave")
    yield room
    room.close()


def _ready(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.desk_watch._seen is not None, timeout=10_000)


def _claims(room: Newsroom) -> dict[str, str]:
    return {p.session_id: p.article_id for p in room.presence.current()}


def test_a_colleague_opening_the_story_shows_within_two_seconds_and_goes_when_he_leaves(
    make_window, newsroom, dave, qtbot
) -> None:
    article = newsroom.create_article("Harbour wall holds", "The tide turned.\n" * 80)
    other = newsroom.create_article("Mill fire", "Smoke over the valley.")
    window = make_window()
    window.open_article(article.id)
    _ready(qtbot, window)
    bar = window.desk_watch.presence.bar
    assert bar.plain_text() == ""
    window.editor.verticalScrollBar().setValue(40)
    scroll = window.editor.verticalScrollBar().value()
    row_before = window.article_list.view.currentIndex().row()

    claim = dave.presence.claim(article.id, "daves-window")
    since = claim.since.astimezone().strftime("%H:%M")
    qtbot.waitUntil(lambda: bar.plain_text() != "", timeout=NEWS_MS)
    assert bar.plain_text() == f"Dave is editing since {since}"
    assert window.workflow.bar.presence_text().endswith(f"Dave is editing since {since}")
    delegate = window.desk_watch.presence.delegate
    assert delegate.lines == {article.id: f"Dave is editing since {since}"}
    assert window.article_list.view.itemDelegateForColumn(Column.HEADLINE) is delegate
    # Nothing the person had is lost: the selection, the scroll, the text.
    assert window.article_list.view.currentIndex().row() == row_before
    assert window.editor.verticalScrollBar().value() == scroll
    assert window.session.article.id == article.id

    window.open_article(other.id)  # another story: nobody is on it
    assert bar.plain_text() == "" and window.workflow.bar.presence_text() == ""
    window.open_article(article.id)  # back: said at once, from what the watch knows
    assert bar.plain_text() == f"Dave is editing since {since}"

    dave.presence.release("daves-window")
    qtbot.waitUntil(lambda: bar.plain_text() == "", timeout=NEWS_MS)
    assert delegate.lines == {}


def test_the_window_claims_what_it_edits_moves_the_claim_and_gives_it_up(
    make_window, newsroom, dave, qtbot
) -> None:
    first = newsroom.create_article("Harbour wall holds", "The tide turned.")
    second = newsroom.create_article("Mill fire", "Smoke over the valley.")
    window = make_window()
    window.open_article(first.id)
    mine = window.desk_watch.claim.session_id
    qtbot.waitUntil(lambda: _claims(dave) == {mine: first.id}, timeout=5_000)
    assert [p.user_name for p in dave.presence.current()] == [newsroom.user.name]

    window.open_article(second.id)
    qtbot.waitUntil(lambda: _claims(dave) == {mine: second.id}, timeout=5_000)

    window.close()
    assert _claims(dave) == {}  # given up before the window was gone


def test_reading_a_story_one_may_not_edit_claims_nothing(make_window, newsroom, dave, qtbot):
    theirs = dave.create_article("Mill fire", "Smoke over the valley.", section="Local")
    dave.transition(theirs.id, "submit")
    newsroom.transition(theirs.id, "approve", "Fine.")  # approved: read-only for everyone
    mine = newsroom.create_article("Harbour wall holds", "The tide turned.")
    window = make_window()
    window.open_article(mine.id)
    session = window.desk_watch.claim.session_id
    qtbot.waitUntil(lambda: _claims(dave) == {session: mine.id}, timeout=5_000)
    window.open_article(theirs.id)
    assert not window.workflow.can_edit()
    qtbot.waitUntil(lambda: _claims(dave) == {}, timeout=5_000)


def test_a_claim_whose_laptop_died_is_gone_after_90_seconds(make_window, newsroom, dave, qtbot):
    article = newsroom.create_article("Harbour wall holds", "The tide turned.")
    window = make_window()
    window.open_article(article.id)
    _ready(qtbot, window)
    dave.presence.claim(article.id, "daves-dead-laptop")
    bar = window.desk_watch.presence.bar
    qtbot.waitUntil(lambda: bar.plain_text().startswith("Dave is editing"), timeout=NEWS_MS)

    with dave.store.db.write() as session:  # no heartbeat for 91 s
        row = session.get(PresenceRow, "daves-dead-laptop")
        session.execute(
            update(PresenceRow)
            .where(PresenceRow.session_id == row.session_id)
            .values(heartbeat_at=row.heartbeat_at - timedelta(seconds=91))
        )
    window.desk_watch.look()  # the safety look (every 20 s) does this by itself
    qtbot.waitUntil(lambda: bar.plain_text() == "", timeout=5_000)


def test_the_list_row_of_a_story_someone_edits_says_who_on_hover(
    make_window, newsroom, dave, qtbot
) -> None:
    article = newsroom.create_article("Harbour wall holds", "The tide turned.")
    window = make_window()
    _ready(qtbot, window)
    dave.presence.claim(article.id, "daves-window")
    delegate = window.desk_watch.presence.delegate
    qtbot.waitUntil(lambda: article.id in delegate.lines, timeout=NEWS_MS)
    model = window.list_model
    index = model.index(model.row_of(article.id), Column.HEADLINE)
    assert delegate.lines[index.data(ArticleRole.ArticleIdRole)].startswith("Dave is editing")
    window.article_list.view.viewport().repaint()  # the pen is painted without a fault
