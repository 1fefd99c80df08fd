"""The questions and messages the window puts to a person, in one place and one voice."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from editor.ui.editing_session import ConflictChoice


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """A core error as the person should read it: its message, never a traceback."""
    QMessageBox.critical(parent, title, message)


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
    """Someone else saved the article first: keep the person's text and let them choose."""
    box = QMessageBox(parent)
    box.setObjectName("conflictDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Article Changed Elsewhere")
    box.setText("Someone else saved this article while you were editing it.")
    box.setInformativeText(
        f"{message}\n\nYour text is still in the editor and nothing has been lost. "
        "Save your version as a separate copy, or reload their version "
        "(your unsaved changes to this article are then dropped)."
    )
    copy = box.addButton("Save My Version as a Copy", QMessageBox.ButtonRole.AcceptRole)
    reload = box.addButton("Reload Theirs", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep Editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(copy)
    box.setEscapeButton(keep)
    box.exec()
    clicked = box.clickedButton()
    if clicked is copy:
        return ConflictChoice.SAVE_COPY
    if clicked is reload:
        return ConflictChoice.RELOAD_THEIRS
    return ConflictChoice.KEEP_EDITING


def ask_quit_without_saving(parent: QWidget | None, message: str) -> bool:
    """Saving failed on the way out: True only when the person chooses to lose the changes."""
    box = QMessageBox(parent)
    box.setObjectName("quitUnsavedDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Changes Not Saved")
    box.setText("Your latest changes could not be saved.")
    box.setInformativeText(
        f"{message}\n\nKeep the window open to try again once the problem is fixed "
        "(or copy your text somewhere safe), or quit and lose the unsaved changes."
    )
    keep = box.addButton("Keep Window Open", QMessageBox.ButtonRole.RejectRole)
    quit_anyway = box.addButton("Quit Without Saving", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is quit_anyway


def report_import_failures(parent: QWidget | None, failed: list[tuple[Path, str]],
                           imported: int) -> None:  # fmt: skip
    """All failures of one import in one dialog."""
    lines = "\n".join(f"• {path.name}: {message}" for path, message in failed)
    done = f"{imported} file(s) imported. " if imported else ""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Import")
    box.setText(f"{done}{len(failed)} file(s) could not be imported.")
    box.setDetailedText(lines)
    box.setInformativeText(lines if len(failed) <= 8 else "See the details below.")
    box.exec()
