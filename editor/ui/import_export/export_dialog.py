"""File > Export Site…: choose where and how, then export on a worker thread.

The export itself is `editor.core.site.export_site`; this module only asks for the folder,
the site's address, name and template folder (remembered in QSettings: these are the
newsroom's export preferences), and runs it off the GUI thread behind a cancellable
progress dialog. Cancelling leaves the previous site as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from editor.core.errors import NewsroomError
from editor.core.render import normalise_base_url
from editor.core.site import ExportCancelled, ExportOptions, ExportReport, export_site
from editor.core.text import counted
from editor.ui.background import Background, Job

_KEYS = {
    "out_dir": "export/out_dir",
    "base_url": "export/base_url",
    "site_name": "export/site_name",
    "templates_dir": "export/templates_dir",
}


class ExportPreferences:
    """The export settings a newsroom keeps between runs."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings if settings is not None else QSettings()

    def get(self, name: str, default: str = "") -> str:
        value = self._settings.value(_KEYS[name], default)
        return str(value) if value is not None else default

    def set(self, name: str, value: str) -> None:
        self._settings.setValue(_KEYS[name], value)


class ExportSiteDialog(QDialog):
    """Asks for the output folder, base URL, site name and (optional) template folder."""

    def __init__(self, preferences: ExportPreferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Site")
        self.setObjectName("exportSiteDialog")
        self._preferences = preferences
        self.out_dir = QLineEdit(preferences.get("out_dir"))
        self.out_dir.setPlaceholderText("Folder the site is written to")
        self.base_url = QLineEdit(preferences.get("base_url"))
        self.base_url.setPlaceholderText("https://news.example.org/")
        self.site_name = QLineEdit(preferences.get("site_name", "Newsroom"))
        self.templates_dir = QLineEdit(preferences.get("templates_dir"))
        self.templates_dir.setPlaceholderText("Default templates")
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                "Approved and published articles become the site; embargoed, held and "
                "unapproved ones are listed in the report. Unchanged pages are not rewritten."
            )
        )
        form.itemAt(0).widget().setWordWrap(True)
        form.addRow("&Folder:", self._with_browse(self.out_dir, "Choose the site folder"))
        form.addRow("Site &address:", self.base_url)
        form.addRow("Site &name:", self.site_name)
        form.addRow(
            "&Templates:", self._with_browse(self.templates_dir, "Choose a template folder")
        )
        self.error = QLabel()
        self.error.setObjectName("exportError")
        self.error.setStyleSheet("color: #b1221a")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(560, self.sizeHint().height())

    def _with_browse(self, edit: QLineEdit, title: str) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        button = QPushButton("Browse…", row)

        def browse() -> None:
            folder = QFileDialog.getExistingDirectory(self, title, edit.text())
            if folder:
                edit.setText(folder)

        button.clicked.connect(browse)
        layout.addWidget(button)
        return row

    def options(self) -> tuple[Path, ExportOptions]:
        templates = self.templates_dir.text().strip()
        return Path(self.out_dir.text().strip()).expanduser(), ExportOptions(
            base_url=self.base_url.text().strip(),
            site_name=self.site_name.text().strip() or "Newsroom",
            templates_dir=templates or None,
        )

    def _accept(self) -> None:
        self.error.clear()
        if not self.out_dir.text().strip():
            self.error.setText("Choose the folder the site is written to.")
            return
        try:
            normalise_base_url(self.base_url.text())
        except NewsroomError as error:
            self.error.setText(str(error))
            return
        templates = self.templates_dir.text().strip()
        if templates and not Path(templates).expanduser().is_dir():
            self.error.setText(f"The template folder {templates} does not exist.")
            return
        for name, edit in (
            ("out_dir", self.out_dir),
            ("base_url", self.base_url),
            ("site_name", self.site_name),
            ("templates_dir", self.templates_dir),
        ):
            self._preferences.set(name, edit.text().strip())
        self.accept()


def start_export(
    tasks: Background,
    newsroom,
    out_dir: Path,
    options: ExportOptions,
    *,
    progress: Callable[[int, int, str], object] | None = None,
    succeeded: Callable[[ExportReport], object] | None = None,
    failed: Callable[[str], object] | None = None,
    cancelled: Callable[[], object] | None = None,
    finished: Callable[[], object] | None = None,
) -> Job:
    """Run `export_site` on `tasks`; the store is read through its own sessions.

    `job.stop()` cancels before the next page (then `cancelled()`, the site left as it
    was); `failed(message)` says why it could not be done; `finished()` follows each.
    """

    def work(job: Job) -> ExportReport:
        return export_site(
            newsroom, out_dir, options=options, progress=job.progress, is_cancelled=job.should_stop
        )

    def failure(error: BaseException) -> None:
        if isinstance(error, ExportCancelled):
            if cancelled is not None:
                cancelled()
        elif isinstance(error, NewsroomError):
            failed and failed(str(error))
        else:
            failed and failed(f"The export failed: {error}")

    return tasks.run(work, progress=progress, success=succeeded, failure=failure, finished=finished)


def run_export(
    parent: QWidget, newsroom, out_dir: Path, options: ExportOptions
) -> ExportReport | None:
    """Export with a cancellable progress dialog; returns the report, None if not done."""
    progress = QProgressDialog("Reading the articles…", "Cancel", 0, 0, parent)
    progress.setWindowTitle("Exporting Site")
    progress.setMinimumDuration(300)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    tasks = Background(progress)
    outcome: dict[str, object] = {}

    def on_progress(done: int, total: int, what: str) -> None:
        progress.setMaximum(max(total, 1))
        progress.setValue(min(done, max(total, 1)))
        progress.setLabelText(f"{done:,} of {counted(total, 'article')}: {what}")

    def on_finished() -> None:
        progress.reset()
        progress.close()

    job = start_export(
        tasks,
        newsroom,
        out_dir,
        options,
        progress=on_progress,
        succeeded=lambda report: outcome.__setitem__("report", report),
        failed=lambda message: outcome.__setitem__("error", message),
        cancelled=lambda: outcome.__setitem__("cancelled", True),
        finished=on_finished,
    )

    def on_cancel() -> None:
        progress.setLabelText("Cancelling… the site is left as it was.")
        job.stop()

    progress.canceled.connect(on_cancel)
    progress.exec()
    # Cancel closes the dialog at once: wait for the export to stop, and hear how it ended.
    tasks.wait(24 * 3600 * 1000)
    tasks.deliver_arrived()
    tasks.deleteLater()
    if "error" in outcome:
        QMessageBox.warning(parent, "Export Site", str(outcome["error"]))
        return None
    if "cancelled" in outcome:
        QMessageBox.information(
            parent, "Export Site", "Export cancelled; the site was left as it was."
        )
        return None
    report = outcome.get("report")
    if isinstance(report, ExportReport):
        show_report(parent, report)
        return report
    return None


def show_report(parent: QWidget, report: ExportReport) -> None:
    report_box(parent, report).exec()


def report_box(parent: QWidget, report: ExportReport) -> QMessageBox:
    """The message box `show_report` shows: the summary, and the notes in its details."""
    lines = report.summary_lines()
    box = QMessageBox(parent)
    box.setWindowTitle("Export Site")
    box.setIcon(QMessageBox.Icon.Information)
    box.setText(lines[0])
    if len(lines) > 1:
        box.setInformativeText(f"{counted(len(lines) - 1, 'note')}: see the details.")
        box.setDetailedText("\n".join(lines[1:]))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def export_site_interactively(parent: QWidget, newsroom) -> ExportReport | None:
    """The whole `File > Export Site…` flow."""
    preferences = ExportPreferences()
    dialog = ExportSiteDialog(preferences, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    out_dir, options = dialog.options()
    return run_export(parent, newsroom, out_dir, options)
