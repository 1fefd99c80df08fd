"""Who has which article open: presence on the desk, and news of changes (PostgreSQL).

`presence` holds one row per window that has an article open for editing: the article,
the user, when the claim was made (`since`) and when it was last renewed
(`heartbeat_at`), keyed by the window's own session id. A row not renewed for 90 s counts
as gone (`editor.core.presence`). It is the desk's state of the moment: sync and story
packages never carry it.

On PostgreSQL everyone reads `presence`; a person inserts, renews and deletes only rows
in their own name (`user_id` is the session's user, as 0004_rights maps the login), and
only the heartbeat of a row changes (a new claim is a new row). A trigger on `articles`,
`comments` and `presence` sends `NOTIFY newsroom_desk` with the payload
"<schema>:<table>" when they change, so open windows look at once instead of polling;
several stores in one database tell their news apart by the schema. A renewed heartbeat
is no news (it would wake every window every 25 s for nothing).

Revision ID: 0006_presence
Revises: 0005_settings
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_presence"
down_revision = "0005_settings"
branch_labels = None
depends_on = None

#: The channel the desk's news goes out on (the payload names the schema and table).
CHANNEL = "newsroom_desk"
_GROUPS = ("newsroom_reporter", "newsroom_editor", "newsroom_admin")
#: Tables whose changes are news, with the events that make it.
_NEWS = {
    "articles": "INSERT OR UPDATE OR DELETE",
    "comments": "INSERT OR UPDATE OR DELETE",
    "presence": "INSERT OR DELETE",
}


def upgrade() -> None:
    op.create_table(
        "presence",
        sa.Column("session_id", sa.String(36), primary_key=True),
        sa.Column(
            "article_id",
            sa.String(36),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("user_id", sa.String(36), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("since", sa.DateTime, nullable=False),
        sa.Column("heartbeat_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_presence_article_id", "presence", ["article_id"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        name = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in _rights(_quote(name)) + _notify(_quote(name), name):
            bind.exec_driver_sql(statement)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rights(s: str) -> list[str]:
    me = f"{s}.newsroom_user_id()"
    everyone = ", ".join(_GROUPS)
    return [
        f"GRANT SELECT, INSERT, DELETE ON {s}.presence TO {everyone}",
        f"GRANT UPDATE (heartbeat_at) ON {s}.presence TO {everyone}",
        f"ALTER TABLE {s}.presence ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY newsroom_read ON {s}.presence FOR SELECT USING (true)",
        f"CREATE POLICY newsroom_write ON {s}.presence FOR INSERT WITH CHECK (user_id = {me})",
        f"""CREATE POLICY newsroom_change ON {s}.presence FOR UPDATE
            USING (user_id = {me}) WITH CHECK (user_id = {me})""",
        f"CREATE POLICY newsroom_delete ON {s}.presence FOR DELETE USING (user_id = {me})",
    ]


def _notify(s: str, name: str) -> list[str]:
    # `name` is baked in: the function runs with the caller's search_path, and a schema
    # named in the payload is what lets one listener ignore the other stores' news.
    payload = (name + ":").replace("'", "''")
    statements = [
        f"""CREATE FUNCTION {s}.newsroom_notify_desk() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('{CHANNEL}', '{payload}' || TG_TABLE_NAME);
                RETURN NULL;
            END $$"""
    ]
    for table, events in _NEWS.items():
        # One notice per statement (and PostgreSQL folds equal notices of one transaction
        # into one): a batch import of 10,000 articles wakes the windows once, not 10,000
        # times. Presence rows are few and a heartbeat must stay quiet: per row, there.
        level = "ROW" if table == "presence" else "STATEMENT"
        statements.append(
            f"""CREATE TRIGGER newsroom_notify_desk AFTER {events} ON {s}.{table}
                FOR EACH {level} EXECUTE FUNCTION {s}.newsroom_notify_desk()"""
        )
    return statements


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        s = _quote(bind.execute(sa.text("SELECT current_schema()")).scalar_one())
        for table in _NEWS:
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS newsroom_notify_desk ON {s}.{table}")
        bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {s}.newsroom_notify_desk()")
    op.drop_index("ix_presence_article_id", table_name="presence")
    op.drop_table("presence")
