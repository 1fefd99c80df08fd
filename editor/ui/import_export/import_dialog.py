"""Importing files from the GUI: off the GUI thread, cancellable, asking about duplicates.

`ImportController.start(paths)` runs `Newsroom.import_files` on a worker thread behind a
progress dialog whose Cancel stops before the next file. Files imported before come
back as duplicates; the person is asked per file (skip, new copy, update the earlier
import, with "the same for the rest") and those files go through a second run. Files
dropped on the article list arrive through `FileDropFilter`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtWidgets import QCheckBox, QMessageBox, QProgressDialog, QWidget

from editor.core.importers import IMPORT_SUFFIXES
from editor.services.import_run import ImportDuplicate, ImportReport
from editor.ui import dialogs
from editor.ui.background import Background, Job

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom

#: The answer to "imported before": a choice of `Newsroom.import_files`, and "for all".
DuplicateAnswer = tuple[str, bool]
DuplicateAsker = Callable[[QWidget | None, ImportDuplicate, int], DuplicateAnswer | None]


def ask_duplicate(parent: QWidget | None, duplicate: ImportDuplicate, others: int):
    """Skip, new copy or update for one file imported before; None when cancelled."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Imported Before")
    box.setText(f"{duplicate.path.name} was imported before.")
    box.setInformativeText(
        f"The same file is already the article “{duplicate.headline or 'Untitled'}”. "
        "Skip it, import it again as a new copy, or update the earlier import with it?"
    )
    skip = box.addButton("Skip", QMessageBox.ButtonRole.RejectRole)
    copy = box.addButton("Import New Copy", QMessageBox.ButtonRole.AcceptRole)
    update = box.addButton("Update Earlier Import", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(skip)
    box.setEscapeButton(skip)
    same = None
    if others:
        same = QCheckBox(f"Do the same for the other {others} file{'s' * (others != 1)}")
        box.setCheckBox(same)
    box.exec()
    choice = {skip: "skip", copy: "copy", update: "update"}.get(box.clickedButton(), "skip")
    return choice, bool(same and same.isChecked())


def _import_groups(newsroom: Newsroom, groups: list[tuple[list[Path], str]],
                   job: Job) -> ImportReport:  # fmt: skip
    """Each group of files with its duplicate choice, as one report (on the worker thread)."""
    report = ImportReport()
    total = sum(len(paths) for paths, _ in groups)
    done = 0
    for paths, choice in groups:
        base = done

        def progress(number: int, _count: int, path: Path, base: int = base) -> None:
            job.progress(base + number, total, path.name)

        part = newsroom.import_files(
            paths, on_duplicate=choice, progress=progress, cancelled=job.should_stop
        )
        report.merge(part)
        done += len(paths)
    return report


class ImportController(QObject):
    """Runs imports for a window; `finished(report)` when all files, asked or not, are done."""

    finished = Signal(object)  # ImportReport

    def __init__(
        self,
        newsroom: Newsroom,
        parent: QWidget,
        ask: DuplicateAsker = ask_duplicate,
        report_failures: Callable[[QWidget, list[tuple[Path, str]], int], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._newsroom = newsroom
        self._window = parent
        self._ask = ask
        self._report_failures = report_failures or dialogs.report_import_failures
        self._tasks = Background(self)
        self._job: Job | None = None
        self._progress: QProgressDialog | None = None
        self._report = ImportReport()
        self._asked = False
        self.busy = False

    def start(self, paths: list[Path]) -> bool:
        """Import `paths` (duplicates asked about); False when an import is already running."""
        if self.busy or not paths:
            return False
        self.busy = True
        self._report = ImportReport()
        self._asked = False
        self._run([([Path(p) for p in paths], "ask")])
        return True

    def cancel(self) -> None:
        """Stop before the next file; the files done so far are reported."""
        if self._job is not None:
            self._job.stop()

    def _run(self, groups: list[tuple[list[Path], str]]) -> None:
        total = sum(len(paths) for paths, _ in groups)
        progress = QProgressDialog("Importing…", "Cancel", 0, total, self._window)
        progress.setObjectName("importProgress")
        progress.setWindowTitle("Import")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        self._progress = progress
        newsroom = self._newsroom
        self._job = self._tasks.run(
            lambda job: _import_groups(newsroom, groups, job),
            progress=self._on_progress,
            success=self._on_finished,
            failure=lambda error: self._on_finished(f"The import stopped: {error}"),
        )
        progress.canceled.connect(self._job.stop)

    def _on_progress(self, done: int, total: int, name: str) -> None:
        if self._progress is not None:
            self._progress.setMaximum(max(total, 1))
            self._progress.setValue(min(done, total))
            if name:
                self._progress.setLabelText(f"Importing {name}…")

    def _close_progress(self) -> None:
        """Hide the progress dialog for good before anything else is asked.

        `close()` alone leaves QProgressDialog's show-after-`minimumDuration` timer
        running, and `deleteLater()` waits for the outer event loop: during the
        duplicate question's `exec()` the timer fired and showed the dialog again,
        window-modal over the question, and neither took input. `reset()` stops the
        timer; hiding and deleting now leaves nothing to come back.
        """
        progress, self._progress = self._progress, None
        if progress is None:
            return
        progress.canceled.disconnect()
        progress.reset()  # stops the auto-show timer
        progress.hide()
        progress.setParent(None)  # no longer a window-modal child of the main window
        shiboken6.delete(progress)  # not deleteLater: a nested exec() would keep it alive

    def _on_finished(self, result: object) -> None:
        self._close_progress()
        if isinstance(result, str):
            self._report.failed.append((Path("import"), result))
            self._finish()
            return
        assert isinstance(result, ImportReport)
        duplicates, result.duplicates = result.duplicates, []
        self._report.merge(result)
        if duplicates and not result.cancelled and not self._asked:
            self._asked = True
            groups = self._decide(duplicates)
            if groups:
                self._run(groups)
                return
        self._finish()

    def _decide(self, duplicates: list[ImportDuplicate]) -> list[tuple[list[Path], str]]:
        """Ask per file (or once for the rest); skipped files go into the report."""
        chosen: dict[str, list[Path]] = {"copy": [], "update": []}
        for_all: str | None = None
        for number, duplicate in enumerate(duplicates):
            choice = for_all
            if choice is None:
                answer = self._ask(self._window, duplicate, len(duplicates) - number - 1)
                choice, same = answer if answer is not None else ("skip", True)
                if same:
                    for_all = choice
            if choice == "skip":
                self._report.skipped.append(duplicate)
            else:
                chosen[choice].append(duplicate.path)
        return [(paths, choice) for choice, paths in chosen.items() if paths]

    def _finish(self) -> None:
        self.busy = False
        report = self._report
        if report.failed:
            count = len(report.imported) + len(report.updated)
            self._report_failures(self._window, report.failed, count)
        self.finished.emit(report)

    def shutdown(self) -> None:
        """Stop after the current file and wait (before the store closes)."""
        self._tasks.shutdown(30_000)


def importable(urls: list[QUrl]) -> list[Path]:
    """The local files among dropped URLs (folders and other URLs are left out)."""
    paths = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
    return [p for p in paths if p.is_file()]


class FileDropFilter(QObject):
    """Accepts files dragged onto `view` and hands their paths to `on_drop`."""

    def __init__(self, view, on_drop: Callable[[list[Path]], None]) -> None:
        super().__init__(view)
        self._on_drop = on_drop
        view.setAcceptDrops(True)
        view.viewport().setAcceptDrops(True)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            mime = event.mimeData()
            if mime.hasUrls() and any(u.isLocalFile() for u in mime.urls()):
                event.acceptProposedAction()
                return True
            return False
        if kind == QEvent.Type.Drop:
            mime = event.mimeData()
            paths = importable(mime.urls()) if mime.hasUrls() else []
            if paths:
                event.acceptProposedAction()
                self._on_drop(paths)
                return True
        return False


#: For the File > Import dialog: everything the importer reads.
FILE_FILTER = (
    "Articles (" + " ".join(f"*{s}" for s in sorted(IMPORT_SUFFIXES)) + ");;"
    "Text and Markdown (*.txt *.md *.markdown);;Web pages (*.html *.htm);;"
    "Word documents (*.docx);;All files (*)"
)
