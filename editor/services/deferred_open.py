"""A newsroom the window can be built and painted on before its store is open.

Importing SQLAlchemy and the store's models and opening the store take about a third of
the window's launch. `open_soon(location, user_name)` reads what the first paint needs
from a local SQLite store with sqlite3 alone (`editor.store.direct_reads`): that the
named user is there, the newsroom dictionary, the plain article list (no search, no
desk view) and the article the window opens with. It gives a
`DeferredNewsroom`, which answers those from the file and opens the real `Newsroom` the
first time anything else is asked of it; the window asks for it once it is painted
(`DeferredNewsroom.open`), so whatever else the window needs is there a moment later.

`open_soon` gives None whenever the full open has something to do or say first (a URL,
a password, a store to create, migrate, repair or refuse, a user it does not have):
then the caller opens the `Newsroom` as before, and the person sees what it says.

Another thread that needs the real newsroom before the window has opened it waits for
that (at most `OTHERS_WAIT_S`), so the store's imports do not share the CPU and the GIL
with the first paint; the window opens it on a worker of its own (`open_here`), leaving
its thread free for the person's typing.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from editor.core.errors import NewsroomError, StoreError
from editor.core.model import Article, ArticleQuery, ArticleSummary, User
from editor.services.workflow import Situation, decide_edit, is_owner
from editor.store import location as store_location
from editor.store.direct_reads import DirectReader

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom

#: How long another thread waits for the window's thread to open the store itself.
OTHERS_WAIT_S = 3.0


def open_soon(location: str | Path | None, user_name: str) -> DeferredNewsroom | None:
    """The newsroom at `location` (None: the default store) as `user_name`, its store to
    open later; None when it must be opened now (`Newsroom.open`)."""
    where = str(location) if location is not None else store_location.default_store_location()
    if store_location.is_url(where):
        return None
    reader = DirectReader.open(Path(where).expanduser().resolve(), any_thread=True)
    if reader is None:
        return None
    try:
        user = reader.user_named(user_name)
    except NewsroomError:
        user = None  # the full open says what is wrong
    if user is None:
        reader.close()
        return None
    return DeferredNewsroom(location, user, reader)


class _StoreBeforeOpening:
    """`DeferredNewsroom.store` until the store is open: its place, and the real store
    for anything else."""

    def __init__(self, newsroom: DeferredNewsroom, path: Path) -> None:
        self._newsroom = newsroom
        self.path = path
        self.location = str(path)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._newsroom.open().store, name)


class DeferredNewsroom:
    """A `Newsroom` whose store opens when first needed (see the module's docstring)."""

    def __init__(self, location: str | Path | None, user: User, reader: DirectReader) -> None:
        self._location = location
        self._user = user
        self._reader: DirectReader | None = reader
        self._place = _StoreBeforeOpening(self, reader.path)
        self._lock = threading.RLock()
        self._opened = threading.Event()
        self._newsroom: Newsroom | None = None
        self._failure: BaseException | None = None
        self._closed = False

    @property
    def is_open(self) -> bool:
        return self._newsroom is not None

    def open(self) -> Newsroom:
        """The real newsroom, opened now if it is not yet; what the open raised, again on
        every later call, when it failed."""
        newsroom = self._newsroom
        if newsroom is not None:
            return newsroom
        if threading.current_thread() is not threading.main_thread():
            self._opened.wait(OTHERS_WAIT_S)
        return self.open_here()

    def open_here(self) -> Newsroom:
        """`open` on this thread, at once: the window opens it so on a worker, its thread
        free for typing meanwhile (whoever else needs it waits for that open)."""
        with self._lock:
            if self._newsroom is None:
                if self._failure is not None:
                    raise self._failure
                if self._closed:
                    raise StoreError("The store was closed before it was opened.")
                from editor.services.newsroom import Newsroom  # SQLAlchemy, the store

                try:
                    self._newsroom = Newsroom.open(self._location, self._user.name)
                except BaseException as error:
                    self._failure = error
                    raise
                finally:
                    self._opened.set()
                    self._close_reader()
            return self._newsroom

    def close(self) -> None:
        """Close what is open; a thread still waiting to open it is refused."""
        self._closed = True
        self._opened.set()
        with self._lock:
            self._close_reader()
            if self._newsroom is not None:
                self._newsroom.close()

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    # -- what the first paint asks -------------------------------------------------

    @property
    def user(self) -> User:
        return self._newsroom.user if self._newsroom is not None else self._user

    @property
    def has_user(self) -> bool:
        return self._newsroom.has_user if self._newsroom is not None else True

    @property
    def fixed_identity(self) -> bool:
        # Only a shared (PostgreSQL) desk fixes who acts, and that is never deferred.
        return self._newsroom.fixed_identity if self._newsroom is not None else False

    @property
    def store(self) -> Any:
        return self._newsroom.store if self._newsroom is not None else self._place

    def reads_directly(self, query: ArticleQuery) -> bool:
        """Whether `list_articles(query)` is read from the file (the store not open yet)."""
        return self._reader is not None and _plain(query)

    def first_article(self, article_id: str) -> tuple[Article, bool] | None:
        """The article the window opens with, read from the file before the store opens,
        and whether this person may change its text (`decide_edit`, which needs no
        history); None once the store is open, or when it is not there."""
        with self._lock:
            if self._reader is None:
                return None
            try:
                article = self._reader.find_article(article_id)
            except NewsroomError:
                return None
        if article.id != article_id:
            return None  # a slug or a prefix: not the article asked for
        user = self._user
        situation = Situation(user.role, article.status, is_owner=is_owner(user, article))
        return article, decide_edit(situation).allowed

    def dictionary_words(self) -> list[str]:
        with self._lock:
            if self._reader is not None:
                return self._reader.dictionary_words()
        return self.open().dictionary_words()

    def count_articles(self, query: ArticleQuery = ArticleQuery()) -> int:
        with self._lock:
            if self.reads_directly(query):
                return self._reader.count_listing(query)
        return self.open().count_articles(query)

    def list_articles(
        self, query: ArticleQuery = ArticleQuery(), offset: int = 0, limit: int = 200
    ) -> list[ArticleSummary]:
        with self._lock:
            if self.reads_directly(query):
                return self._reader.listing_page(query, offset, limit)
        return self.open().list_articles(query, offset, limit)

    # -- everything else -------------------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.open(), name)


def _plain(query: ArticleQuery) -> bool:
    """The list as it first shows: no search, no desk view, newest first."""
    return (
        not query.search and not query.desk and query.sort_key == "updated_at" and query.descending
    )
