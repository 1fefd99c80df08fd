"""File > Restore from Backup…, and the offer of a backup when the store is damaged.

`RestoreBackupDialog` lists the store's backups (when, how big, why: daily, before an
upgrade, made by hand, a store put aside by an earlier restore), newest first.
`restore_from_backup` is the whole command: pick a backup, close the store (the window
saves first; the person may still say no), restore on a worker thread behind a busy
indicator (the store as it was is kept beside it, renamed `<stem>.replaced-<time>`,
never overwritten), then reopen the store, restored or, when the restore failed, as it
was. `offer_backup_for_damaged_store` is what the window's start shows instead of an
unusable damaged store: what is wrong, and the latest good backup to restore.

Everything goes through `editor.services.backups` (the ui never imports the store).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.core.errors import NewsroomError
from editor.ui.background import Background

if TYPE_CHECKING:
    from editor.services import backups

T = TypeVar("T")
_PATH_ROLE = Qt.ItemDataRole.UserRole


class RestoreBackupDialog(QDialog):
    """The store's backups, newest first; Restore puts the chosen one in the store's place."""

    def __init__(self, store: Path, found: list[backups.BackupInfo], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreBackupDialog")
        self.setWindowTitle("Restore from Backup")
        self.resize(760, 360)
        layout = QVBoxLayout(self)
        explanation = QLabel(
            f"Choose the backup to put in place of <b>{_html(store)}</b>. The store as it "
            "is now is not overwritten: it is kept beside it, renamed "
            f"<i>{_html(store.stem)}.replaced-&lt;time&gt;{_html(store.suffix)}</i>, and "
            "listed here, so a restore can itself be undone."
        )
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.table = QTreeWidget()
        self.table.setObjectName("backupList")
        self.table.setHeaderLabels(["Made", "Size", "Why", "File"])
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        for info in found:
            item = QTreeWidgetItem(
                [
                    info.made_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                    _size(info.size),
                    info.label,
                    info.path.name,
                ]
            )
            item.setData(0, _PATH_ROLE, str(info.path))
            item.setToolTip(3, str(info.path))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.addTopLevelItem(item)
        for column in range(3):
            self.table.resizeColumnToContents(column)
        layout.addWidget(self.table)
        self.empty = QLabel(
            f"There are no backups of this store yet in {_html(store.parent)}. One is made "
            "on the first start of each day and before every upgrade."
        )
        self.empty.setWordWrap(True)
        self.empty.setVisible(not found)
        self.table.setVisible(bool(found))
        layout.addWidget(self.empty)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(
            "&Restore", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setObjectName("restoreButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda *_: self.accept())
        if found:
            self.table.setCurrentItem(self.table.topLevelItem(0))
        self._selection_changed()

    def selected_backup(self) -> Path | None:
        item = self.table.currentItem()
        if item is None or not item.isSelected():
            return None
        return Path(item.data(0, _PATH_ROLE))

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None)


#: Shows the dialog and returns the chosen backup (None: cancelled); tests replace it.
Chooser = Callable[[QWidget | None, Path, list["backups.BackupInfo"]], Path | None]


def choose_backup(parent: QWidget | None, store: Path, found: list[backups.BackupInfo]):
    dialog = RestoreBackupDialog(store, found, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.selected_backup()


def restore_from_backup(
    parent: QWidget | None,
    location: str | Path | None,
    *,
    close_store: Callable[[], bool],
    reopen: Callable[[], object],
    choose: Chooser = choose_backup,
    inform: Callable[[QWidget | None, str, str], object] | None = None,
) -> backups.RestoreReport | None:
    """File > Restore from Backup…: choose, close the store, restore, reopen it.

    `close_store()` saves and closes the window's store; False (the person kept an
    unsaved change) stops here with nothing changed. `reopen()` opens the store again
    afterwards, restored or (when the restore failed) as it was. The report, or None
    when nothing was restored.
    """
    from editor.services import backups  # the store's half: not before the first paint

    tell = inform or _inform
    try:
        store = backups.store_file(location)
        found = backups.list_backups(location)
    except NewsroomError as error:
        tell(parent, "Cannot restore from a backup", str(error))
        return None
    chosen = choose(parent, store, found)
    if chosen is None or not close_store():
        return None
    try:
        report = run_with_progress(
            parent, "Restoring the backup…", lambda: backups.restore(location, chosen)
        )
    except NewsroomError as error:
        reopen()
        tell(parent, "The backup was not restored", f"{error}\n\nThe store is as it was.")
        return None
    reopen()
    kept = (
        f"\n\nThe store as it was is kept as {report.kept_aside}."
        if report.kept_aside is not None
        else ""
    )
    tell(parent, "Backup restored", f"{report.restored} now holds {report.backup.name}.{kept}")
    return report


def offer_backup_for_damaged_store(
    parent: QWidget | None,
    error: backups.DamagedStoreError,
    *,
    ask: Callable[[QWidget | None, str, str], bool] | None = None,
    inform: Callable[[QWidget | None, str, str], object] | None = None,
) -> backups.RestoreReport | None:
    """At start, a damaged store: say what is wrong and offer its latest good backup.

    The report when the person restored it (open the store again then), else None.
    """
    from editor.services import backups

    tell = inform or _inform
    if error.backup is None:
        tell(parent, "The store is damaged", str(error))
        return None
    question = ask or _ask_restore
    if not question(parent, "The store is damaged", str(error)):
        return None
    try:
        return run_with_progress(
            parent, "Restoring the backup…", lambda: backups.restore(error.path, error.backup)
        )
    except NewsroomError as failure:
        tell(parent, "The backup was not restored", str(failure))
        return None


def run_with_progress(parent: QWidget | None, label: str, work: Callable[[], T]) -> T:
    """Run `work` on a worker thread while a busy indicator shows; its result or error.

    The window keeps painting and the person sees that something is happening; the
    work itself cannot be cancelled halfway (a restore is all or nothing).
    """
    progress = QProgressDialog(label, "", 0, 0, parent)
    progress.setObjectName("backupProgress")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    loop = QEventLoop()
    outcome: dict[str, object] = {}
    tasks = Background(progress)

    def done(value: object) -> None:
        outcome["value"] = value

    def failed(error: BaseException) -> None:
        outcome["error"] = error

    tasks.run(lambda job: work(), success=done, failure=failed, finished=loop.quit)
    if not outcome:
        loop.exec()
    progress.close()
    progress.deleteLater()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _ask_restore(parent: QWidget | None, title: str, text: str) -> bool:
    box = QMessageBox(parent)
    box.setObjectName("damagedStoreBox")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(title)
    box.setText(text)
    restore = box.addButton("&Restore the Backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def _inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def _html(value: object) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _size(count: int) -> str:
    value = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{count} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"
