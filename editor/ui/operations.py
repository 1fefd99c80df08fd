"""File operations started from the menus: import files as drafts, export one article."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QProgressDialog, QWidget

from editor.core.errors import NewsroomError
from editor.core.model import Article
from editor.core.newsroom import ImportReport, Newsroom
from editor.ui import dialogs


def _documents_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


def choose_and_import(parent: QWidget, newsroom: Newsroom) -> ImportReport | None:
    """Ask for .txt/.md files and import them one step at a time, cancellable."""
    paths, _ = QFileDialog.getOpenFileNames(
        parent,
        "Import Articles",
        str(_documents_folder()),
        "Text and Markdown (*.txt *.md *.markdown);;All files (*)",
    )
    if not paths:
        return None
    return import_paths(parent, newsroom, [Path(p) for p in paths])


def import_paths(parent: QWidget, newsroom: Newsroom, paths: list[Path]) -> ImportReport:
    report = ImportReport()
    progress = QProgressDialog("Importing…", "Cancel", 0, len(paths), parent)
    progress.setWindowTitle("Import")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(400)
    for number, path in enumerate(paths):
        if progress.wasCanceled():
            break
        progress.setLabelText(f"Importing {path.name}…")
        part = newsroom.import_files([path])
        report.imported.extend(part.imported)
        report.failed.extend(part.failed)
        progress.setValue(number + 1)
        QApplication.processEvents()
    progress.close()
    if report.failed:
        dialogs.report_import_failures(parent, report.failed, len(report.imported))
    return report


def choose_and_export(parent: QWidget, article: Article) -> Path | None:
    """Ask where to write `article` as a web page (default `<slug>.html`) and write it."""
    default = _documents_folder() / f"{article.slug or 'article'}.html"
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export HTML", str(default), "Web page (*.html *.htm)"
    )
    if not path:
        return None
    try:
        from editor.core.export import export_article_html

        return export_article_html(article, Path(path))
    except NewsroomError as error:
        dialogs.show_error(parent, "Export HTML", str(error))
        return None
