"""The article being edited: its last saved state, unsaved changes, autosave and conflicts.

All saving goes through here. Autosaves (reason "autosave", coalesced by the store into
one working revision per session) happen after typing pauses, when switching article,
when the window loses focus and on quit; a real revision (reason "save") is written on
Ctrl+S, before a status change (the window calls `save()`), and at least every
`revision_interval_s` of editing. Between saves, the recovery journal (files beside the
store, see `editor.services.recovery`) keeps what is on screen: the text is taken 20 ms after
a keystroke (once the key is painted), then at most every `JOURNAL_INTERVAL_MS` while
typing goes on (up to `JOURNAL_MAX_INTERVAL_MS` when the snapshot is slow), each time just
after a keystroke (or in a pause), and written and fsynced on a journal thread of its own.
So a killed process loses at most the last second of typing, and a new article's headline
and body are kept from the first keystroke. It needs nothing of the store (a locked store
or a full disk does not stop it) and is cleared once the article itself is saved.
The pause autosave writes in a worker thread (a store write with revision and full-text
index is 25-50 ms): one write in flight, at most one pending (it takes the newest text when
it starts), results applied here on the GUI thread. Every other save (Ctrl+S, switching,
status changes, focus loss, quit) first waits for the write in flight, then saves
synchronously, so versions stay in order and nothing is lost. The journal thread has the
same shape (one write in flight, one more wanted) and is waited for before the journal is
cleared or written from the GUI thread, so its writes land in order too.
A store locked by another program (a second editor, a sync, the `sqlite3` shell in a
transaction) never freezes the window: a save first asks whether the lock is held (a
millisecond, `editor.services.store_lock`); when it is, the text goes to the journal, the
status bar says "Waiting for the store (locked by another program)…" at once, and the
worker waits for the lock (looking every 0.1 s) and writes it the moment it is free. A
save asked for again while that one waits (say, closing the window) gets the dialog, so
the person can still choose. On the GUI thread SQLite waits at most `GUI_LOCK_WAIT_S`
(a lock taken between the look and the write), on the worker `WORKER_LOCK_WAIT_S`
before it looks again; a write that waits is never waited for by the GUI thread.
A stale write never loses text: the person sees both versions side by side and chooses to
merge them (offered when the two edits touched different paragraphs and fields; see
`editor.ui.conflict_dialog` and `editor.ui.session.conflict`), save their version as a copy
or reload theirs. An empty body is never written over a non-empty one unless the person
emptied the document themselves.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication

from editor.core.errors import (
    NewsroomError,
    StaleWriteError,
    StoreBusyError,
    StoreError,
    ValidationError,
)
from editor.core.merge import merge_edits
from editor.core.model import Article
from editor.core.values import MergedSides
from editor.services import store_lock
from editor.ui.conflict_dialog import ConflictMessage, ConflictVersions
from editor.ui.dialogs import ConflictChoice
from editor.ui.timers import debounce_timer

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom

#: How long to wait before trying a failed autosave again.
AUTOSAVE_RETRY_MS = 15_000
#: The journal takes the text this long after a keystroke: the key is painted first, and
#: the next one (75 ms later at 13 characters a second) finds the GUI thread free again...
JOURNAL_AFTER_KEY_MS = 20
#: ...and then at most this often while typing goes on. Each time costs one body snapshot
#: on the GUI thread (the Markdown writer: ~0.4 ms after typing in a paragraph of a
#: 20,000-word article, 12-15 ms when blocks were added, removed or reformatted, more on a
#: busy machine), so when it is slow the interval grows to eight times what it took...
JOURNAL_INTERVAL_MS = 400
#: ...but never beyond this: no keystroke waits longer to be kept (plus the write, a few ms).
JOURNAL_MAX_INTERVAL_MS = 700
#: While keys come faster than JOURNAL_AFTER_KEY_MS, the text is taken anyway this late.
JOURNAL_OVERDUE_MS = 100
#: A keystroke that finds the text not due yet leaves it to the first later one that does
#: (so it is taken just after a key, not at a moment the next key may land on), or to a
#: pause in the typing this long.
JOURNAL_IN_A_PAUSE_MS = 200
#: While editing, a real revision at least this often (the rest coalesce).
REVISION_INTERVAL_S = 300.0
#: How long a write on the GUI thread lets SQLite wait for a lock another program took
#: between the look (`store_lock.locked_by_another_program`) and the write...
GUI_LOCK_WAIT_S = 0.25
#: ...and how long the worker lets it wait before it looks again.
WORKER_LOCK_WAIT_S = 0.5
#: Said in the status bar the moment a save finds the store locked by another program.
LOCKED_WAITING = (
    "Waiting for the store (locked by another program)… Your text is kept and is saved "
    "as soon as the store is free."
)
#: Said in a dialog when a save is asked for again while the store is still locked.
LOCKED_STILL = (
    "The store is still locked by another program (a second editor, a sync or a "
    "database tool), so nothing could be saved yet. Your text is kept in the recovery "
    "journal and is saved as soon as the store is free."
)


#: Asked when a save is refused as stale; gets the store's message, returns the choice.
ConflictResolver = Callable[[str], ConflictChoice]


@dataclass
class _Write:
    """One store write for the worker: what to write, then what came of it."""

    kind: str  # "save" (an autosave)
    article_id: str
    session_id: str
    version: int
    body: str | None
    changes: dict[str, object]
    reason: str = "autosave"
    body_edits: int = 0  # the session's body-edit count when the text was taken
    merged: MergedSides | None = None  # a Merge Both's save: recorded with both parents
    saved: Article | None = None
    error: NewsroomError | None = field(default=None)
    #: Set while the worker waits for another program's lock (read on the GUI thread).
    waiting: bool = False
    #: Set by the GUI thread to stop a write that waits for the lock (closing, reloading).
    cancel: threading.Event = field(default_factory=threading.Event)


class _WriteSignals(QObject):
    finished = Signal(object)  # _Write
    waiting = Signal(object)  # _Write: it waits for another program's lock


class _WriteJob(QRunnable):
    """Runs one `_Write` against the store; never touches a widget or the session."""

    def __init__(self, newsroom: Newsroom, write: _Write, signals: _WriteSignals) -> None:
        super().__init__()
        self._newsroom = newsroom
        self._write = write
        self._signals = signals

    def run(self) -> None:
        write = self._write
        try:
            write.saved = self._save_when_free(write)
        except NewsroomError as error:
            write.error = error
        except Exception as error:  # the GUI thread must always hear that the write ended
            write.error = StoreError(f"Saving failed: {error}")
        write.waiting = False
        self._signals.finished.emit(write)

    def _save_when_free(self, write: _Write) -> Article:
        """Wait while another program holds the store's lock (saying so at once), then
        write; looks again when the lock was taken between the look and the write."""
        while True:
            if not store_lock.wait_until_free(
                self._newsroom, write.cancel, lambda _waited: self._waiting(write)
            ):
                raise StoreBusyError(LOCKED_STILL)
            write.waiting = False
            try:
                with store_lock.waiting_at_most(WORKER_LOCK_WAIT_S):
                    return self._newsroom.save_article(
                        write.article_id,
                        expected_version=write.version,
                        changes=write.changes or None,
                        body=write.body,
                        reason=write.reason,
                        session_id=write.session_id,
                        merged=write.merged,
                    )
            except StoreBusyError:
                if not store_lock.locked_by_another_program(self._newsroom):
                    raise  # no lock to wait for that can be seen: as the store said it
                if write.cancel.wait(store_lock.POLL_S):
                    raise StoreBusyError(LOCKED_STILL) from None

    def _waiting(self, write: _Write) -> None:
        write.waiting = True
        self._signals.waiting.emit(write)


@dataclass
class _JournalWrite:
    """One journal write for the journal thread: keep a session's text, or forget it."""

    article_id: str
    session_id: str
    version: int = 0
    body: str = ""
    changes: dict[str, object] = field(default_factory=dict)
    clear: bool = False
    prepare: bool = False  # only make the journal file (on opening an article)
    error: NewsroomError | None = None


class _JournalJob(QRunnable):
    """Writes (and fsyncs) one `_JournalWrite` through `newsroom.recovery`; no widgets."""

    def __init__(self, newsroom: Newsroom, write: _JournalWrite, signals: _WriteSignals) -> None:
        super().__init__()
        self._recovery = newsroom.recovery
        self._write = write
        self._signals = signals

    def run(self) -> None:
        write = self._write
        try:
            _journal_now(self._recovery, write)
        except NewsroomError as error:
            write.error = error
        except Exception as error:  # the GUI thread must always hear that the write ended
            write.error = StoreError(f"The recovery journal could not be written: {error}")
        self._signals.finished.emit(write)


def _journal_now(recovery: object, write: _JournalWrite) -> None:
    if write.prepare:
        recovery.prepare_journal()  # type: ignore[attr-defined]
    elif write.clear:
        recovery.discard_unsaved(write.article_id, write.session_id)  # type: ignore[attr-defined]
    else:
        recovery.journal_unsaved(  # type: ignore[attr-defined]
            write.article_id, write.session_id, write.version, write.body, write.changes
        )


class EditingSession(QObject):
    """One open article at a time; widgets show it, this object saves it."""

    #: A (re)loaded `Article` the widgets must show in full, or None.
    opened = Signal(object)
    #: The `Article` the store returned after a save.
    saved = Signal(object)
    #: A new `Article` was created from here (New, or "save my version as a copy").
    created = Signal(object)
    dirty_changed = Signal(bool)
    #: (field name, message): an edit the store refused, e.g. a duplicate slug.
    field_rejected = Signal(str, str)
    #: A message for a person: a save failed for a reason they must know about.
    failed = Signal(str)
    #: An autosave failed (disk full, store locked...): shown quietly, retried later.
    autosave_failed = Signal(str)
    #: Whether the article is in an unresolved stale-write conflict.
    conflict_changed = Signal(bool)
    #: A stale save was settled by merging both versions: what to tell the person.
    merged = Signal(str)
    #: An edit of an article this person may not change was dropped (see `may_edit`).
    edit_refused = Signal()

    def __init__(
        self,
        newsroom: Newsroom,
        body_source: Callable[[], str],
        resolve_conflict: ConflictResolver,
        autosave_delay_ms: int = 1500,
        parent: QObject | None = None,
        *,
        body_is_empty: Callable[[], bool] | None = None,
        journal_interval_ms: int = JOURNAL_INTERVAL_MS,
        revision_interval_s: float = REVISION_INTERVAL_S,
    ) -> None:
        super().__init__(parent)
        self._newsroom = newsroom
        self._body_source = body_source
        self._body_is_empty = body_is_empty or (lambda: not body_source().strip())
        self._resolve_conflict = resolve_conflict
        self.article: Article | None = None
        #: Whether the person may change the open article now (the workflow's rights);
        #: an edit while it says no never makes the session dirty, so nothing is left
        #: to be autosaved (and refused) later.
        self.may_edit: Callable[[], bool] | None = None
        #: Puts a merged version (`ConflictVersions.merged_article`) in the editor as an
        #: edit of the person's own, so Undo brings their text back (see
        #: `editor.ui.session.conflict`); without it a merge is saved and opened afresh.
        self.apply_merge: Callable[[ConflictVersions], None] | None = None
        self.session_id = ""
        self._changes: dict[str, object] = {}
        self._body_dirty = False
        self._emptied_by_edit = False
        self._dirty = False
        self._in_conflict = False
        self._merging: MergedSides | None = None  # Merge Both taken, its save not landed
        #: Whether the journal may hold an entry of this session (so there is one to clear).
        self._journaled = False
        self._body_edits = 0  # so a result knows which typing it did not include
        self._last_revision = time.monotonic()
        self._revision_interval_s = revision_interval_s
        self._autosave_delay_ms = autosave_delay_ms
        self._autosave = debounce_timer(self, autosave_delay_ms, self._autosave_in_background)
        self._journal_interval_ms = journal_interval_ms
        self._journal = debounce_timer(self, JOURNAL_AFTER_KEY_MS, self._journal_in_background)
        self._journal_taken_at = -1e9  # monotonic time of the last text taken for it
        self._journal_cost_ms = 0.0  # what taking the text cost lately (a moving average)
        self._journal_problem: str | None = None  # said once until a write works again
        # One worker thread: at most one write in flight, so writes land in order.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._write_signals = _WriteSignals(self)
        self._write_signals.finished.connect(self._on_written)
        self._write_signals.waiting.connect(self._on_waiting)
        self._in_flight: _Write | None = None
        self._pending: set[str] = set()  # "save": wanted while one was in flight
        #: A revision (Ctrl+S) was asked for while the store was locked: the pending
        #: write is one, not an autosave.
        self._revision_wanted = False
        #: A save that must answer (not a background one) found the store locked and
        #: was left to the worker; the next such save gets the dialog.
        self._asked_while_locked = False
        # The journal's own thread, so its writes never wait behind a store write.
        self._journal_pool = QThreadPool(self)
        self._journal_pool.setMaxThreadCount(1)
        self._journal_signals = _WriteSignals(self)
        self._journal_signals.finished.connect(self._on_journal_written)
        self._journal_in_flight: _JournalWrite | None = None
        self._journal_again = False  # wanted while one was in flight

    # -- state -----------------------------------------------------------

    @property
    def in_conflict(self) -> bool:
        return self._in_conflict

    @property
    def pending_fields(self) -> set[str]:
        return set(self._changes)

    def field_value(self, name: str) -> object:
        """A detail as the person sees it now (an unsaved edit or the saved value)."""
        if name in self._changes:
            return self._changes[name]
        return getattr(self.article, name, None) if self.article is not None else None

    def snapshot(self) -> Article | None:
        """The article as the person sees it now, saved or not (for preview and copies)."""
        if self.article is None:
            return None
        current = replace(self.article, tags=list(self.article.tags), body=self._body_source())
        for name, value in self._changes.items():
            if name == "tags" and isinstance(value, str):
                current.tags = [t.strip() for t in value.split(",") if t.strip()]
            elif name == "story_date":
                current.story_date = _date_or(value, current.story_date)
            elif name == "length_target":
                text = str(value or "").replace(",", "").strip()
                current.length_target = int(text) if text.isdigit() else current.length_target
            else:
                setattr(current, name, value)
        return current

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def _set_conflict(self, in_conflict: bool) -> None:
        if in_conflict != self._in_conflict:
            self._in_conflict = in_conflict
            self.conflict_changed.emit(in_conflict)

    # -- edits -----------------------------------------------------------

    def _refused(self) -> bool:
        if self.may_edit is None or self.may_edit():
            return False
        self.edit_refused.emit()
        return True

    def note_body_edited(self) -> None:
        if self.article is None or self._refused():
            return
        self._body_dirty = True
        self._body_edits += 1
        # Only a person's edit may empty the body (see `save`); this is one.
        self._emptied_by_edit = self._body_is_empty()
        self._set_dirty(True)
        self._autosave.start()
        self._schedule_journal()

    def note_field_edited(self, name: str, value: object) -> None:
        if self.article is None or self._refused():
            return
        self._changes[name] = value
        self._set_dirty(True)
        self._autosave.start()
        self._schedule_journal()

    # -- the recovery journal ----------------------------------------------

    def _schedule_journal(self) -> None:
        """Take the text for the journal JOURNAL_AFTER_KEY_MS after this edit when the
        interval since it was last taken has passed by then; else after the first later
        edit that finds it so, or in a pause of the typing. The snapshot runs just after a
        key, as far as it can be from the next one; once overdue it is left to fire."""
        since_ms = (time.monotonic() - self._journal_taken_at) * 1000
        interval = self._journal_interval()
        if self._journal.isActive() and since_ms >= interval + JOURNAL_OVERDUE_MS:
            return
        if since_ms + JOURNAL_AFTER_KEY_MS >= interval:
            self._journal.start(JOURNAL_AFTER_KEY_MS)
        else:
            self._journal.start(max(JOURNAL_IN_A_PAUSE_MS, int(interval - since_ms)))

    def _journal_interval(self) -> float:
        slow = 8 * self._journal_cost_ms
        return min(JOURNAL_MAX_INTERVAL_MS, max(self._journal_interval_ms, slow))

    def _journal_write(self) -> _JournalWrite | None:
        """What the journal would keep now (None when there is nothing unsaved)."""
        if self.article is None or not self._dirty:
            return None
        self._journal_taken_at = started = time.monotonic()
        body = self._body_source() if self._body_dirty else self.article.body
        cost_ms = (time.monotonic() - started) * 1000
        self._journal_cost_ms = (self._journal_cost_ms + cost_ms) / 2
        return _JournalWrite(
            self.article.id, self.session_id, self.article.version, body, dict(self._changes)
        )

    def write_journal(self) -> bool:
        """Keep what is on screen in the journal until the article is saved: now, on this
        thread, after the journal write in flight (the journal timer writes it on the
        journal thread while the person types)."""
        self._journal.stop()
        self._finish_journal()
        write = self._journal_write()
        if write is None:
            return False
        self._journaled = True
        try:
            _journal_now(self._newsroom.recovery, write)
        except NewsroomError as error:
            self._journal_failed(str(error))
            return False
        self._journal_problem = None
        return True

    def _clear_journal(self) -> None:
        """Forget this session's journal entry now (its text was saved, copied or declined)."""
        self._finish_journal()
        if not self._journaled or self.article is None:
            return
        try:
            self._newsroom.recovery.discard_unsaved(self.article.id, self.session_id)
        except NewsroomError:
            return  # harmless: the next start finds the text equal to the article's
        self._journaled = False

    def _journal_in_background(self) -> None:
        """The journal timer: keep the text (or, with nothing unsaved, clear the entry) on
        the journal thread; after the write in flight when there is one."""
        self._journal.stop()
        if self._journal_in_flight is not None:
            self._journal_again = True
            return
        write = self._journal_write()
        if write is None:
            if not self._journaled or self.article is None:
                return
            write = _JournalWrite(self.article.id, self.session_id, clear=True)
        else:
            self._journaled = True
        self._start_journal(write)

    def _start_journal(self, write: _JournalWrite) -> None:
        self._journal_in_flight = write
        self._journal_pool.start(_JournalJob(self._newsroom, write, self._journal_signals))

    def _on_journal_written(self, write: _JournalWrite) -> None:
        if write is not self._journal_in_flight:
            return  # already applied by `_finish_journal`
        self._journal_in_flight = None
        self._apply_journal_write(write)
        if self._journal_again:
            self._journal_again = False
            self._journal_in_background()

    def _finish_journal(self) -> None:
        """Wait for the journal write in flight and apply it; what was wanted meanwhile is
        left to the caller."""
        self._journal_again = False
        write = self._journal_in_flight
        if write is None:
            return
        self._journal_pool.waitForDone(-1)
        self._journal_in_flight = None
        self._apply_journal_write(write)

    def _apply_journal_write(self, write: _JournalWrite) -> None:
        current = (
            self.article is not None
            and write.article_id == self.article.id
            and write.session_id == self.session_id
        )
        if write.error is not None:
            if current or write.prepare:
                self._journal_failed(str(write.error))
            return
        if not write.prepare:
            self._journal_problem = None
        if write.clear and current and not self._dirty:
            self._journaled = False

    def _journal_failed(self, message: str) -> None:
        if message != self._journal_problem:
            self._journal_problem = message
            self.autosave_failed.emit(message)

    # -- focus -------------------------------------------------------------

    def autosave_on_focus_loss(self, window: QObject) -> None:
        """Autosave when `window` is deactivated or the application goes to the background."""
        window.installEventFilter(self)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_application_state)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowDeactivate and self._dirty:
            self.save(reason="autosave", background=True)
        return False

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive and self._dirty:
            self.save(reason="autosave", background=True)

    # -- opening ---------------------------------------------------------

    def open(self, article_id: str) -> bool:
        """Save the current article, then load `article_id`; False if either failed."""
        if self.article is not None and self.article.id == article_id:
            return True
        if not self.save(reason="autosave"):
            return False
        try:
            article = self._newsroom.get_article(article_id)
        except NewsroomError as error:
            self.failed.emit(str(error))
            return False
        self._load(article)
        return True

    def open_as_read(self, article: Article) -> bool:
        """As `open`, of `article` as it was read before (the window showed it while the
        store opened): a save checks it against the store's version as any save does."""
        if not self.save(reason="autosave"):
            return False
        self._load(article)
        return True

    def create(self) -> bool:
        """Save the current article, then start and open a new draft."""
        if not self.save(reason="autosave"):
            return False
        return self._create_and_open()

    def close_article(self) -> bool:
        """Save and stop editing (e.g. before the article is deleted)."""
        if not self.save(reason="autosave"):
            return False
        self._load(None)
        return True

    def _load(self, article: Article | None) -> None:
        self._autosave.stop()
        self._journal.stop()
        self._finish_writes()
        self._clear_journal()  # what it held was saved, copied, or declined by the person
        self.article = article
        self.session_id = str(uuid.uuid4())
        self._changes.clear()
        self._body_dirty = False
        self._emptied_by_edit = False
        self._journaled = False
        self._last_revision = time.monotonic()
        self._merging = None
        self._set_conflict(False)
        self._set_dirty(False)
        if article is not None:
            # The journal file is made now, full size, so that the first keystroke is kept
            # at once and a disk that fills up later still takes the journal.
            self._start_journal(_JournalWrite(article.id, self.session_id, prepare=True))
        self.opened.emit(article)

    # -- saving ----------------------------------------------------------

    def save(self, reason: str = "save", *, background: bool = False) -> bool:
        """Write unsaved changes now; True when nothing is left unsaved.

        `reason` "save" writes a revision, "autosave" updates the session's working one
        (or a revision after `revision_interval_s`). `background` saves (focus loss, the
        retry after a failure) report failures quietly and retry instead of showing a
        dialog. A write in flight on the worker is waited for and applied first.
        """
        self._autosave.stop()
        if self._locked_elsewhere():
            return self._save_when_free(reason, background)
        self._finish_writes()
        prepared = self._prepare_save(reason, background)
        if isinstance(prepared, bool):
            if prepared and self._journaled and not self._dirty:
                self._journal.stop()
                self._clear_journal()  # an autosave that just landed saved it all
            return prepared
        write = prepared
        changes, body, reason = write.changes, write.body, write.reason
        try:
            with store_lock.waiting_at_most(GUI_LOCK_WAIT_S):  # never seconds, here
                saved = self._newsroom.save_article(
                    self.article.id,
                    expected_version=self.article.version,
                    changes=changes or None,
                    body=body,
                    reason=reason,
                    session_id=self.session_id,
                    merged=write.merged,
                )
        except StaleWriteError as error:
            self.write_journal()  # recoverable while the person decides
            return self._on_stale(str(error))
        except ValidationError as error:
            if error.field is not None and error.field in changes:
                # Show it beside the field and still save everything else.
                del self._changes[error.field]
                self.field_rejected.emit(error.field, str(error))
                if not self._changes and not self._body_dirty:
                    self._set_dirty(False)  # nothing left that can be saved
                    return True
                return self.save(reason, background=background)
            self.write_journal()
            self.failed.emit(str(error))
            return False
        except StoreBusyError:  # locked between the look and the write: the worker waits
            return self._save_when_free(reason, background)
        except NewsroomError as error:
            self.write_journal()  # the text stays recoverable whatever the store said
            if background:
                # No dialog every few seconds while the disk is full: say it in the status
                # bar and try again later; Ctrl+S, switching and quitting still ask.
                self.autosave_failed.emit(str(error))
                self._autosave.start(AUTOSAVE_RETRY_MS)
            else:
                self.failed.emit(str(error))
            return False
        self._apply_saved(write, saved)
        if not self._dirty:
            self._journal.stop()
            self._clear_journal()
        return True

    def _apply_saved(self, write: _Write, saved: Article) -> None:
        """Take the store's new version; edits made while it was written stay unsaved."""
        self._autosave.setInterval(self._autosave_delay_ms)
        self._asked_while_locked = False
        self.article = saved
        if write.merged is not None:
            self._merging = None
        if write.reason != "autosave":
            self._last_revision = time.monotonic()
        for name, value in write.changes.items():
            if name in self._changes and self._changes[name] == value:
                del self._changes[name]
        if self._body_edits == write.body_edits:
            self._body_dirty = False
        still_dirty = bool(self._changes) or self._body_dirty
        if write.reason != "autosave" or not still_dirty:
            self._revision_wanted = False  # a Ctrl+S left waiting is done (or moot)
        if not still_dirty and self._journaled:
            # Cleared on the journal thread, after any write in flight (the timer runs the
            # clear when nothing is left unsaved); a synchronous save clears it at once.
            self._journal.start(0)
        self._set_conflict(False)
        self._set_dirty(still_dirty)
        self.saved.emit(saved)
        if still_dirty:
            self.dirty_changed.emit(True)  # "saved", but typed on meanwhile: say editing

    # -- writes on the worker ------------------------------------------------

    def _autosave_in_background(self) -> None:
        """The typing pause: autosave on the worker (after the write in flight)."""
        self._autosave.stop()
        if self._in_flight is not None:
            self._pending.add("save")
            return
        reason = "save" if self._revision_wanted else "autosave"
        prepared = self._prepare_save(reason, background=True)
        if isinstance(prepared, _Write):
            self._start(prepared)

    def _locked_elsewhere(self) -> bool:
        """Whether a save now would wait for another program's lock: the write in
        flight waits for it, or the store says so (a millisecond's look)."""
        if self.article is None or not self._dirty:
            return False
        flight = self._in_flight
        if flight is not None and flight.waiting:
            return True
        return store_lock.locked_by_another_program(self._newsroom)

    def _save_when_free(self, reason: str, background: bool) -> bool:
        """The store is locked by another program: never wait for it on this thread.

        The text goes to the journal, the worker writes it once the lock is gone (after
        the write in flight), and the status bar says so at once. A save that must
        answer and finds the store still locked after an earlier one was left waiting
        gets the dialog instead (closing the window asks whether to quit unsaved).
        """
        prepared = self._prepare_save(reason, background)
        if isinstance(prepared, bool):
            return prepared
        if prepared.reason != "autosave":
            self._revision_wanted = True
        self.write_journal()
        if self._in_flight is None:
            self._start(prepared)
        else:
            self._pending.add("save")
        asked_before = self._asked_while_locked
        if not background:
            self._asked_while_locked = True
        if asked_before and not background:
            self.failed.emit(LOCKED_STILL)
        else:
            self.autosave_failed.emit(LOCKED_WAITING)
        return False

    def _on_waiting(self, write: _Write) -> None:
        """The worker waits for another program's lock: said at once (and again every
        `store_lock.NOTICE_EVERY_S`), the text kept in the journal meanwhile."""
        if write is not self._in_flight or self.article is None:
            return
        if write.article_id == self.article.id and write.session_id == self.session_id:
            self.autosave_failed.emit(LOCKED_WAITING)

    def _start(self, write: _Write) -> None:
        self._in_flight = write
        self._pool.start(_WriteJob(self._newsroom, write, self._write_signals))

    def _on_written(self, write: _Write) -> None:
        if write is not self._in_flight:
            return  # already applied by `_finish_writes`
        self._in_flight = None
        self._apply_write(write, settling=False)
        if self._in_flight is None and "save" in self._pending:
            self._pending.discard("save")
            self._autosave_in_background()

    def _finish_writes(self, drop: set[str] | None = None) -> None:
        """Wait for the write in flight and apply it; pending writes not in `drop`
        (default: all, the caller writes everything itself) go back to their timers."""
        pending, self._pending = self._pending, set()
        if drop is not None and "save" in pending - drop:
            self._autosave.start()
        write = self._in_flight
        if write is None:
            return
        # Never wait for another program's lock here: a write that would wait for it (or
        # waits already) gives up at once, its text kept in the journal; any other ends.
        write.cancel.set()
        self._pool.waitForDone(-1)
        self._in_flight = None
        self._apply_write(write, settling=True)

    def _apply_write(self, write: _Write, *, settling: bool) -> None:
        """A worker's result, on the GUI thread, handled as a synchronous save handles it.

        `settling`: a synchronous save or load follows at once, so a refused autosave is
        left to it (it meets the same refusal and asks the person once).
        """
        if (
            self.article is None
            or write.article_id != self.article.id
            or write.session_id != self.session_id
        ):
            return
        if write.error is None:
            assert write.saved is not None
            self._apply_saved(write, write.saved)
            return
        if settling:
            return
        error = write.error
        if isinstance(error, StaleWriteError):
            self.write_journal()  # recoverable while the person decides
            self._on_stale(str(error))
        elif isinstance(error, ValidationError):
            if error.field is not None and error.field in write.changes:
                self._changes.pop(error.field, None)
                self.field_rejected.emit(error.field, str(error))
                if not self._changes and not self._body_dirty:
                    self._set_dirty(False)  # nothing left that can be saved
                else:
                    self._pending.add("save")  # the rest, at once
                return
            self.write_journal()
            self.failed.emit(str(error))
        else:
            self.write_journal()  # the text stays recoverable whatever the store said
            self.autosave_failed.emit(str(error))
            self._autosave.start(AUTOSAVE_RETRY_MS)

    def _prepare_save(self, reason: str, background: bool) -> _Write | bool:
        """What a save would write now, or its answer when there is nothing to write."""
        if self.article is None or not self._dirty:
            return True
        if self._in_conflict and background:
            return False  # the person already chose to keep editing; ask again on Ctrl+S
        if (
            reason == "autosave"
            and time.monotonic() - self._last_revision >= self._revision_interval_s
        ):
            reason = "save"  # a few minutes of work deserve a revision of their own
        changes = dict(self._changes)
        body = self._body_source() if self._body_dirty else None
        if (
            body is not None
            and not body.strip()
            and self.article.body.strip()
            and not (self._emptied_by_edit and self._body_is_empty())
        ):
            # Nothing came back for a non-empty article without the person deleting it
            # all (a failed load, or a conversion that failed): never write that over it.
            body = None
            if not self._body_is_empty():
                self.autosave_failed.emit(
                    "The text could not be converted for saving; the saved version was "
                    "kept. Copy your text somewhere safe."
                )
                return False
            self._body_dirty = False
            if not changes:
                self._set_dirty(False)
                return True
        return _Write(
            "save", self.article.id, self.session_id, self.article.version, body, changes,
            reason=reason, body_edits=self._body_edits, merged=self._merging,
        )  # fmt: skip

    def _on_stale(self, message: str) -> bool:
        self._set_conflict(True)
        versions = self._conflict_versions()
        choice = self._resolve_conflict(ConflictMessage(message, versions))
        if choice is ConflictChoice.MERGE and versions is not None and versions.can_merge:
            return self._take_merge(versions)
        if choice is ConflictChoice.SAVE_COPY:
            return self._save_as_copy()
        if choice is ConflictChoice.RELOAD_THEIRS:
            return self._reload()
        return False

    def _conflict_versions(self) -> ConflictVersions | None:
        """The stale save's versions and their merge, for the dialog to compare.

        The base is `self.article`, the version this session loaded or last saved (the
        one the refused save expected), exactly as the store returned it; theirs is read
        now. None when theirs cannot be read (deleted meanwhile, the store gone): the
        plain question is asked then.
        """
        base, mine = self.article, self.snapshot()
        if base is None or mine is None:
            return None
        if "slug" in self._changes:  # set by hand here: it no longer follows the headline
            mine.slug_locked = bool(mine.slug)
        try:
            theirs = self._newsroom.get_article(base.id)
            name, when = "Someone", theirs.updated_at
            if theirs.head_revision_id and theirs.head_revision_id != base.head_revision_id:
                head = self._newsroom.revision(theirs.head_revision_id)
                name, when = head.author or name, head.created_at
        except NewsroomError:
            return None
        if theirs.deleted_at is not None:
            return None
        return ConflictVersions(base, mine, theirs, name, when, merge_edits(base, theirs, mine))

    def _take_merge(self, versions: ConflictVersions) -> bool:
        """Both edits in one version, saved over theirs (`expected_version` = theirs).

        With `apply_merge` (the window) the merged text goes into the editor as an edit
        of the person's own, on top of their version as the new base, and is saved like
        any edit: Undo then brings back the person's text, and a save that meets yet
        another colleague's version asks again against that one.
        """
        if self.apply_merge is None:
            return self._save_merge(versions)
        self.article = versions.theirs
        self._merging = versions.merged_sides()
        self.apply_merge(versions)  # arrives as note_body_edited / note_field_edited
        self._body_dirty = True  # the merged body is written even if no edit was noticed
        self._set_dirty(True)
        if not self.save(reason="save"):
            return False
        self.merged.emit(_merged_message(versions, undo=True))
        return True

    def _save_merge(self, versions: ConflictVersions) -> bool:
        """Without an editor to show it: write the merge over theirs, then open it."""
        assert self.article is not None
        try:
            saved = self._newsroom.save_article(
                versions.theirs.id,
                expected_version=versions.theirs.version,
                changes=versions.merged_changes() or None,
                body=versions.merge.body,
                reason="save",
                session_id=self.session_id,
                merged=versions.merged_sides(),
            )
        except StaleWriteError as error:
            return self._on_stale(str(error))  # theirs moved on again: ask about the new one
        except NewsroomError as error:
            self.failed.emit(str(error))
            return False
        self._load(saved)
        self.merged.emit(_merged_message(versions, undo=False))
        return True

    def _save_as_copy(self) -> bool:
        mine = self.snapshot()
        assert mine is not None
        metadata = {
            name: getattr(mine, name)
            for name in ("standfirst", "byline", "section", "tags", "dateline", "story_date")
        }
        return self._create_and_open(headline=mine.headline, body=mine.body, **metadata)

    def _create_and_open(self, **fields: object) -> bool:
        try:
            article = self._newsroom.create_article(**fields)
        except NewsroomError as error:
            self.failed.emit(str(error))
            return False
        self.created.emit(article)
        self._load(article)
        return True

    def reload(self) -> bool:
        """Load the open article again as the store has it now, e.g. after a workflow step
        changed its status or flags. Call `save()` first: unsaved changes are dropped."""
        return True if self.article is None else self._reload()

    def _reload(self) -> bool:
        assert self.article is not None
        try:
            theirs = self._newsroom.get_article(self.article.id)
        except NewsroomError as error:
            self.failed.emit(str(error))
            return False
        self._load(theirs)
        return True

    def stop(self) -> None:
        """No more autosaves (the window is closing); the writes in flight are finished and
        this run's journal file closed (left for the next start when it holds text)."""
        self._autosave.stop()
        self._journal.stop()
        self._finish_writes()
        if self._dirty:
            self.write_journal()  # closing unsaved (the person said so): keep it for later
        else:
            self._clear_journal()
        self._finish_journal()
        with suppress(NewsroomError):  # the file stays; the next start reads it
            self._newsroom.recovery.close_journal()


def _merged_message(versions: ConflictVersions, *, undo: bool) -> str:
    done = f"Merged with {versions.their_name}’s changes and saved"
    return f"{done}; Undo in the text brings back your version." if undo else f"{done}."


def _date_or(value: object, fallback: date | None) -> date | None:
    """A typed date for the preview; text that is not (yet) a date keeps the saved one."""
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return fallback
