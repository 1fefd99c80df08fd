"""Spell check in the window: the squiggles, the View menu switch and the context menu.

Suggestions replace the word as one undo step; "Add to Dictionary" puts it in the
newsroom dictionary in the store (for everyone); "Ignore" accepts it while this
article stays open.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QFont, QTextCursor
from PySide6.QtWidgets import QMenu, QWidget

from editor.core.errors import NewsroomError
from editor.core.spelling import SpellChecker
from editor.ui.body.editor import BodyEditor
from editor.ui.body.source import SourceEditor
from editor.ui.body.spell_highlighter import SpellHighlighter

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom


class SpellingController(QObject):
    """Owns the checker and the highlighter of one editor."""

    #: A message for the status bar (e.g. the store refused a dictionary word).
    message = Signal(str)

    def __init__(
        self, newsroom: Newsroom, editor: BodyEditor, toggle: QAction | None = None,
        parent: QObject | None = None, *, enabled: bool = True,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._newsroom = newsroom
        self._editor = editor
        try:
            words = newsroom.dictionary_words()
        except NewsroomError:
            words = []  # the words come back with the next start; checking goes on
        self.checker = SpellChecker(words)
        self.highlighter = SpellHighlighter(editor, self.checker)
        #: The Markdown source editor's highlighter, once `attach_source` gave one.
        self.source_highlighter: SpellHighlighter | None = None
        editor.add_context_menu_provider(self.extend_menu)
        self.set_enabled(enabled)  # the person's preference, kept between runs
        if toggle is not None:
            toggle.setChecked(enabled)
            toggle.toggled.connect(self.set_enabled)

    def set_enabled(self, enabled: bool) -> None:
        for highlighter in self._highlighters():
            highlighter.set_enabled(enabled)

    def attach_source(self, source: SourceEditor) -> None:
        """Check the Markdown source editor too, with the same checker and word cache."""
        highlighter = source.use_spell_checker(self.checker)
        highlighter.set_enabled(self.highlighter.enabled)
        self.source_highlighter = highlighter
        source.add_context_menu_provider(
            lambda menu, cursor: self.extend_menu(menu, cursor, source, highlighter)
        )

    def _highlighters(self) -> list[SpellHighlighter]:
        return [h for h in (self.highlighter, self.source_highlighter) if h is not None]

    def article_opened(self, _article: object = None) -> None:
        """Words ignored belong to the article they were ignored in."""
        self.checker.clear_ignored()

    # -- the context menu --------------------------------------------------

    def extend_menu(self, menu: QMenu, cursor: QTextCursor, editor: QWidget | None = None,
                    highlighter: SpellHighlighter | None = None) -> None:  # fmt: skip
        editor = editor or self._editor
        if editor.isReadOnly():
            return
        found = (highlighter or self.highlighter).misspelled_at(cursor)
        if found is None:
            return
        start, end, word = found
        first = menu.actions()[0] if menu.actions() else None
        entries: list[QAction] = []
        for suggestion in self.checker.suggestions(word):
            action = QAction(suggestion, menu)
            bold = QFont(action.font())
            bold.setBold(True)
            action.setFont(bold)
            action.triggered.connect(
                partial(self.replace, start, end, word, suggestion, editor=editor)
            )
            entries.append(action)
        if not entries:
            none = QAction("No suggestions", menu)
            none.setEnabled(False)
            entries.append(none)
        add = QAction(f"Add “{word}” to Dictionary", menu)
        add.setObjectName("spellAddToDictionary")
        add.triggered.connect(partial(self.add_to_dictionary, word))
        ignore = QAction(f"Ignore “{word}”", menu)
        ignore.setObjectName("spellIgnore")
        ignore.setToolTip("Accept it while this article is open")
        ignore.triggered.connect(partial(self.ignore, word))
        for action in entries:
            menu.insertAction(first, action)
        menu.insertSeparator(first)
        menu.insertAction(first, add)
        menu.insertAction(first, ignore)
        if first is not None:
            menu.insertSeparator(first)

    def replace(self, start: int, end: int, word: str, replacement: str, *,
                editor: QWidget | None = None) -> bool:  # fmt: skip
        """Put `replacement` where `word` still stands; False when the text moved on."""
        editor = editor or self._editor
        cursor = QTextCursor(editor.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        if cursor.selectedText() != word:
            return False
        cursor.insertText(replacement)  # keeps the word's formatting; one undo step
        editor.setTextCursor(cursor)
        return True

    def add_to_dictionary(self, word: str) -> bool:
        try:
            added = self._newsroom.add_dictionary_word(word)
        except NewsroomError as error:
            self.message.emit(str(error))
            return False
        self.checker.add_word(added)
        for highlighter in self._highlighters():
            highlighter.recheck_word(added)
        self.message.emit(f"Added “{added}” to the newsroom dictionary.")
        return True

    def ignore(self, word: str) -> None:
        self.checker.ignore(word)
        for highlighter in self._highlighters():
            highlighter.recheck_word(word)
