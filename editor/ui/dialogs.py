"""The questions and messages the window puts to a person, in one place and one voice."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from editor.core.text import counted
from editor.ui.conflict_dialog import (
    ConflictMessage,
    ConflictVersions,
    ask_with_versions,
    conflict_summary,
)

Answer = TypeVar("Answer")
_Role = QMessageBox.ButtonRole


class ConflictChoice(enum.Enum):
    """The answers to a stale save (`ask_conflict`)."""

    SAVE_COPY = "save_copy"
    RELOAD_THEIRS = "reload_theirs"
    KEEP_EDITING = "keep_editing"
    #: Both versions' changes together (offered only when they merge without a conflict).
    MERGE = "merge"


def ask_choice(
    parent: QWidget | None,
    *,
    name: str,
    title: str,
    text: str,
    informative: str,
    buttons: Sequence[tuple[str, QMessageBox.ButtonRole, Answer]],
    default: Answer,
    escape: Answer,
    details: str | None = None,
) -> Answer:
    """A warning with one button per answer (label, role, answer): the answer clicked.

    Closing the box any other way (Escape, the window's close button) gives `escape`.
    """
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(informative)
    if details is not None:
        box.setDetailedText(details)
    added = [(box.addButton(label, role), answer) for label, role, answer in buttons]
    box.setDefaultButton(next(button for button, answer in added if answer == default))
    box.setEscapeButton(next(button for button, answer in added if answer == escape))
    box.exec()
    clicked = box.clickedButton()
    return next((answer for button, answer in added if button is clicked), escape)


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """A core error as the person should read it: its message, never a traceback."""
    QMessageBox.critical(parent, title, message)


def show_warning(parent: QWidget | None, title: str, message: str) -> None:
    """Something the person should know that went only partly right (a sync's conflicts)."""
    QMessageBox.warning(parent, title, message)


def confirm_delete(parent: QWidget | None, headline: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "Delete Article",
        f"Delete “{headline or 'Untitled'}”?\n\n"
        "It leaves the article list; Edit ▸ Undo Delete brings it back.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_conflict(parent: QWidget | None, message: str) -> ConflictChoice:
    """Someone else saved the article first: keep the person's text and let them choose.

    A `ConflictMessage` that carries the two versions gets the comparison dialog (and
    Merge Both when the edits merge cleanly); a bare message gets the plain question.
    """
    versions = message.versions if isinstance(message, ConflictMessage) else None
    if versions is not None:
        return _ask_conflict_with_versions(parent, message, versions)
    return ask_choice(
        parent,
        name="conflictDialog",
        title="Article Changed Elsewhere",
        text="Someone else saved this article while you were editing it.",
        informative=f"{message}\n\nYour text is still in the editor and nothing has been lost. "
        "Save your version as a separate copy, or reload their version "
        "(your unsaved changes to this article are then dropped).",
        buttons=[
            ("Save My Version as a Copy", _Role.AcceptRole, ConflictChoice.SAVE_COPY),
            ("Reload Theirs", _Role.DestructiveRole, ConflictChoice.RELOAD_THEIRS),
            ("Keep Editing", _Role.RejectRole, ConflictChoice.KEEP_EDITING),
        ],
        default=ConflictChoice.SAVE_COPY,
        escape=ConflictChoice.KEEP_EDITING,
    )


_CONFLICT_TEXT = "Someone else saved this article while you were editing it."


def _ask_conflict_with_versions(
    parent: QWidget | None, message: str, versions: ConflictVersions
) -> ConflictChoice:
    keep_others = [
        ("Save My Version as a Copy", _Role.AcceptRole, ConflictChoice.SAVE_COPY),
        ("Reload Theirs", _Role.DestructiveRole, ConflictChoice.RELOAD_THEIRS),
        ("Keep Editing", _Role.RejectRole, ConflictChoice.KEEP_EDITING),
    ]
    if versions.can_merge:
        informative = (
            f"{message}\n\nYou and {versions.their_name} changed different parts of the "
            "article, so nothing has to be given up: Merge Both puts their changes and yours "
            "together and saves the result (Undo in the text then brings back your version "
            "as it was). Or save your version as a separate copy, or reload theirs."
        )
        buttons = [("Merge Both", _Role.AcceptRole, ConflictChoice.MERGE), *keep_others]
        default = ConflictChoice.MERGE
    else:
        informative = (
            f"{message}\n\nYou and {versions.their_name} both changed "
            f"{conflict_summary(versions)}, so the versions cannot be merged. Your text is "
            "still in the editor and nothing has been lost. Save your version as a separate "
            "copy, or reload their version (your unsaved changes to this article are then "
            "dropped)."
        )
        buttons = keep_others
        default = ConflictChoice.SAVE_COPY
    return ask_with_versions(
        parent,
        versions,
        text=_CONFLICT_TEXT,
        informative=informative,
        buttons=buttons,
        default=default,
        escape=ConflictChoice.KEEP_EDITING,
    )


def ask_quit_without_saving(parent: QWidget | None, message: str) -> bool:
    """Saving failed on the way out: True only when the person chooses to lose the changes."""
    return ask_choice(
        parent,
        name="quitUnsavedDialog",
        title="Changes Not Saved",
        text="Your latest changes could not be saved.",
        informative=f"{message}\n\nKeep the window open to try again once the problem is fixed "
        "(or copy your text somewhere safe), or quit and lose the unsaved changes.",
        buttons=[
            ("Keep Window Open", _Role.RejectRole, False),
            ("Quit Without Saving", _Role.DestructiveRole, True),
        ],
        default=False,
        escape=False,
    )


def report_import_failures(parent: QWidget | None, failed: list[tuple[Path, str]],
                           imported: int) -> None:  # fmt: skip
    """All failures of one import in one dialog."""
    lines = "\n".join(f"• {path.name}: {message}" for path, message in failed)
    done = f"{counted(imported, 'file')} imported. " if imported else ""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Import")
    box.setText(f"{done}{counted(len(failed), 'file')} could not be imported.")
    box.setDetailedText(lines)
    box.setInformativeText(lines if len(failed) <= 8 else "See the details below.")
    box.exec()
