"""The article list: store-side search and sort, lazy pages, delete and undo delete."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox

from editor.core.model import Status
from editor.services.newsroom import Newsroom
from editor.ui.articles.model import ArticleListModel, ArticleRole, Column, short_time
from tests.ui.conftest import wait_for_list

BIG_STORE_SIZE = 1000


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.db"
    room = Newsroom.open(path)
    try:
        for number in range(BIG_STORE_SIZE):
            room.create_article(headline=f"Story number {number:04d}", body="Short text.")
    finally:
        room.close()
    return path


def test_search_box_filters_the_list(make_window, newsroom, qtbot) -> None:
    for headline in ("Harbour fire contained", "Budget vote delayed", "Harbour cleanup begins"):
        newsroom.create_article(headline=headline)
    window = make_window()
    panel = window.article_list
    assert window.list_model.rowCount() == 3

    qtbot.keyClicks(panel.search_box, "Harbour")
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 2, timeout=3000)

    headlines = {window.list_model.summary(row).headline for row in range(2)}
    assert headlines == {"Harbour fire contained", "Harbour cleanup begins"}
    assert panel.count_label.text() == "2 matching articles"

    panel.search_box.clear()
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 3, timeout=3000)


def test_clicking_a_header_sorts_through_the_store(make_window, newsroom, qtbot) -> None:
    for headline in ("Bravo", "Alpha", "Charlie"):
        newsroom.create_article(headline=headline)
    window = make_window()
    header = window.article_list.view.horizontalHeader()

    model = window.list_model
    with qtbot.waitSignal(model.query_finished, timeout=5000):
        header.setSortIndicator(Column.HEADLINE, Qt.SortOrder.AscendingOrder)

    assert model.query.sort_key == "headline"
    assert [model.summary(row).headline for row in range(3)] == ["Alpha", "Bravo", "Charlie"]


def test_rows_carry_id_and_status_roles(make_window, newsroom) -> None:
    article = newsroom.create_article(headline="Only story")
    window = make_window()
    index = window.list_model.index(0, Column.STATUS)
    assert index.data(ArticleRole.ArticleIdRole) == article.id
    assert index.data(ArticleRole.StatusRole) == Status.DRAFT
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "Draft"
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == "Draft"
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    headline = window.list_model.index(0, Column.HEADLINE)
    assert headline.data(Qt.ItemDataRole.ToolTipRole).startswith("Only story\nDraft")
    words = window.list_model.index(0, Column.WORDS)
    assert words.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_word_counts_fit_their_column(make_window, newsroom) -> None:
    """A long read's count was cut to "20,2…" in the Words column."""
    from PySide6.QtGui import QFontMetrics

    from editor.ui.articles.model import short_count

    assert [short_count(n) for n in (0, 9_999, 20_253, 99_949, 203_456)] == [
        "0", "9,999", "20.3k", "99.9k", "203k"
    ]  # fmt: skip
    window = make_window()
    view = window.article_list.view
    metrics = QFontMetrics(view.font())
    room = view.columnWidth(Column.WORDS) - 2 * view.style().pixelMetric(
        view.style().PixelMetric.PM_FocusFrameHMargin
    )
    for count in (9_999, 20_253, 99_949, 203_456):
        assert metrics.horizontalAdvance(short_count(count)) < room, count


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2026, 11, 27, 9, 5), "09:05"),
        (datetime(2026, 11, 26, 23, 59), "Yesterday"),
        (datetime(2026, 11, 20, 14, 0), "20 Nov"),
        (datetime(2025, 3, 2, 14, 0), "2 Mar 2025"),
    ],
)
def test_updated_is_short(moment: datetime, shown: str) -> None:
    assert short_time(moment, now=datetime(2026, 11, 27, 18, 0)) == shown


def test_a_large_store_is_loaded_a_page_at_a_time(app, qtbot, big_store: Path) -> None:
    room = Newsroom.open(big_store)
    model = ArticleListModel(room, page_size=200)
    try:
        with qtbot.waitSignal(model.query_finished, timeout=5000):
            model.reload()
        assert model.total == BIG_STORE_SIZE
        assert model.rowCount() == 200
        assert model.canFetchMore()

        with qtbot.waitSignal(model.query_finished, timeout=5000):
            model.fetchMore()
            model.fetchMore()  # a second call while a page is in flight starts nothing
        assert model.rowCount() == 400

        while model.canFetchMore():
            with qtbot.waitSignal(model.query_finished, timeout=5000):
                model.fetchMore()
        assert model.rowCount() == BIG_STORE_SIZE
        assert len({model.summary(row).id for row in range(BIG_STORE_SIZE)}) == BIG_STORE_SIZE
    finally:
        model.shutdown()
        room.close()


def test_results_of_an_outdated_search_are_dropped(app, qtbot, big_store: Path) -> None:
    room = Newsroom.open(big_store)
    model = ArticleListModel(room, page_size=50)
    finished: list[int] = []
    model.query_finished.connect(lambda: finished.append(model.rowCount()))
    try:
        # A burst of typing: only the last query's rows may ever be shown.
        for text in ("S", "St", "Sto", "Story number 0042"):
            model.set_search(text)
        qtbot.waitUntil(lambda: not model.busy, timeout=5000)
        assert model.rowCount() == 1
        assert model.summary(0).headline == "Story number 0042"
        assert model.shown_query.search == "Story number 0042"
        assert len(finished) == 1  # the outdated results were dropped, not applied
    finally:
        model.shutdown()
        room.close()


def test_a_save_updates_its_row_in_place_until_the_person_re_sorts(make_window, newsroom,
                                                                  qtbot) -> None:  # fmt: skip
    older = newsroom.create_article(headline="Older story")
    newsroom.create_article(headline="Newer story")
    window = make_window()
    window.open_article(older.id)
    model, panel = window.list_model, window.article_list
    assert model.row_of(older.id) == 1
    table_top = panel.view.mapTo(window, panel.view.rect().topLeft())

    with qtbot.waitSignal(model.order_stale_changed, timeout=5000):
        window.headline_field.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClicks(window.headline_field, " updated")
    wait_for_list(qtbot, model)

    # Newest first, the saved story belongs on top, but the rows keep still under the
    # pointer: the row shows the saved headline where it was, and Re-sort is offered.
    assert model.summary(1).headline == "Older story updated"
    assert model.order_stale and panel.resort_button.isVisibleTo(panel)
    assert panel.view.mapTo(window, panel.view.rect().topLeft()) == table_top  # not pushed down
    current = panel.view.selectionModel().currentIndex()
    assert current.row() == 1 and current.data(ArticleRole.ArticleIdRole) == older.id

    with qtbot.waitSignal(model.query_finished, timeout=5000):
        panel.resort_action.trigger()
    assert model.summary(0).headline == "Older story updated"
    assert not model.order_stale and not panel.resort_button.isVisibleTo(panel)
    current = panel.view.selectionModel().currentIndex()
    assert current.row() == 0 and current.data(ArticleRole.ArticleIdRole) == older.id
    assert window.session.article.id == older.id


def test_opening_another_story_re_sorts_and_keeps_the_clicked_row_still(
    make_window, newsroom, qtbot
) -> None:
    stories = [newsroom.create_article(headline=f"Story {n}") for n in range(30)]
    window = make_window()
    model, panel = window.list_model, window.article_list
    order = [model.summary(row).id for row in range(model.rowCount())]
    written = stories[0]  # the oldest: the last row, newest first
    window.open_article(written.id)
    with qtbot.waitSignal(model.order_stale_changed, timeout=5000):
        window.headline_field.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClicks(window.headline_field, " (updated)")
    wait_for_list(qtbot, model)
    assert [model.summary(row).id for row in range(model.rowCount())] == order

    # The person scrolls up to the middle and clicks a story: it opens, the list re-sorts
    # (the written story goes to the top), and the clicked row stays under the pointer.
    target = model.row_of(stories[15].id)
    panel.view.scrollTo(model.index(target, 0), panel.view.ScrollHint.PositionAtCenter)
    y = panel.view.rowViewportPosition(target)
    assert 0 <= y < panel.view.viewport().height()
    with qtbot.waitSignal(model.query_finished, timeout=5000):
        panel.view.selectionModel().setCurrentIndex(
            model.index(target, 0), panel.view.selectionModel().SelectionFlag.ClearAndSelect
        )
    wait_for_list(qtbot, model)
    assert window.session.article.id == stories[15].id
    assert model.summary(0).id == written.id  # re-sorted
    assert not model.order_stale
    moved = model.row_of(stories[15].id)
    assert moved == target + 1
    assert panel.view.rowViewportPosition(moved) == y


def test_the_view_shows_the_first_page_of_a_large_store(make_window, big_store: Path) -> None:
    room = Newsroom.open(big_store)
    try:
        window = make_window(room=room)
        assert window.list_model.rowCount() < BIG_STORE_SIZE
        assert window.article_list.count_label.text() == "1,000 articles"
        window.close()
    finally:
        room.close()


def test_delete_asks_first_then_undo_brings_it_back(
    make_window, newsroom, monkeypatch, qtbot
) -> None:
    keep = newsroom.create_article(headline="Keep me")
    doomed = newsroom.create_article(headline="Delete me")
    asked: list[str] = []

    def answer_yes(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    window = make_window()
    window.open_article(doomed.id)

    window.actions["article_delete"].trigger()

    assert len(asked) == 1 and "Delete me" in asked[0]
    assert window.list_model.row_of(doomed.id) is None
    assert window.list_model.total == 1
    assert window.session.article.id == keep.id
    assert window.actions["edit_undo_delete"].isEnabled()

    window.actions["edit_undo_delete"].trigger()
    wait_for_list(qtbot, window.list_model)

    assert window.list_model.row_of(doomed.id) is not None
    assert window.session.article.id == doomed.id
    assert newsroom.get_article(doomed.id).deleted_at is None


def test_delete_does_nothing_when_the_person_says_no(make_window, newsroom, monkeypatch) -> None:
    article = newsroom.create_article(headline="Stays")
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    window = make_window()
    window.open_article(article.id)
    window.actions["article_delete"].trigger()
    assert window.list_model.row_of(article.id) is not None
