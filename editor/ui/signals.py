"""A small signal bus so panels hear about articles without holding references to each other."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class NewsroomSignals(QObject):
    """Past-tense events about articles; payloads are `editor.core.model` value objects."""

    #: The article now being edited (an `Article`), or None when nothing is open.
    article_opened = Signal(object)
    #: An `Article` as the store returned it after a save (new version, slug, word count).
    article_saved = Signal(object)
    #: An article was created (`Article`), e.g. by New, Import or "save my version as a copy".
    article_created = Signal(object)
    #: The id of an article that was soft-deleted.
    article_deleted = Signal(str)
    #: The id of an article brought back by Undo delete.
    article_restored = Signal(str)
    #: The set of articles changed in bulk (import): lists should reload.
    articles_reloaded = Signal()
