"""Change marks for sync: a sync with little to do reads only what changed (issue 16).

0007's watermarks still read every article row and counted every revision, event and
comment on both sides before they could say "unchanged". Now each store keeps, per
article, a mark of its last change, `sync_changes(article_id, mark)` with an index on
`mark`, written by triggers on every table a sync carries (articles, revisions, events,
comments, assets; the dictionary and the pictures of no article under `~words` and
`~assets`), whoever writes and however (the app, the sync receiver, `psql`).

- SQLite: the mark is a counter, the largest mark plus one, taken inside the writing
  transaction. SQLite has one writer at a time, so marks are in commit order, and a
  sync, which holds both write locks, takes its watermark (largest mark plus one) after
  its own writes.
- PostgreSQL: the mark is the writing transaction's id (`pg_current_xact_id()`), and a
  sync's watermark is the oldest transaction still running when its snapshot was taken
  (`pg_snapshot_xmin`): every mark below it belongs to a transaction that had ended
  before the snapshot, so what it wrote was seen by that sync (or an earlier one); a
  later transaction, or one still running then, has a mark at or above it and is seen
  by the next sync. The trigger function is SECURITY DEFINER (people's logins have no
  grant on the table but SELECT, and row-level security would hide other people's
  articles from an update made in their name).

The next sync with a peer reads the marks at or above the peer's watermarks (and the
articles the last one refused), compares the digests of 0007 for those articles only,
and loads nothing else (`editor.store.sync`, `_Watermarks`). A store without marks yet
(just upgraded) syncs in full once, as before. (A later migration that rebuilds one of
these tables on SQLite, in Alembic's batch mode, must make its trigger again.)

Revision ID: 0010_sync_changes
Revises: 0009_merge_words
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_sync_changes"
down_revision = "0009_merge_words"
branch_labels = None
depends_on = None

GROUPS = ("newsroom_reporter", "newsroom_editor", "newsroom_admin")

#: Per table: the events that change what a sync carries, and the article they mark
#: (SQLite's trigger bodies name NEW or OLD).
_TABLES = {
    "articles": (("INSERT", "NEW.id"), ("UPDATE", "NEW.id")),
    "revisions": (("INSERT", "NEW.article_id"), ("UPDATE", "NEW.article_id")),
    "events": (("INSERT", "NEW.article_id"),),
    "comments": (
        ("INSERT", "NEW.article_id"),
        ("UPDATE", "NEW.article_id"),
        ("DELETE", "OLD.article_id"),
    ),
    "assets": (
        ("INSERT", "coalesce(NEW.article_id, '~assets')"),
        ("UPDATE", "coalesce(NEW.article_id, '~assets')"),
        ("DELETE", "coalesce(OLD.article_id, '~assets')"),
    ),
    "dictionary_words": (("INSERT", "'~words'"), ("UPDATE", "'~words'"), ("DELETE", "'~words'")),
}


def _sqlite_triggers() -> list[tuple[str, str]]:
    made = []
    for table, events in _TABLES.items():
        for when, article in events:
            name = f"sync_mark_{table}_{when.lower()}"
            made.append(
                (
                    name,
                    f"""CREATE TRIGGER {name} AFTER {when} ON {table}
                    WHEN {article} IS NOT NULL BEGIN
                        INSERT INTO sync_changes (article_id, mark)
                        VALUES ({article}, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes))
                        ON CONFLICT (article_id) DO UPDATE SET mark = excluded.mark;
                    END""",
                )
            )
    return made


def _postgres(s: str) -> list[str]:
    path = f"SET search_path = pg_catalog, {s}, pg_temp"
    statements = [
        f"""CREATE FUNCTION {s}.newsroom_sync_mark() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
            DECLARE
                aid varchar;
            BEGIN
                IF TG_TABLE_NAME = 'dictionary_words' THEN
                    aid := '~words';
                ELSIF TG_TABLE_NAME = 'articles' THEN
                    aid := NEW.id;
                ELSIF TG_OP = 'DELETE' THEN
                    aid := OLD.article_id;
                ELSE
                    aid := NEW.article_id;
                END IF;
                IF TG_TABLE_NAME = 'assets' THEN
                    aid := coalesce(aid, '~assets');
                END IF;
                IF aid IS NOT NULL THEN
                    INSERT INTO sync_changes (article_id, mark)
                    VALUES (aid, pg_current_xact_id()::text::bigint)
                    ON CONFLICT (article_id) DO UPDATE SET mark = EXCLUDED.mark
                    WHERE sync_changes.mark <> EXCLUDED.mark;
                END IF;
                RETURN NULL;
            END $$""",
        f"REVOKE ALL ON FUNCTION {s}.newsroom_sync_mark() FROM PUBLIC",
        f"GRANT SELECT ON {s}.sync_changes TO {', '.join(GROUPS)}",
    ]
    for table, events in _TABLES.items():
        on = " OR ".join(when for when, _article in events)
        statements.append(
            f"""CREATE TRIGGER newsroom_sync_mark AFTER {on} ON {s}.{table}
                FOR EACH ROW EXECUTE FUNCTION {s}.newsroom_sync_mark()"""
        )
    return statements


def _schema(bind) -> str:
    name = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    return '"' + name.replace('"', '""') + '"'


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "sync_changes",
        sa.Column("article_id", sa.String(36), primary_key=True),
        sa.Column("mark", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_sync_changes_mark", "sync_changes", ["mark"])
    if bind.dialect.name == "postgresql":
        for statement in _postgres(_schema(bind)):
            bind.exec_driver_sql(statement)
    else:
        for _name, statement in _sqlite_triggers():
            bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        s = _schema(bind)
        for table in _TABLES:
            bind.exec_driver_sql(f"DROP TRIGGER newsroom_sync_mark ON {s}.{table}")
        bind.exec_driver_sql(f"DROP FUNCTION {s}.newsroom_sync_mark()")
    else:
        for name, _statement in _sqlite_triggers():
            bind.exec_driver_sql(f"DROP TRIGGER {name}")
    op.drop_index("ix_sync_changes_mark", "sync_changes")
    op.drop_table("sync_changes")
