"""Red squiggles under unknown words, without ever making typing wait.

`SpellHighlighter.highlightBlock` only looks words up in the checker's per-word cache.
Words not in the cache yet are resolved by small timer-driven steps (at most a few
milliseconds each, so a keystroke never waits longer) that then re-highlight the
paragraphs concerned; the English word list itself loads on a worker thread. A freshly
loaded article is checked from the visible paragraph on, in the same small steps.
The word being typed is left alone until the cursor leaves it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QPoint, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextBlock, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

from editor.core.spelling import SpellChecker, checkable_words
from editor.ui.background import Background

#: Longest a step may run before giving the event loop back (keystrokes come first).
STEP_BUDGET_S = 0.004
#: A change inserting more than this many characters (a load, a big paste) is checked
#: in steps afterwards rather than paragraph by paragraph inside the change.
BULK_CHANGE_CHARS = 4000
SQUIGGLE = QColor("#d11a2a")


#: The word list starts loading at the editor's first paint, or this long after it was made.
LOAD_AT_THE_LATEST_MS = 1000


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines misspelled words of the editor's document; see the module docstring."""

    #: Emitted after a full pass over the document has finished.
    pass_finished = Signal()

    def __init__(self, editor: QTextEdit, checker: SpellChecker) -> None:
        super().__init__(editor)
        self._editor = editor
        self.checker = checker
        self._enabled = True
        self._resolving = False  # inside a step: unknown words may be looked up now
        self._bulk = False
        self._pending: list[QTextCursor] = []
        self._scan_next: int | None = None  # block number of a full pass, None: no pass
        self._scan_left = 0
        self._typing: QTextCursor | None = None
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(SQUIGGLE)
        self._steps = QTimer(self)
        self._steps.setSingleShot(True)
        self._steps.setInterval(0)
        self._steps.timeout.connect(self._step)
        document = editor.document()
        # Before the highlighter's own connection, so a bulk change is known as such.
        document.contentsChange.connect(self._note_change)
        self.setDocument(document)
        editor.cursorPositionChanged.connect(self._cursor_moved)
        self._load_started = False
        if not checker.word_list.loaded:
            # After the editor's first paint (0.27 s of CPU, holding the GIL, that the
            # window's start would otherwise share), or within a second if it is never
            # painted; a highlighter going away never waits for it (the shared pool).
            editor.viewport().installEventFilter(self)
            QTimer.singleShot(LOAD_AT_THE_LATEST_MS, self, self._load_word_list)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._load_started:
            QTimer.singleShot(0, self, self._load_word_list)
        return False

    def _load_word_list(self) -> None:
        if self._load_started:
            return
        self._load_started = True
        self._editor.viewport().removeEventFilter(self)
        if self.checker.word_list.loaded:
            self.recheck_all()
            return
        word_list = self.checker.word_list
        loading = Background(self, pool=QThreadPool.globalInstance())
        loading.run(lambda _job: word_list.load(), finished=self.recheck_all)

    # -- switching -------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        if enabled != self._enabled:
            self._enabled = enabled
            self.recheck_all()

    def recheck_all(self) -> None:
        """Check every paragraph again in steps, from the one at the top of the view."""
        self._pending.clear()
        count = self.document().blockCount() if self.document() else 0
        self._scan_next = self._first_visible_block() if count else None
        self._scan_left = count
        self._schedule()

    def recheck_word(self, word: str) -> None:
        """A word's verdict changed (added, ignored): re-highlight the paragraphs with it."""
        document = self.document()
        block = document.begin() if document else QTextBlock()
        while block.isValid():
            if word in block.text():
                self._pending.append(QTextCursor(block))
            block = block.next()
        self._schedule()

    @property
    def busy(self) -> bool:
        """Whether words or paragraphs are still waiting to be checked."""
        return self._bulk or bool(self._pending) or self._scan_next is not None or not self._ready()

    # -- highlighting ----------------------------------------------------

    def _note_change(self, _position: int, _removed: int, added: int) -> None:
        bulk = added > BULK_CHANGE_CHARS or bool(getattr(self._editor, "_loading", False))
        if bulk and not self._bulk:
            self._bulk = True
            # With the highlighter as context: a window closed meanwhile drops the call.
            QTimer.singleShot(0, self, self._end_bulk)

    def _end_bulk(self) -> None:
        if self._bulk:
            self._bulk = False
            self.recheck_all()

    def highlightBlock(self, text: str) -> None:
        if not self._enabled or self._bulk or not text:
            return
        checker = self.checker
        typing_end = self._typing_position()
        unknown = False
        for start, end, word in checkable_words(self.checked_text(text)):
            verdict = checker.cached(word)
            if verdict is None:
                if end == typing_end:
                    continue  # still being typed: judged when the cursor leaves it
                if not self._resolving:
                    unknown = True
                    continue
                verdict = checker.is_correct(word)
            if not verdict:
                self.underline(start, end - start)
        if unknown:
            self._pending.append(QTextCursor(self.currentBlock()))
            self._schedule()

    def checked_text(self, text: str) -> str:
        """The block's text with what is not prose blanked (same length); a subclass hook."""
        return text

    def underline(self, start: int, length: int) -> None:
        """Squiggle `length` characters from `start`; a subclass may merge other formats."""
        self.setFormat(start, length, self._format)

    def _typing_position(self) -> int:
        """Position in this block of the end of the word the cursor is typing, or -1."""
        cursor = self._editor.textCursor()
        if cursor.hasSelection() or cursor.block().position() != self.currentBlock().position():
            return -1
        self._typing = QTextCursor(cursor)
        return cursor.positionInBlock()

    def _cursor_moved(self) -> None:
        typing = self._typing
        if typing is None:
            return
        cursor = self._editor.textCursor()
        if (
            cursor.block().position() != typing.block().position()
            or abs(cursor.position() - typing.position()) > 1
        ):
            self._typing = None
            self._pending.append(typing)  # the word left behind gets its verdict
            self._schedule()

    # -- steps -----------------------------------------------------------

    def _ready(self) -> bool:
        return self.checker.word_list.loaded

    def _schedule(self) -> None:
        if self._ready() and not self._steps.isActive():
            self._steps.start()

    def _step(self) -> None:
        if not self._enabled and self._scan_next is None:
            self._pending.clear()
            return
        deadline = time.perf_counter() + STEP_BUDGET_S
        document = self.document()
        while time.perf_counter() < deadline:
            if self._pending:
                block = self._pending.pop().block()
                if block.isValid():
                    self._rehighlight(block)
            elif self._scan_next is not None:
                block = document.findBlockByNumber(self._scan_next)
                if not block.isValid():
                    block = document.begin()
                self._rehighlight(block)
                self._scan_left -= 1
                following = block.next()
                self._scan_next = following.blockNumber() if following.isValid() else 0
                if self._scan_left <= 0:
                    self._scan_next = None
                    self.pass_finished.emit()
            else:
                return
        self._steps.start()

    def _rehighlight(self, block: QTextBlock) -> None:
        # A highlighter's formatting makes QTextDocument emit contentsChanged, which the
        # editor would take for a person's edit (and autosave): keep it quiet.
        document = self.document()
        quiet = document.blockSignals(True)
        self._resolving = True
        try:
            self.rehighlightBlock(block)
        finally:
            self._resolving = False
            document.blockSignals(quiet)

    def _first_visible_block(self) -> int:
        return self._editor.cursorForPosition(QPoint(0, 0)).block().blockNumber()

    # -- what the context menu needs ---------------------------------------

    def _checked_block_text(self, block: QTextBlock) -> str:
        return self.checked_text(block.text())

    def misspelled_at(self, cursor: QTextCursor) -> tuple[int, int, str] | None:
        """(start, end, word) in the document of the misspelled word at `cursor`, if any."""
        if not self._enabled or not self._ready():
            return None
        block = cursor.block()
        offset = cursor.positionInBlock()
        for start, end, word in checkable_words(self._checked_block_text(block)):
            if start <= offset <= end:
                if self.checker.is_correct(word):
                    return None
                return block.position() + start, block.position() + end, word
        return None
