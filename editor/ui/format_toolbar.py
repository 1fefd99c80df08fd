"""The formatting toolbar: wires the format actions to a `BodyEditor` and mirrors its state."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QToolBar, QWidget

from editor.ui.actions import FORMAT_ACTIONS, ActionRegistry
from editor.ui.body_editor import BodyEditor, FormatState
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
        current = self._editor.link_under_cursor()
        url, accepted = QInputDialog.getText(
            self._editor,
            "Link",
            "Web address (leave empty to remove the link):",
            QLineEdit.EchoMode.Normal,
            current or "https://",
        )
        if not accepted:
            return
        link = normalise_link(url)
        if link is None:
            QMessageBox.warning(
                self._editor,
                "Link",
                f"“{url.strip()}” cannot be linked: use a web address starting with "
                "https:// or http://, or an email address starting with mailto:.",
            )
            return
        self._editor.set_link(link)

    def show_state(self, state: FormatState) -> None:
        checked = {
            "format_bold": state.bold,
            "format_italic": state.italic,
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
