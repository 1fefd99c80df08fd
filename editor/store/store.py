"""The store: articles, revisions, events and users in SQLite (or any SQLAlchemy URL).

Listing, sorting and search happen in SQL so a store of 100,000 articles lists as
fast as one of ten. Writes are transactions; a stale write is refused, never applied.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, Select, func, literal, not_, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from editor.core.errors import (
    AmbiguousIdError,
    NotFoundError,
    StoreError,
    StoreFullError,
    ValidationError,
)
from editor.core.model import (
    Article,
    ArticleQuery,
    ArticleSummary,
    Event,
    Revision,
    Role,
    User,
)
from editor.core.values import MergedSides as MergedSides
from editor.store import integrity, opening, search
from editor.store.assets import AssetRepository
from editor.store.comments import CommentRepository
from editor.store.dashboard import DashboardQueries
from editor.store.database import Database
from editor.store.export_reads import ExportReads
from editor.store.findings import DismissalRepository
from editor.store.journal import JournalRepository
from editor.store.models import ArticleRow, EventRow, RevisionRow, UserRow
from editor.store.rows import (
    SUMMARY_COLUMNS,
    append_revision,
    article_row_fields,
    as_aware,
    new_revision_row,
    read_article,
    revision_from_row,
    revision_meta,
    stale_write_error,
    summary_from_row,
    utc_now,
)
from editor.store.settings import SettingsRepository
from editor.store.spelling import DictionaryRepository
from editor.store.workflow import WorkflowRepository, desk_filters

_SORT_COLUMNS = {
    "headline": func.lower(ArticleRow.headline),
    "status": ArticleRow.status,
    "section": func.lower(ArticleRow.section),
    "byline": func.lower(ArticleRow.byline),
    "updated_at": ArticleRow.updated_at,
    "word_count": ArticleRow.word_count,
}


class Store:
    """One open store. Use `Store.open`; close it when done.

    Articles, revisions, events and users are read and written here; the rest of the
    store is composed of repositories over the one `Database` (`db`), each an attribute:
    `workflow`, `comments`, `assets`, `dictionary`, `journal`, `findings`, `dashboard`,
    `export_reads` and `settings`.
    """

    def __init__(
        self,
        location: str,
        path: Path | None,
        created: bool,
        *,
        reader_url: str | None = None,
        read_only_reason: str | None = None,
    ) -> None:
        self.location = location
        self.path = path
        self.created = created
        self.db = Database(location, path, reader_url=reader_url, read_only_reason=read_only_reason)
        self.workflow = WorkflowRepository(self.db)
        self.comments = CommentRepository(self.db)
        self.assets = AssetRepository(self.db)
        self.dictionary = DictionaryRepository(self.db)
        self.journal = JournalRepository(self.db)
        self.findings = DismissalRepository(self.db)
        self.dashboard = DashboardQueries(self.db)
        self.export_reads = ExportReads(self.db)
        self.settings = SettingsRepository(self.db)

    @property
    def read_only_reason(self) -> str | None:
        """Why the store is open for reading only (its disk is full: see `Store.open`),
        as one line for a person; None when it can be written."""
        return self.db.read_only_reason

    @classmethod
    def open(
        cls, location: str | Path | None = None, *, read_only_on_full_disk: bool = True
    ) -> Store:
        """Open the store at a path or SQLAlchemy URL (default: the user's store).

        Creates a new store when the file does not exist; refuses anything that is
        not a usable store with a typed `StoreError`, writing nothing.

        A sound store on a full disk opens for reading only (`read_only_reason` says
        so, every write is refused with `StoreFullError`, and writing works again once
        space is freed); with `read_only_on_full_disk` False it is refused with
        `DiskFullError` instead, as it is when it cannot be read safely either.
        """
        if location is None:
            location = opening.default_store_location()  # a URL in NEWSROOM_STORE stays one
        text_location = str(location)
        path: Path | None = None
        if not opening.is_url(text_location):
            path = Path(text_location).expanduser().resolve()
            try:
                must_create = opening.check_sqlite_file(path)
            except integrity.DiskFullError as full:
                if not read_only_on_full_disk or full.reader_url is None:
                    raise
                return cls._open_on_full_disk(text_location, path, full)
            if must_create:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as error:
                    raise StoreError(f"Cannot create {path.parent}: {error.strerror}.") from None
        store = cls(text_location, path, created=False)
        try:
            with store.db.guard():
                store.created = opening.migrate(store.db.engine, path)
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def _open_on_full_disk(cls, location: str, path: Path, full: integrity.DiskFullError) -> Store:
        """The store read as it stands through `full.reader_url`, which writes nothing."""
        reason = (
            f"The disk holding {path} is full ({_free_text(full.free)} free): the "
            "store is open for reading only, and writes are refused until space is freed."
        )
        store = cls(location, path, False, reader_url=full.reader_url, read_only_reason=reason)
        try:
            with store.db.guard():
                current = opening.schema_is_current(store.db.engine, path)
            if not current:
                raise StoreFullError(
                    f"The disk holding {path} is full ({_free_text(full.free)} "
                    "free), and the store must be upgraded to this version before it can "
                    "be read, which needs room: free some space and open it again. "
                    "Nothing was changed."
                )
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        self.journal.close()  # this run's recovery file, when it holds nothing, goes now
        self.db.close()

    def __repr__(self) -> str:
        return f"Store({self.path or self.location!r})"

    # -- users ------------------------------------------------------------

    def add_user(self, name: str, role: Role) -> User:
        row = UserRow(id=str(uuid.uuid4()), name=name, role=role.value, created_at=utc_now())
        try:
            with self.db.write() as session:
                if session.scalar(select(UserRow.id).where(_same_name(name))) is not None:
                    raise ValidationError(f"A user named '{name}' already exists.")
                session.add(row)
        except IntegrityError:
            raise ValidationError(f"A user named '{name}' already exists.") from None
        return _user(row)

    def add_first_user(self, name: str, role: Role) -> User | None:
        """Add the store's first user, in one transaction with the check that there is none.

        Returns None when the store already has a user (someone else was first).
        """
        row = UserRow(id=str(uuid.uuid4()), name=name, role=role.value, created_at=utc_now())
        try:
            with self.db.write() as session:
                if session.scalar(select(UserRow.id).limit(1)) is not None:
                    return None
                session.add(row)
        except IntegrityError:
            return None
        return _user(row)

    def list_users(self) -> list[User]:
        with self.db.read() as session:
            return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]

    def get_user_by_name(self, name: str) -> User | None:
        with self.db.read() as session:
            row = session.scalar(select(UserRow).where(_same_name(name)))
            return _user(row) if row else None

    # -- listing ----------------------------------------------------------

    def _filters(self, query: ArticleQuery) -> list[ColumnElement[bool]]:
        filters: list[ColumnElement[bool]] = []
        if not query.include_deleted:
            filters.append(ArticleRow.deleted_at.is_(None))
        if query.status is not None:
            filters.append(ArticleRow.status == query.status.value)
        if query.desk:
            filters.extend(desk_filters(query.desk, query.desk_user_id))
        terms = search.parse(query.search)
        if terms:
            filters.append(self.db.search.matches(terms))
        return filters

    def count_articles(self, query: ArticleQuery = ArticleQuery()) -> int:
        with self.db.read() as session:
            statement = select(func.count()).select_from(ArticleRow)
            return session.scalar(statement.where(*self._filters(query))) or 0

    def list_articles(
        self, query: ArticleQuery = ArticleQuery(), offset: int = 0, limit: int = 200
    ) -> list[ArticleSummary]:
        """One page of the list; a search ranks headline matches first (`editor.store.search`)."""
        with self.db.read() as session:
            tiers = self._listing(query, session)
            if len(tiers) == 1:
                statement = tiers[0].offset(offset).limit(limit)
            else:
                # Each tier's first offset+limit rows in the list's order, then the page:
                # a common word reads a page's worth of each tier, not every hit.
                window = [
                    t.add_columns(literal(n).label("tier")).limit(offset + limit)
                    for n, t in enumerate(tiers)
                ]
                both = union_all(*(select(t.subquery()) for t in window)).subquery()
                key, order = both.c.sort_key, both.c.id
                keys = [key.desc(), order.desc()] if query.descending else [key, order]
                columns = [both.c[c.key] for c in SUMMARY_COLUMNS]
                statement = (
                    select(*columns).order_by(both.c.tier, *keys).offset(offset).limit(limit)
                )
            return [summary_from_row(r) for r in session.execute(statement)]

    def iter_articles(self, query: ArticleQuery = ArticleQuery()) -> Iterator[ArticleSummary]:
        """Every article `list_articles` would page through, in its order, read as it goes
        (one query per ranking tier), so a command printing every hit starts at once."""
        with self.db.read() as session:
            for statement in self._listing(query, session):
                for row in session.execute(statement.execution_options(yield_per=500)):
                    yield summary_from_row(row)

    def _listing(self, query: ArticleQuery, session: Session | None = None) -> list[Select]:
        """The list's select in its order, with the sort key as `sort_key`; for a search,
        two: the articles whose headline matches, then the other hits. With `session`, a
        search that has many hits is told so (to walk the list's order, not sort them)."""
        key = _SORT_COLUMNS.get(query.sort_key)
        if key is None:
            raise ValidationError(f"Cannot sort articles by '{query.sort_key}'.")
        order = [key.desc(), ArticleRow.id.desc()] if query.descending else [key, ArticleRow.id]
        base = select(*SUMMARY_COLUMNS, key.label("sort_key")).order_by(*order)
        terms = search.parse(query.search)
        if not terms:
            return [base.where(*self._filters(query))]
        # A headline match is a match: the first tier needs only the headline index.
        index = self.db.search
        plain = self._filters(replace(query, search=""))
        many = session is not None and index.has_many_hits(session, terms)
        many_in_headline = session is not None and index.has_many_hits(session, terms, True)
        in_headline = index.headline_matches(terms, many=many_in_headline)
        first = base.where(*plain, in_headline)
        if not many_in_headline:
            # Few headline hits: fetch them and sort them. The same order through an
            # expression no index has keeps PostgreSQL from walking the sort index past
            # every article in search of a rare word's headlines.
            unindexed = func.coalesce(key, key)
            ids = ArticleRow.id
            first = first.order_by(None).order_by(
                *([unindexed.desc(), ids.desc()] if query.descending else [unindexed, ids])
            )
        elsewhere = [index.matches(terms, many=many), not_(index.headline_matches(terms))]
        return [first, base.where(*plain, *elsewhere)]

    # -- one article ------------------------------------------------------

    def get_article(self, article_id: str, include_deleted: bool = False) -> Article:
        with self.db.read() as session:
            return read_article(session, article_id, include_deleted)

    def find_article(self, id_or_slug: str, *, include_deleted: bool = False) -> Article:
        """By id, by slug, or by a unique id prefix of at least six characters.

        A prefix that matches several articles raises `AmbiguousIdError` naming them, so
        the person can give more of the id. `include_deleted` also finds deleted
        articles (to restore them).
        """
        key = id_or_slug.strip()
        with self.db.read() as session:
            where = [] if include_deleted else [ArticleRow.deleted_at.is_(None)]
            found = session.scalar(select(ArticleRow.id).where(*where, ArticleRow.id == key))
            found = found or session.scalar(
                select(ArticleRow.id).where(*where, ArticleRow.slug == key)
            )
            if found is None and len(key) >= 6:
                matches = session.execute(
                    select(ArticleRow.id, ArticleRow.headline)
                    .where(*where, ArticleRow.id.startswith(key, autoescape=True))
                    .order_by(ArticleRow.id)
                    .limit(6)
                ).all()
                if len(matches) > 1:
                    raise _ambiguous(key, matches)
                found = matches[0].id if matches else None
        if found is None:
            raise NotFoundError(f"No article with id or slug '{key}'.")
        return self.get_article(found, include_deleted=include_deleted)

    def deleted_among(self, ids: Iterable[str]) -> set[str]:
        """Which of `ids` are deleted articles (to mark them in a list that includes them)."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        with self.db.read() as session:
            for start in range(0, len(wanted), _IN_CHUNK):
                chunk = wanted[start : start + _IN_CHUNK]
                found.update(
                    session.scalars(
                        select(ArticleRow.id).where(
                            ArticleRow.id.in_(chunk), ArticleRow.deleted_at.is_not(None)
                        )
                    )
                )
        return found

    def slug_owner(self, slug: str, exclude_id: str | None = None) -> str | None:
        """The headline of the article that already uses `slug`, deleted ones included."""
        with self.db.read() as session:
            statement = select(ArticleRow.headline).where(ArticleRow.slug == slug)
            if exclude_id:
                statement = statement.where(ArticleRow.id != exclude_id)
            headline = session.scalar(statement.limit(1))
            return None if headline is None else (headline or "Untitled")

    def unique_slug(self, base: str, exclude_id: str | None = None) -> str:
        if self.slug_owner(base, exclude_id) is None:
            return base
        with self.db.read() as session:
            taken = set(
                session.scalars(
                    select(ArticleRow.slug).where(ArticleRow.slug.startswith(f"{base}-"))
                )
            )
        number = 2
        while f"{base}-{number}" in taken:
            number += 1
        return f"{base}-{number}"

    def create_article(self, article: Article, author: User, reason: str = "create") -> Article:
        now = utc_now()
        revision_id = str(uuid.uuid4())
        try:
            with self.db.write() as session:
                row = ArticleRow(
                    id=article.id,
                    created_by=author.id,
                    created_at=now,
                    updated_at=now,
                    version=1,
                    head_revision_id=revision_id,
                    **article_row_fields(article),
                )
                if self.db.fts:
                    row.search_rowid = (
                        session.scalar(select(func.max(ArticleRow.search_rowid))) or 0
                    ) + 1
                session.add(row)
                session.flush()
                session.add(
                    new_revision_row(
                        article,
                        parent_id=None,
                        author=author,
                        reason=reason,
                        now=now,
                        revision_id=revision_id,
                    )
                )
                session.add(_event(article.id, author, "create", None, article.status.value))
                self.db.index(session, row, article.body)
        except IntegrityError as error:
            raise ValidationError(f"Cannot create the article: {error.orig}.") from None
        return self.get_article(article.id)

    def save_article(
        self,
        article: Article,
        *,
        expected_version: int,
        author: User,
        reason: str = "save",
        session_id: str | None = None,
        merged: MergedSides | None = None,
    ) -> Article:
        """Write the article's fields and body as one new revision, or refuse a stale write.

        Autosaves of one editing session (same `session_id`) update that session's
        latest autosave revision instead of adding one per pause. With `merged` (and the
        head still `merged.theirs_head_id`), the person's own version is written first as
        a revision on the one it was edited from, and the article as a "merge" revision
        with two parents: that one, and their head (second), as a sync's merge has.
        """
        now = utc_now()
        try:
            with self.db.write() as session:
                row = session.get(ArticleRow, article.id)
                if row is None or row.deleted_at is not None:
                    raise NotFoundError(
                        f"“{article.headline or 'Untitled'}” was deleted; save it as a copy."
                    )
                head = session.get(RevisionRow, row.head_revision_id)
                fields = article_row_fields(article)
                unchanged = (
                    head is not None
                    and head.body == article.body
                    and all(getattr(row, name) == value for name, value in fields.items())
                )
                if row.version != expected_version:
                    raise stale_write_error(session, row, expected_version)
                if unchanged:
                    return self.get_article(article.id)
                # Compare-and-swap on the version: another process may have written
                # between our read and this update.
                swapped = session.execute(
                    update(ArticleRow)
                    .where(ArticleRow.id == article.id, ArticleRow.version == expected_version)
                    .values(version=expected_version + 1, updated_at=now, **fields)
                    .execution_options(synchronize_session=False)
                )
                if swapped.rowcount != 1:
                    raise stale_write_error(session, row, expected_version)
                coalesce = (
                    reason == "autosave"
                    and session_id is not None
                    and head is not None
                    and head.reason == "autosave"
                    and head.session_id == session_id
                    and head.author_id == author.id
                )
                if merged is not None and merged.theirs_head_id == row.head_revision_id:
                    _append_merge(session, row, article, merged, author, now, session_id)
                elif coalesce:
                    self.db.search.forget(session, row)  # its text changes in place
                    head.body = article.body
                    head.meta = revision_meta(article)
                    head.created_at = now
                else:
                    append_revision(
                        session,
                        new_revision_row(
                            article,
                            parent_id=row.head_revision_id,
                            author=author,
                            reason=reason,
                            now=now,
                            session_id=session_id,
                        ),
                    )
                session.refresh(row)
                self.db.index(session, row, article.body)
        except IntegrityError as error:
            if "slug" in str(error.orig):
                raise ValidationError(
                    f"The slug '{article.slug}' is already used.", field="slug"
                ) from None
            raise ValidationError(f"Cannot save the article: {error.orig}.") from None
        return self.get_article(article.id)

    def set_deleted(
        self,
        article_id: str,
        *,
        deleted: bool,
        actor: User,
        expected_version: int | None = None,
    ) -> None:
        """Delete or restore; with `expected_version`, refused if the article changed since
        (the permission check was made on that version)."""
        with self.db.write() as session:
            row = session.get(ArticleRow, article_id)
            if row is None:
                raise NotFoundError(f"No article with id {article_id}.")
            if (row.deleted_at is not None) == deleted:
                return
            if expected_version is not None and row.version != expected_version:
                raise stale_write_error(session, row, expected_version)
            row.deleted_at = utc_now() if deleted else None
            row.version += 1
            action = "delete" if deleted else "restore"
            session.add(_event(article_id, actor, action, row.status, row.status))

    # -- history ----------------------------------------------------------

    def list_revisions(self, article_id: str) -> list[Revision]:
        with self.db.read() as session:
            rows = session.execute(
                select(RevisionRow, UserRow.name)
                .outerjoin(UserRow, UserRow.id == RevisionRow.author_id)
                .where(RevisionRow.article_id == article_id)
                .order_by(RevisionRow.created_at)
            )
            return [revision_from_row(r, name) for r, name in rows]

    def list_events(self, article_id: str) -> list[Event]:
        with self.db.read() as session:
            rows = session.execute(
                select(EventRow, UserRow.name)
                .outerjoin(UserRow, UserRow.id == EventRow.actor_id)
                .where(EventRow.article_id == article_id)
                .order_by(EventRow.created_at)
            )
            return [
                Event(
                    id=e.id,
                    article_id=e.article_id,
                    actor=name or "",
                    created_at=as_aware(e.created_at),
                    action=e.action,
                    from_status=e.from_status,
                    to_status=e.to_status,
                    note=e.note,
                    revision_id=e.revision_id,
                )
                for e, name in rows
            ]


def _append_merge(
    session: Session,
    row: ArticleRow,
    article: Article,
    merged: MergedSides,
    author: User,
    now: datetime,
    session_id: str | None,
) -> None:
    """The person's version, then the merge of it with their head, as the new head."""
    own_parent = merged.own.head_revision_id
    found = session.get(RevisionRow, own_parent) if own_parent else None
    if found is None or found.article_id != row.id:
        own_parent = row.head_revision_id  # edited from nothing this store has: theirs
    own = new_revision_row(
        merged.own, parent_id=own_parent, author=author, reason="save", now=now,
        session_id=session_id,
    )  # fmt: skip
    session.add(own)
    merge = new_revision_row(
        article, parent_id=own.id, author=author, reason="merge",
        now=now + timedelta(microseconds=1), session_id=session_id,
    )  # fmt: skip
    merge.second_parent_id = merged.theirs_head_id
    append_revision(session, merge)


#: Ids per `IN (...)` query: well under every database's limit on bound parameters.
_IN_CHUNK = 500


def _ambiguous(key: str, matches: list) -> AmbiguousIdError:
    shown = ", ".join(f"{m.id[:12]} “{m.headline or 'Untitled'}”" for m in matches[:5])
    more = ", ..." if len(matches) > 5 else ""
    return AmbiguousIdError(
        f"'{key}' is the start of several articles' ids ({shown}{more}): give more of the id.",
        [m.id for m in matches],
    )


def _free_text(count: float) -> str:
    """Free bytes as a person reads them ("180 KB")."""
    for unit in ("bytes", "KB", "MB"):
        if count < 1000:
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} GB"


def _same_name(name: str) -> ColumnElement[bool]:
    return func.lower(UserRow.name) == name.strip().lower()


def _user(row: UserRow) -> User:
    return User(id=row.id, name=row.name, role=Role(row.role))


def _event(
    article_id: str, actor: User, action: str, from_status: str | None, to_status: str | None
) -> EventRow:
    return EventRow(
        id=str(uuid.uuid4()),
        article_id=article_id,
        actor_id=actor.id,
        created_at=utc_now(),
        action=action,
        from_status=from_status,
        to_status=to_status,
        note="",
    )
