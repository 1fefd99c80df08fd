"""The one action registry: every QAction of the main window is created here.

Actions are named `menu_verb`, use `QKeySequence.StandardKey` where one exists and carry
their shortcut in the tooltip. Panels connect to them; nothing else creates actions.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from editor.ui import icons

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
    "file_export_site": ("Export &Site…", "fa6s.globe", None, False,
                         "Write the approved and published articles as a static web site"),
    "file_sync": ("S&ync with Desk", "fa6s.arrows-rotate", "Ctrl+Shift+Y", False,
                  "Exchange changes with the shared desk (this laptop works offline between)"),
    "file_send_story": ("Sen&d Story…", "fa6s.envelope", None, False,
                        "Write this article, its history and pictures to one file to email"),
    "file_open_package": ("Open Story &Package…", "fa6s.box-open", None, False,
                          "Bring a story package (.nrpkg) into this store"),
    "file_restore_backup": ("&Restore from Backup…", "fa6s.clock-rotate-left", None, False,
                            "Put a backup of the store in its place (the store now is kept)"),
    "file_quit": ("&Quit", "fa6s.right-from-bracket", StandardKey.Quit, False,
                  "Save and quit"),
    "edit_undo": ("&Undo", "fa6s.arrow-rotate-left", StandardKey.Undo, False,
                  "Undo the last change to the text"),
    "edit_redo": ("&Redo", "fa6s.arrow-rotate-right", StandardKey.Redo, False,
                  "Redo the change just undone"),
    "edit_preferences": ("Pre&ferences…", "fa6s.gear", "Ctrl+,", False,
                         "Typography, spelling, the house style and the web export"),
    "edit_undo_delete": ("Undo &Delete", "fa6s.rotate-left", None, False,
                         "Bring back the article just deleted"),
    "file_switch_user": ("Switch &User…", "fa6s.user-group", None, False,
                         "Work as another person of this newsroom"),
    "file_users": ("Users…", "fa6s.users", None, False,
                   "See the people of this newsroom and add new ones (admins)"),
    "article_submit": ("&Submit…", "fa6s.paper-plane", "Ctrl+Shift+Return", False,
                       "Send the article to the desk for review"),
    "article_return": ("&Return to Reporter…", "fa6s.arrow-rotate-left", None, False,
                       "Send it back to the reporter with a note"),
    "article_approve": ("&Approve…", "fa6s.circle-check", None, False,
                        "Approve it for publication"),
    "article_publish": ("&Publish", "fa6s.globe", None, False, "Publish it"),
    "article_spike": ("Sp&ike…", "fa6s.ban", None, False,
                      "Kill it before publication (kept, can be reopened)"),
    "article_reopen": ("Re&open", "fa6s.lock-open", None, False, "Reopen it for editing"),
    "article_correct": ("&Correct…", "fa6s.pen-to-square", None, False,
                        "Publish a correction with a public note"),
    "review_comment": ("&Comment on Selection…", "fa6s.comment-medical", "Ctrl+Alt+M", False,
                       "Comment on the selected passage (Review tab)"),
    "article_changes": ("Changes Since My Last &Review…", "fa6s.code-compare", None, False,
                        "What changed since you last returned or approved the article"),
    "article_history": ("&History…", "fa6s.clock-rotate-left", None, False,
                        "Every revision: view, compare and restore"),
    "view_dashboard": ("Desk &Dashboard", "fa6s.chart-column", None, False,
                       "Articles per status and section, review ageing, words filed"),
    "article_delete": ("&Delete Article…", "fa6s.trash-can", None, False,
                       "Delete the article (it can be restored)"),
    "view_spell_check": ("Check &Spelling", "fa6s.spell-check", "F7", True,
                         "Underline words the dictionaries do not know"),
    "view_find": ("&Find Article", "fa6s.magnifying-glass", "Ctrl+Alt+F", False,
                  "Search headlines and text of all articles"),
    "edit_find": ("&Find in Story…", "fa6s.magnifying-glass", StandardKey.Find, False,
                  "Find words in this story"),
    "edit_replace": ("&Replace…", "fa6s.right-left", "Ctrl+H", False,
                     "Find and replace in this story"),
    "edit_paste_plain": ("Paste as &Plain Text", "fa6s.paste", "Ctrl+Shift+V", False,
                         "Paste the text without its formatting"),
    "view_focus_mode": ("&Focus Mode", "fa6s.expand", "F11", True,
                        "Full screen, only the story, the current paragraph bright"),
    "view_typewriter": ("&Typewriter Scrolling", "fa6s.arrows-up-down", None, True,
                        "Keep the line you type in the middle of the screen"),
    "format_strikethrough": ("&Strikethrough", "fa6s.strikethrough", "Ctrl+Shift+X", True,
                             "Strikethrough"),
    "format_code": ("Inline &Code", "fa6s.code", "Ctrl+Shift+C", True,
                    "Code or a file name in fixed-width type"),
    "format_rule": ("Horizontal &Rule", "fa6s.minus", "Ctrl+Shift+-", False,
                    "A rule across the column (a break in the story)"),
    "format_indent": ("&Indent List Item", "fa6s.indent", None, False,
                      "Nest the list item (Tab)"),
    "format_outdent": ("&Outdent List Item", "fa6s.outdent", None, False,
                       "Lift the list item (Shift+Tab)"),
    "format_smart_typography": ("Smart &Typography as You Type", "fa6s.quote-right", None, True,
                                "Curly quotes, dashes and ellipses as you type"),
    "format_apply_typography": ("&Apply Smart Typography", "fa6s.wand-magic-sparkles", None,
                                False, "Convert quotes, dashes and ellipses in the whole story"),
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
    "view_markdown_source": ("&Markdown Source", "mdi6.language-markdown-outline", "Ctrl+/",
                             True, "Edit the story as Markdown text (and back)"),
    "format_image": ("&Image…", "fa6s.image", "Ctrl+Shift+G", False,
                     "Insert a picture from a file, with alt text, caption and credit"),
    "format_table_insert": ("&Insert Table…", "fa6s.table", None, False,
                            "Insert a table of rows and columns"),
    "format_table_add_row": ("Add &Row Below", "mdi6.table-row-plus-after", None, False,
                             "Add a row below the cursor"),
    "format_table_add_column": ("Add &Column Right", "mdi6.table-column-plus-after", None,
                                False, "Add a column right of the cursor"),
    "format_table_remove_row": ("Remove R&ow", "mdi6.table-row-remove", None, False,
                                "Remove the row at the cursor"),
    "format_table_remove_column": ("Remove Co&lumn", "mdi6.table-column-remove", None, False,
                                   "Remove the column at the cursor"),
    "format_table_align_left": ("Align Column &Left", "fa6s.align-left", None, True,
                                "Align the column at the cursor to the left"),
    "format_table_align_center": ("Align Column C&entre", "fa6s.align-center", None, True,
                                  "Centre the column at the cursor"),
    "format_table_align_right": ("Align Column &Right", "fa6s.align-right", None, True,
                                 "Align the column at the cursor to the right (figures)"),
}  # fmt: skip

#: Groups shown together in menus and toolbars, in order.
FORMAT_ACTIONS = (
    "format_bold",
    "format_italic",
    "format_strikethrough",
    "format_code",
    None,
    "format_paragraph",
    "format_heading2",
    "format_heading3",
    None,
    "format_bullet_list",
    "format_numbered_list",
    "format_block_quote",
    "format_indent",
    "format_outdent",
    None,
    "format_link",
    "format_rule",
)

#: In the Format menu after FORMAT_ACTIONS, not on the toolbar.
FORMAT_MENU_EXTRAS = (None, "format_smart_typography", "format_apply_typography")

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
                action.setIcon(icons.icon(icon, color=ICON_COLOUR))
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.setCheckable(checkable)
            action.setStatusTip(tip)
            action.setToolTip(_tooltip(text, action.shortcut()))
            self._actions[name] = action
        self["edit_undo_delete"].setEnabled(False)
        self["view_focus_mode"].setShortcuts([QKeySequence("F11"), QKeySequence("Ctrl+Shift+F")])
        self["view_focus_mode"].setToolTip("Focus Mode (F11, Ctrl+Shift+F)")

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def names(self) -> list[str]:
        return list(self._actions)


def _tooltip(text: str, shortcut: QKeySequence) -> str:
    plain = text.replace("&", "").rstrip("…")
    keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
    return f"{plain} ({keys})" if keys else plain
