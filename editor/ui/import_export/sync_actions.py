"""File > Sync with Desk, Send Story… and Open Story Package…: the offline laptop's way back.

Sync exchanges what changed with the shared desk (`editor.services.syncing.sync_with`) off
the GUI thread. The open article is saved first; afterwards the list reloads, the open
article is reloaded when the sync brought it a newer version, and the status bar keeps
"Synced 10:42, 3 articles up, 5 down". Passages both sides changed come back as a visible
conflict in the text (nothing dropped); changes the desk refused are listed.

The desk's address is asked for once and remembered (QSettings "sync/desk"); the
`NEWSROOM_DESK` environment variable, when set, is the default. A password never goes
into the address: a PostgreSQL desk takes it from `~/.pgpass` or the `PG*` variables.
"""

from __future__ import annotations

import os
from datetime import UTC
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMainWindow

from editor.core.errors import NewsroomError
from editor.core.text import counted
from editor.services.syncing import (
    DESK_ENV,
    PACKAGE_SUFFIX,
    import_story,
    send_story,
    sync_with,
)
from editor.ui import dialogs
from editor.ui.background import Background
from editor.ui.import_export.file_dialogs import documents_folder

#: Where the desk's address is remembered.
DESK_KEY = "sync/desk"
_FILTER = f"Story packages (*{PACKAGE_SUFFIX})"


def summary(report) -> str:
    """ "Synced 10:42, 3 articles up, 5 down" (local time)."""
    finished = report.finished_at
    if finished.tzinfo is None:  # the store's times are UTC
        finished = finished.replace(tzinfo=UTC)
    when = finished.astimezone().strftime("%H:%M")
    up, down = len(report.up), len(report.down)
    return f"Synced {when}, {counted(up, 'article')} up, {down} down"


class SyncActions:
    """The three actions and the one background lane they share (one exchange at a time)."""

    def __init__(self, window: QMainWindow) -> None:
        self._window = window
        self._tasks = Background(window)
        self._settings = QSettings()
        actions = window.actions
        actions["file_sync"].triggered.connect(lambda _checked=False: self.sync())
        actions["file_send_story"].triggered.connect(lambda _checked=False: self.send())
        actions["file_open_package"].triggered.connect(lambda _checked=False: self.receive())
        self._tasks.busy_changed.connect(self._busy)

    # -- the desk ------------------------------------------------------------------

    def desk(self) -> str:
        return str(self._settings.value(DESK_KEY, "") or os.environ.get(DESK_ENV, "")).strip()

    def _ask_desk(self) -> str | None:
        address, ok = QInputDialog.getText(
            self._window,
            "Sync with Desk",
            "The shared desk's store: a PostgreSQL URL such as\n"
            "postgresql+psycopg://you@desk.example.org/newsroom, or a store file.\n"
            "Passwords go in ~/.pgpass, never here.",
            QLineEdit.EchoMode.Normal,
            self.desk(),
        )
        address = address.strip()
        if not ok or not address:
            return None
        self._settings.setValue(DESK_KEY, address)
        return address

    def sync(self, ask: bool | None = None) -> bool:
        """Start a sync; False when it did not start (nothing to sync with, a save failed)."""
        if self._tasks.busy():
            return False
        desk = self.desk()
        if ask or not desk:
            desk = self._ask_desk()
            if not desk:
                return False
        window = self._window
        if not window.session.save(reason="autosave"):
            return False
        newsroom = window.newsroom
        window.status.showMessage("Syncing with the desk…")
        self._tasks.run(
            lambda _job: sync_with(newsroom, desk),
            lane="sync",
            success=self._synced,
            failure=lambda error: self._failed("Sync with Desk", error),
        )
        return True

    def _synced(self, report) -> None:
        window = self._window
        line = summary(report)
        window.status.showMessage(line)
        if report.changed:
            window.bus.articles_reloaded.emit()
            article = window.session.article
            brought = article is not None and article.id in {*report.down, *report.merged}
            # Saved just before the sync; saved again (typing went on), then the new version.
            if brought and window.session.save(reason="autosave"):
                window.session.reload()
        problems = [f"Both changed “{c.headline}”: {c.what}" for c in report.conflicts]
        problems += [f"Not taken by the desk: “{c.headline}”: {c.what}" for c in report.refused]
        if problems:
            dialogs.show_warning(window, "Sync with Desk", line + ".\n\n" + "\n".join(problems))

    # -- story packages --------------------------------------------------------------

    def send(self) -> bool:
        window = self._window
        article = window.session.article
        if article is None or not window.session.save(reason="save"):
            return False
        default = documents_folder() / f"{article.slug or 'story'}{PACKAGE_SUFFIX}"
        path, _ = QFileDialog.getSaveFileName(window, "Send Story", str(default), _FILTER)
        if not path:
            return False
        newsroom = window.newsroom
        self._tasks.run(
            lambda _job: send_story(newsroom, article.id, Path(path)),
            lane="sync",
            success=lambda written: window.status.showMessage(
                f"Story package written: {written} (attach it to an email)", 15000
            ),
            failure=lambda error: self._failed("Send Story", error),
        )
        return True

    def receive(self, paths: list[Path] | None = None) -> bool:
        window = self._window
        if paths is None:
            chosen, _ = QFileDialog.getOpenFileNames(
                window, "Open Story Package", str(documents_folder()), _FILTER
            )
            paths = [Path(p) for p in chosen]
        if not paths or not window.session.save(reason="autosave"):
            return False
        newsroom = window.newsroom

        def work(_job) -> list:
            return [import_story(newsroom, path) for path in paths]

        self._tasks.run(
            work,
            lane="sync",
            success=self._received,
            failure=lambda error: self._failed("Open Story Package", error),
        )
        return True

    def _received(self, reports: list) -> None:
        window = self._window
        down = {article for report in reports for article in report.down}
        window.status.showMessage(
            f"Story package opened: {counted(len(down), 'article')} new or changed"
            if down
            else "Story package opened: nothing new (it was here already)",
            15000,
        )
        if down:
            window.bus.articles_reloaded.emit()
        refused = [c for report in reports for c in report.refused]
        if refused:
            dialogs.show_warning(
                window,
                "Open Story Package",
                "\n".join(f"Not taken: “{c.headline}”: {c.what}" for c in refused),
            )

    # -- state -----------------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        for name in ("file_sync", "file_send_story", "file_open_package"):
            self._window.actions[name].setEnabled(not busy)

    def _failed(self, title: str, error: BaseException) -> None:
        self._window.status.showMessage(f"{title} failed", 15000)
        if isinstance(error, NewsroomError):
            dialogs.show_error(self._window, title, str(error))
        else:
            dialogs.show_error(self._window, title, f"{title} failed: {error}")

    def shutdown(self) -> None:
        """Before the store closes: a sync in flight finishes (its transaction is whole)."""
        self._tasks.wait(30_000)


def install_sync(window: QMainWindow) -> SyncActions:
    return SyncActions(window)
