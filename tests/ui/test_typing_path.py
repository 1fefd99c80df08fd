"""What keeps the GUI thread free while typing in a long article (bench_window_typing.py)."""

from __future__ import annotations

import gc

from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument

from editor.core.checks import Finding, Level
from editor.ui.body import markdown_bridge
from editor.ui.body.editor import BodyEditor
from editor.ui.checks.panel import BlockIndex, locate
from editor.ui.session.idle_gc import IdleCollector


def test_unchanged_markdown_is_served_again_and_any_change_is_seen(app, qtbot) -> None:
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.load_markdown("One **two** three.\n\nFour five.\n")
    first = markdown_bridge.document_to_markdown(editor.document())
    assert markdown_bridge.document_to_markdown(editor.document()) is first  # not re-read
    cursor = QTextCursor(editor.document().findBlockByNumber(1))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfWord, QTextCursor.MoveMode.KeepAnchor)
    italic = QTextCharFormat()
    italic.setFontItalic(True)
    cursor.mergeCharFormat(italic)  # a format change alone: no new revision
    assert markdown_bridge.document_to_markdown(editor.document()) == (
        "One **two** three.\n\n*Four* five.\n"
    )
    editor.undo()
    assert markdown_bridge.document_to_markdown(editor.document()) == first


def test_one_block_index_locates_like_a_walk_per_finding(app) -> None:
    document = QTextDocument()
    document.setPlainText("The Urus is a car.\nHe saw the the Aurus.\nThe Urus again.\nEnd.")
    findings = [
        Finding("names", Level.WARNING, "?", matched="Urus", paragraph=2,
                context="The Urus again.", context_start=4),
        Finding("doubled", Level.ERROR, "?", matched=" the", paragraph=1,
                context="He saw the **the** Aurus.", context_start=10),
        Finding("gone", Level.ERROR, "?", matched="Pongsan", paragraph=0, context="x"),
    ]  # fmt: skip
    index = BlockIndex(document)
    assert [index.locate(f) for f in findings] == [locate(document, f) for f in findings]
    assert index.locate(findings[0]) == (45, 49)  # the exact paragraph, not the first Urus
    assert index.locate(findings[2]) is None
    assert index.locate(findings[1]) == (29, 33)  # the look-alike paragraph
    assert index.ratios  # the look-alike's ratio is kept for the next check


def test_the_heap_is_frozen_after_an_open_and_released_on_close(make_window, newsroom, qtbot):
    article = newsroom.create_article(headline="Frozen", body="Text.\n")
    window = make_window()
    gc.unfreeze()
    window.open_article(article.id)
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=2000)
    assert isinstance(window.idle_gc, IdleCollector)
    window.idle_gc.collect_now()  # the idle pass: collected, then frozen again
    assert gc.get_freeze_count() > 0 and window.idle_gc.full_collections == 1
    window.close()
    assert gc.get_freeze_count() == 0
