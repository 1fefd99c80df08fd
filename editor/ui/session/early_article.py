"""The article a window opens with, shown before its store is open.

A store opened after the window's first paint (`editor.services.deferred_open`) gives
the article from its file: its headline and text are in the first paint and, when this
person may change it, the text takes typing at once. Once the store is open, the session
opens this very version (`EditingSession.open_as_read`) and what was typed into it
counts as an edit: a version saved meanwhile makes that a stale save, asked about like
any other, so nothing typed is written over or lost.
"""

from __future__ import annotations

from editor.core.model import Article

#: The longest body (characters) the first paint shows converted: about 30,000 words,
#: ~0.1 s of Python-Markdown (a 20,000-word article is ~130,000 characters).
AT_ONCE_UP_TO = 200_000


class EarlyArticle:
    """One window's article shown from the store's file (see the module's docstring)."""

    def __init__(self, window) -> None:  # the `MainWindow` (imported by it, not here)
        self._window = window
        self._article: Article | None = None
        self._edited = False
        self._stale = False  # a restore at start replaced its text in the store
        #: The article the session opened without loading its text again (see `adopt`).
        self._adopted: Article | None = None

    def show(self, article_id: str | None) -> None:
        """Show `article_id` as the store's file holds it (nothing when it is not there)."""
        w = self._window
        found = w.newsroom.first_article(article_id) if article_id else None
        if found is None:
            return
        self._article, editable = found
        w.editor.setReadOnly(not editable)
        # Converted before the first paint up to a long feature's length, as an editor
        # opening a file shows it: typing is taken at once. Longer, in the background.
        w.body_stack.load_markdown(self._article.body, AT_ONCE_UP_TO)
        w.headline_field.setEnabled(True)
        w.headline_field.setReadOnly(True)  # the details wait for the session
        w.headline_field.setText(self._article.headline)
        w.article_list.select_article(self._article.id)
        w.editor.body_edited.connect(self._note_edit)
        if editable:
            w.editor.setFocus()

    def _note_edit(self) -> None:
        self._edited = True

    @property
    def typed_into(self) -> bool:
        """Shown, not yet the session's, and typed into."""
        return self._article is not None and self._edited

    def restored(self, article_id: str) -> None:
        """Unsaved work of `article_id` was restored into the store at start."""
        if self._article is not None and self._article.id == article_id:
            self._stale = True

    def wanted_for(self, article_id: str | None) -> bool:
        """Whether the session should open the article shown, as `article_id`: unless a
        restore has replaced its text since and nothing was typed into it."""
        early = self._article
        return early is not None and early.id == article_id and (self._edited or not self._stale)

    def adopt(self, *, wanted: bool) -> None:
        """The article shown becomes the session's, what was typed into it an edit. Unless
        it is `wanted`, only when something was typed: else it is simply let go."""
        early, self._article = self._article, None
        if early is None:
            return
        w = self._window
        w.editor.body_edited.disconnect(self._note_edit)
        if not wanted and not self._edited:
            return
        self._adopted = early
        w.session.open_as_read(early)
        if self._edited and w.session.article is early:
            w.session.note_body_edited()

    def keeps_text_of(self, article: Article | None) -> bool:
        """Whether `article`, just opened, is the one adopted (its text is in the editor)."""
        adopted, self._adopted = self._adopted, None
        return article is not None and article is adopted
