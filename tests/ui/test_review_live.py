"""The Review tab follows colleagues' comments, replies and resolutions on the open story
(the desk watch brings them), keeping the list's scroll and whatever is being typed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from editor.services.newsroom import Newsroom
from editor.services.review import selection_anchor
from editor.ui.review.panel import document_text
from tests.store.conftest import postgres_url  # noqa: F401  (the fixture)
from tests.ui.test_desk_watch import NEWS_MS, _ready, _settled

BODY = (
    "The council met on Tuesday. The mayor said the budget was balanced.\n\n"
    "Critics said the budget was not balanced at all, and asked for an audit."
)


@pytest.fixture
def colleague(store_path: Path, newsroom: Newsroom) -> Iterator[Newsroom]:
    """An editor on the same store (another window, another laptop on the desk)."""
    newsroom.add_user("elena", "editor")
    room = Newsroom.open(store_path, "elena")
    yield room
    room.close()


def _anchor(passage: str) -> dict[str, object]:
    start = BODY.index(passage)
    return selection_anchor(BODY, start, start + len(passage))


def _comment(room: Newsroom, article_id: str, passage: str, body: str):
    return room.add_comment(article_id, body=body, **_anchor(passage))


def _open(make_window, newsroom: Newsroom, qtbot, body: str = BODY):
    article = newsroom.create_article("Budget row", body)
    window = make_window()
    window.resize(1400, 800)
    assert window.open_article(article.id)
    window.side_tabs.setCurrentWidget(window.review)
    _ready(qtbot, window)
    return window, article


def _select(window, passage: str) -> None:
    text = document_text(window.editor.document())
    start = text.index(passage)
    cursor = window.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(passage), QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)


def _bodies(window) -> list[str]:
    return [card.thread.body for card in window.review.cards.values()]


def test_a_colleagues_comment_shows_in_the_review_tab_within_two_seconds(
    make_window, newsroom, colleague, qtbot
) -> None:
    window, article = _open(make_window, newsroom, qtbot)
    panel = window.review
    _settled(qtbot, window, colleague)
    assert panel.cards == {}

    with qtbot.waitSignal(window.desk_watch.comments_changed_elsewhere, timeout=NEWS_MS):
        thread = _comment(colleague, article.id, "the budget was balanced", "Source?")
    assert _bodies(window) == ["Source?"]
    assert panel.anchors[thread.id] is not None  # highlighted in the story
    assert [s.cursor.selectedText() for s in panel.highlighted()] == ["the budget was balanced"]
    tabs = window.side_tabs
    assert tabs.tabText(tabs.indexOf(panel)) == "Review (1)"
    assert window.status.currentMessage() == "elena commented on this story (Review tab)"
    card = panel.cards[thread.id]
    assert card.property("fresh") is True  # tinted a few seconds: it is new
    panel._fresh_timer.setInterval(100)
    panel._fresh_timer.start()
    qtbot.waitUntil(lambda: not card.property("fresh"), timeout=2_000)


def test_a_comment_from_another_process_shows_within_two_seconds(
    make_window, newsroom, store_path, qtbot
) -> None:
    newsroom.add_user("elena", "editor")
    window, article = _open(make_window, newsroom, qtbot)
    anchor = _anchor("asked for an audit")
    script = textwrap.dedent(
        f"""
        from editor.services.newsroom import Newsroom
        room = Newsroom.open({str(store_path)!r}, "elena")
        room.add_comment({article.id!r}, body="Which audit?", **{anchor!r})
        room.close()
        """
    )
    # The GUI thread waits for the other process; the watch's clock starts when it is done.
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    qtbot.waitUntil(lambda: _bodies(window) == ["Which audit?"], timeout=NEWS_MS)


def test_resolved_and_replied_elsewhere_the_cards_follow(
    make_window, newsroom, colleague, qtbot
) -> None:
    window, article = _open(make_window, newsroom, qtbot)
    panel = window.review
    first = _comment(newsroom, article.id, "met on Tuesday", "Which Tuesday?")
    second = _comment(newsroom, article.id, "asked for an audit", "Who asked?")
    panel.reload()
    kept = panel.cards[second.id]
    narrowest = panel.minimumSizeHint().width()
    _settled(qtbot, window, colleague)

    with qtbot.waitSignal(window.desk_watch.comments_changed_elsewhere, timeout=NEWS_MS):
        colleague.resolve(first.id)
    assert list(panel.cards) == [second.id]
    assert panel.cards[second.id] is kept  # an unchanged thread keeps its card
    assert not kept.property("fresh")
    assert window.status.currentMessage() == "elena resolved a comment on this story (Review tab)"

    with qtbot.waitSignal(window.desk_watch.comments_changed_elsewhere, timeout=NEWS_MS):
        colleague.reply(second.id, "The opposition.")
    card = panel.cards[second.id]
    assert [label.text().endswith("The opposition.") for label in card.reply_labels] == [True]
    assert panel.count_label.text() == "1 open · 1 resolved"
    # The longer count never widens the panel (the story beside it would re-wrap).
    assert panel.minimumSizeHint().width() <= narrowest
    label = panel.count_label  # and they are shown, in full, where there is room
    assert label.isVisible() and label.width() >= label.sizeHint().width()


def test_a_reply_being_typed_and_its_focus_survive_a_colleagues_reply(
    make_window, newsroom, colleague, qtbot
) -> None:
    window, article = _open(make_window, newsroom, qtbot)
    panel = window.review
    thread = _comment(newsroom, article.id, "asked for an audit", "Who asked?")
    panel.reload()
    window.activateWindow()
    panel.cards[thread.id].open_reply()
    qtbot.keyClicks(panel.cards[thread.id].reply_edit, "The opposition, I think")
    _settled(qtbot, window, colleague)

    with qtbot.waitSignal(window.desk_watch.comments_changed_elsewhere, timeout=NEWS_MS):
        colleague.reply(thread.id, "Check the minutes.")
    card = panel.cards[thread.id]
    assert len(card.reply_labels) == 1  # theirs is in
    assert card.reply_edit.isVisibleTo(card)
    assert card.reply_edit.text() == "The opposition, I think"
    assert card.reply_edit.cursorPosition() == len("The opposition, I think")
    qtbot.waitUntil(card.reply_edit.hasFocus, timeout=1_000)
    qtbot.keyClicks(card.reply_edit, ", yes")
    qtbot.keyClick(card.reply_edit, Qt.Key.Key_Return)
    replies = newsroom.list_comments(article.id)[0].replies
    assert [r.body for r in replies] == ["Check the minutes.", "The opposition, I think, yes"]
    assert panel.cards[thread.id].reply_edit.text() == ""  # posted: no draft left over


def test_the_list_keeps_its_scroll_and_the_composer_its_words(
    make_window, newsroom, colleague, qtbot
) -> None:
    body = "\n\n".join(f"Paragraph {n} says the budget was balanced." for n in range(40))
    window, article = _open(make_window, newsroom, qtbot, body)
    panel = window.review
    room = newsroom
    for n in range(0, 40, 2):
        passage = f"Paragraph {n} says"
        start = body.index(passage)
        room.add_comment(
            article.id,
            body=f"Comment {n}: " + "a longer note to make the card tall. " * 3,
            **selection_anchor(body, start, start + len(passage)),
        )
    panel.reload()
    qtbot.waitUntil(lambda: panel.scroll.verticalScrollBar().maximum() > 0, timeout=2_000)
    bar = panel.scroll.verticalScrollBar()
    ids = list(panel.cards)
    middle = panel.cards[ids[10]]
    bar.setValue(middle.y())

    # A comment being written on paragraph 33, in the composer.
    _select(window, "Paragraph 33")
    assert panel.begin_comment()
    qtbot.keyClicks(panel.composer_edit, "Is 33 right?")
    _settled(qtbot, window, colleague)
    # Where the person is reading when the news comes (the composer took some height).
    value_before = bar.value()
    top_before = middle.y() - value_before
    assert -middle.height() < top_before <= 0  # the card at the top of the view

    # Elena resolves two threads above the view (they leave the list) and adds one.
    with qtbot.waitSignal(window.desk_watch.comments_changed_elsewhere, timeout=NEWS_MS):
        colleague.resolve(ids[0])
        colleague.resolve(ids[1])
        start = body.index("Paragraph 39")
        colleague.add_comment(
            article.id, body="Last one.", **selection_anchor(body, start, start + 12)
        )
    assert ids[0] not in panel.cards and len(panel.cards) == 19
    assert panel.cards[ids[10]] is middle
    assert middle.y() - bar.value() == top_before  # the same card at the top of the view
    assert bar.value() < value_before  # though two cards above it left
    assert panel.composer.isVisible()
    assert panel.composer_edit.toPlainText() == "Is 33 right?"
    assert "Paragraph 33" in [s.cursor.selectedText() for s in panel.highlighted()]
    assert panel.post_comment()
    assert [t.body for t in newsroom.list_comments(article.id)][-1] == "Is 33 right?"


def test_a_save_elsewhere_of_the_story_keeps_the_comment_being_written(
    make_window, newsroom, store_path, qtbot
) -> None:
    window, article = _open(make_window, newsroom, qtbot)
    # The author, on her laptop too (a draft is edited by its author only).
    colleague = Newsroom.open(store_path, newsroom.user.name)
    panel = window.review
    _select(window, "asked for an audit")
    assert panel.begin_comment()
    qtbot.keyClicks(panel.composer_edit, "Which audit?")
    _settled(qtbot, window, colleague)

    theirs = colleague.get_article(article.id)
    with qtbot.waitSignal(window.desk_watch.changed_elsewhere, timeout=NEWS_MS):
        colleague.save_article(
            theirs.id,
            expected_version=theirs.version,
            body="A new first paragraph.\n\n" + BODY,
        )
    qtbot.waitUntil(lambda: window.session.article.version == theirs.version + 1, timeout=NEWS_MS)
    assert panel.composer.isVisible()
    assert panel.composer_edit.toPlainText() == "Which audit?"
    # The passage moved down with the colleague's new paragraph; so did its highlight.
    assert [s.cursor.selectedText() for s in panel.highlighted()] == ["asked for an audit"]
    assert panel.post_comment()
    (thread,) = newsroom.list_comments(article.id)
    assert (thread.quote, thread.body) == ("asked for an audit", "Which audit?")
    assert thread.position == window.review.anchors[thread.id][0]
    colleague.close()


def test_the_windows_own_comments_are_not_news(make_window, newsroom, colleague, qtbot):
    window, _article = _open(make_window, newsroom, qtbot)
    panel = window.review
    _settled(qtbot, window, colleague)
    heard: list[str] = []
    window.desk_watch.comments_changed_elsewhere.connect(heard.append)
    start = document_text(window.editor.document()).index("met on Tuesday")
    thread = panel.add_comment(start, start + len("met on Tuesday"), "Which Tuesday?")
    window.desk_watch.look()
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not window.desk_watch._tasks.busy(), timeout=5_000)
    assert heard == [] and list(panel.cards) == [thread.id]
    assert not panel.cards[thread.id].property("fresh")


# -- PostgreSQL: a notice brings the comment -------------------------------------------------


def test_on_postgres_a_colleagues_comment_shows_within_two_seconds(
    make_window,
    postgres_url,  # noqa: F811
    qtbot,
) -> None:
    room = Newsroom.open(postgres_url)
    room.add_user("elena", "editor")
    other = Newsroom.open(postgres_url, "elena")
    try:
        article = room.create_article("Budget row", BODY)
        window = make_window(room=room)
        watch = window.desk_watch
        qtbot.waitUntil(lambda: watch.listening and watch._seen is not None, timeout=10_000)
        window.open_article(article.id)
        _settled(qtbot, window, other)
        with qtbot.waitSignal(watch.comments_changed_elsewhere, timeout=NEWS_MS):
            thread = _comment(other, article.id, "asked for an audit", "Which audit?")
        assert list(window.review.cards) == [thread.id]
        with qtbot.waitSignal(watch.comments_changed_elsewhere, timeout=NEWS_MS):
            other.resolve(thread.id)
        assert window.review.cards == {}
        assert window.review.empty_label.text() == "Every thread is resolved."
        window.close()
    finally:
        other.close()
        room.close()


def test_an_open_changes_dialog_follows_a_save_elsewhere(make_window, newsroom, store_path, qtbot):
    from editor.ui.review.changes_view import open_changes

    window, article = _open(make_window, newsroom, qtbot)
    author_elsewhere = Newsroom.open(store_path, newsroom.user.name)  # her laptop
    try:
        dialog = open_changes(window)
        assert dialog is not None  # parented to the window, deleted on close
        head_before = dialog.head_id
        assert dialog.new_combo.currentData() == head_before
        theirs = author_elsewhere.get_article(article.id)
        with qtbot.waitSignal(dialog.revisions_changed, timeout=NEWS_MS):
            author_elsewhere.save_article(
                theirs.id, expected_version=theirs.version, body=BODY + "\n\nA late paragraph."
            )
        assert dialog.head_id != head_before
        assert dialog.new_combo.currentData() == dialog.head_id  # "up to now" moved on
        assert "(current)" in dialog.new_combo.currentText()
        assert "A late paragraph" in dialog.view.inline_html()
        summary = dialog.view.summary.text()  # only words added: no "−0 words"
        assert "+3 words" in summary and "−" not in summary
        dialog.close()
        qtbot.wait(50)  # deleted: news after it must not reach it
        theirs = author_elsewhere.get_article(article.id)
        with qtbot.waitSignal(window.desk_watch.changed_elsewhere, timeout=NEWS_MS):
            author_elsewhere.save_article(
                theirs.id, expected_version=theirs.version, body=BODY + "\n\nLater still."
            )
    finally:
        author_elsewhere.close()
