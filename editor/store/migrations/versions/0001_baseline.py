"""Baseline: users, articles, revisions, events, and FTS5 search on SQLite.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

_SORT_INDEXES = {
    "ix_articles_sort_updated_at": "updated_at",
    "ix_articles_sort_status": "status",
    "ix_articles_sort_headline": "lower(headline)",
    "ix_articles_sort_section": "lower(section)",
    "ix_articles_sort_byline": "lower(byline)",
    "ix_articles_sort_word_count": "word_count",
}


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("headline", sa.Text, nullable=False, server_default=""),
        sa.Column("standfirst", sa.Text, nullable=False, server_default=""),
        sa.Column("slug", sa.String(120), nullable=False),
        sa.Column("slug_locked", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("byline", sa.Text, nullable=False, server_default=""),
        sa.Column("section", sa.String(100), nullable=False, server_default=""),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("dateline", sa.Text, nullable=False, server_default=""),
        sa.Column("story_date", sa.Date, nullable=True),
        sa.Column("status", sa.String(32), nullable=False, server_default="draft"),
        sa.Column("priority", sa.Integer, nullable=False, server_default="0"),
        sa.Column("embargo_until", sa.DateTime, nullable=True),
        sa.Column("legal_hold", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("not_for_publication", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("word_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("length_target", sa.Integer, nullable=True),
        sa.Column("source_name", sa.Text, nullable=False, server_default=""),
        sa.Column("search_rowid", sa.Integer, nullable=True),
        sa.Column("head_revision_id", sa.String(36), nullable=True),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_by", sa.String(36), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
    )
    # One index per sortable column of the article list, with the id tie-break, over the
    # live (not deleted) articles the list shows: a first page in any order reads 200
    # index entries, not 100,000 rows. (A plain index on deleted_at made SQLite pick it
    # and sort every row: 240 ms instead of 0.5 ms for the first page.)
    live = sa.text("deleted_at IS NULL")
    for name, expression in _SORT_INDEXES.items():
        op.create_index(
            name,
            "articles",
            [sa.text(expression), "id"],
            sqlite_where=live,
            postgresql_where=live,
        )
    op.create_index("ix_articles_slug", "articles", ["slug"], unique=True)
    op.create_index("ix_articles_search_rowid", "articles", ["search_rowid"], unique=True)
    op.create_table(
        "revisions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("article_id", sa.String(36), sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("parent_id", sa.String(36), sa.ForeignKey("revisions.id"), nullable=True),
        sa.Column("second_parent_id", sa.String(36), sa.ForeignKey("revisions.id"), nullable=True),
        sa.Column("author_id", sa.String(36), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("session_id", sa.String(36), nullable=True),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("metadata", sa.JSON, nullable=False),
    )
    op.create_index("ix_revisions_article", "revisions", ["article_id", "created_at"])
    op.create_table(
        "events",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("article_id", sa.String(36), sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("actor_id", sa.String(36), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(32), nullable=True),
        sa.Column("to_status", sa.String(32), nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_events_article", "events", ["article_id", "created_at"])
    if op.get_bind().dialect.name == "sqlite":
        # Full-text index of headline, standfirst, byline and body, keyed by
        # articles.search_rowid (an explicit integer: VACUUM may renumber implicit
        # rowids). The store keeps it in step on every write: the body lives in
        # revisions, so no trigger can.
        op.execute(
            "CREATE VIRTUAL TABLE articles_fts USING fts5("
            "headline, standfirst, byline, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE articles_fts")
    op.drop_table("events")
    op.drop_table("revisions")
    op.drop_table("articles")
    op.drop_table("users")
