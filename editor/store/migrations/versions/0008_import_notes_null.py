"""An article without import notes holds JSON null, and the rights guard reads SQL NULL so.

`articles.import_notes` came in 0002 as a nullable JSON column, so the rows of a store
made at 0001 hold SQL NULL there, while the app writes "no notes" as JSON `null`
(SQLAlchemy's JSON type, `rows.article_row_fields`). On PostgreSQL the 0004 article guard
compares an article's content columns before and after with `IS DISTINCT FROM`, and SQL
NULL is distinct from JSON `null`: every transition of such an old article by a person's
own login (submit, approve...) counted as a change of its text and was refused.

Two things, so that it cannot come back by any path:

- the old rows are backfilled to what the app writes: JSON `null` (both engines; the
  server's keys run migrations, which no guard holds);
- on PostgreSQL the guard (0004) and the commit-time `newsroom_step_logged` trigger
  (0007's WHEN) compare `coalesce(import_notes::jsonb, 'null')`: SQL NULL and JSON null
  mean the same to the app ("no notes"), so a row a SQL client or an older version writes
  with SQL NULL is no change either. The functions are 0004's and 0007's own SQL with that
  one column coalesced.

Downgrade puts the 0004 guard and 0007 trigger back; the backfilled JSON nulls stay (the
app reads them as it read SQL NULL).

Revision ID: 0008_import_notes_null
Revises: 0007_sync_receiver
Create Date: 2026-12-02
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0008_import_notes_null"
down_revision = "0007_sync_receiver"
branch_labels = None
depends_on = None

_COLUMN = "import_notes::jsonb"


def _module(name: str):
    """An earlier migration's module, loaded afresh (its SQL is reused, not copied)."""
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"newsroom_{path.stem}_for_0008", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rights(coalesced: bool):
    """Migration 0004's module, its content columns with import_notes coalesced or not."""
    rights = _module("0004_rights.py")
    if coalesced:
        assert _COLUMN in rights._CONTENT, "0004's content columns are not what 0008 expects"
        content = [
            "coalesce({side}import_notes::jsonb, 'null'::jsonb)" if c == _COLUMN else "{side}" + c
            for c in rights._CONTENT
        ]
        rights._CONTENT_OLD = ", ".join(c.format(side="OLD.") for c in content)
        rights._CONTENT_NEW = ", ".join(c.format(side="NEW.") for c in content)
    return rights


def _statements(s: str, *, coalesced: bool) -> list[str]:
    rights = _rights(coalesced)
    receiver = _module("0007_sync_receiver.py")
    receiver._rights_0004 = lambda: rights
    path = f"SET search_path = pg_catalog, {s}, pg_temp"
    guard = rights._article_guard(s, path).replace(
        "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1
    )
    return [guard, *receiver._step_logged_trigger(s, " AND NOT newsroom_privileged()")]


def _schema(bind) -> str:
    name = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    return '"' + name.replace('"', '""') + '"'


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    # What the app writes for "no notes" (SQLite keeps JSON as its text).
    null = "'null'::json" if postgres else "'null'"
    bind.exec_driver_sql(f"UPDATE articles SET import_notes = {null} WHERE import_notes IS NULL")
    if not postgres:
        return
    for statement in _statements(_schema(bind), coalesced=True):
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for statement in _statements(_schema(bind), coalesced=False):
        bind.exec_driver_sql(statement)
