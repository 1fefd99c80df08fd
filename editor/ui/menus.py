"""The menu bar and main toolbar, built from the action registry (no actions made here)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QMainWindow, QToolBar, QWidget

from editor.ui.actions import FORMAT_ACTIONS, ActionRegistry

_MENUS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("&File", ("file_new", "file_save", None, "file_import", "file_export_html", None,
               "file_quit")),
    ("&Edit", ("edit_undo", "edit_redo", None, "edit_undo_delete", "article_delete")),
    ("F&ormat", FORMAT_ACTIONS),
    ("&View", ("view_find",)),
)  # fmt: skip

_MAIN_TOOLBAR = ("file_new", "file_save", None, "file_import", "file_export_html", None,
                 "article_delete")  # fmt: skip


def build_menus(window: QMainWindow, actions: ActionRegistry) -> None:
    bar = window.menuBar()
    for title, names in _MENUS:
        menu = bar.addMenu(title)
        for name in names:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(actions[name])


def build_toolbar(
    title: str,
    names: tuple[str | None, ...],
    actions: ActionRegistry,
    parent: QWidget,
    style: Qt.ToolButtonStyle = Qt.ToolButtonStyle.ToolButtonIconOnly,
) -> QToolBar:
    """A fixed toolbar of registry actions; None in `names` is a separator."""
    toolbar = QToolBar(title, parent)
    toolbar.setObjectName(f"{title.lower()}Toolbar")
    toolbar.setMovable(False)
    toolbar.setIconSize(QSize(16, 16))
    toolbar.setToolButtonStyle(style)
    for name in names:
        if name is None:
            toolbar.addSeparator()
        else:
            toolbar.addAction(actions[name])
    return toolbar


def build_main_toolbar(window: QMainWindow, actions: ActionRegistry) -> QToolBar:
    toolbar = build_toolbar(
        "Main", _MAIN_TOOLBAR, actions, window, Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    )
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    return toolbar
