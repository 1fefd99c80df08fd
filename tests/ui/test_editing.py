"""Writing in the window reaches the store: autosave, metadata, switching, quitting."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from editor.services.newsroom import Newsroom
from tests.ui.conftest import FAST


def _type_body(qtbot, window, text: str) -> None:
    window.editor.setFocus()
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, text)


def test_new_article_autosaves_and_survives_reopening(make_window, newsroom, store_path: Path,
                                                      qtbot) -> None:  # fmt: skip
    window = make_window()
    window.actions["file_new"].trigger()
    article_id = window.session.article.id

    with qtbot.waitSignal(window.session.saved, timeout=5000) as saved:
        _type_body(qtbot, window, "Floodwater reached the harbour wall at dawn.")

    assert saved.args[0].id == article_id
    assert not window.isWindowModified()
    assert window.status.save_state.text().startswith("Saved")
    window.close()
    newsroom.close()

    reopened = Newsroom.open(store_path)
    try:
        body = reopened.get_article(article_id).body
    finally:
        reopened.close()
    assert "Floodwater reached the harbour wall at dawn." in body


def test_typing_marks_the_window_modified_until_saved(make_window, qtbot) -> None:
    window = make_window(replace(FAST, autosave_delay_ms=60_000))
    window.actions["file_new"].trigger()
    _type_body(qtbot, window, "Draft")
    assert window.isWindowModified()
    assert window.status.save_state.text() == "Editing…"
    window.actions["file_save"].trigger()
    assert not window.isWindowModified()
    assert window.newsroom.get_article(window.session.article.id).body.strip() == "Draft"


def test_headline_in_inspector_is_saved_and_derives_the_slug(make_window, newsroom, qtbot) -> None:
    window = make_window()
    window.actions["file_new"].trigger()
    article_id = window.session.article.id

    with qtbot.waitSignal(window.session.saved, timeout=5000):
        qtbot.keyClicks(window.inspector.headline, "Flood defences approved")

    stored = newsroom.get_article(article_id)
    assert stored.headline == "Flood defences approved"
    assert stored.slug == "flood-defences-approved"
    assert window.inspector.slug.text() == "flood-defences-approved"
    assert window.headline_field.text() == "Flood defences approved"
    assert "Flood defences approved" in window.windowTitle()


def test_a_taken_slug_is_refused_beside_the_field_and_the_rest_is_saved(
    make_window, newsroom, qtbot
) -> None:
    newsroom.create_article(headline="Budget vote")
    window = make_window()
    window.actions["file_new"].trigger()
    article_id = window.session.article.id

    with qtbot.waitSignal(window.session.saved, timeout=5000):
        window.inspector.slug.selectAll()
        qtbot.keyClicks(window.inspector.slug, "budget-vote")
        window.inspector.byline.selectAll()
        qtbot.keyClicks(window.inspector.byline, "Jane Doe")

    assert "already used" in window.inspector.field_error("slug")
    stored = newsroom.get_article(article_id)
    assert stored.byline == "Jane Doe"
    assert stored.slug != "budget-vote"
    assert window.inspector.slug.text() == "budget-vote"


def test_switching_articles_saves_the_one_left(make_window, newsroom, qtbot) -> None:
    first = newsroom.create_article(headline="First story")
    second = newsroom.create_article(headline="Second story")
    window = make_window(replace(FAST, autosave_delay_ms=60_000))
    window.open_article(first.id)
    _type_body(qtbot, window, "Words written before switching.")

    row = window.list_model.row_of(second.id)
    window.article_list.view.selectRow(row)

    assert window.session.article.id == second.id
    assert "Words written before switching." in newsroom.get_article(first.id).body


def test_closing_the_window_saves(make_window, newsroom, qtbot) -> None:
    article = newsroom.create_article(headline="Late copy")
    window = make_window(replace(FAST, autosave_delay_ms=60_000))
    window.open_article(article.id)
    _type_body(qtbot, window, "Filed at midnight.")
    window.close()
    assert "Filed at midnight." in newsroom.get_article(article.id).body


def test_format_actions_write_markdown(make_window, newsroom, qtbot) -> None:
    window = make_window(replace(FAST, autosave_delay_ms=60_000))
    window.actions["file_new"].trigger()
    editor = window.editor
    _type_body(qtbot, window, "Section")
    window.actions["format_heading2"].trigger()
    assert window.actions["format_heading2"].isChecked()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    window.actions["format_bold"].trigger()
    qtbot.keyClicks(editor, "Strong")
    window.actions["format_bold"].trigger()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    window.actions["format_bullet_list"].trigger()
    qtbot.keyClicks(editor, "One point")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    window.actions["format_bullet_list"].trigger()
    window.actions["format_block_quote"].trigger()
    qtbot.keyClicks(editor, "A quotation")
    window.actions["file_save"].trigger()

    body = newsroom.get_article(window.session.article.id).body
    assert "## Section" in body
    assert "**Strong**" in body
    assert "- One point" in body
    assert "> A quotation" in body


def test_the_story_date_is_saved_and_cleared_from_the_inspector(
    make_window, newsroom, qtbot
) -> None:
    window = make_window()
    window.actions["file_new"].trigger()
    article_id = window.session.article.id
    field = window.inspector.story_date
    assert field.placeholderText() == "YYYY-MM-DD"

    with qtbot.waitSignal(window.session.saved, timeout=5000):
        qtbot.keyClicks(field, "2024-07-17")
    assert newsroom.get_article(article_id).story_date == date(2024, 7, 17)

    with qtbot.waitSignal(window.session.saved, timeout=5000):
        field.selectAll()
        qtbot.keyClick(field, Qt.Key.Key_Delete)
    assert newsroom.get_article(article_id).story_date is None


def test_a_bad_date_is_refused_beside_the_field_and_the_rest_is_saved(
    make_window, newsroom, qtbot
) -> None:
    article = newsroom.create_article(headline="Dated", story_date="2024-07-17")
    window = make_window()
    window.open_article(article.id)
    assert window.inspector.story_date.text() == "2024-07-17"
    rejected: list[tuple[str, str]] = []
    window.session.field_rejected.connect(lambda name, message: rejected.append((name, message)))

    with qtbot.waitSignal(window.session.saved, timeout=5000):
        window.inspector.story_date.selectAll()
        qtbot.keyClicks(window.inspector.story_date, "2024-02-30")
        window.inspector.byline.selectAll()
        qtbot.keyClicks(window.inspector.byline, "Jane Doe")

    assert [name for name, _ in rejected] == ["story_date"]
    message = window.inspector.field_error("story_date")
    assert "not a date" in message
    assert window.inspector.note("story_date").isVisibleTo(window.inspector)
    stored = newsroom.get_article(article.id)
    assert stored.byline == "Jane Doe"
    assert stored.story_date == date(2024, 7, 17)
    assert window.inspector.story_date.text() == "2024-02-30"  # left for the person to fix

    qtbot.keyClick(window.inspector.story_date, Qt.Key.Key_Backspace)
    assert window.inspector.field_error("story_date") == ""


def test_a_refused_date_alone_leaves_nothing_unsaved(make_window, newsroom, qtbot) -> None:
    article = newsroom.create_article(headline="Dated")
    window = make_window(replace(FAST, autosave_delay_ms=60_000))
    window.open_article(article.id)
    qtbot.keyClicks(window.inspector.story_date, "yesterday")
    assert window.isWindowModified()

    assert window.session.save()

    assert "not a date" in window.inspector.field_error("story_date")
    assert not window.isWindowModified()
    assert newsroom.get_article(article.id).story_date is None


def test_the_layout_is_remembered_between_runs(make_window, newsroom, qtbot) -> None:
    from PySide6.QtCore import QSettings

    from editor.ui.main_window import MainWindow
    from editor.ui.settings import WindowState

    newsroom.create_article(headline="Other", body="Text.\n")
    remembered = newsroom.create_article(headline="Layout", body="Text.\n")
    window = make_window()
    window.open_article(remembered.id)
    # Not the first size: the window's minimum width, taller than it needs.
    width = window.minimumSizeHint().width()
    window.resize(width, 560)
    window.splitter.setSizes([300, 400, 234])
    window.side_tabs.setCurrentIndex(1)
    sizes = window.splitter.sizes()
    window.close()

    # As run_gui does it: restore, show, then open the article open at the last quit.
    state = WindowState(QSettings())
    again = MainWindow(newsroom, FAST, state)
    qtbot.addWidget(again)
    again.restore_state()
    again.show()
    with qtbot.waitSignal(again.list_model.query_finished, timeout=5000):
        again.start(state.last_article_id())
    qtbot.waitUntil(lambda: again.session.article is not None, timeout=5000)
    assert again.splitter.sizes() == sizes
    assert again.size().width() == width
    assert again.side_tabs.currentIndex() == 1
    assert again.session.article.headline == "Layout"
    again.list_model.shutdown()
    again.close()
