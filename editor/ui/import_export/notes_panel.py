"""Import notes in the inspector: what the importer moved out of the body, one click back.

Each note shows its kind ("Related link", "Masthead"...), its text and where it stood;
"Put Back" inserts it into the editor at that paragraph as one undo step, "Dismiss"
forgets it. The panel only asks (`put_back_requested`, `dismiss_requested`);
`apply_note_action` does it for a window, after saving what the person typed.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import (
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from editor.core.errors import NewsroomError
from editor.core.importers import notes as import_notes
from editor.core.importers.boilerplate import KIND_LABELS, REPORT_KINDS
from editor.core.model import Article
from editor.ui.body import markdown_bridge
from editor.ui.preview.scroll_sync import editor_block_starts

_PREVIEW_CHARS = 220
_PUT_BACK_HINT = "Insert this text into the body where it stood"
_DISMISS_HINT = "Forget this note; the body stays as it is"
_PARAGRAPH_GAP = re.compile(r"\n[ \t]*\n+")  # as `import_notes.paragraphs` splits


class ImportNotesPanel(QFrame):
    """The notes of one article; hidden when it has none."""

    put_back_requested = Signal(int)
    dismiss_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importNotes")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 8, 0, 0)
        self._layout.setSpacing(8)
        self.title = QLabel()
        self.title.setObjectName("importNotesTitle")
        self.title.setStyleSheet("font-weight: 600;")
        self.hint = QLabel("Moved out of the body when the file was imported.")
        self.hint.setStyleSheet("color: #6b7280;")
        self.hint.setWordWrap(True)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.hint)
        self.rows: list[QWidget] = []
        self.history = PutBackHistory(self)
        self._locked_because = ""  # why the story is read-only for this person ("" if not)
        self.show_article(None)

    def set_locked(self, locked: bool, notice: str = "") -> None:
        """Grey Put Back and Dismiss on a story this person may not change: both would
        change it, and the store would only refuse them later."""
        self._locked_because = (notice or "This story is read-only for you.") if locked else ""
        for row in self.rows:
            self._lock_buttons(row)

    def _lock_buttons(self, row: QWidget) -> None:
        hints = {"putBack": _PUT_BACK_HINT, "dismissNote": _DISMISS_HINT}
        for button in row.findChildren(QPushButton):
            button.setEnabled(not self._locked_because)
            button.setToolTip(self._locked_because or hints.get(button.objectName(), ""))

    def show_article(self, article: Article | None) -> None:
        for row in self.rows:
            self._layout.removeWidget(row)
            row.deleteLater()
        self.rows = []
        notes = article.import_notes if article is not None else []
        self.setVisible(bool(notes))
        self.title.setText(f"Import notes ({len(notes)})")
        for index, note in enumerate(notes):
            row = self._row(index, note)
            self._layout.addWidget(row)
            self.rows.append(row)

    def _row(self, index: int, note: dict) -> QWidget:
        row = QFrame()
        row.setObjectName("importNote")
        row.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(row)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        kind = str(note.get("kind", ""))
        position = note.get("position")
        where = "" if position is None else f" · before paragraph {int(position) + 1}"
        label = QLabel(f"{KIND_LABELS.get(kind, kind.capitalize())}{where}")
        label.setStyleSheet("color: #6b7280; font-size: 11px;")
        text = str(note.get("text", ""))
        shown = text if len(text) <= _PREVIEW_CHARS else text[:_PREVIEW_CHARS].rstrip() + "…"
        body = QLabel(shown)
        body.setObjectName("importNoteText")
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.PlainText)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.setToolTip(text if len(text) > _PREVIEW_CHARS else "")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        if position is not None and kind not in REPORT_KINDS:  # a report holds no story text
            put_back = QPushButton("Put Back")
            put_back.setObjectName("putBack")
            put_back.setToolTip(_PUT_BACK_HINT)
            put_back.clicked.connect(lambda: self.put_back_requested.emit(index))
            buttons.addWidget(put_back)
        dismiss = QPushButton("Dismiss")
        dismiss.setObjectName("dismissNote")
        dismiss.setToolTip(_DISMISS_HINT)
        dismiss.clicked.connect(lambda: self.dismiss_requested.emit(index))
        buttons.addWidget(dismiss)
        layout.addWidget(label)
        layout.addWidget(body)
        layout.addLayout(buttons)
        self._lock_buttons(row)
        return row


class _PutBack:
    """One put back: the notes before and after it, and the undo steps there were before."""

    def __init__(self, document: QTextDocument, base: int, before: list[dict],
                 after: list[dict]) -> None:  # fmt: skip
        self.document = document
        self.base = base
        self.before = before
        self.after = after
        self.done = True


class PutBackHistory(QObject):
    """The notes follow the body's Undo and Redo: undoing a put back brings the note back
    into the list (where it stood, the later notes' paragraphs as before), redoing it
    drops the note again.

    A put back is one undo step of the editor's document, made when it had `base` undo
    steps: while it has more, the put back is in the body. A record is dropped when its
    step can no longer come back: a new edit after undoing it, or a cleared history
    (another article, or the same one loaded again).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = None
        self._records: list[_PutBack] = []
        self._watched: list[QTextDocument] = []

    def undo_steps(self, document: QTextDocument) -> int:
        """Call before the put back edits `document`: what `record` needs."""
        return document.availableUndoSteps()

    def record(self, window, document: QTextDocument, base: int, before: list[dict],
               after: list[dict]) -> None:  # fmt: skip
        self._window = window
        self._records.append(_PutBack(document, base, before, after))
        if not any(watched is document for watched in self._watched):
            self._watched.append(document)
            document.contentsChanged.connect(lambda d=document: self._follow(d))
            document.undoCommandAdded.connect(lambda d=document: self._forget_undone(d))

    def _forget_undone(self, document: QTextDocument) -> None:
        # A new edit: the redo history is gone, and with it every undone put back.
        self._records = [r for r in self._records if r.document is not document or r.done]

    def _follow(self, document: QTextDocument) -> None:
        mine = [r for r in self._records if r.document is document]
        if not mine:
            return
        steps = document.availableUndoSteps()
        if steps == 0 and document.availableRedoSteps() == 0:
            # The history is cleared (another article, a reload): nothing to follow.
            self._records = [r for r in self._records if r.document is not document]
            return
        changed: _PutBack | None = None
        undone = False
        for record in mine:
            if record.done and steps <= record.base:
                record.done, changed, undone = False, record, True
            elif not record.done and steps > record.base:
                record.done, changed, undone = True, record, False
        if changed is None:
            return
        if undone:
            # Several undone at once: the notes as they were before the earliest of them.
            changed = min((r for r in mine if not r.done), key=lambda r: r.base)
            notes = changed.before
        else:
            changed = max((r for r in mine if r.done), key=lambda r: r.base)
            notes = changed.after
        self._show(notes)

    def _show(self, notes: list[dict]) -> None:
        window = self._window
        if window is None:
            return
        session = window.session
        if session.article is None:
            return
        session.note_field_edited("import_notes", [dict(note) for note in notes])
        snapshot = session.snapshot()
        parent = self.parent()
        if isinstance(parent, ImportNotesPanel) and snapshot is not None:
            parent.show_article(snapshot)


def apply_note_action(window, action: str, index: int) -> bool:
    """Put back (`action="put_back"`) or dismiss note `index` of the window's article.

    Saves what the person typed first. Dismiss writes through `Newsroom`. Put Back inserts
    the text into the editor at the note's paragraph as one undo step (Ctrl+Z takes it out
    again) and drops the note through the session's ordinary save. False when refused.
    """
    from editor.ui import dialogs

    session = window.session
    if session.article is None or not session.save():
        return False
    article = session.article
    if action == "put_back" and not window.body_stack.editor().isReadOnly():
        return _put_back_in_editor(window, index)
    method = (
        window.newsroom.put_back_import_note  # a locked article: the store says if it may
        if action == "put_back"
        else window.newsroom.dismiss_import_note
    )
    try:
        updated = method(article.id, index, expected_version=article.version)
    except NewsroomError as error:
        dialogs.show_error(window, "Import Notes", str(error))
        return False
    if session.close_article():
        window.open_article(updated.id)
    window.bus.article_saved.emit(updated)
    return True


def _put_back_in_editor(window, index: int) -> bool:
    from editor.ui import dialogs

    session = window.session
    stack = window.body_stack
    body = stack.markdown()
    try:
        _new_body, remaining = import_notes.put_back(body, session.article.import_notes, index)
    except NewsroomError as error:
        dialogs.show_error(window, "Import Notes", str(error))
        return False
    note = session.article.import_notes[index]
    where = min(int(note["position"]), len(import_notes.paragraphs(body)))
    text = str(note["text"]).strip("\n")
    document = stack.editor().document()
    base = window.inspector.import_notes.history.undo_steps(document)
    if stack.source_mode:
        editor = stack.source
        span = insert_markdown_paragraph_in_source(editor, text, where)
    else:
        editor = stack.rich
        span = insert_markdown_paragraph(editor, text, where)
    panel = window.inspector.import_notes
    panel.history.record(window, document, base, list(session.article.import_notes), remaining)
    session.note_field_edited("import_notes", remaining)
    if not session.save():
        return False
    panel.show_article(session.article)
    cursor = editor.textCursor()
    cursor.setPosition(span[0])
    cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    editor.ensureCursorVisible()
    editor.setFocus()  # Ctrl+Z acts on the body, where the text went
    window.status.showMessage("Put back; Ctrl+Z removes the text again.", 8000)
    return True


def insert_markdown_paragraph(editor: QTextEdit, markdown_text: str, where: int) -> tuple[int, int]:
    """Insert `markdown_text` (a paragraph or more) before top-level block `where` of the
    rich editor's document (at the end when there is none), as one undo step.

    Returns the document span of the inserted text.
    """
    document = editor.document()
    source = QTextDocument()
    markdown_bridge.load_markdown(source, markdown_text)
    whole = QTextCursor(source)
    whole.select(QTextCursor.SelectionType.Document)
    fragment = QTextDocumentFragment(whole)
    starts = editor_block_starts(document)
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    try:
        if where < len(starts):
            block = document.findBlockByNumber(starts[where])
            table = QTextCursor(block).currentTable()
            if table is not None:
                cursor.setPosition(table.firstPosition() - 1)  # the block before the table
                if cursor.block().text():
                    cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            else:
                cursor.setPosition(block.position())
                cursor.insertBlock()
                cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
                _make_plain(cursor)
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End)
            if cursor.block().text() or cursor.currentTable() is not None:
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            _make_plain(cursor)
        start = cursor.position()
        rhythm = QTextBlockFormat()  # the editor's line height (see BodyEditor)
        rhythm.setLineHeight(
            cursor.blockFormat().lineHeight(), cursor.blockFormat().lineHeightType()
        )
        cursor.insertFragment(fragment)
        end = cursor.position()
        cursor.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
        if rhythm.lineHeight():
            cursor.mergeBlockFormat(rhythm)
    finally:
        cursor.endEditBlock()
    return start, end


def _make_plain(cursor: QTextCursor) -> None:
    """The (empty) block at `cursor` becomes a plain paragraph: no list, quote or heading."""
    text_list = cursor.currentList()
    if text_list is not None:
        text_list.remove(cursor.block())
    block_format = QTextBlockFormat()
    block_format.setLineHeight(
        cursor.blockFormat().lineHeight(), cursor.blockFormat().lineHeightType()
    )
    cursor.setBlockFormat(block_format)
    cursor.setBlockCharFormat(QTextCharFormat())
    cursor.setCharFormat(QTextCharFormat())


def insert_markdown_paragraph_in_source(
    editor: QPlainTextEdit, markdown_text: str, where: int
) -> tuple[int, int]:
    """The same in the Markdown source: the text and a blank line, before paragraph `where`."""
    text = editor.toPlainText()
    starts = [len(text) - len(text.lstrip("\n"))] if text.strip() else []
    starts += [m.end() for m in _PARAGRAPH_GAP.finditer(text.rstrip("\n"))]
    cursor = QTextCursor(editor.document())
    cursor.beginEditBlock()
    if where < len(starts):
        cursor.setPosition(starts[where])
        start = cursor.position()
        cursor.insertText(markdown_text + "\n\n")
        end = start + len(markdown_text)
    else:
        cursor.movePosition(QTextCursor.MoveOperation.End)
        tail = len(text) - len(text.rstrip("\n"))
        cursor.insertText("\n" * max(0, 2 - tail) if text.strip() else "")
        start = cursor.position()
        cursor.insertText(markdown_text + "\n")
        end = start + len(markdown_text)
    cursor.endEditBlock()
    return start, end
