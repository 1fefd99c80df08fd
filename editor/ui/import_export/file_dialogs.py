"""File operations started from the menus: choose files to import, export one article."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from editor.core.errors import NewsroomError
from editor.core.model import Article
from editor.ui import dialogs


def documents_folder() -> Path:
    """The person's Documents folder (home when there is none): where file choosers start."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


def choose_import_paths(parent: QWidget) -> list[Path]:
    """Ask for files to import (text, Markdown, web pages, Word documents)."""
    from editor.ui.import_export.import_dialog import FILE_FILTER

    paths, _ = QFileDialog.getOpenFileNames(
        parent, "Import Articles", str(documents_folder()), FILE_FILTER
    )
    return [Path(p) for p in paths]


def choose_and_export(parent: QWidget, article: Article, newsroom) -> Path | None:
    """Ask where to write `article` as a web page (default `<slug>.html`) and write it,
    whole: its images inlined (read from the `newsroom`), its corrections printed.
    """
    default = documents_folder() / f"{article.slug or 'article'}.html"
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export HTML", str(default), "Web page (*.html *.htm)"
    )
    if not path:
        return None
    from editor.core.site import export_single_page

    try:
        return export_single_page(newsroom, article, Path(path))
    except NewsroomError as error:
        dialogs.show_error(parent, "Export HTML", str(error))
        return None
