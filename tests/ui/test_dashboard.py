"""The desk dashboard: charts drawn with the store's numbers; a clicked bar opens articles."""

from __future__ import annotations

import pytest

from editor.core.model import Status
from editor.services.dashboard import FILED_DAYS
from editor.services.newsroom import Newsroom
from editor.ui.desk.dashboard import day_labels


@pytest.fixture(autouse=True)
def no_copy_desk_errors(monkeypatch):
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])


@pytest.fixture
def desk(newsroom: Newsroom):
    rita = Newsroom(newsroom.store, newsroom.add_user("Rita", "reporter"))
    ed = Newsroom(newsroom.store, newsroom.add_user("Ed", "editor"))
    words = " ".join(["word"] * 100)
    filed = []
    for i in range(3):
        article = rita.create_article(f"World {i}", words, section="World")
        rita.transition(article.id, "submit")
        filed.append(article)
    sport = rita.create_article("Sport 0", words, section="Sport")
    rita.transition(sport.id, "submit")
    rita.create_article("Sport draft", words, section="Sport")
    ed.transition(filed[0].id, "approve")
    ed.transition(filed[0].id, "publish")
    return ed


@pytest.fixture
def dashboard(make_window, desk, qtbot):
    window = make_window(room=desk)
    window.actions["view_dashboard"].trigger()  # View > Desk Dashboard
    board = window.dashboard
    qtbot.waitUntil(lambda: board.stats is not None, timeout=5000)
    yield window, board
    board.close()
    board.shutdown()


def _bar(bars, index: int) -> float:
    return bars.at(index)


def test_charts_show_the_numbers(dashboard):
    _window, board = dashboard
    stats = board.stats
    assert stats.total == 5 and stats.waiting == 3 and stats.words_filed == 400
    assert board.total_tile.value.text() == "5"
    assert board.waiting_tile.value.text() == "3"
    assert board.words_tile.value.text() == "400"

    # Work in progress by default: published articles only with the box ticked.
    assert set(board.status_sets) == {Status.DRAFT, Status.SUBMITTED}
    sections = board._status_sections
    assert sections == ["Sport", "World"]  # bottom-up: the busiest on top
    submitted = board.status_sets[Status.SUBMITTED]
    assert [_bar(submitted, i) for i in range(2)] == [1, 2]
    assert [_bar(board.status_sets[Status.DRAFT], i) for i in range(2)] == [1, 0]
    board.show_done.setChecked(True)
    assert Status.PUBLISHED in board.status_sets
    index = board._status_sections.index("World")
    assert _bar(board.status_sets[Status.PUBLISHED], index) == 1
    assert board.status_view.chart().title().startswith("All articles")

    # Every waiting article went in just now: all in the first ageing bar.
    assert [_bar(bars, i) for i, bars in enumerate(board.age_sets)] == [3, 0, 0, 0, 0]
    # Four articles filed today (100 words each): the last of the 28 days.
    assert board.filed_set.count() == FILED_DAYS
    assert _bar(board.filed_set, FILED_DAYS - 1) == 400
    assert sum(_bar(board.filed_set, i) for i in range(FILED_DAYS)) == 400


def test_clicking_a_bar_lists_and_opens_its_articles(dashboard):
    window, board = dashboard
    world = board._status_sections.index("World")
    board.status_sets[Status.SUBMITTED].clicked.emit(world)
    dialog = board.last_dialog
    assert dialog is not None
    assert sorted(a.headline for a in dialog.articles) == ["World 1", "World 2"]
    assert dialog.tree.topLevelItemCount() == 2
    opened = dialog.open_selected()
    assert window.session.article.id == opened
    assert window.session.article.headline in ("World 1", "World 2")

    board.age_sets[0].clicked.emit(0)
    assert {a.headline for a in board.last_dialog.articles} == {"World 1", "World 2", "Sport 0"}
    board.filed_set.clicked.emit(FILED_DAYS - 1)
    assert len(board.last_dialog.articles) == 4  # the published one was filed today too


def test_the_dashboard_refreshes_off_the_gui_thread(dashboard, desk, qtbot):
    _window, board = dashboard
    desk.create_article("Another", "text", section="World")
    with qtbot.waitSignal(board.refreshed, timeout=5000) as blocker:
        board.refresh()
        assert board.updated.text() == "Updating…"  # the answer comes later, by signal
    assert blocker.args[0].total == 6


def test_day_labels_are_unique_over_four_weeks():
    from datetime import date, timedelta

    for start in (date(2025, 2, 1), date(2025, 1, 20), date(2024, 2, 10)):
        days = [start + timedelta(days=i) for i in range(FILED_DAYS)]
        assert len(set(day_labels(days))) == FILED_DAYS
