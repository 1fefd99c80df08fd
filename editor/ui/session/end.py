"""Logout, shutdown and `kill -TERM` end the app as closing its window does: saved first.

A Python signal handler runs only when the interpreter gets control, and Qt's event loop
is C++: without help, SIGTERM or SIGHUP would wait for the next Python callback, or kill
the process unsaved. `signal.set_wakeup_fd` writes the signal's number to a socket that a
`QSocketNotifier` watches, so the loop wakes at once. The session manager's
`commitDataRequest` (logout) saves the open article without quitting: the manager may yet
cancel the logout.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtGui import QGuiApplication, QSessionManager

#: The signals that mean "the session is ending": save and quit cleanly.
ENDING_SIGNALS = tuple(
    sig for sig in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if sig
)


class SessionEnd(QObject):
    """Calls `close` on SIGTERM/SIGHUP (then quits) and `save` on a logout's data request."""

    def __init__(
        self, app: QGuiApplication, *, close: Callable[[], object], save: Callable[[], object]
    ) -> None:
        super().__init__(app)
        self._app = app
        self._close = close
        self._save = save
        #: Set once SIGTERM/SIGHUP asked to close: nobody is there to answer a question.
        self.ending = False
        self._previous: dict[int, object] = {}
        self._previous_fd: int | None = None
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_wakeup)
        try:
            self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
            for sig in ENDING_SIGNALS:
                # The handler itself does nothing: the wakeup byte carries the news.
                self._previous[sig] = signal.signal(sig, lambda _sig, _frame: None)
        except ValueError:  # not the main thread (a test harness): logout still saves
            self._previous_fd = None
        app.commitDataRequest.connect(self._on_commit_data)

    def uninstall(self) -> None:
        """Put the previous handlers back (tests, or a second window's run)."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        self._previous.clear()
        self.ending = False
        if self._previous_fd is not None:
            signal.set_wakeup_fd(self._previous_fd)
            self._previous_fd = None
        self._notifier.setEnabled(False)
        self._app.commitDataRequest.disconnect(self._on_commit_data)
        self._reader.close()
        self._writer.close()

    def _on_wakeup(self) -> None:
        try:
            received = self._reader.recv(64)
        except BlockingIOError:
            return
        if any(number in ENDING_SIGNALS for number in received):
            self.ending = True
            self._close()  # saves, as File > Quit does
            self._app.quit()

    def _on_commit_data(self, manager: QSessionManager) -> None:
        self._save()
