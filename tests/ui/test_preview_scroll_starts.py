"""Scroll sync's count of top-level Markdown blocks in the editor: tables, lists, code, quotes."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

from editor.ui.body.editor import BodyEditor
from editor.ui.preview.scroll_sync import _kind, editor_block_starts

BODY = """# Heading

First paragraph.

| A | B |
|---|---|
| 1 | 2 |
| 3 | 4 |

- one
- two

> quoted
> still quoted

```
code line
more code
```

| C | D |
|---|---|
| 5 | 6 |

Last paragraph.
"""


def _one_by_one(document) -> list[int]:
    """The count as it was: one cursor per block to ask for its table."""
    starts, previous = [], None
    block = document.begin()
    while block.isValid():
        kind = _kind(block)
        if kind is not None:
            if kind == "paragraph" or kind != previous:
                starts.append(block.blockNumber())
            previous = kind
        block = block.next()
    return starts


def test_block_starts_count_tables_lists_code_and_quotes_as_one_block(qapp):
    editor = BodyEditor()
    editor.load_markdown(BODY)
    document = editor.document()
    starts = editor_block_starts(document)
    assert starts == _one_by_one(document)
    # heading, paragraph, table, list, quote, code, table, paragraph
    assert len(starts) == 8
    tables = [n for n in starts if QTextCursor(document.findBlockByNumber(n)).currentTable()]
    assert len(tables) == 2
    # An edit inside the second table keeps the count.
    cursor = QTextCursor(document.findBlockByNumber(tables[1]))
    cursor.insertText("x")
    assert editor_block_starts(document) == _one_by_one(document) == starts
