"""The formatting toolbar: wires the format actions to a `BodyEditor` and mirrors its state."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QToolBar,
    QWidget,
)

from editor.core.typography import smarten_runs, typed_replacement
from editor.ui.actions import FORMAT_ACTIONS, ActionRegistry
from editor.ui.body.editor import BodyEditor, FormatState, is_code_format
from editor.ui.body.tables import fit_title
from editor.ui.menus import build_toolbar


def build_format_toolbar(actions: ActionRegistry, parent: QWidget) -> QToolBar:
    return build_toolbar("Format", FORMAT_ACTIONS, actions, parent)


class FormatController(QObject):
    """Runs format actions on the editor; keeps their checked state in step with the cursor."""

    def __init__(self, actions: ActionRegistry, editor: BodyEditor) -> None:
        super().__init__(editor)
        self._actions = actions
        self._editor = editor
        handlers = {
            "format_bold": editor.toggle_bold,
            "format_italic": editor.toggle_italic,
            "format_strikethrough": editor.toggle_strikethrough,
            "format_code": editor.toggle_inline_code,
            "format_rule": editor.insert_horizontal_rule,
            "format_indent": lambda: editor.change_list_indent(1),
            "format_outdent": lambda: editor.change_list_indent(-1),
            "format_heading2": lambda: editor.set_heading(2),
            "format_heading3": lambda: editor.set_heading(3),
            "format_paragraph": editor.set_paragraph,
            "format_bullet_list": editor.toggle_bullet_list,
            "format_numbered_list": editor.toggle_numbered_list,
            "format_block_quote": editor.toggle_block_quote,
            "format_link": self.edit_link,
        }
        for name, handler in handlers.items():
            actions[name].triggered.connect(lambda _checked=False, run=handler: self._run(run))
        editor.format_changed.connect(self.show_state)
        self.show_state(editor.format_state())

    def _run(self, handler: Callable[[], None]) -> None:
        handler()
        self._editor.setFocus()
        # A triggered checkable action flips itself; the editor's state is the truth.
        self.show_state(self._editor.format_state())

    def edit_link(self) -> None:
        """Ctrl+K: insert, edit or remove the link at the cursor through `LinkDialog`."""
        dialog = LinkDialog(
            self._editor.link_under_cursor(), self._editor.link_text_under_cursor(), self._editor
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._editor.set_link(dialog.url, dialog.text or None)

    def show_state(self, state: FormatState) -> None:
        checked = {
            "format_bold": state.bold,
            "format_italic": state.italic,
            "format_strikethrough": state.strikethrough,
            "format_code": state.code,
            "format_heading2": state.heading_level == 2,
            "format_heading3": state.heading_level == 3,
            "format_paragraph": not (
                state.heading_level or state.bullet_list or state.numbered_list
                or state.block_quote
            ),
            "format_bullet_list": state.bullet_list,
            "format_numbered_list": state.numbered_list,
            "format_block_quote": state.block_quote,
            "format_link": state.link,
        }  # fmt: skip
        for name, value in checked.items():
            self._actions[name].setChecked(value)

    def set_enabled(self, enabled: bool) -> None:
        for name in FORMAT_ACTIONS:
            if name is not None:
                self._actions[name].setEnabled(enabled)
        self._actions["format_apply_typography"].setEnabled(enabled)


class LinkDialog(QDialog):
    """The address and the words of a link; unsafe addresses are refused in the dialog."""

    def __init__(self, url: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit Link" if url else "Insert Link")
        fit_title(self, 420)  # room for an address, and the title never cut short
        self.url_field = QLineEdit(url or "https://")
        self.text_field = QLineEdit(text.replace("\u2029", " "))
        self.text_field.setPlaceholderText("the address itself")
        self.error = QLabel()
        self.error.setObjectName("linkError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.url = ""
        self.text = ""
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.remove_button = buttons.addButton("Remove Link", QDialogButtonBox.ButtonRole.ResetRole)
        self.remove_button.setVisible(bool(url))
        self.remove_button.clicked.connect(self.remove)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Address:", self.url_field)
        form.addRow("Text:", self.text_field)
        form.addRow(self.error)
        form.addRow(buttons)
        self.url_field.selectAll()

    def accept(self) -> None:
        typed = self.url_field.text()
        link = normalise_link(typed)
        if link is None:
            self.error.setText(
                f"“{typed.strip()}” cannot be linked: use a web address starting with "
                "https:// or http://, or an email address starting with mailto:. "
                "Script (javascript:) and data: addresses are never allowed."
            )
            self.url_field.setFocus()
            return
        self.url, self.text = link, self.text_field.text().strip()
        super().accept()

    def remove(self) -> None:
        self.url, self.text = "", ""
        super().accept()


class SmartTypography(QObject):
    """Curly quotes, dashes and ellipses: as you type (when on) and for a whole body."""

    def __init__(self, editor: BodyEditor, enabled: bool, dash_style: str) -> None:
        super().__init__(editor)
        self._editor = editor
        self.enabled = enabled
        self.dash_style = dash_style
        editor.typed_hooks.append(self._typed)

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled

    def _typed(self, text: str) -> None:
        if not self.enabled or text[-1:] not in "\"'-.":
            return
        cursor = self._editor.textCursor()
        if cursor.hasSelection() or _in_code(cursor):
            return
        block_text = cursor.block().text()
        offset = cursor.positionInBlock()
        change = typed_replacement(block_text[:offset], self.dash_style, block_text[offset:])
        if change is None:
            return
        count, replacement = change
        # Its own undo step after the keystroke: Ctrl+Z gives back the straight character.
        cursor.beginEditBlock()
        cursor.movePosition(
            QTextCursor.MoveOperation.PreviousCharacter, QTextCursor.MoveMode.KeepAnchor, count
        )
        cursor.insertText(replacement)
        cursor.endEditBlock()

    def apply_to_body(self) -> int:
        """Convert the whole body outside code, as one undo step; returns blocks changed."""
        document = self._editor.document()
        cursor = QTextCursor(document)
        changed = 0
        cursor.beginEditBlock()
        block = document.begin()
        while block.isValid():
            if not _is_code_block(block):
                runs, fragments = [], []
                iterator = block.begin()
                while not iterator.atEnd():
                    fragment = iterator.fragment()
                    fragments.append(fragment)
                    runs.append((fragment.text(), is_code_format(fragment.charFormat())))
                    iterator += 1
                converted = smarten_runs(runs, self.dash_style)
                for fragment, (before, _code), after in reversed(
                    list(zip(fragments, runs, converted, strict=True))
                ):
                    if before != after:
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(
                            fragment.position() + fragment.length(),
                            QTextCursor.MoveMode.KeepAnchor,
                        )
                        cursor.insertText(after, fragment.charFormat())
                if converted != [text for text, _code in runs]:
                    changed += 1
            block = block.next()
        cursor.endEditBlock()
        return changed


def _in_code(cursor: QTextCursor) -> bool:
    return is_code_format(cursor.charFormat()) or _is_code_block(cursor.block())


def _is_code_block(block) -> bool:
    block_format = block.blockFormat()
    return (
        block_format.hasProperty(QTextFormat.Property.BlockCodeFence)
        or block_format.hasProperty(QTextFormat.Property.BlockCodeLanguage)
        or block_format.nonBreakableLines()
    )


_LINK_SCHEMES = ("https", "http", "mailto")


def normalise_link(text: str) -> str | None:
    """The address to link to ("" removes the link), or None when it is not safe to link.

    A bare "example.org/page" gets https://; scripts (javascript:, data:) are refused.
    """
    url = text.strip()
    if url in ("", "https://", "http://"):
        return ""
    if any(char.isspace() or ord(char) < 32 for char in url):
        return None
    scheme, colon, rest = url.partition(":")
    if not colon or not scheme.isascii() or not scheme.replace("+", "").isalpha():
        return f"https://{url}"
    return url if scheme.lower() in _LINK_SCHEMES and rest.strip("/") else None
