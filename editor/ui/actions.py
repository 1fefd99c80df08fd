"""The one action registry: every QAction of the main window is created here.

Actions are named `menu_verb`, use `QKeySequence.StandardKey` where one exists and carry
their shortcut in the tooltip. Panels connect to them; nothing else creates actions.
"""

from __future__ import annotations

import qtawesome
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

StandardKey = QKeySequence.StandardKey
Shortcut = StandardKey | str | None

#: name -> (text, icon name or None, shortcut, checkable, status tip)
_SPECS: dict[str, tuple[str, str | None, Shortcut, bool, str]] = {
    "file_new": ("&New Article", "fa6s.file-circle-plus", StandardKey.New, False,
                 "Start a new draft"),
    "file_save": ("&Save", "fa6s.floppy-disk", StandardKey.Save, False,
                  "Save the article now"),
    "file_import": ("&Import…", "fa6s.file-import", "Ctrl+Shift+I", False,
                    "Import .txt and .md files as drafts"),
    "file_export_html": ("&Export HTML…", "fa6s.file-export", "Ctrl+Shift+E", False,
                         "Write the article as a web page"),
    "file_quit": ("&Quit", "fa6s.right-from-bracket", StandardKey.Quit, False,
                  "Save and quit"),
    "edit_undo": ("&Undo", "fa6s.arrow-rotate-left", StandardKey.Undo, False,
                  "Undo the last change to the text"),
    "edit_redo": ("&Redo", "fa6s.arrow-rotate-right", StandardKey.Redo, False,
                  "Redo the change just undone"),
    "edit_undo_delete": ("Undo &Delete", "fa6s.rotate-left", None, False,
                         "Bring back the article just deleted"),
    "article_delete": ("&Delete Article…", "fa6s.trash-can", None, False,
                       "Delete the article (it can be restored)"),
    "view_find": ("&Find Article", "fa6s.magnifying-glass", StandardKey.Find, False,
                  "Search headlines and text"),
    "format_bold": ("&Bold", "fa6s.bold", StandardKey.Bold, True, "Bold"),
    "format_italic": ("&Italic", "fa6s.italic", StandardKey.Italic, True, "Italic"),
    "format_heading2": ("Heading &2", "mdi6.format-header-2", "Ctrl+Alt+2", True,
                        "Section heading"),
    "format_heading3": ("Heading &3", "mdi6.format-header-3", "Ctrl+Alt+3", True,
                        "Subheading"),
    "format_paragraph": ("&Paragraph", "fa6s.paragraph", "Ctrl+Alt+0", True,
                         "Plain paragraph"),
    "format_bullet_list": ("Bulleted &List", "fa6s.list-ul", "Ctrl+Shift+8", True,
                           "Bulleted list"),
    "format_numbered_list": ("&Numbered List", "fa6s.list-ol", "Ctrl+Shift+7", True,
                             "Numbered list"),
    "format_block_quote": ("Block &Quote", "fa6s.quote-left", "Ctrl+Shift+.", True,
                           "Quotation set apart from the text"),
    "format_link": ("&Link…", "fa6s.link", "Ctrl+K", True, "Link the selection to a web address"),
}  # fmt: skip

#: Groups shown together in menus and toolbars, in order.
FORMAT_ACTIONS = (
    "format_bold",
    "format_italic",
    None,
    "format_paragraph",
    "format_heading2",
    "format_heading3",
    None,
    "format_bullet_list",
    "format_numbered_list",
    "format_block_quote",
    None,
    "format_link",
)

ICON_COLOUR = "#3b4252"


class ActionRegistry(QObject):
    """Owns the window's actions; look them up by name: `actions["file_save"]`."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._actions: dict[str, QAction] = {}
        for name, (text, icon, shortcut, checkable, tip) in _SPECS.items():
            action = QAction(text, parent)
            action.setObjectName(name)
            if icon:
                action.setIcon(qtawesome.icon(icon, color=ICON_COLOUR))
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.setCheckable(checkable)
            action.setStatusTip(tip)
            action.setToolTip(_tooltip(text, action.shortcut()))
            self._actions[name] = action
        self["edit_undo_delete"].setEnabled(False)

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def names(self) -> list[str]:
        return list(self._actions)


def _tooltip(text: str, shortcut: QKeySequence) -> str:
    plain = text.replace("&", "").rstrip("…")
    keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
    return f"{plain} ({keys})" if keys else plain
