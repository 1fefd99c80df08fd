"""The newsroom's shared settings: the site (name, address, templates) and its sections.

`settings` holds one JSON value per key (`site_name`, `base_url`, `templates_dir`) with
who set it and when; a key without a row has its default. `sections` is the managed list
of sections: the site's menu and section folders come from it, in `position` order; a
retired section stays for the articles filed under it but is offered no more. Names are
unique without regard to case (`name_key`, the folded name). A store starts with the
sections the window offered before they were managed.

On PostgreSQL everyone reads both tables; only admins write `settings`, editors and
admins write `sections`, and rows are written in one's own name (`updated_by`), as
0004_rights does for the other tables.

Revision ID: 0005_settings
Revises: 0004_rights
Create Date: 2026-12-02
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from editor.core.settings_model import DEFAULT_SECTIONS, section_key

revision = "0005_settings"
down_revision = "0004_rights"
branch_labels = None
depends_on = None

_GROUPS = ("newsroom_reporter", "newsroom_editor", "newsroom_admin")
#: Who writes each table on PostgreSQL.
_WRITERS = {"settings": ("newsroom_admin",), "sections": ("newsroom_editor", "newsroom_admin")}


def _updated() -> list[sa.Column]:
    return [
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(36), sa.ForeignKey("users.id"), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.JSON, nullable=True),
        *_updated(),
    )
    sections = op.create_table(
        "sections",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("name_key", sa.String(240), nullable=False, unique=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("retired", sa.Boolean, nullable=False, server_default=sa.false()),
        *_updated(),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(
        sections,
        [
            {
                "id": str(uuid.uuid4()),
                "name": name,
                "name_key": section_key(name),
                "position": position,
                "retired": False,
                "updated_at": now,
                "updated_by": None,
            }
            for position, name in enumerate(DEFAULT_SECTIONS)
        ],
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in _rights(_schema(bind)):
            bind.exec_driver_sql(statement)


def _schema(bind) -> str:
    name = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    return '"' + name.replace('"', '""') + '"'


def _rights(s: str) -> list[str]:
    me = f"{s}.newsroom_user_id()"
    statements = []
    for table, writers in _WRITERS.items():
        statements += [
            f"GRANT SELECT ON {s}.{table} TO {', '.join(_GROUPS)}",
            f"GRANT INSERT, UPDATE, DELETE ON {s}.{table} TO {', '.join(writers)}",
            f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY",
            f"CREATE POLICY newsroom_read ON {s}.{table} FOR SELECT USING (true)",
            f"CREATE POLICY newsroom_write ON {s}.{table} FOR INSERT "
            f"WITH CHECK (updated_by = {me})",
            f"CREATE POLICY newsroom_change ON {s}.{table} FOR UPDATE USING (true) "
            f"WITH CHECK (updated_by = {me})",
            f"CREATE POLICY newsroom_delete ON {s}.{table} FOR DELETE USING (true)",
        ]
    return statements


def downgrade() -> None:
    op.drop_table("sections")
    op.drop_table("settings")
