"""The article being edited: its last saved state, unsaved changes, autosave and conflicts.

All saving goes through here: after typing pauses (reason "autosave", one session id per
opened article), on Ctrl+S, when switching article and on quit. A stale write never
loses text: the person chooses to save their version as a copy or reload theirs.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QObject, Signal

from editor.core.errors import NewsroomError, StaleWriteError, ValidationError
from editor.core.model import Article
from editor.core.newsroom import Newsroom
from editor.ui.timers import debounce_timer

#: How long to wait before trying a failed autosave again.
AUTOSAVE_RETRY_MS = 15_000


class ConflictChoice(enum.Enum):
    SAVE_COPY = "save_copy"
    RELOAD_THEIRS = "reload_theirs"
    KEEP_EDITING = "keep_editing"


#: Asked when a save is refused as stale; gets the store's message, returns the choice.
ConflictResolver = Callable[[str], ConflictChoice]


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

    def __init__(
        self,
        newsroom: Newsroom,
        body_source: Callable[[], str],
        resolve_conflict: ConflictResolver,
        autosave_delay_ms: int = 1500,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._newsroom = newsroom
        self._body_source = body_source
        self._resolve_conflict = resolve_conflict
        self.article: Article | None = None
        self.session_id = ""
        self._changes: dict[str, object] = {}
        self._body_dirty = False
        self._dirty = False
        self._in_conflict = False
        self._autosave_delay_ms = autosave_delay_ms
        self._autosave = debounce_timer(
            self, autosave_delay_ms, lambda: self.save(reason="autosave")
        )

    # -- state -----------------------------------------------------------

    @property
    def is_dirty(self) -> bool:
        return self._dirty

    @property
    def in_conflict(self) -> bool:
        return self._in_conflict

    @property
    def pending_fields(self) -> set[str]:
        return set(self._changes)

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

    def note_body_edited(self) -> None:
        if self.article is None:
            return
        self._body_dirty = True
        self._set_dirty(True)
        self._autosave.start()

    def note_field_edited(self, name: str, value: object) -> None:
        if self.article is None:
            return
        self._changes[name] = value
        self._set_dirty(True)
        self._autosave.start()

    # -- opening ---------------------------------------------------------

    def open(self, article_id: str) -> bool:
        """Save the current article, then load `article_id`; False if either failed."""
        if self.article is not None and self.article.id == article_id:
            return True
        if not self.save():
            return False
        try:
            article = self._newsroom.get_article(article_id)
        except NewsroomError as error:
            self.failed.emit(str(error))
            return False
        self._load(article)
        return True

    def create(self) -> bool:
        """Save the current article, then start and open a new draft."""
        if not self.save():
            return False
        return self._create_and_open()

    def close_article(self) -> bool:
        """Save and stop editing (e.g. before the article is deleted)."""
        if not self.save():
            return False
        self._load(None)
        return True

    def _load(self, article: Article | None) -> None:
        self._autosave.stop()
        self.article = article
        self.session_id = str(uuid.uuid4())
        self._changes.clear()
        self._body_dirty = False
        self._set_conflict(False)
        self._set_dirty(False)
        self.opened.emit(article)

    # -- saving ----------------------------------------------------------

    def save(self, reason: str = "save") -> bool:
        """Write unsaved changes; True when nothing is left unsaved."""
        self._autosave.stop()
        if self.article is None or not self._dirty:
            return True
        if self._in_conflict and reason == "autosave":
            return False  # the person already chose to keep editing; ask again on Ctrl+S
        changes = dict(self._changes)
        body = self._body_source() if self._body_dirty else None
        try:
            saved = self._newsroom.save_article(
                self.article.id,
                expected_version=self.article.version,
                changes=changes or None,
                body=body,
                reason=reason,
                session_id=self.session_id,
            )
        except StaleWriteError as error:
            return self._on_stale(str(error))
        except ValidationError as error:
            if error.field is not None and error.field in changes:
                # Show it beside the field and still save everything else.
                del self._changes[error.field]
                self.field_rejected.emit(error.field, str(error))
                if not self._changes and not self._body_dirty:
                    self._set_dirty(False)  # nothing left that can be saved
                    return True
                return self.save(reason)
            self.failed.emit(str(error))
            return False
        except NewsroomError as error:
            if reason == "autosave":
                # No dialog every few seconds while the disk is full: say it in the status
                # bar and try again later; Ctrl+S, switching and quitting still ask.
                self.autosave_failed.emit(str(error))
                self._autosave.start(AUTOSAVE_RETRY_MS)
            else:
                self.failed.emit(str(error))
            return False
        self._autosave.setInterval(self._autosave_delay_ms)
        self.article = saved
        self._changes.clear()
        self._body_dirty = False
        self._set_conflict(False)
        self._set_dirty(False)
        self.saved.emit(saved)
        return True

    def _on_stale(self, message: str) -> bool:
        self._set_conflict(True)
        choice = self._resolve_conflict(message)
        if choice is ConflictChoice.SAVE_COPY:
            return self._save_as_copy()
        if choice is ConflictChoice.RELOAD_THEIRS:
            return self._reload()
        return False

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
        """No more autosaves (the window is closing)."""
        self._autosave.stop()


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
