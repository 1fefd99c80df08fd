"""A huge paragraph (a pasted book, an import of one long line) in the rich editor.

Qt lays a whole block out again on every keystroke, so such a paragraph is shown as
several blocks ("pieces", `markdown_bridge.split_long_blocks`) that the writer joins again.
These tests hold what that must never change: the stored Markdown is exactly what one
block would give, and editing at a seam (Enter, Backspace, Delete, paste, copy, undo)
does what the person sees. Most use small limits (a piece of ~60 characters) so that a
short text has many seams; one loads a real 1 MB paragraph at the shipped limits.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtTest import QTest

from editor.ui.body import markdown_bridge
from editor.ui.body.editor import BodyEditor
from editor.ui.body.markdown_writer import (
    PARAGRAPH_CONTINUES,
    continues,
    document_to_markdown,
    new_piece_id,
)
from editor.ui.body.source import SourceEditor
from editor.ui.body.stack import BodyStack
from editor.ui.preview.scroll_sync import editor_block_starts

WORDS = (
    "the council said on Tuesday that a new bridge would open in spring after years of "
    "delay and cost overruns while residents waited"
).split()


def prose(characters: int, seed: int = 1) -> str:
    """Sentences of plain words, about `characters` long, as one paragraph."""
    rng = random.Random(seed)
    sentences: list[str] = []
    size = 0
    while size < characters:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18)))
        sentence = sentence.capitalize() + "."
        sentences.append(sentence)
        size += len(sentence) + 1
    return " ".join(sentences)


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paragraphs over 120 characters are cut into pieces of about 60."""
    monkeypatch.setattr(markdown_bridge, "SPLIT_ABOVE", 120)
    monkeypatch.setattr(markdown_bridge, "PIECE_CHARS", 60)


def pieces_of(document: QTextDocument) -> list[int]:
    """Block numbers of the blocks that continue the block before them."""
    found = []
    block = document.begin()
    while block.isValid():
        if continues(block):
            found.append(block.blockNumber())
        block = block.next()
    return found


def unsplit(markdown: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """What the writer gives for `markdown` loaded without any cut."""
    with monkeypatch.context() as patch:
        patch.setattr(markdown_bridge, "SPLIT_ABOVE", 10**9)
        document = QTextDocument()
        markdown_bridge.load_markdown(document, markdown)
        assert not pieces_of(document)
        return document_to_markdown(document)


# -- loading and writing -----------------------------------------------------------


def test_a_megabyte_paragraph_is_shown_in_pieces_and_written_back_byte_for_byte(editor):
    body = prose(1_000_000) + "\n"
    editor.load_markdown(body)
    document = editor.document()
    assert document.blockCount() > 100
    longest = max(document.findBlockByNumber(n).length() for n in range(document.blockCount()))
    assert longest <= markdown_bridge.SPLIT_ABOVE + 1
    assert len(pieces_of(document)) == document.blockCount() - 1
    assert editor.markdown() == body
    # Nothing between the pieces: they read as one paragraph.
    second = document.findBlockByNumber(1)
    assert second.blockFormat().topMargin() == 0
    assert document.begin().blockFormat().bottomMargin() == 0
    assert document.lastBlock().blockFormat().bottomMargin() == markdown_bridge.PARAGRAPH_MARGIN


def test_cuts_go_after_a_sentence_and_never_inside_a_word(small_pieces, editor):
    body = prose(2_000, seed=3) + "\n"
    editor.load_markdown(body)
    document = editor.document()
    block = document.begin()
    while block.next().isValid():
        assert block.text().endswith(" "), block.text()
        assert not block.next().text().startswith(" ")
        block = block.next()
    sentence_ends = sum(
        document.findBlockByNumber(n).text().endswith(". ") for n in range(document.blockCount())
    )
    assert sentence_ends >= (document.blockCount() - 1) // 2


@pytest.mark.parametrize(
    "paragraph",
    [
        "Some **bold words that run on and on across what will be a seam of the "
        "paragraph** and *italic text that also runs long enough to cross a cut* "
        "with `code spans`, [a link that is long enough](https://example.com/a) and "
        "a footnote[^note] reference, then <del>struck</del> words and an escaped \\* star.",
        "Line one of a paragraph with hard breaks  \nline two is here and it is long "
        "enough to be cut somewhere  \nline three | with a pipe | that must stay as it was "
        "written before the cut was made in the paragraph.",
        "> A quoted paragraph that is long enough to be cut in several pieces by the "
        "loader, and written back with its quote marker once, as one line of Markdown.",
        "- item\n\n    A further paragraph of the list item, long enough to be cut in "
        "pieces, which must stay indented under its item when written back again.",
    ],
)
def test_a_cut_paragraph_is_written_as_the_whole_one(small_pieces, monkeypatch, paragraph):
    body = f"Before.\n\n{paragraph}\n\nAfter.\n"
    document = QTextDocument()
    markdown_bridge.load_markdown(document, body)
    assert pieces_of(document), "the paragraph should have been cut"
    assert document_to_markdown(document) == unsplit(body, monkeypatch)


_RUN = st.tuples(
    st.text(alphabet="abc de[]^*_|`\\<&", min_size=1, max_size=12),
    st.sampled_from(["", "**", "*", "`", "link"]),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(runs=st.lists(_RUN, min_size=1, max_size=14), cuts=st.lists(st.integers(1, 400)))
def test_cuts_anywhere_even_inside_a_span_change_nothing_written(qapp, runs, cuts):
    parts = []
    for text, mark in runs:
        words = " ".join(text.split()) or "x"
        if mark == "link":
            parts.append(f"[{words}](https://example.com)")
        elif mark == "`":
            parts.append(f"`{words.replace('`', '')}`" if words.replace("`", "") else words)
        elif mark:
            parts.append(f"{mark}{words.strip()}{mark}" if words.strip() else words)
        else:
            parts.append(words)
    body = "Start " + " ".join(parts) + " end.\n"
    document = QTextDocument()
    markdown_bridge.load_markdown(document, body)
    if document.blockCount() != 1:
        return  # the text made a structure of its own (a list, a heading): not this test
    whole = document_to_markdown(document)
    length = document.begin().length() - 1
    cursor = QTextCursor(document)
    for cut in sorted({c for c in cuts if c < length}, reverse=True):
        piece = document.begin().blockFormat()
        piece.setProperty(PARAGRAPH_CONTINUES, new_piece_id())
        cursor.setPosition(cut)
        cursor.insertBlock(piece, cursor.charFormat())
    assert document_to_markdown(document) == whole


# -- editing at a seam ---------------------------------------------------------------


def _seam(editor: BodyEditor, number: int = 2) -> QTextCursor:
    """A cursor at the start of piece `number` of the first paragraph."""
    block = editor.document().findBlockByNumber(number)
    assert continues(block)
    cursor = QTextCursor(block)
    editor.setTextCursor(cursor)
    return cursor


def test_enter_in_a_piece_makes_a_real_paragraph(small_pieces, editor):
    body = prose(600, seed=5) + "\n"
    editor.load_markdown(body)
    block = editor.document().findBlockByNumber(2)
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + 10)
    editor.setTextCursor(cursor)
    split_at = len("".join(editor.document().findBlockByNumber(n).text() for n in range(2))) + 10
    QTest.keyClick(editor, Qt.Key.Key_Return)
    new_block = editor.textCursor().block()
    assert not continues(new_block)
    assert not new_block.blockFormat().intProperty(PARAGRAPH_CONTINUES)
    assert continues(new_block.previous())  # the part before stays in its paragraph
    assert continues(new_block.next())  # and the rest of the paragraph follows the new one
    assert new_block.blockFormat().topMargin() == markdown_bridge.PARAGRAPH_MARGIN
    before, after = body[:split_at].rstrip(), body[split_at:]
    assert editor.markdown() == before + "\n\n" + after
    editor.undo()
    assert editor.markdown() == body


def test_backspace_at_a_seam_deletes_the_character_before_it(small_pieces, editor):
    body = prose(600, seed=6) + "\n"
    editor.load_markdown(body)
    cursor = _seam(editor)
    at = len("".join(editor.document().findBlockByNumber(n).text() for n in range(2)))
    blocks = editor.document().blockCount()
    QTest.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.markdown() == body[: at - 1] + body[at:]
    assert editor.document().blockCount() == blocks  # the seam stays where it was
    QTest.keyClick(editor, "x")
    assert editor.markdown() == body[: at - 1] + "x" + body[at:]
    assert cursor.block().blockNumber() == 2


def test_delete_at_the_end_of_a_piece_deletes_the_character_after_the_seam(small_pieces, editor):
    body = prose(600, seed=7) + "\n"
    editor.load_markdown(body)
    block = editor.document().findBlockByNumber(1)
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    at = len("".join(editor.document().findBlockByNumber(n).text() for n in range(2)))
    QTest.keyClick(editor, Qt.Key.Key_Delete)
    assert editor.markdown() == body[:at] + body[at + 1 :]


def test_typing_past_the_limit_cuts_the_piece_in_the_same_undo_step(small_pieces, editor):
    body = prose(600, seed=8) + "\n"
    editor.load_markdown(body)
    blocks = editor.document().blockCount()
    cursor = _seam(editor)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    at = len("".join(editor.document().findBlockByNumber(n).text() for n in range(3)))
    typed = "more words " * 10
    QTest.keyClicks(editor, typed)
    assert editor.document().blockCount() > blocks
    assert all(
        editor.document().findBlockByNumber(n).length() <= markdown_bridge.SPLIT_ABOVE + 1
        for n in range(editor.document().blockCount())
    )
    assert editor.markdown() == body[:at] + typed + body[at:]
    while editor.document().availableUndoSteps():
        editor.undo()
    assert editor.markdown() == body


def test_a_huge_plain_paste_goes_in_as_pieces_and_undoes_in_one_step(editor):
    editor.load_markdown("Before.\n\nAfter.\n")
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    pasted = prose(300_000, seed=9)
    data = QMimeData()
    data.setText("\n" + pasted)
    editor.insertFromMimeData(data)
    document = editor.document()
    assert document.blockCount() > 50
    assert editor.markdown() == "Before.\n\nAfter.\n\n" + pasted + "\n"
    editor.undo()
    assert editor.markdown() == "Before.\n\nAfter.\n"
    editor.redo()
    assert editor.markdown() == "Before.\n\nAfter.\n\n" + pasted + "\n"


def test_a_plain_paste_of_lines_into_a_piece_makes_paragraphs(small_pieces, editor):
    body = prose(600, seed=10) + "\n"
    editor.load_markdown(body)
    cursor = _seam(editor)
    at = cursor.position() - 2  # the seam's offset in the text (two blocks before it)
    data = QMimeData()
    data.setText("one\ntwo\nthree ")
    editor.insertFromMimeData(data)
    written = editor.markdown()
    assert written == body[:at] + "one\n\ntwo\n\nthree " + body[at:]


def test_a_huge_html_paste_is_cut_too(editor):
    editor.load_markdown("Before.\n")
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    pasted = prose(100_000, seed=11)
    data = QMimeData()
    data.setHtml(f"<p>{pasted}</p>")
    editor.insertFromMimeData(data)
    assert editor.document().blockCount() > 10
    assert editor.markdown() == "Before." + pasted + "\n"
    assert (
        max(
            editor.document().findBlockByNumber(n).length()
            for n in range(editor.document().blockCount())
        )
        <= markdown_bridge.SPLIT_ABOVE + 1
    )


def test_a_copy_across_seams_is_one_paragraph_and_pastes_back_as_one(small_pieces, editor):
    body = prose(600, seed=12) + "\n"
    editor.load_markdown(body)
    cursor = editor.textCursor()
    cursor.select(QTextCursor.SelectionType.Document)
    editor.setTextCursor(cursor)
    data = editor.createMimeDataFromSelection()
    assert data.text() == body.rstrip("\n")
    assert "\u2029" not in data.text() and "\n" not in data.text()
    editor.load_markdown("")
    editor.insertFromMimeData(data)
    assert editor.markdown() == body
    assert pieces_of(editor.document())


def test_a_selection_inside_one_piece_copies_as_before(small_pieces, editor):
    editor.load_markdown(prose(600, seed=13) + "\n")
    cursor = QTextCursor(editor.document().findBlockByNumber(1))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    assert editor.createMimeDataFromSelection().text() == cursor.selectedText()


# -- the views around the editor -------------------------------------------------------


def test_scroll_sync_counts_a_paragraph_in_pieces_as_one_block(small_pieces, editor):
    editor.load_markdown("First.\n\n" + prose(600, seed=14) + "\n\nLast.\n")
    document = editor.document()
    assert document.blockCount() > 4
    assert editor_block_starts(document) == [0, 1, document.blockCount() - 1]


def test_source_mode_finds_the_cursor_in_a_later_piece_and_back(small_pieces, qtbot):
    rich = BodyEditor()
    stack = BodyStack(rich, SourceEditor())
    qtbot.addWidget(stack)
    stack.resize(700, 500)
    stack.show()
    paragraph = prose(600, seed=15)
    stack.load_markdown("Intro.\n\n" + paragraph + "\n")
    block = rich.document().findBlockByNumber(4)
    assert continues(block)
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + 5)
    rich.setTextCursor(cursor)
    offset = len("".join(rich.document().findBlockByNumber(n).text() for n in range(1, 4))) + 5
    stack.set_source_mode(True)
    source_cursor = stack.source.textCursor()
    assert source_cursor.blockNumber() == 2
    assert source_cursor.positionInBlock() == offset
    stack.set_source_mode(False)
    assert rich.textCursor().position() == cursor.position()
    assert rich.markdown() == "Intro.\n\n" + paragraph + "\n"


def test_the_spell_checker_sees_the_words_of_every_piece(small_pieces, editor):
    from editor.core.spelling import SpellChecker
    from editor.ui.body.spell_highlighter import SpellHighlighter

    checker = SpellChecker()
    checker.word_list.load()
    highlighter = SpellHighlighter(editor, checker)
    editor.load_markdown(prose(600, seed=16) + " Zorblaxian.\n")
    highlighter.recheck_all()
    for _ in range(200):
        if not highlighter.busy:
            break
        QTest.qWait(10)
    last = editor.document().lastBlock()
    formats = last.layout().formats()
    assert any(
        f.format.underlineStyle() == f.format.UnderlineStyle.SpellCheckUnderline for f in formats
    )


def _stack(qtbot) -> BodyStack:
    stack = BodyStack(BodyEditor(), SourceEditor())
    qtbot.addWidget(stack)
    stack.resize(700, 500)
    stack.show()
    return stack


def test_the_source_view_is_refused_for_a_line_it_would_freeze_on(qtbot, monkeypatch):
    from editor.ui.body import stack as stack_module

    monkeypatch.setattr(stack_module, "SOURCE_LINE_LIMIT", 500)
    stack = _stack(qtbot)
    body = "Intro.\n\n" + prose(2_000, seed=17) + "\n"
    stack.load_markdown(body)
    refused: list[str] = []
    modes: list[bool] = []
    stack.source_refused.connect(refused.append)
    stack.mode_changed.connect(modes.append)
    stack.set_source_mode(True)
    assert not stack.source_mode and stack.currentWidget() is stack.rich
    assert refused and "characters" in refused[0] and modes == []
    assert stack.markdown() == body


def test_an_article_with_a_long_line_opened_in_source_mode_shows_the_formatted_view(
    qtbot, monkeypatch
):
    from editor.ui.body import stack as stack_module

    monkeypatch.setattr(stack_module, "SOURCE_LINE_LIMIT", 500)
    stack = _stack(qtbot)
    stack.load_markdown("Short.\n")
    stack.set_source_mode(True)
    assert stack.source_mode
    modes: list[bool] = []
    stack.mode_changed.connect(modes.append)
    body = prose(2_000, seed=18) + "\n"
    stack.load_markdown(body)
    assert not stack.source_mode and modes == [False]
    assert stack.markdown() == body


def test_a_huge_paste_in_the_source_view_goes_into_the_formatted_view(
    small_pieces, qtbot, monkeypatch
):
    from editor.ui.body import source as source_module

    monkeypatch.setattr(source_module, "SOURCE_LINE_LIMIT", 500)
    stack = _stack(qtbot)
    stack.load_markdown("Before.\n\nAfter.\n")
    stack.set_source_mode(True)
    cursor = stack.source.textCursor()
    cursor.setPosition(len("Before.\n\n"))
    stack.source.setTextCursor(cursor)
    pasted = "**Bold** " + prose(2_000, seed=19) + "\n\n"
    data = QMimeData()
    data.setText(pasted)
    stack.source.insertFromMimeData(data)
    assert not stack.source_mode
    assert stack.markdown() == "Before.\n\n" + pasted + "After.\n"
    assert pieces_of(stack.rich.document())
    assert stack.rich.textCursor().block().text().startswith("After")
    stack.rich.undo()
    assert stack.markdown() == "Before.\n\nAfter.\n"


def test_find_and_replace_see_across_a_seam(small_pieces, editor):
    from editor.ui.body.find_bar import FindBar

    body = prose(600, seed=20) + "\n"
    editor.load_markdown(body)
    seam = editor.document().findBlockByNumber(2)
    before = editor.document().findBlockByNumber(1).text().split()[-1]
    after = seam.text().split()[0]
    phrase = f"{before} {after}"
    bar = FindBar(editor)
    bar.find_field.setText(phrase)
    matches = bar._matches()
    across = [m for m in matches if m[0] < seam.position() < m[1]]
    assert across, "the phrase over the seam is found"
    start, end = across[0]
    cursor = QTextCursor(editor.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText().replace("\u2029", "") == phrase
    bar.replace_field.setText("JOINED")
    count = bar.replace_all()
    assert count == len(matches)
    assert editor.markdown() == body.replace(phrase, "JOINED")


def test_focus_mode_lights_the_whole_paragraph_in_pieces(small_pieces, editor, qtbot):
    from PySide6.QtWidgets import QMainWindow

    from editor.ui.body.focus_mode import FocusMode

    window = QMainWindow()
    qtbot.addWidget(window)
    editor.load_markdown("First.\n\n" + prose(600, seed=21) + "\n\nLast.\n")
    window.setCentralWidget(editor)
    from PySide6.QtGui import QAction

    focus = FocusMode(window, editor, [], QAction(window), [])
    editor.setTextCursor(QTextCursor(editor.document().findBlockByNumber(3)))
    focus.enter()
    dims = [s for s in editor.extraSelections() if s.format.foreground().color().alpha() == 70]
    document = editor.document()
    lit_from = document.findBlockByNumber(1).position()
    lit_to = document.lastBlock().position()
    assert [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in dims] == [
        (0, lit_from),
        (lit_to, document.characterCount() - 1),
    ]
    focus.leave()
