"""Closing the window while another program holds the store's lock: asked at once.

A save on a locked store never waits on the GUI thread (`editor.ui.session.editing`): the
text goes to the recovery journal and the worker writes it the moment the lock goes. A
close (the window's close button, File > Quit, Ctrl+Q) that meets the lock asks at once,
the first time, instead of leaving a line in the status bar and the window open:

- "Wait for the Store" keeps the window open; it closes by itself once the text is saved
  (unless the person typed on meanwhile: then it stays open, as after any save);
- "Quit, Keep My Text" quits now: the text stays in the recovery journal, which does not
  need the store, and the next start offers it back. Nothing is lost either way.

`answer_on_locked_close(window, failures)` is called by the window's close path with the
messages its save produced; None when the store is not locked by another program. When
SIGTERM or SIGHUP closes the window (`editor.ui.session.end`) nobody is asked: it quits
with the text in the journal.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from editor.services import store_lock
from editor.ui import dialogs
from editor.ui.session.editing import LOCKED_STILL
from editor.ui.session.end import SessionEnd

#: What the status bar says while the window waits to close.
CLOSING_WHEN_SAVED = (
    "Waiting for the store (locked by another program)… The window closes as soon as "
    "your text is saved."
)
LOCKED_CLOSE_TEXT = (
    "The store is locked by another program, so your latest changes are not saved yet."
)
LOCKED_CLOSE_INFORMATIVE = (
    "Another program (a second editor, a sync or a database tool) is writing to the "
    "store. Your text is kept in the recovery journal, so nothing is lost:\n\n"
    "• Wait for the Store: the window stays open, saves the moment the store is free, "
    "then closes.\n"
    "• Quit, Keep My Text: quit now; the next start offers your text back."
)


def ask_wait_or_quit(parent: QWidget | None) -> bool:
    """The locked store's question on closing: True to quit now (the text kept in the
    journal), False to wait for the store with the window open."""
    return dialogs.ask_choice(
        parent,
        name="lockedCloseDialog",
        title="Store Locked",
        text=LOCKED_CLOSE_TEXT,
        informative=LOCKED_CLOSE_INFORMATIVE,
        buttons=[
            ("Wait for the Store", QMessageBox.ButtonRole.RejectRole, False),
            ("Quit, Keep My Text", QMessageBox.ButtonRole.AcceptRole, True),
        ],
        default=False,
        escape=False,
    )


def answer_on_locked_close(window: QMainWindow, failures: Sequence[str]) -> bool | None:
    """Whether to close now, when the save on closing met another program's lock.

    None when it did not (the window's other questions follow). The session has already
    put the text in the journal and left the write to its worker.
    """
    session = window.session  # type: ignore[attr-defined]
    if failures:
        if failures[-1] != LOCKED_STILL:
            return None
    elif session.in_conflict or not store_lock.locked_by_another_program(
        window.newsroom  # type: ignore[attr-defined]
    ):
        return None  # e.g. "Keep Editing" in the conflict dialog: stay open, unasked
    if _session_ending() or ask_wait_or_quit(window):
        return True  # SIGTERM, SIGHUP: nobody to ask; the journal has the text
    _close_once_saved(window)
    return False


def _session_ending() -> bool:
    app = QApplication.instance()
    return app is not None and any(end.ending for end in app.findChildren(SessionEnd))


def _close_once_saved(window: QMainWindow) -> None:
    window.status.showMessage(CLOSING_WHEN_SAVED)  # type: ignore[attr-defined]
    if window.findChild(CloseWhenSaved) is None:  # asked twice: one watcher
        CloseWhenSaved(window)


class CloseWhenSaved(QObject):
    """Closes its window when the next save lands with nothing left unsaved, then goes."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._session = window.session  # type: ignore[attr-defined]
        self._session.saved.connect(self._landed)

    def _landed(self, _article: object) -> None:
        self._session.saved.disconnect(self._landed)
        if not self._window.isWindowModified():  # typed on meanwhile: stay open
            QTimer.singleShot(0, self._window.close)
        self.deleteLater()
