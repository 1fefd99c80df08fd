"""The Review tab: comments anchored to passages of the story, highlighted in the editor.

A comment keeps its passage as a quote with some context (`editor.services.review`). The
panel anchors every thread against the editor's own text (the document's characters,
one per document position), so a found passage maps straight to a selection: no
Markdown offsets are involved and the serialiser can change freely. Anchors are found
again after a pause in typing; meanwhile the highlights ride along with the edits
(their cursors are document cursors). A thread whose passage is gone says so.

Threads change under the panel too: a colleague comments, replies or resolves while the
story is open here, and the desk watch (`editor.ui.desk.watch`) hands the new threads to
`show_threads`. Only the cards that changed are rebuilt; the list keeps its scroll (the
card at the top of the view stays there), a reply being typed in a card and a comment
being written in the composer are kept, focus and cursor with them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.errors import NewsroomError
from editor.services.review import Comment, anchor, selection_anchor
from editor.ui import icons
from editor.ui.review.thread_card import (
    PASSAGE_EDITED,
    PASSAGE_REMOVED,
    RESOLVED,
    ThreadCard,
    elided_quote,
    escape,
)
from editor.ui.timers import debounce_timer

#: Marks our extra selections so the other layers (checks, focus mode) keep theirs.
_MARK = QTextFormat.Property.UserProperty + 97
HIGHLIGHT = QColor("#fff0a6")
ACTIVE_HIGHLIGHT = QColor("#ffd54a")
#: How long a thread a colleague just added or changed stays tinted.
FRESH_MS = 8_000


def document_text(document: QTextDocument) -> str:
    """The document's characters, one per position (paragraph breaks as newlines)."""
    return document.toRawText().replace("\u2029", "\n").replace("\u2028", "\n")


_STYLE = """
#reviewPanel { background: #f7f7f5; }
#reviewHeader QLabel#reviewTitle { font-size: 14px; font-weight: 600; color: #1f2937; }
#reviewCount { color: #6b7280; }
#threadCard { background: white; border: 1px solid #e3e3de; border-radius: 8px; }
#threadCard[fresh="true"] { background: #eff6ff; border: 1px solid #93c5fd; }
#threadCard[active="true"] { border: 2px solid #e0b400; }
#commentTime { color: #6b7280; }
#commentQuote { color: #4b5563; font-style: italic; background: #fffbe6;
                border-left: 3px solid #f2c94c; padding: 3px 6px; }
#commentQuote[removed="true"] { color: #9ca3af; text-decoration: line-through;
                                background: #f3f4f6; border-left: 3px solid #d1d5db; }
#commentBody { color: #111827; }
#commentReply { color: #1f2937; border-left: 2px solid #e5e7eb; padding-left: 8px;
                margin-left: 6px; }
QPushButton#cardButton { color: #374151; padding: 2px 8px; border: none; }
QPushButton#cardButton:hover { background: #f3f4f6; border-radius: 4px; }
#composer { background: white; border: 1px solid #e0b400; border-radius: 8px; }
#composerQuote { color: #4b5563; font-style: italic; }
#emptyState { color: #6b7280; padding: 24px 12px; }
QToolButton#commentButton, QToolButton#reviewMore { color: #1f2937; background: white;
    border: 1px solid #d1d5db; border-radius: 6px; padding: 3px 6px; }
QToolButton#commentButton:hover, QToolButton#reviewMore:hover { background: #f3f4f6;
    border-color: #9ca3af; }
QToolButton#commentButton:pressed, QToolButton#reviewMore:pressed { background: #e5e7eb; }
QToolButton#commentButton:disabled { color: #9ca3af; background: transparent; }
QToolButton#reviewMore { padding-right: 17px; }
QToolButton#reviewMore::menu-indicator { subcontrol-origin: padding;
    subcontrol-position: center right; right: 5px; }
#composerError { color: #b91c1c; }
QLineEdit#replyEdit, QPlainTextEdit#composerEdit { background: white; color: #111827;
    border: 1px solid #d1d5db; border-radius: 6px; padding: 4px 6px; }
QLineEdit#replyEdit:focus, QPlainTextEdit#composerEdit:focus { border: 1px solid #e0b400; }
"""


class ReviewPanel(QWidget):
    """Comment threads of the open article; `begin_comment()` comments on the selection."""

    history_requested = Signal()
    changes_requested = Signal()
    #: Open threads (unresolved), for the tab's title.
    open_count_changed = Signal(int)
    message = Signal(str)

    def __init__(self, newsroom_source: Callable[[], object], editor: QTextEdit,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(_STYLE)
        self._newsroom = newsroom_source
        self.editor = editor
        self.article_id: str | None = None
        self.threads: list[Comment] = []
        #: Thread id -> (start, end) in the document, or None when the passage is gone.
        self.anchors: dict[str, tuple[int, int] | None] = {}
        self.cards: dict[str, ThreadCard] = {}
        self.active_id: str | None = None
        self._pending: dict[str, object] | None = None
        #: The composer's passage in the editor (its cursor rides along with edits).
        self._pending_selection: QTextEdit.ExtraSelection | None = None
        #: Moves whenever the panel sets its threads: a look started before is stale.
        self.generation = 0
        self._reanchor_timer = debounce_timer(self, 400, self.reanchor)
        self._fresh_timer = debounce_timer(self, FRESH_MS, self._fade_fresh)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)

        header = QWidget()
        header.setObjectName("reviewHeader")
        row = QHBoxLayout(header)
        row.setContentsMargins(2, 0, 2, 0)
        row.setSpacing(4)
        title = QLabel("Comments")
        title.setObjectName("reviewTitle")
        row.addWidget(title)
        row.addStretch(1)
        self.comment_button = QToolButton()
        self.comment_button.setObjectName("commentButton")
        self.comment_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.comment_button.setIcon(icons.icon("fa6s.comment-medical", color="#374151"))
        self.comment_button.setText("Comment")
        self.comment_button.setToolTip("Comment on the selected passage (Ctrl+Alt+M)")
        self.comment_button.clicked.connect(self.begin_comment)
        row.addWidget(self.comment_button)
        more = QToolButton()
        more.setObjectName("reviewMore")
        more.setIcon(icons.icon("fa6s.clock-rotate-left", color="#374151"))
        more.setText("History")
        more.setToolTip("Changes since your last review, and the article's history")
        more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(more)
        self.changes_item = menu.addAction(
            icons.icon("fa6s.code-compare", color="#374151"), "Changes Since My Last Review…"
        )
        self.history_item = menu.addAction(
            icons.icon("fa6s.clock-rotate-left", color="#374151"), "History of Revisions…"
        )
        self.changes_item.triggered.connect(self.changes_requested)
        self.history_item.triggered.connect(self.history_requested)
        more.setMenu(menu)
        row.addWidget(more)
        layout.addWidget(header)

        # The counts and "Show resolved" on a line of their own, under the buttons: they
        # come and go as colleagues comment and must never widen the panel (the splitter
        # would take the width from the story, which would re-wrap under the person's eyes).
        self.summary_row = QWidget()
        self.summary_row.setObjectName("reviewSummary")
        summary = QHBoxLayout(self.summary_row)
        summary.setContentsMargins(2, 0, 2, 0)
        self.count_label = QLabel()
        self.count_label.setObjectName("reviewCount")
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.count_label.setMinimumWidth(0)
        summary.addWidget(self.count_label, 1)
        self.show_resolved = QCheckBox("Show resolved")
        self.show_resolved.setObjectName("showResolved")
        self.show_resolved.toggled.connect(lambda _on: self._rebuild_cards())
        summary.addWidget(self.show_resolved)
        layout.addWidget(self.summary_row)

        self.composer = self._build_composer()
        layout.addWidget(self.composer)

        self.scroll = QScrollArea()
        self.scroll.setObjectName("threadScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_widget = QWidget()
        self.list_widget.setObjectName("threadList")
        self.list_widget.setStyleSheet("#threadList { background: transparent; }")
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(0, 0, 4, 0)
        self.list_layout.setSpacing(8)
        self.list_layout.addStretch(1)
        self.scroll.setWidget(self.list_widget)
        self.scroll.viewport().setStyleSheet("background: transparent;")
        layout.addWidget(self.scroll, 1)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.list_layout.insertWidget(0, self.empty_label)
        self._update_counts()

    def _build_composer(self) -> QFrame:
        frame = QFrame()
        frame.setObjectName("composer")
        box = QVBoxLayout(frame)
        box.setContentsMargins(10, 8, 10, 8)
        box.setSpacing(6)
        self.composer_quote = QLabel()
        self.composer_quote.setObjectName("composerQuote")
        self.composer_quote.setWordWrap(True)
        box.addWidget(self.composer_quote)
        self.composer_edit = QPlainTextEdit()
        self.composer_edit.setObjectName("composerEdit")
        self.composer_edit.setPlaceholderText("Your comment… (Ctrl+Enter to post)")
        self.composer_edit.setFixedHeight(72)
        box.addWidget(self.composer_edit)
        self.composer_error = QLabel()
        self.composer_error.setObjectName("composerError")
        self.composer_error.setWordWrap(True)
        self.composer_error.hide()
        box.addWidget(self.composer_error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton("Cancel")
        self.post_button = QPushButton("Comment")
        self.post_button.setDefault(True)
        cancel.clicked.connect(self.cancel_comment)
        self.post_button.clicked.connect(self.post_comment)
        buttons.addWidget(cancel)
        buttons.addWidget(self.post_button)
        box.addLayout(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self.composer_edit, self.post_comment)
        QShortcut(QKeySequence("Escape"), self.composer_edit, self.cancel_comment)
        frame.hide()
        return frame

    # -- the open article ------------------------------------------------------

    def show_article(self, article: object | None) -> None:
        """The article now in the editor (whose text is already loaded), or None.

        The same article again (reloaded after a colleague's save, a workflow step) keeps
        the list's scroll, the active thread and a comment being written."""
        article_id = getattr(article, "id", None)
        if article_id is not None and article_id == self.article_id:
            if self._pending is not None:
                self._re_anchor_pending()
            self.reload()
            return
        self.article_id = article_id
        self.active_id = None
        # The previous article's threads and positions mean nothing in this document.
        self.threads = []
        self.anchors = {}
        self._clear_cards()
        self.cancel_comment()
        self.reload()

    def reload(self) -> None:
        """Read the threads from the store, anchor them and show them."""
        threads: list[Comment] = []
        if self.article_id is not None:
            try:
                threads = self._newsroom().list_comments(self.article_id)
            except NewsroomError as error:
                self.message.emit(str(error))
        self.show_threads(threads)

    def show_threads(self, threads: list[Comment], *, from_elsewhere: bool = False) -> None:
        """Show these threads of the open article (read here or by the desk watch): the
        cards that changed are rebuilt, the rest stay; scroll and drafts are kept. Threads
        new or changed `from_elsewhere` (a colleague) are tinted for a few seconds."""
        before = {t.id: t for t in self.threads}
        self.generation += 1
        self.threads = list(threads)
        if self.active_id is not None and self.active_id not in {t.id for t in threads}:
            self.active_id = None
        self.reanchor()
        self._rebuild_cards()
        if from_elsewhere:
            fresh = [t.id for t in threads if before.get(t.id) != t and t.id in self.cards]
            for thread_id in fresh:
                self.cards[thread_id].set_fresh(True)
            if fresh:
                self._fresh_timer.start()

    def _fade_fresh(self) -> None:
        for card in self.cards.values():
            card.set_fresh(False)

    def schedule_reanchor(self) -> None:
        """After a pause in typing, find every passage again (gone ones say so)."""
        if self.threads:
            self._reanchor_timer.start()

    def reanchor(self) -> None:
        self._reanchor_timer.stop()
        text = document_text(self.editor.document())
        self.anchors = {t.id: anchor(t, text) for t in self.threads}
        self._update_highlights()
        self._update_states()

    def state_of(self, thread: Comment) -> str:
        if thread.resolved:
            return RESOLVED
        span = self.anchors.get(thread.id)
        if span is None:
            return PASSAGE_REMOVED
        text = document_text(self.editor.document())
        return "" if text[span[0] : span[1]] == thread.quote else PASSAGE_EDITED

    # -- cards -------------------------------------------------------------------

    def visible_threads(self) -> list[Comment]:
        shown = self.show_resolved.isChecked()
        return [t for t in self.threads if shown or not t.resolved]

    def _rebuild_cards(self) -> None:
        """Cards for the visible threads: an unchanged thread keeps its card (and whatever
        is typed in it), a changed one gets a new card with the old one's reply draft."""
        scrollbar = self.scroll.verticalScrollBar()
        at_top = self._card_at_top()
        top_offset = at_top.y() - scrollbar.value() if at_top is not None else 0
        old_cards, self.cards = self.cards, {}
        for index, thread in enumerate(self.visible_threads()):
            card = old_cards.pop(thread.id, None)
            if card is not None and card.thread != thread:
                replaced, card = card, self._new_card(thread)
                card.take_draft(replaced)
                if at_top is replaced:
                    at_top = card
                self._drop_card(replaced)
            elif card is None:
                card = self._new_card(thread)
            # index + 1: the empty-state label is first; the stretch stays last.
            if self.list_layout.indexOf(card) != index + 1:
                self.list_layout.removeWidget(card)
                self.list_layout.insertWidget(index + 1, card)
            card.show()
            self.cards[thread.id] = card
        for card in old_cards.values():
            self._drop_card(card)
        self._update_states()
        self._update_counts()
        if at_top is not None and at_top in self.cards.values():
            # Lay the list out now (Qt would on its next pass, after the paint): keep the
            # card that was at the top of the view where it was, whatever joined or left
            # above it, with no frame drawn in between.
            self.list_layout.invalidate()
            self.list_widget.resize(self.list_widget.width(), self.list_widget.sizeHint().height())
            self.list_layout.setGeometry(self.list_widget.rect())
            scrollbar.setValue(at_top.y() - top_offset)

    def _new_card(self, thread: Comment) -> ThreadCard:
        card = ThreadCard(thread, self.list_widget)
        card.clicked.connect(self.jump_to)
        card.reply_posted.connect(self.reply)
        card.resolve_toggled.connect(self.resolve)
        return card

    def _drop_card(self, card: ThreadCard) -> None:
        self.list_layout.removeWidget(card)
        card.hide()  # now: deleteLater only acts once back in the event loop
        card.deleteLater()

    def _clear_cards(self) -> None:
        for card in self.cards.values():
            self._drop_card(card)
        self.cards = {}

    def _card_at_top(self) -> ThreadCard | None:
        """The first card whose bottom is below the top of the view (None at the top)."""
        value = self.scroll.verticalScrollBar().value()
        if value <= 0:
            return None
        for card in self.cards.values():
            if card.y() + card.height() > value:
                return card
        return None

    def _update_states(self) -> None:
        for thread_id, card in self.cards.items():
            card.set_state(self.state_of(card.thread))
            card.set_active(thread_id == self.active_id)

    def _update_counts(self) -> None:
        open_threads = sum(1 for t in self.threads if not t.resolved)
        resolved = len(self.threads) - open_threads
        parts = [f"{open_threads} open"] if self.threads else []
        if resolved:
            parts.append(f"{resolved} resolved")
        self.count_label.setText(" · ".join(parts))
        self.count_label.setToolTip(self.count_label.text())
        self.show_resolved.setVisible(bool(resolved))
        self.summary_row.setVisible(bool(self.threads))
        if self.article_id is None:
            empty = "Open an article to see its comments."
        elif not self.threads:
            empty = (
                "No comments yet.\nSelect a passage in the story and press Ctrl+Alt+M "
                "(or right\u2011click it) to comment."
            )
        elif not self.cards:
            empty = "Every thread is resolved."
        else:
            empty = ""
        self.empty_label.setText(empty)
        self.empty_label.setVisible(bool(empty))
        self.comment_button.setEnabled(self.article_id is not None)
        self.open_count_changed.emit(open_threads)

    # -- commenting --------------------------------------------------------------

    def begin_comment(self) -> bool:
        """Start a comment on the editor's selection; False (and a message) without one."""
        if self.article_id is None:
            return False
        cursor = self.editor.textCursor()
        text = document_text(self.editor.document())
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            self.message.emit("Select the passage to comment on, then press Ctrl+Alt+M.")
            return False
        self._pending = selection_anchor(text, start, end)
        self._pending_selection = self._selection(start, end, ACTIVE_HIGHLIGHT, "")
        quote = elided_quote(str(self._pending["quote"]))
        self.composer_quote.setText(f"On “{escape(quote)}”")
        self.composer_error.hide()
        self.composer_edit.clear()
        self.composer.show()
        self.composer_edit.setFocus()
        self._update_highlights()
        return True

    def post_comment(self) -> bool:
        if self._pending is None or self.article_id is None:
            return False
        body = self.composer_edit.toPlainText()
        try:
            created = self._newsroom().add_comment(self.article_id, body=body, **self._pending)
        except NewsroomError as error:
            self.composer_error.setText(str(error))
            self.composer_error.show()
            return False
        self._pending = self._pending_selection = None
        self.composer.hide()
        self.active_id = created.id
        self.reload()
        return True

    def add_comment(self, start: int, end: int, body: str) -> Comment:
        """Comment on document positions [start, end) (scripts and tests)."""
        assert self.article_id is not None
        text = document_text(self.editor.document())
        created = self._newsroom().add_comment(
            self.article_id, body=body, **selection_anchor(text, start, end)
        )
        self.active_id = created.id
        self.reload()
        return created

    def cancel_comment(self) -> None:
        self._pending = self._pending_selection = None
        self.composer.hide()
        self._update_highlights()

    def _re_anchor_pending(self) -> None:
        """The story was reloaded under the composer: find its passage in the new text
        (kept as it was when the passage is gone: posting anchors it as best it can)."""
        assert self._pending is not None
        probe = Comment(
            id="", article_id=self.article_id or "", parent_id=None, author="",
            created_at=datetime.now(), quote=str(self._pending["quote"]),
            prefix=str(self._pending["prefix"]), suffix=str(self._pending["suffix"]),
            position=self._pending["position"], body="",
        )  # fmt: skip
        span = anchor(probe, document_text(self.editor.document()))
        if span is not None:
            self._pending["position"] = span[0]
            self._pending_selection = self._selection(span[0], span[1], ACTIVE_HIGHLIGHT, "")
        else:
            self._pending_selection = None

    def reply(self, thread_id: str, body: str) -> bool:
        try:
            self._newsroom().reply(thread_id, body)
        except NewsroomError as error:
            self.message.emit(str(error))
            return False
        card = self.cards.get(thread_id)
        if card is not None:  # posted: nothing for the thread's new card to carry over
            card.reply_edit.clear()
            card.reply_edit.hide()
        self.active_id = thread_id
        self.reload()
        return True

    def resolve(self, thread_id: str, resolved: bool = True) -> bool:
        try:
            self._newsroom().resolve(thread_id, resolved)
        except NewsroomError as error:
            self.message.emit(str(error))
            return False
        if resolved and self.active_id == thread_id:
            self.active_id = None
        self.reload()
        return True

    def jump_to(self, thread_id: str) -> bool:
        """Select the thread's passage in the editor; False when it is gone."""
        self.active_id = thread_id
        self._update_states()
        self._update_highlights()
        span = self.anchors.get(thread_id)
        if span is None:
            self.message.emit("The passage of that comment was removed from the story.")
            return False
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()
        return True

    def threads_at(self, position: int) -> list[Comment]:
        """Open threads whose passage covers a document position (the context menu)."""
        return [
            t
            for t in self.threads
            if not t.resolved
            and (span := self.anchors.get(t.id)) is not None
            and span[0] <= position <= span[1]
        ]

    # -- highlights in the editor -----------------------------------------------

    def _selection(self, start: int, end: int, colour: QColor, tip: str):
        selection = QTextEdit.ExtraSelection()
        document = self.editor.document()
        # Anchors are found again only after a pause in typing: text deleted meanwhile may
        # have left one past the end of the document.
        last = max(0, document.characterCount() - 1)
        selection.cursor = QTextCursor(document)
        selection.cursor.setPosition(min(start, last))
        selection.cursor.setPosition(min(end, last), QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        fmt.setProperty(_MARK, True)
        if tip:
            fmt.setToolTip(tip)
        selection.format = fmt
        return selection

    def _update_highlights(self, extra: list | None = None) -> None:
        ours = []
        for thread in self.threads:
            span = self.anchors.get(thread.id)
            if thread.resolved or span is None:
                continue
            colour = ACTIVE_HIGHLIGHT if thread.id == self.active_id else HIGHLIGHT
            tip = f"{thread.author}: {thread.body}"
            ours.append(self._selection(span[0], span[1], colour, tip))
        if self._pending_selection is not None:
            ours.append(self._pending_selection)
        ours.extend(extra or [])
        others = [s for s in self.editor.extraSelections() if not s.format.hasProperty(_MARK)]
        self.editor.setExtraSelections(others + ours)

    def highlighted(self) -> list[QTextEdit.ExtraSelection]:
        return [s for s in self.editor.extraSelections() if s.format.hasProperty(_MARK)]


def install_review_panel(window) -> ReviewPanel:
    """Add the Review tab beside the inspector and wire it to the window."""
    panel = ReviewPanel(lambda: window.newsroom, window.editor, parent=window)
    tabs = window.side_tabs
    tabs.insertTab(tabs.indexOf(window.inspector) + 1, panel, "Review")
    window.bus.article_opened.connect(panel.show_article)
    window.editor.body_edited.connect(panel.schedule_reanchor)
    panel.message.connect(lambda text: window.status.showMessage(text, 8000))

    def count(open_threads: int) -> None:
        index = tabs.indexOf(panel)
        tabs.setTabText(index, f"Review ({open_threads})" if open_threads else "Review")

    panel.open_count_changed.connect(count)

    def comment() -> None:
        if window.session.article is None:
            return
        tabs.setCurrentWidget(panel)
        panel.begin_comment()

    window.actions["review_comment"].triggered.connect(comment)

    def menu_entries(menu: QMenu, clicked: QTextCursor) -> None:
        if window.session.article is None:
            return
        menu.addSeparator()
        action = menu.addAction(window.actions["review_comment"].icon(), "Comment on Selection…")
        action.setShortcut(window.actions["review_comment"].shortcut())
        action.setEnabled(window.editor.textCursor().hasSelection())
        action.triggered.connect(comment)
        for thread in panel.threads_at(clicked.position())[:3]:
            shown = f"Show Comment by {thread.author}: {elided_quote(thread.body)[:40]}"
            item = menu.addAction(shown)
            item.triggered.connect(
                lambda _=False, t=thread.id: (tabs.setCurrentWidget(panel), panel.jump_to(t))
            )

    window.editor.add_context_menu_provider(menu_entries)
    return panel


def install_review(window) -> ReviewPanel:
    """The Review tab, and Article > Changes/History and View > Desk Dashboard.

    The three windows' modules are imported when first opened, not here: the dashboard's
    QtCharts and the diff views were 40-80 ms of the start-up before the first paint."""

    def open_changes() -> None:
        from editor.ui.review.changes_view import open_changes

        open_changes(window)

    def open_history() -> None:
        from editor.ui.review.history_dialog import open_history

        open_history(window)

    def open_dashboard() -> None:
        from editor.ui.desk.dashboard import open_dashboard

        open_dashboard(window)

    panel = install_review_panel(window)
    actions = window.actions
    actions["article_changes"].triggered.connect(open_changes)
    actions["article_history"].triggered.connect(open_history)
    actions["view_dashboard"].triggered.connect(open_dashboard)
    panel.changes_requested.connect(open_changes)
    panel.history_requested.connect(open_history)

    def enable(article: object | None) -> None:
        for name in ("review_comment", "article_changes", "article_history"):
            actions[name].setEnabled(article is not None)

    window.bus.article_opened.connect(enable)
    enable(window.session.article)
    return panel
