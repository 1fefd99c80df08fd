"""Undo in two layers: the body's `QTextDocument` stack and a `QUndoStack` for the details.

Each edit of a detail (the headline and the inspector's fields) is a `FieldEdit` command;
consecutive edits of one field merge, so typing in a field is one step. `UndoRouter`
points Edit ▸ Undo/Redo at the layer the person is working in: the body while the cursor
is in it, the details while a detail field has focus, and otherwise (the list, the
preview, a toolbar) whichever of the two was edited last, as in a word processor whose
Undo always takes back the last thing typed.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from editor.core.fields import field_label
from editor.core.model import Article

_FIELD_EDIT_ID = 1001
_UNDO = QKeySequence.StandardKey.Undo
_REDO = QKeySequence.StandardKey.Redo


def field_values(article: Article | None) -> dict[str, object]:
    """The details as the inspector edits them (text), for the first undo of each field."""
    if article is None:
        return {}
    return {
        "headline": article.headline,
        "standfirst": article.standfirst,
        # A slug that follows the headline is "" to the person: undo must not pin it.
        "slug": article.slug if article.slug_locked else "",
        "byline": article.byline,
        "section": article.section,
        "tags": ", ".join(article.tags),
        "dateline": article.dateline,
        "story_date": article.story_date.isoformat() if article.story_date else "",
        "length_target": str(article.length_target or ""),
    }


class FieldEdit(QUndoCommand):
    """One field changed from `before` to `after`; merges with later edits of that field."""

    def __init__(self, history: MetadataHistory, name: str, before: object, after: object):
        super().__init__(f"{field_label(name)} Edit")
        self.name = name
        self._history = history
        self._before = before
        self._after = after
        self._done = True  # the field already shows `after`: the first redo has nothing to do

    def id(self) -> int:
        return _FIELD_EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, FieldEdit) or other.name != self.name:
            return False
        self._after = other._after
        self.setObsolete(self._after == self._before)  # typed back to where it was
        return True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._history.restore(self.name, self._after)

    def undo(self) -> None:
        self._history.restore(self.name, self._before)


class MetadataHistory(QObject):
    """The undo stack of one opened article's details; cleared when another opens."""

    #: (field name, value): undo or redo put a value back; show it and save it.
    value_restored = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = QUndoStack(self)
        self._values: dict[str, object] = {}

    def reset(self, article: Article | None) -> None:
        self.stack.clear()
        self._values = field_values(article)

    def record(self, name: str, value: object) -> None:
        """A person changed field `name` to `value`."""
        before = self._values.get(name, "")
        if before == value:
            return
        self._values[name] = value
        self.stack.push(FieldEdit(self, name, before, value))

    def note_saved(self, article: Article, pending: set[str]) -> None:
        """The store may have derived values (a slug): later undos start from them."""
        saved = field_values(article)
        for name in ("slug",):
            if name not in pending:
                self._values[name] = saved[name]

    def restore(self, name: str, value: object) -> None:
        self._values[name] = value
        self.value_restored.emit(name, value)


class UndoRouter(QObject):
    """Drives the Undo/Redo actions: the body's document or the details' stack."""

    def __init__(self, undo: QAction, redo: QAction, body: QTextEdit, history: MetadataHistory,
                 details: list[QWidget], parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._undo, self._redo = undo, redo
        self._body = body
        self._history = history
        self._details = details
        self._last_edited = "body"
        undo.triggered.connect(self.undo)
        redo.triggered.connect(self.redo)
        document = body.document()
        document.undoAvailable.connect(self._update)
        document.redoAvailable.connect(self._update)
        document.contentsChange.connect(lambda *_: self._note_edited("body"))
        stack = history.stack
        stack.indexChanged.connect(lambda _i: self._note_edited("details"))
        stack.cleanChanged.connect(self._update)
        stack.canUndoChanged.connect(self._update)
        stack.canRedoChanged.connect(self._update)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._update)  # a bound slot: gone with the router
        for root in details:
            for widget in (root, *root.findChildren(QLineEdit), *root.findChildren(QPlainTextEdit)):
                if isinstance(widget, QPlainTextEdit):
                    widget.setUndoRedoEnabled(False)  # its edits live on the shared stack
                widget.installEventFilter(self)
        self._update()

    def target(self) -> str:
        """ "body" or "details": where Undo acts now."""
        focus = QApplication.focusWidget()
        if focus is not None:
            if focus is self._body or self._body.isAncestorOf(focus):
                return "body"
            if any(focus is w or w.isAncestorOf(focus) for w in self._details):
                return "details"
        return self._last_edited

    def undo(self) -> None:
        if self.target() == "body":
            self._body.undo()
        else:
            self._history.stack.undo()
        self._update()

    def redo(self) -> None:
        if self.target() == "body":
            self._body.redo()
        else:
            self._history.stack.redo()
        self._update()

    def _note_edited(self, layer: str) -> None:
        self._last_edited = layer
        self._update()

    def _update(self, *_: object) -> None:
        # Focus moves while the window is being torn down, after the stack is gone.
        if not (shiboken6.isValid(self._history.stack) and shiboken6.isValid(self._body)):
            return
        if self.target() == "body":
            document = self._body.document()
            self._show(self._undo, "&Undo", document.isUndoAvailable(), "")
            self._show(self._redo, "&Redo", document.isRedoAvailable(), "")
        else:
            stack = self._history.stack
            self._show(self._undo, "&Undo", stack.canUndo(), stack.undoText())
            self._show(self._redo, "&Redo", stack.canRedo(), stack.redoText())

    @staticmethod
    def _show(action: QAction, verb: str, enabled: bool, what: str) -> None:
        action.setEnabled(enabled)
        action.setText(f"{verb} {what}" if what else verb)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Line edits keep a private undo history and claim Ctrl+Z for it; let the
        # window's Undo have the key so every detail edit shares one history.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (event.matches(_UNDO) or event.matches(_REDO))
        ):
            event.ignore()
            return True
        return super().eventFilter(watched, event)
