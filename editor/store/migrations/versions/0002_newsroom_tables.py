"""Newsroom tables: comments, assets, dictionary, recovery journal, dismissed findings.

Also the article columns for import notes, duplicate detection, featured image and
publication time, and the revision an event was recorded against.

Revision ID: 0002_newsroom_tables
Revises: 0001_baseline
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_newsroom_tables"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.String(36), primary_key=True)


def _article_id(nullable: bool = False) -> sa.Column:
    return sa.Column("article_id", sa.String(36), sa.ForeignKey("articles.id"), nullable=nullable)


def _user_id(name: str) -> sa.Column:
    return sa.Column(name, sa.String(36), sa.ForeignKey("users.id"), nullable=True)


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("import_notes", sa.JSON, nullable=True))
        batch.add_column(sa.Column("source_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("featured_asset_id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("published_at", sa.DateTime, nullable=True))
    op.create_index("ix_articles_source_hash", "articles", ["source_hash"])
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("revision_id", sa.String(36), nullable=True))
    op.create_table(
        "comments",
        _id(),
        _article_id(),
        sa.Column("parent_id", sa.String(36), sa.ForeignKey("comments.id"), nullable=True),
        _user_id("author_id"),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("quote", sa.Text, nullable=False, server_default=""),
        sa.Column("prefix", sa.Text, nullable=False, server_default=""),
        sa.Column("suffix", sa.Text, nullable=False, server_default=""),
        sa.Column("position", sa.Integer, nullable=True),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("resolved_at", sa.DateTime, nullable=True),
        _user_id("resolved_by"),
    )
    op.create_index("ix_comments_article", "comments", ["article_id", "created_at"])
    op.create_table(
        "assets",
        _id(),
        _article_id(nullable=True),
        sa.Column("filename", sa.Text, nullable=False, server_default=""),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("width", sa.Integer, nullable=True),
        sa.Column("height", sa.Integer, nullable=True),
        sa.Column("alt", sa.Text, nullable=False, server_default=""),
        sa.Column("caption", sa.Text, nullable=False, server_default=""),
        sa.Column("credit", sa.Text, nullable=False, server_default=""),
        _user_id("created_by"),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_assets_article", "assets", ["article_id"])
    op.create_index("ix_assets_sha256", "assets", ["sha256"])
    op.create_table(
        "dictionary_words",
        _id(),
        sa.Column("word", sa.String(200), nullable=False),
        _user_id("added_by"),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_dictionary_words_word", "dictionary_words", ["word"], unique=True)
    op.create_table(
        "recovery_journal",
        _id(),
        _article_id(),
        sa.Column("session_id", sa.String(36), nullable=False),
        _user_id("user_id"),
        sa.Column("base_version", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("metadata", sa.JSON, nullable=False),
        sa.Column("written_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "ix_recovery_journal_session", "recovery_journal", ["article_id", "session_id"], unique=True
    )
    op.create_table(
        "dismissed_findings",
        _id(),
        _article_id(),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("fingerprint", sa.Text, nullable=False),
        _user_id("user_id"),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "ix_dismissed_findings_article",
        "dismissed_findings",
        ["article_id", "rule", "fingerprint"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_table("dismissed_findings")
    op.drop_table("recovery_journal")
    op.drop_table("dictionary_words")
    op.drop_table("assets")
    op.drop_table("comments")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("revision_id")
    op.drop_index("ix_articles_source_hash", "articles")
    with op.batch_alter_table("articles") as batch:
        for name in ("published_at", "featured_asset_id", "source_hash", "import_notes"):
            batch.drop_column(name)
