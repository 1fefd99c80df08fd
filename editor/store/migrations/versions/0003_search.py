"""Search: a SQLite index that keeps no copy of the text; a tsvector on PostgreSQL.

SQLite: the FTS5 table `articles_fts` kept its own copy of every body (half of a large
store). It becomes a contentless FTS5 table (the index only) over each article's head
revision, with `articles_fts_entries` naming the revision each entry was made from,
and is rebuilt from the revisions; `articles_fts_headline` indexes the headlines alone
(the ranking rule puts headline matches first). The space the old copy held is free pages inside the
file until the store is compacted (`VACUUM`); a backup copy is already compact.

PostgreSQL: `articles.search_vector`, a weighted tsvector (headline A, standfirst B,
body C, byline and tags D) and `articles.search_headline` (the headline alone, for the
ranking rule), each with a GIN index, filled for the existing articles here. They are
not in the ORM model (they exist on PostgreSQL only); `editor.store.search` writes and
reads them.

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
        for statement in search.FTS5_CREATE:
            op.execute(statement)
        search.fts5_rebuild(bind)
    elif bind.dialect.name == "postgresql":
        for name in ("search_vector", "search_headline"):
            op.execute(f"ALTER TABLE articles ADD COLUMN {name} tsvector NOT NULL DEFAULT ''")
        _fill_vectors(bind)
        for name in ("search_vector", "search_headline"):
            op.execute(f"CREATE INDEX ix_articles_{name} ON articles USING gin ({name})")


def _fill_vectors(bind) -> None:
    """Every existing article's vector, a thousand at a time (folded in Python, as a save
    folds them)."""
    select = sa.text(
        "SELECT a.id, a.headline, a.standfirst, a.byline, a.tags, coalesce(r.body, '') "
        "FROM articles AS a LEFT JOIN revisions AS r ON r.id = a.head_revision_id "
        "WHERE a.id > :after ORDER BY a.id LIMIT :batch"
    )
    update = sa.text(search.PG_UPDATE)
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
        for table in ("articles_fts_entries", "articles_fts_headline", "articles_fts"):
            op.execute(f"DROP TABLE {table}")
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
        for name in ("search_vector", "search_headline"):
            op.execute(f"DROP INDEX ix_articles_{name}")
            op.execute(f"ALTER TABLE articles DROP COLUMN {name}")
