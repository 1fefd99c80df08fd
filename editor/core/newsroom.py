"""The one service seam: every change to an article goes through `Newsroom`.

The CLI and the GUI both call it; it derives what is derived (slug, word count),
records who did what and persists through the store. It never imports Qt.
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace
from importlib.resources import as_file
from pathlib import Path

from editor.core.assets import AssetsMixin
from editor.core.checks import ChecksMixin
from editor.core.dashboard import DashboardMixin
from editor.core.dictionary import DictionaryMixin
from editor.core.errors import (
    AlreadyInitialisedError,
    NotFoundError,
    NoUsersError,
    UserRequiredError,
    ValidationError,
)
from editor.core.fields import set_field
from editor.core.importers import notes as import_notes
from editor.core.importers.run import ImportDuplicate as ImportDuplicate
from editor.core.importers.run import ImportReport as ImportReport
from editor.core.importers.run import Progress
from editor.core.importers.run import import_files as _import_files
from editor.core.model import (
    Article,
    ArticleQuery,
    ArticleSummary,
    Event,
    Revision,
    Role,
    User,
)
from editor.core.recovery import RecoveryMixin
from editor.core.resources import resource
from editor.core.review import ReviewMixin
from editor.core.text import is_valid_slug, slugify, word_count
from editor.core.workflow import WorkflowMixin
from editor.store.store import Store


class Newsroom(
    WorkflowMixin,
    ReviewMixin,
    AssetsMixin,
    DictionaryMixin,
    RecoveryMixin,
    ChecksMixin,
    DashboardMixin,
):
    """A store seen by one acting user (or, to read only, by nobody in particular)."""

    def __init__(self, store: Store, user: User | None) -> None:
        self.store = store
        self._user = user

    @property
    def user(self) -> User:
        """The acting user; a reader opened without one gets a typed error saying who to be.

        Everything that writes asks for it, so a reading session that tries to write is
        refused with one clear line instead of writing under nobody's name.
        """
        if self._user is None:
            names = [u.name for u in self.store.list_users()]
            if not names:
                raise NoUsersError()
            raise UserRequiredError(f"Say who you are with --as NAME ({', '.join(names)}).", names)
        return self._user

    @user.setter
    def user(self, user: User) -> None:
        self._user = user

    @property
    def has_user(self) -> bool:
        """Whether someone acts (False for a reader opened with `reader=True`)."""
        return self._user is not None

    @classmethod
    def open(
        cls,
        location: str | Path | None = None,
        user_name: str | None = None,
        *,
        bootstrap: bool = True,
        reader: bool = False,
    ) -> Newsroom:
        """Open (creating if needed) the store and pick the acting user.

        `user_name` names an existing user; without it the store's only user acts. A store
        with no users gets, with `bootstrap` (the window's first start), an admin named
        after the login account; without it, `NoUsersError` says to run `newsroom init`.
        With `reader`, a store whose user cannot be told (none, or several and no name)
        opens for reading by nobody in particular (`has_user` is False) instead.
        """
        store = Store.open(location)
        try:
            had_users = bool(store.list_users())
            user = _resolve_user(store, user_name, bootstrap=bootstrap, reader=reader)
            newsroom = cls(store, user)
            # The default store's first start shows the samples; a store the command line
            # opened earlier (for reading, with no users yet) still gets them here.
            if location is None and user is not None and (store.created or not had_users):
                newsroom.import_samples()
            return newsroom
        except BaseException:
            store.close()
            raise

    @classmethod
    def init(cls, location: str | Path | None, admin_name: str) -> Newsroom:
        """Create the store if needed and its first admin, who then acts (`newsroom init`).

        Refused with `AlreadyInitialisedError` when the store already has users; nothing
        is written then.
        """
        name = admin_name.strip()
        if not name:
            raise ValidationError("The first admin needs a name: newsroom init --admin NAME.")
        store = Store.open(location)
        try:
            admin = store.add_first_user(name, Role.ADMIN)
            if admin is None:
                names = [u.name for u in store.list_users()]
                raise AlreadyInitialisedError(
                    f"This store already has users ({', '.join(names)}): nothing to "
                    "initialise. An admin adds people with "
                    "`newsroom --as ADMIN user add NAME --role reporter|editor|admin`.",
                    names,
                )
            return cls(store, admin)
        except BaseException:
            store.close()
            raise

    def close(self) -> None:
        self.store.close()

    # -- reading ---------------------------------------------------------

    def count_articles(self, query: ArticleQuery = ArticleQuery()) -> int:
        return self.store.count_articles(self.with_desk_user(query))

    def list_articles(
        self, query: ArticleQuery = ArticleQuery(), offset: int = 0, limit: int = 200
    ) -> list[ArticleSummary]:
        return self.store.list_articles(self.with_desk_user(query), offset=offset, limit=limit)

    def get_article(self, article_id: str) -> Article:
        return self.store.get_article(article_id)

    def find_article(self, id_or_slug: str, *, include_deleted: bool = False) -> Article:
        """By id, slug or a unique id prefix (6+ characters); `AmbiguousIdError` when the
        prefix fits several. `include_deleted` finds deleted articles too (to restore)."""
        return self.store.find_article(id_or_slug, include_deleted=include_deleted)

    def deleted_among(self, ids: Iterable[str]) -> set[str]:
        """Which of `ids` are deleted (a list with `include_deleted` marks them)."""
        return self.store.deleted_among(ids)

    def revisions(self, article_id: str) -> list[Revision]:
        return self.store.list_revisions(article_id)

    def events(self, article_id: str) -> list[Event]:
        return self.store.list_events(article_id)

    def users(self) -> list[User]:
        return self.store.list_users()

    def switch_user(self, user: User | str) -> User:
        """Act as another user of this store from now on (File ▸ Switch User).

        Every later action is recorded under, and checked against, that user.
        """
        name = user.name if isinstance(user, User) else user
        found = self.store.get_user_by_name(name)
        if found is None:
            raise NotFoundError(f"No user named '{name}' in this store.")
        self.user = found
        return found

    # -- writing ---------------------------------------------------------

    def create_article(
        self, headline: str = "", body: str = "", *, sign: bool = True, **metadata: object
    ) -> Article:
        """A new draft by the acting user; its slug follows the headline until set by hand.

        With `sign`, an article without a byline gets the acting user's name.
        """
        article = Article(id=str(uuid.uuid4()), headline=headline.strip(), body=body)
        for name, value in metadata.items():
            set_field(article, name, value)
        if sign and not article.byline and self.user.name:
            article.byline = self.user.name
        self._derive(article, previous_slug=None)
        return self.store.create_article(article, author=self.user)

    def save_article(
        self,
        article_id: str,
        *,
        expected_version: int,
        changes: dict[str, object] | None = None,
        body: str | None = None,
        reason: str = "save",
        session_id: str | None = None,
    ) -> Article:
        """Apply metadata `changes` and/or a new `body` to the version the caller loaded.

        Refused with `StaleWriteError` when the article changed since `expected_version`.
        With `reason="autosave"` and a `session_id`, consecutive autosaves of one editing
        session update that session's latest revision instead of adding one per pause.
        """
        current = self.store.get_article(article_id)
        self.check_edit(current)  # the workflow's permission check (autosaves too)
        updated = replace(current, tags=list(current.tags))
        for name, value in (changes or {}).items():
            set_field(updated, name, value)
            if name == "slug":
                updated.slug_locked = bool(updated.slug)
        if body is not None:
            updated.body = body
        self._derive(updated, previous_slug=current.slug)
        return self.store.save_article(
            updated,
            expected_version=expected_version,
            author=self.user,
            reason=reason,
            session_id=session_id,
        )

    def delete_article(self, article_id: str) -> None:
        """Soft delete: hidden from lists, kept in the store, undone by `restore_article`.

        Who may: `workflow.decide_delete` (never a published article; a reporter only
        their own drafts); a refusal raises `PermissionDeniedError` or `TransitionError`.
        """
        seen = self.check_delete(article_id)
        self.store.set_deleted(
            article_id, deleted=True, actor=self.user, expected_version=seen.version
        )

    def restore_article(self, article_id: str) -> None:
        """Undo a delete; the same rule as `delete_article` says who may."""
        seen = self.check_delete(article_id, restore=True)
        self.store.set_deleted(
            article_id, deleted=False, actor=self.user, expected_version=seen.version
        )

    def add_user(self, name: str, role: Role | str) -> User:
        self.check_manage_users()
        name = name.strip()
        if not name:
            raise ValidationError("A user needs a name.")
        try:
            role = Role(role)
        except ValueError:
            raise ValidationError(
                f"Unknown role '{role}': use reporter, editor or admin."
            ) from None
        return self.store.add_user(name, role)

    def import_files(
        self,
        paths: Iterable[str | Path],
        on_duplicate: str = "ask",
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Each file becomes a draft, or one clear message; one bad file never stops the batch.

        A file whose bytes were imported before is, by `on_duplicate`, reported back in
        `report.duplicates` without importing it ("ask"), skipped, imported as a new copy,
        or used to update the earlier import. Each file is written whole or not at all.
        """
        return _import_files(self, paths, on_duplicate, progress=progress, cancelled=cancelled)

    def put_back_import_note(
        self, article_id: str, index: int, *, expected_version: int
    ) -> Article:
        """Put import note `index` back into the body where it stood, and drop the note."""
        current = self.store.get_article(article_id)
        body, remaining = import_notes.put_back(current.body, current.import_notes, index)
        return self.save_article(
            article_id,
            expected_version=expected_version,
            changes={"import_notes": remaining},
            body=body,
        )

    def dismiss_import_note(self, article_id: str, index: int, *, expected_version: int) -> Article:
        """Forget import note `index`: the person checked it and does not want it."""
        current = self.store.get_article(article_id)
        remaining = import_notes.dismiss(current.import_notes, index)
        return self.save_article(
            article_id, expected_version=expected_version, changes={"import_notes": remaining}
        )

    def import_samples(self) -> ImportReport:
        """The sample articles shipped in `resources/samples/`, so a new store is not empty."""
        samples = resource("samples")
        with as_file(samples) as folder:
            files = sorted(p for p in Path(folder).iterdir() if p.suffix in {".txt", ".md"})
            return self.import_files(files)

    # -- derived fields --------------------------------------------------

    def _derive(self, article: Article, previous_slug: str | None) -> None:
        article.word_count = word_count(article.body)
        if article.slug_locked:
            if not is_valid_slug(article.slug):
                raise ValidationError(
                    f"'{article.slug}' is not a valid slug: use lower-case letters, "
                    "digits and single hyphens.",
                    field="slug",
                )
            owner = self.store.slug_owner(article.slug, exclude_id=article.id)
            if owner is not None:
                raise ValidationError(
                    f"The slug '{article.slug}' is already used by “{owner}”.", field="slug"
                )
            return
        base = slugify(article.headline) or "untitled"
        # Keep "x-2" when the headline still gives "x": the slug must not flap.
        if (
            previous_slug
            and _slug_family(previous_slug, base)
            and self.store.slug_owner(previous_slug, exclude_id=article.id) is None
        ):
            article.slug = previous_slug
            return
        article.slug = self.store.unique_slug(base, exclude_id=article.id)


def _slug_family(slug: str, base: str) -> bool:
    if slug == base:
        return True
    head, _, tail = slug.rpartition("-")
    return head == base and tail.isdigit()


def _resolve_user(
    store: Store, user_name: str | None, *, bootstrap: bool, reader: bool
) -> User | None:
    """The acting user, as `Newsroom.open` explains; None for a reader."""
    users = store.list_users()
    if user_name:
        user = store.get_user_by_name(user_name)
        if user is not None:
            return user
        if not users:
            raise NoUsersError()
        names = ", ".join(u.name for u in users)
        raise NotFoundError(
            f"No user named '{user_name}' in this store (it has: {names}); an admin adds "
            f'one with `newsroom --as ADMIN user add "{user_name}" --role reporter`.'
        )
    if len(users) == 1:
        return users[0]
    if not users:
        if bootstrap:
            # The window's first start: the login account becomes the first admin. Another
            # process may have been first; then its user acts (or the store has several).
            first = store.add_first_user(_login_name(), Role.ADMIN)
            if first is not None:
                return first
            return _resolve_user(store, None, bootstrap=False, reader=reader)
        if reader:
            return None
        raise NoUsersError()
    if reader:
        return None
    names = [u.name for u in users]
    raise UserRequiredError(
        f"This store has several users: say who you are with --as NAME ({', '.join(names)}).",
        names,
    )


def _login_name() -> str:
    try:
        return getpass.getuser() or "reporter"
    except (OSError, KeyError):  # no login name in the environment or the password file
        return "reporter"
