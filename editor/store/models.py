"""SQLAlchemy 2 ORM models: the store's tables. Keys are UUID text so rows can travel."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    event,
    func,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: The sort indexes cover live articles only: the list never shows deleted ones.
_LIVE = text("deleted_at IS NULL")


class Base(DeclarativeBase):
    pass


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ArticleRow(Base):
    """Current state of an article, for listing; the body lives in the head revision."""

    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    headline: Mapped[str] = mapped_column(Text, default="")
    standfirst: Mapped[str] = mapped_column(Text, default="")
    slug: Mapped[str] = mapped_column(String(120))
    slug_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    byline: Mapped[str] = mapped_column(Text, default="")
    section: Mapped[str] = mapped_column(String(100), default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    dateline: Mapped[str] = mapped_column(Text, default="")
    story_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(32), default="draft")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    embargo_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    not_for_publication: Mapped[bool] = mapped_column(Boolean, default=False)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    length_target: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source_name: Mapped[str] = mapped_column(Text, default="")
    #: What the importer moved out of the body: [{"kind", "text", "position"}].
    import_notes: Mapped[list | None] = mapped_column(JSON, nullable=True)
    #: SHA-256 of the imported file, to notice the same file imported twice.
    source_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    featured_asset_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    search_rowid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    head_revision_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (
        *(
            Index(name, *columns, "id", sqlite_where=_LIVE)  # and on PostgreSQL, see below
            for name, *columns in (
                ("ix_articles_sort_updated_at", "updated_at"),
                ("ix_articles_sort_status", "status"),
                ("ix_articles_sort_headline", func.lower(text("headline"))),
                ("ix_articles_sort_section", func.lower(text("section"))),
                ("ix_articles_sort_byline", func.lower(text("byline"))),
                ("ix_articles_sort_word_count", "word_count"),
            )
        ),
        Index("ix_articles_slug", "slug", unique=True),
        Index("ix_articles_search_rowid", "search_rowid", unique=True),
        Index("ix_articles_source_hash", "source_hash"),
    )


def _partial_on_postgres(connection: Connection) -> None:
    """The sort indexes are partial on PostgreSQL too (`postgresql_where`, as migration 0001
    made them), said once a PostgreSQL connection opens rather than at import: naming a
    dialect's option loads that dialect, and a SQLite start has no use for SQLAlchemy's
    PostgreSQL one (~35 ms and ~3 MB before the window's first paint)."""
    if connection.dialect.name != "postgresql":
        return
    for index in ArticleRow.__table__.indexes:
        options = index.dialect_options["postgresql"]
        if (index.name or "").startswith("ix_articles_sort_") and options["where"] is None:
            options["where"] = _LIVE


event.listen(Engine, "engine_connect", _partial_on_postgres)


class RevisionRow(Base):
    """A snapshot of body and metadata; history is a DAG through parent ids."""

    __tablename__ = "revisions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("revisions.id"), nullable=True)
    second_parent_id: Mapped[str | None] = mapped_column(ForeignKey("revisions.id"), nullable=True)
    author_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(32))
    session_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    body: Mapped[str] = mapped_column(Text, default="")
    meta: Mapped[dict] = mapped_column("metadata", JSON, default=dict)

    __table_args__ = (Index("ix_revisions_article", "article_id", "created_at"),)


class EventRow(Base):
    """Append-only audit log of what happened to an article."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"))
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(32), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    #: The head revision when the event happened (what a reviewer saw).
    revision_id: Mapped[str | None] = mapped_column(String(36), nullable=True)

    __table_args__ = (Index("ix_events_article", "article_id", "created_at"),)


class CommentRow(Base):
    """A review note anchored to a quoted passage (quote plus context), or a reply."""

    __tablename__ = "comments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("comments.id"), nullable=True)
    author_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    quote: Mapped[str] = mapped_column(Text, default="")
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    #: Character offset of the quote in the body text when it was made (a hint).
    position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    body: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    __table_args__ = (Index("ix_comments_article", "article_id", "created_at"),)


class AssetRow(Base):
    """An image kept in the store, with the words that go with it on the page."""

    __tablename__ = "assets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    article_id: Mapped[str | None] = mapped_column(ForeignKey("articles.id"), nullable=True)
    filename: Mapped[str] = mapped_column(Text, default="")
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    alt: Mapped[str] = mapped_column(Text, default="")
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_assets_article", "article_id"),
        Index("ix_assets_sha256", "sha256"),
    )


class DictionaryWordRow(Base):
    """The newsroom dictionary: names and terms the spell checker accepts."""

    __tablename__ = "dictionary_words"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    word: Mapped[str] = mapped_column(String(200))
    added_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_dictionary_words_word", "word", unique=True),)


class RecoveryJournalRow(Base):
    """Unsaved text of one editing session, written soon after each keystroke pause."""

    __tablename__ = "recovery_journal"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"))
    session_id: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    base_version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text, default="")
    meta: Mapped[dict] = mapped_column("metadata", JSON, default=dict)
    written_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_recovery_journal_session", "article_id", "session_id", unique=True),
    )


class DismissedFindingRow(Base):
    """A copy-desk finding someone dismissed for one article (rule plus fingerprint)."""

    __tablename__ = "dismissed_findings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"))
    rule: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_dismissed_findings_article", "article_id", "rule", "fingerprint", unique=True),
    )


class SyncPeerRow(Base):
    """A sync watermark (migration 0007): the digests of one article on this store and on
    the peer store when the last sync between them left it equal (`editor.store.sync`)."""

    __tablename__ = "sync_peers"

    peer: Mapped[str] = mapped_column(String(64), primary_key=True)
    article_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(Text)


class SyncChangeRow(Base):
    """When an article last changed (migration 0010), kept by the database's triggers:
    on SQLite a counter, on PostgreSQL the writing transaction's id. A sync reads only the
    marks past its peer's watermark (`editor.store.sync`). `~words` and `~assets` stand
    for the dictionary and the pictures of no article."""

    __tablename__ = "sync_changes"

    article_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    mark: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_sync_changes_mark", "mark"),)
