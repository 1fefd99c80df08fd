"""The note that goes with a workflow step: optional for Submit and Approve, required for
Return and Correct (the dialog will not accept an empty one, and says why).

A correction also carries the corrected text: `CorrectionDialog` shows the published body
as Markdown to edit beside the public note printed at the foot of the article.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.services.workflow import NOTE_REQUIRED, Action
from editor.ui.status_style import action_icon

#: What each step asks for, and the hint under the note.
_PROMPTS: dict[Action, tuple[str, str]] = {
    Action.SUBMIT: (
        "Add a note for the desk (optional).",
        "e.g. “Figures checked with the council; photo to follow.”",
    ),
    Action.RETURN: (
        "Say what the reporter should change. The note is required.",
        "e.g. “Second source for the flood figures, please; trim to 600 words.”",
    ),
    Action.APPROVE: (
        "Add a note for the record (optional).",
        "e.g. “Legal read it; fine to run.”",
    ),
    Action.PUBLISH: ("Add a note for the record (optional).", ""),
    Action.SPIKE: ("Say why the story is spiked (optional).", "e.g. “Overtaken by events.”"),
    Action.REOPEN: ("Say why it is reopened (optional).", ""),
    Action.CORRECT: (
        "The correction note is printed, with its date, at the foot of the article. "
        "It is required.",
        "e.g. “An earlier version misspelt the mayor’s name.”",
    ),
}

_REQUIRED_HINT = {
    Action.RETURN: "A return needs a note saying what to change.",
    Action.CORRECT: "A correction needs a public note saying what was corrected.",
}


class NoteDialog(QDialog):
    """Asks for the note of one workflow `action` on the article `headline`."""

    def __init__(self, action: Action, headline: str, parent: QWidget | None = None, *,
                 required: bool = False, why: str = "", ok_text: str = "") -> None:  # fmt: skip
        """`required` with `why`: the rule wants a note this time (an editor submitting
        over copy-desk errors, or for the author); `why` is shown as the prompt."""
        super().__init__(parent)
        self.action = Action(action)
        self.required = required or self.action in NOTE_REQUIRED
        self.setObjectName("noteDialog")
        self.setWindowTitle(f"{self.action.label} “{_short(headline)}”")
        self.setMinimumWidth(460)
        prompt, example = _PROMPTS.get(self.action, ("Add a note (optional).", ""))
        if why:
            prompt, example = why, "e.g. “Checked the figures with the reporter; fine to go.”"
        self._required_hint = _REQUIRED_HINT.get(self.action, "The note is required here.")

        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setObjectName("noteField")
        self.note.setPlaceholderText(example)
        self.note.setTabChangesFocus(True)
        self.note.setMinimumHeight(96)
        self.hint = QLabel(self._required_hint)
        self.hint.setObjectName("noteHint")
        self.hint.setStyleSheet("color: #b45309;")
        self.hint.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = QPushButton(action_icon(self.action.value), ok_text or self.action.label)
        self.ok_button.setObjectName("noteOkButton")
        self.ok_button.setDefault(True)
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(8)
        layout.addWidget(self.prompt)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.hint)
        layout.addSpacing(4)
        layout.addWidget(self.buttons)
        self.note.textChanged.connect(self._update)
        self._update()

    def text(self) -> str:
        return self.note.toPlainText().strip()

    def _update(self) -> None:
        missing = self.required and not self.text()
        self.ok_button.setEnabled(not missing)
        self.ok_button.setToolTip(self._required_hint if missing else "")
        self.hint.setVisible(missing)

    def accept(self) -> None:
        if self.required and not self.text():
            return  # Enter in an empty required note: stay, the hint says why
        super().accept()


class CorrectionDialog(NoteDialog):
    """A correction after publication: the public note and the corrected Markdown text."""

    def __init__(self, headline: str, body: str, parent: QWidget | None = None) -> None:
        super().__init__(Action.CORRECT, headline, parent)
        self.setObjectName("correctionDialog")
        self.setWindowTitle(f"Correct “{_short(headline)}”")
        self.resize(720, 620)
        self.ok_button.setText("Publish Correction")
        self.original = body
        self.body = QPlainTextEdit(body)
        self.body.setObjectName("correctionBody")
        self.body.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.body.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.note.setFixedHeight(84)
        text_label = QLabel("Corrected text (Markdown). Leave it as it is to add a note only.")
        text_label.setWordWrap(True)
        text_label.setStyleSheet("color: #4b5563;")
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.setStretchFactor(self.note, 0)
        layout.insertWidget(layout.indexOf(self.buttons) - 1, text_label)
        layout.insertWidget(layout.indexOf(self.buttons) - 1, self.body, 1)

    def corrected_body(self) -> str | None:
        """The new text, or None when the person left it unchanged."""
        text = self.body.toPlainText()
        return None if text == self.original else text


def ask_note(parent: QWidget | None, action: Action, headline: str, *, required: bool = False,
             why: str = "", ok_text: str = "") -> str | None:  # fmt: skip
    """The note for `action` ("" for none), or None when the person cancelled.

    `required`, `why` and `ok_text`: see `NoteDialog`.
    """
    dialog = NoteDialog(action, headline, parent, required=required, why=why, ok_text=ok_text)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.text()


def ask_correction(
    parent: QWidget | None, headline: str, body: str
) -> tuple[str, str | None] | None:
    """(note, corrected body or None if unchanged), or None when cancelled."""
    dialog = CorrectionDialog(headline, body, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.text(), dialog.corrected_body()


def _short(headline: str, limit: int = 48) -> str:
    headline = headline.strip() or "Untitled"
    return headline if len(headline) <= limit else headline[: limit - 1].rstrip() + "…"
