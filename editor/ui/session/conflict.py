"""Merge Both, in the window: the merged version goes into the editor as the person's edit.

When a stale save is settled with Merge Both (`editor.ui.conflict_dialog`), the editing
session takes their version as its new base and hands the merge to `put_merge_in_editor`:
the merged body replaces the text as one undoable edit of the body (the rich editor's
`replace_body`, or the Markdown source when that is shown), and each detail the merge
changed is set as an undoable detail edit (the headline field, the inspector). The
session then saves it with `expected_version` = theirs, so nobody's text is lost: their
changes and the person's are both in the saved version. The save is recorded as a merge
(`ConflictVersions.merged_sides`): the person's version as a revision on the one they
loaded, and a "merge" revision with their head as its second parent, as sync records its
merges, so the history keeps both sides and a later sync fast-forwards over it. Undo in
the text then brings back the person's own body as it was before the merge (and Undo in a
detail field each detail), ready to be saved again on purpose; until another article is
opened, since opening one starts the undo history afresh, as it always does.

`install_conflict_merge(window)` wires it (and the status-bar message) once.
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMainWindow, QPlainTextEdit, QTextEdit

from editor.ui.body.stack import replace_body
from editor.ui.body.undo import field_values
from editor.ui.conflict_dialog import ConflictVersions

#: How long the status bar shows that a merge was saved.
MERGED_MESSAGE_MS = 12_000


def install_conflict_merge(window: QMainWindow) -> None:
    """Let `window.session` put a merge in `window`'s editor, and say so when saved."""
    session = window.session  # type: ignore[attr-defined]
    session.apply_merge = lambda versions: put_merge_in_editor(window, versions)
    session.merged.connect(
        lambda text: window.status.showMessage(text, MERGED_MESSAGE_MS)  # type: ignore[attr-defined]
    )


def put_merge_in_editor(window: QMainWindow, versions: ConflictVersions) -> None:
    """Show the merged article in `window` as edits of the shown one (all undoable)."""
    merged = versions.merged_article()
    shown = field_values(versions.mine)
    wanted = field_values(merged)
    inspector = window.inspector  # type: ignore[attr-defined]
    for name, value in wanted.items():
        if value != shown.get(name):
            inspector.set_field_value(name, value)
            window.edit_field(name, value)  # type: ignore[attr-defined]
    if merged.body == versions.mine.body:
        return
    stack = window.body_stack  # type: ignore[attr-defined]
    editor = stack.source if stack.source_mode else stack.rich
    was = editor.textCursor()
    block, column = was.blockNumber(), was.positionInBlock()
    if stack.source_mode:
        cursor = QTextCursor(editor.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(merged.body.rstrip("\n"))
        cursor.endEditBlock()
    else:
        replace_body(editor, merged.body)
    _put_cursor(editor, block, column)


def _put_cursor(editor: QTextEdit | QPlainTextEdit, block: int, column: int) -> None:
    """The cursor back where the person was (the same paragraph and place in it, as far
    as the merged text still has them), not at the end of the replaced text."""
    found = editor.document().findBlockByNumber(block)
    if not found.isValid():
        found = editor.document().lastBlock()
    cursor = QTextCursor(found)
    cursor.setPosition(found.position() + min(column, max(0, found.length() - 1)))
    editor.setTextCursor(cursor)
    editor.ensureCursorVisible()
