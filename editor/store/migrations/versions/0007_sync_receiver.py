"""Sync into a shared desk under a reporter's own login (filled in by the sync work).

Revision ID: 0007_sync_receiver
Revises: 0006_presence
Create Date: 2026-12-02
"""

from __future__ import annotations

revision = "0007_sync_receiver"
down_revision = "0006_presence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
