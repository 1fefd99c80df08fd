"""The Checks panel: copy-desk findings grouped by level, underlined in the editor.

Checks run off the GUI thread (`editor.ui.background`) after a pause in typing (at most
one in flight, one pending). Clicking a finding selects its words in the editor, found
again by paragraph and matched text (the document is not the Markdown); a quick fix is
one undo step; a finding can be dismissed for the article, which the store remembers.

Each finding shows its whole message, wrapped to the pane (`FindingDelegate`), with where
it is and the rule's id beneath in small muted type: the message is what a reporter acts
on, the id is for whoever tunes the style file. The tooltip says the same as a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import replace
from difflib import SequenceMatcher
from functools import partial

from PySide6.QtCore import QModelIndex, QObject, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QPainter,
    QPalette,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from editor.core.checks import BODY, CheckStopped, Finding, Level, apply_fix, mark_dismissed
from editor.core.errors import NewsroomError
from editor.core.model import Article
from editor.ui import icons
from editor.ui.background import Background
from editor.ui.body.editor import is_code_format
from editor.ui.body.markdown_writer import continues
from editor.ui.timers import debounce_timer

#: At most this many findings of a level are listed, the rest counted beneath them: the
#: ~32,000 findings of a 5 MB paragraph of random words took 10 s to lay out as rows.
LIST_LIMIT = 300
#: Underlines are drawn for the findings within this many characters of the text shown
#: (again as the person scrolls on): Qt moves every extra selection's cursor on each
#: keystroke and lays them all out on each change, so 32,000 of them froze typing.
UNDERLINE_MARGIN = 30_000
#: Marks our extra selections so other layers (focus mode...) keep theirs.
_MARK = QTextFormat.Property.UserProperty + 83
FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
COLOURS = {
    Level.ERROR: QColor("#d9730d"),  # orange: spelling's squiggle is red
    Level.WARNING: QColor("#1f6fd1"),
    Level.SUGGESTION: QColor("#6b8e23"),
}
ICONS = {
    Level.ERROR: "fa6s.circle-xmark",
    Level.WARNING: "fa6s.triangle-exclamation",
    Level.SUGGESTION: "fa6s.lightbulb",
}


def locate(document: QTextDocument, finding: Finding) -> tuple[int, int] | None:
    """Document positions of a body finding's words, or None when they are gone.

    The block is the one whose text is the finding's paragraph (nearest to its index),
    else the one holding the matched words that looks most like that paragraph.
    """
    return BlockIndex(document).locate(finding)


#: One paragraph of the document: its position, its text, where its later pieces start.
Paragraph = tuple[int, str, list[int]]


def read_paragraphs(document: QTextDocument) -> list[Paragraph]:
    """The document's paragraphs, read once on the GUI thread (plain data afterwards).

    A long paragraph the editor shows in pieces (`continues`) is one paragraph here, as
    in the findings; its seams say where each later piece starts in the joined text.
    """
    paragraphs: list[Paragraph] = []
    block = document.begin()
    while block.isValid():
        pieces = [block.text()]
        seams: list[int] = []
        following = block.next()
        while following.isValid() and continues(following):
            seams.append(seams[-1] + len(pieces[-1]) if seams else len(pieces[-1]))
            pieces.append(following.text())
            following = following.next()
        paragraphs.append((block.position(), "".join(pieces), seams))
        block = following
    return paragraphs


class BlockIndex:
    """The document's blocks read once, to locate many findings in the same state.

    Locating each finding by walking the document (and comparing every block holding its
    words with its paragraph) cost ~5 ms a finding on a 20,000-word article: 190 findings
    stalled the GUI thread for a second after each check. Here the blocks are read once,
    exact paragraphs are a dict look-up, words are found by `str.find` over the joined
    text, and the similarity ratios, which rarely change between two checks, are kept in
    `ratios` (pass the same dict again).
    """

    def __init__(self, document: QTextDocument | list[Paragraph],
                 ratios: dict[tuple[str, str], float] | None = None) -> None:  # fmt: skip
        """`document`, or its paragraphs as `read_paragraphs` gave them: an index over
        those needs no Qt, so a worker thread can locate the findings of a check."""
        paragraphs = document if isinstance(document, list) else read_paragraphs(document)
        self.positions: list[int] = [p[0] for p in paragraphs]
        self.texts: list[str] = [p[1] for p in paragraphs]
        #: Where each later piece starts in its paragraph's text (see `read_paragraphs`).
        self.seams: list[list[int]] = [p[2] for p in paragraphs]
        self.starts: list[int] = []  # where each block's text starts in `joined`
        self.by_text: dict[str, list[int]] = {}
        self.ratios = ratios if ratios is not None else {}
        # The exact paragraphs of a finding's context, by the context string's identity:
        # the findings of one paragraph share it, and hashing then comparing a 5 MB
        # paragraph for each of 30,000 findings took 28 s.
        self._exact: dict[int, tuple[str, list[int] | None]] = {}
        offset = 0
        for number, text in enumerate(self.texts):
            self.by_text.setdefault(text, []).append(number)
            self.starts.append(offset)
            offset += len(text) + 1
        self.joined = "\n".join(self.texts)

    def _holding(self, matched: str) -> list[int]:
        """Indexes of the blocks whose text holds `matched`, in document order."""
        found: list[int] = []
        at = self.joined.find(matched)
        while at >= 0:
            index = bisect_right(self.starts, at) - 1
            if at + len(matched) <= self.starts[index] + len(self.texts[index]):
                found.append(index)
                at = self.joined.find(matched, self.starts[index] + len(self.texts[index]) + 1)
            else:  # spans a block boundary: not a match in one block
                at = self.joined.find(matched, at + 1)
        return found

    def _ratio(self, text: str, context: str) -> float:
        key = (text, context)
        ratio = self.ratios.get(key)
        if ratio is None:
            ratio = self.ratios[key] = SequenceMatcher(None, text, context).quick_ratio()
        return ratio

    def locate(self, finding: Finding) -> tuple[int, int] | None:
        if finding.field != BODY or not finding.matched:
            return None
        matched, context = finding.matched, finding.context
        exact = None
        if context.startswith(matched, finding.context_start) or matched in context:
            known = self._exact.get(id(context))
            if known is None or known[0] is not context:
                known = self._exact[id(context)] = (context, self.by_text.get(context))
            exact = known[1]
        if exact:  # an exact paragraph beats any look-alike (score 2 - distance vs <= 1)
            best = min(exact, key=lambda i: min(abs(i - finding.paragraph), 1000))
        else:
            best, best_score = None, -1.0
            for index in self._holding(matched):
                score = self._ratio(self.texts[index], context)
                if score > best_score:
                    best, best_score = index, score
            if best is None:
                return None
        text, position = self.texts[best], self.positions[best]
        expected = finding.context_start * len(text) / max(1, len(context))
        # The occurrence nearest where the finding says: the last one at or before that
        # point or the first after it (listing them all was quadratic in a long paragraph:
        # 6,375 doubled words in a 1 MB one took 90 s).
        at = max(0, int(expected))
        nearest = (text.rfind(matched, 0, at + len(matched)), text.find(matched, at + 1))
        starts = [i for i in nearest if i >= 0]
        if not starts:
            return None
        offset = min(starts, key=lambda i: abs(i - expected))
        end = offset + len(matched)
        seams = self.seams[best]  # one position more past each seam before the words
        return (
            position + offset + bisect_right(seams, offset),
            position + end + bisect_left(seams, end),
        )


def finding_where(finding: Finding) -> str:
    """ "Line 3, column 12" in the body; the field's name ("Standfirst") elsewhere."""
    if finding.field == BODY:
        return f"Line {finding.line}, column {finding.column}"
    return finding.field.replace("_", " ").capitalize()


def finding_details(finding: Finding) -> str:
    """The muted line under a finding's message: where it is, then the rule's id."""
    return f"{finding_where(finding)} · {finding.rule}"


def finding_tooltip(finding: Finding) -> str:
    """The finding as sentences: level and place, the message, the fix, the rule last."""
    if finding.field == BODY:
        place = f"on line {finding.line}, column {finding.column}"
    else:
        place = f"in the {finding.field.replace('_', ' ')}"
    message = finding.message.strip()
    if message and message[-1] not in ".!?…”’)":
        message += "."
    parts = [f"{finding.level.label} {place}: {message}"]
    if finding.has_fix:
        if finding.replacement:
            parts.append(f"The fix uses “{finding.replacement}”.")
        else:
            parts.append(f"The fix removes “{_short(finding.matched)}”.")
    if finding.dismissed:
        parts.append("Dismissed for this article.")
    parts.append(f"Found by the “{finding.rule}” check.")
    return " ".join(parts)


class FindingDelegate(QStyledItemDelegate):
    """A finding as its whole message, wrapped, over a small muted line (place · rule id).

    Plain `setWordWrap` on a tree view elides instead: the view asks the size of an item
    without the column's width. Here the height is measured at the view's width, and
    `FindingsView` lays the rows out again when that width changes.
    """

    ICON = 16
    GAP = 6
    PAD = 4
    _MUTED = QColor("#6b7280")

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    @staticmethod
    def _finding(index: QModelIndex) -> Finding | None:
        finding = index.data(FINDING_ROLE)
        return finding if isinstance(finding, Finding) else None

    def _text_width(self, index: QModelIndex) -> int:
        """The message's width: the view's, less the branch indent, icon and padding.

        Worked out from the view, not the option's rect: `sizeHint` is asked during the
        layout, before the item has a rect, and must measure as `paint` draws.
        """
        depth = 1 if self._view.rootIsDecorated() else 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        left = depth * self._view.indentation()
        return max(80, self._view.viewport().width() - left - self.ICON - self.GAP - 2 * self.PAD)

    @staticmethod
    def _small(font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.88))
        return small

    def _heights(self, option: QStyleOptionViewItem, finding: Finding,
                 width: int) -> tuple[int, int]:  # fmt: skip
        flags = int(Qt.TextFlag.TextWordWrap)
        message = QFontMetrics(option.font).boundingRect(
            QRect(0, 0, width, 100_000), flags, finding.message
        )
        details = QFontMetrics(self._small(option.font)).boundingRect(
            QRect(0, 0, width, 100_000), flags, finding_details(finding)
        )
        return message.height(), details.height()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        finding = self._finding(index)
        if finding is None:
            return super().sizeHint(option, index)
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        width = self._text_width(index)
        message, details = self._heights(item, finding, width)
        height = max(self.ICON, message + 2 + details) + 2 * self.PAD
        return QSize(width + self.ICON + self.GAP + 2 * self.PAD, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        finding = self._finding(index)
        if finding is None:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        item.text = ""
        item.icon = QIcon()  # drawn below, beside the text
        style = item.widget.style() if item.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        rect = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        width = self._text_width(index)
        message_height, details_height = self._heights(item, finding, width)
        painter.save()
        # The icon beside the first line of the message, never over the text.
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if isinstance(icon, QIcon):  # the selected mode stays visible on the highlight
            mode = QIcon.Mode.Selected if selected else QIcon.Mode.Normal
            target = QRect(rect.left(), rect.top() + 1, self.ICON, self.ICON)
            icon.paint(painter, target, Qt.AlignmentFlag.AlignCenter, mode)
        left = rect.left() + self.ICON + self.GAP
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = option.palette.color(role)
        if finding.dismissed and not selected:
            colour = QColor("#9ca3af")
        painter.setFont(item.font)
        painter.setPen(colour)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
            Qt.TextFlag.TextWordWrap
        )
        painter.drawText(QRect(left, rect.top(), width, message_height), flags, finding.message)
        painter.setFont(self._small(item.font))
        painter.setPen(colour if selected else self._MUTED)
        painter.drawText(
            QRect(left, rect.top() + message_height + 2, width, details_height),
            flags,
            finding_details(finding),
        )
        painter.restore()


class FindingsView(QTreeView):
    """The findings tree; rows are measured again when the pane's width changes."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.doItemsLayout()  # wrapped messages take more or fewer lines now


#: Why a quick fix is refused on a story the person may not change.
READ_ONLY_FIX = "This story is read-only for you: its findings cannot be fixed here."


class ChecksPanel(QWidget):
    """Lists findings of the article in the editor; `schedule()` re-checks after a pause."""

    checks_finished = Signal(list)  # the findings shown
    field_fix_requested = Signal(str, str)  # field name, new value

    def __init__(self, newsroom, editor: QTextEdit, delay_ms: int = 700,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("checksPanel")
        self.newsroom = newsroom
        self.editor = editor
        self._source: Callable[[], Article | None] = lambda: None
        self._tasks = Background(self)
        self._article_id: str | None = None
        self.findings: list[Finding] = []
        self._ratios: dict[tuple[str, str], float] = {}  # see BlockIndex
        self._timer = debounce_timer(self, delay_ms, self.check_now)
        #: Where the shown findings are in the document, sorted by start, located on the
        #: worker for the text as it was when the check started; `_spans_fresh` until
        #: the document changes (the next check locates them again).
        self._spans: list[tuple[int, int, Finding]] = []
        self._span_starts: list[int] = []
        self._spans_fresh = False
        self._unchanged_since_check = False
        self._underlined: list[tuple[QTextEdit.ExtraSelection, Finding]] = []
        self._covered = (0, -1)  # the document range the underlines were drawn for
        self._scrolled = debounce_timer(self, 60, self._follow_view)
        editor.verticalScrollBar().valueChanged.connect(lambda _value: self._scrolled.start())
        editor.document().contentsChange.connect(self._document_changed)

        self.summary = QLabel("No article open.")
        self.summary.setObjectName("checksSummary")
        self.summary.setWordWrap(True)
        self.model = QStandardItemModel(self)
        self.view = FindingsView()
        self.view.setObjectName("checksView")
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setWordWrap(True)
        self.view.setUniformRowHeights(False)
        # Messages wrap to the pane: nothing is wider than it, so no sideways scrolling.
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.view.setItemDelegate(FindingDelegate(self.view))
        self.view.clicked.connect(self._on_clicked)
        self.view.activated.connect(self._on_clicked)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_view_menu)
        self.fix_button = QPushButton("Fix")
        self.fix_button.setToolTip("Apply the suggested change (one undo step)")
        self.fix_button.clicked.connect(lambda: self.apply_fix(self.current_finding()))
        self.choices_menu = QMenu(self.fix_button)  # a finding with spellings to choose from
        self.choices_menu.setObjectName("checksChoicesMenu")
        self.dismiss_button = QPushButton("Dismiss…")
        self.dismiss_button.setToolTip("This finding is fine in this article: stop showing it")
        self.dismiss_button.clicked.connect(lambda: self._ask_dismiss())
        self.show_dismissed = QCheckBox("Show dismissed")
        self.show_dismissed.toggled.connect(lambda _on: self._refill())
        buttons = QHBoxLayout()
        for widget in (self.fix_button, self.dismiss_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.show_dismissed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    # -- running ---------------------------------------------------------

    def set_source(self, source: Callable[[], Article | None]) -> None:
        self._source = source

    def show_article(self, article: Article | None) -> None:
        self._article_id = article.id if article else None
        self.findings = []
        self._refill()
        if article is None:
            self.summary.setText("No article open.")
        else:
            # After the editor has loaded the body: other slots of `opened` do that.
            self.summary.setText("Checking…")
            if self._tasks.running("checks"):  # of the article before: check again after
                self._tasks.queue("checks", self._start_check)
            self.schedule()

    def schedule(self) -> None:
        self._timer.start()

    @property
    def busy(self) -> bool:
        return self._tasks.busy() or self._timer.isActive()

    def check_now(self) -> None:
        """Check now, or once the check in flight is done (its findings are then dropped)."""
        self._timer.stop()
        self._tasks.queue("checks", self._start_check)

    def _start_check(self) -> None:
        self._timer.stop()
        article = self._source()
        if article is None:
            return
        try:
            engine = self.newsroom.check_engine()
        except NewsroomError as error:
            self.summary.setText(f"The checks cannot run: {error}")
            return
        # The paragraphs as the editor shows them now, read here (plain data), so the
        # worker also finds where each finding is: on the GUI thread that took 30 s for
        # the 32,000 findings of a 5 MB paragraph.
        paragraphs = read_paragraphs(self.editor.document())
        self._unchanged_since_check = True  # until the document changes
        ratios = self._ratios

        def check(job) -> tuple[list[Finding], list[tuple[int, int, Finding]]]:
            findings = engine.check(article, should_stop=job.should_stop)
            index = BlockIndex(paragraphs, ratios)
            spans = []
            for finding in findings:
                span = index.locate(finding) if finding.field == BODY else None
                if span is not None:
                    spans.append((span[0], span[1], finding))
                if job.should_stop():
                    raise CheckStopped
            spans.sort(key=lambda item: item[0])
            return findings, spans

        self._tasks.run(check, lane="checks", success=self._on_checked,
                        failure=self._on_failed)  # fmt: skip

    def _on_checked(self, result: tuple[list[Finding], list[tuple[int, int, Finding]]]) -> None:
        if self._tasks.waiting("checks"):
            return  # made on an older text: the check waiting starts right after this
        findings, spans = result
        try:
            dismissals = self.newsroom.dismissed_findings(self._article_id or "")
        except NewsroomError:
            dismissals = []
        self.findings = mark_dismissed(findings, dismissals)
        if self._unchanged_since_check:  # the text is still the one checked: spans hold
            marked = {id(old): new for old, new in zip(findings, self.findings, strict=True)}
            self._spans = [(a, b, marked[id(f)]) for a, b, f in spans]
            self._spans_fresh = True
            self._span_starts = [a for a, _b, _f in self._spans]
            self._covered = (0, -1)  # draw them afresh
        self._refill()
        self.checks_finished.emit(self.findings)

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, CheckStopped):
            return  # closing or superseded: nothing to say
        self.summary.setText(f"The checks failed: {str(error) or type(error).__name__}")

    def shutdown(self) -> None:
        self._timer.stop()
        self._tasks.shutdown(5000)

    # -- the list ----------------------------------------------------------

    def visible_findings(self) -> list[Finding]:
        shown = self.show_dismissed.isChecked()
        return [f for f in self.findings if shown or not f.dismissed]

    def _refill(self) -> None:
        self.model.clear()
        visible = self.visible_findings()
        for level in Level:
            group = [f for f in visible if f.level is level]
            if not group:
                continue
            icon = icons.icon(ICONS[level], color=COLOURS[level])
            heading = QStandardItem(icon, f"{level.label}s ({len(group)})")
            heading.setEditable(False)
            heading.setSelectable(False)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            for finding in group[:LIST_LIMIT]:
                item = QStandardItem(icon, finding.message)
                item.setEditable(False)
                item.setData(finding, FINDING_ROLE)
                item.setData(finding_tooltip(finding), Qt.ItemDataRole.AccessibleTextRole)
                item.setToolTip(finding_tooltip(finding))
                if finding.dismissed:
                    item.setForeground(QColor("#9ca3af"))
                heading.appendRow(item)
            if len(group) > LIST_LIMIT:
                more = QStandardItem(
                    f"…and {len(group) - LIST_LIMIT:,} more {level.value}s, underlined in "
                    "the text (the first are listed here)"
                )
                more.setEditable(False)
                more.setSelectable(False)
                more.setForeground(QColor("#6b7280"))
                heading.appendRow(more)
            self.model.appendRow(heading)
        self.view.expandAll()
        self._update_summary(visible)
        self._underline()
        self._update_buttons()

    def _update_summary(self, visible: list[Finding]) -> None:
        if self._article_id is None:
            return
        if not visible:
            self.summary.setText("No findings: the copy desk has nothing to say.")
            return
        parts = []
        for level in Level:
            count = sum(1 for f in visible if f.level is level)
            if count:
                parts.append(f"{count} {level.value}{'s' * (count != 1)}")
        blocking = " Errors block Submit." if any(
            f.level is Level.ERROR and not f.dismissed for f in visible) else ""  # fmt: skip
        self.summary.setText(", ".join(parts) + "." + blocking)

    def current_finding(self) -> Finding | None:
        index = self.view.currentIndex()
        finding = index.data(FINDING_ROLE) if index.isValid() else None
        return finding if isinstance(finding, Finding) else None

    def select_finding(self, finding: Finding) -> None:
        """Make `finding` the current row (as a click would) and show its words."""
        for row in range(self.model.rowCount()):
            heading = self.model.item(row)
            for child in range(heading.rowCount()):
                item = heading.child(child)
                if item.data(FINDING_ROLE) == finding:
                    self.view.setCurrentIndex(item.index())
                    self._on_clicked(item.index())
                    return

    def _update_buttons(self) -> None:
        finding = self.current_finding()
        choosing = finding is not None and not finding.has_fix and bool(finding.choices)
        locked = self.editor.isReadOnly()
        self.fix_button.setEnabled(
            finding is not None and (finding.has_fix or choosing) and not locked
        )
        self.choices_menu.clear()
        self.fix_button.setMenu(self.choices_menu if choosing else None)
        if finding is not None and finding.has_fix:
            label = f"Fix: “{finding.replacement}”" if finding.replacement else "Fix: remove"
            self.fix_button.setText(label if len(label) < 40 else "Fix")
            self.fix_button.setToolTip("Apply the suggested change (one undo step)")
        elif choosing:
            for action in self.finding_actions(finding, self.choices_menu, dismiss=False):
                self.choices_menu.addAction(action)
            self.fix_button.setText("Fix: choose")
            self.fix_button.setToolTip("Choose one spelling for the whole story (one undo step)")
        else:
            self.fix_button.setText("Fix")
        self.dismiss_button.setEnabled(finding is not None and self._article_id is not None)
        if finding is not None and finding.dismissed:
            self.dismiss_button.setText("Undismiss")
        else:
            self.dismiss_button.setText("Dismiss…")

    # -- acting on a finding -------------------------------------------------

    def _on_clicked(self, index: QModelIndex) -> None:
        finding = index.data(FINDING_ROLE)
        self._update_buttons()
        if not isinstance(finding, Finding) or finding.field != BODY:
            return
        span = locate(self.editor.document(), finding)
        if span is None:
            return
        cursor = self.editor.textCursor()
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()

    def apply_choice(self, finding: Finding | None, choice: str) -> bool:
        """Use `choice`, one of the finding's spellings, throughout the story: every
        whole-word use of its other spellings in the body (outside code) becomes `choice`,
        as one undo step; in a metadata field, that field too. False when none was left.
        """
        if finding is None or choice not in finding.choices or self._refuse_read_only():
            return False
        others = {c for c in (*finding.choices, finding.matched) if c and c != choice}
        if not others:
            return False
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(o) for o in sorted(others, key=len, reverse=True))
            + r")(?!\w)"
        )  # fmt: skip
        changed = 0
        if finding.field != BODY:
            article = self._source()
            value = str(getattr(article, finding.field, "") or "") if article else ""
            fixed, count = pattern.subn(choice, value)
            if count:
                self.field_fix_requested.emit(finding.field, fixed)
                changed += count
        changed += replace_words(self.editor.document(), pattern, choice)
        if not changed:
            return False
        self.findings = [f for f in self.findings if f != finding]
        self._refill()
        self.schedule()
        return True

    def apply_fix(self, finding: Finding | None) -> bool:
        """Apply the quick fix as one undo step; False when the words are no longer there."""
        if finding is None or not finding.has_fix or self._refuse_read_only():
            return False
        if finding.field != BODY:
            article = self._source()
            value = str(getattr(article, finding.field, "") or "") if article else ""
            if value[finding.start : finding.end] != finding.matched:
                return False
            self.field_fix_requested.emit(finding.field, apply_fix(value, finding))
            self.schedule()
            return True
        span = locate(self.editor.document(), finding)
        if span is None:
            return False
        document = self.editor.document()
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        block = document.findBlock(span[0])
        if finding.replacement == "" and block.text() == finding.matched:
            self._select_whole_block(cursor, block)
        cursor.insertText(finding.replacement or "")
        cursor.endEditBlock()
        self.findings = [f for f in self.findings if f != finding]
        self._refill()
        self.schedule()
        return True

    def _refuse_read_only(self) -> bool:
        """A fix would change a story this person may not edit: say so, change nothing
        (an edit there would only be a save that fails later)."""
        if not self.editor.isReadOnly():
            return False
        self.summary.setText(READ_ONLY_FIX)
        return True

    @staticmethod
    def _select_whole_block(cursor: QTextCursor, block) -> None:
        if block.next().isValid():
            cursor.setPosition(block.position())
            cursor.setPosition(block.next().position(), QTextCursor.MoveMode.KeepAnchor)
        elif block.previous().isValid():
            previous = block.previous()
            cursor.setPosition(previous.position() + previous.length() - 1)
            cursor.setPosition(block.position() + block.length() - 1,
                               QTextCursor.MoveMode.KeepAnchor)  # fmt: skip
        else:
            cursor.select(QTextCursor.SelectionType.BlockUnderCursor)

    # -- menus: the finding's fix, its choices and Dismiss ----------------------

    def finding_actions(self, finding: Finding, parent: QObject,
                        dismiss: bool = True) -> list[QAction]:  # fmt: skip
        """The actions for `finding`: its quick fix, "Use “X”" per choice, Dismiss."""
        actions: list[QAction] = []
        locked = self.editor.isReadOnly()
        if finding.has_fix:
            if finding.replacement:
                label = f"Fix: use “{_short(finding.replacement)}”"
            else:
                label = f"Fix: remove “{_short(finding.matched)}”"
            fix = QAction(label, parent)
            fix.setObjectName("checkFix")
            fix.setEnabled(not locked)
            if locked:
                fix.setToolTip(READ_ONLY_FIX)
            fix.triggered.connect(partial(self.apply_fix, finding))
            actions.append(fix)
        for choice in finding.choices:
            use = QAction(f"Use “{_short(choice)}”", parent)
            use.setObjectName("checkChoice")
            use.setToolTip(READ_ONLY_FIX if locked else f"Spell it “{choice}” throughout the story")
            use.setEnabled(not locked)
            use.triggered.connect(partial(self.apply_choice, finding, choice))
            actions.append(use)
        if dismiss and self._article_id is not None:
            label = "Undismiss Finding" if finding.dismissed else "Dismiss Finding…"
            act = QAction(label, parent)
            act.setObjectName("checkDismiss")
            act.triggered.connect(partial(self._ask_dismiss, finding))
            actions.append(act)
        return actions

    def _show_view_menu(self, point: QPoint) -> None:
        index = self.view.indexAt(point)
        finding = index.data(FINDING_ROLE) if index.isValid() else None
        if not isinstance(finding, Finding):
            return
        self.view.setCurrentIndex(index)
        self._update_buttons()
        menu = self.finding_menu(finding, self.view)
        menu.exec(self.view.viewport().mapToGlobal(point))
        menu.deleteLater()

    def finding_menu(self, finding: Finding, parent: QWidget) -> QMenu:
        """The list's right-click menu for `finding`."""
        menu = QMenu(parent)
        menu.setObjectName("checksFindingMenu")
        for action in self.finding_actions(finding, menu):
            menu.addAction(action)
        return menu

    def finding_at(self, position: int) -> Finding | None:
        """The underlined (not dismissed) body finding at document `position`, if any."""
        best: tuple[int, Finding] | None = None
        for selection, finding in self._underlined:
            start, end = selection.cursor.selectionStart(), selection.cursor.selectionEnd()
            if not start <= position <= end:
                continue
            if best is None or end - start < best[0]:
                best = (end - start, finding)  # the narrowest: a word over a sentence
        return best[1] if best else None

    def extend_editor_menu(self, menu: QMenu, cursor: QTextCursor) -> None:
        """The editor's context menu on an underlined finding: its fix, choices, Dismiss."""
        if self.editor.isReadOnly():
            return
        finding = self.finding_at(cursor.position())
        if finding is None:
            return
        first = menu.actions()[0] if menu.actions() else None
        title = QAction(_short(finding.message, 70), menu)
        title.setEnabled(False)
        menu.insertAction(first, title)
        for action in self.finding_actions(finding, menu):
            menu.insertAction(first, action)
        if first is not None:
            menu.insertSeparator(first)

    def _ask_dismiss(self, finding: Finding | None = None) -> None:
        finding = finding if isinstance(finding, Finding) else self.current_finding()
        if finding is None:
            return
        if finding.dismissed:
            self.undismiss(finding)
            return
        note, ok = QInputDialog.getText(
            self, "Dismiss Finding", "Why is this fine in this article? (optional)"
        )
        if ok:
            self.dismiss(finding, note)

    def dismiss(self, finding: Finding, note: str = "") -> bool:
        """Remember that `finding` is fine in this article (the article must be saved)."""
        if self._article_id is None:
            return False
        try:
            self.newsroom.dismiss_finding(self._article_id, finding, note)
        except NewsroomError as error:
            self.summary.setText(f"Cannot dismiss: {error}")
            return False
        self.findings = [_with_dismissed(f, True) if f == finding else f for f in self.findings]
        self._refill()
        return True

    def undismiss(self, finding: Finding) -> bool:
        if self._article_id is None:
            return False
        try:
            self.newsroom.undismiss(self._article_id, finding)
        except NewsroomError as error:
            self.summary.setText(f"Cannot bring it back: {error}")
            return False
        self.findings = [_with_dismissed(f, False) if f == finding else f for f in self.findings]
        self._refill()
        return True

    # -- underlines in the editor --------------------------------------------

    def _document_changed(self, _position: int, removed: int, added: int) -> None:
        if removed or added:  # positions drift: the next check locates them afresh
            self._spans_fresh = self._unchanged_since_check = False

    def _visible_range(self) -> tuple[int, int]:
        viewport = self.editor.viewport()
        first = self.editor.cursorForPosition(QPoint(0, 0)).position()
        last = self.editor.cursorForPosition(QPoint(viewport.width(), viewport.height()))
        return first, last.position()

    def _follow_view(self) -> None:
        """Scrolled: draw the underlines of the text now shown, if not drawn already."""
        if not self._spans_fresh or len(self._spans) <= len(self._underlined):
            return  # all drawn already, or the positions wait for the next check
        first, last = self._visible_range()
        if self._covered[0] <= first and last <= self._covered[1]:
            return
        self._underline()

    def _underline(self) -> None:
        """Underline the visible body findings near the text shown (see UNDERLINE_MARGIN).

        Where the check located them, while the text is the one checked; after an edit,
        the underlines already drawn (Qt moves them with the text) minus any finding no
        longer shown, until the next check (an edit always schedules one).
        """
        shown = {id(f) for f in self.findings if not f.dismissed and f.field == BODY}
        if not self._spans_fresh:
            if len(self.findings) > 2 * LIST_LIMIT:
                kept = [(s, f) for s, f in self._underlined if id(f) in shown]
                if len(kept) != len(self._underlined):
                    self._set_underlines(kept)
                return
            self._spans = self._locate_here()  # a few: found in the text as it is now
            self._span_starts = [a for a, _b, _f in self._spans]
            self._spans_fresh = True
        first, last = self._visible_range()
        low, high = max(0, first - UNDERLINE_MARGIN), last + UNDERLINE_MARGIN
        if len(self._spans) <= 2 * LIST_LIMIT:  # few: all of them, whatever is shown
            low, high = 0, self.editor.document().characterCount()
        chosen = self._spans[bisect_left(self._span_starts, low) : bisect_right(
            self._span_starts, high)]  # fmt: skip
        document = self.editor.document()
        ours: list[tuple[QTextEdit.ExtraSelection, Finding]] = []
        for start, end, finding in chosen:
            if id(finding) not in shown:
                continue
            selection = QTextEdit.ExtraSelection()
            selection.cursor = QTextCursor(document)
            selection.cursor.setPosition(start)
            selection.cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            fmt.setUnderlineColor(COLOURS[finding.level])
            fmt.setToolTip(finding.message)
            fmt.setProperty(_MARK, True)
            selection.format = fmt
            ours.append((selection, finding))
        self._covered = (low, high)
        self._set_underlines(ours)

    def _locate_here(self) -> list[tuple[int, int, Finding]]:
        """The findings' spans in the document as it is now (on the GUI thread)."""
        if len(self._ratios) > 20_000:
            self._ratios.clear()
        index = BlockIndex(self.editor.document(), self._ratios)
        spans = []
        for finding in self.findings:
            span = index.locate(finding) if finding.field == BODY else None
            if span is not None:
                spans.append((span[0], span[1], finding))
        spans.sort(key=lambda item: item[0])
        return spans

    def _set_underlines(self, ours: list[tuple[QTextEdit.ExtraSelection, Finding]]) -> None:
        self._underlined = ours
        others = [s for s in self.editor.extraSelections() if not s.format.hasProperty(_MARK)]
        self.editor.setExtraSelections(others + [selection for selection, _f in ours])

    def underlined(self) -> list[QTextEdit.ExtraSelection]:
        return [s for s in self.editor.extraSelections() if s.format.hasProperty(_MARK)]


def _with_dismissed(finding: Finding, dismissed: bool) -> Finding:
    return replace(finding, dismissed=dismissed)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def replace_words(document: QTextDocument, pattern: re.Pattern[str], replacement: str) -> int:
    """Replace `pattern`'s matches outside code with `replacement`, as one undo step."""
    cursor = QTextCursor(document)
    count = 0
    cursor.beginEditBlock()
    try:
        block = document.lastBlock()
        while block.isValid():
            fence = block.blockFormat()
            code_block = fence.nonBreakableLines() or fence.hasProperty(
                QTextFormat.Property.BlockCodeFence
            )
            matches = [] if code_block else list(pattern.finditer(block.text()))
            for match in reversed(matches):  # from the end: earlier offsets stay valid
                start = block.position() + match.start()
                cursor.setPosition(start + 1)
                if is_code_format(cursor.charFormat()):
                    continue
                cursor.setPosition(start)
                cursor.setPosition(block.position() + match.end(), QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(replacement)  # keeps the words' formatting
                count += 1
            block = block.previous()
    finally:
        cursor.endEditBlock()
    return count


def install_checks_panel(window) -> ChecksPanel:
    """Add the Checks tab beside the inspector and wire it to the editing session."""
    panel = ChecksPanel(window.newsroom, window.editor, parent=window)
    panel.set_source(window.session.snapshot)
    window.side_tabs.addTab(panel, "Checks")
    window.session.opened.connect(panel.show_article)
    window.session.saved.connect(lambda _article: panel.schedule())
    window.editor.body_edited.connect(panel.schedule)
    window.editor.body_loaded.connect(panel.schedule)  # a long body opened in the background
    window.inspector.field_edited.connect(lambda *_: panel.schedule())
    window.headline_field.headline_edited.connect(lambda *_: panel.schedule())

    def fix_field(name: str, value: str) -> None:
        if name == "headline":
            window.headline_field.setText(value)
        window.inspector.set_field_value(name, value)
        window.edit_field(name, value)

    panel.field_fix_requested.connect(fix_field)
    window.editor.add_context_menu_provider(panel.extend_editor_menu)
    return panel
