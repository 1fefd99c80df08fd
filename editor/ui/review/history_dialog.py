"""The history browser: every revision of an article, its text, its changes, and restore.

Restoring never rewrites history: `Newsroom.restore_revision` writes the old text and
details as a NEW revision (reason "restore") after a confirmation, and the editing
session loads the article again so the editor shows the restored text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.core.errors import NewsroomError
from editor.core.model import Revision
from editor.core.render import render_body_html
from editor.core.text import word_count
from editor.ui import dialogs, icons
from editor.ui.articles.model import full_time, short_time
from editor.ui.review.changes_view import DiffView, TextPane, page_html
from editor.ui.status_style import action_icon, action_label

ID_ROLE = Qt.ItemDataRole.UserRole + 1
COMPARE_PREVIOUS = "previous"
COMPARE_CURRENT = "current"

_REASON_ICONS = {
    "save": ("fa6s.floppy-disk", "#4b5563"),
    "autosave": ("fa6s.clock", "#9ca3af"),
    "create": ("fa6s.file-circle-plus", "#4b5563"),
    "restore": ("fa6s.clock-rotate-left", "#1d5fa8"),
    "import": ("fa6s.file-import", "#4b5563"),
}


def _reason_icon(reason: str):
    if reason in _REASON_ICONS:
        name, colour = _REASON_ICONS[reason]
        return icons.icon(name, color=colour)
    return action_icon(reason)


class HistoryDialog(QDialog):
    """Revisions newest first | the chosen one's text or its changes; Restore."""

    def __init__(self, newsroom, article_id: str,
                 restore: Callable[[str], bool] | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.newsroom = newsroom
        self.article_id = article_id
        self._restore = restore
        self.resize(1080, 700)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15px; font-weight: 600; color: #111827;")
        layout.addWidget(self.heading)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.tree = QTreeWidget()
        self.tree.setObjectName("revisionList")
        self.tree.setHeaderLabels(["When", "Author", "Reason", "Words"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda *_: self._show_selected())
        splitter.addWidget(self.tree)

        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.text_view = TextPane("revisionText")
        self.tabs.addTab(self.text_view, "Text")
        changes = QWidget()
        changes_box = QVBoxLayout(changes)
        changes_box.setContentsMargins(0, 8, 0, 0)
        compare_row = QHBoxLayout()
        compare_row.addWidget(QLabel("Compared with"))
        self.compare = QComboBox()
        self.compare.setObjectName("compareWith")
        self.compare.addItem("the revision before it", COMPARE_PREVIOUS)
        self.compare.addItem("the current version", COMPARE_CURRENT)
        self.compare.currentIndexChanged.connect(lambda *_: self._show_selected())
        compare_row.addWidget(self.compare)
        compare_row.addStretch(1)
        changes_box.addLayout(compare_row)
        self.diff_view = DiffView()
        changes_box.addWidget(self.diff_view, 1)
        self.tabs.addTab(changes, "Changes")
        column.addWidget(self.tabs, 1)
        splitter.addWidget(right)
        splitter.setSizes([420, 660])
        layout.addWidget(splitter, 1)

        buttons = QDialogButtonBox()
        self.restore_button = QPushButton(
            icons.icon("fa6s.clock-rotate-left", color="#1d5fa8"), "Restore This Version…"
        )
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setToolTip(
            "Make this version the current one again, as a new revision (history is kept)"
        )
        self.restore_button.clicked.connect(self.ask_restore)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    # -- contents ----------------------------------------------------------------

    def reload(self) -> None:
        """Read the article's revisions again (after a restore, say) and show the newest."""
        article = self.newsroom.get_article(self.article_id)
        self.head_id = article.head_revision_id
        self.setWindowTitle(f"History — {article.headline or 'Untitled'}")
        self.revisions: list[Revision] = self.newsroom.revisions(self.article_id)
        self.heading.setText(
            f"{article.headline or 'Untitled'} · {len(self.revisions)} revision"
            f"{'s' * (len(self.revisions) != 1)}"
        )
        self.tree.blockSignals(True)
        self.tree.clear()
        for revision in reversed(self.revisions):
            current = revision.id == self.head_id
            item = QTreeWidgetItem(
                [
                    short_time(revision.created_at),
                    revision.author or "Unknown",
                    action_label(revision.reason) + (" · current" if current else ""),
                    f"{word_count(revision.body):,}",
                ]
            )
            item.setData(0, ID_ROLE, revision.id)
            item.setToolTip(0, full_time(revision.created_at))
            item.setIcon(2, _reason_icon(revision.reason))
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if current:
                font = item.font(2)
                font.setBold(True)
                for col in range(4):
                    item.setFont(col, font)
            self.tree.addTopLevelItem(item)
        self.tree.blockSignals(False)
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._show_selected()

    def selected_revision(self) -> Revision | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        wanted = item.data(0, ID_ROLE)
        return next((r for r in self.revisions if r.id == wanted), None)

    def select_revision(self, revision_id: str) -> None:
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item.data(0, ID_ROLE) == revision_id:
                self.tree.setCurrentItem(item)
                return

    def _previous(self, revision: Revision) -> Revision | None:
        by_id = {r.id: r for r in self.revisions}
        if revision.parent_id in by_id:
            return by_id[revision.parent_id]
        index = self.revisions.index(revision)
        return self.revisions[index - 1] if index else None

    def _show_selected(self) -> None:
        revision = self.selected_revision()
        self.restore_button.setEnabled(
            revision is not None and revision.id != self.head_id and self._restore is not None
        )
        if revision is None:
            self.text_view.setHtml(page_html("<p style='color:#6b7280'>No revisions yet.</p>"))
            self.diff_view.show_diff(None)
            return
        headline = revision.metadata.get("headline") or "Untitled"
        self.text_view.setHtml(
            page_html(
                f"<h2>{_escape(str(headline))}</h2>"
                f"<p style='color:#6b7280'>{_escape(full_time(revision.created_at))} · "
                f"{_escape(revision.author or 'Unknown')} · {action_label(revision.reason)}</p>"
                + render_body_html(revision.body)
            )
        )
        try:
            if self.compare.currentData() == COMPARE_CURRENT:
                if revision.id == self.head_id:
                    self.diff_view.show_diff(None, "This is the current version.")
                    return
                diff = self.newsroom.diff_revisions(revision.id, self.head_id)
            else:
                previous = self._previous(revision)
                diff = self.newsroom.diff_revisions(previous.id if previous else None, revision.id)
        except NewsroomError as error:
            self.diff_view.show_diff(None, str(error))
            return
        self.diff_view.show_diff(diff)

    # -- restore -------------------------------------------------------------------

    def ask_restore(self) -> bool:
        revision = self.selected_revision()
        if revision is None or self._restore is None or revision.id == self.head_id:
            return False
        answer = QMessageBox.question(
            self,
            "Restore This Version",
            f"Restore the version of {full_time(revision.created_at)} by "
            f"{revision.author or 'unknown'}?\n\nIts text and details become the current "
            "version, saved as a new revision. Nothing is lost: the versions since stay in "
            "the history.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self.restore(revision.id)

    def restore(self, revision_id: str) -> bool:
        """Restore without asking (the confirmation is `ask_restore`'s)."""
        if self._restore is None or not self._restore(revision_id):
            return False
        self.reload()
        return True


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def restore_in_window(window, revision_id: str) -> bool:
    """Restore `revision_id` of the open article and show the result in the editor."""
    session = window.session
    if session.article is None or not session.save():
        return False
    article_id = session.article.id
    try:
        restored = window.newsroom.restore_revision(
            article_id, revision_id, expected_version=session.article.version
        )
    except NewsroomError as error:
        dialogs.show_error(window, "Restore", str(error))
        return False
    reload = getattr(session, "reload", None)
    if reload is not None:
        reload()
    else:  # an older editing session: close and open again
        session.close_article()
        window.open_article(article_id)
    window.bus.article_saved.emit(restored)
    window.status.showMessage("Restored an earlier version as a new revision.", 8000)
    return True


def open_history(window) -> HistoryDialog | None:
    """Article > History: save first, so the newest revision is what is on screen."""
    if window.session.article is None or not window.session.save():
        return None
    dialog = HistoryDialog(
        window.newsroom,
        window.session.article.id,
        restore=lambda revision_id: restore_in_window(window, revision_id),
        parent=window,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    window.history_dialog = dialog
    return dialog
