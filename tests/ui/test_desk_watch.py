"""The window follows what others change: list rows, desk counts and the open article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from editor.core.model import Status
from editor.services.newsroom import Newsroom
from editor.ui import dialogs
from editor.ui.dialogs import ConflictChoice
from tests.store.conftest import postgres_url  # noqa: F401  (the fixture)
from tests.ui.conftest import FAST


@pytest.fixture
def colleague(store_path: Path, newsroom: Newsroom) -> Iterator[Newsroom]:
    """Someone else on the same store (another window, the command line, the desk)."""
    newsroom.add_user("rita", "reporter")
    newsroom.switch_user("rita")  # the window's person too: "another window" of hers
    room = Newsroom.open(store_path, "rita")
    yield room
    room.close()


def _look(qtbot, window) -> None:
    with qtbot.waitSignal(window.desk_watch.changed_elsewhere, timeout=10000):
        window.desk_watch.look()


def _ready(qtbot, window) -> None:
    """The window's first look has happened (it only learns where things stand)."""
    qtbot.waitUntil(lambda: window.desk_watch._seen is not None, timeout=10000)


def test_a_colleagues_save_reloads_the_open_story_where_the_person_was(
    make_window, newsroom, colleague, qtbot
) -> None:
    article = newsroom.create_article("Harbour wall holds", "The tide turned.\n" * 40)
    window = make_window()
    window.open_article(article.id)
    _ready(qtbot, window)
    cursor = window.editor.textCursor()
    cursor.setPosition(120)
    window.editor.setTextCursor(cursor)

    theirs = colleague.get_article(article.id)
    colleague.save_article(
        theirs.id, expected_version=theirs.version, changes={"headline": "Harbour wall holds again"}
    )
    _look(qtbot, window)

    assert window.headline_field.text() == "Harbour wall holds again"
    assert window.session.article.version == theirs.version + 1
    assert window.editor.textCursor().position() == 120
    assert "someone else saved this story" in window.status.currentMessage()
    row = window.list_model.row_of(article.id)
    qtbot.waitUntil(
        lambda: window.list_model.summary(row).headline == "Harbour wall holds again", timeout=5000
    )


def test_unsaved_typing_is_never_replaced_by_a_colleagues_version(
    make_window, newsroom, colleague, qtbot, monkeypatch
) -> None:
    asked: list[str] = []

    def ask(_parent, message: str) -> ConflictChoice:
        asked.append(message)
        return ConflictChoice.SAVE_COPY

    monkeypatch.setattr(dialogs, "ask_conflict", ask)
    article = newsroom.create_article("Harbour wall holds", "The tide turned.\n")
    window = make_window(replace(FAST, autosave_delay_ms=60_000))
    window.open_article(article.id)
    _ready(qtbot, window)
    window.headline_field.setText("Harbour wall holds, mine")
    window.edit_field("headline", "Harbour wall holds, mine")

    theirs = colleague.get_article(article.id)
    colleague.save_article(
        theirs.id, expected_version=theirs.version, changes={"headline": "Theirs"}
    )
    _look(qtbot, window)

    assert window.headline_field.text() == "Harbour wall holds, mine"
    assert "saving will ask which version to keep" in window.status.currentMessage()
    window.session.save()
    assert asked, "the save asked which version to keep"
    assert "saving will ask" not in window.status.currentMessage()  # answered: taken back
    headlines = {summary.headline for summary in newsroom.list_articles()}
    assert {"Theirs", "Harbour wall holds, mine"} <= headlines


def test_a_submit_elsewhere_shows_in_the_list_and_the_desk_counts(
    make_window, newsroom, colleague, qtbot
) -> None:
    colleague_article = colleague.create_article(
        "Mill fire", "Smoke over the valley.\n", section="Local"
    )
    window = make_window()
    _ready(qtbot, window)
    colleague.transition(colleague_article.id, "submit")
    _look(qtbot, window)

    row = window.list_model.row_of(colleague_article.id)
    qtbot.waitUntil(lambda: window.list_model.summary(row).status is Status.SUBMITTED, timeout=5000)


def test_a_story_created_elsewhere_joins_the_list(make_window, newsroom, colleague, qtbot):
    newsroom.create_article("Harbour wall holds", "The tide turned.\n")
    window = make_window()
    _ready(qtbot, window)
    created = colleague.create_article("Mill fire", "Smoke over the valley.\n")
    _look(qtbot, window)
    qtbot.waitUntil(lambda: window.list_model.row_of(created.id) is not None, timeout=5000)


def test_the_windows_own_saves_are_not_news(make_window, newsroom, qtbot) -> None:
    article = newsroom.create_article("Harbour wall holds", "The tide turned.\n")
    window = make_window()
    window.open_article(article.id)
    _ready(qtbot, window)
    heard: list[list] = []
    window.desk_watch.changed_elsewhere.connect(heard.append)
    window.headline_field.setText("Harbour wall holds firm")
    window.edit_field("headline", "Harbour wall holds firm")
    assert window.session.save()
    window.desk_watch.look()
    qtbot.waitUntil(lambda: not window.desk_watch._tasks.busy(), timeout=5000)
    qtbot.wait(50)
    assert heard == []


def test_an_open_menu_is_not_closed_by_news_which_waits_for_the_next_look(
    make_window, newsroom, colleague, qtbot
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMenu

    article = newsroom.create_article("Harbour wall holds", "The tide turned.")
    window = make_window()
    window.open_article(article.id)
    _ready(qtbot, window)
    theirs = colleague.get_article(article.id)
    colleague.save_article(
        theirs.id, expected_version=theirs.version, changes={"headline": "Harbour wall holds again"}
    )
    news: list[object] = []
    window.desk_watch.changed_elsewhere.connect(news.append)
    menu = QMenu(window.editor)
    menu.addAction("Copy")
    seen_open: list[bool] = []

    def while_open() -> None:
        window.desk_watch.look()
        qtbot.waitUntil(lambda: not window.desk_watch._tasks.busy(), timeout=10000)
        seen_open.append(QApplication.activePopupWidget() is menu and menu.isVisible())
        menu.close()

    QTimer.singleShot(50, while_open)
    menu.exec(window.editor.mapToGlobal(window.editor.rect().center()))

    assert seen_open == [True] and news == []  # the look came back while the menu was open
    assert window.headline_field.text() == "Harbour wall holds"
    _look(qtbot, window)  # the next look, with the menu closed, brings the news
    assert window.headline_field.text() == "Harbour wall holds again"


# -- when the watch looks: news without being asked, cheaply ---------------------------------

#: The brief: news shows within 2 s of the change elsewhere.
NEWS_MS = 2_000


def _settled(qtbot, window, other: Newsroom) -> None:
    """The window's own first writes (its presence claim) are in, and looked at."""
    mine = window.desk_watch.claim.session_id
    qtbot.waitUntil(
        lambda: mine in {p.session_id for p in other.presence.current()}, timeout=10_000
    )
    qtbot.wait(1_000)  # the look that claim caused
    qtbot.waitUntil(lambda: not window.desk_watch._tasks.busy(), timeout=10_000)


def test_news_shows_within_two_seconds_without_a_look_being_asked_for(
    make_window, newsroom, colleague, qtbot
) -> None:
    window = make_window()
    _ready(qtbot, window)
    with qtbot.waitSignal(window.desk_watch.changed_elsewhere, timeout=NEWS_MS):
        created = colleague.create_article("Mill fire", "Smoke over the valley.\n")
    qtbot.waitUntil(lambda: window.list_model.row_of(created.id) is not None, timeout=NEWS_MS)


def test_an_idle_sqlite_store_costs_no_query_only_its_change_counter(
    make_window, newsroom, colleague, qtbot
) -> None:
    newsroom.create_article("Harbour wall holds", "The tide turned.\n")
    window = make_window()
    watch = window.desk_watch
    _ready(qtbot, window)
    _settled(qtbot, window, colleague)
    looks = watch.looks
    qtbot.wait(2_000)  # four ticks: each reads PRAGMA data_version, none queries
    assert watch.looks == looks
    colleague.create_article("Mill fire", "Smoke over the valley.\n")
    qtbot.waitUntil(lambda: watch.looks > looks, timeout=NEWS_MS)


def test_a_step_elsewhere_updates_the_open_articles_strip_and_the_dashboard(
    make_window, newsroom, colleague, qtbot
) -> None:
    from editor.ui.desk.dashboard import open_dashboard

    article = newsroom.create_article("Mill fire", "Smoke over the valley.\n", section="Local")
    window = make_window()
    window.open_article(article.id)
    _ready(qtbot, window)
    dashboard = open_dashboard(window)
    qtbot.waitUntil(lambda: dashboard.stats is not None, timeout=10_000)
    assert dashboard.stats.count("Local", Status.SUBMITTED) == 0
    assert window.workflow.bar.badge.text() == Status.DRAFT.label

    with qtbot.waitSignal(dashboard.refreshed, timeout=NEWS_MS + 1_000) as refreshed:
        colleague.transition(article.id, "submit")
    assert refreshed.args[0].count("Local", Status.SUBMITTED) == 1
    qtbot.waitUntil(
        lambda: window.workflow.bar.badge.text() == Status.SUBMITTED.label, timeout=NEWS_MS
    )
    assert window.session.article.status is Status.SUBMITTED
    assert re.fullmatch(r"Submitted by rita at \d\d:\d\d", window.status.currentMessage())
    dashboard.shutdown()


# -- PostgreSQL: the watch listens ---------------------------------------------------------


@pytest.fixture
def desk_rooms(postgres_url) -> Iterator[tuple[Newsroom, Newsroom]]:  # noqa: F811
    """The window's newsroom and a colleague's, on one PostgreSQL store."""
    room = Newsroom.open(postgres_url)
    other = Newsroom.open(postgres_url)
    yield room, other
    other.close()
    room.close()


def test_on_postgres_a_notice_brings_the_news_within_two_seconds(
    make_window, desk_rooms, qtbot
) -> None:
    room, other = desk_rooms
    article = room.create_article("Harbour wall holds", "The tide turned.\n")
    window = make_window(room=room)
    watch = window.desk_watch
    qtbot.waitUntil(lambda: watch.listening and watch._seen is not None, timeout=10_000)
    window.open_article(article.id)
    _settled(qtbot, window, other)
    looks = watch.looks
    qtbot.wait(2_000)  # listening: no poll at all while nothing happens
    assert watch.looks == looks

    with qtbot.waitSignal(watch.changed_elsewhere, timeout=NEWS_MS) as news:
        created = other.create_article("Mill fire", "Smoke over the valley.\n")
    assert [row.id for row in news.args[0]] == [created.id]
    claim = other.presence.claim(article.id, "colleagues-window")
    bar = watch.presence.bar
    qtbot.waitUntil(lambda: bar.plain_text() != "", timeout=NEWS_MS)
    assert bar.plain_text() == (
        f"You have it open in another window too (since {claim.since.astimezone():%H:%M})"
    )
    window.close()
    assert [p.session_id for p in other.presence.current()] == ["colleagues-window"]


def test_on_postgres_the_watch_polls_when_it_cannot_listen(
    make_window, desk_rooms, qtbot, monkeypatch
) -> None:
    from editor.core.errors import StoreError
    from editor.services.presence import PresenceService

    def refused(_self):
        raise StoreError("Cannot listen for the desk's news: refused.")

    monkeypatch.setattr(PresenceService, "change_feed", refused)
    room, other = desk_rooms
    window = make_window(room=room)
    watch = window.desk_watch
    _ready(qtbot, window)
    qtbot.wait(300)
    assert not watch.listening and watch._relisten.isActive()
    with qtbot.waitSignal(watch.changed_elsewhere, timeout=NEWS_MS + 500):
        other.create_article("Mill fire", "Smoke over the valley.\n")
