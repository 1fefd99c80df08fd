"""A long body opens in the background (issue 12): converted on a worker, the editor
read-only and saying so meanwhile, its text never seen as empty by a save."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtTest import QTest

from editor.ui.body import editor as editor_module
from editor.ui.body import markdown_bridge
from editor.ui.body.editor import BodyEditor

BODY = "First paragraph of the story.\n\n" + ("A long paragraph of words. " * 60).strip() + "\n"


@pytest.fixture
def background_above_1000(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(editor_module, "BACKGROUND_OPEN_ABOVE", 1000)


def test_a_long_body_opens_on_a_worker_and_takes_no_edit_before_it_is_in(
    background_above_1000, editor, qtbot
):
    with qtbot.waitSignal(editor.body_loaded, timeout=10000):
        editor.open_markdown(BODY)
        assert editor.opening and editor.isReadOnly()
        assert editor.document().isEmpty() and not editor.is_empty()
        assert editor.markdown() == BODY  # what a save or the journal would take
        assert "Opening the story" in editor.placeholderText()
        QTest.keyClicks(editor, "xyz")
        assert editor.document().isEmpty()
    assert not editor.opening and not editor.isReadOnly()
    assert editor.markdown() == BODY
    assert editor.placeholderText() == editor_module.WRITING_PLACEHOLDER
    assert not editor.document().isUndoAvailable()


def test_read_only_asked_for_while_opening_holds_after(background_above_1000, editor, qtbot):
    with qtbot.waitSignal(editor.body_loaded, timeout=10000):
        editor.open_markdown(BODY)
        editor.setReadOnly(True)  # an approved story, locked by the workflow
    assert editor.isReadOnly()
    editor.setReadOnly(False)
    assert not editor.isReadOnly()


def test_a_second_open_while_the_first_converts_wins(background_above_1000, editor, qtbot):
    other = "Another story.\n\n" + ("Other words here. " * 80).strip() + "\n"
    loaded: list[str] = []
    editor.body_loaded.connect(lambda: loaded.append(editor.markdown()))
    editor.open_markdown(BODY)
    editor.open_markdown(other)
    qtbot.waitUntil(lambda: bool(loaded), timeout=10000)
    QTest.qWait(200)
    assert loaded == [other] and editor.markdown() == other
    editor.open_markdown(BODY)
    editor.load_markdown("Short.\n")  # a short one loads at once and drops the long one
    QTest.qWait(300)
    assert editor.markdown() == "Short.\n" and not editor.opening


def test_a_short_body_loads_at_once(editor):
    editor.open_markdown("Short story.\n")
    assert not editor.opening and editor.markdown() == "Short story.\n"


def test_an_empty_body_builds_no_markdown_converter():
    made: list[object] = []

    def in_a_fresh_thread() -> None:
        prepared = markdown_bridge.prepare_markdown("")
        made.append(getattr(markdown_bridge._local, "pair", None))
        made.append(prepared.html)

    thread = threading.Thread(target=in_a_fresh_thread)
    thread.start()
    thread.join()
    assert made == [None, ""]


def test_the_window_opens_a_long_story_in_the_background(
    background_above_1000, make_window, newsroom, qtbot
):
    article = newsroom.create_article("Long story", BODY)
    window = make_window()
    refused: list[str] = []
    window.body_stack.source_refused.connect(refused.append)
    with qtbot.waitSignal(window.editor.body_loaded, timeout=10000):
        window.open_article(article.id)
        assert window.editor.opening
        assert window.session.snapshot().body == BODY
        window.body_stack.set_source_mode(True)  # not while the text is not in
        assert not window.body_stack.source_mode and refused
    assert window.counter.count().words == len(BODY.split())
    editor = window.editor
    editor.setFocus()
    QTest.keyClicks(editor, "Now ")
    assert window.session.save()
    assert newsroom.get_article(article.id).body == "Now " + BODY


def test_loading_leaves_the_cursor_at_the_start_and_the_view_at_the_top(editor):
    paragraph = ("A sentence of the long story goes on. " * 30_000).strip()
    editor.load_markdown("Title line.\n\n" + paragraph + "\n")
    cursor = editor.textCursor()
    assert cursor.position() == 0 and not cursor.hasSelection()
    assert editor.verticalScrollBar().value() == 0
    QTest.keyClicks(editor, "New ")
    assert editor.markdown().startswith("New Title line.")


def test_an_edit_in_the_source_view_while_the_rich_view_opens_is_kept(background_above_1000, qtbot):
    from editor.ui.body.source import SourceEditor
    from editor.ui.body.stack import BodyStack

    stack = BodyStack(BodyEditor(), SourceEditor())
    qtbot.addWidget(stack)
    stack.resize(700, 500)
    stack.show()
    stack.set_source_mode(True)  # the person works in the source view
    assert stack.source_mode
    stack.load_markdown(BODY)  # an article opens: the source view has it at once
    assert stack.rich.opening
    cursor = stack.source.textCursor()
    cursor.setPosition(0)
    stack.source.setTextCursor(cursor)
    stack.source.insertPlainText("Edited. ")
    stack.set_source_mode(False)  # back before the rich view's conversion landed
    assert not stack.rich.opening
    QTest.qWait(300)  # the conversion's late result must not put the old text back
    assert stack.rich.markdown().startswith("Edited. First paragraph")
