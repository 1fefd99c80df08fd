"""SQLAlchemy 2 ORM models: the store's tables. Keys are UUID text so rows can travel."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
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
    search_rowid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    head_revision_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (
        *(
            Index(name, *columns, "id", sqlite_where=_LIVE, postgresql_where=_LIVE)
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
    )


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

    __table_args__ = (Index("ix_events_article", "article_id", "created_at"),)
