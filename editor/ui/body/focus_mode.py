"""Focus mode: full screen with only the body, the current paragraph bright, the rest dimmed.

Dimming uses the editor's extra selections, which are never part of the document, so
nothing of it is saved or undone. Typewriter scrolling keeps the cursor line centred.
The window's panels are hidden on entry and put back exactly as they were on leaving.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QMainWindow, QTextEdit, QWidget

from editor.ui.body.markdown_writer import continues

DIM_COLOUR = QColor(0, 0, 0, 70)


class FocusMode(QObject):
    """Turns focus mode on and off for `window`, whose body is `editor`.

    `action` (checkable) is the switch; Esc unchecks it. The window keeps every action of
    `actions` so their shortcuts work while the menu bar is hidden.
    """

    def __init__(self, window: QMainWindow, editor: QTextEdit, hidden: list[QWidget],
                 action: QAction, actions: list[QAction]) -> None:  # fmt: skip
        super().__init__(window)
        window.addActions(actions)
        self._action = action
        action.toggled.connect(lambda on: self.enter() if on else self.leave())
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        self._escape.setContext(Qt.ShortcutContext.WindowShortcut)
        self._escape.activated.connect(lambda: action.setChecked(False))
        self._escape.setEnabled(False)
        self._window = window
        self._editor = editor
        self._hidden = hidden
        self._was_visible: dict[QWidget, bool] = {}
        self._was_full_screen = False
        self.active = False
        self.typewriter = False
        editor.cursorPositionChanged.connect(self._update)

    def enter(self) -> None:
        if self.active:
            return
        self.active = True
        self._was_visible = {widget: widget.isVisible() for widget in self._hidden}
        for widget in self._hidden:
            widget.hide()
        self._escape.setEnabled(True)
        self._action.setChecked(True)
        self._was_full_screen = self._window.isFullScreen()
        self._window.showFullScreen()
        self._editor.setFocus()
        self._update()

    def leave(self) -> None:
        if not self.active:
            return
        self.active = False
        self._escape.setEnabled(False)
        self._action.setChecked(False)
        for widget, visible in self._was_visible.items():
            widget.setVisible(visible)
        if not self._was_full_screen:
            self._window.showNormal()
        self._editor.setExtraSelections(self._other_selections())

    def set_typewriter(self, on: bool) -> None:
        self.typewriter = on
        self._update()

    # -- dimming and scrolling -------------------------------------------------

    def _other_selections(self) -> list[QTextEdit.ExtraSelection]:
        return [s for s in self._editor.extraSelections() if not s.format.hasProperty(_MARK)]

    def _update(self) -> None:
        if not self.active:
            return
        cursor = self._editor.textCursor()
        document = self._editor.document()
        current = cursor.block()
        # A paragraph shown in pieces is lit as one paragraph.
        last = current
        while continues(current):
            current = current.previous()
        while continues(last.next()):
            last = last.next()
        dims: list[QTextEdit.ExtraSelection] = []
        fmt = QTextCharFormat()
        fmt.setForeground(DIM_COLOUR)
        fmt.setProperty(_MARK, True)
        after = last.position() + last.length()
        for start, end in ((0, current.position()), (after, document.characterCount())):
            if end - start <= 1:
                continue
            selection = QTextEdit.ExtraSelection()
            selection.cursor = QTextCursor(document)
            selection.cursor.setPosition(start)
            selection.cursor.setPosition(
                min(end, document.characterCount() - 1), QTextCursor.MoveMode.KeepAnchor
            )
            selection.format = fmt
            dims.append(selection)
        self._editor.setExtraSelections(self._other_selections() + dims)
        if self.typewriter:
            self._centre_cursor()

    def _centre_cursor(self) -> None:
        rect = self._editor.cursorRect()
        bar = self._editor.verticalScrollBar()
        offset = rect.center().y() - self._editor.viewport().height() // 2
        bar.setValue(bar.value() + offset)


#: A user property marking our own extra selections, so spell-check squiggles stay.
_MARK = QTextFormat.Property.UserProperty + 71
