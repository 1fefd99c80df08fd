"""Changes between two revisions: track changes in one text, or the two texts side by side.

The diff is `editor.core.diff` (word level, on the Markdown body). `DiffView` shows a
`RevisionDiff`; `ChangesDialog` adds the chooser of the two revisions and opens, by
default, on what changed since the acting user last returned or approved the article.
The side-by-side panes are one paragraph row per block, and scroll together row by row,
so a long insertion on one side never drifts the other out of step. An open dialog follows
the article: a save here or a colleague's (the desk watch's news) moves a comparison up to
the current version on to the new one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.diff import DiffOp, diff_stats, render_inline_html, side_by_side
from editor.core.errors import NewsroomError
from editor.core.fields import field_label
from editor.core.model import Revision
from editor.core.text import counted
from editor.services.review import RevisionDiff
from editor.ui import icons
from editor.ui.articles.model import full_time, short_time
from editor.ui.status_style import action_label

INSERT_STYLE = "color:#065f46; background-color:#dcfce7; text-decoration:underline;"
DELETE_STYLE = "color:#991b1b; background-color:#fee2e2; text-decoration:line-through;"
_TAG = re.compile(r'<(ins|del)(?: class="break")?>|</(ins|del)>')
_FONT = ["Georgia", "Charter", "Noto Serif", "DejaVu Serif", "serif"]


def revision_label(revision: Revision, *, current: bool = False) -> str:
    """ "Tue 11 Mar 2025, 14:02 · Rita · Submitted (current)" """
    text = f"{full_time(revision.created_at)} · {revision.author or 'Unknown'}"
    text += f" · {action_label(revision.reason)}"
    return text + (" (current)" if current else "")


def styled(html_text: str) -> str:
    """Core's <ins>/<del> as styled spans (Qt's rich text knows neither tag)."""

    def replace(match: re.Match[str]) -> str:
        if match.group(2):
            return "</span>"
        return f'<span style="{INSERT_STYLE if match.group(1) == "ins" else DELETE_STYLE}">'

    return _TAG.sub(replace, html_text)


def page_html(body: str) -> str:
    """`body` (HTML paragraphs) as the page the text panes show."""
    body = body.replace("<p>", "<p style='line-height:140%'>")
    return f"<html><body style='font-size:13pt'>{body}</body></html>"


class TextPane(QTextBrowser):
    """A read-only pane of revision text (a diff side, track changes, one revision)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        font = QFont()
        font.setFamilies(_FONT)
        self.document().setDefaultFont(font)
        self.document().setDocumentMargin(18)


class SideBySide(QSplitter):
    """Before | After, one block per paragraph row; scrolling one scrolls the other."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("sideBySide")
        self.setChildrenCollapsible(False)
        self.old = TextPane("beforePane")
        self.new = TextPane("afterPane")
        for title, pane in (("Before", self.old), ("After", self.new)):
            column = QWidget()
            box = QVBoxLayout(column)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(0)
            label = QLabel(title)
            label.setObjectName("paneTitle")
            box.addWidget(label)
            box.addWidget(pane, 1)
            self.addWidget(column)
        self._syncing = False
        self.old.verticalScrollBar().valueChanged.connect(lambda: self._sync(self.old, self.new))
        self.new.verticalScrollBar().valueChanged.connect(lambda: self._sync(self.new, self.old))

    def show_rows(self, rows: Sequence[tuple[str, str]]) -> None:
        def page(cells: list[str]) -> str:
            return page_html("".join(f"<p>{styled(c) or '&nbsp;'}</p>" for c in cells))

        self.old.setHtml(page([old for old, _new in rows]))
        self.new.setHtml(page([new for _old, new in rows]))

    def _sync(self, source: TextPane, target: TextPane) -> None:
        """Put the row at the top of `source` at the top of `target`, at the same fraction."""
        if self._syncing:
            return
        self._syncing = True
        try:
            y = source.verticalScrollBar().value()
            layout = source.document().documentLayout()
            block = source.cursorForPosition(source.viewport().rect().topLeft()).block()
            rect = layout.blockBoundingRect(block)
            fraction = (y - rect.top()) / rect.height() if rect.height() else 0.0
            other = target.document().findBlockByNumber(block.blockNumber())
            if other.isValid():
                box = target.document().documentLayout().blockBoundingRect(other)
                target.verticalScrollBar().setValue(int(box.top() + fraction * box.height()))
        finally:
            self._syncing = False


class DiffView(QWidget):
    """One `RevisionDiff`: a summary, changed details, and the text in two presentations."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diffView")
        self.ops: list[DiffOp] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        bar = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("diffSummary")
        bar.addWidget(self.summary)
        bar.addStretch(1)
        self.modes = QButtonGroup(self)
        self.track_button = self._mode_button("Track Changes", "fa6s.marker", 0)
        self.side_button = self._mode_button("Side by Side", "fa6s.table-columns", 1)
        bar.addWidget(self.track_button)
        bar.addWidget(self.side_button)
        layout.addLayout(bar)

        self.details = QLabel()
        self.details.setObjectName("diffDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.hide()
        layout.addWidget(self.details)

        self.stack = QStackedWidget()
        self.inline = TextPane("trackChanges")
        self.side = SideBySide()
        self.stack.addWidget(self.inline)
        self.stack.addWidget(self.side)
        layout.addWidget(self.stack, 1)
        self.track_button.setChecked(True)
        self.setStyleSheet(
            "#diffSummary { color: #374151; font-weight: 600; }"
            "#diffDetails { background: #fffbeb; border: 1px solid #fde68a; border-radius: 6px;"
            " padding: 6px 10px; color: #374151; }"
            "#paneTitle { color: #6b7280; font-weight: 600; padding: 4px 18px;"
            " background: #f3f4f6; border-bottom: 1px solid #e5e7eb; }"
            "QTextBrowser { background: white; border: 1px solid #e5e7eb; }"
            "QToolButton#modeButton { padding: 3px 10px; border: 1px solid #d1d5db;"
            " background: white; }"
            "QToolButton#modeButton:checked { background: #e0ecff; border-color: #2563eb;"
            " color: #1d4ed8; }"
        )

    def _mode_button(self, text: str, icon: str, index: int) -> QToolButton:
        button = QToolButton()
        button.setObjectName("modeButton")
        button.setText(text)
        button.setIcon(icons.icon(icon, color="#374151"))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setCheckable(True)
        self.modes.addButton(button, index)
        button.toggled.connect(lambda on: on and self.stack.setCurrentIndex(index))
        return button

    def show_side_by_side(self, on: bool = True) -> None:
        (self.side_button if on else self.track_button).setChecked(True)

    def show_diff(self, diff: RevisionDiff | None, note: str = "") -> None:
        """Show `diff` (None: nothing to compare); `note` replaces the summary if given."""
        self.ops = list(diff.ops) if diff is not None else []
        stats = diff_stats(self.ops)
        if note:
            self.summary.setText(note)
        elif diff is None:
            self.summary.setText("Nothing to compare.")
        elif not stats.changed and not diff.metadata:
            self.summary.setText("No changes.")
        else:  # only the counts that are not zero ("−0 words" says nothing)
            parts = []
            if stats.inserted_words:
                words = counted(stats.inserted_words, "word")
                parts.append(f"<span style='color:#047857'>+{words}</span>")
            if stats.deleted_words:
                words = counted(stats.deleted_words, "word")
                parts.append(f"<span style='color:#b91c1c'>−{words}</span>")
            self.summary.setText(" &nbsp; ".join(parts) or "The text is unchanged.")
        fields = diff.metadata if diff is not None else []
        if fields:
            lines = [
                f"<b>{field_label(name)}:</b> "
                f"<span style='{DELETE_STYLE}'>{_value(old)}</span> → "
                f"<span style='{INSERT_STYLE}'>{_value(new)}</span>"
                for name, old, new in fields
            ]
            self.details.setText("<br>".join(lines))
        self.details.setVisible(bool(fields))
        body = render_inline_html(self.ops) if self.ops else ""
        self.inline.setHtml(page_html(styled(body) or "<p style='color:#6b7280'>Empty.</p>"))
        self.side.show_rows(side_by_side(self.ops))
        for pane in (self.inline, self.side.old, self.side.new):
            pane.moveCursor(QTextCursor.MoveOperation.Start)

    def inline_html(self) -> str:
        return self.inline.toHtml()


def _value(value: object) -> str:
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    text = str(value) if value not in (None, "") else "(empty)"
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ChangesDialog(QDialog):
    """Pick two revisions of an article and see the changes between them."""

    revisions_changed = Signal()

    def __init__(self, newsroom, article_id: str, old_id: str | None = None,
                 new_id: str | None = None, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("changesDialog")
        self.newsroom = newsroom
        self.article_id = article_id
        article = newsroom.get_article(article_id)
        self.head_id = article.head_revision_id
        self.version = article.version
        self.setWindowTitle(f"Changes — {article.headline or 'Untitled'}")
        self.resize(1000, 700)
        self.revisions: list[Revision] = list(reversed(newsroom.revisions(article_id)))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        self.heading = QLabel()
        self.heading.setObjectName("changesHeading")
        self.heading.setStyleSheet("font-size: 15px; font-weight: 600; color: #111827;")
        layout.addWidget(self.heading)

        chooser = QHBoxLayout()
        self.old_combo = QComboBox()
        self.new_combo = QComboBox()
        for combo in (self.old_combo, self.new_combo):
            combo.setMinimumContentsLength(38)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
        self._fill_choosers()
        chooser.addWidget(QLabel("From"))
        chooser.addWidget(self.old_combo, 1)
        swap = QToolButton()
        swap.setIcon(icons.icon("fa6s.right-left", color="#374151"))
        swap.setToolTip("Swap the two revisions")
        swap.clicked.connect(self.swap)
        chooser.addWidget(swap)
        chooser.addWidget(QLabel("to"))
        chooser.addWidget(self.new_combo, 1)
        self.review_button = QPushButton(
            icons.icon("fa6s.user-check", color="#374151"), "Since My Last Review"
        )
        self.review_button.clicked.connect(self.show_since_review)
        chooser.addWidget(self.review_button)
        layout.addLayout(chooser)

        self.view = DiffView()
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.old_combo.currentIndexChanged.connect(self._refresh)
        self.new_combo.currentIndexChanged.connect(self._refresh)
        if old_id is None and new_id is None:
            self.show_since_review()
        else:
            self.choose(old_id, new_id or self.head_id)

    def _fill_choosers(self) -> None:
        for combo in (self.old_combo, self.new_combo):
            combo.blockSignals(True)
            combo.clear()
            for revision in self.revisions:
                combo.addItem(
                    revision_label(revision, current=revision.id == self.head_id), revision.id
                )
            combo.blockSignals(False)

    def follow_news(self, rows: list) -> None:
        """The desk watch's news (summaries changed elsewhere): follow this article's."""
        if any(getattr(row, "id", None) == self.article_id for row in rows):
            self.follow_head()

    def follow_saved(self, article: object | None) -> None:
        """A save in this window."""
        if getattr(article, "id", None) == self.article_id:
            self.follow_head()

    def follow_head(self) -> bool:
        """The article has a newer version (saved here or by a colleague): the choosers
        gain it and a comparison up to the current version moves up to the new one (one
        between two older revisions stays). False when nothing changed."""
        try:
            article = self.newsroom.get_article(self.article_id)
            if article.version == self.version:
                return False
            revisions = list(reversed(self.newsroom.revisions(self.article_id)))
        except NewsroomError:
            return False
        old_id, new_id = self.old_combo.currentData(), self.new_combo.currentData()
        up_to_now = new_id == self.head_id  # (an autosave may rewrite the head in place)
        self.head_id, self.revisions = article.head_revision_id, revisions
        self.version = article.version
        self._fill_choosers()
        self.choose(old_id, self.head_id if up_to_now else new_id)
        self.revisions_changed.emit()
        return True

    def choose(self, old_id: str | None, new_id: str | None) -> None:
        """Compare `old_id` with `new_id` (ids of this article's revisions)."""
        for combo, wanted in ((self.old_combo, old_id), (self.new_combo, new_id)):
            combo.blockSignals(True)
            index = combo.findData(wanted)
            combo.setCurrentIndex(index if index >= 0 else combo.count() - 1)
            combo.blockSignals(False)
        self._refresh()

    def show_since_review(self) -> None:
        """The default: since the acting user last returned or approved the article."""
        base = self.newsroom.last_reviewed_revision(self.article_id)
        self._since_review = base
        first = self.revisions[-1].id if self.revisions else None
        self.choose(base or first, self.head_id)

    def swap(self) -> None:
        self.choose(self.new_combo.currentData(), self.old_combo.currentData())

    def _refresh(self) -> None:
        old_id, new_id = self.old_combo.currentData(), self.new_combo.currentData()
        if new_id is None:
            self.heading.setText("This article has no revisions yet.")
            self.view.show_diff(None)
            return
        reviewed = getattr(self, "_since_review", None)
        if old_id == reviewed and new_id == self.head_id and reviewed:
            when = next(r.created_at for r in self.revisions if r.id == reviewed)
            self.heading.setText(f"Changes since your last review ({short_time(when)})")
        elif reviewed is None and new_id == self.head_id and old_id == self.revisions[-1].id:
            self.heading.setText("Changes since the first version (you have not reviewed it)")
        else:
            self.heading.setText("Changes between two revisions")
        try:
            diff = self.newsroom.diff_revisions(old_id, new_id)
        except NewsroomError as error:
            self.view.show_diff(None, str(error))
            return
        note = "Same revision on both sides: choose another to compare." if old_id == new_id else ""
        self.view.show_diff(diff, note)


def open_changes(
    window, old_id: str | None = None, new_id: str | None = None
) -> ChangesDialog | None:
    """Article > Changes Since My Last Review: save first, so "now" is what is on screen."""
    if window.session.article is None or not window.session.save():
        return None
    dialog = ChangesDialog(window.newsroom, window.session.article.id, old_id, new_id, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # Open beside the story: a colleague's save (the desk watch) or one here shows in it.
    watch = getattr(window, "desk_watch", None)
    if watch is not None:
        watch.changed_elsewhere.connect(dialog.follow_news)
    window.session.saved.connect(dialog.follow_saved)
    dialog.show()
    window.changes_dialog = dialog
    return dialog
