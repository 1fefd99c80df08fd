"""The one service seam: every change to an article goes through `Newsroom`.

The CLI and the GUI both call it; it derives what is derived (slug, word count),
records who did what and persists through the store. It never imports Qt.
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import replace
from datetime import datetime, tzinfo
from importlib.resources import as_file
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.errors import (
    AlreadyInitialisedError,
    NotFoundError,
    NoUsersError,
    UserRequiredError,
    ValidationError,
)
from editor.core.errors import IdentityError as IdentityError
from editor.core.errors import PasswordRequiredError as PasswordRequiredError
from editor.core.fields import set_field
from editor.core.importers import notes as import_notes
from editor.core.model import (
    Article,
    ArticleQuery,
    ArticleSummary,
    Event,
    Revision,
    Role,
    User,
)
from editor.core.resources import resource
from editor.core.spelling import Misspelling, SpellChecker
from editor.core.values import Asset, Comment
from editor.services.assets import AssetService
from editor.services.checks import CheckService
from editor.services.dashboard import FILED_DAYS, DashboardService, DeskSelection, DeskStats
from editor.services.derive import derive_fields
from editor.services.dictionary import DictionaryService
from editor.services.import_run import ImportDuplicate as ImportDuplicate
from editor.services.import_run import ImportReport as ImportReport
from editor.services.import_run import Progress
from editor.services.import_run import import_files as _import_files
from editor.services.presence import PresenceService
from editor.services.recovery import Recovery, RecoveryService
from editor.services.review import ReviewService, RevisionDiff
from editor.services.site_settings import SettingsService
from editor.services.workflow import KEEP, Action, Decision, Situation, WorkflowService
from editor.store import opening
from editor.store.rights import Rights, default_login
from editor.store.store import MergedSides as MergedSides
from editor.store.store import Store

if TYPE_CHECKING:  # the checks load when first run (their YAML and rules cost ~0.1 s)
    from editor.core.checks import CheckEngine, Dismissal, Finding, Style


class Newsroom:
    """A store seen by one acting user (or, to read only, by nobody in particular).

    Articles and users are read and written here; the rest of the seam is composed of
    parts, each an attribute built with this newsroom as its seat: `workflow`, `review`,
    `assets`, `dictionary`, `recovery`, `checks`, `dashboard` and `settings`. Many of
    their methods are also on `Newsroom` as one-line delegations, so callers may use
    either. `rights` is the store's view of database logins (a shared store).
    """

    def __init__(self, store: Store, user: User | None) -> None:
        self.store = store
        self._user = user
        self.rights = Rights(store.db)
        #: Whether the acting user is the database login's and nobody else (a shared
        #: store opened by a person's login): `switch_user` is refused then.
        self.fixed_identity = False
        self.workflow = WorkflowService(self)
        self.review = ReviewService(self)
        self.assets = AssetService(self)
        self.dictionary = DictionaryService(self)
        self.recovery = RecoveryService(self)
        self.checks = CheckService(self)
        self.dashboard = DashboardService(self)
        self.settings = SettingsService(self)
        self.presence = PresenceService(self)

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
    def style_path(self) -> str | Path | None:
        """The newsroom's own style file (see `CheckService.style_path`)."""
        return self.checks.style_path

    @style_path.setter
    def style_path(self, path: str | Path | None) -> None:
        self.checks.style_path = path

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
        password: str | None = None,
    ) -> Newsroom:
        """Open (creating if needed) the store and pick the acting user.

        `user_name` names an existing user; without it the store's only user acts. A store
        with no users gets, with `bootstrap` (the window's first start), an admin named
        after the login account; without it, `NoUsersError` says to run `newsroom init`.
        With `reader`, a store whose user cannot be told (none, or several and no name)
        opens for reading by nobody in particular (`has_user` is False) instead.

        On a shared (PostgreSQL) store the acting user is the one the database login is
        mapped to: another `user_name` is refused with `IdentityError`, and so is a login
        that is no user of the newsroom. Only the server's keys (a superuser or the
        store's owner, who are held by no rule anyway) may still name a user. When the
        server asks for a password, `PasswordRequiredError` is raised; open again with
        `password` (kept in this process's memory only).
        """
        if password is not None and location is not None:
            opening.supply_password(str(location), password)
        store = Store.open(location)
        try:
            had_users = bool(store.list_users())
            rights = Rights(store.db)
            fixed = False
            if rights.shared:
                user, fixed = _resolve_login(
                    store, rights, user_name, bootstrap=bootstrap, reader=reader
                )
            else:
                user = _resolve_user(store, user_name, bootstrap=bootstrap, reader=reader)
            newsroom = cls(store, user)
            newsroom.fixed_identity = fixed
            # The default store's first start shows the samples; a store the command line
            # opened earlier (for reading, with no users yet) still gets them here.
            if location is None and user is not None and (store.created or not had_users):
                newsroom.import_samples()
            return newsroom
        except BaseException:
            store.close()
            raise

    @classmethod
    def init(
        cls,
        location: str | Path | None,
        admin_name: str,
        login: str | None = None,
        *,
        take_existing: bool = True,
    ) -> Newsroom:
        """Create the store if needed and its first admin, who then acts (`newsroom init`).

        Refused with `AlreadyInitialisedError` when the store already has users; nothing
        is written then. On a shared store, with `login`, the admin connects with that
        database login (made, or taken: see `Rights.add_person`).
        """
        name = admin_name.strip()
        if not name:
            raise ValidationError("The first admin needs a name: newsroom init --admin NAME.")
        store = Store.open(location)
        try:
            rights = Rights(store.db)
            if rights.shared and login:
                made = rights.add_person(
                    name, Role.ADMIN, login, take_existing=take_existing, first=True
                )
                admin = made[0] if made else None
            else:
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
        if self.fixed_identity and name.strip().lower() != self.user.name.lower():
            raise IdentityError(_FIXED.format(login=self.rights.login().name, name=self.user.name))
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
        merged: MergedSides | None = None,
    ) -> Article:
        """Apply metadata `changes` and/or a new `body` to the version the caller loaded.

        Refused with `StaleWriteError` when the article changed since `expected_version`.
        With `reason="autosave"` and a `session_id`, consecutive autosaves of one editing
        session update that session's latest revision instead of adding one per pause.
        With `merged` (a stale save settled by merging, `expected_version` theirs), the
        person's own version and the merge are both kept: a merge revision whose second
        parent is their head (see `Store.save_article`).
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
        if merged is not None:
            own = replace(merged.own, tags=list(merged.own.tags))
            with suppress(ValidationError):  # a slug refused now was refused with the save
                self._derive(own, previous_slug=current.slug)
            merged = MergedSides(own, merged.theirs_head_id)
        return self.store.save_article(
            updated,
            expected_version=expected_version,
            author=self.user,
            reason=reason,
            session_id=session_id,
            merged=merged,
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

    @property
    def shared(self) -> bool:
        """Whether this is a shared (PostgreSQL) store, where each person has a login."""
        return self.rights.shared

    def add_person(self, name: str, role: Role | str) -> User:
        """Add a user as the window's Users dialog does: on a shared store, with a new
        database login made from the name (`login_of` tells it, to hand to the person)."""
        login = default_login(name) if self.rights.shared else None
        return self.add_user(name, role, login=login, take_existing=False)

    def add_user(
        self,
        name: str,
        role: Role | str,
        *,
        login: str | None = None,
        take_existing: bool = True,
    ) -> User:
        """Add a user (admins only, once the store has one). On a shared store, with
        `login`, also their database login (made, or taken), granted the role's group:
        see `Rights.add_person`. Without it they have no login yet."""
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
        if self.rights.shared and login:
            made = self.rights.add_person(name, role, login, take_existing=take_existing)
            return made[0]
        return self.store.add_user(name, role)

    def login_of(self, user: User) -> str | None:
        """The database login `user` connects with on a shared store (None elsewhere)."""
        return self.rights.logins().get(user.id) if self.rights.shared else None

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
        wire = self.checks.check_engine().style.wire  # the newsroom's own agency formats
        return _import_files(
            self, paths, on_duplicate, progress=progress, cancelled=cancelled, wire=wire
        )

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
        derive_fields(self.store, article, previous_slug)

    # -- workflow: delegations; callers may use `newsroom.workflow` directly ----------
    def situation(
        self, article: Article, now: datetime | None = None, *, last_writer: bool = True
    ) -> Situation:
        return self.workflow.situation(article, now, last_writer=last_writer)

    def allowed_actions(self, article: Article) -> list[Decision]:
        return self.workflow.allowed_actions(article)

    def delete_decision(self, article: Article, *, restore: bool = False) -> Decision:
        return self.workflow.delete_decision(article, restore=restore)

    def check_delete(self, article_id: str, *, restore: bool = False) -> Article:
        return self.workflow.check_delete(article_id, restore=restore)

    def check_edit(self, article: Article) -> None:
        return self.workflow.check_edit(article)

    def transition(
        self,
        article_id: str,
        action: Action | str,
        note: str = "",
        expected_version: int | None = None,
        *,
        body: str | None = None,
        changes: dict[str, object] | None = None,
    ) -> Article:
        return self.workflow.transition(
            article_id, action, note, expected_version, body=body, changes=changes
        )

    def set_flags(
        self,
        article_id: str,
        *,
        legal_hold: bool | None = None,
        not_for_publication: bool | None = None,
        embargo_until: datetime | str | object | None = KEEP,
        note: str = "",
        expected_version: int | None = None,
    ) -> Article:
        return self.workflow.set_flags(
            article_id,
            legal_hold=legal_hold,
            not_for_publication=not_for_publication,
            embargo_until=embargo_until,
            note=note,
            expected_version=expected_version,
        )

    def check_manage_users(self) -> None:
        return self.workflow.check_manage_users()

    def with_desk_user(self, query: ArticleQuery) -> ArticleQuery:
        return self.workflow.with_desk_user(query)

    # -- review: delegations; callers may use `newsroom.review` directly ----------
    def add_comment(
        self,
        article_id: str,
        quote: str,
        position: int | None,
        prefix: str = "",
        suffix: str = "",
        body: str = "",
    ) -> Comment:
        return self.review.add_comment(article_id, quote, position, prefix, suffix, body)

    def reply(self, comment_id: str, body: str) -> Comment:
        return self.review.reply(comment_id, body)

    def resolve(self, comment_id: str, resolved: bool = True) -> Comment:
        return self.review.resolve(comment_id, resolved)

    def list_comments(self, article_id: str, include_resolved: bool = True) -> list[Comment]:
        return self.review.list_comments(article_id, include_resolved)

    def anchor(self, comment: Comment, body_text: str) -> tuple[int, int] | None:
        return self.review.anchor(comment, body_text)

    def revision(self, revision_id: str) -> Revision:
        return self.review.revision(revision_id)

    def diff_revisions(self, old_revision_id: str | None, new_revision_id: str) -> RevisionDiff:
        return self.review.diff_revisions(old_revision_id, new_revision_id)

    def last_reviewed_revision(self, article_id: str, user_name: str | None = None) -> str | None:
        return self.review.last_reviewed_revision(article_id, user_name)

    def changes_since_review(self, article_id: str, user_name: str | None = None) -> RevisionDiff:
        return self.review.changes_since_review(article_id, user_name)

    def restore_revision(self, article_id: str, revision_id: str, expected_version: int) -> Article:
        return self.review.restore_revision(article_id, revision_id, expected_version)

    # -- assets: delegations; callers may use `newsroom.assets` directly ----------
    def add_asset(
        self,
        source: str | Path | bytes,
        *,
        alt: str,
        caption: str = "",
        credit: str = "",
        article_id: str | None = None,
        filename: str = "",
    ) -> Asset:
        return self.assets.add_asset(
            source,
            alt=alt,
            caption=caption,
            credit=credit,
            article_id=article_id,
            filename=filename,
        )

    def get_asset(self, asset_id: str) -> Asset:
        return self.assets.get_asset(asset_id)

    def asset_data(self, asset_id: str) -> bytes:
        return self.assets.asset_data(asset_id)

    def update_asset(
        self,
        asset_id: str,
        *,
        alt: str | None = None,
        caption: str | None = None,
        credit: str | None = None,
    ) -> Asset:
        return self.assets.update_asset(asset_id, alt=alt, caption=caption, credit=credit)

    def list_assets(self, article_id: str) -> list[Asset]:
        return self.assets.list_assets(article_id)

    # -- dictionary: delegations; callers may use `newsroom.dictionary` directly ----------
    def dictionary_words(self) -> list[str]:
        return self.dictionary.words()

    def add_dictionary_word(self, word: str) -> str:
        return self.dictionary.add_word(word)

    def remove_dictionary_word(self, word: str) -> bool:
        return self.dictionary.remove_word(word)

    def spell_checker(self) -> SpellChecker:
        return self.dictionary.spell_checker()

    def check_spelling(self, text: str) -> list[Misspelling]:
        return self.dictionary.check_spelling(text)

    # -- recovery: delegations; callers may use `newsroom.recovery` directly ----------
    def journal_unsaved(
        self,
        article_id: str,
        session_id: str,
        base_version: int,
        body: str,
        changes: dict[str, object] | None = None,
    ) -> None:
        return self.recovery.journal_unsaved(article_id, session_id, base_version, body, changes)

    def discard_unsaved(self, article_id: str, session_id: str | None = None) -> None:
        return self.recovery.discard_unsaved(article_id, session_id)

    def recoverable(self) -> list[Recovery]:
        return self.recovery.recoverable()

    def restore_unsaved(self, recovery: Recovery) -> Article:
        return self.recovery.restore_unsaved(recovery)

    # -- checks: delegations; callers may use `newsroom.checks` directly ----------
    def set_style_path(self, path: str | Path | None) -> Style:
        return self.checks.set_style_path(path)

    def check_engine(self) -> CheckEngine:
        return self.checks.check_engine()

    def check_article(
        self, article: str | Article, *, include_dismissed: bool = False
    ) -> list[Finding]:
        return self.checks.check_article(article, include_dismissed=include_dismissed)

    def dismiss_finding(self, article_id: str, finding: Finding, note: str = "") -> Dismissal:
        return self.checks.dismiss_finding(article_id, finding, note)

    def undismiss(self, article_id: str, finding: Finding | Dismissal) -> bool:
        return self.checks.undismiss(article_id, finding)

    def dismissed_findings(self, article_id: str) -> list[Dismissal]:
        return self.checks.dismissed_findings(article_id)

    def blocking_findings(self, article_id: str) -> list[Finding]:
        return self.checks.blocking_findings(article_id)

    # -- dashboard: delegations; callers may use `newsroom.dashboard` directly ----------
    def desk_stats(
        self, now: datetime | None = None, zone: tzinfo | None = None, days: int = FILED_DAYS
    ) -> DeskStats:
        return self.dashboard.desk_stats(now, zone, days)

    def desk_articles(self, selection: DeskSelection, limit: int = 500) -> list[ArticleSummary]:
        return self.dashboard.desk_articles(selection, limit)


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


_FIXED = (
    "On a shared store you act as your database login ({login}, who is {name} in this "
    "newsroom), not by name: connect with another login to act as someone else."
)


def _resolve_login(
    store: Store, rights: Rights, user_name: str | None, *, bootstrap: bool, reader: bool
) -> tuple[User | None, bool]:
    """The acting user on a shared store, and whether the login fixes it.

    A login mapped to a user is that user. The server's keys (superuser, BYPASSRLS, the
    store's owner) are held by no rule of the database, so naming a user changes nothing
    there: they choose as on a file store. Any other login is nobody: refused.
    """
    login = rights.login()
    if login.user_id is not None:
        mine = next((u for u in store.list_users() if u.id == login.user_id), None)
        if mine is not None:
            if not user_name or user_name.strip().lower() == mine.name.lower():
                return mine, not login.privileged
            if not login.privileged:
                raise IdentityError(_FIXED.format(login=login.name, name=mine.name))
    if login.privileged:
        try:
            return _resolve_user(store, user_name, bootstrap=bootstrap, reader=reader), False
        except UserRequiredError as error:
            raise UserRequiredError(
                f"This store has several users and the database login {login.name} is none "
                "of them: connect with your own login (the URL, PGUSER or a service file).",
                error.names,
            ) from None
    raise IdentityError(
        f"The database login {login.name} is not a user of this newsroom: an admin adds "
        f"you with `newsroom user add NAME --role reporter --login {login.name}`."
    )


def _login_name() -> str:
    try:
        return getpass.getuser() or "reporter"
    except (OSError, KeyError):  # no login name in the environment or the password file
        return "reporter"
