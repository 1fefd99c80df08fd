"""Wires tables and pictures into the window: Format > Table, Format > Image…, toolbar."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QMenu

from editor.ui.body.images import ImageCommands
from editor.ui.body.tables import TableCommands, table_menu


def install_tables_and_images(window: QMainWindow) -> tuple[TableCommands, ImageCommands]:
    """After the menus exist: the commands, a Table submenu and Image… in Format."""
    tables = TableCommands(window)
    images = ImageCommands(window)
    format_menu = _menu(window, "F&ormat")
    if format_menu is not None:
        first_extra = window.actions["format_smart_typography"]
        anchor = first_extra if first_extra in format_menu.actions() else None
        format_menu.insertAction(anchor, window.actions["format_image"])
        format_menu.insertMenu(anchor, table_menu(window))
        format_menu.insertSeparator(anchor)
    toolbar = window.format_toolbar
    toolbar.addSeparator()
    toolbar.addAction(window.actions["format_image"])
    toolbar.addAction(window.actions["format_table_insert"])
    window.session.opened.connect(lambda article: _enable(window, article is not None))
    window.body_stack.mode_changed.connect(
        lambda _source: _enable(window, window.session.article is not None)
    )
    _enable(window, window.session.article is not None)
    return tables, images


def _enable(window: QMainWindow, article_open: bool) -> None:
    source = getattr(window, "body_stack", None)
    usable = article_open and not (source is not None and source.source_mode)
    for name in ("format_image", "format_table_insert"):
        window.actions[name].setEnabled(usable and not window.editor.isReadOnly())


def _menu(window: QMainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.text() == title and action.menu() is not None:
            return action.menu()
    return None
