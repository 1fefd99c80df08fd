"""Search: a SQLite index that keeps no copy of the text; a tsvector on PostgreSQL.

SQLite: the FTS5 table `articles_fts` kept its own copy of every body (half of a large
store). It becomes a contentless FTS5 table (the index only) over each article's head
revision, with `articles_fts_entries` naming the revision each entry was made from,
and is rebuilt from the revisions. The space the old copy held is free pages inside the
file until the store is compacted (`VACUUM`); a backup copy is already compact.

PostgreSQL: `articles.search_vector`, a weighted tsvector (headline A, standfirst B,
body C, byline and tags D) with a GIN index, filled for the existing articles here. It
is not in the ORM model (the column exists on PostgreSQL only); `editor.store.search`
writes and reads it.

Revision ID: 0003_search
Revises: 0002_newsroom_tables
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from editor.store import search

revision = "0003_search"
down_revision = "0002_newsroom_tables"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE articles_fts")
        op.execute(search.FTS5_CREATE)
        op.execute(search.FTS5_ENTRIES_CREATE)
        search.fts5_rebuild(bind)
    elif bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE articles ADD COLUMN search_vector tsvector")
        _fill_vectors(bind)
        op.execute("CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)")


def _fill_vectors(bind) -> None:
    """Every existing article's vector, a thousand at a time (folded in Python, as a save
    folds them)."""
    select = sa.text(
        "SELECT a.id, a.headline, a.standfirst, a.byline, a.tags, coalesce(r.body, '') "
        "FROM articles AS a LEFT JOIN revisions AS r ON r.id = a.head_revision_id "
        "WHERE a.id > :after ORDER BY a.id LIMIT :batch"
    )
    update = sa.text(f"UPDATE articles SET search_vector = {search.PG_VECTOR} WHERE id = :id")
    after = ""
    while rows := bind.execute(select, {"after": after, "batch": _BATCH}).all():
        bind.execute(
            update,
            [
                {"id": row[0], **search.pg_vector_texts(row[1], row[2], row[3], row[4], row[5])}
                for row in rows
            ],
        )
        after = rows[-1][0]


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE articles_fts_entries")
        op.execute("DROP TABLE articles_fts")
        op.execute(
            "CREATE VIRTUAL TABLE articles_fts USING fts5("
            "headline, standfirst, byline, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        op.execute(
            "INSERT INTO articles_fts (rowid, headline, standfirst, byline, body) "
            "SELECT a.search_rowid, a.headline, a.standfirst, a.byline, coalesce(r.body, '') "
            "FROM articles AS a LEFT JOIN revisions AS r ON r.id = a.head_revision_id "
            "WHERE a.search_rowid IS NOT NULL"
        )
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX ix_articles_search_vector")
        op.execute("ALTER TABLE articles DROP COLUMN search_vector")
