"""Who has which article open: presence on the desk (filled in by the presence work).

Revision ID: 0006_presence
Revises: 0005_settings
Create Date: 2026-12-02
"""

from __future__ import annotations

revision = "0006_presence"
down_revision = "0005_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
