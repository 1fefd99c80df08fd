"""The menu bar and main toolbar, built from the action registry (no actions made here)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QMainWindow, QToolBar, QWidget

from editor.ui.actions import FORMAT_ACTIONS, FORMAT_MENU_EXTRAS, ActionRegistry

_MENUS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("&File", ("file_new", "file_save", None, "file_import", "file_export_html",
               "file_export_site", None, "file_sync", "file_send_story", "file_open_package",
               "file_restore_backup", None, "file_switch_user", "file_users", None, "file_quit")),
    ("&Edit", ("edit_undo", "edit_redo", None, "edit_paste_plain", None, "edit_find",
               "edit_replace", None, "edit_undo_delete", "article_delete", None,
               "edit_preferences")),
    ("&Article", ("article_submit", "article_return", "article_approve", "article_publish",
                  None, "article_spike", "article_reopen", None, "article_correct", None,
                  "review_comment", "article_changes", "article_history")),
    ("F&ormat", FORMAT_ACTIONS + FORMAT_MENU_EXTRAS),
    ("&View", ("view_find", None, "view_spell_check", None, "view_focus_mode",
               "view_typewriter", None, "view_dashboard", None, "view_markdown_source")),
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
