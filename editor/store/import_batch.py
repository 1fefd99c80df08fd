"""Writing a batch of imported articles: one transaction for many files, each file whole.

A batch of parsed files is written in one transaction (one commit instead of one per
file, which is what makes a thousand-file import quick on SQLite). When the database
refuses anything in it, the batch is rolled back and each file is written again in a
transaction of its own, so one bad file costs only itself: every file is either fully
imported (article, revision, event, assets) or not at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

from sqlalchemy import func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from editor.core.errors import NewsroomError, NotFoundError, StoreError, ValidationError
from editor.core.model import Article, User
from editor.store.models import ArticleRow, AssetRow, EventRow, RevisionRow
from editor.store.rows import (
    article_from_row,
    article_row_fields,
    as_aware,
    new_revision_row,
    revision_fields,
    utc_now,
)
from editor.store.store import Store


@dataclass
class NewAsset:
    """An image to store with the article it belongs to."""

    id: str
    data: bytes
    filename: str
    media_type: str
    sha256: str
    width: int | None = None
    height: int | None = None
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass
class PendingImport:
    """One parsed file ready to write: a new article, or an update of `update_id`."""

    article: Article
    source_name: str
    assets: list[NewAsset] = field(default_factory=list)
    update_id: str | None = None


def find_by_source_hash(store: Store, hashes: list[str]) -> dict[str, tuple[str, str]]:
    """hash -> (article id, headline) of the newest live article imported from those bytes."""
    found: dict[str, tuple[str, str]] = {}
    if not hashes:
        return found
    with store.db.read() as session:
        for start in range(0, len(hashes), 500):
            rows = session.execute(
                select(ArticleRow.source_hash, ArticleRow.id, ArticleRow.headline)
                .where(
                    ArticleRow.source_hash.in_(hashes[start : start + 500]),
                    ArticleRow.deleted_at.is_(None),
                )
                .order_by(ArticleRow.created_at)
            )
            for source_hash, article_id, headline in rows:
                found[source_hash] = (article_id, headline)
    return found


def write_imports(
    store: Store, items: list[PendingImport], author: User
) -> list[Article | NewsroomError]:
    """Write every item; each result is the stored article or the error for that file."""
    if not items:
        return []
    try:
        with store.db.write() as session:
            return _Writer(store, session, author).write_all(items)
    except (IntegrityError, DBAPIError, NewsroomError):
        if len(items) == 1:
            return [_write_one(store, items[0], author)]
    return [_write_one(store, item, author) for item in items]


def _write_one(store: Store, item: PendingImport, author: User) -> Article | NewsroomError:
    try:
        with store.db.write() as session:
            return _Writer(store, session, author).write_all([item])[0]
    except NewsroomError as error:
        return error
    except IntegrityError as error:
        return ValidationError(f"The store refused {item.source_name}: {error.orig}.")
    except DBAPIError as error:
        return StoreError(f"The store refused {item.source_name}: {error.orig}.")


class _Writer:
    """Writes pending imports in one session; remembers the slugs it gave out.

    New articles are written together: their slugs looked up in one query, their rows
    in one bulk insert a table (executemany, no ORM objects: building and flushing those
    cost a fifth of an import's CPU), their full-text entries in one statement per
    index. An article with images, and an update of an earlier import, go through the
    ORM's session as before (the images refer to the article's row).
    """

    def __init__(self, store: Store, session: Session, author: User) -> None:
        self.store = store
        self.session = session
        self.author = author
        self.slugs: set[str] = set()
        self.next_rowid: int | None = None
        #: Of the slugs this batch asks for, those the store has (deleted articles too).
        self.existing: set[str] = set()
        #: The new articles' rows, by table, inserted together at the end.
        self.bulk: dict[type, list[dict]] = {ArticleRow: [], RevisionRow: [], EventRow: []}

    def write_all(self, items: list[PendingImport]) -> list[Article]:
        self._look_up_slugs([item.article.slug or "untitled" for item in items])
        written: list[Article | tuple[ArticleRow, str]] = []
        to_index: list[tuple[object, str]] = []
        for item in items:
            if item.update_id:
                written.append(self._update(item))  # indexed there
            else:
                stored, entry = self._create(item)
                written.append(stored)
                to_index.append(entry)
        self.session.flush()
        for table, rows in self.bulk.items():  # articles first: the others refer to them
            if rows:
                self.session.execute(insert(table), rows)
        self.store.db.search.index_new(self.session, to_index)
        return [w if isinstance(w, Article) else article_from_row(*w) for w in written]

    def _look_up_slugs(self, wanted: list[str]) -> None:
        unique = list(dict.fromkeys(wanted))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            self.existing.update(
                self.session.scalars(select(ArticleRow.slug).where(ArticleRow.slug.in_(chunk)))
            )

    def _create(
        self, item: PendingImport
    ) -> tuple[Article | tuple[ArticleRow, str], tuple[object, str]]:
        """The new article's rows: (what `write_all` returns for it, its full-text entry).
        One with images is an ORM row (the images refer to it), the others bulk rows."""
        article = item.article
        now = utc_now()
        wanted = article.slug
        article.slug = self._unique_slug(wanted)
        article.slug_locked = article.slug_locked and article.slug == wanted
        revision_id = str(uuid.uuid4())
        fields = {
            "id": article.id,
            "created_by": self.author.id,
            "created_at": now,
            "updated_at": now,
            "version": 1,
            "head_revision_id": revision_id,
            "search_rowid": self._rowid() if self.store.db.fts else None,
            **article_row_fields(article),
        }
        revision = revision_fields(
            article,
            parent_id=None,
            author=self.author,
            reason="import",
            now=now,
            revision_id=revision_id,
        )
        event = self._event(article.id, "create", article.status.value, item)
        if item.assets:
            row = ArticleRow(**fields)
            self.session.add(row)
            self.session.flush()  # the article row before the assets that refer to it
            self._add_assets(item, article.id, now)
            self.session.add(RevisionRow(**revision))
            self.session.add(EventRow(**event))
            pair = (row, article.body)
            return pair, pair
        self.bulk[ArticleRow].append(fields)
        self.bulk[RevisionRow].append(revision)
        self.bulk[EventRow].append(event)
        article.version, article.head_revision_id = 1, revision_id
        article.created_at = article.updated_at = as_aware(now)
        article.created_by = self.author.id
        # The index reads a row's columns as attributes (`SearchIndex.index_new`).
        return article, (SimpleNamespace(**fields), article.body)

    def _update(self, item: PendingImport) -> tuple[ArticleRow, str]:
        """The earlier import gets the file's new text as a new revision; its slug stays."""
        row = self.session.get(ArticleRow, item.update_id)
        if row is None or row.deleted_at is not None:
            raise NotFoundError(
                f"The earlier import of {item.source_name} was deleted; import a new copy."
            )
        now = utc_now()
        article = item.article
        article.id = row.id
        article.slug, article.slug_locked = row.slug, row.slug_locked
        article.status = type(article.status)(row.status)
        fields = article_row_fields(article)
        for name in ("priority", "embargo_until", "legal_hold", "not_for_publication"):
            fields.pop(name)
        for name in ("length_target", "featured_asset_id", "published_at", "status"):
            fields.pop(name)
        for name, value in fields.items():
            setattr(row, name, value)
        row.version += 1
        row.updated_at = now
        self._add_assets(item, row.id, now)
        revision = new_revision_row(
            article, parent_id=row.head_revision_id, author=self.author, reason="import", now=now
        )
        self.session.add(revision)
        self.session.flush()
        row.head_revision_id = revision.id
        event = self._event(row.id, "import", row.status, item, from_status=row.status)
        self.session.add(EventRow(**event))
        self.session.flush()
        self.store.db.index(self.session, row, article.body)
        return row, article.body

    def _add_assets(self, item: PendingImport, article_id: str, now) -> None:
        for asset in item.assets:
            self.session.add(
                AssetRow(
                    id=asset.id,
                    article_id=article_id,
                    filename=asset.filename[:255],
                    media_type=asset.media_type[:100],
                    sha256=asset.sha256,
                    data=asset.data,
                    width=asset.width,
                    height=asset.height,
                    alt=asset.alt,
                    caption=asset.caption,
                    credit=asset.credit,
                    created_by=self.author.id,
                    created_at=now,
                )
            )

    def _event(
        self,
        article_id: str,
        action: str,
        to_status: str,
        item: PendingImport,
        from_status: str | None = None,
    ) -> dict[str, object]:
        verb = "Updated from" if action == "import" else "Imported from"
        return {
            "id": str(uuid.uuid4()),
            "article_id": article_id,
            "actor_id": self.author.id,
            "created_at": utc_now(),
            "action": action,
            "from_status": from_status,
            "to_status": to_status,
            "note": f"{verb} {item.source_name}",
        }

    def _rowid(self) -> int:
        if self.next_rowid is None:
            self.next_rowid = (
                self.session.scalar(select(func.max(ArticleRow.search_rowid))) or 0
            ) + 1
        rowid = self.next_rowid
        self.next_rowid += 1
        return rowid

    def _unique_slug(self, base: str) -> str:
        """`base`, or `base-2`, `base-3`...: free in the store and in this batch.

        The common case (a new headline) costs nothing here (the batch's slugs were looked
        up together); only a slug already taken reads its numbered variants.
        """
        base = base or "untitled"
        if base not in self.slugs and base not in self.existing:
            self.slugs.add(base)
            return base
        taken = self._taken(base)
        if base not in taken:
            self.slugs.add(base)
            return base
        number = 2
        while f"{base}-{number}" in taken:
            number += 1
        slug = f"{base}-{number}"
        self.slugs.add(slug)
        return slug

    def _taken(self, base: str) -> set[str]:
        rows = self.session.scalars(
            select(ArticleRow.slug).where(
                (ArticleRow.slug == base) | ArticleRow.slug.startswith(f"{base}-")
            )
        )
        return set(rows) | {s for s in self.slugs if s == base or s.startswith(f"{base}-")}
